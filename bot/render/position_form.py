"""The position modal (pure): every part of a position as a field, and its typed reading."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.core.errors import InvalidInput
from bot.core.ids import Block, Callback
from bot.render.forms import FieldErrors, submitted
from bot.render.modals import ModalMeta, input_block, modal_view, select_element, text_element
from bot.rules.positions import (
    KPI_EXAMPLE,
    KPI_FORMAT,
    MAX_POSITION_TITLE_CHARS,
    MAX_TEXT_CHARS,
    KpiDef,
    PositionContent,
    kpi_lines,
    parse_kpi_lines,
)

CADENCES = {"1": "Weekly", "2": "Every 2 weeks", "4": "Every 4 weeks"}
# (block, label, hint): the position's texts, in the order the modal asks for them.
_TEXTS: tuple[tuple[Block, str, str], ...] = (
    (Block.purpose, "Why the role exists", "Its purpose, in a sentence or two"),
    (Block.outcomes, "Core outcomes", "What the role owns; one a line"),
    (Block.indicators, "Leading indicators", "What success looks like early; one a line"),
    (Block.values, "Values in practice", "How daily work serves the company's values"),
    (Block.learning, "Learning and development", "What to learn, and how"),
    (Block.feedback, "Feedback process", "How often, in what format"),
    (Block.change, "How expectations change", "When and how they are revisited"),
)


def _field(content: PositionContent, block: Block) -> str:
    return str(getattr(content, str(block)))


def build_position_modal(
    content: PositionContent, meta: ModalMeta, *, new: bool = False
) -> dict[str, Any]:
    """Edit a position (each save is a new version) or, with `new`, create one."""
    blocks = [
        input_block(
            Block.position_title,
            "Title",
            text_element(content.title, max_length=MAX_POSITION_TITLE_CHARS),
        ),
        *(
            input_block(
                block,
                label,
                text_element(_field(content, block), multiline=True, max_length=MAX_TEXT_CHARS),
                optional=True,
                hint=hint,
            )
            for block, label, hint in _TEXTS[:3]
        ),
        input_block(
            Block.kpis,
            "KPIs",
            text_element(kpi_lines(content.kpis), multiline=True, max_length=MAX_TEXT_CHARS),
            optional=True,
            hint=f"One a line: {KPI_FORMAT}; computed: {KPI_EXAMPLE}",
        ),
        *(
            input_block(
                block,
                label,
                text_element(_field(content, block), multiline=True, max_length=MAX_TEXT_CHARS),
                optional=True,
                hint=hint,
            )
            for block, label, hint in _TEXTS[3:]
        ),
        input_block(
            Block.cadence_weeks,
            "1:1 cadence",
            select_element(CADENCES, str(content.cadence_weeks)),
        ),
    ]
    title, submit = ("New position", "Create") if new else ("Edit position", "Save version")
    return modal_view(Callback.position, title, submit, blocks, meta)


def read_position_form(values: Mapping[str, Any]) -> PositionContent:
    """The submitted position; FieldErrors beside each field that does not read."""
    errors: dict[str, str] = {}
    title = " ".join((submitted(values, Block.position_title) or "").split())
    if not title:
        errors[Block.position_title] = "Give the position a title, e.g. Account executive."
    elif len(title) > MAX_POSITION_TITLE_CHARS:
        errors[Block.position_title] = (
            f"Keep the title to {MAX_POSITION_TITLE_CHARS} characters (it has {len(title)})."
        )
    texts: dict[str, str] = {}
    for block, _, _ in _TEXTS:
        text = submitted(values, block) or ""
        if len(text) > MAX_TEXT_CHARS:
            errors[block] = f"Keep it to {MAX_TEXT_CHARS} characters (it has {len(text)})."
        texts[str(block)] = text
    kpis: tuple[KpiDef, ...] = ()
    try:
        kpis = parse_kpi_lines(submitted(values, Block.kpis) or "")
    except InvalidInput as exc:
        errors[Block.kpis] = exc.message
    cadence = submitted(values, Block.cadence_weeks) or "1"
    if cadence not in CADENCES:
        errors[Block.cadence_weeks] = "Pick one of the options."
    if errors:
        raise FieldErrors(errors)
    return PositionContent(title=title, kpis=kpis, cadence_weeks=int(cadence), **texts)
