"""Members and AOR items written straight into the database, for plan tests and the bench."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session

from storage.enums import Cadence, ItemStatus, Origin, Tier
from storage.models import Member, Responsibility
from storage.types import utcnow

# Every table the app writes: what a test database is emptied of, and what tests count.
TABLES = (
    "plan_check",
    "daily_plan",
    "responsibility",
    "assignment",
    "outbox",
    "audit_event",
    "member",
    "team_setting",
    "workspace",
    "slack_bots",
    "slack_installations",
    "slack_oauth_states",
    "tier_word",
    "position_version",
    "position",
    "kpi_entry",
    "coaching_schedule",
    "coaching_meeting",
)

# Tier and cadence mix of a typical rep's AOR, cycled through by `item_rows`.
MIX = (
    (Tier.first, Cadence.daily, 60),
    (Tier.first, Cadence.daily, 45),
    (Tier.first, Cadence.weekly, 90),
    (Tier.second, Cadence.daily, 20),
    (Tier.second, Cadence.weekly, 60),
    (Tier.outside, Cadence.once, 30),
)


def member_rows(
    team_id: str, user_ids: Sequence[str], *, tz: str, next_plan_at: datetime | None
) -> list[dict[str, Any]]:
    now = utcnow()
    return [
        {
            "team_id": team_id,
            "user_id": user_id,
            "name": user_id.lower(),
            "tz": tz,
            "next_plan_at": next_plan_at,
            "refreshed_at": now,
            "created_at": now,
        }
        for user_id in user_ids
    ]


def item_rows(team_id: str, owner_id: str, count: int) -> list[dict[str, Any]]:
    now = utcnow()
    rows = []
    for n in range(count):
        tier, cadence, minutes = MIX[n % len(MIX)]
        title = f"{owner_id} task {n + 1}"
        rows.append(
            {
                "team_id": team_id,
                "owner_id": owner_id,
                "title": title,
                "title_key": title.lower(),
                "details": "",
                "tier": tier,
                "minutes": minutes,
                "cadence": cadence,
                "status": ItemStatus.active,
                "origin": Origin.role,
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


def seed(session: Session, members: list[dict[str, Any]], items: list[dict[str, Any]]) -> None:
    """Bulk inserts (executemany), fast enough for thousands of rows."""
    if members:
        session.execute(insert(Member), members)
    if items:
        session.execute(insert(Responsibility), items)
