"""The rep's push-back on a request, as the messages show it (read inside a unit of work)."""

from __future__ import annotations

from sqlmodel import Session

from bot.render.pushback import Pushback
from storage import items as item_store
from storage.models import Assignment


def pushback_of(*, session: Session, assignment: Assignment) -> Pushback | None:
    if assignment.pushback_note is None:
        return None
    item = (
        item_store.get(
            session=session, team_id=assignment.team_id, item_id=assignment.pushback_item_id
        )
        if assignment.pushback_item_id is not None
        else None
    )
    return Pushback(
        note=assignment.pushback_note,
        item_title=item.title if item is not None else None,
        minutes=assignment.pushback_minutes,
        at=assignment.pushback_at,
    )
