"""The weekly loop's tables: KPI figures logged per week, and the 1:1 schedule with the
coaching pack claimed once per meeting."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.enums import PlanStatus
from storage.types import enum_field as _enum
from storage.types import utc_field as _utc
from storage.types import utcnow


class KpiEntry(SQLModel, table=True):
    """A KPI figure logged for a rep's week (its Monday, in the rep's time zone). Rows are
    only added: the latest for a week and key is the figure, earlier ones are its history."""

    __tablename__ = "kpi_entry"
    __table_args__ = (Index("ix_kpi_entry_rep_week", "team_id", "user_id", "week"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    user_id: str = Field(max_length=32)
    week: date
    key: str = Field(max_length=30)
    value: float
    entered_by: str = Field(max_length=32)
    entered_at: datetime = _utc(default_factory=utcnow)


class CoachingSchedule(SQLModel, table=True):
    """A rep's 1:1 with their manager: a weekday and time where the manager is, every 1, 2 or
    4 weeks counted from `anchor`; `next_pack_at` (an hour before the next one) is when its
    coaching pack is due."""

    __tablename__ = "coaching_schedule"

    team_id: str = Field(primary_key=True, max_length=32)
    rep_id: str = Field(primary_key=True, max_length=32)
    manager_id: str = Field(max_length=32)
    weekday: int  # 0 = Monday
    at_time: time
    every_weeks: int = 1
    anchor: date  # the first meeting's date, where the manager is
    tz: str = Field(max_length=64)  # the manager's, when it was set
    next_meeting_at: datetime = _utc()
    next_pack_at: datetime = _utc(index=True)
    updated_by: str = Field(max_length=32)
    updated_at: datetime = _utc(default_factory=utcnow)


class CoachingMeeting(SQLModel, table=True):
    """One 1:1's pack, claimed once by insert (the unique key lets exactly one process win)."""

    __tablename__ = "coaching_meeting"
    __table_args__ = (
        UniqueConstraint("team_id", "rep_id", "meeting_at", name="uq_coaching_meeting"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: str = Field(max_length=32)
    rep_id: str = Field(max_length=32)
    manager_id: str = Field(max_length=32)
    meeting_at: datetime = _utc()
    status: PlanStatus = _enum(default=PlanStatus.claimed)
    note: str | None = Field(default=None, max_length=500)
    claimed_by: str = Field(max_length=64)
    claimed_at: datetime = _utc(default_factory=utcnow)
