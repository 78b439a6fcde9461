"""Who may see or act on whose AOR, and who decides the work handed to a rep (DESIGN "Roles
and authorization")."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.core.errors import NotAllowed
from bot.core.text import mention
from storage.models import Member

# How many requests one person may have waiting for one rep: more is pressure, not planning.
REQUESTS_WAITING_PER_REP = 5


def may_manage(*, actor: Member, rep: Member, actor_is_admin: bool) -> bool:
    """The rep's manager of record and admins act on a rep's AOR as well as the rep."""
    return actor_is_admin or rep.manager_id == actor.user_id


def require_view(*, actor: Member, rep: Member, actor_is_admin: bool) -> None:
    if actor.user_id == rep.user_id or may_manage(
        actor=actor, rep=rep, actor_is_admin=actor_is_admin
    ):
        return
    raise NotAllowed(
        f"Only {mention(rep.user_id)}, their manager of record or an admin can see that."
    )


def pick_approver(
    *, rep: Member, requester_id: str, requester_is_admin: bool, admin_ids: Sequence[str]
) -> str | None:
    """Who decides a request for `rep`: their manager of record; without one, an admin. An
    admin asking decides it themself (they may decide any request); anyone else's request goes
    to the first of `admin_ids` (AOR_ADMINS in the operator's order, then the Slack admins the
    bot knows, longest known first). Never the rep, never a requester who is neither. None
    when nobody can decide it."""
    if rep.manager_id:
        return rep.manager_id
    if requester_is_admin and requester_id != rep.user_id:
        return requester_id
    return next((a for a in admin_ids if a != rep.user_id), None)


def is_out_of_office(member: Member, *, today: date) -> bool:
    """`ooo_until` is the first day back."""
    return member.ooo_until is not None and today < member.ooo_until


def delegate_of(approver: Member, *, today: date) -> str | None:
    """Who decides for an approver while they are out of office: their own manager of record
    (admins, the other delegates, may decide any request anyway)."""
    if is_out_of_office(approver, today=today) and approver.manager_id:
        return approver.manager_id
    return None


def may_decide(
    *, actor_id: str, approver_id: str, delegate_id: str | None, actor_is_admin: bool
) -> bool:
    """A request is decided by its approver, their delegate while they are away, or an admin;
    a requester only ever decides because they are one of these."""
    return actor_is_admin or actor_id in (approver_id, delegate_id)


def holder_of(
    approver: Member, *, today: date, admin_ids: Sequence[str], rep_id: str
) -> str | None:
    """Who holds an approver's requests while they are out of office: their own manager of
    record, else the first admin who is neither them nor the rep. None while they are in (or
    when nobody could hold them)."""
    if not is_out_of_office(approver, today=today):
        return None
    if approver.manager_id and approver.manager_id != rep_id:
        return approver.manager_id
    return next((a for a in admin_ids if a not in (approver.user_id, rep_id)), None)
