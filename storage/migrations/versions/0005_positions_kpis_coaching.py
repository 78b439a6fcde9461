"""The accountability loop: the activity table behind tier suggestions.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

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


def downgrade() -> None:
    op.drop_index("ix_tier_word_team_id", table_name="tier_word")
    op.drop_table("tier_word")
