"""`/aor export [@rep]`: the AOR document and decision log, Markdown and CSV, by DM."""

from __future__ import annotations

from bot.rules.mentions import target_rep
from bot.services.coaching import send_export
from handlers.commands.call import CommandCall


def export_command(call: CommandCall) -> None:
    rep_id = target_rep(call.args, default=call.user_id)
    send_export(call.rt, team_id=call.team_id, viewer_id=call.user_id, rep_id=rep_id)
    call.tell("Export sent to your DMs: the AOR document (Markdown) and CSV files.")
