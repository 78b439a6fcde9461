"""The rep pushes back on a request, with the cost in hours, before the approver decides:
only the rep, only while it waits; each push-back (and each edit) audited, both DMs updated."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bot.core.errors import InvalidInput, NotAllowed, NotFound
from bot.core.ids import Block
from bot.core.runtime import Runtime
from bot.core.text import mention
from bot.render.assignment import view_of
from bot.render.pushback import PushbackForm, build_pushback_modal
from bot.services.assignments import already_decided, enqueue_messages
from bot.services.pushback_reads import pushback_of
from storage import assignments as store
from storage import audit, outbox
from storage import items as item_store
from storage import members as member_store
from storage.enums import AssignmentStatus, ItemStatus
from storage.models import Assignment
from storage.types import utcnow


def _rep_only(session: Session, *, team_id: str, actor_id: str, assignment_id: int) -> Assignment:
    assignment = store.get(session=session, team_id=team_id, assignment_id=assignment_id)
    if assignment is None:
        raise NotFound("That request no longer exists.")
    if assignment.rep_id != actor_id:
        raise NotAllowed(
            f"Only {mention(assignment.rep_id)}, who was asked to do it, can push back on "
            "this request."
        )
    if assignment.status != AssignmentStatus.pending:
        raise already_decided(assignment, reader=actor_id)
    return assignment


def pushback_modal(
    rt: Runtime, *, team_id: str, actor_id: str, assignment_id: int
) -> dict[str, Any]:
    """The push-back form, filled with the rep's earlier push-back when they edit it."""

    def read(session: Session) -> dict[str, Any]:
        assignment = _rep_only(
            session, team_id=team_id, actor_id=actor_id, assignment_id=assignment_id
        )
        items = item_store.active_for(session=session, team_id=team_id, owner_id=actor_id)
        return build_pushback_modal(
            view_of(assignment),
            [(i.id or 0, i.title) for i in items],
            pushback_of(session=session, assignment=assignment),
            current_item_id=assignment.pushback_item_id,
        )

    return rt.transact(read)


def _snapshot(a: Assignment) -> dict[str, object]:
    return {
        "pushback_note": a.pushback_note,
        "pushback_item_id": a.pushback_item_id,
        "pushback_minutes": a.pushback_minutes,
    }


def push_back(
    rt: Runtime, *, team_id: str, actor_id: str, assignment_id: int, form: PushbackForm
) -> Assignment:
    def record(session: Session) -> Assignment:
        assignment = _rep_only(
            session, team_id=team_id, actor_id=actor_id, assignment_id=assignment_id
        )
        if form.item_id is not None:
            item = item_store.get(session=session, team_id=team_id, item_id=form.item_id)
            if item is None or item.owner_id != actor_id or item.status != ItemStatus.active:
                raise InvalidInput(
                    "That item is no longer in your AOR: pick another, or none.",
                    field=Block.pushback_drop,
                )
        before = _snapshot(assignment)
        won = store.record_pushback(
            session=session,
            team_id=team_id,
            assignment_id=assignment_id,
            note=form.note,
            item_id=form.item_id,
            minutes=form.minutes,
            at=utcnow(),
        )
        saved = store.get(session=session, team_id=team_id, assignment_id=assignment_id)
        assert saved is not None
        assignment = saved
        if not won:  # decided between the read and the write
            raise already_decided(assignment, reader=actor_id)
        audit.record(
            session=session,
            team_id=team_id,
            actor_id=actor_id,
            action="assignment.pushed_back",
            subject_type="assignment",
            subject_id=assignment_id,
            member_id=actor_id,
            before=before if before["pushback_note"] is not None else None,
            after=_snapshot(assignment),
        )
        rep = member_store.get_member(session=session, team_id=team_id, user_id=actor_id)
        assert rep is not None
        enqueue_messages(session=session, assignment=assignment, rep=rep)
        outbox.enqueue_homes(session=session, team_id=team_id, user_ids=[assignment.approver_id])
        return assignment

    return rt.transact(record)
