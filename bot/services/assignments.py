"""Assignments: a project handed to a rep, decided once by someone accountable.

Each public function is one user action: one transaction that writes the change, its audit
events and the outbox entries for the DMs it causes. Sending happens after the commit."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from slack_sdk import WebClient
from sqlmodel import Session

from bot.core.clock import local_date
from bot.core.errors import AorError, Conflict, NotAllowed, NotFound
from bot.core.ids import Block
from bot.core.logs import log_event
from bot.core.runtime import Runtime
from bot.core.text import TITLE_CHARS, clip, mention, slack_date
from bot.render.assignment import (
    ApproverRoute,
    build_approval_message,
    build_rep_message,
    created_text,
    view_of,
)
from bot.rules.access import (
    REQUESTS_WAITING_PER_REP,
    delegate_of,
    is_out_of_office,
    may_decide,
    pick_approver,
)
from bot.rules.capacity import impact, load_of
from bot.rules.tiers import DECISION_TIER
from bot.rules.titles import title_key
from bot.services.items import NewItem, add_item, refuse_taken_title
from bot.services.members import ensure_member
from storage import assignments as store
from storage import audit, outbox
from storage import items as item_store
from storage import members as member_store
from storage.enums import AssignmentStatus, Cadence, Decision, Origin
from storage.models import Assignment, Member
from storage.types import utcnow

logger = logging.getLogger(__name__)

# Admins tried, at most, when a rep has no manager of record (each is a users.info at most
# once a day): enough to step over a departed one without a long wait.
ADMINS_TRIED = 5

DECISION_STATUS: dict[Decision, AssignmentStatus] = {
    Decision.join_first: AssignmentStatus.joined,
    Decision.join_second: AssignmentStatus.joined,
    Decision.one_off: AssignmentStatus.one_off,
    Decision.decline: AssignmentStatus.declined,
}


@dataclass(frozen=True)
class TaskRequest:
    rep_id: str
    title: str
    minutes: int
    cadence: Cadence
    due: date | None = None
    details: str = ""


def approval_key(assignment_id: int) -> str:
    return f"assignment:{assignment_id}:approver"


def rep_key(assignment_id: int) -> str:
    return f"assignment:{assignment_id}:rep"


def _name(member: Member | None, user_id: str) -> str:
    """How a refusal names someone: modal errors are plain text, so a name, not a mention."""
    return member.name if member is not None and member.name else mention(user_id)


def admin_candidates(
    rt: Runtime, *, team_id: str, rep_id: str, client: WebClient | None = None
) -> list[str]:
    """Who may decide for a rep without a manager of record, in order: AOR_ADMINS as the
    operator listed them, then the Slack admins and owners the bot knows, longest known first.
    Each is checked with Slack (once a day at most) until one is a person still here."""
    with rt.db.transaction() as session:
        known = [m.user_id for m in member_store.slack_admins(session=session, team_id=team_id)]
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


def _nobody_decides(rep: Member, requester_id: str) -> NotAllowed:
    if requester_id == rep.user_id:
        return NotAllowed(
            "You have no manager of record and this workspace has no admin of the bot to "
            "decide instead. Run `/aor set-manager @you @your-manager` first, then add the "
            "task again."
        )
    name = _name(rep, rep.user_id)
    return NotAllowed(
        f"{name} has no manager of record and this workspace has no admin of the bot, so "
        f"nobody can decide this. Ask {name} to run `/aor set-manager @them @their-manager` "
        "first, then add the task again."
    )


def create_assignment(
    rt: Runtime, *, team_id: str, requester_id: str, task: TaskRequest, quick: bool = False
) -> Assignment:
    """A pending assignment, its audit event, and DMs to the approver and the rep (queued
    with it, delivered once it commits). `quick` when a modal waits for the answer: Slack is
    asked once, briefly."""
    client = rt.quick_client if quick else rt.client
    requester = ensure_member(rt, team_id=team_id, user_id=requester_id, client=client)
    rep = ensure_member(rt, team_id=team_id, user_id=task.rep_id, client=client)
    requester_admin = rt.is_admin(requester)
    decides_it = requester_admin and requester_id != task.rep_id  # see pick_approver
    admins = (
        []
        if rep.manager_id or decides_it
        else admin_candidates(rt, team_id=team_id, rep_id=task.rep_id, client=client)
    )
    with rt.db.transaction() as session:
        # Locked: requests for one rep are counted and checked for repeats one at a time.
        locked = member_store.get_member(
            session=session, team_id=team_id, user_id=task.rep_id, for_update=True
        )
        assert locked is not None  # ensure_member just wrote it
        rep = locked
        approver_id = pick_approver(
            rep=rep,
            requester_id=requester_id,
            requester_is_admin=requester_admin,
            admin_ids=admins,
        )
        if approver_id is None:
            raise _nobody_decides(rep, requester_id)
        refuse_taken_title(session=session, team_id=team_id, title=task.title)
        refuse_repeat(session=session, team_id=team_id, rep_id=task.rep_id, title=task.title)
        refuse_too_many(
            session=session, rep=rep, requester_id=requester_id, approver_id=approver_id
        )
        assignment = store.add(
            session=session,
            assignment=Assignment(
                team_id=team_id,
                requested_by=requester_id,
                approver_id=approver_id,
                rep_id=task.rep_id,
                title=task.title,
                details=task.details,
                minutes=task.minutes,
                cadence=task.cadence,
                due=task.due,
            ),
        )
        audit.record(
            session=session,
            team_id=team_id,
            actor_id=requester_id,
            action="assignment.created",
            subject_type="assignment",
            subject_id=assignment.id or 0,
            member_id=task.rep_id,
            after=_snapshot(assignment),
        )
        _enqueue_messages(session=session, assignment=assignment, rep=rep)
        outbox.enqueue_homes(session=session, team_id=team_id, user_ids=[approver_id, rep.user_id])
    return assignment


def created_reply(rt: Runtime, assignment: Assignment) -> str:
    """What the requester is told: who decides and why, and honestly whether the approver
    has the request's DM."""
    with rt.db.transaction() as session:
        state = outbox.delivery_state(
            session=session,
            team_id=assignment.team_id,
            message_key=approval_key(assignment.id or 0),
        )
        rep = member_store.get_member(
            session=session, team_id=assignment.team_id, user_id=assignment.rep_id
        )
    manages = rep is not None and rep.manager_id == assignment.approver_id
    route = ApproverRoute.manager if manages else ApproverRoute.admin
    return created_text(view_of(assignment), state, route=route)


def refuse_too_many(*, session: Session, rep: Member, requester_id: str, approver_id: str) -> None:
    """One person may keep at most REQUESTS_WAITING_PER_REP requests waiting for one rep."""
    waiting = [
        a
        for a in store.pending_for_rep(session=session, team_id=rep.team_id, rep_id=rep.user_id)
        if a.requested_by == requester_id
    ]
    if len(waiting) < REQUESTS_WAITING_PER_REP:
        return
    count = f"{len(waiting)} requests"
    if requester_id == approver_id:
        raise Conflict(
            f"You already have {count} for {_name(rep, rep.user_id)} waiting, and they are "
            "yours to decide: decide one (`/aor pending`) before asking for more."
        )
    approver = member_store.get_member(session=session, team_id=rep.team_id, user_id=approver_id)
    whose = "of your own" if requester_id == rep.user_id else f"for {_name(rep, rep.user_id)}"
    raise Conflict(
        f"You already have {count} {whose} waiting: wait for a decision on one of them, "
        f"or ask {_name(approver, approver_id)}, who decides them."
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


def decide(
    rt: Runtime,
    *,
    team_id: str,
    actor_id: str,
    assignment_id: int,
    decision: Decision,
    note: str | None,
) -> Assignment:
    """The approver's (or an admin's) decision: exactly one wins, whatever the clicks."""
    actor = ensure_member(rt, team_id=team_id, user_id=actor_id)
    actor_admin = rt.is_admin(actor)
    note = (note or "").strip()[:500] or None
    with rt.db.transaction() as session:
        assignment = store.get(session=session, team_id=team_id, assignment_id=assignment_id)
        if assignment is None:
            raise NotFound("That request no longer exists.")
        refuse_decider(
            session=session, assignment=assignment, actor_id=actor_id, actor_is_admin=actor_admin
        )
        status, tier = DECISION_STATUS[decision], DECISION_TIER[decision]
        before = _snapshot(assignment)
        won = store.record_decision(
            session=session,
            team_id=team_id,
            assignment_id=assignment_id,
            status=status,
            decided_by=actor_id,
            decided_at=utcnow(),
            tier=tier,
            note=note,
        )
        assignment = store.get(session=session, team_id=team_id, assignment_id=assignment_id)
        assert assignment is not None
        if not won:
            raise _already_decided(assignment)
        if tier is not None:
            add_item(
                session=session,
                team_id=team_id,
                owner_id=assignment.rep_id,
                actor_id=actor_id,
                new=NewItem(
                    title=assignment.title,
                    minutes=assignment.minutes,
                    tier=tier,
                    cadence=Cadence.once if decision == Decision.one_off else assignment.cadence,
                    details=assignment.details,
                    due=assignment.due,
                    origin=Origin.assignment,
                    assignment_id=assignment.id,
                    requested_by=assignment.requested_by,
                ),
            )
        audit.record(
            session=session,
            team_id=team_id,
            actor_id=actor_id,
            action=f"assignment.{status}",
            subject_type="assignment",
            subject_id=assignment_id,
            member_id=assignment.rep_id,
            before=before,
            after=_snapshot(assignment),
        )
        rep = member_store.get_member(session=session, team_id=team_id, user_id=assignment.rep_id)
        assert rep is not None
        _enqueue_messages(session=session, assignment=assignment, rep=rep)
        outbox.enqueue_homes(
            session=session, team_id=team_id, user_ids=[assignment.approver_id, rep.user_id]
        )
    return assignment


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


def _already_decided(assignment: Assignment) -> Conflict:
    when = f" {slack_date(assignment.decided_at)}" if assignment.decided_at else ""
    who = mention(assignment.decided_by) if assignment.decided_by else "someone"
    return Conflict(f"Already decided by {who}{when}: {assignment.status.replace('_', '-')}.")


def _enqueue_messages(*, session: Session, assignment: Assignment, rep: Member) -> None:
    """Both DMs, rendered from the current state; later entries update the same messages."""
    workdays = len(rep.workday_set)
    items = item_store.active_for(session=session, team_id=rep.team_id, owner_id=rep.user_id)
    view = view_of(assignment)
    # The impact as it stood before the decision: without the item the decision may have added.
    before = load_of(
        (i for i in items if i.assignment_id != assignment.id),
        capacity=rep.capacity_minutes,
        workdays=workdays,
    )
    after = impact(
        before, minutes=assignment.minutes, cadence=assignment.cadence, workdays=workdays
    )
    entries = [
        (
            assignment.approver_id,
            approval_key(view.id),
            build_approval_message(view, before=before, after=after),
        ),
        (assignment.rep_id, rep_key(view.id), build_rep_message(view)),
    ]
    for user_id, key, payload in entries:
        outbox.enqueue(
            session=session,
            team_id=assignment.team_id,
            user_id=user_id,
            payload=payload,
            message_key=key,
        )


def _snapshot(a: Assignment) -> dict[str, object]:
    return {
        "title": a.title,
        "rep": a.rep_id,
        "requested_by": a.requested_by,
        "approver": a.approver_id,
        "minutes": a.minutes,
        "cadence": str(a.cadence),
        "due": a.due.isoformat() if a.due else None,
        "status": str(a.status),
        "tier": str(a.tier) if a.tier else None,
        "note": a.note,
    }
