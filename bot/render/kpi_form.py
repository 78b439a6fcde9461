"""The KPI form (pure): this week's figures for each KPI typed, and its typed reading; the
computed ones are shown, never asked for."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.core.ids import Callback, kpi_block_id, kpi_key_of
from bot.core.text import mention
from bot.render.forms import submitted
from bot.render.modals import ModalMeta, input_block, modal_view, text_element
from bot.render.position import PositionView, figure_text, kpi_text

MAX_NUMBER_CHARS = 20


def build_kpi_modal(
    view: PositionView, *, whose: str, week: date, meta: ModalMeta
) -> dict[str, Any]:
    """`whose`: "Your", or "<@U>'s" for a manager logging for their rep."""
    figures = {f.kpi.key: f for f in view.figures}
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": f"{whose} KPIs for the week of {week.isoformat()} "
                f"(_{view.title}_). A figure you change replaces the one logged; "
                "the old one stays in the history.",
            },
        }
    ]
    computed = []
    for kpi in view.content.kpis:
        figure = figures.get(kpi.key)
        current = figure.value if figure else None
        if kpi.computed:
            computed.append(f"{kpi.name}: {figure_text(kpi, current)}")
            continue
        unit = f" ({kpi.unit})" if kpi.unit else ""
        initial = None if current is None else f"{current:g}"
        blocks.append(
            input_block(
                kpi_block_id(kpi.key),
                f"{kpi.name}{unit}"[:2000],
                text_element(initial, max_length=MAX_NUMBER_CHARS),
                optional=True,
                hint=f"A number of 0 or more, e.g. 12 ({kpi.key})",
            )
        )
    if computed:
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": "Computed, never typed: " + " · ".join(computed)}
                ],
            }
        )
    return modal_view(Callback.kpis, "Log KPIs", "Save", blocks, meta)


def read_kpi_form(values: Mapping[str, Any]) -> dict[str, str]:
    """key -> what was typed, for each KPI field filled in (empty ones stay as they were);
    the service checks each against the rep's position."""
    found: dict[str, str] = {}
    for block_id in values:
        key = kpi_key_of(block_id)
        raw = submitted(values, block_id) if key is not None else None
        if key is not None and raw:
            found[key] = raw
    return found


def logged_text(
    *, rep_id: str, reader: str, week: date, values: Mapping[str, float], view: PositionView
) -> str:
    """What the person who logged is told: what was saved, for whose week, and where the
    KPIs stand now (the computed ones included)."""
    whose = "your" if rep_id == reader else f"{mention(rep_id)}'s"
    saved = ", ".join(f"{key} {value:g}" for key, value in values.items())
    return (
        f"Logged for {whose} week of {week.isoformat()}: {saved}.\n*Where the KPIs stand*\n"
        + kpi_text(view)
    )
