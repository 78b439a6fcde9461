"""The activity report as Block Kit, numbers as text (pure)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.core.text import TITLE_CHARS, clip, escape, mention, truncate
from bot.render.doc import fit_blocks, text_sections
from bot.render.position import PositionView, figure_line
from bot.rules.capacity import Load
from bot.rules.parsing import format_minutes
from bot.rules.report import OUTCOMES, Report, RequesterTally, Slip
from bot.rules.tiers import TIERS
from storage.enums import AssignmentStatus

OUTCOME_NAMES = {
    AssignmentStatus.joined: "joined the AOR",
    AssignmentStatus.one_off: "one-off",
    AssignmentStatus.declined: "declined",
}
MAX_BLOCKS = 50


def day_label(day: date) -> str:
    return day.strftime("%a %d %b %Y")


def report_title(report: Report) -> str:
    name = report.rep_name or report.rep_id
    return f"Activity breakdown: {name}, week of {day_label(report.week.start)}"


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "n/a"


def planned_done_lines(planned: Load, done: Load) -> list[str]:
    lines = ["*Planned vs done*"]
    for t in TIERS:
        p, d = planned.of(t.tier), done.of(t.tier)
        lines.append(
            f"• {t.name}: {format_minutes(p)} planned, {format_minutes(d)} done ({_share(d, p)})"
        )
    lines.append(
        f"• *Total*: {format_minutes(planned.total)} planned, {format_minutes(done.total)} done "
        f"({_share(done.total, planned.total)})"
    )
    return lines


def share_line(report: Report) -> str:
    verdict = ":white_check_mark: on target" if report.on_target else ":warning: below target"
    if not report.week.done.total:
        verdict = "nothing ticked yet"
    return (
        f"*Selling share*: {report.selling_share:.0%} of done time was first priority "
        f"(target {report.target_pct}%): {verdict}"
    )


def slip_when(slip: Slip) -> str:
    # A weekly or one-off item only slips once its week is over, so it is always "that week".
    return day_label(slip.day) if slip.day is not None else "that week"


def slip_lines(report: Report) -> list[str]:
    if not report.slipped:
        return ["*First priority that slipped*: none"]
    return [
        f"*First priority that slipped* ({len(report.slipped)})",
        *(
            f"• {slip_when(s)}: {clip(s.title, TITLE_CHARS)} ({format_minutes(s.minutes)})"
            for s in report.slipped
        ),
    ]


def tally_line(tally: RequesterTally) -> str:
    outcomes = [(status, tally.of(status)) for status in OUTCOMES]
    parts = [
        f"{OUTCOME_NAMES[status]} {o.count} ({format_minutes(o.minutes)})"
        for status, o in outcomes
        if o.count
    ]
    if tally.pushed_back:
        parts.append(f"pushed back on {tally.pushed_back}")
    return f"• {mention(tally.requester_id)}: {' · '.join(parts)}"


def request_lines(report: Report) -> list[str]:
    if not report.requests:
        return ["*Requests decided this week*: none"]
    return ["*Requests decided this week, by requester*", *map(tally_line, report.requests)]


def trend_lines(report: Report) -> list[str]:
    lines = [f"*{len(report.trend)}-week trend* (done)"]
    for week in report.trend:
        tiers = " · ".join(f"{t.in_sentence} {format_minutes(week.done.of(t.tier))}" for t in TIERS)
        lines.append(
            f"• {day_label(week.start)}: {tiers} (total {format_minutes(week.done.total)}, "
            f"selling {_share(week.done.first, week.done.total)})"
        )
    return lines


def kpi_lines(position: PositionView | None) -> list[str]:
    """The rep's KPIs for the report's week vs target, with the trend; none without figures."""
    if position is None or not position.figures:
        return []
    lines = [figure_line(f, position.selling_target_pct) for f in position.figures]
    return [f"*KPIs vs targets* ({escape(position.title)})", *lines]


def report_blocks(report: Report, position: PositionView | None = None) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": truncate(report_title(report), 150)},
        },
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": f"{mention(report.rep_id)}\n{share_line(report)}"},
        },
    ]
    for lines in (
        planned_done_lines(report.week.planned, report.week.done),
        slip_lines(report),
        kpi_lines(position),
        request_lines(report),
        trend_lines(report),
    ):
        if not lines:
            continue
        blocks.append({"type": "divider"})
        blocks.extend(text_sections(lines))
    return fit_blocks(blocks, MAX_BLOCKS, "The export has the whole record: `/aor export`.")
