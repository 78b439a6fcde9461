"""What a subcommand handler receives: the parsed request, already acknowledged."""

from __future__ import annotations

from dataclasses import dataclass

from slack_bolt import Respond

from bot.core.runtime import Runtime


@dataclass(frozen=True)
class CommandCall:
    rt: Runtime
    respond: Respond
    team_id: str
    user_id: str
    channel_id: str
    trigger_id: str
    response_url: str
    args: str  # the text after the subcommand name
    request_id: str

    @property
    def log_fields(self) -> dict[str, str]:
        return {"team": self.team_id, "user": self.user_id, "request": self.request_id}

    def tell(self, text: str) -> None:
        """An ephemeral answer to the person who typed the command."""
        self.respond(text=text, response_type="ephemeral", replace_original=False)
