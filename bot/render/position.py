"""A position as Block Kit (pure): its key accountabilities, KPIs with targets and the
expectations document, for App Home, `/aor doc` and `/aor position`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.core.text import clip, escape, truncate
from bot.rules.kpis import KpiFigure
from bot.rules.positions import KpiDef, PositionContent

SECTION_CHARS = 2900  # under Slack's 3000 per section text, label included
CADENCE = {1: "weekly", 2: "every 2 weeks", 4: "every 4 weeks"}


@dataclass(frozen=True)
class PositionView:
    id: int | None  # None: the method's default, not edited in this workspace yet
    title: str
    version: int
    content: PositionContent
    selling_target_pct: int  # the selling share's target: the workspace's
    is_default: bool = True
    figures: tuple[KpiFigure, ...] = ()  # a rep's figures for their week; () when read by title


def _number(value: float) -> str:
    return f"{round(value, 1):g}"


def figure_text(kpi: KpiDef, value: float | None) -> str:
    if value is None:
        return "—"
    return f"{_number(value)}%" if kpi.percent else _number(value)


def figure_line(f: KpiFigure, selling_target_pct: int) -> str:
    """ "• *Conversion*: 20% this week · target 25%, off target · 4 weeks: 18% → … → 20%" """
    parts = [f"{figure_text(f.kpi, f.value)} this week"]
    target = target_text(f.kpi, selling_target_pct)
    if target:
        judged = {True: ", :white_check_mark: on target", False: ", :warning: off target"}
        parts.append(target + judged.get(f.on_target, "") if f.on_target is not None else target)
    # The trend starts at the first week with a figure: weeks before it (often before the rep
    # joined) would be a row of dashes; a single week is already "this week".
    first = next((n for n, v in enumerate(f.trend) if v is not None), len(f.trend))
    trend = f.trend[first:]
    if len(trend) > 1:
        parts.append(f"{len(trend)} weeks: " + " → ".join(figure_text(f.kpi, v) for v in trend))
    return f"• *{escape(f.kpi.name)}*: {' · '.join(parts)}"


def target_text(kpi: KpiDef, selling_target_pct: int) -> str:
    """ "target 25%", "target 10 per week", "" when it has none."""
    target = selling_target_pct if kpi.from_ticks else kpi.target
    if target is None:
        return ""
    unit = "%" if kpi.percent else f" {kpi.unit}" if kpi.unit else ""
    better = "" if kpi.higher_is_better else ", lower is better"
    return f"target {_number(target)}{unit}{better}"


def kpi_definition_line(kpi: KpiDef, selling_target_pct: int) -> str:
    how = ""
    if kpi.ratio:
        how = f" (computed: {kpi.ratio[0]} ÷ {kpi.ratio[1]})"
    elif kpi.from_ticks:
        how = " (computed from your checklist ticks)"
    target = target_text(kpi, selling_target_pct)
    unit = f", {escape(kpi.unit)}" if kpi.unit and not kpi.percent and not target else ""
    return f"• *{escape(kpi.name)}* `{kpi.key}`{unit}{how}{f': {target}' if target else ''}"


def _labelled(label: str, text: str) -> dict[str, Any] | None:
    """A section "*label*\\ntext" clipped to Slack's limit; None when there is no text."""
    if not text.strip():
        return None
    head = f"*{label}*\n"
    body = clip(text, SECTION_CHARS - len(head))
    return {"type": "section", "text": {"type": "mrkdwn", "text": head + body}}


def expectation_sections(content: PositionContent) -> list[tuple[str, str]]:
    cadence = CADENCE.get(content.cadence_weeks, f"every {content.cadence_weeks} weeks")
    return [
        ("Values in practice", content.values),
        ("Learning and development", content.learning),
        (f"Feedback (1:1 {cadence})", content.feedback),
        ("How expectations change", content.change),
    ]


def kpi_text(view: PositionView) -> str:
    """The KPIs: this week vs target with the trend, where a rep's figures are known;
    otherwise what each one is and its target."""
    if view.figures:
        lines = [figure_line(f, view.selling_target_pct) for f in view.figures]
    else:
        lines = [kpi_definition_line(k, view.selling_target_pct) for k in view.content.kpis]
    return "\n".join(lines)


def position_blocks(view: PositionView) -> list[dict[str, Any]]:
    """The position, at most 10 blocks."""
    c = view.content
    version = f" · version {view.version}" if view.id is not None else ""
    blocks: list[dict[str, Any] | None] = [
        {"type": "divider"},
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": f"*Position: {clip(view.title, 200)}*{version}",
            },
        },
        _labelled("Why the role exists", c.purpose),
        _labelled("Core outcomes", c.outcomes),
        _labelled("Leading indicators", c.indicators),
        _labelled("KPIs", kpi_text(view)),
        *(_labelled(label, text) for label, text in expectation_sections(c)),
    ]
    return [b for b in blocks if b is not None]


def build_position_message(
    view: PositionView, *, may_edit: bool, others: list[str]
) -> dict[str, Any]:
    """`/aor position [NAME]`: the position for anyone to read, and what they can do next."""
    hints = []
    if may_edit:
        hints.append(f"Edit it: `/aor position edit {escape(truncate(view.title, 80))}`")
        hints.append("Create another: `/aor position new TITLE`")
        hints.append("Give it to a rep: `/aor position assign @rep TITLE`")
    if others:
        hints.append("Other positions: " + ", ".join(escape(t) for t in others[:20]))
    blocks = position_blocks(view)[1:]
    if hints:
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": truncate(" · ".join(hints), 2000)}],
            }
        )
    return {"text": f"Position: {escape(view.title)}", "blocks": blocks}
