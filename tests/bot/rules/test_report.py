"""Issue 5, must-show 2: the activity report's figures for a seeded week equal hand-computed
ones, and its chart is a real PNG."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.core.errors import InvalidInput
from bot.render.chart import trend_chart
from bot.render.chart_data import trend_chart_data
from bot.render.report import report_blocks
from bot.rules.capacity import Load
from bot.rules.day_plan import PlanItem, PlanView
from bot.rules.report import (
    Outcome,
    Period,
    Report,
    Slip,
    build_report,
    parse_report_args,
    report_week,
)
from bot.services.coaching import gather_report
from sandbox import block_kit_violations
from storage.db import Database
from storage.enums import AssignmentStatus, Cadence, PlanStatus, Tier
from storage.models import Assignment, DailyPlan, Member, PlanCheck, TeamSetting

TEAM = "T1"
REP = "UREP"
# Wednesday noon in Los Angeles: "this week" is Mon 16 - Sun 22 Nov 2026 there.
NOW = datetime(2026, 11, 18, 20, 0, tzinfo=UTC)
MONDAY = date(2026, 11, 16)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

CALLS = PlanItem(id=1, title="Call new leads", tier=Tier.first, minutes=60, cadence="daily")
FOLLOW = PlanItem(id=2, title="Follow-ups", tier=Tier.first, minutes=45, cadence="daily")
CRM = PlanItem(id=3, title="CRM hygiene", tier=Tier.second, minutes=20, cadence="daily")
SITE = PlanItem(id=4, title="Website copy", tier=Tier.outside, minutes=30, cadence="once")
SHOW = PlanItem(id=5, title="Trade show", tier=Tier.outside, minutes=90, cadence="once")
PIPE = PlanItem(id=6, title="Pipeline review", tier=Tier.first, minutes=120, cadence="weekly")
WEEKLY = PlanItem(id=7, title="Weekly report", tier=Tier.second, minutes=30, cadence="weekly")


def _at(day: date, hour: int = 18) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _plan(
    day: date,
    items: list[PlanItem],
    ticks: list[tuple[int, bool]],
    status: PlanStatus = PlanStatus.sent,
) -> tuple[DailyPlan, list[tuple[int, bool]]]:
    plan = DailyPlan(
        team_id=TEAM,
        user_id=REP,
        plan_date=day,
        status=status,
        claimed_by="test",
        items=[i.to_json() for i in items],
    )
    return plan, ticks


def _assignment(
    requester: str, status: AssignmentStatus, minutes: int, cadence: Cadence, at: datetime | None
) -> Assignment:
    return Assignment(
        team_id=TEAM,
        requested_by=requester,
        approver_id="UMANAGER",
        rep_id=REP,
        title=f"{requester} {status} {minutes}",
        minutes=minutes,
        cadence=cadence,
        status=status,
        decided_by=None if at is None else "UMANAGER",
        decided_at=at,
    )


def seed_weeks(db: Database) -> Member:
    """Four weeks of plans and ticks (plus some that must not count) and decided requests."""
    week = timedelta(days=7)
    day = timedelta(days=1)
    plans = [
        # This week; NOW makes Wednesday "today". A weekly item shows until it is ticked that
        # week, a one-off until it is done. Monday: the website tick was taken back.
        _plan(
            MONDAY,
            [CALLS, FOLLOW, PIPE, CRM, WEEKLY, SITE],
            [(1, True), (4, True), (3, True), (4, False)],
        ),
        _plan(
            MONDAY + day,
            [CALLS, FOLLOW, PIPE, CRM, WEEKLY, SITE, SHOW],
            [(1, True), (2, True), (6, True)],
        ),
        # Today, still running: the calls are not ticked yet.
        _plan(MONDAY + 2 * day, [CALLS, WEEKLY, SITE, SHOW], [(7, True), (5, True)]),
        # Never delivered: neither planned nor done.
        _plan(MONDAY + 3 * day, [CALLS], [(1, True)], PlanStatus.failed),
        # Last week: the pipeline review never got done, the website was shown too.
        _plan(MONDAY - week, [CALLS, PIPE, CRM], [(1, True), (3, True)]),
        _plan(MONDAY - week + day, [CALLS, PIPE, SITE], []),
        # Earlier weeks, for the trend (the rep's first plan, four weeks back, starts it).
        _plan(MONDAY - 3 * week, [SHOW], [(5, True)]),
        _plan(MONDAY - 4 * week, [CALLS], [(1, True)]),
    ]
    requests = [
        _assignment(
            "UMANAGER",
            AssignmentStatus.joined,
            180,
            Cadence.weekly,
            _at(MONDAY + timedelta(days=1)),
        ),
        # Daily work costs its estimate on each of the rep's five workdays.
        _assignment(
            "UMANAGER",
            AssignmentStatus.declined,
            60,
            Cadence.daily,
            _at(MONDAY + timedelta(days=2)),
        ),
        # A one-off is done once, whatever cadence was asked for.
        _assignment("UOTHER", AssignmentStatus.one_off, 120, Cadence.weekly, _at(MONDAY)),
        # 07:00 UTC Monday is still Sunday in Los Angeles: last week's.
        _assignment("UOTHER", AssignmentStatus.one_off, 30, Cadence.once, _at(MONDAY, hour=7)),
        _assignment("UOTHER", AssignmentStatus.pending, 45, Cadence.once, None),
        _assignment("UMANAGER", AssignmentStatus.joined, 60, Cadence.weekly, _at(MONDAY - week)),
    ]
    member = Member(team_id=TEAM, user_id=REP, name="Rob Rep", tz="America/Los_Angeles")
    with db.transaction() as session:
        session.add(member)
        session.add_all(requests)
        for plan, ticks in plans:
            session.add(plan)
            session.flush()
            for n, (item_id, checked) in enumerate(ticks):
                at = _at(plan.plan_date) + timedelta(minutes=n)
                session.add(
                    PlanCheck(plan_id=plan.id or 0, item_id=item_id, checked=checked, at=at)
                )
    with db.transaction() as session:
        stored = session.get(Member, (TEAM, REP))
        assert stored is not None
        return stored


def _report(db: Database, period: Period = Period.this_week):  # type: ignore[no-untyped-def]
    member = seed_weeks(db)
    with db.transaction() as session:
        week = report_week(member, period, NOW)
        return gather_report(session=session, member=member, week=week, now=NOW)


def test_seeded_week_matches_hand_computed_figures(db: Database) -> None:
    report = _report(db)

    assert report.week.start == MONDAY
    # Planned: daily items per plan, weekly and one-off items once in the week however many
    # plans showed them.
    #   first:   calls 3 x 60 (Mon-Wed) + follow-ups 2 x 45 (Mon, Tue) + pipeline 120 = 390
    #            (counting per plan: pipeline on Mon and Tue would make it 510)
    #   second:  CRM 2 x 20 + weekly report 30 (on Mon, Tue and Wed) = 70 (not 130)
    #   outside: website 30 (on Mon, Tue and Wed) + trade show 90 (on Tue and Wed) = 120 (not 270)
    assert report.week.planned == Load(first=390, second=70, outside=120)
    # Done: calls Mon + Tue 120, follow-ups Tue 45, pipeline (ticked Tue) 120 = 285; CRM Mon 20
    # + weekly report (ticked Wed) 30 = 50; trade show (ticked Wed) 90, the website untacked.
    assert report.week.done == Load(first=285, second=50, outside=90)
    assert report.selling_share == pytest.approx(285 / 425)
    assert report.target_pct == 60 and report.on_target
    # Slipped: follow-ups on Monday only. Not Wednesday's calls (today is still running), nor
    # the pipeline review on Monday's plan (it was ticked Tuesday, and the week is not over).
    assert report.slipped == (Slip(day=MONDAY, title="Follow-ups", minutes=45),)
    by_requester = {t.requester_id: t for t in report.requests}
    assert set(by_requester) == {"UMANAGER", "UOTHER"}
    manager, other = by_requester["UMANAGER"], by_requester["UOTHER"]
    assert manager.of(AssignmentStatus.joined) == Outcome(count=1, minutes=180)
    assert manager.of(AssignmentStatus.declined) == Outcome(count=1, minutes=300)
    assert manager.of(AssignmentStatus.one_off) == Outcome()
    assert other.of(AssignmentStatus.one_off) == Outcome(count=1, minutes=120)
    # The trend counts the same way; last week: calls 2 x 60 + pipeline 120 (on Mon and Tue)
    # planned, calls Mon done; CRM Mon; the website (on Tue) planned and not done.
    trend = [(w.start, w.planned, w.done) for w in report.trend]
    assert trend == [
        (MONDAY - timedelta(days=28), Load(first=60), Load(first=60)),
        (MONDAY - timedelta(days=21), Load(outside=90), Load(outside=90)),
        (MONDAY - timedelta(days=14), Load(), Load()),
        (
            MONDAY - timedelta(days=7),
            Load(first=240, second=20, outside=30),
            Load(first=60, second=20),
        ),
        (MONDAY, report.week.planned, report.week.done),
    ]


def test_last_week_and_the_team_target(db: Database) -> None:
    with db.transaction() as session:
        session.add(TeamSetting(team_id=TEAM, selling_target_pct=80))
    report = _report(db, Period.last_week)

    assert report.week.start == MONDAY - timedelta(days=7)
    assert (report.week.planned.first, report.week.done.first) == (240, 60)
    assert report.selling_share == pytest.approx(60 / 80)
    assert report.target_pct == 80 and not report.on_target
    # The week is over: Tuesday's calls slipped, and the pipeline review, shown on two days and
    # never ticked, slipped once for the week.
    assert report.slipped == (
        Slip(day=MONDAY - timedelta(days=6), title="Call new leads", minutes=60),
        Slip(day=None, title="Pipeline review", minutes=120),
    )
    assert [
        t.of(AssignmentStatus.one_off) for t in report.requests if t.requester_id == "UOTHER"
    ] == [Outcome(count=1, minutes=30)]
    assert [w.start for w in report.trend][-1] == MONDAY - timedelta(days=7)
    assert "• that week: Pipeline review (2h)" in str(report_blocks(report))


def test_blocks_show_the_numbers_within_limits(db: Database) -> None:
    report = _report(db)
    blocks = report_blocks(report)
    text = str(blocks)

    assert block_kit_violations("chat.postMessage", {"text": "report", "blocks": blocks}) == []
    assert "6h30m planned, 4h45m done" in text  # first priority
    assert "Done selling share*: 67%" in text and "target 60%" in text
    assert "First priority that slipped* (1)" in text and "Follow-ups (45m)" in text
    assert "<@UMANAGER>: 1 joined the AOR (3h) · 1 declined (5h)" in text


def _view(day: date, items: list[PlanItem], checked: set[int]) -> PlanView:
    return PlanView(
        plan_id=day.toordinal(),
        plan_date=day,
        budget_minutes=480,
        items=tuple(items),
        checked=frozenset(checked),
    )


def _week_report(plans: list[PlanView], today: date) -> Report:
    return build_report(
        rep_id=REP,
        rep_name="Rob",
        week=MONDAY,
        plans=plans,
        requests=[],
        target_pct=60,
        today=today,
    )


def test_work_spread_over_a_week_counts_once_and_slips_once_the_week_is_over() -> None:
    deal = PlanItem(id=8, title="Close the deal", tier=Tier.first, minutes=40, cadence="once")
    plans = [
        # The weekly review ticked on Monday's plan and again, late, on Tuesday's.
        _view(MONDAY, [PIPE, deal], {PIPE.id}),
        _view(MONDAY + timedelta(days=1), [PIPE, deal], {PIPE.id}),
        _view(MONDAY + timedelta(days=2), [deal], set()),
    ]

    during = _week_report(plans, today=MONDAY + timedelta(days=6))
    after = _week_report(plans, today=MONDAY + timedelta(days=7))

    # Planned: review 120 + deal 40, each once; done: the review once.
    assert (during.week.planned.first, during.week.done.first) == (160, 120)
    assert during.slipped == ()  # Sunday: the one-off may still get done this week
    assert after.slipped == (Slip(day=None, title="Close the deal", minutes=40),)


def test_a_long_week_stays_within_fifty_blocks() -> None:
    items = [
        PlanItem(
            id=n, title=f"Prospect <{n}> " + "x" * 150, tier=Tier.first, minutes=30, cadence="daily"
        )
        for n in range(40)
    ]
    plans = [_view(MONDAY + timedelta(days=d), items, set()) for d in range(7)]
    report = _week_report(plans, today=MONDAY + timedelta(days=7))
    blocks = report_blocks(report)

    assert len(report.slipped) == 280
    assert len(blocks) <= 50
    assert block_kit_violations("chat.postMessage", {"text": "report", "blocks": blocks}) == []
    assert "&lt;7&gt;" in str(blocks)  # titles are escaped


def test_the_chart_is_a_png_of_some_substance(db: Database) -> None:
    report = _report(db)
    png = trend_chart(trend_chart_data(report))

    assert png.startswith(PNG_SIGNATURE)
    assert len(png) > 5_000


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("", Period.this_week),
        ("last-week", Period.last_week),
        ("<@UREP|rob> LAST-WEEK", Period.last_week),
        ("<@UREP|rob>", Period.this_week),
        ("this-week <@UREP>", Period.this_week),
    ],
)
def test_period_words(text: str, period: Period) -> None:
    assert parse_report_args(text) == period


@pytest.mark.parametrize("text", ["yesterday", "last-week this-week", "<@UREP> fortnight"])
def test_unknown_period_words_are_named(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_report_args(text)
    assert text.split()[-1] in caught.value.message
