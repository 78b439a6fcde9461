"""`/aor report [@rep] [this-week|last-week]`: the activity breakdown and its chart, by DM;
`/aor report team`: a manager's team this week."""

from __future__ import annotations

from bot.rules.mentions import target_rep
from bot.rules.report import is_team_report, parse_report_args
from bot.services.coaching import send_report
from bot.services.team_report import send_team_report
from handlers.commands.call import CommandCall


def report_command(call: CommandCall) -> None:
    if is_team_report(call.args):
        send_team_report(call.rt, team_id=call.team_id, viewer_id=call.user_id)
        call.tell("Your team's report is in your DMs.")
        return
    rep_id = target_rep(call.args, default=call.user_id)
    send_report(
        call.rt,
        team_id=call.team_id,
        viewer_id=call.user_id,
        rep_id=rep_id,
        period=parse_report_args(call.args),
    )
    call.tell("Report sent to your DMs.")
