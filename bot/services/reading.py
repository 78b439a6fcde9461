"""Read-only views of someone's AOR, with the access rule applied."""

from __future__ import annotations

from sqlmodel import Session

from bot.core.runtime import Runtime
from bot.delivery.reads import gather_doc
from bot.render.assignment import AssignmentView, view_of
from bot.render.doc import AorDoc
from bot.rules.access import require_view
from bot.rules.reminders import MAX_REMINDERS
from bot.services.members import ensure_member
from storage import assignments as assignment_store
from storage.models import Member


def viewable_rep(rt: Runtime, *, team_id: str, viewer_id: str, rep_id: str) -> Member:
    """The rep whose AOR the viewer asks about, once the access rule lets them see it."""
    viewer = ensure_member(rt, team_id=team_id, user_id=viewer_id)
    rep = viewer if rep_id == viewer_id else ensure_member(rt, team_id=team_id, user_id=rep_id)
    require_view(actor=viewer, rep=rep, actor_is_admin=rt.is_admin(viewer))
    return rep


def read_doc(rt: Runtime, *, team_id: str, viewer_id: str, rep_id: str) -> AorDoc:
    rep = viewable_rep(rt, team_id=team_id, viewer_id=viewer_id, rep_id=rep_id)
    return rt.transact(lambda session: gather_doc(session=session, member=rep))


def read_asked(rt: Runtime, *, team_id: str, requester_id: str) -> list[AssignmentView]:
    """The requests this person asked for that still wait on someone else's decision."""

    def read(session: Session) -> list[AssignmentView]:
        rows = assignment_store.pending_from_requester(
            session=session, team_id=team_id, requester_id=requester_id
        )
        return [view_of(a) for a in rows if a.approver_id != requester_id]

    return rt.transact(read)


def read_pending(
    rt: Runtime, *, team_id: str, approver_id: str
) -> tuple[list[AssignmentView], list[AssignmentView]]:
    """What waits on this person's decision; and, for an admin, what stalled elsewhere in the
    workspace (its approver reminded MAX_REMINDERS times), which an admin may decide too."""
    member = ensure_member(rt, team_id=team_id, user_id=approver_id)
    admin = rt.is_admin(member)

    def read(session: Session) -> tuple[list[AssignmentView], list[AssignmentView]]:
        rows = assignment_store.pending_for_approver(
            session=session, team_id=team_id, approver_id=approver_id
        )
        mine = {a.id for a in rows}
        stalled = (
            assignment_store.stalled(session=session, team_id=team_id, reminders=MAX_REMINDERS)
            if admin
            else []
        )
        return [view_of(a) for a in rows], [view_of(a) for a in stalled if a.id not in mine]

    return rt.transact(read)
