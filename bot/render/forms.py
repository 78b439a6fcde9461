"""What a person submitted in a modal, read in one place into typed forms: a field that does
not parse is a field error (`FieldErrors`), never an exception for the person."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import ValidationError

from bot.core.errors import InvalidInput, Malformed
from bot.core.ids import Block
from bot.render.modals import MAX_DETAILS_CHARS, ModalMeta
from bot.rules.envelope import SLACK_ID, STALE_FORM
from bot.rules.parsing import MAX_TITLE_CHARS, parse_due, parse_duration
from storage.enums import Cadence, Tier


@dataclass(frozen=True)
class Submission:
    """A modal as submitted: the state of its inputs, and its metadata, typed."""

    values: Mapping[str, Any]  # `state.values`: block_id -> {action_id: the element's state}
    meta: ModalMeta


def read_submission(view: Mapping[str, Any], *, field: str) -> Submission:
    """The state and metadata of a submitted view. Raises Malformed, to show at `field`, when
    either is not what this app's modals send (no state, metadata that is not ModalMeta)."""
    state = view.get("state")
    values = state.get("values") if isinstance(state, Mapping) else None
    raw = view.get("private_metadata")
    if not isinstance(values, Mapping) or not isinstance(raw, str | None):
        raise Malformed(STALE_FORM, field=field)
    try:
        meta = ModalMeta.model_validate_json(raw) if raw else ModalMeta()
    except ValidationError:
        raise Malformed(STALE_FORM, field=field) from None
    return Submission(values=values, meta=meta)


def _element(values: Mapping[str, Any], block_id: str) -> Mapping[str, Any]:
    """The state of the one element in an input block ({} when absent or not an object)."""
    block = values.get(block_id)
    element = block.get(block_id) if isinstance(block, Mapping) else None
    return element if isinstance(element, Mapping) else {}


def _string(value: object) -> str | None:
    return value if isinstance(value, str) else None


def submitted(values: Mapping[str, Any], block_id: str) -> str | None:
    """The value of the one element in an input block, whatever its type; None when it is
    empty or not what that element sends."""
    element = _element(values, block_id)
    kind = element.get("type")
    if kind == "users_select":
        return _string(element.get("selected_user"))
    if kind in ("static_select", "radio_buttons"):
        option = element.get("selected_option")
        return _string(option.get("value")) if isinstance(option, Mapping) else None
    if kind == "datepicker":
        return _string(element.get("selected_date"))
    if kind == "timepicker":
        return _string(element.get("selected_time"))
    value = element.get("value")
    return value.strip() if isinstance(value, str) else None


def submitted_many(values: Mapping[str, Any], block_id: str) -> list[str]:
    options = _element(values, block_id).get("selected_options")
    if not isinstance(options, list):
        return []
    return [
        o["value"] for o in options if isinstance(o, Mapping) and isinstance(o.get("value"), str)
    ]


class FieldErrors(Exception):
    """A modal submission with errors, keyed by input block id (Slack shows them inline)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class TaskForm:
    rep_id: str
    title: str
    details: str
    minutes: int
    cadence: Cadence
    due: date | None


T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)


def _collect(errors: dict[str, str], block_id: str, read: Callable[[], T]) -> T | None:
    try:
        return read()
    except InvalidInput as exc:
        errors[block_id] = exc.message
        return None


def _title(values: Mapping[str, Any]) -> str:
    title = " ".join((submitted(values, Block.title_text) or "").split())
    if not title:
        raise InvalidInput("Give it a title.")
    if len(title) > MAX_TITLE_CHARS:
        raise InvalidInput(f"Keep the title to {MAX_TITLE_CHARS} characters (it has {len(title)}).")
    return title


def _details(values: Mapping[str, Any]) -> str:
    details = submitted(values, Block.details) or ""
    if len(details) > MAX_DETAILS_CHARS:
        raise InvalidInput(
            f"Keep the details to {MAX_DETAILS_CHARS} characters (they have {len(details)})."
        )
    return details


def _choice(values: Mapping[str, Any], block_id: str, kind: type[E], default: E) -> E:
    """The option picked in a select, one of `kind`'s members; `default` when none is."""
    raw = submitted(values, block_id)
    if raw is None:
        return default
    if raw not in set(kind):
        raise InvalidInput("Pick one of the options.")
    return kind(raw)


def _rep(values: Mapping[str, Any]) -> str:
    rep_id = submitted(values, Block.rep)
    if rep_id is None or not SLACK_ID.fullmatch(rep_id):
        raise InvalidInput("Choose the rep who would do this.")
    return rep_id


def read_task_form(values: Mapping[str, Any], *, today: date) -> TaskForm:
    errors: dict[str, str] = {}
    rep_id = _collect(errors, Block.rep, lambda: _rep(values))
    title = _collect(errors, Block.title_text, lambda: _title(values))
    details = _collect(errors, Block.details, lambda: _details(values))
    minutes = _collect(
        errors, Block.duration, lambda: parse_duration(submitted(values, Block.duration) or "")
    )
    due_text = submitted(values, Block.due)
    due = (
        _collect(errors, Block.due, lambda: parse_due(due_text, today=today)) if due_text else None
    )
    cadence = _collect(
        errors, Block.cadence, lambda: _choice(values, Block.cadence, Cadence, Cadence.once)
    )
    if errors:
        raise FieldErrors(errors)
    assert rep_id and title and details is not None and minutes and cadence  # no errors
    return TaskForm(
        rep_id=rep_id, title=title, details=details, minutes=minutes, cadence=cadence, due=due
    )


@dataclass(frozen=True)
class ItemForm:
    title: str
    details: str
    minutes: int
    tier: Tier
    cadence: Cadence


def read_item_form(values: Mapping[str, Any]) -> ItemForm:
    errors: dict[str, str] = {}
    title = _collect(errors, Block.title_text, lambda: _title(values))
    details = _collect(errors, Block.details, lambda: _details(values))
    minutes = _collect(
        errors, Block.duration, lambda: parse_duration(submitted(values, Block.duration) or "")
    )
    tier = _collect(errors, Block.tier, lambda: _choice(values, Block.tier, Tier, Tier.first))
    cadence = _collect(
        errors, Block.cadence, lambda: _choice(values, Block.cadence, Cadence, Cadence.weekly)
    )
    if errors:
        raise FieldErrors(errors)
    assert title and details is not None and minutes and tier and cadence  # no errors
    return ItemForm(title=title, details=details, minutes=minutes, tier=tier, cadence=cadence)
