"""Morning plans: member plan settings, daily plans and their ticks.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("member") as batch:
        batch.add_column(sa.Column("tz_override", sa.String(64), nullable=True))
        batch.add_column(
            sa.Column("capacity_minutes", sa.Integer(), nullable=False, server_default="2400")
        )
        batch.add_column(
            sa.Column("plan_time", sa.Time(), nullable=False, server_default=str(dt.time(8, 30)))
        )
        batch.add_column(
            sa.Column("workdays", sa.String(20), nullable=False, server_default="0,1,2,3,4")
        )
        batch.add_column(sa.Column("ooo_until", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column("plans_enabled", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(sa.Column("next_plan_at", UTCDateTime(), nullable=True))
        batch.create_index("ix_member_next_plan_at", ["next_plan_at"])
    op.create_table(
        "daily_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("plan_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claimed_by", sa.String(64), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.Column("budget_minutes", sa.Integer(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=True),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "user_id", "plan_date", name="uq_daily_plan"),
    )
    op.create_index("ix_daily_plan_status", "daily_plan", ["status", "claimed_at"])
    op.create_table(
        "plan_check",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("daily_plan.id"), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("checked", sa.Boolean(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_plan_check_plan", "plan_check", ["plan_id", "item_id"])


def downgrade() -> None:
    op.drop_table("plan_check")
    op.drop_table("daily_plan")
    with op.batch_alter_table("member") as batch:
        batch.drop_index("ix_member_next_plan_at")
        for column in (
            "next_plan_at",
            "plans_enabled",
            "ooo_until",
            "workdays",
            "plan_time",
            "capacity_minutes",
            "tz_override",
        ):
            batch.drop_column(column)
