"""The app uninstalled from a workspace (or an org), or its bot token revoked: the tokens go
and that workspace's plans and queued messages stop at once; its data is kept for the
retention period (README "Operations")."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.core.runtime import Runtime
from bot.services.workspaces import uninstalled


def handle_app_uninstalled(context: BoltContext, rt: Runtime) -> None:
    uninstalled(
        rt,
        team_id=context.team_id,
        enterprise_id=context.enterprise_id,
        org_wide=bool(context.is_enterprise_install),
    )


def handle_tokens_revoked(event: dict[str, Any], context: BoltContext, rt: Runtime) -> None:
    tokens = event.get("tokens")
    if not isinstance(tokens, dict) or not tokens.get("bot"):
        return  # only people's own tokens: the bot keeps none of those
    uninstalled(
        rt,
        team_id=context.team_id,
        enterprise_id=context.enterprise_id,
        org_wide=bool(context.is_enterprise_install),
        bot_only=True,
    )
