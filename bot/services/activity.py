"""A workspace's activity table (words -> suggested tier): read it, suggest from it, and
replace it (admins, through `aor tier-words`)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from bot.rules.activity import DEFAULT_TIER_WORDS, Suggestion, suggest_tier
from storage import tier_words
from storage.enums import Tier


def activity_table(*, session: Session, team_id: str) -> Sequence[tuple[str, Tier]]:
    """The workspace's own table, else the method's."""
    return tier_words.table_of(session=session, team_id=team_id) or DEFAULT_TIER_WORDS


def suggestion_for(*, session: Session, team_id: str, title: str) -> Suggestion | None:
    return suggest_tier(title, activity_table(session=session, team_id=team_id))


def edit_table(
    *,
    session: Session,
    team_id: str,
    add: Sequence[tuple[str, Tier]] = (),
    remove: Sequence[str] = (),
    reset: bool = False,
) -> Sequence[tuple[str, Tier]]:
    """The table after setting `add` (a phrase already there takes the new tier in its place,
    a new one goes last) and dropping `remove`; `reset` goes back to the method's table."""
    if reset:
        tier_words.replace_table(session=session, team_id=team_id, table=())
        return DEFAULT_TIER_WORDS
    table = dict(
        (p.casefold(), (p, t)) for p, t in activity_table(session=session, team_id=team_id)
    )
    for phrase, tier in add:
        table[phrase.casefold()] = (phrase, tier)
    unknown = [p for p in remove if p.casefold() not in table]
    if unknown:
        raise KeyError(unknown[0])
    for phrase in remove:
        del table[phrase.casefold()]
    rows = list(table.values())
    tier_words.replace_table(session=session, team_id=team_id, table=rows)
    return rows or DEFAULT_TIER_WORDS
