"""A rep's own AOR items: add, edit, retire (each audited), and the one-owner rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

from sqlmodel import Session

from bot.core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from bot.core.ids import Block
from bot.core.runtime import Runtime
from bot.core.text import escape, mention
from bot.rules.access import may_manage
from bot.rules.capacity import refuse_estimate
from bot.rules.tiers import OWN_WORK_TIERS
from bot.rules.titles import title_key
from bot.services.approvers import display_name
from bot.services.members import ensure_member
from storage import audit
from storage import items as store
from storage import members as member_store
from storage import outbox as outbox_store
from storage.enums import Cadence, ItemStatus, Origin, Tier
from storage.models import Member, Responsibility
from storage.types import utcnow


def snapshot(item: Responsibility) -> dict[str, object]:
    return {
        "title": item.title,
        "tier": str(item.tier),
        "minutes": item.minutes,
        "cadence": str(item.cadence),
        "due": item.due.isoformat() if item.due else None,
        "status": str(item.status),
        "owner": item.owner_id,
    }


@dataclass(frozen=True)
class NewItem:
    title: str
    minutes: int
    tier: Tier
    cadence: Cadence
    details: str = ""
    due: date | None = None
    origin: Origin = Origin.role
    assignment_id: int | None = None
    requested_by: str | None = None


def refuse_taken_title(
    *, session: Session, team_id: str, title: str, reader: str | None = None
) -> None:
    existing = store.active_with_title(session=session, team_id=team_id, title_key=title_key(title))
    if existing is not None:
        raise _owned_by(existing, reader)


def _owned_by(existing: Responsibility | None, reader: str | None = None) -> Conflict:
    """Said to the person adding: whose item it is already and what they can do instead."""
    if existing is None:
        return Conflict(
            "An item with that title is already in someone's AOR, and each item has one owner: "
            "give yours a different title.",
            field=Block.title_text,
        )
    title = f"*{escape(existing.title)}*"
    if existing.owner_id == reader:
        return Conflict(
            f"{title} is already in your AOR: edit it there instead.", field=Block.title_text
        )
    owner = mention(existing.owner_id)
    return Conflict(
        f"{title} already belongs to {owner}'s AOR, and each item has one owner (when two "
        f"people are responsible, no one is). You can give yours a different title, or ask "
        f"{owner} to hand it over.",
        field=Block.title_text,
    )


def add_item(
    *, session: Session, team_id: str, owner_id: str, actor_id: str, new: NewItem
) -> Responsibility:
    item = Responsibility(
        team_id=team_id,
        owner_id=owner_id,
        title=new.title,
        title_key=title_key(new.title),
        details=new.details,
        tier=new.tier,
        minutes=new.minutes,
        cadence=new.cadence,
        due=new.due,
        origin=new.origin,
        assignment_id=new.assignment_id,
        requested_by=new.requested_by,
    )
    try:
        store.insert(session=session, item=item)
    except store.DuplicateTitle as exc:
        raise _owned_by(exc.existing, actor_id) from None
    audit.record(
        session=session,
        team_id=team_id,
        actor_id=actor_id,
        action="item.added",
        subject_type="item",
        subject_id=item.id or 0,
        member_id=owner_id,
        after=snapshot(item),
    )
    return item


def _owned_item(
    *, session: Session, team_id: str, item_id: int, actor_id: str, may_manage: bool
) -> Responsibility:
    item = store.get(session=session, team_id=team_id, item_id=item_id)
    if item is None or item.status != ItemStatus.active:
        raise NotFound("That item is no longer in the AOR (it was retired or done).")
    if item.owner_id != actor_id and not may_manage:
        raise NotAllowed(f"Only {mention(item.owner_id)}, their manager or an admin can change it.")
    return item


def edit_item(
    *,
    session: Session,
    team_id: str,
    item_id: int,
    actor_id: str,
    may_manage: bool,
    title: str,
    minutes: int,
    tier: Tier,
    cadence: Cadence,
    details: str,
) -> Responsibility:
    item = _owned_item(
        session=session, team_id=team_id, item_id=item_id, actor_id=actor_id, may_manage=may_manage
    )
    owner = member_store.get_member(session=session, team_id=team_id, user_id=item.owner_id)
    if owner is not None:
        whose = "your" if owner.user_id == actor_id else display_name(owner, owner.user_id) + "'s"
        refuse_estimate(
            minutes=minutes, cadence=cadence, capacity=owner.capacity_minutes, whose=whose
        )
    before = snapshot(item)
    new_key = title_key(title)
    if new_key != item.title_key:
        existing = store.active_with_title(session=session, team_id=team_id, title_key=new_key)
        if existing is not None:
            raise _owned_by(existing, actor_id)
    if tier not in OWN_WORK_TIERS and tier != item.tier:
        raise InvalidInput(
            "Outside-the-role work comes only from a manager's decision.", field=Block.tier
        )
    item.title, item.title_key, item.minutes = title, new_key, minutes
    item.tier, item.cadence, item.details = tier, cadence, details
    return save_change(
        session=session, item=item, before=before, action="item.edited", actor_id=actor_id
    )


def retire_item(
    *, session: Session, team_id: str, item_id: int, actor_id: str, may_manage: bool
) -> Responsibility:
    item = _owned_item(
        session=session, team_id=team_id, item_id=item_id, actor_id=actor_id, may_manage=may_manage
    )
    before = snapshot(item)
    item.status = ItemStatus.retired
    return save_change(
        session=session, item=item, before=before, action="item.retired", actor_id=actor_id
    )


def save_change(
    *, session: Session, item: Responsibility, before: dict[str, object], action: str, actor_id: str
) -> Responsibility:
    """Write a changed item and the audit event that records what it was before."""
    item.updated_at = utcnow()
    session.add(item)
    session.flush()
    audit.record(
        session=session,
        team_id=item.team_id,
        actor_id=actor_id,
        action=action,
        subject_type="item",
        subject_id=item.id or 0,
        member_id=item.owner_id,
        before=before,
        after=snapshot(item),
    )
    return item


# --- user actions: one transaction each; the App Homes they change are queued with them ----


def add_own_item(rt: Runtime, *, team_id: str, user_id: str, new: NewItem) -> Responsibility:
    owner = ensure_member(rt, team_id=team_id, user_id=user_id)
    refuse_estimate(
        minutes=new.minutes, cadence=new.cadence, capacity=owner.capacity_minutes, whose="your"
    )

    def add(session: Session) -> Responsibility:
        item = add_item(
            session=session, team_id=team_id, owner_id=user_id, actor_id=user_id, new=new
        )
        outbox_store.enqueue_homes(session=session, team_id=team_id, user_ids=[user_id])
        return item

    return rt.transact(add)


def _change(
    rt: Runtime,
    *,
    team_id: str,
    user_id: str,
    item_id: int,
    apply: Callable[..., Responsibility],
) -> Responsibility:
    """One change to an existing item by `user_id`, who may act as its owner's manager;
    `apply` is `edit_item` or `retire_item` (with its own arguments bound)."""
    actor = ensure_member(rt, team_id=team_id, user_id=user_id)

    def change(session: Session) -> Responsibility:
        current = store.get(session=session, team_id=team_id, item_id=item_id)
        manages = _manages_owner(rt, session=session, actor=actor, item=current)
        item = apply(
            session=session, team_id=team_id, item_id=item_id, actor_id=user_id, may_manage=manages
        )
        outbox_store.enqueue_homes(
            session=session, team_id=team_id, user_ids=[user_id, item.owner_id]
        )
        return item

    return rt.transact(change)


def _manages_owner(
    rt: Runtime, *, session: Session, actor: Member, item: Responsibility | None
) -> bool:
    """Whether `actor` acts on `item` as its owner's manager of record, or as an admin."""
    owner = (
        member_store.get_member(session=session, team_id=item.team_id, user_id=item.owner_id)
        if item is not None
        else None
    )
    return owner is not None and may_manage(
        actor=actor, rep=owner, actor_is_admin=rt.is_admin(actor)
    )


def edit_own_item(
    rt: Runtime, *, team_id: str, user_id: str, item_id: int, form: NewItem
) -> Responsibility:
    edit = partial(
        edit_item,
        title=form.title,
        minutes=form.minutes,
        tier=form.tier,
        cadence=form.cadence,
        details=form.details,
    )
    return _change(rt, team_id=team_id, user_id=user_id, item_id=item_id, apply=edit)


def retire_own_item(rt: Runtime, *, team_id: str, user_id: str, item_id: int) -> Responsibility:
    return _change(rt, team_id=team_id, user_id=user_id, item_id=item_id, apply=retire_item)


def item_for_edit(rt: Runtime, *, team_id: str, actor_id: str, item_id: int) -> Responsibility:
    """The item to fill the edit form with, for someone who may change it (its owner, their
    manager of record, an admin): anyone else is refused before any of it is shown."""
    actor = ensure_member(rt, team_id=team_id, user_id=actor_id)

    def read(session: Session) -> Responsibility:
        current = store.get(session=session, team_id=team_id, item_id=item_id)
        manages = _manages_owner(rt, session=session, actor=actor, item=current)
        return _owned_item(
            session=session, team_id=team_id, item_id=item_id, actor_id=actor_id, may_manage=manages
        )

    return rt.transact(read)
