"""A requester takes back a request still waiting: one transaction, audited, both DMs updated.
A withdrawal and a decision race on the same conditional UPDATE, so exactly one wins."""

from __future__ import annotations

from sqlmodel import Session

from bot.core.errors import NotAllowed, NotFound
from bot.core.runtime import Runtime
from bot.core.text import mention
from bot.services.assignments import already_decided, enqueue_messages, snapshot
from storage import assignments as store
from storage import audit, outbox
from storage import members as member_store
from storage.enums import AssignmentStatus
from storage.models import Assignment
from storage.types import utcnow


def withdraw(rt: Runtime, *, team_id: str, actor_id: str, assignment_id: int) -> Assignment:
    """Only the person who asked may withdraw, and only while nobody has decided."""

    def record(session: Session) -> Assignment:
        assignment = store.get(session=session, team_id=team_id, assignment_id=assignment_id)
        if assignment is None:
            raise NotFound("That request no longer exists.")
        if assignment.requested_by != actor_id:
            raise NotAllowed(
                f"Only {mention(assignment.requested_by)}, who asked for it, can withdraw "
                "this request."
            )
        before = snapshot(assignment)
        won = store.record_decision(
            session=session,
            team_id=team_id,
            assignment_id=assignment_id,
            status=AssignmentStatus.withdrawn,
            decided_by=actor_id,
            decided_at=utcnow(),
            tier=None,
            note=None,
        )
        assignment = store.get(session=session, team_id=team_id, assignment_id=assignment_id)
        assert assignment is not None
        if not won:
            raise already_decided(assignment, reader=actor_id)
        audit.record(
            session=session,
            team_id=team_id,
            actor_id=actor_id,
            action="assignment.withdrawn",
            subject_type="assignment",
            subject_id=assignment_id,
            member_id=assignment.rep_id,
            before=before,
            after=snapshot(assignment),
        )
        rep = member_store.get_member(session=session, team_id=team_id, user_id=assignment.rep_id)
        assert rep is not None
        enqueue_messages(session=session, assignment=assignment, rep=rep)
        outbox.enqueue_homes(
            session=session, team_id=team_id, user_ids=[assignment.approver_id, rep.user_id]
        )
        return assignment

    return rt.transact(record)
