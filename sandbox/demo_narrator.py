"""What `aor demo` prints: each command or click as the person makes it, then whatever changed
on each person's screen (DMs, ephemerals, App Home, files) since the last step."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from sandbox import FakeSlack, SlackSide
from sandbox.harness import RunningApp
from sandbox.render import render_message, render_view

_MENTION = re.compile(r"<@(\w+)\|([^>]+)>")


@dataclass
class Narrator:
    app: RunningApp
    fake: FakeSlack
    slack: SlackSide
    out: TextIO
    names: dict[str, str]
    workdir: Path
    seen: dict[str, str] = field(default_factory=dict)
    files_seen: int = 0
    shown: int = 0  # views printed so far, to say when a step changed nothing
    saved: list[Path] = field(default_factory=list)

    def say(self, text: str) -> None:
        print(text, file=self.out)

    def step(self, title: str) -> None:
        self.say(f"\n\n### {title}")

    def command(self, user: str, text: str) -> None:
        """Types `/aor text` as `user`, shows it as they typed it, then what changed."""
        typed = _MENTION.sub(r"@\2", text)  # as Slack shows it while typing
        self.say(f"\n> {self.names[user]} types: /aor {typed}")
        self.slack.command(text, user_id=user)
        self.settle()

    def click(self, user: str, message: dict[str, Any], action_suffix: str, **extra: Any) -> None:
        """Clicks the button whose action id ends with `action_suffix` in `message`."""
        button = next(
            e
            for b in message["blocks"]
            if b["type"] == "actions"
            for e in b["elements"]
            if e["action_id"].endswith(action_suffix)
        )
        self.say(f"\n> {self.names[user]} clicks [ {button['text']['text']} ]")
        self.slack.click_button(
            user_id=user,
            channel=message["channel"],
            ts=message["ts"],
            action_id=button["action_id"],
            value=button["value"],
            **extra,
        )
        self.settle()

    def settle(self) -> None:
        # A listener acks first and works after: a quiet spell alone can come before its work.
        self.app.wait_idle()
        self.fake.wait_until_quiet()
        before = self.shown
        self.show()
        if self.shown == before:
            self.say("(nothing new on anyone's screen)")

    def show(self) -> None:
        # Ephemerals, whether posted or answered through a response_url, are kept per person.
        for user, name in self.names.items():
            for message in self.fake.dm_messages(user):
                self._changed(
                    f"dm:{user}:{message['ts']}",
                    f"{name}'s DM from the bot",
                    render_message(message, self.names),
                )
            for message in self.fake.ephemerals(user):
                self._changed(
                    f"eph:{user}:{message['ts']}",
                    f"only {name} sees (ephemeral)",
                    render_message(message, self.names),
                )
            home = self.fake.home(user)
            if home is not None:
                self._changed(f"home:{user}", f"{name}'s App Home", render_view(home, self.names))
        self._files()

    def _files(self) -> None:
        """Each new file, where its reader finds it, saved in the demo's folder."""
        channels = {self.fake.dm_channel(user): name for user, name in self.names.items()}
        for shared in self.fake.files[self.files_seen :]:
            path = self.workdir / shared.filename
            path.write_bytes(shared.content)
            self.saved.append(path)
            name = channels.get(shared.channel_id or "", "someone")
            self.say(
                f"\n--- {name}'s DM from the bot (a file, right under the message above) ---\n"
                f"[image] {shared.title}\nAlt text: {shared.alt_txt or '—'}\nSaved at {path}"
            )
            self.shown += 1
        self.files_seen = len(self.fake.files)

    def _changed(self, key: str, label: str, text: str) -> None:
        if self.seen.get(key) == text:
            return
        verb = "updated" if key in self.seen else "new"
        self.seen[key] = text
        self.say(f"\n--- {label} ({verb}) ---\n{text}")
        self.shown += 1
