"""The 1:1 rhythm (pure, DST-safe): when each meeting is, where the manager is, and when its
coaching pack is due (an hour before: the same instant wherever each person is). Also the
`/aor coaching` schedule text: `[@rep] WEEKDAY HH:MM [every 1|2|4 weeks]`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.core.clock import zone_of
from bot.core.errors import InvalidInput
from bot.rules.parsing import parse_mention
from bot.rules.schedule import first_instant_at

PACK_AHEAD = timedelta(hours=1)
EVERY_WEEKS = (1, 2, 4)
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
USAGE = (
    "`/aor coaching [@rep] WEEKDAY HH:MM [every 1|2|4 weeks]`, "
    "e.g. `/aor coaching @rob tue 10:00 every 2 weeks` (the time is where the manager is)"
)
_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)", re.ASCII)


@dataclass(frozen=True)
class Rhythm:
    weekday: int  # 0 = Monday
    at: time
    every_weeks: int
    anchor: date  # the first meeting's date, where the manager is
    tz: str  # the manager's


def first_anchor(*, weekday: int, at: time, tz: str, after: datetime) -> date:
    """The date of the first such weekday whose meeting time is still to come."""
    zone = zone_of(tz)
    day = after.astimezone(zone).date()
    for offset in range(8):
        candidate = day + timedelta(days=offset)
        if candidate.weekday() == weekday and first_instant_at(candidate, at, zone) > after:
            return candidate
    raise AssertionError("a weekday comes within eight days")


def meeting_after(rhythm: Rhythm, *, after: datetime) -> datetime:
    """The first meeting strictly after `after`, as a UTC instant: every `every_weeks` weeks
    from `anchor`, at `at` on the manager's wall clock (so its UTC time moves with their DST)."""
    zone = zone_of(rhythm.tz)
    step = timedelta(weeks=rhythm.every_weeks)
    local_day = after.astimezone(zone).date()
    periods = max(0, (local_day - rhythm.anchor).days // step.days)
    day = rhythm.anchor + step * periods
    while (instant := first_instant_at(day, rhythm.at, zone)) <= after:
        day += step
    return instant


def pack_due(meeting_at: datetime) -> datetime:
    return meeting_at - PACK_AHEAD


@dataclass(frozen=True)
class CoachingArgs:
    rep_id: str | None
    weekday: int
    at: time
    every_weeks: int | None  # None: the position's feedback cadence


def _weekday(word: str) -> int | None:
    word = word.lower()
    found = [
        i for i, name in enumerate(DAY_NAMES) if len(word) >= 2 and name.lower().startswith(word)
    ]
    return found[0] if len(found) == 1 else None


def parse_coaching_args(text: str) -> CoachingArgs:
    """The schedule a person typed; InvalidInput naming the part at fault and an example."""
    tokens = text.split()
    rep_id = parse_mention(tokens[0]) if tokens else None
    if rep_id:
        tokens = tokens[1:]
    rest = " ".join(tokens).lower()
    every: int | None = None
    if match := re.search(r"\bevery\s+(\S+)\s+weeks?\b|\bevery\s+week\b|\b(weekly)\b", rest):
        raw = match.group(1) or "1"
        if raw not in {str(n) for n in EVERY_WEEKS}:
            raise InvalidInput(f"Meet every 1, 2 or 4 weeks (got '{raw}'): {USAGE}")
        every = int(raw)
        rest = (rest[: match.start()] + rest[match.end() :]).strip()
    parts = rest.split()
    if len(parts) != 2:
        raise InvalidInput(f"Give a weekday and a time: {USAGE}")
    weekday = _weekday(parts[0])
    if weekday is None:
        raise InvalidInput(f"Couldn't read '{parts[0]}' as a weekday (e.g. tue): {USAGE}")
    clock = _TIME.fullmatch(parts[1])
    if clock is None:
        raise InvalidInput(f"Couldn't read '{parts[1]}' as a time: use HH:MM, e.g. 10:00")
    return CoachingArgs(rep_id, weekday, time(int(clock[1]), int(clock[2])), every)
