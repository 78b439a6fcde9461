"""Many workspaces: slack_sdk's installation and OAuth state tables, the workspaces the app
serves (and when an uninstalled one's data is purged), and an audit log that lets go of a
workspace's rows only while that workspace is being purged.

The three slack_* tables are slack_sdk's SQLAlchemyInstallationStore and
SQLAlchemyOAuthStateStore tables, column for column (storage imports no slack_sdk; a test checks
slack_sdk's own definitions against these).

Revision ID: 0007
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None

_SQLITE_PURGEABLE = [
    "DROP TRIGGER audit_event_no_delete",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
       WHEN NOT EXISTS (SELECT 1 FROM workspace w
                        WHERE w.team_id = OLD.team_id AND w.purging_at IS NOT NULL)
       BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END""",
]
_SQLITE_APPEND_ONLY = [
    "DROP TRIGGER audit_event_no_delete",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
       BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END""",
]
_PG_PURGEABLE = [
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger
       LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM workspace w
             WHERE w.team_id = OLD.team_id AND w.purging_at IS NOT NULL) THEN
           RETURN OLD;
         END IF;
         RAISE EXCEPTION 'audit_event is append-only';
       END $$""",
]
_PG_APPEND_ONLY = [
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger
       LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$""",
]


def _slack_installations() -> None:
    op.create_table(
        "slack_installations",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("app_id", sa.String(32), nullable=False),
        sa.Column("enterprise_id", sa.String(32)),
        sa.Column("enterprise_name", sa.String(200)),
        sa.Column("enterprise_url", sa.String(200)),
        sa.Column("team_id", sa.String(32)),
        sa.Column("team_name", sa.String(200)),
        sa.Column("bot_token", sa.String(200)),
        sa.Column("bot_id", sa.String(32)),
        sa.Column("bot_user_id", sa.String(32)),
        sa.Column("bot_scopes", sa.String(1000)),
        sa.Column("bot_refresh_token", sa.String(200)),
        sa.Column("bot_token_expires_at", sa.DateTime()),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("user_token", sa.String(200)),
        sa.Column("user_scopes", sa.String(1000)),
        sa.Column("user_refresh_token", sa.String(200)),
        sa.Column("user_token_expires_at", sa.DateTime()),
        sa.Column("incoming_webhook_url", sa.String(200)),
        sa.Column("incoming_webhook_channel", sa.String(200)),
        sa.Column("incoming_webhook_channel_id", sa.String(200)),
        sa.Column("incoming_webhook_configuration_url", sa.String(200)),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("token_type", sa.String(32)),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
    )
    op.create_index(
        "slack_installations_idx",
        "slack_installations",
        ["client_id", "enterprise_id", "team_id", "user_id", "installed_at"],
    )


def _slack_bots() -> None:
    op.create_table(
        "slack_bots",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("client_id", sa.String(32), nullable=False),
        sa.Column("app_id", sa.String(32), nullable=False),
        sa.Column("enterprise_id", sa.String(32)),
        sa.Column("enterprise_name", sa.String(200)),
        sa.Column("team_id", sa.String(32)),
        sa.Column("team_name", sa.String(200)),
        sa.Column("bot_token", sa.String(200)),
        sa.Column("bot_id", sa.String(32)),
        sa.Column("bot_user_id", sa.String(32)),
        sa.Column("bot_scopes", sa.String(1000)),
        sa.Column("bot_refresh_token", sa.String(200)),
        sa.Column("bot_token_expires_at", sa.DateTime()),
        sa.Column("is_enterprise_install", sa.Boolean(), nullable=False),
        sa.Column("installed_at", sa.DateTime(), nullable=False),
    )
    op.create_index(
        "slack_bots_idx",
        "slack_bots",
        ["client_id", "enterprise_id", "team_id", "installed_at"],
    )


def upgrade() -> None:
    _slack_installations()
    _slack_bots()
    op.create_table(
        "slack_oauth_states",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("state", sa.String(200), nullable=False),
        sa.Column("expire_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "workspace",
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("enterprise_id", sa.String(32), nullable=True),
        sa.Column("installed_at", UTCDateTime(), nullable=False),
        sa.Column("uninstalled_at", UTCDateTime(), nullable=True),
        sa.Column("purge_after", UTCDateTime(), nullable=True),
        sa.Column("purging_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("team_id"),
    )
    op.create_index("ix_workspace_enterprise_id", "workspace", ["enterprise_id"])
    op.create_index("ix_workspace_purge_after", "workspace", ["purge_after"])
    pg = op.get_bind().dialect.name == "postgresql"
    for statement in _PG_PURGEABLE if pg else _SQLITE_PURGEABLE:
        op.execute(statement)


def downgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    for statement in _PG_APPEND_ONLY if pg else _SQLITE_APPEND_ONLY:
        op.execute(statement)
    op.drop_index("ix_workspace_purge_after", table_name="workspace")
    op.drop_index("ix_workspace_enterprise_id", table_name="workspace")
    op.drop_table("workspace")
    op.drop_table("slack_oauth_states")
    op.drop_index("slack_bots_idx", table_name="slack_bots")
    op.drop_table("slack_bots")
    op.drop_index("slack_installations_idx", table_name="slack_installations")
    op.drop_table("slack_installations")
