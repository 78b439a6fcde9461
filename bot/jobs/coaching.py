"""Coaching packs, run by every scheduler tick: an hour before each 1:1, both people get the
pack, exactly once however many schedulers run.

Due schedules are taken in batches (on PostgreSQL with SKIP LOCKED). In one transaction per
batch each meeting's pack is claimed by insert (the unique key lets exactly one process win),
both DMs are queued in the outbox, and the schedule moves on to its next meeting. A meeting
either person is out of office for is claimed as skipped, and the other one is told."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.core.clock import is_valid_tz, local_date
from bot.core.logs import log_event
from bot.core.runtime import Runtime
from bot.render.coaching_pack import build_pack_message, skipped_text
from bot.rules.access import is_out_of_office
from bot.rules.meetings import Rhythm, meeting_after, pack_due
from bot.services.coaching_pack import gather_pack
from storage import coaching as store
from storage import members as member_store
from storage import outbox as outbox_store
from storage.enums import PlanStatus
from storage.loop_tables import CoachingSchedule
from storage.models import Member

logger = logging.getLogger(__name__)

BATCH = 200
STOPPED = timedelta(days=3650)  # a schedule that cannot be read waits until saved again


@dataclass
class PackReport:
    queued: int = 0  # packs claimed here, both DMs queued
    skipped: int = 0  # someone out of office, or the meeting already began
    lost: int = 0  # another process had claimed it


def run_packs(rt: Runtime, *, now: datetime) -> PackReport:
    report = PackReport()
    while True:
        with rt.db.transaction() as session:
            due = store.due_schedules(session=session, now=now, limit=BATCH)
            for schedule in due:
                _one(rt, session=session, schedule=schedule, now=now, report=report)
        if len(due) < BATCH:
            return report


def _away(member: Member, meeting_at: datetime) -> bool:
    """Out of office on the meeting's date where they are."""
    return is_out_of_office(member, today=local_date(meeting_at, member.effective_tz))


def _one(
    rt: Runtime, *, session: Session, schedule: CoachingSchedule, now: datetime, report: PackReport
) -> None:
    meeting_at = schedule.next_meeting_at
    people = member_store.get_members(
        session=session, team_id=schedule.team_id, user_ids=[schedule.rep_id, schedule.manager_id]
    )
    rep, manager = people.get(schedule.rep_id), people.get(schedule.manager_id)
    away = [m for m in (rep, manager) if m is not None and _away(m, meeting_at)]
    late = now >= meeting_at  # the scheduler was down: a pack after the 1:1 helps no one
    unreadable = rep is None or manager is None or not is_valid_tz(schedule.tz)
    status = PlanStatus.skipped if away or late or unreadable else PlanStatus.claimed
    note = "out of office" if away else "late" if late else "unknown person" if unreadable else None
    claimed = store.claim_meeting(
        session=session,
        schedule=schedule,
        status=status,
        instance=rt.instance,
        now=now,
        note=note,
    )
    if claimed is None:
        report.lost += 1
    elif status == PlanStatus.skipped:
        report.skipped += 1
        _tell_skipped(session, schedule, meeting_at, away, people)
        log_event(logger, "coaching.skipped", team=schedule.team_id, rep=schedule.rep_id, why=note)
    else:
        assert rep is not None and manager is not None
        _queue_pack(session, schedule, rep, manager, meeting_at, claimed)
        report.queued += 1
    if is_valid_tz(schedule.tz):
        rhythm = Rhythm(
            schedule.weekday, schedule.at_time, schedule.every_weeks, schedule.anchor, schedule.tz
        )
        schedule.next_meeting_at = meeting_after(rhythm, after=max(meeting_at, now))
        schedule.next_pack_at = pack_due(schedule.next_meeting_at)
    else:  # stopped, loudly: saving the schedule again starts it
        schedule.next_pack_at = now + STOPPED
        log_event(logger, "coaching.stopped_unknown_tz", logging.ERROR, tz=schedule.tz)
    session.add(schedule)


def _tell_skipped(
    session: Session,
    schedule: CoachingSchedule,
    meeting_at: datetime,
    away: list[Member],
    people: dict[str, Member],
) -> None:
    """Whoever is not away hears that there is no pack, and why."""
    if not away:
        return
    away_id = away[0].user_id
    for reader_id, other_id in (
        (schedule.rep_id, schedule.manager_id),
        (schedule.manager_id, schedule.rep_id),
    ):
        reader = people.get(reader_id)
        if reader is None or reader in away:
            continue
        text = skipped_text(
            meeting_at=meeting_at, reader_tz=reader.effective_tz, away_id=away_id, other_id=other_id
        )
        outbox_store.enqueue(
            session=session, team_id=schedule.team_id, user_id=reader_id, payload={"text": text}
        )


def _queue_pack(
    session: Session,
    schedule: CoachingSchedule,
    rep: Member,
    manager: Member,
    meeting_at: datetime,
    meeting_id: int,
) -> None:
    last = store.last_meeting_before(
        session=session, team_id=rep.team_id, rep_id=rep.user_id, before=meeting_at
    )
    since = last or meeting_at - timedelta(weeks=schedule.every_weeks)
    pack = gather_pack(
        session=session, rep=rep, manager_id=manager.user_id, meeting_at=meeting_at, since=since
    )
    for reader in (rep, manager):
        outbox_store.enqueue(
            session=session,
            team_id=rep.team_id,
            user_id=reader.user_id,
            payload=build_pack_message(pack, reader=reader.user_id, reader_tz=reader.effective_tz),
            message_key=f"coaching:{meeting_id}:{reader.user_id}",
        )
