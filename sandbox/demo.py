"""`aor demo`: the whole flow against the built-in fake Slack, printed as each person sees it.

No Slack workspace or token is involved: the real app runs over HTTP on 127.0.0.1, Slack is
played by sandbox (signed requests in, a spec-checked Web API out), and the data lives in
a SQLite file in a temporary folder."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from sandbox import FakeSlack, SlackSide
from sandbox.harness import Action, RunningApp, migrate, run_app
from sandbox.render import render_message, render_view

SECRET = "demo-signing-secret"
MARIA, ROB = "UMARIA", "UROB"
NAMES = {MARIA: "maria", ROB: "rob"}


@dataclass
class Narrator:
    """Prints each step, then whatever changed on each person's screen since the last one."""

    fake: FakeSlack
    out: TextIO
    seen: dict[str, str] = field(default_factory=dict)
    responses_seen: int = 0

    def step(self, title: str) -> None:
        print(f"\n\n### {title}", file=self.out)

    def show(self) -> None:
        for user, name in NAMES.items():
            for message in self.fake.dm_messages(user):
                self._changed(
                    f"dm:{user}:{message['ts']}",
                    f"{name}'s DM from the bot",
                    render_message(message, NAMES),
                )
            home = self.fake.home(user)
            if home is not None:
                self._changed(f"home:{user}", f"{name}'s App Home", render_view(home, NAMES))
        for response in self.fake.responses[self.responses_seen :]:
            who = NAMES.get(self._responder(response.url), "someone")
            print(
                f"\n--- only {who} sees (ephemeral) ---\n{render_message(response.body, NAMES)}",
                file=self.out,
            )
        self.responses_seen = len(self.fake.responses)

    def _responder(self, url: str) -> str:
        return self.fake.response_url_user(url) or ""

    def _changed(self, key: str, label: str, text: str) -> None:
        if self.seen.get(key) == text:
            return
        verb = "updated" if key in self.seen else "new"
        self.seen[key] = text
        print(f"\n--- {label} ({verb}) ---\n{text}", file=self.out)


def _act(narrator: Narrator, action: Callable[[], Any]) -> None:
    action()
    narrator.fake.wait_until_quiet()
    narrator.show()


def play(out: TextIO, workdir: Path) -> Path:
    """Play a short day; returns where the report chart was written."""
    database_url = f"sqlite:///{workdir / 'aor-demo.db'}"
    migrate(database_url)
    with FakeSlack() as fake:
        fake.add_user(MARIA, name="maria", real_name="Maria (sales manager)", tz="America/New_York")
        fake.add_user(ROB, name="rob", real_name="Rob (sales rep)", tz="America/Los_Angeles")
        with run_app(fake=fake, database_url=database_url, signing_secret=SECRET) as app:
            slack = SlackSide(app.events_url, SECRET, fake)
            narrator = Narrator(fake, out)
            _story(app, slack, fake, narrator)
            chart = _save_chart(fake, workdir)
        fake.assert_no_violations()
    return chart


def _story(app: RunningApp, slack: SlackSide, fake: FakeSlack, narrator: Narrator) -> None:
    narrator.step("Rob names Maria his manager of record: `/aor set-manager @rob @maria`")
    _act(narrator, lambda: slack.command(f"set-manager <@{ROB}|rob> <@{MARIA}|maria>", user_id=ROB))

    narrator.step("Maria assigns two projects with `/aor add-task`")
    _act(
        narrator,
        lambda: slack.command(
            f"add-task <@{ROB}|rob> Update the landing page 3h weekly", user_id=MARIA
        ),
    )
    _act(
        narrator,
        lambda: slack.command(
            f"add-task <@{ROB}|rob> Organise the trade-show booth 6h once", user_id=MARIA
        ),
    )

    landing, booth = fake.dm_messages(MARIA)[:2]
    channel = fake.dm_channel(MARIA)
    narrator.step("Maria clicks [ Join AOR: second priority ] on the landing page")
    _act(narrator, lambda: _decide(slack, MARIA, channel, landing, "join_second", None))
    narrator.step("Maria declines the trade-show booth, with a note")
    _act(
        narrator,
        lambda: _decide(
            slack, MARIA, channel, booth, "decline", "Marketing owns events this quarter"
        ),
    )

    narrator.step(
        "Rob adds his own first-priority work: `/aor add Prospecting calls 2h daily first`"
    )
    _act(narrator, lambda: slack.command("add Prospecting calls 2h daily first", user_id=ROB))
    _act(
        narrator, lambda: slack.command("add Follow up on open quotes 1h daily first", user_id=ROB)
    )

    narrator.step(
        "Morning: the scheduler's tick finds Rob's plan time (the demo sets it to now, "
        "whatever the day)"
    )
    app.plan_now(team_id=fake.team_id, user_id=ROB)
    _act(narrator, app.tick)

    narrator.step("Rob ticks two items on his checklist")
    plan = fake.dm_messages(ROB)[-1]
    block_id, element = next(
        (block["block_id"], element)
        for block in plan["blocks"]
        for element in block.get("elements", [])
        if element.get("action_id", "").startswith(Action.plan_check)
    )
    chosen = [o["value"] for o in element["options"][:2]]
    _act(
        narrator,
        lambda: slack.check_boxes(
            user_id=ROB,
            channel=fake.dm_channel(ROB),
            ts=plan["ts"],
            action_id=element["action_id"],
            block_id=block_id,
            selected_values=chosen,
        ),
    )

    narrator.step("Coaching: Maria asks for Rob's activity breakdown, `/aor report @rob`")
    _act(narrator, lambda: slack.command(f"report <@{ROB}|rob>", user_id=MARIA))

    narrator.step("Both open the bot's App Home")
    _act(narrator, lambda: slack.app_home_opened(MARIA))
    _act(narrator, lambda: slack.app_home_opened(ROB))


def _decide(
    slack: SlackSide,
    user: str,
    channel: str,
    message: dict[str, Any],
    decision: str,
    note: str | None,
) -> None:
    state = {"note": {"note": {"type": "plain_text_input", "value": note}}} if note else None
    button = next(
        e
        for b in message["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"].endswith(decision)
    )
    slack.click_button(
        user_id=user,
        channel=channel,
        ts=message["ts"],
        action_id=button["action_id"],
        value=button["value"],
        state=state,
    )


def _save_chart(fake: FakeSlack, workdir: Path) -> Path:
    charts = [f for f in fake.files if f.filename.endswith(".png")]
    path = workdir / "aor-report.png"
    path.write_bytes(charts[-1].content)
    return path


def main(out: TextIO = sys.stdout, workdir: Path | None = None) -> int:
    """`workdir` holds the SQLite file and the chart; a new temporary folder by default."""
    if workdir is None:
        workdir = Path(tempfile.mkdtemp(prefix="aor-demo-"))
    else:
        workdir.mkdir(parents=True, exist_ok=True)
    print("AOR bot demo: the real app, a fake Slack, a SQLite file in " + str(workdir), file=out)
    chart = play(out, workdir)
    print(f"\n\nThe report chart Maria received is saved at {chart}", file=out)
    print("No sandbox violations: every Web API call matched Slack's published spec.", file=out)
    return 0
