"""The DMs of one request, rendered from its current state inside the unit of work that
changed it: the approver's card, the rep's DM, and while the approver is out of office the
delegate's card. Later entries under the same keys update the same messages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlmodel import Session

from bot.delivery.reads import week_capacity_of
from bot.render.assignment import build_approval_message, view_of
from bot.render.delegation import for_absent_approver, for_delegate, handed_back
from bot.render.pushback import build_rep_request, with_pushback
from bot.render.reminders import for_admin
from bot.rules.capacity import impact, load_of
from bot.rules.reminders import MAX_REMINDERS
from bot.services.activity import suggestion_for
from bot.services.pushback_reads import pushback_of
from storage import assignments as store
from storage import items as item_store
from storage import outbox
from storage.enums import AssignmentStatus
from storage.models import Assignment, Member


def approval_key(assignment_id: int) -> str:
    return f"assignment:{assignment_id}:approver"


def rep_key(assignment_id: int) -> str:
    return f"assignment:{assignment_id}:rep"


def admin_key(assignment_id: int, user_id: str) -> str:
    return f"{admin_prefix(assignment_id)}{user_id}"


def admin_prefix(assignment_id: int) -> str:
    return f"assignment:{assignment_id}:admin:"


def delegate_key(assignment_id: int) -> str:
    """One delegate card per request: a later delegate's card replaces a former one's."""
    return f"assignment:{assignment_id}:delegate"


def enqueue_messages(
    *,
    session: Session,
    assignment: Assignment,
    rep: Member,
    former_delegate: str | None = None,
    escalate_to: Sequence[str] = (),
) -> None:
    """Every DM of the request as it now stands; `former_delegate` when it was just handed
    back to the approver (their card says so and loses its buttons); `escalate_to`, the admins
    told after the last reminder (with those told before, their cards are kept up to date)."""
    workdays = len(rep.workday_set)
    items = item_store.active_for(session=session, team_id=rep.team_id, owner_id=rep.user_id)
    found = suggestion_for(session=session, team_id=assignment.team_id, title=assignment.title)
    view = replace(view_of(assignment), suggested=found.tier if found else None, rep_name=rep.name)
    # The impact as it stood before the decision: without the item the decision may have added.
    before = load_of(
        (i for i in items if i.assignment_id != assignment.id),
        capacity=week_capacity_of(session=session, member=rep),
        workdays=workdays,
    )
    after = impact(
        before, minutes=assignment.minutes, cadence=assignment.cadence, workdays=workdays
    )
    pushback = pushback_of(session=session, assignment=assignment)
    estimate_after = (
        impact(before, minutes=pushback.minutes, cadence=assignment.cadence, workdays=workdays)
        if pushback is not None and pushback.minutes is not None
        else None
    )
    card = with_pushback(
        build_approval_message(view, before=before, after=after),
        view,
        pushback,
        estimate_after=estimate_after,
        before=before,
    )
    pending = assignment.status == AssignmentStatus.pending
    holder = assignment.delegate_id
    approver_card = (
        card if holder is None else for_absent_approver(card, delegate_id=holder, pending=pending)
    )
    # The approver's card first: the requester is told whether it landed.
    entries: list[tuple[str, str, dict[str, Any]]] = [
        (assignment.approver_id, approval_key(view.id), approver_card),
        (
            assignment.rep_id,
            rep_key(view.id),
            build_rep_request(
                view,
                before=before,
                after=after,
                pushback=pushback,
                waiting_since=assignment.created_at,
                reminders=assignment.reminders_sent,
                delegate_id=holder,
            ),
        ),
    ]
    if holder is not None:
        delegated = for_delegate(card, approver_id=assignment.approver_id, pending=pending)
        entries.append((holder, delegate_key(view.id), delegated))
    if former_delegate is not None and former_delegate != holder:
        back = handed_back(card, approver_id=assignment.approver_id)
        entries.append((former_delegate, delegate_key(view.id), back))
    if assignment.reminders_sent >= MAX_REMINDERS:
        told = store.users_under_key(
            session=session, team_id=assignment.team_id, key_prefix=admin_prefix(view.id)
        )
        for admin in dict.fromkeys([*told, *escalate_to]):
            payload = for_admin(
                card, assignment, holder_id=holder or assignment.approver_id, pending=pending
            )
            entries.append((admin, admin_key(view.id, admin), payload))
    for user_id, key, payload in entries:
        outbox.enqueue(
            session=session,
            team_id=assignment.team_id,
            user_id=user_id,
            payload=payload,
            message_key=key,
        )
