"""What a coaching pack holds, read for one meeting: the rep's AOR changes and requests since
the last 1:1, the meeting week's planned vs done, selling share, KPIs and slipped work."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlmodel import Session

from bot.core.clock import local_date
from bot.delivery.positions import gather_figures, view_of_member_position
from bot.render.coaching_pack import AorChange, Pack, RequestRow
from bot.rules.day_plan import week_start
from bot.services.coaching import gather_report
from storage import assignments as assignment_store
from storage import audit
from storage.models import Member

# The audit actions that change what the AOR holds.
_AOR_ACTIONS = ("item.", "assignment.joined", "position.assigned")


def _title(before: dict[str, object] | None, after: dict[str, object] | None) -> str:
    for side in (after, before):
        if side and isinstance(side.get("title"), str):
            return str(side["title"])
    return ""


def gather_pack(
    *, session: Session, rep: Member, manager_id: str, meeting_at: datetime, since: datetime
) -> Pack:
    events = audit.events_for_member(session=session, team_id=rep.team_id, member_id=rep.user_id)
    changes = tuple(
        AorChange(e.at, e.actor_id, e.action, _title(e.before, e.after))
        for e in events
        if since <= e.at < meeting_at and e.action.startswith(_AOR_ACTIONS)
    )
    requests = tuple(
        RequestRow(a.title, a.minutes, a.requested_by, a.status, a.decided_by, a.tier)
        for a in assignment_store.for_rep(session=session, team_id=rep.team_id, rep_id=rep.user_id)
        if since <= a.created_at < meeting_at
        or (a.decided_at is not None and since <= a.decided_at < meeting_at)
    )
    week = week_start(local_date(meeting_at, rep.effective_tz))
    position = view_of_member_position(session=session, member=rep)
    figures = gather_figures(session=session, member=rep, view=position, week=week)
    return Pack(
        rep_id=rep.user_id,
        manager_id=manager_id,
        meeting_at=meeting_at,
        since=since,
        changes=changes,
        requests=requests,
        report=gather_report(session=session, member=rep, week=week, now=meeting_at),
        position=replace(position, figures=figures),
    )
