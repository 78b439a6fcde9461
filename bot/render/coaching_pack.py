"""The coaching pack DM before a 1:1, and the 1:1 schedule's copy (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.core.clock import zone_of
from bot.core.text import TITLE_CHARS, clip, mention
from bot.render.doc import fit_blocks, text_sections
from bot.render.position import PositionView
from bot.render.report import kpi_lines, planned_done_lines, share_line, slip_lines
from bot.rules.meetings import DAY_NAMES
from bot.rules.parsing import format_minutes
from bot.rules.report import Report
from bot.rules.tiers import words

MAX_BLOCKS = 50
MAX_LINES = 40  # per list: a long history is summarised, the export has it all


@dataclass(frozen=True)
class AorChange:
    at: datetime
    actor_id: str
    action: str  # item.added | item.edited | item.retired | position.assigned | ...
    title: str


@dataclass(frozen=True)
class RequestRow:
    title: str
    minutes: int
    requested_by: str
    status: str
    decided_by: str | None
    tier: str | None


@dataclass(frozen=True)
class Pack:
    rep_id: str
    manager_id: str
    meeting_at: datetime
    since: datetime
    changes: tuple[AorChange, ...]
    requests: tuple[RequestRow, ...]
    report: Report
    position: PositionView  # with the figures of the meeting's week


def when(at: datetime, tz: str) -> str:
    """ "Tue 3 Nov, 20:30 (Asia/Kolkata)": spelled out in the reader's own zone."""
    local = at.astimezone(zone_of(tz))
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M} ({tz})"


def _who(user_id: str, reader: str) -> str:
    return "you" if user_id == reader else mention(user_id)


_VERBS = {
    "item.added": "added",
    "item.edited": "changed",
    "item.retired": "retired",
    "item.done": "finished",
    "assignment.joined": "joined the AOR:",
    "position.assigned": "gave the position",
}


def change_line(c: AorChange, reader: str) -> str:
    verb = _VERBS.get(c.action, c.action)
    return f"• {_who(c.actor_id, reader)} {verb} *{clip(c.title, TITLE_CHARS)}*"


def request_line(r: RequestRow, reader: str) -> str:
    asked = f"*{clip(r.title, TITLE_CHARS)}* ({format_minutes(r.minutes)})"
    outcome = {
        "joined": f"joined at {words(r.tier).in_sentence if r.tier else 'a tier'}",
        "one_off": "a one-off outside the AOR",
        "declined": "declined",
        "withdrawn": "withdrawn",
        "pending": "waiting for a decision",
    }.get(r.status, r.status)
    by = f", by {_who(r.decided_by, reader)}" if r.decided_by else ""
    return f"• {asked} from {_who(r.requested_by, reader)}: {outcome}{by}"


def _listed(title: str, lines: list[str]) -> list[str]:
    if not lines:
        return [f"*{title}*: none"]
    more = [f"…and {len(lines) - MAX_LINES} more: `/aor export`"] if len(lines) > MAX_LINES else []
    return [f"*{title}* ({len(lines)})", *lines[:MAX_LINES], *more]


def build_pack_message(pack: Pack, *, reader: str, reader_tz: str) -> dict[str, Any]:
    """The pack as one reader sees it (rep or manager), at most 50 blocks."""
    other = pack.manager_id if reader == pack.rep_id else pack.rep_id
    whose = "your" if reader == pack.rep_id else f"{mention(pack.rep_id)}'s"
    intro = (
        f"Your 1:1 with {mention(other)} is at *{when(pack.meeting_at, reader_tz)}*. "
        f"Here is {whose} AOR since {when(pack.since, reader_tz)}."
    )
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Coaching pack for your 1:1"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": intro}},
    ]
    report = pack.report
    for lines in (
        _listed("AOR changes since the last 1:1", [change_line(c, reader) for c in pack.changes]),
        _listed("Requests and decisions", [request_line(r, reader) for r in pack.requests]),
        planned_done_lines(report.week.planned, report.week.done),
        [share_line(report)],
        kpi_lines(pack.position),
        slip_lines(report),
    ):
        if lines:
            blocks.append({"type": "divider"})
            blocks.extend(text_sections(lines))
    text = f"Coaching pack: your 1:1 with {mention(other)} at {when(pack.meeting_at, reader_tz)}"
    return {"text": text, "blocks": fit_blocks(blocks, MAX_BLOCKS, "`/aor export` has it all.")}


def skipped_text(*, meeting_at: datetime, reader_tz: str, away_id: str, other_id: str) -> str:
    return (
        f"No coaching pack for your 1:1 with {mention(other_id)} on "
        f"{when(meeting_at, reader_tz)}: {mention(away_id)} is out of office then."
    )


def schedule_text(
    *,
    weekday: int,
    at: str,
    tz: str,
    every_weeks: int,
    next_at: datetime,
    reader: str,
    rep_id: str,
    manager_id: str,
    reader_tz: str,
) -> str:
    other = manager_id if reader == rep_id else rep_id
    every = "every week" if every_weeks == 1 else f"every {every_weeks} weeks"
    return (
        f"Your 1:1 with {mention(other)}: {DAY_NAMES[weekday]}s at {at} ({tz}), {every}. "
        f"Next: {when(next_at, reader_tz)}. The coaching pack reaches you both an hour before."
    )
