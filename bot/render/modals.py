"""Modals (pure builders) and the typed reading of what a person submitted in them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from bot.core.ids import MAX_ID, Block, Callback
from bot.core.text import truncate
from bot.rules.parsing import MAX_TITLE_CHARS, TaskDraft, format_minutes
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
    assignment_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    position_id: int | None = Field(default=None, ge=1, le=MAX_ID)  # None: a new position
    default_position: bool = False  # editing the method's default, never saved here before
    rep_id: str | None = Field(default=None, pattern=r"^[UW][A-Z0-9]{1,31}$")  # KPI form: whose
    week: date | None = None  # KPI form: the week it was opened for (its Monday)


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
    tier: Tier | None = None  # a new item's tier is chosen, never preselected
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
    kept = () if prefill.tier is None or prefill.tier in OWN_WORK_TIERS else (prefill.tier,)
    shown = (*OWN_WORK_TIERS, *kept)
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
