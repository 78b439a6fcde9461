"""The activity breakdown of one rep's week: what was planned, what got done, by tier.

Pure: plain data in, figures out (`bot.services.coaching.gather_report` reads the inputs).
Weeks run Monday to Sunday in the rep's time zone."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.core.clock import local_date
from bot.core.errors import InvalidInput
from bot.rules.capacity import Load, weekly_minutes
from bot.rules.day_plan import PlanItem, PlanView, week_start
from bot.rules.parsing import parse_mention
from storage.enums import AssignmentStatus, Cadence, Tier
from storage.models import Assignment, Member

TREND_WEEKS = 8  # at most; a newer rep's trend starts at their first week
WEEK = timedelta(days=7)
# Plans the rep actually received; a skipped or failed plan was never theirs to tick.
OUTCOMES = (AssignmentStatus.joined, AssignmentStatus.one_off, AssignmentStatus.declined)


class Period(StrEnum):
    this_week = "this-week"
    last_week = "last-week"


def parse_report_args(text: str) -> Period:
    """The period word of `/aor report [@rep] [this-week|last-week]` (mentions are skipped)."""
    words = [w for w in text.split() if parse_mention(w) is None]
    if len(words) > 1:
        raise InvalidInput(
            f"Give one period, `this-week` or `last-week` (got `{' '.join(words)}`)."
        )
    if not words:
        return Period.this_week
    try:
        return Period(words[0].lower())
    except ValueError:
        raise InvalidInput(
            f"`{words[0]}` is not a period: use `this-week` or `last-week`."
        ) from None


def is_team_report(text: str) -> bool:
    """`/aor report team`: the manager's team this week rather than one rep."""
    return text.strip().lower() == "team"


def week_of(period: Period, today: date) -> date:
    """The Monday starting the period's week."""
    monday = week_start(today)
    return monday - WEEK if period == Period.last_week else monday


@dataclass(frozen=True)
class Request:
    """A decided request for the rep's time, with what it costs a week."""

    requester_id: str
    status: AssignmentStatus
    minutes: int
    decided_on: date
    pushed_back: bool = False  # the rep pushed back before the decision


@dataclass(frozen=True)
class Outcome:
    count: int = 0
    minutes: int = 0


@dataclass(frozen=True)
class RequesterTally:
    requester_id: str
    outcomes: dict[AssignmentStatus, Outcome]
    pushed_back: int = 0  # of these requests, how many the rep pushed back on

    def of(self, status: AssignmentStatus) -> Outcome:
        return self.outcomes.get(status, Outcome())


@dataclass(frozen=True)
class Slip:
    """First-priority work not done in time: a daily item on `day`, or (`day` None) a weekly or
    one-off item over the whole week."""

    day: date | None
    title: str
    minutes: int


@dataclass(frozen=True)
class Work:
    """One piece of planned work in a week: a daily item on one day, or a weekly or one-off
    item (`day` None), which is one piece of work however many days it was shown."""

    item: PlanItem
    day: date | None
    done: bool


@dataclass(frozen=True)
class WeekTotals:
    start: date
    planned: Load = field(default_factory=Load)
    done: Load = field(default_factory=Load)


@dataclass(frozen=True)
class Report:
    rep_id: str
    rep_name: str
    week: WeekTotals
    target_pct: int
    slipped: tuple[Slip, ...]
    requests: tuple[RequesterTally, ...]
    trend: tuple[WeekTotals, ...]  # oldest first, ending with `week`

    @property
    def selling_share(self) -> float:
        return self.week.done.selling_share

    @property
    def on_target(self) -> bool:
        return self.selling_share * 100 >= self.target_pct


def week_work(start: date, plans: Iterable[PlanView]) -> list[Work]:
    """The work planned in the week starting `start`: daily items per plan, oldest first, then
    weekly and one-off items once each, done if ticked on any plan of the week."""
    daily: list[Work] = []
    spread: dict[int, Work] = {}
    for plan in sorted(plans, key=lambda p: p.plan_date):
        if not start <= plan.plan_date < start + WEEK:
            continue
        for item in plan.items:
            ticked = item.id in plan.checked
            if item.cadence == Cadence.daily:
                daily.append(Work(item=item, day=plan.plan_date, done=ticked))
                continue
            # The latest snapshot holds the current estimate; a tick on any day counts.
            seen = spread.get(item.id)
            spread[item.id] = Work(item=item, day=None, done=ticked or bool(seen and seen.done))
    return [*daily, *spread.values()]


def week_totals(start: date, plans: Iterable[PlanView]) -> WeekTotals:
    """Planned and done minutes by tier over the week starting `start`."""
    work = week_work(start, plans)
    planned = Load.summed((w.item.tier, w.item.minutes) for w in work)
    done = Load.summed((w.item.tier, w.item.minutes) for w in work if w.done)
    return WeekTotals(start=start, planned=planned, done=done)


def slipped(start: date, plans: Iterable[PlanView], today: date) -> tuple[Slip, ...]:
    """First-priority work of the week left undone: a daily item on a day before `today` (today
    is still running), a weekly or one-off item only once the week is over."""
    week_over = start + WEEK <= today
    return tuple(
        Slip(day=work.day, title=work.item.title, minutes=work.item.minutes)
        for work in week_work(start, plans)
        if work.item.tier == Tier.first
        and not work.done
        and (work.day < today if work.day is not None else week_over)
    )


def tally_requests(start: date, requests: Iterable[Request]) -> tuple[RequesterTally, ...]:
    """Requests decided in the week, per requester (in order of first appearance)."""
    found: dict[str, dict[AssignmentStatus, Outcome]] = defaultdict(dict)
    pushed: dict[str, int] = defaultdict(int)
    for r in requests:
        if r.status not in OUTCOMES or not start <= r.decided_on < start + WEEK:
            continue
        seen = found[r.requester_id].get(r.status, Outcome())
        found[r.requester_id][r.status] = Outcome(seen.count + 1, seen.minutes + r.minutes)
        pushed[r.requester_id] += r.pushed_back
    return tuple(
        RequesterTally(requester, outcomes, pushed[requester])
        for requester, outcomes in found.items()
    )


def build_report(
    *,
    rep_id: str,
    rep_name: str,
    week: date,
    plans: Iterable[PlanView],
    requests: Iterable[Request],
    target_pct: int,
    today: date,
    first_week: date | None = None,
) -> Report:
    """`first_week` (the Monday of the rep's first week) starts the trend: weeks before the rep
    existed would only be zeros."""
    plans = list(plans)
    starts = trend_weeks(week, first_week)
    trend = tuple(week_totals(start, plans) for start in starts)
    return Report(
        rep_id=rep_id,
        rep_name=rep_name,
        week=trend[-1],
        target_pct=target_pct,
        slipped=slipped(week, plans, today),
        requests=tally_requests(week, requests),
        trend=trend,
    )


def trend_weeks(week: date, first_week: date | None) -> list[date]:
    """The Mondays of the trend ending with `week`: up to TREND_WEEKS, none before
    `first_week` (the week itself is always there)."""
    starts = [week - WEEK * back for back in reversed(range(TREND_WEEKS))]
    return [s for s in starts if first_week is None or s >= first_week] or [week]


def request_of(assignment: Assignment, *, tz: str, workdays: int) -> Request | None:
    """A decided assignment as the report counts it: a one-off costs its estimate once."""
    if assignment.decided_at is None:
        return None
    cadence = Cadence.once if assignment.status == AssignmentStatus.one_off else assignment.cadence
    return Request(
        requester_id=assignment.requested_by,
        status=AssignmentStatus(assignment.status),
        minutes=weekly_minutes(assignment.minutes, cadence, workdays),
        decided_on=local_date(assignment.decided_at, tz),
        pushed_back=assignment.pushback_note is not None,
    )


def report_week(member: Member, period: Period, now: datetime) -> date:
    """The Monday of the period's week, in the rep's time zone."""
    return week_of(period, local_date(now, member.effective_tz))
