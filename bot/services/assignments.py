"""Assignments: a project handed to a rep, decided once by someone accountable.

Each public function is one user action: one transaction that writes the change, its audit
events and the outbox entries for the DMs it causes. Sending happens after the commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from bot.core.errors import Conflict, NotAllowed, NotFound
from bot.core.ids import Block
from bot.core.runtime import Runtime
from bot.core.text import TITLE_CHARS, clip, mention, slack_date
from bot.render.assignment import (
    build_approval_message,
    build_rep_message,
    created_text,
    decided_text,
    view_of,
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


def choose_approver(*, rep: Member, requester_id: str) -> str:
    """The rep's manager of record; failing that, whoever asked, unless it is the rep."""
    if rep.manager_id:
        return rep.manager_id
    if requester_id != rep.user_id:
        return requester_id
    raise NotAllowed(
        "You have no manager of record to decide this. Run "
        "`/aor set-manager @you @your-manager` first, then add the task again."
    )


def create_assignment(
    rt: Runtime, *, team_id: str, requester_id: str, task: TaskRequest, quick: bool = False
) -> Assignment:
    """A pending assignment, its audit event, and DMs to the approver and the rep (queued
    with it, delivered once it commits). `quick` when a modal waits for the answer: Slack is
    asked once, briefly."""
    client = rt.quick_client if quick else rt.client
    ensure_member(rt, team_id=team_id, user_id=requester_id, client=client)
    ensure_member(rt, team_id=team_id, user_id=task.rep_id, client=client)
    with rt.db.transaction() as session:
        rep = member_store.get_member(session=session, team_id=team_id, user_id=task.rep_id)
        assert rep is not None  # ensure_member just wrote it
        approver_id = choose_approver(rep=rep, requester_id=requester_id)
        refuse_taken_title(session=session, team_id=team_id, title=task.title)
        refuse_repeat(session=session, team_id=team_id, rep_id=task.rep_id, title=task.title)
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
    """What the requester is told: honestly, whether the approver has the request's DM."""
    with rt.db.transaction() as session:
        state = outbox.delivery_state(
            session=session,
            team_id=assignment.team_id,
            message_key=approval_key(assignment.id or 0),
        )
    return created_text(view_of(assignment), state)


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
        if actor_id != assignment.approver_id and not actor_admin:
            raise NotAllowed(
                f"Only {mention(assignment.approver_id)} (or an admin) can decide this request."
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


def decided_reply(rt: Runtime, assignment: Assignment, *, in_list: bool) -> str | None:
    """What the person who just decided is told, honestly: whether the approval message now
    shows the outcome (`decide` has tried the update by the time it returns); `in_list` when
    they clicked in a list that is not that message (`/aor pending`)."""
    with rt.db.transaction() as session:
        update = outbox.update_state(
            session=session,
            team_id=assignment.team_id,
            message_key=approval_key(assignment.id or 0),
        )
    return decided_text(view_of(assignment), update, in_list=in_list)


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
