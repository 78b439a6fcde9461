"""The accountability loop: the activity table behind tier suggestions; positions,
versioned; KPI figures logged per rep and week; 1:1 schedules and their coaching packs.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tier_word",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("phrase", sa.String(60), nullable=False),
        sa.Column("tier", sa.String(16), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "phrase", name="uq_tier_word"),
    )
    op.create_index("ix_tier_word_team_id", "tier_word", ["team_id"])
    op.create_table(
        "position",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("title", sa.String(80), nullable=False),
        sa.Column("title_key", sa.String(80), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "title_key", name="uq_position_title"),
    )
    op.create_table(
        "position_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("position_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(32), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["position_id"], ["position.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("position_id", "version", name="uq_position_version"),
    )
    op.create_table(
        "kpi_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("key", sa.String(30), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("entered_by", sa.String(32), nullable=False),
        sa.Column("entered_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_kpi_entry_rep_week", "kpi_entry", ["team_id", "user_id", "week"])
    op.create_table(
        "coaching_schedule",
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("rep_id", sa.String(32), nullable=False),
        sa.Column("manager_id", sa.String(32), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("at_time", sa.Time(), nullable=False),
        sa.Column("every_weeks", sa.Integer(), nullable=False),
        sa.Column("anchor", sa.Date(), nullable=False),
        sa.Column("tz", sa.String(64), nullable=False),
        sa.Column("next_meeting_at", UTCDateTime(), nullable=False),
        sa.Column("next_pack_at", UTCDateTime(), nullable=False),
        sa.Column("updated_by", sa.String(32), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("team_id", "rep_id"),
    )
    op.create_index("ix_coaching_schedule_next_pack_at", "coaching_schedule", ["next_pack_at"])
    op.create_table(
        "coaching_meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("rep_id", sa.String(32), nullable=False),
        sa.Column("manager_id", sa.String(32), nullable=False),
        sa.Column("meeting_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column("claimed_by", sa.String(64), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "rep_id", "meeting_at", name="uq_coaching_meeting"),
    )
    with op.batch_alter_table("member") as batch:
        batch.add_column(sa.Column("position_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("member") as batch:
        batch.drop_column("position_id")
    op.drop_table("coaching_meeting")
    op.drop_index("ix_coaching_schedule_next_pack_at", table_name="coaching_schedule")
    op.drop_table("coaching_schedule")
    op.drop_index("ix_kpi_entry_rep_week", table_name="kpi_entry")
    op.drop_table("kpi_entry")
    op.drop_table("position_version")
    op.drop_table("position")
    op.drop_index("ix_tier_word_team_id", table_name="tier_word")
    op.drop_table("tier_word")
