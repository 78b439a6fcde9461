"""`/aor kpi [@rep]` (a form with this week's figures) or `/aor kpi [@rep] key=value ...
[week:last]` (recorded at once)."""

from __future__ import annotations

from bot.core.text import mention
from bot.render.kpi_form import build_kpi_modal, logged_text
from bot.render.modals import ModalMeta
from bot.rules.mentions import mentions, target_rep
from bot.services.kpis import kpi_form, log_kpis
from bot.services.modals import open_modal
from handlers.commands.call import CommandCall


def kpi_command(call: CommandCall) -> None:
    named = mentions(call.args)
    if len(call.args.split()) == len(named):  # nothing but who: the form
        rep_id = target_rep(call.args, default=call.user_id)
        form = kpi_form(call.rt, team_id=call.team_id, actor_id=call.user_id, rep_id=rep_id)
        whose = "Your" if form.rep_id == call.user_id else f"{mention(form.rep_id)}'s"
        meta = ModalMeta(rep_id=form.rep_id, week=form.week)
        modal = build_kpi_modal(form.position, whose=whose, week=form.week, meta=meta)
        open_modal(call.rt, team_id=call.team_id, trigger_id=call.trigger_id, view=modal)
        return
    logged = log_kpis(call.rt, team_id=call.team_id, actor_id=call.user_id, text=call.args)
    call.tell(
        logged_text(
            rep_id=logged.rep_id,
            reader=call.user_id,
            week=logged.week,
            values=logged.values,
            view=logged.position,
        )
    )
