"""Who may see or act on whose AOR."""

from __future__ import annotations

from bot.core.errors import NotAllowed
from bot.core.text import mention
from storage.models import Member


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
