"""Positions: read by anyone in the workspace; created, edited (each save a new version, the
change audited with before and after) and assigned by an admin or a manager of record."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from bot.core.errors import Conflict, NotAllowed, NotFound
from bot.core.ids import Block
from bot.core.runtime import Runtime
from bot.core.text import escape, mention
from bot.delivery.positions import gather_position, view_of_position
from bot.render.position import PositionView
from bot.rules.positions import DEFAULT_POSITION, PositionContent, content_json
from bot.rules.titles import title_key
from bot.services.members import ensure_member
from storage import audit, outbox
from storage import members as member_store
from storage import positions as store
from storage.models import Member, Position

EDITORS_ONLY = (
    "Only an admin or a manager of record can change positions. Anyone can read one: "
    "`/aor position TITLE`."
)


def may_edit_positions(rt: Runtime, *, session: Session, actor: Member) -> bool:
    if rt.is_admin(actor):
        return True
    return bool(
        member_store.reports_of(session=session, team_id=actor.team_id, manager_id=actor.user_id)
    )


def _titles(session: Session, team_id: str) -> list[str]:
    stored = [p.title for p in store.all_of(session=session, team_id=team_id)]
    if store.default_of(session=session, team_id=team_id) is None:
        stored.insert(0, DEFAULT_POSITION.title)
    return stored


def _find(session: Session, team_id: str, title: str) -> Position | None:
    """The position titled `title` (None: the method's default, not saved here yet); raises
    NotFound naming the positions there are."""
    found = store.by_title(session=session, team_id=team_id, title_key=title_key(title))
    if found is not None:
        return found
    if title_key(title) == title_key(DEFAULT_POSITION.title):
        return store.default_of(session=session, team_id=team_id)
    names = ", ".join(escape(t) for t in _titles(session, team_id)[:20])
    raise NotFound(f"No position is titled '{escape(title)}'. The positions: {names}.")


@dataclass(frozen=True)
class PositionRead:
    view: PositionView
    may_edit: bool
    others: list[str]


def read_position(rt: Runtime, *, team_id: str, viewer_id: str, title: str) -> PositionRead:
    """A position by title, or without one the viewer's own: anyone may read any."""
    viewer = ensure_member(rt, team_id=team_id, user_id=viewer_id)

    def read(session: Session) -> PositionRead:
        if title:
            found = _find(session, team_id, title)
            view = view_of_position(session=session, position=found, team_id=team_id)
        else:
            view = gather_position(session=session, member=viewer)
        others = [t for t in _titles(session, team_id) if title_key(t) != title_key(view.title)]
        return PositionRead(view, may_edit_positions(rt, session=session, actor=viewer), others)

    return rt.transact(read)


def position_for_edit(rt: Runtime, *, team_id: str, actor_id: str, title: str) -> PositionView:
    """The position to fill the edit form with, for someone who may edit it."""
    actor = ensure_member(rt, team_id=team_id, user_id=actor_id)

    def read(session: Session) -> PositionView:
        if not may_edit_positions(rt, session=session, actor=actor):
            raise NotAllowed(EDITORS_ONLY)
        if title:
            found = _find(session, team_id, title)
            return view_of_position(session=session, position=found, team_id=team_id)
        return gather_position(session=session, member=actor)

    return rt.transact(read)


def refuse_non_editor(rt: Runtime, *, team_id: str, actor_id: str) -> None:
    actor = ensure_member(rt, team_id=team_id, user_id=actor_id)
    if not rt.transact(lambda session: may_edit_positions(rt, session=session, actor=actor)):
        raise NotAllowed(EDITORS_ONLY)


def _taken(title: str) -> Conflict:
    return Conflict(
        f"Another position is already titled '{escape(title)}': choose another title.",
        field=Block.position_title,
    )


def _default_record(session: Session, team_id: str) -> Position:
    """The workspace's default position, saved as version 1 (the method's words) the first
    time anyone changes or assigns it."""
    found = store.default_of(session=session, team_id=team_id)
    if found is not None:
        return found
    content = content_json(DEFAULT_POSITION)
    try:
        return store.add(
            session=session,
            team_id=team_id,
            title=DEFAULT_POSITION.title,
            title_key=title_key(DEFAULT_POSITION.title),
            content=content,
            actor_id="aor",
            is_default=True,
        )
    except store.DuplicatePosition:
        raise _taken(DEFAULT_POSITION.title) from None


def save_position(
    rt: Runtime,
    *,
    team_id: str,
    actor_id: str,
    position_id: int | None,
    default: bool,
    content: PositionContent,
) -> PositionView:
    """A new position (`position_id` None and not `default`), or a new version of one."""
    actor = ensure_member(rt, team_id=team_id, user_id=actor_id)

    def save(session: Session) -> PositionView:
        if not may_edit_positions(rt, session=session, actor=actor):
            raise NotAllowed(EDITORS_ONLY)
        data, key = content_json(content), title_key(content.title)
        if position_id is None and not default:
            try:
                position = store.add(
                    session=session,
                    team_id=team_id,
                    title=content.title,
                    title_key=key,
                    content=data,
                    actor_id=actor_id,
                )
            except store.DuplicatePosition:
                raise _taken(content.title) from None
            before = None
            action = "position.created"
        else:
            found = (
                store.get(session=session, team_id=team_id, position_id=position_id)
                if position_id is not None
                else _default_record(session, team_id)
            )
            if found is None:
                raise NotFound("That position no longer exists, so nothing was saved.")
            position = found
            before = store.current(session=session, position=position).content
            try:
                store.add_version(
                    session=session,
                    position=position,
                    title=content.title,
                    title_key=key,
                    content=data,
                    actor_id=actor_id,
                )
            except store.DuplicatePosition:
                raise _taken(content.title) from None
            action = "position.edited"
        audit.record(
            session=session,
            team_id=team_id,
            actor_id=actor_id,
            action=action,
            subject_type="position",
            subject_id=position.id or 0,
            before={"version": position.version - 1, **before} if before else None,
            after={"version": position.version, **data},
        )
        outbox.enqueue_homes(
            session=session,
            team_id=team_id,
            user_ids=store.holders(session=session, position=position),
        )
        return view_of_position(session=session, position=position, team_id=team_id)

    return rt.transact(save)


def assign_position(
    rt: Runtime, *, team_id: str, actor_id: str, rep_id: str, title: str
) -> PositionView:
    """`rep_id` holds the position titled `title` from now on (audited)."""
    actor = ensure_member(rt, team_id=team_id, user_id=actor_id)
    ensure_member(rt, team_id=team_id, user_id=rep_id)

    def assign(session: Session) -> PositionView:
        if not may_edit_positions(rt, session=session, actor=actor):
            raise NotAllowed(EDITORS_ONLY)
        found = _find(session, team_id, title) or _default_record(session, team_id)
        rep = member_store.get_member(
            session=session, team_id=team_id, user_id=rep_id, for_update=True
        )
        if rep is None:
            raise NotFound(f"{mention(rep_id)} is not in this workspace.")
        before = rep.position_id
        rep.position_id = found.id
        session.add(rep)
        audit.record(
            session=session,
            team_id=team_id,
            actor_id=actor_id,
            action="position.assigned",
            subject_type="member",
            subject_id=rep_id,
            member_id=rep_id,
            before={"position_id": before},
            after={"position_id": found.id, "title": found.title},
        )
        outbox.enqueue_homes(session=session, team_id=team_id, user_ids=[rep_id])
        return view_of_position(session=session, position=found, team_id=team_id)

    return rt.transact(assign)
