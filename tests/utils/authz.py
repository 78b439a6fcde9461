"""A small workspace for the authorization matrix: the people, the app serving them, and the
means to prove that a refusal changed nothing.

One World serves every cell of the matrix (starting an app per cell would cost ~1 s each);
each cell makes its own target (a fresh request, a fresh item), waits until the app is idle,
takes a snapshot, acts, and compares."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import delete, inspect, text, update
from sqlmodel import col, select

from bot.core.runtime import Runtime
from bot.services.members import set_manager
from sandbox import Call, FakeSlack, SlackResult, SlackSide
from storage.enums import AssignmentStatus, OutboxStatus
from storage.models import Assignment, Member, Outbox
from tests.manifest_scopes import assert_scopes_granted
from tests.utils.server import RunningApp, run_app
from tests.utils.slack_text import replies
from tests.utils.wait import eventually

TEAM = "T0001"
OTHER_TEAM = "T0002"
SIGNING_SECRET = "test-signing-secret"

# Who acts: the matrix's columns.
REP, MANAGER, OTHER_MANAGER, ADMIN, BYSTANDER, OUTSIDER = (
    "UREP",
    "UMANAGER",
    "UMGR2",
    "UADMIN",
    "UOTHER",
    "UFOREIGN",
)
ACTORS: dict[str, str] = {
    "rep": REP,  # Rob, whose AOR it is
    "manager": MANAGER,  # Maria, Rob's manager of record
    "other-manager": OTHER_MANAGER,  # Mia, manager of record of Rita (UREP2), not of Rob
    "admin": ADMIN,  # Ada, a Slack workspace admin
    "bystander": BYSTANDER,  # Oscar, in the workspace, no role towards Rob
    "other-team": OUTSIDER,  # a user of another workspace (team T0002), signing correctly
}
OTHER_REP = "UREP2"

# What a refusal must not do in Slack: post, update, publish, open a modal or upload.
WATCHED = ("chat.postMessage", "chat.update", "chat.postEphemeral", "views.", "files.")

REFUSAL_SECONDS = 3.0

Surface = Literal["ack", "reply", "dm", "modal"]


@dataclass(frozen=True)
class Snapshot:
    tables: dict[str, list[tuple[Any, ...]]]  # every table but the outbox, every column
    outbox: dict[int, tuple[Any, ...]]
    calls: int
    responses: int


class World:
    def __init__(self, fake: FakeSlack, app: RunningApp) -> None:
        self.fake = fake
        self.app = app
        self.rt: Runtime = app.rt
        self.sides = {
            team: SlackSide(
                events_url=app.events_url, signing_secret=SIGNING_SECRET, fake=fake, team_id=team
            )
            for team in (TEAM, OTHER_TEAM)
        }
        self._numbers = itertools.count(1)
        self.cache: dict[str, Any] = {}

    # --- people and places ------------------------------------------------------------------

    def side(self, actor: str) -> SlackSide:
        return self.sides[OTHER_TEAM if actor == "other-team" else TEAM]

    @property
    def slack(self) -> SlackSide:
        return self.sides[TEAM]

    def title(self, what: str) -> str:
        return f"{what} {next(self._numbers)}"

    # --- waiting ----------------------------------------------------------------------------

    def settle(self, quiet: float = 0.03) -> None:
        """Until every queued send is done and Slack has heard nothing new for `quiet` s."""
        eventually(self._outbox_idle)
        seen = (-1, -1)
        while (now := (len(self.fake.calls), len(self.fake.responses))) != seen:
            seen = now
            time.sleep(quiet)
        eventually(self._outbox_idle)

    def _outbox_idle(self) -> bool:
        with self.rt.db.transaction() as session:
            waiting = session.exec(
                select(Outbox.id).where(Outbox.status == OutboxStatus.pending).limit(1)
            ).first()
        return waiting is None

    # --- what changed -----------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        engine = self.rt.db.engine
        tables: dict[str, list[tuple[Any, ...]]] = {}
        with engine.connect() as conn:
            for name in sorted(inspect(engine).get_table_names()):
                if name == "outbox":
                    continue
                rows = conn.execute(text(f"SELECT * FROM {name}")).all()
                tables[name] = sorted((tuple(r) for r in rows), key=repr)
            outbox = {
                r[0]: tuple(r) for r in conn.execute(text("SELECT * FROM outbox ORDER BY id")).all()
            }
        return Snapshot(tables, outbox, len(self.fake.calls), len(self.fake.responses))

    def calls_since(self, before: Snapshot) -> list[Call]:
        return [c for c in self.fake.calls[before.calls :] if c.method.startswith(WATCHED)]

    def dms_since(self, before: Snapshot, user_id: str) -> list[str]:
        """Texts of new DMs (posts) to `user_id`."""
        return [
            c.args.get("text", "")
            for c in self.calls_since(before)
            if c.method == "chat.postMessage" and c.args.get("channel") == user_id
        ]

    def opened_since(self, before: Snapshot, callback_id: str) -> bool:
        return any(
            c.method == "views.open" and c.args["view"].get("callback_id") == callback_id
            for c in self.calls_since(before)
        )

    def told(
        self,
        surface: Surface,
        result: SlackResult,
        user_id: str,
        before: Snapshot,
        *,
        wait: bool = True,
    ) -> str:
        """What the person was told on that surface ("" when nothing, with `wait=False`)."""

        def probe() -> str:
            if surface == "modal":
                body = result.json or {}
                return "\n".join(body.get("errors", {}).values())
            ack = (result.json or {}).get("text", "") if isinstance(result.json, dict) else ""
            if surface == "ack":
                return str(ack)
            if surface == "reply":
                return "\n".join(
                    [*([ack] if ack else []), *replies(self.fake, result.response_url)]
                )
            return "\n".join(self.dms_since(before, user_id))

        # A refusal comes in well under a second; a cell that waits longer has failed.
        return eventually(probe, timeout=REFUSAL_SECONDS) if wait else probe()

    def assert_unchanged(
        self, before: Snapshot, *, actor_id: str, refusal_dm: str | None, result: SlackResult
    ) -> None:
        """Nothing written but, where the surface has no reply channel, the refusal's own DM
        (one outbox row to the actor, one chat.postMessage); nothing sent but that."""
        self.settle()
        after = self.snapshot()
        for name, rows in before.tables.items():
            assert after.tables.get(name) == rows, f"table {name} changed"
        assert set(after.tables) == set(before.tables)
        for row_id, row in before.outbox.items():
            assert after.outbox[row_id] == row, f"outbox row {row_id} changed"
        added = [after.outbox[i] for i in after.outbox.keys() - before.outbox.keys()]
        sent = self.calls_since(before)
        if refusal_dm is None:
            assert added == [], f"outbox rows written: {added}"
            assert sent == [], f"sent to Slack: {[(c.method, c.args) for c in sent]}"
        else:
            with self.rt.db.transaction() as session:
                rows = session.exec(
                    select(Outbox).where(col(Outbox.id).in_([r[0] for r in added]))
                ).all()
            assert [(r.kind, r.user_id, r.payload) for r in rows] == [
                ("message", actor_id, {"text": refusal_dm})
            ]
            assert [(c.method, c.args.get("channel"), c.args.get("text")) for c in sent] == [
                ("chat.postMessage", actor_id, refusal_dm)
            ]
        elsewhere = [
            r.url for r in self.fake.responses[before.responses :] if r.url != result.response_url
        ]
        assert elsewhere == [], "answered through another request's response_url"

    # --- shortcuts for setting up a cell ----------------------------------------------------

    def withdraw_pending(self) -> None:
        """Earlier cells' requests out of the way (so no one reaches the 5-waiting limit)."""
        with self.rt.db.transaction() as session:
            session.execute(
                update(Assignment)
                .where(col(Assignment.status) == AssignmentStatus.pending)
                .values(status=AssignmentStatus.withdrawn)
            )

    def forget_outsider(self) -> None:
        """Each request from the other workspace comes as its first contact: without this,
        a member row one cell wrongly wrote would let the next cell's refusal pass."""
        with self.rt.db.transaction() as session:
            session.execute(
                delete(Member).where(
                    (col(Member.team_id) == OTHER_TEAM) | (col(Member.user_id) == OUTSIDER)
                )
            )

    def home(self, user_id: str) -> dict[str, Any]:
        return eventually(lambda: self.fake.home(user_id))


@contextmanager
def world_on(fake: FakeSlack, database_url: str) -> Iterator[World]:
    """The app serving the people of the matrix, each already known to it, with Rob managed
    by Maria and Rita by Mia."""
    fake.add_user("UMANAGER", name="maria", real_name="Maria Manager", tz="America/New_York")
    fake.add_user("UREP", name="rob", real_name="Rob Rep", tz="America/Los_Angeles")
    fake.add_user("UREP2", name="rita", real_name="Rita Rep", tz="Europe/London")
    fake.add_user("UMGR2", name="mia", real_name="Mia Manager", tz="Europe/London")
    fake.add_user("UOTHER", name="oscar", real_name="Oscar Other", tz="UTC")
    fake.add_user("UADMIN", name="ada", real_name="Ada Admin", tz="UTC", is_admin=True)
    # Known to this token's users.info: the request from the other team names a real person.
    fake.add_user("UFOREIGN", name="fred", real_name="Fred Foreign", tz="UTC")
    with run_app(fake=fake, database_url=database_url, signing_secret=SIGNING_SECRET) as app:
        world = World(fake, app)
        for user_id in (REP, MANAGER, OTHER_MANAGER, ADMIN, BYSTANDER, OTHER_REP):
            world.slack.app_home_opened(user_id)
            world.home(user_id)
        set_manager(world.rt, team_id=TEAM, actor_id=REP, rep_id=REP, manager_id=MANAGER)
        set_manager(
            world.rt, team_id=TEAM, actor_id=OTHER_REP, rep_id=OTHER_REP, manager_id=OTHER_MANAGER
        )
        world.settle()
        yield world
    fake.assert_no_violations()
    assert_scopes_granted(fake)


def in_other_team(view: dict[str, Any]) -> dict[str, Any]:
    """A view as the other workspace's user would hold it: Bolt reads a view payload's team
    from `view.app_installed_team_id` first, so a view of ours would pass for our workspace."""
    return {**view, "team_id": OTHER_TEAM, "app_installed_team_id": OTHER_TEAM}
