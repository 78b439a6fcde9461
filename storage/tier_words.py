"""A workspace's activity table (words -> suggested tier), read and replaced whole."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, delete, select

from storage.enums import Tier
from storage.models import TierWord


def table_of(*, session: Session, team_id: str) -> list[tuple[str, Tier]] | None:
    """The workspace's own table in its order, or None when it has none (use the default)."""
    rows = session.exec(
        select(TierWord).where(TierWord.team_id == team_id).order_by(col(TierWord.rank))
    ).all()
    return [(r.phrase, Tier(r.tier)) for r in rows] or None


def replace_table(*, session: Session, team_id: str, table: Sequence[tuple[str, Tier]]) -> None:
    """The workspace's table becomes `table` (its phrases already checked and distinct)."""
    session.exec(delete(TierWord).where(col(TierWord.team_id) == team_id))
    session.add_all(
        TierWord(team_id=team_id, phrase=phrase, tier=tier, rank=rank)
        for rank, (phrase, tier) in enumerate(table)
    )
    session.flush()
