"""A member's position as shown (read at send time and by the services): their own, else
the workspace's default, else the method's default not yet saved (reads never write)."""

from __future__ import annotations

from sqlmodel import Session

from bot.render.position import PositionView
from bot.rules.positions import DEFAULT_POSITION, content_of
from storage import positions as store
from storage import reports as report_store
from storage.models import Member, Position


def view_of_position(*, session: Session, position: Position | None, team_id: str) -> PositionView:
    target = report_store.selling_target_pct(session=session, team_id=team_id)
    if position is None:
        return PositionView(
            id=None,
            title=DEFAULT_POSITION.title,
            version=1,
            content=DEFAULT_POSITION,
            selling_target_pct=target,
        )
    version = store.current(session=session, position=position)
    return PositionView(
        id=position.id,
        title=position.title,
        version=position.version,
        content=content_of(version.content),
        selling_target_pct=target,
        is_default=position.is_default,
    )


def position_record(*, session: Session, member: Member) -> Position | None:
    """The member's stored position (None: the method's default, never saved here)."""
    if member.position_id is not None:
        own = store.get(session=session, team_id=member.team_id, position_id=member.position_id)
        if own is not None:
            return own
    return store.default_of(session=session, team_id=member.team_id)


def gather_position(*, session: Session, member: Member) -> PositionView:
    position = position_record(session=session, member=member)
    return view_of_position(session=session, position=position, team_id=member.team_id)
