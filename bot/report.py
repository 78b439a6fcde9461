"""The activity breakdown of one rep's week: what was planned, what got done, by tier.

`build_report` is pure (plain data in, figures out); `gather_report` reads its inputs from
storage in a handful of queries. Weeks run Monday to Sunday in the rep's time zone."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlmodel import Session

from bot.capacity import Load, weekly_minutes
from bot.checklist import PlanView
from bot.day_plan import week_start
from bot.errors import InvalidInput
from bot.parsing import parse_mention
from bot.plan_times import local_date
from bot.plans import view_of
from storage import assignments as assignment_store
from storage import plans as plan_store
from storage import reports as store
from storage.enums import AssignmentStatus, Cadence, PlanStatus, Tier
from storage.models import Assignment, Member

TREND_WEEKS = 4
WEEK = timedelta(days=7)
# Plans the rep actually received; a skipped or failed plan was never theirs to tick.
COUNTED_PLANS = (PlanStatus.claimed, PlanStatus.sent)
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


@dataclass(frozen=True)
class Outcome:
    count: int = 0
    minutes: int = 0


@dataclass(frozen=True)
class RequesterTally:
    requester_id: str
    outcomes: dict[AssignmentStatus, Outcome]

    def of(self, status: AssignmentStatus) -> Outcome:
        return self.outcomes.get(status, Outcome())


@dataclass(frozen=True)
class Slip:
    """First-priority work planned on a day and not ticked that day."""

    day: date
    title: str
    minutes: int


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


def week_totals(start: date, plans: Iterable[PlanView]) -> WeekTotals:
    """Planned and done minutes by tier over the plans dated in the week starting `start`."""
    planned, done = Load(), Load()
    for plan in plans:
        if not start <= plan.plan_date < start + WEEK:
            continue
        for item in plan.items:
            planned = planned.plus(item.tier, item.minutes)
            if item.id in plan.checked:
                done = done.plus(item.tier, item.minutes)
    return WeekTotals(start=start, planned=planned, done=done)


def slipped(start: date, plans: Iterable[PlanView]) -> tuple[Slip, ...]:
    return tuple(
        Slip(day=plan.plan_date, title=item.title, minutes=item.minutes)
        for plan in sorted(plans, key=lambda p: p.plan_date)
        if start <= plan.plan_date < start + WEEK
        for item in plan.items
        if item.tier == Tier.first and item.id not in plan.checked
    )


def tally_requests(start: date, requests: Iterable[Request]) -> tuple[RequesterTally, ...]:
    """Requests decided in the week, per requester (in order of first appearance)."""
    found: dict[str, dict[AssignmentStatus, Outcome]] = defaultdict(dict)
    for r in requests:
        if r.status not in OUTCOMES or not start <= r.decided_on < start + WEEK:
            continue
        seen = found[r.requester_id].get(r.status, Outcome())
        found[r.requester_id][r.status] = Outcome(seen.count + 1, seen.minutes + r.minutes)
    return tuple(RequesterTally(requester, outcomes) for requester, outcomes in found.items())


def build_report(
    *,
    rep_id: str,
    rep_name: str,
    week: date,
    plans: Iterable[PlanView],
    requests: Iterable[Request],
    target_pct: int,
) -> Report:
    plans = list(plans)
    starts = [week - WEEK * back for back in reversed(range(TREND_WEEKS))]
    trend = tuple(week_totals(start, plans) for start in starts)
    return Report(
        rep_id=rep_id,
        rep_name=rep_name,
        week=trend[-1],
        target_pct=target_pct,
        slipped=slipped(week, plans),
        requests=tally_requests(week, requests),
        trend=trend,
    )


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
    )


def gather_report(*, session: Session, member: Member, week: date) -> Report:
    since = week - WEEK * (TREND_WEEKS - 1)
    rows = store.plans_between(
        session=session,
        team_id=member.team_id,
        user_id=member.user_id,
        since=since,
        before=week + WEEK,
        statuses=COUNTED_PLANS,
    )
    checks = plan_store.checks_for(session=session, plan_ids=[p.id or 0 for p in rows])
    assignments = assignment_store.for_rep(
        session=session, team_id=member.team_id, rep_id=member.user_id
    )
    workdays = len(member.workday_set)
    requests = (request_of(a, tz=member.effective_tz, workdays=workdays) for a in assignments)
    return build_report(
        rep_id=member.user_id,
        rep_name=member.name,
        week=week,
        plans=[view_of(p, checks[p.id or 0]) for p in rows],
        requests=[r for r in requests if r is not None],
        target_pct=store.selling_target_pct(session=session, team_id=member.team_id),
    )


def report_week(member: Member, period: Period, now: datetime) -> date:
    """The Monday of the period's week, in the rep's time zone."""
    return week_of(period, local_date(now, member.effective_tz))
