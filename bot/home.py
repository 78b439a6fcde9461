"""App Home: gathering what a person should see (I/O) and rendering it (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.members import ensure_member, is_admin
from bot.runtime import Runtime
from bot.text import escape, mention
from bot.usage import SUBCOMMANDS


@dataclass(frozen=True)
class HomeData:
    user_id: str
    name: str
    tz: str
    manager_id: str | None
    is_admin: bool


def build_home(data: HomeData) -> dict[str, Any]:
    """The App Home view: who you are, your manager of record, what you can do."""
    role = "admin" if data.is_admin else "member"
    manager = (
        f"Manager of record: {mention(data.manager_id)}"
        if data.manager_id
        else "No manager of record yet: `/aor set-manager @you @manager` sets one."
    )
    commands = "\n".join(f"• `/aor {s.name}`: {s.what}" for s in SUBCOMMANDS)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Your Area of Responsibility"}},
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": f"{mention(data.user_id)} ({escape(data.name)}, {role}) · "
                f"time zone {escape(data.tz)}\n{manager}",
            },
        },
        {"type": "divider"},
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*What you can do*\n{commands}"}},
    ]
    return {"type": "home", "blocks": blocks}


def publish_home(rt: Runtime, *, team_id: str, user_id: str) -> None:
    member = ensure_member(rt, team_id=team_id, user_id=user_id)
    data = HomeData(
        user_id=user_id,
        name=member.name,
        tz=member.effective_tz,
        manager_id=member.manager_id,
        is_admin=is_admin(rt, member),
    )
    rt.client.views_publish(user_id=user_id, view=build_home(data))
