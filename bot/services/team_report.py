"""`/aor report team`: a manager's team this week, each rep's planned and done selling share
against the target, as text and a chart, sent to the manager's DM."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel import Session

from bot.core.clock import local_date
from bot.core.errors import InvalidInput
from bot.core.logs import log_event
from bot.core.runtime import Runtime
from bot.delivery.files import send_to_dm
from bot.delivery.reads import gather_team
from bot.render.chart import team_chart
from bot.render.chart_data import TeamChart, rep_shares, team_chart_data
from bot.render.doc import text_sections
from bot.render.export import DmFile
from bot.render.home import team_row_line
from bot.render.words import plural
from bot.rules.day_plan import week_start
from bot.services.members import ensure_member
from storage import members as member_store
from storage import reports as report_store
from storage.types import utcnow

logger = logging.getLogger(__name__)


def send_team_report(
    rt: Runtime, *, team_id: str, viewer_id: str, now: datetime | None = None
) -> None:
    manager = ensure_member(rt, team_id=team_id, user_id=viewer_id)
    at = now or utcnow()

    def read(session: Session) -> tuple[list[str], TeamChart]:
        rows = gather_team(session=session, manager=manager, now=at)
        if not rows:
            raise InvalidInput(
                "Nobody has you as their manager of record yet, so you have no team to report "
                "on: a rep runs `/aor set-manager @rep @you` to name you."
            )
        found = member_store.get_members(
            session=session, team_id=team_id, user_ids=[r.user_id for r in rows]
        )
        reps = [
            rep_shares(found[r.user_id].name or r.user_id, r.load, r.done_first, r.done_total)
            for r in rows
        ]
        week = week_start(local_date(at, manager.effective_tz))
        target = report_store.selling_target_pct(session=session, team_id=team_id)
        lines = [f"*Your team* ({plural(len(rows), 'rep')}), target {target}%:"]
        return [*lines, *map(team_row_line, rows)], team_chart_data(week, reps, target)

    lines, data = rt.transact(read)
    chart = DmFile(
        filename=f"team-{data.week.isoformat()}.png",
        title=data.title,
        content=team_chart(data),
        alt_text=data.alt_text,
    )
    lines.append("_The chart right under this message shows the same figures._")
    send_to_dm(
        rt,
        team_id=team_id,
        user_id=viewer_id,
        message={
            "text": data.title,
            "blocks": [
                {"type": "header", "text": {"type": "plain_text", "text": data.title}},
                *text_sections(lines),  # a large team takes a few sections, never a cut
            ],
        },
        files=[chart],
    )
    log_event(logger, "team_report.sent", team=team_id, user=viewer_id, reps=len(data.reps))
