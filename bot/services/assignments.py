"""Assignments: a project handed to a rep, decided once by someone accountable.

Each public function is one user action: one transaction that writes the change, its audit
events and the outbox entries for the DMs it causes. Sending happens after the commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from bot.core.errors import Conflict, NotFound
from bot.core.runtime import Runtime
from bot.core.text import mention, slack_date
from bot.rules.access import (
    pick_approver,
)
from bot.rules.capacity import refuse_estimate
from bot.rules.tiers import DECISION_TIER
from bot.services.approvers import (
    admin_candidates,
    display_name,
    nobody_decides,
    refuse_decider,
    refuse_repeat,
    refuse_too_many,
)
from bot.services.items import NewItem, add_item, refuse_taken_title
from bot.services.members import ensure_member, ensure_members
from bot.services.request_messages import enqueue_messages
from bot.services.routing import route_new
from storage import assignments as store
from storage import audit, outbox
from storage import members as member_store
from storage.enums import AssignmentStatus, Cadence, Decision, Origin, Tier
from storage.models import Assignment
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


def create_assignment(
    rt: Runtime, *, team_id: str, requester_id: str, task: TaskRequest, quick: bool = False
) -> Assignment:
    """A pending assignment, its audit event, and DMs to the approver and the rep (queued
    with it, delivered once it commits). `quick` when a modal waits for the answer: Slack is
    asked once, briefly."""
    client = rt.client_for(team_id, quick=quick)
    requester, rep = ensure_members(
        rt, team_id=team_id, user_ids=[requester_id, task.rep_id], client=client
    )
    requester_admin = rt.is_admin(requester)
    decides_it = requester_admin and requester_id != task.rep_id  # see pick_approver
    admins = (
        []
        if rep.manager_id or decides_it
        else admin_candidates(rt, team_id=team_id, rep_id=task.rep_id, client=client)
    )

    def create(session: Session) -> Assignment:
        # Locked: requests for one rep are counted and checked for repeats one at a time.
        rep = member_store.get_member(
            session=session, team_id=team_id, user_id=task.rep_id, for_update=True
        )
        assert rep is not None  # ensure_member just wrote it
        approver_id = pick_approver(
            rep=rep,
            requester_id=requester_id,
            requester_is_admin=requester_admin,
            admin_ids=admins,
        )
        if approver_id is None:
            raise nobody_decides(rep, requester_id)
        refuse_estimate(
            minutes=task.minutes,
            cadence=task.cadence,
            capacity=rep.capacity_minutes,
            whose="your" if requester_id == rep.user_id else f"{display_name(rep, rep.user_id)}'s",
        )
        refuse_taken_title(session=session, team_id=team_id, title=task.title)
        refuse_repeat(session=session, team_id=team_id, rep_id=task.rep_id, title=task.title)
        refuse_too_many(
            session=session, rep=rep, requester_id=requester_id, approver_id=approver_id
        )
        delegate, first_reminder = route_new(
            rt,
            session=session,
            team_id=team_id,
            approver_id=approver_id,
            rep_id=task.rep_id,
            now=utcnow(),
        )
        assignment = store.add(
            session=session,
            assignment=Assignment(
                delegate_id=delegate,
                next_reminder_at=first_reminder,
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
            after=snapshot(assignment),
        )
        enqueue_messages(session=session, assignment=assignment, rep=rep)
        outbox.enqueue_homes(session=session, team_id=team_id, user_ids=viewers(assignment))
        return assignment

    return rt.transact(create)


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

    def record(session: Session) -> Assignment:
        assignment = store.get(session=session, team_id=team_id, assignment_id=assignment_id)
        if assignment is None:
            raise NotFound("That request no longer exists.")
        refuse_decider(
            session=session, assignment=assignment, actor_id=actor_id, actor_is_admin=actor_admin
        )
        status, tier = DECISION_STATUS[decision], DECISION_TIER[decision]
        before = snapshot(assignment)
        assignment = settle(
            session, assignment=assignment, actor_id=actor_id, status=status, tier=tier, note=note
        )
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
        announce(session, assignment=assignment, actor_id=actor_id, before=before)
        return assignment

    return rt.transact(record)


def settle(
    session: Session,
    *,
    assignment: Assignment,
    actor_id: str,
    status: AssignmentStatus,
    tier: Tier | None = None,
    note: str | None = None,
) -> Assignment:
    """The request's outcome, if it is still pending: the conditional UPDATE decides which of
    racing clicks (a decision, a withdrawal) wins. Conflict for the others."""
    won = store.record_decision(
        session=session,
        team_id=assignment.team_id,
        assignment_id=assignment.id or 0,
        status=status,
        decided_by=actor_id,
        decided_at=utcnow(),
        tier=tier,
        note=note,
    )
    settled = store.get(
        session=session, team_id=assignment.team_id, assignment_id=assignment.id or 0
    )
    assert settled is not None
    if not won:
        raise already_decided(settled, reader=actor_id)
    return settled


def announce(
    session: Session,
    *,
    assignment: Assignment,
    actor_id: str,
    before: dict[str, object],
    action: str | None = None,
    homes: Sequence[str] = (),
    former_delegate: str | None = None,
) -> None:
    """A changed request's audit event (`action`, by default its new status), every DM that
    shows it, and the App Homes of `homes` (by default everyone whose Home lists it)."""
    audit.record(
        session=session,
        team_id=assignment.team_id,
        actor_id=actor_id,
        action=action or f"assignment.{assignment.status}",
        subject_type="assignment",
        subject_id=assignment.id or 0,
        member_id=assignment.rep_id,
        before=before,
        after=snapshot(assignment),
    )
    rep = member_store.get_member(
        session=session, team_id=assignment.team_id, user_id=assignment.rep_id
    )
    assert rep is not None  # a request is only made for a member the bot knows
    enqueue_messages(
        session=session, assignment=assignment, rep=rep, former_delegate=former_delegate
    )
    outbox.enqueue_homes(
        session=session,
        team_id=assignment.team_id,
        user_ids=homes or viewers(assignment),
    )


def viewers(assignment: Assignment) -> list[str]:
    """Whose App Home lists the request: its approver, its rep, and a delegate holding it."""
    return [assignment.approver_id, assignment.rep_id, *filter(None, [assignment.delegate_id])]


def already_decided(assignment: Assignment, *, reader: str) -> Conflict:
    when = f" {slack_date(assignment.decided_at)}" if assignment.decided_at else ""
    if assignment.decided_by is None:
        who = "someone"
    else:
        who = "you" if assignment.decided_by == reader else mention(assignment.decided_by)
    if assignment.status == AssignmentStatus.withdrawn:
        sentence_start = who[:1].upper() + who[1:]  # "You", or a mention left as it is
        return Conflict(f"{sentence_start} withdrew this request{when}: nothing needs deciding.")
    return Conflict(f"Already decided by {who}{when}: {assignment.status.replace('_', '-')}.")


def snapshot(a: Assignment) -> dict[str, object]:
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
        "delegate": a.delegate_id,
    }
