"""`/aor position [TITLE]` (anyone reads), `/aor position edit [TITLE]`, `/aor position new
TITLE` and `/aor position assign @rep TITLE` (an admin or a manager of record)."""

from __future__ import annotations

from bot.core.errors import InvalidInput
from bot.core.text import escape, mention
from bot.render.modals import ModalMeta
from bot.render.position import build_position_message
from bot.render.position_form import build_position_modal
from bot.rules.mentions import mentions
from bot.rules.positions import DEFAULT_KPIS, MAX_POSITION_TITLE_CHARS, PositionContent
from bot.services.modals import open_modal
from bot.services.positions import (
    assign_position,
    position_for_edit,
    read_position,
    refuse_non_editor,
)
from handlers.commands.call import CommandCall

ASSIGN_USAGE = (
    "Usage: `/aor position assign @rep TITLE`, "
    "e.g. `/aor position assign @rob Online sales specialist`"
)


def position_command(call: CommandCall) -> None:
    verb, _, rest = call.args.partition(" ")
    rest = rest.strip()
    match verb.lower():
        case "edit":
            view = position_for_edit(
                call.rt, team_id=call.team_id, actor_id=call.user_id, title=rest
            )
            meta = ModalMeta(position_id=view.id, default_position=view.id is None)
            open_modal(
                call.rt,
                team_id=call.team_id,
                trigger_id=call.trigger_id,
                view=build_position_modal(view.content, meta),
            )
        case "new":
            if not rest or len(rest) > MAX_POSITION_TITLE_CHARS:
                raise InvalidInput(
                    f"Give the new position a title of at most {MAX_POSITION_TITLE_CHARS} "
                    "characters, e.g. `/aor position new Account executive`"
                )
            refuse_non_editor(call.rt, team_id=call.team_id, actor_id=call.user_id)
            content = PositionContent(title=rest, kpis=DEFAULT_KPIS)
            open_modal(
                call.rt,
                team_id=call.team_id,
                trigger_id=call.trigger_id,
                view=build_position_modal(content, ModalMeta(), new=True),
            )
        case "assign":
            _assign(call, rest)
        case _:
            read = read_position(
                call.rt, team_id=call.team_id, viewer_id=call.user_id, title=call.args
            )
            call.answer(
                **build_position_message(read.view, may_edit=read.may_edit, others=read.others)
            )


def _assign(call: CommandCall, rest: str) -> None:
    head, _, title = rest.partition(" ")
    people = mentions(head)
    if len(people) != 1 or not title.strip():
        raise InvalidInput(ASSIGN_USAGE)
    view = assign_position(
        call.rt,
        team_id=call.team_id,
        actor_id=call.user_id,
        rep_id=people[0],
        title=title.strip(),
    )
    call.tell(f"{mention(people[0])} now has the position *{escape(view.title)}*.")
