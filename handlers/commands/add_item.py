"""`/aor add TITLE DURATION [first|second] [daily|weekly]`: the rep's own role work. Without a
tier, nothing is added yet: the person is asked, with the activity table's suggestion."""

from __future__ import annotations

from bot.render.tier_choice import build_tier_choice
from bot.rules.parsing import parse_add_item
from bot.services.capacity import added_reply, refuse_own_estimate
from bot.services.items import NewItem, add_own_item
from bot.services.tier_choice import suggest_for_new_item
from handlers.commands.call import CommandCall


def add_own_item_command(call: CommandCall) -> None:
    draft = parse_add_item(call.args)
    if draft.tier is None:
        # An estimate no week can hold is refused before the tier is asked for.
        refuse_own_estimate(
            call.rt,
            team_id=call.team_id,
            user_id=call.user_id,
            minutes=draft.minutes,
            cadence=draft.cadence,
        )
        suggestion = suggest_for_new_item(
            call.rt, team_id=call.team_id, user_id=call.user_id, title=draft.title
        )
        call.answer(
            **build_tier_choice(
                title=draft.title,
                minutes=draft.minutes,
                cadence=draft.cadence,
                suggestion=suggestion,
            )
        )
        return
    item = add_own_item(
        call.rt,
        team_id=call.team_id,
        user_id=call.user_id,
        new=NewItem(
            title=draft.title, minutes=draft.minutes, tier=draft.tier, cadence=draft.cadence
        ),
    )
    call.tell(added_reply(call.rt, item))
