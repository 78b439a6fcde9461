"""slack_sdk's SQLAlchemy installation and state stores on the tables migration 0007 made
(no create_all), on SQLite and PostgreSQL; and the signed OAuth state."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

from bot.core.installs import SignedStateStore
from storage.db import Database


def test_slack_sdk_tables_match_the_migration(db: Database) -> None:
    store = SQLAlchemyInstallationStore(client_id="C1", engine=db.engine)
    states = SignedStateStore(secret="s", engine=db.engine)
    for metadata in (store.metadata, states.metadata):
        theirs = set(metadata.tables)
        with db.engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "include_name": lambda name, kind, _p, t=theirs: kind != "table" or name in t,
                },
            )
            assert compare_metadata(context, metadata) == []


def test_an_installation_round_trips_through_slack_sdk(db: Database) -> None:
    store = SQLAlchemyInstallationStore(client_id="C1", engine=db.engine)
    store.save(
        Installation(
            app_id="A1",
            enterprise_id="E1",
            team_id="T1",
            team_name="Acme",
            bot_token="xoxb-T1-1",
            bot_id="B1",
            bot_user_id="UBOT",
            bot_scopes="commands,chat:write",
            user_id="U1",
        )
    )
    bot = store.find_bot(enterprise_id="E1", team_id="T1")
    assert bot is not None and bot.bot_token == "xoxb-T1-1"
    store.delete_all(enterprise_id="E1", team_id="T1")
    assert store.find_bot(enterprise_id="E1", team_id="T1") is None


def test_the_oauth_state_is_signed_and_used_once(db: Database) -> None:
    states = SignedStateStore(secret="state-secret", engine=db.engine)
    state = states.issue()
    raw, _, _signature = state.rpartition(".")
    forged = SignedStateStore(secret="another-secret", engine=db.engine).issue()
    assert not states.consume(f"{raw}.{'0' * 32}")
    assert not states.consume(forged)
    assert states.consume(state)
    assert not states.consume(state)
