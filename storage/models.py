"""Tables. Every row is keyed by the Slack workspace (team_id); times are aware UTC."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.enums import (
    AssignmentStatus,
    Cadence,
    ItemStatus,
    Origin,
    OutboxStatus,
    PlanStatus,
    Role,
    Tier,
)
from storage.types import enum_field, utc_field, utcnow

DEFAULT_CAPACITY_MINUTES = 2400
DEFAULT_WORKDAYS = "0,1,2,3,4"
DEFAULT_PLAN_TIME = time(8, 30)
DEFAULT_SELLING_TARGET_PCT = 60
DEFAULT_REMINDER_DAYS = 1  # share of done time that should be selling work


_utc, _enum = utc_field, enum_field


class Member(SQLModel, table=True):
    """A person in a workspace, as last read from users.info plus their AOR settings."""

    __tablename__ = "member"

    team_id: str = Field(primary_key=True, max_length=32)
    user_id: str = Field(primary_key=True, max_length=32)
    name: str = Field(default="", max_length=200)
    role: Role = _enum(default=Role.rep)
    is_slack_admin: bool = False
    manager_id: str | None = Field(default=None, max_length=32)
    tz: str = Field(default="UTC", max_length=64)
    tz_override: str | None = Field(default=None, max_length=64)
    capacity_minutes: int = DEFAULT_CAPACITY_MINUTES
    plan_time: time = DEFAULT_PLAN_TIME
    workdays: str = Field(default=DEFAULT_WORKDAYS, max_length=20)
    ooo_until: date | None = None
    # A holiday calendar ("GB-ENG", "US", "none"); None follows the workspace's default.
    holiday_calendar: str | None = Field(default=None, max_length=16)
    plans_enabled: bool = True
    position_id: int | None = None  # None: the workspace's default position
    next_plan_at: datetime | None = _utc(default=None, index=True)
    refreshed_at: datetime = _utc(default_factory=utcnow)
    created_at: datetime = _utc(default_factory=utcnow)

    @property
    def effective_tz(self) -> str:
        return self.tz_override or self.tz

    @property
    def workday_set(self) -> frozenset[int]:
        return frozenset(int(d) for d in self.workdays.split(",") if d)


class AuditEvent(SQLModel, table=True):
    """Append-only record of every change (database triggers refuse UPDATE and DELETE)."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_subject", "team_id", "subject_type", "subject_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    at: datetime = _utc(default_factory=utcnow)
    actor_id: str = Field(max_length=32)
    action: str = Field(max_length=64)
    subject_type: str = Field(max_length=32)
    subject_id: str = Field(max_length=64)
    # The person the event concerns (rep), so a rep's whole history is one indexed query.
    member_id: str | None = Field(default=None, max_length=32, index=True)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class Outbox(SQLModel, table=True):
    """A Slack call the bot owes someone, written in the same transaction as its cause.

    `message_key` names a logical message (e.g. ``assignment:7:approver``): the first send
    posts it, later entries with the same key update it in place (chat.update)."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_key", "team_id", "message_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    kind: str = _enum()  # "message" (DM post-or-update) | "home" (views.publish)
    user_id: str = Field(max_length=32)
    message_key: str | None = Field(default=None, max_length=128)
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    status: OutboxStatus = _enum(default=OutboxStatus.pending)
    attempts: int = 0
    next_attempt_at: datetime = _utc(default_factory=utcnow)
    locked_until: datetime | None = _utc(default=None)
    last_error: str | None = Field(default=None, max_length=500)
    channel: str | None = Field(default=None, max_length=32)
    ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = _utc(default_factory=utcnow)
    sent_at: datetime | None = _utc(default=None)


class Responsibility(SQLModel, table=True):
    """One AOR item with exactly one owner."""

    __tablename__ = "responsibility"
    __table_args__ = (
        # One owner per item: an active normalised title is unique in a workspace.
        Index(
            "uq_responsibility_active_title",
            "team_id",
            "title_key",
            unique=True,
            sqlite_where=text("status = 'active'"),
            postgresql_where=text("status = 'active'"),
        ),
        Index("ix_responsibility_owner", "team_id", "owner_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    owner_id: str = Field(max_length=32)
    title: str = Field(max_length=200)
    title_key: str = Field(max_length=200)
    details: str = Field(default="", max_length=3000)
    tier: Tier = _enum()
    minutes: int
    cadence: Cadence = _enum()
    due: date | None = None
    status: ItemStatus = _enum(default=ItemStatus.active)
    origin: Origin = _enum(default=Origin.role)
    assignment_id: int | None = Field(default=None, foreign_key="assignment.id")
    requested_by: str | None = Field(default=None, max_length=32)
    created_at: datetime = _utc(default_factory=utcnow)
    updated_at: datetime = _utc(default_factory=utcnow)
    done_at: datetime | None = _utc(default=None)


class Assignment(SQLModel, table=True):
    """A project handed to a rep, waiting for (or holding) the approver's decision."""

    __tablename__ = "assignment"
    __table_args__ = (
        Index("ix_assignment_approver", "team_id", "approver_id", "status"),
        Index("ix_assignment_rep", "team_id", "rep_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    requested_by: str = Field(max_length=32)
    approver_id: str = Field(max_length=32)
    rep_id: str = Field(max_length=32)
    title: str = Field(max_length=200)
    details: str = Field(default="", max_length=3000)
    minutes: int
    cadence: Cadence = _enum()
    due: date | None = None
    status: AssignmentStatus = _enum(default=AssignmentStatus.pending)
    decided_by: str | None = Field(default=None, max_length=32)
    decided_at: datetime | None = _utc(default=None)
    tier: Tier | None = _enum(default=None)
    note: str | None = Field(default=None, max_length=500)
    # The rep's push-back; who decides while the approver is out of office; reminders.
    pushback_note: str | None = Field(default=None, max_length=500)
    pushback_item_id: int | None = None
    pushback_minutes: int | None = None
    pushback_at: datetime | None = _utc(default=None)
    delegate_id: str | None = Field(default=None, max_length=32)
    reminders_sent: int = 0
    next_reminder_at: datetime | None = _utc(default=None, index=True)
    created_at: datetime = _utc(default_factory=utcnow)


class DailyPlan(SQLModel, table=True):
    """One rep's checklist for one local date; the unique key makes the claim exactly-once."""

    __tablename__ = "daily_plan"
    __table_args__ = (
        UniqueConstraint("team_id", "user_id", "plan_date", name="uq_daily_plan"),
        Index("ix_daily_plan_status", "status", "claimed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    plan_date: date
    status: PlanStatus = _enum(default=PlanStatus.claimed)
    claimed_by: str = Field(max_length=64)
    claimed_at: datetime = _utc(default_factory=utcnow)
    attempts: int = 1
    last_error: str | None = Field(default=None, max_length=500)
    budget_minutes: int = 0
    items: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    sent_at: datetime | None = _utc(default=None)


class PlanCheck(SQLModel, table=True):
    """A tick or untick on a plan item; the latest row per item is its state."""

    __tablename__ = "plan_check"
    __table_args__ = (Index("ix_plan_check_plan", "plan_id", "item_id"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="daily_plan.id")
    item_id: int
    checked: bool
    at: datetime = _utc(default_factory=utcnow)


class TeamSetting(SQLModel, table=True):
    """Per-workspace choices; a team without a row uses the defaults."""

    __tablename__ = "team_setting"

    team_id: str = Field(primary_key=True, max_length=32)
    selling_target_pct: int = DEFAULT_SELLING_TARGET_PCT
    # Members without a calendar follow this one; reminders wait reminder_days working days.
    holiday_calendar: str | None = Field(default=None, max_length=16)
    reminder_days: int = DEFAULT_REMINDER_DAYS


class Workspace(SQLModel, table=True):
    """A workspace the app was installed in (OAuth mode), its Grid org, and what happens to its
    data once uninstalled: kept until `purge_after`, then purged. `purging_at` is set while a
    purge runs: only then does the audit log let go of the workspace's rows."""

    __tablename__ = "workspace"

    team_id: str = Field(primary_key=True, max_length=32)
    enterprise_id: str | None = Field(default=None, max_length=32, index=True)
    installed_at: datetime = _utc(default_factory=utcnow)
    uninstalled_at: datetime | None = _utc(default=None)
    purge_after: datetime | None = _utc(default=None, index=True)
    purging_at: datetime | None = _utc(default=None)


class TierWord(SQLModel, table=True):
    """One row of a workspace's activity table: words and the tier they suggest. A workspace
    with no rows uses the method's table (bot.rules.activity)."""

    __tablename__ = "tier_word"
    __table_args__ = (UniqueConstraint("team_id", "phrase", name="uq_tier_word"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32, index=True)
    phrase: str = Field(max_length=60)
    tier: Tier = _enum()
    rank: int = 0  # the table's order: ties between matches go to the earlier row


class Position(SQLModel, table=True):
    """A role in a workspace; what it says lives in its versions (the newest is current)."""

    __tablename__ = "position"
    __table_args__ = (UniqueConstraint("team_id", "title_key", name="uq_position_title"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    title: str = Field(max_length=80)
    title_key: str = Field(max_length=80)
    is_default: bool = False  # the one a rep with no position of their own has
    version: int = 1  # the current version's number
    created_at: datetime = _utc(default_factory=utcnow)


class PositionVersion(SQLModel, table=True):
    """One saved edit of a position, never changed afterwards."""

    __tablename__ = "position_version"
    __table_args__ = (UniqueConstraint("position_id", "version", name="uq_position_version"),)

    id: int | None = Field(default=None, primary_key=True)
    position_id: int = Field(foreign_key="position.id")
    version: int
    content: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_by: str = Field(max_length=32)
    created_at: datetime = _utc(default_factory=utcnow)


# The weekly loop's tables live in their own module; imported here so that every table is
# registered wherever the models are.
from storage.loop_tables import (  # noqa: E402
    CoachingMeeting as CoachingMeeting,
)
from storage.loop_tables import (  # noqa: E402
    CoachingSchedule as CoachingSchedule,
)
from storage.loop_tables import KpiEntry as KpiEntry  # noqa: E402
