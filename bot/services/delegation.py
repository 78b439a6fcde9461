"""Moving waiting requests between an approver and their delegate: to the delegate while the
approver is out of office, back when they return. Each move is audited and updates every DM
of the request (the delegate's card gets the buttons; the approver's says who holds it)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.core.runtime import Runtime
from bot.services.assignments import announce, snapshot
from bot.services.routing import holder_for
from storage import assignments as store
from storage.models import Assignment
from storage.types import utcnow

BOT_ACTOR = "aor-bot"  # the actor of what the bot does on its own, in the audit log


def move_holder(
    rt: Runtime, *, session: Session, assignment: Assignment, now: datetime
) -> str | None:
    """Give the request to whoever should hold it now; the audit action when it moved."""
    wanted = holder_for(rt, session=session, assignment=assignment, now=now)
    former = assignment.delegate_id
    if wanted == former:
        return None
    before = snapshot(assignment)
    assignment.delegate_id = wanted
    session.add(assignment)
    session.flush()
    action = "assignment.handed_back" if wanted is None else "assignment.delegated"
    announce(
        session,
        assignment=assignment,
        actor_id=BOT_ACTOR,
        before=before,
        action=action,
        homes=[assignment.approver_id, *filter(None, [former, wanted])],
        former_delegate=former,
    )
    return action


def rehome_for_approver(rt: Runtime, *, team_id: str, approver_id: str) -> int:
    """Right after someone sets or ends their time off: their waiting requests move at once
    (the scheduler tick would do it too, a little later). How many moved."""

    def move(session: Session) -> int:
        waiting = store.pending_of_approvers(
            session=session, team_id=team_id, approver_ids=[approver_id]
        )
        now = utcnow()
        return sum(
            move_holder(rt, session=session, assignment=a, now=now) is not None for a in waiting
        )

    return rt.transact(move)
