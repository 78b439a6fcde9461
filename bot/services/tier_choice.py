"""An item added without a tier: the suggestion from the workspace's activity table, and the
person's choice (first or second joins their AOR; outside the role is asked of the manager)."""

from __future__ import annotations

from sqlmodel import Session

from bot.core.errors import InvalidInput
from bot.core.ids import Block
from bot.core.runtime import Runtime
from bot.rules.activity import Suggestion
from bot.rules.parsing import MAX_MINUTES, MAX_TITLE_CHARS
from bot.services.activity import suggestion_for
from bot.services.assignments import TaskRequest, create_assignment
from bot.services.items import NewItem, add_own_item, refuse_taken_title
from bot.services.members import ensure_member
from storage.enums import Cadence, Tier
from storage.models import Assignment, Responsibility


def suggest_for_new_item(
    rt: Runtime, *, team_id: str, user_id: str, title: str
) -> Suggestion | None:
    """The suggestion for a title the person is about to add; a title another item already
    holds is refused now, before they choose a tier for nothing."""
    ensure_member(rt, team_id=team_id, user_id=user_id)

    def read(session: Session) -> Suggestion | None:
        refuse_taken_title(session=session, team_id=team_id, title=title, reader=user_id)
        return suggestion_for(session=session, team_id=team_id, title=title)

    return rt.transact(read)


def _check(title: str, minutes: int) -> None:
    """A button's value is re-read like typed input: it could have been forged."""
    if not title.strip() or len(title) > MAX_TITLE_CHARS:
        raise InvalidInput(
            f"Title must be 1 to {MAX_TITLE_CHARS} characters", field=Block.title_text
        )
    if not 1 <= minutes <= MAX_MINUTES:
        raise InvalidInput("Duration must be from 1m to 40h", field=Block.duration)


def choose_tier(
    rt: Runtime,
    *,
    team_id: str,
    user_id: str,
    tier: Tier,
    title: str,
    minutes: int,
    cadence: Cadence,
) -> Responsibility | Assignment:
    """The person's choice for their own new item: first or second priority adds it to their
    AOR now; outside the role becomes a request their manager (else an admin) decides."""
    _check(title, minutes)
    if tier == Tier.outside:
        return create_assignment(
            rt,
            team_id=team_id,
            requester_id=user_id,
            task=TaskRequest(rep_id=user_id, title=title, minutes=minutes, cadence=cadence),
        )
    return add_own_item(
        rt,
        team_id=team_id,
        user_id=user_id,
        new=NewItem(title=title, minutes=minutes, tier=tier, cadence=cadence),
    )
