"""AOR items (responsibilities): one owner each, unique active title per workspace."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.enums import Cadence, ItemStatus, Origin, Tier
from storage.models import Responsibility


class DuplicateTitle(Exception):
    """An active item with the same normalised title exists in the workspace."""

    def __init__(self, existing: Responsibility | None) -> None:
        super().__init__("duplicate active title")
        self.existing = existing


def active_with_title(*, session: Session, team_id: str, title_key: str) -> Responsibility | None:
    return session.exec(
        select(Responsibility).where(
            Responsibility.team_id == team_id,
            Responsibility.title_key == title_key,
            Responsibility.status == ItemStatus.active,
        )
    ).first()


def insert(*, session: Session, item: Responsibility) -> Responsibility:
    """Add an item; the partial unique index is the final word on one owner per title,
    even when two requests race past any check made before."""
    existing = active_with_title(session=session, team_id=item.team_id, title_key=item.title_key)
    if existing is not None:
        raise DuplicateTitle(existing)
    try:
        with session.begin_nested():
            session.add(item)
            session.flush()
    except IntegrityError:
        raise DuplicateTitle(
            active_with_title(session=session, team_id=item.team_id, title_key=item.title_key)
        ) from None
    return item


def get(*, session: Session, team_id: str, item_id: int) -> Responsibility | None:
    item = session.get(Responsibility, item_id)
    return item if item is not None and item.team_id == team_id else None


def active_for(*, session: Session, team_id: str, owner_id: str) -> list[Responsibility]:
    return list(
        session.exec(
            select(Responsibility)
            .where(
                Responsibility.team_id == team_id,
                Responsibility.owner_id == owner_id,
                Responsibility.status == ItemStatus.active,
            )
            .order_by(col(Responsibility.id))
        )
    )


class ActiveItem(NamedTuple):
    """An active item's values as shown (no ORM entity: a manager's Home reads a few hundred)."""

    id: int
    owner_id: str
    title: str
    tier: Tier
    minutes: int
    cadence: Cadence
    due: date | None
    origin: Origin
    requested_by: str | None
    created_at: datetime


_ACTIVE_COLUMNS = [Responsibility.__table__.c[name] for name in ActiveItem._fields]  # type: ignore[attr-defined]


def active_for_many(
    *, session: Session, team_id: str, owner_ids: Sequence[str]
) -> dict[str, list[ActiveItem]]:
    found: dict[str, list[ActiveItem]] = {owner: [] for owner in owner_ids}
    if not owner_ids:
        return found
    rows = session.execute(
        select(*_ACTIVE_COLUMNS)
        .where(
            col(Responsibility.team_id) == team_id,
            col(Responsibility.owner_id).in_(owner_ids),
            col(Responsibility.status) == ItemStatus.active,
        )
        .order_by(col(Responsibility.id))
    )
    for row in rows:
        item = ActiveItem._make(row)
        found[item.owner_id].append(item)
    return found
