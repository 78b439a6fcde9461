"""What a subcommand handler receives: the parsed request, already acknowledged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_bolt import Respond

from bot.core.runtime import Runtime
from handlers.replies import reply


@dataclass(frozen=True)
class CommandCall:
    rt: Runtime
    respond: Respond
    team_id: str
    user_id: str
    channel_id: str
    trigger_id: str
    args: str  # the text after the subcommand name
    request_id: str

    @property
    def log_fields(self) -> dict[str, str]:
        return {"team": self.team_id, "user": self.user_id, "request": self.request_id}

    def answer(self, **message: Any) -> None:
        """A message only the person who typed the command sees."""
        reply(self.respond, response_type="ephemeral", replace_original=False, **message)

    def tell(self, text: str) -> None:
        """An ephemeral line to the person who typed the command."""
        self.answer(text=text)
