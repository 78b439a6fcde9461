"""Modals (pure builders) and the typed reading of what a person submitted in them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.core.errors import InvalidInput, Malformed
from bot.core.ids import MAX_ID, Block, Callback
from bot.core.text import truncate
from bot.rules.envelope import SLACK_ID, STALE_FORM
from bot.rules.parsing import MAX_TITLE_CHARS, TaskDraft, format_minutes, parse_due, parse_duration
from bot.rules.tiers import OWN_WORK_TIERS, words
from storage.enums import Cadence, Tier
from storage.models import Responsibility

CADENCE_LABELS = {Cadence.once: "Once", Cadence.daily: "Daily", Cadence.weekly: "Weekly"}
MAX_DETAILS_CHARS = 3000


class ModalMeta(BaseModel):
    """What a modal carries between opening and submission (`private_metadata`): ids only,
    which the server checks again on submission; never a URL or anything else it would act on
    as given. Strict: `1.5`, `"7"`, `true` or an id past MAX_ID is no item id. Keys it does not
    know are ignored (modals opened by an older version carried a `response_url`)."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)

    item_id: int | None = Field(default=None, ge=1, le=MAX_ID)


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": label}, "value": value}


def input_block(
    block_id: str,
    label: str,
    element: dict[str, Any],
    *,
    optional: bool = False,
    hint: str | None = None,
) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": label},
        "element": {"action_id": block_id, **element},
        "optional": optional,
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def text_element(
    initial: str | None, *, multiline: bool = False, max_length: int = MAX_TITLE_CHARS
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial
    return element


def select_element(options: dict[Any, str], initial: Any | None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "static_select",
        "options": [_option(str(v), label) for v, label in options.items()],
    }
    if initial is not None:
        element["initial_option"] = _option(str(initial), options[initial])
    return element


def modal_view(
    callback_id: str, title: str, submit: str, blocks: list[dict[str, Any]], meta: ModalMeta
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": {"type": "plain_text", "text": truncate(title, 24)},
        "submit": {"type": "plain_text", "text": submit},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": meta.model_dump_json(exclude_none=True),
        "blocks": blocks,
    }


DURATION_HINT = "e.g. 90m, 3h, 1h30m or 1.5h (at most 40h)"


def build_add_task_modal(draft: TaskDraft, meta: ModalMeta) -> dict[str, Any]:
    """`/aor add-task` with what the command already said filled in."""
    rep: dict[str, Any] = {"type": "users_select"}
    if draft.rep_id:
        rep["initial_user"] = draft.rep_id
    due: dict[str, Any] = {"type": "datepicker"}
    if draft.due:
        due["initial_date"] = draft.due.isoformat()
    blocks = [
        input_block(Block.rep, "Rep", rep),
        input_block(Block.title_text, "Task", text_element(draft.title)),
        input_block(
            Block.details,
            "Details",
            text_element(None, multiline=True, max_length=3000),
            optional=True,
        ),
        input_block(
            Block.duration,
            "Time estimate",
            text_element(format_minutes(draft.minutes) if draft.minutes else None, max_length=20),
            hint=DURATION_HINT,
        ),
        input_block(
            Block.cadence,
            "How often",
            select_element(CADENCE_LABELS, draft.cadence or Cadence.once),
        ),
        input_block(Block.due, "Due date", due, optional=True),
    ]
    return modal_view(Callback.add_task, "Assign work", "Send for decision", blocks, meta)


@dataclass(frozen=True)
class ItemPrefill:
    title: str = ""
    details: str = ""
    minutes: int | None = None
    tier: Tier = Tier.first
    cadence: Cadence = Cadence.weekly

    @classmethod
    def of(cls, item: Responsibility) -> ItemPrefill:
        return cls(
            title=item.title,
            details=item.details,
            minutes=item.minutes,
            tier=Tier(item.tier),
            cadence=Cadence(item.cadence),
        )


def build_item_modal(prefill: ItemPrefill, meta: ModalMeta) -> dict[str, Any]:
    """Add (no item id) or edit (item id in the metadata) one of the rep's own items."""
    editing = meta.item_id is not None
    # Outside-the-role work is offered only to an item already there (it keeps its tier).
    shown = OWN_WORK_TIERS if prefill.tier in OWN_WORK_TIERS else (*OWN_WORK_TIERS, prefill.tier)
    tiers = {tier: words(tier).menu_label for tier in shown}
    blocks = [
        input_block(Block.title_text, "Responsibility", text_element(prefill.title or None)),
        input_block(
            Block.details,
            "Details",
            text_element(prefill.details or None, multiline=True, max_length=3000),
            optional=True,
        ),
        input_block(
            Block.duration,
            "Time estimate",
            text_element(
                format_minutes(prefill.minutes) if prefill.minutes else None, max_length=20
            ),
            hint=DURATION_HINT,
        ),
        input_block(Block.tier, "Priority", select_element(tiers, prefill.tier)),
        input_block(
            Block.cadence,
            "How often",
            select_element(
                {Cadence.daily: "Daily", Cadence.weekly: "Weekly"}
                | ({Cadence.once: "Once"} if prefill.cadence == Cadence.once else {}),
                prefill.cadence,
            ),
        ),
    ]
    if editing:
        return modal_view(Callback.edit_item, "Edit responsibility", "Save", blocks, meta)
    return modal_view(Callback.add_item, "Add responsibility", "Add", blocks, meta)


# --- reading submissions -------------------------------------------------------------------


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
