"""The activity report as Block Kit, numbers as text (pure)."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.core.text import TITLE_CHARS, clip, escape, mention, truncate
from bot.render.doc import fit_blocks, text_sections
from bot.render.position import PositionView, figure_line
from bot.render.words import DONE_SHARE, percent, plural, with_split
from bot.rules.capacity import Load
from bot.rules.parsing import format_minutes
from bot.rules.report import OUTCOMES, Report, RequesterTally, Slip, WeekTotals
from bot.rules.tiers import TIERS
from storage.enums import AssignmentStatus

OUTCOME_NAMES = {
    AssignmentStatus.joined: "joined the AOR",
    AssignmentStatus.one_off: "one-off outside it",
    AssignmentStatus.declined: "declined",
}
MAX_BLOCKS = 50


def day_label(day: date) -> str:
    return day.strftime("%a %d %b %Y")


def report_title(report: Report) -> str:
    name = report.rep_name or "unnamed member"
    return f"Activity breakdown: {name}, week of {day_label(report.week.start)}"


def planned_done_lines(planned: Load, done: Load) -> list[str]:
    """Each tier with time planned or done (the others are left out), then the total."""
    if not planned.total and not done.total:
        return ["*Planned vs done*: nothing planned yet"]
    lines = ["*Planned vs done*"]
    for t in TIERS:
        p, d = planned.of(t.tier), done.of(t.tier)
        if p or d:
            lines.append(f"• {t.marker} {t.name}: {_planned_done(p, d)}")
    lines.append(f"• *Total*: {_planned_done(planned.total, done.total)}")
    return lines


def _planned_done(planned: int, done: int) -> str:
    if not done:
        return f"{format_minutes(planned)} planned, none done yet"
    return (
        f"{format_minutes(planned)} planned, {format_minutes(done)} done ({percent(done, planned)})"
    )


def share_line(report: Report) -> str:
    """The done selling share (ticked time) against the target. The planned selling share is
    committed hours (App Home, the team table), not this week's checklists, so it is not here."""
    if not report.week.done.total:
        return (
            f"*{DONE_SHARE.capitalize()}*: — nothing ticked yet this week "
            f"(target {report.target_pct}%)"
        )
    verdict = ":white_check_mark: on target" if report.on_target else ":warning: below target"
    return (
        f"*{DONE_SHARE.capitalize()}*: {report.selling_share:.0%} of ticked time was first "
        f"priority (target {report.target_pct}%): {verdict}"
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
        f"{o.count} {OUTCOME_NAMES[status]} ({format_minutes(o.minutes)})"
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
    """One line per week since the rep's first week (up to 8): done of planned, by tier."""
    weeks = plural(len(report.trend), "week")
    lines = [f"*Trend since {day_label(report.trend[0].start)}* ({weeks}, planned vs done)"]
    for week in report.trend:
        lines.append(f"• {day_label(week.start)}: {_week_summary(week)}")
    return lines


def _week_summary(week: WeekTotals) -> str:
    planned, done = week.planned, week.done
    if not planned.total and not done.total:
        return "nothing planned"
    if not done.total:
        return f"{format_minutes(planned.total)} planned, none done"
    return (
        f"{with_split(done.total, done.of)} done of {format_minutes(planned.total)} planned · "
        f"{DONE_SHARE} {percent(done.first, done.total)}"
    )


CHART_NOTE = (
    "The chart is the picture right under this message: planned vs done per tier per week, "
    "and the done selling share against the target."
)


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
        [f"_{CHART_NOTE}_"],
    ):
        if not lines:
            continue
        blocks.append({"type": "divider"})
        blocks.extend(text_sections(lines))
    return fit_blocks(blocks, MAX_BLOCKS, "The export has the whole record: `/aor export`.")
