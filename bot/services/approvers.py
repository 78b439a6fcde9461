"""Who decides a request, and the limits on asking: the rep's manager of record, else an admin
of the bot; never the requester as such; at most a few requests waiting per requester and rep;
the same request never twice."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from sqlmodel import Session

from bot.core.clock import local_date
from bot.core.errors import AorError, Conflict, NotAllowed
from bot.core.ids import Block
from bot.core.logs import log_event
from bot.core.runtime import Runtime
from bot.core.text import TITLE_CHARS, clip, mention
from bot.render.words import plural
from bot.rules.access import REQUESTS_WAITING_PER_REP, delegate_of, is_out_of_office, may_decide
from bot.rules.titles import title_key
from bot.services.members import ensure_member
from storage import assignments as store
from storage import members as member_store
from storage.models import Assignment, Member
from storage.types import utcnow

logger = logging.getLogger(__name__)

# Admins tried, at most, when a rep has no manager of record (each is a users.info at most
# once a day): enough to step over a departed one without a long wait.
ADMINS_TRIED = 5


def display_name(member: Member | None, user_id: str) -> str:
    """How a refusal names someone: modal errors are plain text, so a name, not a mention."""
    return member.name if member is not None and member.name else mention(user_id)


def admin_candidates(
    rt: Runtime, *, team_id: str, rep_id: str, client: WebClient | None = None
) -> list[str]:
    """Who may decide for a rep without a manager of record, in order: AOR_ADMINS as the
    operator listed them, then the Slack admins and owners the bot knows, longest known first.
    Each is checked with Slack (once a day at most) until one is a person still here."""
    known = [
        m.user_id
        for m in rt.transact(
            lambda session: member_store.slack_admins(session=session, team_id=team_id)
        )
    ]
    ordered = [u for u in dict.fromkeys([*rt.settings.admin_ids, *known]) if u != rep_id]
    for user_id in ordered[:ADMINS_TRIED]:
        try:
            admin = ensure_member(rt, team_id=team_id, user_id=user_id, client=client)
        except AorError:  # not in the workspace, a bot, or deactivated
            log_event(logger, "admin.unusable", logging.WARNING, team=team_id, user=user_id)
            continue
        if rt.is_admin(admin):
            return [user_id]
    return []


def nobody_decides(rep: Member, requester_id: str) -> NotAllowed:
    if requester_id == rep.user_id:
        return NotAllowed(
            "You have no manager of record and this workspace has no admin of the bot to "
            "decide instead. Run `/aor set-manager @you @your-manager` first, then add the "
            "task again."
        )
    name = display_name(rep, rep.user_id)
    return NotAllowed(
        f"{name} has no manager of record and this workspace has no admin of the bot, so "
        f"nobody can decide this. Ask {name} to run `/aor set-manager @them @their-manager` "
        "first, then add the task again."
    )


def refuse_too_many(*, session: Session, rep: Member, requester_id: str, approver_id: str) -> None:
    """One person may keep at most REQUESTS_WAITING_PER_REP requests waiting for one rep."""
    waiting = [
        a
        for a in store.pending_for_rep(session=session, team_id=rep.team_id, rep_id=rep.user_id)
        if a.requested_by == requester_id
    ]
    if len(waiting) < REQUESTS_WAITING_PER_REP:
        return
    count = plural(len(waiting), "request")
    if requester_id == approver_id:
        raise Conflict(
            f"You already have {count} for {display_name(rep, rep.user_id)} waiting, and they are "
            "yours to decide: decide one (`/aor pending`) before asking for more."
        )
    approver = member_store.get_member(session=session, team_id=rep.team_id, user_id=approver_id)
    whose = (
        "of your own" if requester_id == rep.user_id else f"for {display_name(rep, rep.user_id)}"
    )
    raise Conflict(
        f"You already have {count} {whose} waiting: wait for a decision on one of them, "
        f"or ask {display_name(approver, approver_id)}, who decides them."
    )


def refuse_repeat(*, session: Session, team_id: str, rep_id: str, title: str) -> None:
    """The same request for the same rep is already waiting (a resubmitted form, a retyped
    command): a second one would only be a second decision about the same work."""
    key = title_key(title)
    for waiting in store.pending_for_rep(session=session, team_id=team_id, rep_id=rep_id):
        if title_key(waiting.title) == key:
            raise Conflict(
                f"*{clip(waiting.title, TITLE_CHARS)}* for {mention(rep_id)} is already waiting "
                f"on {mention(waiting.approver_id)}'s decision (request #{waiting.id}).",
                field=Block.title_text,
            )


def refuse_decider(
    *, session: Session, assignment: Assignment, actor_id: str, actor_is_admin: bool
) -> None:
    """The approver decides; while they are out of office, their delegate; an admin always."""
    approver_id = assignment.approver_id
    approver = member_store.get_member(
        session=session, team_id=assignment.team_id, user_id=approver_id
    )
    away, delegate = False, None
    if approver is not None:
        today = local_date(utcnow(), approver.effective_tz)
        away = is_out_of_office(approver, today=today)
        delegate = delegate_of(approver, today=today)
    delegate = assignment.delegate_id or delegate
    if may_decide(
        actor_id=actor_id,
        approver_id=approver_id,
        delegate_id=delegate,
        actor_is_admin=actor_is_admin,
    ):
        return
    who = mention(approver_id)
    if delegate:
        raise NotAllowed(
            f"Only {who}, {mention(delegate)} while {who} is out of office, or an admin can "
            "decide this request."
        )
    away_note = f"; {who} is out of office, so ask an admin" if away else ""
    raise NotAllowed(f"Only {who} (or an admin) can decide this request{away_note}.")
