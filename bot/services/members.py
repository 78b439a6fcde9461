"""Who someone is: Slack's profile (users.info, refreshed daily) plus their AOR settings."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlmodel import Session

from bot.core.clock import is_valid_tz
from bot.core.errors import InvalidInput, NotAllowed, SlackUnavailable
from bot.core.logs import log_event
from bot.core.runtime import Runtime
from bot.delivery.client import slack_unavailable
from bot.rules.schedule import next_due
from storage import audit
from storage import members as store
from storage.enums import Role
from storage.models import Member
from storage.types import utcnow

logger = logging.getLogger(__name__)

REFRESH_AFTER = timedelta(days=1)


def ensure_member(
    rt: Runtime, *, team_id: str, user_id: str, client: WebClient | None = None
) -> Member:
    """The member for this user, read from Slack on first contact or when older than a day
    (with `client`, default the runtime's retrying one).

    Bots and deactivated accounts are refused: an AOR item needs a person to own it."""
    return ensure_members(rt, team_id=team_id, user_ids=[user_id], client=client)[0]


def ensure_members(
    rt: Runtime, *, team_id: str, user_ids: Sequence[str], client: WebClient | None = None
) -> list[Member]:
    """`ensure_member` for each of `user_ids`, in order: read together in one transaction,
    Slack asked only about those met for the first time or not for a day."""
    read = rt.transact(
        lambda session: store.get_members(session=session, team_id=team_id, user_ids=user_ids)
    )
    fresh: dict[str, Member] = {}
    for u in user_ids:
        if u not in fresh:  # a person asking for themself is one person
            fresh[u] = _fresh(rt, team_id=team_id, user_id=u, member=read.get(u), client=client)
    return [fresh[u] for u in user_ids]


def _fresh(
    rt: Runtime, *, team_id: str, user_id: str, member: Member | None, client: WebClient | None
) -> Member:
    if member is not None and utcnow() - member.refreshed_at < REFRESH_AFTER:
        return member
    try:
        user = (client or rt.client_for(team_id)).users_info(user=user_id)["user"]
    except (SlackClientError, OSError) as exc:
        if isinstance(exc, SlackApiError) and exc.response.get("error") == "user_not_found":
            raise InvalidInput(f"<@{user_id}> is not a member of this workspace.") from None
        if member is not None:  # Slack is unwell: yesterday's profile is good enough
            log_event(logger, "member.refresh_failed", logging.WARNING, team=team_id, user=user_id)
            return member
        if slack_unavailable(exc):
            raise SlackUnavailable() from None
        raise
    if user.get("is_bot") or user_id == "USLACKBOT":
        raise NotAllowed(f"<@{user_id}> is a bot: AOR work belongs to people.")
    if user.get("deleted"):
        raise NotAllowed(f"<@{user_id}> is deactivated in Slack.")
    tz = user.get("tz") or rt.settings.aor_default_tz
    now = utcnow()

    def save(session: Session) -> Member:
        saved, moved = store.save_profile(
            session=session,
            team_id=team_id,
            user_id=user_id,
            name=_display_name(user),
            tz=tz if is_valid_tz(tz) else rt.settings.aor_default_tz,
            is_slack_admin=bool(user.get("is_admin") or user.get("is_owner")),
            refreshed_at=now,
        )
        # Plan times are local: a new zone moves the next plan, unless an override pins it.
        if moved and saved.tz_override is None and saved.next_plan_at is not None:
            saved.next_plan_at = next_due(saved, after=now)
            session.add(saved)
        return saved

    member = rt.transact(save)
    log_event(logger, "member.refreshed", team=team_id, user=user_id)
    return member


def _display_name(user: dict[str, object]) -> str:
    profile = user.get("profile")
    names = [
        user.get("real_name"),
        profile.get("display_name") if isinstance(profile, dict) else None,
        user.get("name"),
    ]
    return next((str(n) for n in names if n), str(user.get("id", "")))


def set_manager(
    rt: Runtime, *, team_id: str, actor_id: str, rep_id: str, manager_id: str
) -> Member:
    """Record the rep's manager of record: the rep themself or an admin may, and it is audited."""
    actor = ensure_member(rt, team_id=team_id, user_id=actor_id)
    if actor_id != rep_id and not rt.is_admin(actor):
        raise NotAllowed("Only the rep themself or an admin can set a rep's manager of record.")
    if manager_id == rep_id:
        raise InvalidInput("A rep cannot be their own manager of record.")
    ensure_member(rt, team_id=team_id, user_id=rep_id)
    ensure_member(rt, team_id=team_id, user_id=manager_id)

    def record(session: Session) -> Member:
        rep = store.get_member(session=session, team_id=team_id, user_id=rep_id)
        manager = store.get_member(session=session, team_id=team_id, user_id=manager_id)
        assert rep is not None and manager is not None
        before = {"manager": rep.manager_id}
        rep.manager_id = manager_id
        if manager.role == Role.rep:
            manager.role = Role.manager
        session.add_all([rep, manager])
        audit.record(
            session=session,
            team_id=team_id,
            actor_id=actor_id,
            action="member.manager_set",
            subject_type="member",
            subject_id=rep_id,
            member_id=rep_id,
            before=before,
            after={"manager": manager_id},
        )
        return rep

    rep = rt.transact(record)
    log_event(logger, "member.manager_set", team=team_id, user=actor_id, rep=rep_id)
    return rep
