"""`aor demo`: the whole flow against the built-in fake Slack, printed as each person sees it.

No Slack workspace or token is involved: the real app runs over HTTP on 127.0.0.1, Slack is
played by sandbox (signed requests in, a spec-checked Web API out), and the data lives in
a SQLite file in a temporary folder."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TextIO

from sandbox import FakeSlack, SlackSide
from sandbox.demo_narrator import Narrator
from sandbox.harness import Action, RunningApp, migrate, run_app

SECRET = "demo-signing-secret"
MARIA, ROB = "UMARIA", "UROB"
NAMES = {MARIA: "maria", ROB: "rob"}
NOTE = "Marketing owns events this quarter"
SQLITE_SIDES = ("-journal", "-wal", "-shm")


def play(out: TextIO, workdir: Path) -> list[Path]:
    """Play a short day; returns the files the people received, as saved in `workdir`."""
    database = workdir / "aor-demo.db"
    # Each run plays the same day from the start: an earlier run's data would change the story.
    for leftover in (database, *(database.with_name(database.name + s) for s in SQLITE_SIDES)):
        leftover.unlink(missing_ok=True)
    database_url = f"sqlite:///{database}"
    migrate(database_url)
    with FakeSlack() as fake:
        fake.add_user(MARIA, name="maria", real_name="Maria (sales manager)", tz="America/New_York")
        fake.add_user(ROB, name="rob", real_name="Rob (sales rep)", tz="America/Los_Angeles")
        with run_app(fake=fake, database_url=database_url, signing_secret=SECRET) as app:
            slack = SlackSide(app.events_url, SECRET, fake)
            narrator = Narrator(app, fake, slack, out, dict(NAMES), workdir)
            _story(app, fake, narrator)
        fake.assert_no_violations()
    return narrator.saved


def _story(app: RunningApp, fake: FakeSlack, say: Narrator) -> None:
    say.step("Rob names Maria his manager of record")
    say.command(ROB, f"set-manager <@{ROB}|rob> <@{MARIA}|maria>")

    say.step("Maria asks Rob to take on two projects")
    say.command(MARIA, f"add-task <@{ROB}|rob> Update the landing page 3h weekly")
    say.command(MARIA, f"add-task <@{ROB}|rob> Organise the trade-show booth 6h once")

    landing, booth = fake.dm_messages(MARIA)[:2]
    say.step("Maria joins the landing page to Rob's AOR at second priority")
    say.click(MARIA, landing, "join_second")
    say.step("Maria declines the trade-show booth, with a note")
    say.say('\n> maria writes the note "Marketing owns events this quarter"')
    note = {"note": {"note": {"type": "plain_text_input", "value": NOTE}}}
    say.click(MARIA, booth, "decline", state=note)

    say.step("Rob adds his own work: one with its tier, one without (the bot suggests one)")
    say.command(ROB, "add Prospecting calls 2h daily first")
    say.command(ROB, "add Follow-ups on open quotes 1h daily")
    question = fake.ephemerals(ROB)[-1]
    say.click(ROB, question, "first")

    say.step("Morning: the scheduler sends Rob his checklist (the demo sets his plan time to now)")
    app.plan_now(team_id=fake.team_id, user_id=ROB)
    say.say("\n> the scheduler ticks")
    app.tick()
    say.settle()

    say.step("Rob ticks his two first-priority items")
    plan = fake.dm_messages(ROB)[-1]
    block_id, element = next(
        (block["block_id"], element)
        for block in plan["blocks"]
        for element in block.get("elements", [])
        if element.get("action_id", "").startswith(Action.plan_check)
    )
    chosen = [o["value"] for o in element["options"][:2]]
    say.say("\n> rob ticks the first two boxes")
    say.slack.check_boxes(
        user_id=ROB,
        channel=fake.dm_channel(ROB),
        ts=plan["ts"],
        action_id=element["action_id"],
        block_id=block_id,
        selected_values=chosen,
    )
    say.settle()

    say.step(
        "Coaching: Maria asks for Rob's activity breakdown; the chart arrives in her DM, "
        "right under the report"
    )
    say.command(MARIA, f"report <@{ROB}|rob>")
    say.step("Maria asks for her team's selling share this week, with its chart")
    say.command(MARIA, "report team")

    say.step("Both open the bot's App Home")
    say.say("\n> maria opens the App Home tab")
    say.slack.app_home_opened(MARIA)
    say.settle()
    say.say("\n> rob opens the App Home tab")
    say.slack.app_home_opened(ROB)
    say.settle()


def main(out: TextIO = sys.stdout, workdir: Path | None = None) -> int:
    """`workdir` holds the SQLite file and the chart; a new temporary folder by default."""
    if workdir is None:
        workdir = Path(tempfile.mkdtemp(prefix="aor-demo-"))
    else:
        workdir.mkdir(parents=True, exist_ok=True)
    print("AOR bot demo: the real app, a fake Slack, a SQLite file in " + str(workdir), file=out)
    saved = play(out, workdir)
    charts = [p for p in saved if p.suffix == ".png"]
    print(
        "\n\nThe charts Maria received, each right under its report in her DM, are saved at "
        + ", ".join(str(p) for p in charts),
        file=out,
    )
    print("No sandbox violations: every Web API call matched Slack's published spec.", file=out)
    return 0
