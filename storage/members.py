"""Member queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, or_, select

from storage.models import Member

# The session's identity map holds objects weakly: a member read early in a unit of work and
# no longer referenced would be read again by the next `get_member`. Kept here, each member
# is read once per unit of work.
_KEPT = "aor_members_read"


def _keep(session: Session, member: Member | None) -> Member | None:
    if member is not None:
        session.info.setdefault(_KEPT, []).append(member)
    return member


def get_member(
    *, session: Session, team_id: str, user_id: str, for_update: bool = False
) -> Member | None:
    """`for_update` locks the row until the transaction ends (PostgreSQL; SQLite's write
    transactions are serial anyway)."""
    return _keep(session, session.get(Member, (team_id, user_id), with_for_update=for_update))


def get_members(*, session: Session, team_id: str, user_ids: Sequence[str]) -> dict[str, Member]:
    if not user_ids:
        return {}
    rows = session.exec(
        select(Member).where(Member.team_id == team_id, col(Member.user_id).in_(user_ids))
    )
    return {m.user_id: m for m in rows}


def save_profile(
    *,
    session: Session,
    team_id: str,
    user_id: str,
    name: str,
    tz: str,
    is_slack_admin: bool,
    refreshed_at: datetime,
) -> tuple[Member, bool]:
    """Insert or refresh what Slack tells us about a person; AOR settings stay as they were.
    Also says whether an existing member's time zone changed (the row stays locked)."""
    member = session.get(Member, (team_id, user_id), with_for_update=True)
    moved = member is not None and member.tz != tz
    if member is None:
        try:
            # Two first requests from one person can race to insert the same row.
            with session.begin_nested():
                member = Member(team_id=team_id, user_id=user_id)
                session.add(member)
                session.flush()
        except IntegrityError:
            member = session.get(Member, (team_id, user_id), with_for_update=True)
            assert member is not None
    member.name = name
    member.tz = tz
    member.is_slack_admin = is_slack_admin
    member.refreshed_at = refreshed_at
    session.add(member)
    session.flush()
    return member, moved


def reports_of(*, session: Session, team_id: str, manager_id: str) -> list[Member]:
    return with_reports(session=session, team_id=team_id, user_ids=[manager_id])[1][manager_id]


def with_reports(
    *, session: Session, team_id: str, user_ids: Sequence[str]
) -> tuple[dict[str, Member], dict[str, list[Member]]]:
    """These members, and each one's reports of record by name, in one read (the App Homes
    of a unit of work: its people are often in the identity map already, their reports not)."""
    found: dict[str, Member] = {}
    reports: dict[str, list[Member]] = {user: [] for user in user_ids}
    rows = session.exec(
        select(Member)
        .where(
            Member.team_id == team_id,
            or_(col(Member.user_id).in_(user_ids), col(Member.manager_id).in_(user_ids)),
        )
        .order_by(col(Member.name))
    )
    for member in rows:
        if member.user_id in reports:
            found[member.user_id] = member
        if member.manager_id in reports:
            reports[member.manager_id].append(member)
    return found, reports


def slack_admins(*, session: Session, team_id: str) -> list[Member]:
    """The workspace's Slack admins and owners the bot knows, longest known first."""
    return list(
        session.exec(
            select(Member)
            .where(Member.team_id == team_id, col(Member.is_slack_admin).is_(True))
            .order_by(col(Member.created_at), col(Member.user_id))
        )
    )
