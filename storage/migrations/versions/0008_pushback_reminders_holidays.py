"""Holiday calendars (member and workspace), push-backs, withdrawals and reminders.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("member") as batch:
        batch.add_column(sa.Column("holiday_calendar", sa.String(16), nullable=True))
    with op.batch_alter_table("team_setting") as batch:
        batch.add_column(sa.Column("holiday_calendar", sa.String(16), nullable=True))
        batch.add_column(
            sa.Column("reminder_days", sa.Integer(), nullable=False, server_default="1")
        )
    with op.batch_alter_table("assignment") as batch:
        batch.add_column(sa.Column("pushback_note", sa.String(500), nullable=True))
        batch.add_column(sa.Column("pushback_item_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("pushback_minutes", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("pushback_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("delegate_id", sa.String(32), nullable=True))
        batch.add_column(
            sa.Column("reminders_sent", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("next_reminder_at", UTCDateTime(), nullable=True))
        batch.create_index("ix_assignment_next_reminder_at", ["next_reminder_at"])


def downgrade() -> None:
    with op.batch_alter_table("assignment") as batch:
        batch.drop_index("ix_assignment_next_reminder_at")
        for name in (
            "next_reminder_at",
            "reminders_sent",
            "delegate_id",
            "pushback_at",
            "pushback_minutes",
            "pushback_item_id",
            "pushback_note",
        ):
            batch.drop_column(name)
    with op.batch_alter_table("team_setting") as batch:
        batch.drop_column("reminder_days")
        batch.drop_column("holiday_calendar")
    with op.batch_alter_table("member") as batch:
        batch.drop_column("holiday_calendar")
