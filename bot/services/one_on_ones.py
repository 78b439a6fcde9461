"""`/aor coaching`: the rep's 1:1 with their manager of record, set by either of them (or an
admin), the cadence defaulting to the position's; audited."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.core.errors import InvalidInput, NotAllowed
from bot.core.runtime import Runtime
from bot.core.text import mention
from bot.delivery.positions import view_of_member_position
from bot.render.coaching_pack import schedule_text
from bot.rules.meetings import CoachingArgs, Rhythm, first_anchor, meeting_after, pack_due
from bot.services.members import ensure_member
from storage import audit, outbox
from storage import coaching as store
from storage.loop_tables import CoachingSchedule
from storage.types import utcnow


def _snapshot(s: CoachingSchedule) -> dict[str, object]:
    return {
        "manager": s.manager_id,
        "weekday": s.weekday,
        "at": s.at_time.strftime("%H:%M"),
        "every_weeks": s.every_weeks,
        "tz": s.tz,
    }


def _text(s: CoachingSchedule, *, reader: str, reader_tz: str) -> str:
    return schedule_text(
        weekday=s.weekday,
        at=s.at_time.strftime("%H:%M"),
        tz=s.tz,
        every_weeks=s.every_weeks,
        next_at=s.next_meeting_at,
        reader=reader,
        rep_id=s.rep_id,
        manager_id=s.manager_id,
        reader_tz=reader_tz,
    )


def set_schedule(
    rt: Runtime, *, team_id: str, actor_id: str, args: CoachingArgs, now: datetime | None = None
) -> str:
    """Save the rep's 1:1 schedule; what the person who set it is told."""
    at = now or utcnow()
    actor = ensure_member(rt, team_id=team_id, user_id=actor_id)
    rep = (
        actor
        if args.rep_id in (None, actor_id)
        else ensure_member(rt, team_id=team_id, user_id=args.rep_id or actor_id)
    )
    if rep.manager_id is None:
        whose = "You have" if rep.user_id == actor_id else f"{mention(rep.user_id)} has"
        raise InvalidInput(
            f"{whose} no manager of record to meet: `/aor set-manager @rep @manager` sets one."
        )
    if actor_id not in (rep.user_id, rep.manager_id) and not rt.is_admin(actor):
        raise NotAllowed(
            f"Only {mention(rep.user_id)}, their manager of record or an admin can set their 1:1."
        )
    manager = ensure_member(rt, team_id=team_id, user_id=rep.manager_id)
    tz = manager.effective_tz

    def save(session: Session) -> str:
        every = (
            args.every_weeks
            or view_of_member_position(session=session, member=rep).content.cadence_weeks
        )
        anchor = first_anchor(weekday=args.weekday, at=args.at, tz=tz, after=at)
        rhythm = Rhythm(args.weekday, args.at, every, anchor, tz)
        meeting = meeting_after(rhythm, after=at)
        schedule = store.get_schedule(
            session=session, team_id=team_id, rep_id=rep.user_id, for_update=True
        )
        before = _snapshot(schedule) if schedule is not None else None
        schedule = schedule or CoachingSchedule(
            team_id=team_id,
            rep_id=rep.user_id,
            manager_id=manager.user_id,
            weekday=args.weekday,
            at_time=args.at,
            anchor=anchor,
            tz=tz,
            next_meeting_at=meeting,
            next_pack_at=pack_due(meeting),
            updated_by=actor_id,
        )
        schedule.manager_id, schedule.weekday, schedule.at_time = (
            manager.user_id,
            args.weekday,
            args.at,
        )
        schedule.every_weeks, schedule.anchor, schedule.tz = every, anchor, tz
        schedule.next_meeting_at, schedule.next_pack_at = meeting, pack_due(meeting)
        schedule.updated_by, schedule.updated_at = actor_id, at
        session.add(schedule)
        session.flush()
        audit.record(
            session=session,
            team_id=team_id,
            actor_id=actor_id,
            action="coaching.scheduled",
            subject_type="coaching",
            subject_id=rep.user_id,
            member_id=rep.user_id,
            before=before,
            after=_snapshot(schedule),
        )
        # The other side hears of it in their DM: a 1:1 is never moved behind someone's back.
        for person in (rep, manager):
            if person.user_id != actor_id:
                text = _text(schedule, reader=person.user_id, reader_tz=person.effective_tz)
                outbox.enqueue(
                    session=session,
                    team_id=team_id,
                    user_id=person.user_id,
                    payload={"text": f"{mention(actor_id)} set it: {text}"},
                )
        return _text(schedule, reader=actor_id, reader_tz=actor.effective_tz)

    return rt.transact(save)


def show_schedules(rt: Runtime, *, team_id: str, user_id: str) -> str:
    reader = ensure_member(rt, team_id=team_id, user_id=user_id)

    def read(session: Session) -> str:
        found = store.schedules_with(session=session, team_id=team_id, user_id=user_id)
        if not found:
            return (
                "No 1:1 is scheduled for you yet. Set one: `/aor coaching tue 10:00` "
                "(with your manager) or `/aor coaching @rep tue 10:00 every 2 weeks`."
            )
        return "\n".join(
            _text(s, reader=user_id, reader_tz=reader.effective_tz) for s in found[:20]
        )

    return rt.transact(read)
