"""What rep and manager bring to a coaching meeting, sent to the DM of whoever asked:
`/aor report` (the week's activity breakdown with its chart) and `/aor export`."""

from __future__ import annotations

import logging
from dataclasses import fields, replace
from datetime import date, datetime

from sqlmodel import Session

from bot.core.clock import local_date
from bot.core.logs import log_event
from bot.core.runtime import Runtime
from bot.delivery.files import send_to_dm
from bot.delivery.positions import gather_figures, view_of_member_position
from bot.delivery.reads import gather_doc
from bot.render.chart import trend_chart
from bot.render.chart_data import trend_chart_data
from bot.render.doc import AorDoc
from bot.render.export import DmFile, EventRow, Export, export_files
from bot.render.position import PositionView
from bot.render.report import report_blocks, report_title
from bot.render.words import file_slug
from bot.rules.day_plan import plan_view, week_start
from bot.rules.report import (
    WEEK,
    Period,
    Report,
    build_report,
    report_week,
    request_of,
    trend_weeks,
)
from bot.services.reading import viewable_rep
from storage import assignments as assignment_store
from storage import audit
from storage import members as member_store
from storage import plans as plan_store
from storage import reports as report_store
from storage.models import Member
from storage.types import utcnow

logger = logging.getLogger(__name__)


def send_report(
    rt: Runtime,
    *,
    team_id: str,
    viewer_id: str,
    rep_id: str,
    period: Period,
    now: datetime | None = None,
) -> None:
    rep = viewable_rep(rt, team_id=team_id, viewer_id=viewer_id, rep_id=rep_id)
    now = now or utcnow()
    week = report_week(rep, period, now)

    def read(session: Session) -> tuple[Report, PositionView]:
        report = gather_report(session=session, member=rep, week=week, now=now)
        position = view_of_member_position(session=session, member=rep)
        figures = gather_figures(session=session, member=rep, view=position, week=week)
        return report, replace(position, figures=figures)

    report, position = rt.transact(read)
    title = report_title(report)
    data = trend_chart_data(report)
    chart = DmFile(
        filename=f"activity-{file_slug(rep.name, rep.user_id)}-{week.isoformat()}.png",
        title=data.title,
        content=trend_chart(data),
        alt_text=data.alt_text,
    )
    send_to_dm(
        rt,
        team_id=team_id,
        user_id=viewer_id,
        message={"text": title, "blocks": report_blocks(report, position)},
        files=[chart],
    )
    log_event(logger, "report.sent", team=team_id, user=viewer_id, rep=rep_id, week=str(week))


def send_export(
    rt: Runtime, *, team_id: str, viewer_id: str, rep_id: str, now: datetime | None = None
) -> None:
    rep = viewable_rep(rt, team_id=team_id, viewer_id=viewer_id, rep_id=rep_id)
    at = now or utcnow()
    export = rt.transact(lambda session: gather_export(session=session, member=rep, now=at))
    send_to_dm(
        rt,
        team_id=team_id,
        user_id=viewer_id,
        files=export_files(export),
        comment=f"AOR document and decision log of <@{rep.user_id}>",
    )
    log_event(logger, "export.sent", team=team_id, user=viewer_id, rep=rep_id)


def gather_report(
    *, session: Session, member: Member, week: date, now: datetime | None = None
) -> Report:
    """`now` (default: the clock) decides the rep's "today", before which plans can slip."""
    since = trend_weeks(week, None)[0]
    rows = report_store.plans_between(
        session=session,
        team_id=member.team_id,
        user_ids=[member.user_id],
        since=since,
        before=week + WEEK,
    )
    checks = plan_store.checks_for(session=session, plan_ids=[p.id or 0 for p in rows])
    assignments = assignment_store.for_rep(
        session=session, team_id=member.team_id, rep_id=member.user_id
    )
    # The rep's first week: when the bot met them, or their first plan if that came earlier
    # (a member row refreshed from Slack keeps its plans).
    first_week = week_start(
        min([local_date(member.created_at, member.effective_tz), *(p.plan_date for p in rows)])
    )
    workdays = len(member.workday_set)
    requests = (request_of(a, tz=member.effective_tz, workdays=workdays) for a in assignments)
    return build_report(
        rep_id=member.user_id,
        rep_name=member.name,
        week=week,
        plans=[plan_view(p, checks[p.id or 0]) for p in rows],
        requests=[r for r in requests if r is not None],
        target_pct=report_store.selling_target_pct(session=session, team_id=member.team_id),
        today=local_date(now or utcnow(), member.effective_tz),
        first_week=first_week,
    )


def gather_export(*, session: Session, member: Member, now: datetime) -> Export:
    events = audit.events_for_member(
        session=session, team_id=member.team_id, member_id=member.user_id
    )
    doc = gather_doc(session=session, member=member)
    rows = tuple(EventRow(**{f.name: getattr(e, f.name) for f in fields(EventRow)}) for e in events)
    return Export(doc=doc, events=rows, exported_at=now, names=_names(session, member, doc, rows))


def _names(
    session: Session, member: Member, doc: AorDoc, events: tuple[EventRow, ...]
) -> dict[str, str]:
    """Stored names of everyone the export mentions: a file shows ids, not Slack mentions."""
    ids = {member.user_id, *(i.requested_by for i in doc.items if i.requested_by)}
    ids |= {p.requested_by for p in doc.pending} | {p.approver_id for p in doc.pending}
    for e in events:
        ids.add(e.actor_id)
        for snap in (e.before or {}, e.after or {}):
            ids |= {str(snap[k]) for k in _PEOPLE if snap.get(k)}
    found = member_store.get_members(session=session, team_id=member.team_id, user_ids=sorted(ids))
    return {user_id: m.name for user_id, m in found.items() if m.name}


# The snapshot keys that hold a person (assignments, items, the manager of record).
_PEOPLE = ("rep", "requested_by", "approver", "owner", "manager")
