"""What rep and manager bring to a coaching meeting, sent to the DM of whoever asked:
`/aor report` (the week's activity breakdown with its chart) and `/aor export`."""

from __future__ import annotations

import logging
from datetime import datetime

from bot.core.logs import log_event
from bot.core.runtime import Runtime
from bot.delivery.files import DmFile, open_dm, share_files
from bot.render.chart import trend_chart
from bot.render.export import export_files, gather_export
from bot.render.report import report_blocks, report_title
from bot.rules.report import Period, gather_report, report_week
from bot.services.reading import viewable_rep
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
    with rt.db.transaction() as session:
        report = gather_report(session=session, member=rep, week=week, now=now)
    title = report_title(report)
    chart = DmFile(
        filename=f"activity-{rep.user_id}-{week.isoformat()}.png",
        title=title,
        content=trend_chart(report.trend, title=title),
    )
    channel = open_dm(rt.client, viewer_id)
    rt.client.chat_postMessage(channel=channel, text=title, blocks=report_blocks(report))
    share_files(rt.client, channel=channel, files=[chart])
    log_event(logger, "report.sent", team=team_id, user=viewer_id, rep=rep_id, week=str(week))


def send_export(
    rt: Runtime, *, team_id: str, viewer_id: str, rep_id: str, now: datetime | None = None
) -> None:
    rep = viewable_rep(rt, team_id=team_id, viewer_id=viewer_id, rep_id=rep_id)
    with rt.db.transaction() as session:
        export = gather_export(session=session, member=rep, now=now or utcnow())
    share_files(
        rt.client,
        channel=open_dm(rt.client, viewer_id),
        files=export_files(export),
        comment=f"AOR document and decision log of <@{rep.user_id}>",
    )
    log_event(logger, "export.sent", team=team_id, user=viewer_id, rep=rep_id)
