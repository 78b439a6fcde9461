"""Requests that never stall, run by every scheduler tick: requests move to a delegate while
their approver is out of office and back when they return; a request waiting past the
workspace's interval reminds whoever holds it, at most MAX_REMINDERS times, and after the last
the admins are told.

Rows are taken with SKIP LOCKED on PostgreSQL and each is changed, audited and its DMs queued
in the same transaction, so whichever process takes a row does it once; the others skip it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.core.clock import local_date
from bot.core.logs import log_event
from bot.core.runtime import Runtime
from bot.render.reminders import reminder_text
from bot.rules.access import is_out_of_office
from bot.rules.holidays import effective_calendar
from bot.rules.reminders import MAX_REMINDERS, is_working_day, working_days_between
from bot.services.delegation import BOT_ACTOR, move_holder
from bot.services.request_messages import enqueue_messages
from bot.services.routing import known_admin_ids, next_reminder
from storage import assignments as store
from storage import audit, outbox
from storage import members as member_store
from storage import team_settings as team_store
from storage.models import Assignment, Member

logger = logging.getLogger(__name__)

BATCH = 200


@dataclass
class RequestReport:
    delegated: int = 0
    handed_back: int = 0
    reminded: int = 0
    postponed: int = 0  # due on a day off of whoever holds it: moved to their next workday


def run_requests(rt: Runtime, *, now: datetime) -> RequestReport:
    report = RequestReport()
    with rt.db.transaction() as session:
        _move_holders(rt, session=session, now=now, report=report)
    with rt.db.transaction() as session:
        for assignment in store.due_reminders(session=session, now=now, limit=BATCH):
            _remind(rt, session=session, assignment=assignment, now=now, report=report)
    return report


def _rep(session: Session, assignment: Assignment) -> Member:
    rep = member_store.get_member(
        session=session, team_id=assignment.team_id, user_id=assignment.rep_id
    )
    assert rep is not None  # a request is only made for a member the bot knows
    return rep


def _move_holders(rt: Runtime, *, session: Session, now: datetime, report: RequestReport) -> None:
    # A day's margin: a first day back is a local date, and some zones are a day ahead of UTC.
    away_from = now.date() - timedelta(days=1)
    after_id = 0
    while True:
        page = store.delegation_candidates(
            session=session, away_from=away_from, after_id=after_id, limit=BATCH
        )
        for assignment in page:
            moved = move_holder(rt, session=session, assignment=assignment, now=now)
            if moved == "assignment.delegated":
                report.delegated += 1
            elif moved is not None:
                report.handed_back += 1
        if len(page) < BATCH:
            return
        after_id = page[-1].id or 0


def _remind(
    rt: Runtime, *, session: Session, assignment: Assignment, now: datetime, report: RequestReport
) -> None:
    holder_id = assignment.delegate_id or assignment.approver_id
    holder = member_store.get_member(session=session, team_id=assignment.team_id, user_id=holder_id)
    if holder is not None and not _working_now(session, holder, now):
        # A weekend, a public holiday or time off: the reminder waits for their next workday.
        assignment.next_reminder_at = next_reminder(session=session, holder=holder, after=now)
        session.add(assignment)
        report.postponed += 1
        return
    assignment.reminders_sent += 1
    last = assignment.reminders_sent >= MAX_REMINDERS
    assignment.next_reminder_at = (
        None if last else next_reminder(session=session, holder=holder, after=now)
    )
    session.add(assignment)
    session.flush()
    waited = _waited(session, holder, assignment, now)
    outbox.enqueue(
        session=session,
        team_id=assignment.team_id,
        user_id=holder_id,
        payload={"text": reminder_text(assignment, waited=waited)},
    )
    audit.record(
        session=session,
        team_id=assignment.team_id,
        actor_id=BOT_ACTOR,
        action="assignment.reminded",
        subject_type="assignment",
        subject_id=assignment.id or 0,
        member_id=assignment.rep_id,
        after={"to": holder_id, "reminder": assignment.reminders_sent},
    )
    admins: list[str] = []
    if last:
        admins = [
            a
            for a in known_admin_ids(rt, session=session, team_id=assignment.team_id)
            if a != holder_id
        ]
        log_event(logger, "request.admins_told", team=assignment.team_id, request=assignment.id)
    # The rep's DM says how long it has waited and how often it was chased; the admins get the
    # card, kept up to date from now on.
    enqueue_messages(
        session=session,
        assignment=assignment,
        rep=_rep(session, assignment),
        escalate_to=admins,
    )
    report.reminded += 1


def _calendar(session: Session, member: Member) -> str | None:
    default = team_store.holiday_calendar(session=session, team_id=member.team_id)
    return effective_calendar(member.holiday_calendar, default)


def _working_now(session: Session, member: Member, now: datetime) -> bool:
    today = local_date(now, member.effective_tz)
    return not is_out_of_office(member, today=today) and is_working_day(
        today, workdays=member.workday_set, calendar=_calendar(session, member)
    )


def _waited(session: Session, holder: Member | None, assignment: Assignment, now: datetime) -> int:
    if holder is None:
        return 0
    return working_days_between(
        assignment.created_at,
        now,
        tz=holder.effective_tz,
        workdays=holder.workday_set,
        calendar=_calendar(session, holder),
    )
