"""The in-memory workspace behind FakeSlack: users and DMs here; messages, interactions
(trigger_ids, response_urls), views and files each in their own module.

Not thread-safe on its own: FakeSlack serialises every call into it with one lock.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from sandbox.errors import SlackError
from sandbox.files import Files
from sandbox.interactions import Interactions
from sandbox.messages import Messages
from sandbox.users import User
from sandbox.views import Views

Json = dict[str, Any]


class Workspace:
    def __init__(self, *, team_id: str, base_url: str, clock: Callable[[], float]) -> None:
        self.team_id = team_id
        self._clock = clock
        seq = itertools.count(1)  # one sequence for every id and ts, as before the split
        self.users: dict[str, User] = {}
        self.user_teams: dict[str, str] = {}  # each person's workspace (one fake, many teams)
        self.messages = Messages(team_id=team_id, seq=seq)
        self.interactions = Interactions(
            team_id=team_id, base_url=base_url, clock=clock, seq=seq, messages=self.messages
        )
        self.views = Views(
            team_id=team_id,
            clock=clock,
            seq=seq,
            users=self.users,
            use_trigger=self.interactions.use_trigger,
        )
        self.files = Files(base_url=base_url, clock=clock, seq=seq)
        self._handlers: dict[str, Callable[[Json], Json]] = {
            "users.info": self._users_info,
            "conversations.open": self._conversations_open,
            "chat.postMessage": self._post_message,
            "chat.update": self.messages.update,
            "chat.postEphemeral": self._post_ephemeral,
            "views.open": self.views.open,
            "views.push": self.views.push,
            "views.update": self.views.update,
            "views.publish": self.views.publish,
            "files.getUploadURLExternal": self.files.get_upload_url,
            "files.completeUploadExternal": self.files.complete_upload,
        }

    def handle(
        self, method: str, args: Json, teams: set[str] | None = None
    ) -> tuple[Json, list[str]]:
        """Answer a spec-valid call made with a token speaking for `teams` (default: this
        fake's own team); returns the response and any app-bug violations."""
        handler = self._handlers.get(method)
        if handler is None:
            return {"ok": True}, []
        try:
            self._check_team(method, args, teams or {self.team_id})
            return handler(args), []
        except SlackError as err:
            return {"ok": False, "error": err.error}, [err.violation] if err.violation else []
        except KeyError as err:  # an argument the spec snapshot does not mark as required
            return {"ok": False, "error": "invalid_arguments"}, [f"missing argument {err}"]
        except ValueError as err:
            return {"ok": False, "error": "invalid_json"}, [f"argument is not valid JSON: {err}"]

    def _check_team(self, method: str, args: Json, teams: set[str]) -> None:
        """A token speaks only to the people of its own workspace(s), as in Slack."""
        for key in ("user", "users", "user_id", "channel", "channel_id"):
            value = str(args.get(key) or "")
            user = value[1:] if value.startswith("D") else value
            team = self.user_teams.get(user)
            if team is not None and team not in teams:
                error = "user_not_found" if key.startswith("user") else "channel_not_found"
                # Looking a typed-in person up is fair; sending to another workspace is a bug.
                bug = f"{method} with a token of {sorted(teams)} for {user} of {team}"
                raise SlackError(error, None if method == "users.info" else bug)

    def dm_channel(self, user_id: str) -> str:
        return f"D{user_id}"

    def _users_info(self, args: Json) -> Json:
        user = self.users.get(args.get("user", ""))
        if user is None:
            raise SlackError("user_not_found")
        team = self.user_teams.get(user.id, self.team_id)
        return {"ok": True, "user": user.to_slack(team, self._clock())}

    def _conversations_open(self, args: Json) -> Json:
        if args.get("channel"):
            return {"ok": True, "channel": {"id": args["channel"]}}
        user_ids = [u for u in str(args.get("users", "")).split(",") if u]
        if len(user_ids) != 1:
            raise SlackError("users_list_not_supplied", "sandbox opens DMs with one user only")
        if user_ids[0] not in self.users:
            raise SlackError("user_not_found")
        return {"ok": True, "channel": {"id": self.dm_channel(user_ids[0])}}

    def _channel(self, channel: str) -> str:
        """Slack accepts a user id as channel and posts into the DM with that user."""
        if channel[:1] in ("U", "W"):
            if channel not in self.users:
                raise SlackError("channel_not_found")
            return self.dm_channel(channel)
        return channel

    def _post_message(self, args: Json) -> Json:
        return self.messages.post(self._channel(args["channel"]), args)

    def _post_ephemeral(self, args: Json) -> Json:
        return self.messages.post_ephemeral(self._channel(args["channel"]), args)
