"""A member's committed week against their capacity: refusals and replies that say it."""

from __future__ import annotations

from sqlmodel import Session

from bot.core.runtime import Runtime
from bot.delivery.reads import week_capacity_of
from bot.render.capacity import over_sentence
from bot.render.tier_choice import added_text
from bot.rules.capacity import Load, load_of, refuse_estimate
from bot.services.members import ensure_member
from storage import items as item_store
from storage import members as member_store
from storage.models import Responsibility


def committed_load(rt: Runtime, *, team_id: str, user_id: str) -> Load:
    """The member's week as it stands now: their active items against their capacity."""

    def read(session: Session) -> Load:
        member = member_store.get_member(session=session, team_id=team_id, user_id=user_id)
        items = item_store.active_for(session=session, team_id=team_id, owner_id=user_id)
        if member is None:
            return load_of(items, capacity=0, workdays=0)
        capacity = week_capacity_of(session=session, member=member)
        return load_of(items, capacity=capacity, workdays=len(member.workday_set))

    return rt.transact(read)


def refuse_own_estimate(
    rt: Runtime, *, team_id: str, user_id: str, minutes: int, cadence: str
) -> None:
    """Refuse, with the reason, an estimate no day or week of the member's can hold."""
    member = ensure_member(rt, team_id=team_id, user_id=user_id)
    refuse_estimate(
        minutes=minutes, cadence=cadence, capacity=member.capacity_minutes, whose="your"
    )


def added_reply(rt: Runtime, item: Responsibility) -> str:
    """What the owner of a new item is told: that it is in, and plainly when it takes their
    week past capacity, by how much."""
    added = added_text(item.title, item.tier, item.minutes, item.cadence)
    load = committed_load(rt, team_id=item.team_id, user_id=item.owner_id)
    over = over_sentence(load, whose="your")
    return f"{added} {over}" if over else added
