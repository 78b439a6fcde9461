"""`/aor report [@rep] [this-week|last-week]`: the activity breakdown and its chart, by DM."""

from __future__ import annotations

from bot.rules.mentions import target_rep
from bot.rules.report import parse_report_args
from bot.services.coaching import send_report
from handlers.commands.call import CommandCall


def report_command(call: CommandCall) -> None:
    rep_id = target_rep(call.args, default=call.user_id)
    send_report(
        call.rt,
        team_id=call.team_id,
        viewer_id=call.user_id,
        rep_id=rep_id,
        period=parse_report_args(call.args),
    )
    call.tell("Report sent to your DMs.")
