"""The bodies Slack sends an app (slash commands, interactions, events), shaped as Slack shapes
them, with trigger_ids and response_urls issued by the FakeSlack the app talks to.

References: Slack's interaction payload docs (block_actions, view_submission) and the Events API
wrapper schema. Only fields Bolt or our handlers read are guaranteed; extra fields mirror Slack.
SlackSide (HTTP) and SocketModeSide deliver them.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping
from typing import Any

from sandbox.server import FakeSlack
from sandbox.users import APP_ID, BOT_USER_ID

Json = dict[str, Any]


class SlackPayloads:
    def __init__(
        self,
        fake: FakeSlack,
        team_id: str = "T0001",
        team_domain: str = "acme",
        *,
        verification_token: str = "sandbox-verification-token",
        enterprise_id: str | None = None,
        org_wide: bool = False,
    ) -> None:
        self.fake = fake
        self.team_id = team_id
        self.team_domain = team_domain
        # An Enterprise Grid org, and whether the app was installed for the whole org.
        self.enterprise_id = enterprise_id
        self.org_wide = org_wide
        self.verification_token = verification_token
        self._event_seq = itertools.count(1)

    def command_form(
        self, text: str, *, user_id: str, command: str = "/aor", channel_id: str = "C0001"
    ) -> dict[str, str]:
        """A slash command's fields, with a fresh response_url and trigger_id."""
        return {
            "token": self.verification_token,
            "team_id": self.team_id,
            "team_domain": self.team_domain,
            "channel_id": channel_id,
            "channel_name": "directmessage" if channel_id.startswith("D") else channel_id.lower(),
            "user_id": user_id,
            "user_name": self._user(user_id)["username"],
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            **({"enterprise_id": self.enterprise_id} if self.enterprise_id else {}),
            "is_enterprise_install": "true" if self.org_wide else "false",
            "response_url": self.fake.new_response_url(channel=channel_id, user_id=user_id),
            "trigger_id": self.fake.issue_trigger_id(),
        }

    def block_actions_payload(
        self,
        *,
        user_id: str,
        action: Mapping[str, Any],
        message: Mapping[str, Any] | None = None,
        channel_id: str | None = None,
        view: Mapping[str, Any] | None = None,
        container: Mapping[str, Any] | None = None,
        state: Mapping[str, Any] | None = None,
    ) -> Json:
        """A `block_actions` payload for a click in a message (channel_id) or a view, with a
        fresh trigger_id and, in a channel, a response_url."""
        payload: Json = {
            "type": "block_actions",
            "user": self._user(user_id),
            "api_app_id": APP_ID,
            "token": self.verification_token,
            "container": dict(container or _container(message, channel_id, view)),
            "trigger_id": self.fake.issue_trigger_id(),
            "team": {"id": self.team_id, "domain": self.team_domain},
            "enterprise": self._enterprise(),
            "is_enterprise_install": self.org_wide,
            "state": {"values": dict(state or {})},
            # An action_ts given by the test (to replay clicks out of order) wins.
            "actions": [{"action_ts": f"{time.time():.6f}", **action}],
        }
        if channel_id is not None:
            payload["channel"] = {"id": channel_id, "name": channel_id.lower()}
            ts = message["ts"] if message else payload["container"].get("message_ts")
            payload["response_url"] = self.fake.new_response_url(
                channel=channel_id, user_id=user_id, ts=ts
            )
        if message is not None:
            # Slack's copy of the message has no channel (it is in `channel`).
            payload["message"] = {k: v for k, v in message.items() if k != "channel"}
        if view is not None:
            payload["view"] = dict(view)
        return payload

    def view_submission_payload(
        self, *, user_id: str, view: Mapping[str, Any], values: Mapping[str, Any]
    ) -> Json:
        """A `view_submission` payload; `values` is Slack's `{block_id: {action_id: state}}`."""
        return {
            "type": "view_submission",
            "team": {"id": self.team_id, "domain": self.team_domain},
            "user": self._user(user_id),
            "api_app_id": APP_ID,
            "token": self.verification_token,
            "trigger_id": self.fake.issue_trigger_id(),
            "view": {**view, "state": {"values": dict(values)}},
            "response_urls": [],
            "enterprise": self._enterprise(),
            "is_enterprise_install": self.org_wide,
        }

    def event_callback(self, event: Mapping[str, Any]) -> Json:
        """An Events API `event_callback` envelope around `event`."""
        now = time.time()
        return {
            "token": self.verification_token,
            "team_id": self.team_id,
            **({"enterprise_id": self.enterprise_id} if self.enterprise_id else {}),
            "api_app_id": APP_ID,
            "event": {"event_ts": f"{now:.6f}", **event},
            "type": "event_callback",
            "event_id": f"Ev{next(self._event_seq):08X}",
            "event_time": int(now),
            "authorizations": [
                {
                    "enterprise_id": self.enterprise_id,
                    "team_id": None if self.org_wide else self.team_id,
                    "user_id": BOT_USER_ID,
                    "is_bot": True,
                    "is_enterprise_install": self.org_wide,
                }
            ],
            # Deprecated by Slack but still required by its published wrapper schema.
            "authed_users": [BOT_USER_ID],
            "is_ext_shared_channel": False,
        }

    def _enterprise(self) -> Json | None:
        return (
            {"id": self.enterprise_id, "name": self.enterprise_id} if self.enterprise_id else None
        )

    def app_home_opened_event(self, user_id: str) -> Json:
        event: Json = {
            "type": "app_home_opened",
            "user": user_id,
            "channel": self.fake.dm_channel(user_id),
            "tab": "home",
        }
        home = self.fake.home(user_id)
        if home is not None:  # Slack includes the current Home view once one was published
            event["view"] = home
        return event

    def _user(self, user_id: str) -> Json:
        info = self.fake.user(user_id)
        name = info["name"] if info else user_id.lower()
        return {"id": user_id, "username": name, "name": name, "team_id": self.team_id}


def _container(
    message: Mapping[str, Any] | None, channel_id: str | None, view: Mapping[str, Any] | None
) -> Json:
    if view is not None:
        return {"type": "view", "view_id": view.get("id")}
    return {
        "type": "message",
        "message_ts": message["ts"] if message else None,
        "channel_id": channel_id,
        "is_ephemeral": False,
    }
