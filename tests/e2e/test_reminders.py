"""Issue 12, must show 3 (in one process, the clock moved with time-machine): a waiting request
reminds whoever holds it once per interval of their working days, never on a weekend, a
public holiday or while they are out of office (their delegate is reminded instead), at most
three times; then the admins are told."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from sqlalchemy import update
from sqlmodel import select

from bot.core.ids import decide_action_id, decide_value
from bot.jobs.scheduler import tick
from sandbox import FakeSlack, SlackSide
from storage import audit
from storage.enums import Decision
from storage.models import Assignment, Member
from tests.utils.people import name_manager
from tests.utils.server import RunningApp
from tests.utils.slack_text import all_text, buttons, replies
from tests.utils.wait import eventually

TEAM = "T0001"
# Thursday 3 December 2026, 10:00 in New York (the manager's time zone).
THURSDAY = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)


def _reminders(fake: FakeSlack, user: str) -> list[str]:
    return [
        m["text"] for m in fake.dm_messages(user) if str(m.get("text", "")).startswith("Reminder:")
    ]


def _tick_at(running: RunningApp, traveller: time_machine.Coordinates, at: datetime) -> None:
    traveller.move_to(at)
    tick(running.rt, now=at)


def _ask(slack: SlackSide, fake: FakeSlack, title: str, rep: str = "UREP") -> None:
    result = slack.command(f"add-task <@{rep}|rob> {title} 1h once", user_id="UREP2")
    eventually(lambda: replies(fake, result.response_url))


def _answer(slack: SlackSide, fake: FakeSlack, text: str, user: str) -> str:
    result = slack.command(text, user_id=user)
    return eventually(lambda: replies(fake, result.response_url))[-1]


def _pending(slack: SlackSide, fake: FakeSlack, user: str) -> dict[str, Any]:
    result = slack.command("pending", user_id=user)
    return eventually(lambda: [r.body for r in fake.responses if r.url == result.response_url])[-1]


def _set(running: RunningApp, user: str, **values: object) -> None:
    with running.rt.db.transaction() as session:
        session.execute(update(Member).where(Member.user_id == user).values(**values))  # type: ignore[arg-type]


def test_one_reminder_a_working_day_at_most_three_then_the_admins_are_told(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    with time_machine.travel(THURSDAY, tick=True) as traveller:
        name_manager(slack, fake, "UREP")
        met = slack.command("pending", user_id="UADMIN")  # the bot meets its Slack admin
        eventually(lambda: replies(fake, met.response_url))
        _ask(slack, fake, "Partner webinar")
        eventually(lambda: fake.dm_messages("UMANAGER"))

        _tick_at(running, traveller, THURSDAY + timedelta(hours=8))  # same day: not yet
        assert _reminders(fake, "UMANAGER") == []
        friday = THURSDAY + timedelta(days=1, minutes=1)
        _tick_at(running, traveller, friday)
        _tick_at(running, traveller, friday + timedelta(minutes=5))  # the same interval
        [first] = _reminders(fake, "UMANAGER")
        assert "Partner webinar" in first and "1 working day" in first
        for saturday_or_sunday in (2, 3):
            _tick_at(running, traveller, THURSDAY + timedelta(days=saturday_or_sunday, minutes=1))
        assert len(_reminders(fake, "UMANAGER")) == 1  # none at the weekend
        _tick_at(running, traveller, THURSDAY + timedelta(days=4, minutes=1))  # Monday
        assert len(_reminders(fake, "UMANAGER")) == 2
        assert fake.dm_messages("UADMIN") == []
        _tick_at(running, traveller, THURSDAY + timedelta(days=5, minutes=1))  # Tuesday
        assert len(_reminders(fake, "UMANAGER")) == 3
        [told] = fake.dm_messages("UADMIN")
        assert "<@UMANAGER> was reminded 3 times" in all_text(told)
        assert "Partner webinar" in all_text(told) and len(buttons(told)) == 4
        for later in (6, 7, 11):
            _tick_at(running, traveller, THURSDAY + timedelta(days=later, minutes=1))
        assert len(_reminders(fake, "UMANAGER")) == 3 and len(fake.dm_messages("UADMIN")) == 1
        # An admin's `/aor pending` lists it as stalled, with the buttons; nobody else's does.
        stalled = _pending(slack, fake, "UADMIN")
        assert "Stalled (1)" in all_text(stalled) and "Partner webinar" in all_text(stalled)
        assert len(buttons(stalled)) == 4
        assert "Stalled" not in all_text(_pending(slack, fake, "UREP2"))

    rep_dm = all_text(fake.dm_messages("UREP")[0])
    assert "Waiting since" in rep_dm and "reminded 3 times" in rep_dm
    # The admin decides from their copy of the card, which then shows the outcome.
    slack.click_button(
        user_id="UADMIN",
        channel=fake.dm_channel("UADMIN"),
        ts=told["ts"],
        action_id=decide_action_id(Decision.decline),
        value=decide_value(1),
    )
    eventually(lambda: buttons(fake.dm_messages("UADMIN")[0]) == [])
    assert "declined" in all_text(fake.dm_messages("UADMIN")[0])
    assert buttons(fake.dm_messages("UMANAGER")[0]) == []
    with running.rt.db.transaction() as session:
        [request] = session.exec(select(Assignment)).all()
        events = audit.events_for_subject(
            session=session, team_id=TEAM, subject_type="assignment", subject_id=request.id or 0
        )
    assert [e.after["reminder"] for e in events if e.action == "assignment.reminded"] == [1, 2, 3]


def test_no_reminder_on_a_public_holiday_of_the_approvers_calendar(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    christmas_eve = datetime(2026, 12, 24, 15, 0, tzinfo=UTC)
    with time_machine.travel(christmas_eve, tick=True) as traveller:
        name_manager(slack, fake, "UREP")
        _set(running, "UMANAGER", holiday_calendar="US")
        _ask(slack, fake, "Year-end pricing")
        for day in (1, 2, 3):  # Christmas Day, then the weekend
            _tick_at(running, traveller, christmas_eve + timedelta(days=day, minutes=1))
        assert _reminders(fake, "UMANAGER") == []
        _tick_at(running, traveller, christmas_eve + timedelta(days=4, minutes=1))
        assert len(_reminders(fake, "UMANAGER")) == 1


def test_while_the_approver_is_out_of_office_their_delegate_is_reminded(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    with time_machine.travel(THURSDAY, tick=True) as traveller:
        name_manager(slack, fake, "UREP")
        name_manager(slack, fake, "UMANAGER", manager="UOTHER")
        # Out of office until Wednesday 9 December: Oscar, Maria's manager, holds her requests.
        ooo = slack.command("ooo 2026-12-09", user_id="UMANAGER")
        eventually(lambda: replies(fake, ooo.response_url))
        _ask(slack, fake, "Partner webinar")
        eventually(lambda: fake.dm_messages("UOTHER"))
        _tick_at(running, traveller, THURSDAY + timedelta(days=1, minutes=1))
        assert _reminders(fake, "UMANAGER") == []
        [reminder] = _reminders(fake, "UOTHER")
        assert "You decide it for <@UMANAGER>, who is out of office" in reminder


def test_the_workspace_sets_the_interval_in_working_days(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    with time_machine.travel(THURSDAY, tick=True) as traveller:
        name_manager(slack, fake, "UREP")
        told = _answer(slack, fake, "settings reminders 2", "UREP")
        assert "Only an admin of the bot or a manager of record" in told
        told = _answer(slack, fake, "settings reminders 0", "UMANAGER")
        assert "Couldn't read '0' as a number of working days" in told
        told = _answer(slack, fake, "settings reminders 2", "UMANAGER")
        assert "Saved. Waiting requests remind whoever decides them every 2 working days" in told
        _ask(slack, fake, "Partner webinar")
        _tick_at(running, traveller, THURSDAY + timedelta(days=1, minutes=1))  # Friday
        assert _reminders(fake, "UMANAGER") == []
        _tick_at(running, traveller, THURSDAY + timedelta(days=4, minutes=1))  # Monday
        assert len(_reminders(fake, "UMANAGER")) == 1
