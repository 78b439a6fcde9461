"""`/aor doc [@rep]`: the AOR document, ephemeral."""

from __future__ import annotations

from bot.core.text import escape
from bot.render.doc import doc_blocks
from bot.rules.mentions import target_rep
from bot.services.reading import read_doc
from handlers.commands.call import CommandCall


def doc_command(call: CommandCall) -> None:
    rep_id = target_rep(call.args, default=call.user_id)
    document = read_doc(call.rt, team_id=call.team_id, viewer_id=call.user_id, rep_id=rep_id)
    call.answer(text=f"AOR of {escape(document.rep_name)}", blocks=doc_blocks(document))
