"""Logging a rep's KPI figures for their local week: by the rep, their manager of record or an
admin; each log is audited with what it replaced, and a later log for the same week and key
is the correction (the history stays)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from bot.core.clock import local_date
from bot.core.errors import InvalidInput, NotAllowed
from bot.core.ids import kpi_block_id
from bot.core.runtime import Runtime
from bot.core.text import mention
from bot.delivery.positions import gather_position
from bot.render.forms import FieldErrors
from bot.render.position import PositionView
from bot.rules.access import may_manage
from bot.rules.day_plan import week_start
from bot.rules.kpi_input import check_value, parse_kpi_input
from bot.rules.kpis import WEEK
from bot.rules.mentions import mentions
from bot.services.members import ensure_member
from storage import audit, outbox
from storage import kpis as store
from storage import members as member_store
from storage.models import Member
from storage.types import utcnow


@dataclass(frozen=True)
class Logged:
    rep_id: str
    week: date
    values: dict[str, float]
    position: PositionView  # with the figures as they stand after the log


def _rep_for(rt: Runtime, *, team_id: str, actor_id: str, rep_id: str | None) -> Member:
    """The rep whose figures `actor_id` logs: themself, or one they manage (or an admin)."""
    actor = ensure_member(rt, team_id=team_id, user_id=actor_id)
    if rep_id is None or rep_id == actor_id:
        return actor
    rep = ensure_member(rt, team_id=team_id, user_id=rep_id)
    if not may_manage(actor=actor, rep=rep, actor_is_admin=rt.is_admin(actor)):
        raise NotAllowed(
            f"Only {mention(rep_id)}, their manager of record or an admin can log their KPIs."
        )
    return rep


def rep_week(rep: Member, *, last: bool, now: datetime) -> date:
    """The Monday of the rep's week where they are (or of the week before)."""
    this = week_start(local_date(now, rep.effective_tz))
    return this - WEEK if last else this


def _record(
    session: Session, *, rep: Member, actor_id: str, week: date, values: Mapping[str, float]
) -> None:
    before = store.latest(
        session=session, team_id=rep.team_id, user_id=rep.user_id, since=week, until=week
    ).get(week, {})
    store.log(
        session=session,
        team_id=rep.team_id,
        user_id=rep.user_id,
        week=week,
        values=values,
        entered_by=actor_id,
    )
    audit.record(
        session=session,
        team_id=rep.team_id,
        actor_id=actor_id,
        action="kpi.logged",
        subject_type="kpi_week",
        subject_id=f"{rep.user_id}:{week.isoformat()}",
        member_id=rep.user_id,
        before={"week": week.isoformat(), **{k: before[k] for k in values if k in before}},
        after={"week": week.isoformat(), **values},
    )
    outbox.enqueue_homes(session=session, team_id=rep.team_id, user_ids=[rep.user_id])


def log_kpis(
    rt: Runtime, *, team_id: str, actor_id: str, text: str, now: datetime | None = None
) -> Logged:
    """`/aor kpi [@rep] key=value ... [week:last]`: all of it saved, or none of it."""
    named = mentions(text)
    rep = _rep_for(rt, team_id=team_id, actor_id=actor_id, rep_id=named[0] if named else None)
    at = now or utcnow()

    def log(session: Session) -> Logged:
        fresh = member_store.get_member(session=session, team_id=team_id, user_id=rep.user_id)
        member = fresh or rep
        kpis = gather_position(session=session, member=member, now=at).content.kpis
        parsed = parse_kpi_input(text, kpis)
        if not parsed.values:
            raise InvalidInput(
                "Nothing to log: give key=value for each figure, e.g. "
                "`/aor kpi leads=40 appointments=9 sales=8`, or `/aor kpi` alone for a form."
            )
        week = rep_week(member, last=parsed.last_week, now=at)
        _record(session, rep=member, actor_id=actor_id, week=week, values=parsed.values)
        position = gather_position(session=session, member=member, now=at)
        return Logged(member.user_id, week, parsed.values, position)

    return rt.transact(log)


@dataclass(frozen=True)
class KpiFormData:
    rep_id: str
    week: date
    position: PositionView  # its figures: this week's, to fill the form with


def kpi_form(
    rt: Runtime, *, team_id: str, actor_id: str, rep_id: str | None, now: datetime | None = None
) -> KpiFormData:
    rep = _rep_for(rt, team_id=team_id, actor_id=actor_id, rep_id=rep_id)
    at = now or utcnow()

    def read(session: Session) -> KpiFormData:
        position = gather_position(session=session, member=rep, now=at)
        return KpiFormData(rep.user_id, rep_week(rep, last=False, now=at), position)

    return rt.transact(read)


def save_kpi_form(
    rt: Runtime,
    *,
    team_id: str,
    actor_id: str,
    rep_id: str,
    week: date,
    typed: Mapping[str, str],
) -> Logged:
    """The form's figures for the week it was opened for, each checked against the rep's
    position as it is now; FieldErrors beside each one refused, and then nothing is saved."""
    rep = _rep_for(rt, team_id=team_id, actor_id=actor_id, rep_id=rep_id)

    def save(session: Session) -> Logged:
        position = gather_position(session=session, member=rep)
        kpis = position.content.kpis
        values: dict[str, float] = {}
        errors: dict[str, str] = {}
        for key, raw in typed.items():
            try:
                values[key] = check_value(position.content.kpi(key), key, raw, kpis)
            except InvalidInput as exc:
                errors[kpi_block_id(key)] = exc.message
        if errors:
            raise FieldErrors(errors)
        if values:
            _record(session, rep=rep, actor_id=actor_id, week=week, values=values)
        return Logged(rep.user_id, week, values, gather_position(session=session, member=rep))

    return rt.transact(save)
