"""Modals (pure builders) and the typed reading of what a person submitted in them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel

from bot.core.errors import InvalidInput
from bot.core.ids import Block, Callback
from bot.core.text import truncate
from bot.rules.parsing import MAX_TITLE_CHARS, TaskDraft, format_minutes, parse_due, parse_duration
from bot.rules.tiers import OWN_WORK_TIERS, words
from storage.enums import Cadence, Tier
from storage.models import Responsibility

CADENCE_LABELS = {Cadence.once: "Once", Cadence.daily: "Daily", Cadence.weekly: "Weekly"}


class ModalMeta(BaseModel):
    """What a modal carries between opening and submission (`private_metadata`)."""

    response_url: str | None = None  # where the command that opened it can still be answered
    item_id: int | None = None


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


def submitted(values: dict[str, Any], block_id: str) -> str | None:
    """The value of the one element in an input block, whatever its type."""
    element = values.get(block_id, {}).get(block_id, {})
    kind = element.get("type")
    if kind == "users_select":
        return element.get("selected_user")
    if kind in ("static_select", "radio_buttons"):
        option = element.get("selected_option")
        return option.get("value") if option else None
    if kind == "datepicker":
        return element.get("selected_date")
    if kind == "timepicker":
        return element.get("selected_time")
    value = element.get("value")
    return value.strip() if isinstance(value, str) else None


def submitted_many(values: dict[str, Any], block_id: str) -> list[str]:
    element = values.get(block_id, {}).get(block_id, {})
    return [o["value"] for o in element.get("selected_options") or []]


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


def _collect(errors: dict[str, str], block_id: str, read: Any) -> Any:
    try:
        return read()
    except InvalidInput as exc:
        errors[block_id] = exc.message
        return None


def _title(values: dict[str, Any]) -> str:
    title = submitted(values, Block.title_text) or ""
    if not title:
        raise InvalidInput("Give it a title.")
    return " ".join(title.split())


def read_task_form(values: dict[str, Any], *, today: date) -> TaskForm:
    errors: dict[str, str] = {}
    rep_id = submitted(values, Block.rep)
    if not rep_id:
        errors[Block.rep] = "Choose the rep who would do this."
    title = _collect(errors, Block.title_text, lambda: _title(values))
    minutes = _collect(
        errors, Block.duration, lambda: parse_duration(submitted(values, Block.duration) or "")
    )
    due_text = submitted(values, Block.due)
    due = (
        _collect(errors, Block.due, lambda: parse_due(due_text, today=today)) if due_text else None
    )
    cadence = Cadence(submitted(values, Block.cadence) or Cadence.once)
    if errors:
        raise FieldErrors(errors)
    return TaskForm(
        rep_id=rep_id or "",
        title=title,
        details=submitted(values, Block.details) or "",
        minutes=minutes,
        cadence=cadence,
        due=due,
    )


@dataclass(frozen=True)
class ItemForm:
    title: str
    details: str
    minutes: int
    tier: Tier
    cadence: Cadence


def read_item_form(values: dict[str, Any]) -> ItemForm:
    errors: dict[str, str] = {}
    title = _collect(errors, Block.title_text, lambda: _title(values))
    minutes = _collect(
        errors, Block.duration, lambda: parse_duration(submitted(values, Block.duration) or "")
    )
    if errors:
        raise FieldErrors(errors)
    return ItemForm(
        title=title,
        details=submitted(values, Block.details) or "",
        minutes=minutes,
        tier=Tier(submitted(values, Block.tier) or Tier.first),
        cadence=Cadence(submitted(values, Block.cadence) or Cadence.weekly),
    )
