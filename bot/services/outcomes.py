"""What the person who asked or decided is told once the messages their action caused have
been tried: honestly, whether Slack has them, and who decides. The action is saved by then,
so a database that cannot say where a message is means "queued" (the scheduler tick sends it)."""

from __future__ import annotations

from sqlmodel import Session

from bot.core.errors import DatabaseUnavailable
from bot.core.runtime import Runtime
from bot.render.assignment import ApproverRoute, created_text, decided_text, view_of
from bot.render.tier_choice import asked_outside_text
from bot.services.capacity import added_reply
from bot.services.request_messages import approval_key
from storage import members as member_store
from storage import outbox
from storage.enums import DeliveryState
from storage.models import Assignment, Member, Responsibility


def created_reply(rt: Runtime, assignment: Assignment) -> str:
    """What the requester is told: who decides and why, and honestly whether the approver
    has the request's DM. The request is saved by now: if the database cannot say where the
    DM is, it is queued as far as the requester needs to know (the scheduler tick sends it)."""

    key = approval_key(assignment.id or 0)
    known = rt.landing(assignment.team_id, key)

    def read(session: Session) -> tuple[DeliveryState, Member | None]:
        state = (
            known.first
            if known
            else outbox.delivery_state(session=session, team_id=assignment.team_id, message_key=key)
        )
        rep = member_store.get_member(
            session=session, team_id=assignment.team_id, user_id=assignment.rep_id
        )
        return state, rep

    try:
        state, rep = rt.transact(read)
    except DatabaseUnavailable:
        state, rep = DeliveryState.queued, None
    # Unread (the database stopped answering), the usual case is told: the manager decides.
    manages = rep is None or rep.manager_id == assignment.approver_id
    route = ApproverRoute.manager if manages else ApproverRoute.admin
    return created_text(view_of(assignment), state, route=route)


def decided_reply(rt: Runtime, assignment: Assignment, *, in_list: bool) -> str | None:
    """What the person who just decided is told, honestly: whether the approval message now
    shows the outcome (`decide` has tried the update by the time it returns); `in_list` when
    they clicked in a list that is not that message (`/aor pending`)."""
    update = state_after_commit(
        rt,
        team_id=assignment.team_id,
        message_key=approval_key(assignment.id or 0),
        newest=True,
    )
    return decided_text(view_of(assignment), update, in_list=in_list)


def state_after_commit(
    rt: Runtime, *, team_id: str, message_key: str, newest: bool = False
) -> DeliveryState:
    """Where a message of an action already saved stands: its first post, or with `newest` its
    latest content. A database that cannot say means queued, as far as the person needs to
    know: the scheduler tick sends it."""
    known = rt.landing(team_id, message_key)
    if known is not None:  # this thread just tried it
        return known.newest if newest else known.first
    read = outbox.update_state if newest else outbox.delivery_state
    try:
        return rt.transact(
            lambda session: read(session=session, team_id=team_id, message_key=message_key)
        )
    except DatabaseUnavailable:
        return DeliveryState.queued


def chosen_tier_reply(rt: Runtime, saved: Responsibility | Assignment) -> str:
    """What the person who chose a tier for their new item is told."""
    if isinstance(saved, Responsibility):
        return added_reply(rt, saved)
    state = state_after_commit(rt, team_id=saved.team_id, message_key=approval_key(saved.id or 0))
    return asked_outside_text(
        title=saved.title,
        minutes=saved.minutes,
        cadence=saved.cadence,
        approver_id=saved.approver_id,
        reader=saved.rep_id,
        landed=state == DeliveryState.landed,
    )
