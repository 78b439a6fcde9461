"""Positions and their versions: each save is a new version row, earlier ones kept."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, or_, select

from storage.memo import remembered
from storage.models import Member, Position, PositionVersion


class DuplicatePosition(Exception):
    """Another position of the workspace already has that title."""


def get(*, session: Session, team_id: str, position_id: int) -> Position | None:
    position = session.get(Position, position_id)
    return position if position is not None and position.team_id == team_id else None


def by_title(*, session: Session, team_id: str, title_key: str) -> Position | None:
    return session.exec(
        select(Position).where(Position.team_id == team_id, Position.title_key == title_key)
    ).first()


def default_of(*, session: Session, team_id: str) -> Position | None:
    return remembered(
        session,
        ("default_position", team_id),
        lambda: session.exec(
            select(Position).where(Position.team_id == team_id, col(Position.is_default))
        ).first(),
    )


def all_of(*, session: Session, team_id: str) -> list[Position]:
    return list(
        session.exec(
            select(Position).where(Position.team_id == team_id).order_by(col(Position.title_key))
        )
    )


def current(*, session: Session, position: Position) -> PositionVersion:
    return remembered(
        session,
        ("position_version", position.id, position.version),
        lambda: session.exec(
            select(PositionVersion).where(
                PositionVersion.position_id == position.id,
                PositionVersion.version == position.version,
            )
        ).one(),
    )


def add(
    *,
    session: Session,
    team_id: str,
    title: str,
    title_key: str,
    content: dict[str, Any],
    actor_id: str,
    is_default: bool = False,
) -> Position:
    """A new position at version 1; raises DuplicatePosition when the title is taken (also
    when another transaction took it first: the insert is its own savepoint)."""
    if by_title(session=session, team_id=team_id, title_key=title_key) is not None:
        raise DuplicatePosition()
    position = Position(team_id=team_id, title=title, title_key=title_key, is_default=is_default)
    try:
        with session.begin_nested():
            session.add(position)
            session.flush()
            session.add(
                PositionVersion(
                    position_id=position.id or 0, version=1, content=content, created_by=actor_id
                )
            )
            session.flush()
    except IntegrityError:
        raise DuplicatePosition() from None
    return position


def add_version(
    *,
    session: Session,
    position: Position,
    title: str,
    title_key: str,
    content: dict[str, Any],
    actor_id: str,
) -> PositionVersion:
    """The position's next version, now its current one. Two saves at once cannot both be
    version N+1 (unique key): the later one fails and is retried on the fresh row."""
    if title_key != position.title_key:
        taken = by_title(session=session, team_id=position.team_id, title_key=title_key)
        if taken is not None:
            raise DuplicatePosition()
    position.version += 1
    position.title, position.title_key = title, title_key
    session.add(position)
    version = PositionVersion(
        position_id=position.id or 0,
        version=position.version,
        content=content,
        created_by=actor_id,
    )
    session.add(version)
    session.flush()
    return version


def holders(*, session: Session, position: Position) -> list[str]:
    """Who has this position (the default one: also everyone with none of their own)."""
    held = col(Member.position_id) == position.id
    if position.is_default:
        held = or_(held, col(Member.position_id).is_(None))
    rows = session.exec(select(Member.user_id).where(Member.team_id == position.team_id, held))
    return list(rows)
