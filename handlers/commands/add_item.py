"""`/aor add TITLE DURATION [first|second] [daily|weekly]`: the rep's own role work."""

from __future__ import annotations

from bot.core.text import escape
from bot.render.capacity import over_sentence
from bot.rules.parsing import format_minutes, parse_add_item
from bot.rules.tiers import words
from bot.services.capacity import committed_load
from bot.services.items import NewItem, add_own_item
from handlers.commands.call import CommandCall


def add_own_item_command(call: CommandCall) -> None:
    draft = parse_add_item(call.args)
    item = add_own_item(
        call.rt,
        team_id=call.team_id,
        user_id=call.user_id,
        new=NewItem(
            title=draft.title, minutes=draft.minutes, tier=draft.tier, cadence=draft.cadence
        ),
    )
    load = committed_load(call.rt, team_id=call.team_id, user_id=call.user_id)
    over = over_sentence(load, whose="your")
    call.tell(
        f"Added to your AOR at {words(item.tier).in_sentence}: *{escape(item.title)}* "
        f"({format_minutes(item.minutes)} {item.cadence}).{f' {over}' if over else ''}"
    )
