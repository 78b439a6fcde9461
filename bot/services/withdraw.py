"""A requester takes back a request still waiting: one transaction, audited, both DMs updated.
A withdrawal and a decision race on the same conditional UPDATE, so exactly one wins."""

from __future__ import annotations

from sqlmodel import Session

from bot.core.errors import NotAllowed, NotFound
from bot.core.runtime import Runtime
from bot.core.text import mention
from bot.services.assignments import announce, settle, snapshot
from storage import assignments as store
from storage.enums import AssignmentStatus
from storage.models import Assignment


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
        assignment = settle(
            session, assignment=assignment, actor_id=actor_id, status=AssignmentStatus.withdrawn
        )
        announce(session, assignment=assignment, actor_id=actor_id, before=before)
        return assignment

    return rt.transact(record)
