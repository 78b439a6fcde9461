"""Slack's side of OAuth installs: the authorize page a person approves in a browser,
`oauth.v2.access` trading the code for a bot token of that workspace (or, for an Enterprise
Grid org-wide install, of the whole org), and which token may speak for whom.

A token this module never issued (the token mode's `xoxb-sandbox-token`) speaks for the fake's
own team, as before."""

from __future__ import annotations

import base64
import itertools
import secrets
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import parse_qs, urlencode

from sandbox.errors import SlackError
from sandbox.users import APP_ID, BOT_ID, BOT_USER_ID

Json = dict[str, Any]


@dataclass
class Team:
    id: str
    name: str
    enterprise_id: str | None = None


@dataclass
class Grant:
    """One bot token: a workspace's, or an org's (`team_id` None)."""

    token: str
    team_id: str | None
    enterprise_id: str | None
    installer: str
    scopes: str
    revoked: bool = False


@dataclass
class Page:
    status: int
    body: str
    headers: dict[str, str] = field(default_factory=dict)


class OAuth:
    def __init__(self, *, default_team: str) -> None:
        self.default_team = default_team
        self.teams: dict[str, Team] = {default_team: Team(default_team, "Sandbox")}
        self.client_id: str | None = None
        self.client_secret: str | None = None
        self.redirect_uri: str | None = None
        # Who the browser is signed in as: the workspace (or org) an install goes to.
        self.signed_in: tuple[str | None, str | None, str] = (default_team, None, "UADMIN")
        self._codes: dict[str, Grant] = {}
        self.grants: dict[str, Grant] = {}
        self._seq = itertools.count(1)

    # --- set up by a test -------------------------------------------------------------------

    def register_app(self, *, client_id: str, client_secret: str, redirect_uri: str) -> None:
        self.client_id, self.client_secret = client_id, client_secret
        self.redirect_uri = redirect_uri

    def add_team(self, team_id: str, *, name: str, enterprise_id: str | None = None) -> None:
        self.teams[team_id] = Team(team_id, name, enterprise_id)

    def sign_in(
        self, *, user_id: str, team_id: str | None = None, enterprise_id: str | None = None
    ) -> None:
        """The next approval installs into `team_id`, or org-wide into `enterprise_id`."""
        self.signed_in = (team_id, enterprise_id, user_id)

    # --- the browser's pages ----------------------------------------------------------------

    def page(self, path: str, query: str) -> Page:
        args = {k: v[0] for k, v in parse_qs(query).items()}
        if path == "v2/authorize":
            return self._authorize_page(args)
        if path == "v2/approve":
            return self._approve(args)
        return Page(404, "not found")

    def _authorize_page(self, args: dict[str, str]) -> Page:
        if args.get("client_id") != self.client_id or not self.redirect_uri:
            return Page(400, _html("Invalid client_id", "<p>This app is not known.</p>"))
        team_id, enterprise_id, user_id = self.signed_in
        where = (
            f"the whole {escape(enterprise_id or '')} organisation"
            if team_id is None
            else escape(self.teams[team_id].name)
        )
        hidden = urlencode({"state": args.get("state", ""), "scope": args.get("scope", "")})
        deny = urlencode({"error": "access_denied", "state": args.get("state", "")})
        body = (
            f"<h1>The AOR bot is requesting permission to access {where}</h1>"
            f"<p>Signed in as {escape(user_id)}. It will be able to: "
            f"{escape(args.get('scope', '').replace(',', ', '))}.</p>"
            f'<p><a id="allow" href="/oauth/v2/approve?{hidden}">Allow</a> '
            f'<a id="cancel" href="{escape(self.redirect_uri)}?{deny}">Cancel</a></p>'
        )
        return Page(200, _html("Install the AOR bot", body), {"Content-Type": "text/html"})

    def _approve(self, args: dict[str, str]) -> Page:
        team_id, enterprise_id, user_id = self.signed_in
        if team_id is not None:
            enterprise_id = self.teams[team_id].enterprise_id
        code = f"code-{next(self._seq)}"
        owner = team_id or enterprise_id or "?"
        token = f"xoxb-{owner}-{next(self._seq)}-{secrets.token_hex(12)}"
        self._codes[code] = Grant(token, team_id, enterprise_id, user_id, args.get("scope", ""))
        location = f"{self.redirect_uri}?{urlencode({'code': code, 'state': args['state']})}"
        return Page(302, "", {"Location": location})

    # --- the Web API ------------------------------------------------------------------------

    def access(self, authorization: str | None, args: Json) -> Json:
        """`oauth.v2.access`: client credentials (HTTP Basic or arguments) and a fresh code."""
        client_id, client_secret = args.get("client_id"), args.get("client_secret")
        if authorization and authorization.startswith("Basic "):
            pair = base64.b64decode(authorization[6:]).decode()
            client_id, _, client_secret = pair.partition(":")
        if client_id != self.client_id:
            raise SlackError("invalid_client_id")
        if client_secret != self.client_secret:
            raise SlackError("bad_client_secret")
        grant = self._codes.pop(str(args.get("code")), None)
        if grant is None:
            raise SlackError("invalid_code")
        self.grants[grant.token] = grant
        team = self.teams.get(grant.team_id or "")
        ent = grant.enterprise_id
        return {
            "ok": True,
            "access_token": grant.token,
            "token_type": "bot",
            "scope": grant.scopes,
            "bot_user_id": BOT_USER_ID,
            "app_id": APP_ID,
            "team": {"id": team.id, "name": team.name} if team else None,
            "enterprise": {"id": ent, "name": ent} if ent else None,
            "authed_user": {"id": grant.installer},
            "is_enterprise_install": grant.team_id is None,
        }

    def grant(self, token: str) -> Grant | None:
        return self.grants.get(token)

    def revoke(self, *, team_id: str | None = None, enterprise_id: str | None = None) -> None:
        """Uninstall: every token of the workspace (or of the org-wide install) stops working."""
        for grant in self.grants.values():
            if (team_id and grant.team_id == team_id) or (
                enterprise_id and grant.team_id is None and grant.enterprise_id == enterprise_id
            ):
                grant.revoked = True

    def teams_of(self, grant: Grant | None) -> set[str]:
        """The workspaces a token speaks for."""
        if grant is None:
            return {self.default_team}
        if grant.team_id is not None:
            return {grant.team_id}
        return {t.id for t in self.teams.values() if t.enterprise_id == grant.enterprise_id}

    def auth_test(self, grant: Grant | None) -> Json:
        if grant is None or grant.team_id is not None:
            team_id = grant.team_id if grant else self.default_team
            team = self.teams.get(team_id or "")
            ent = team.enterprise_id if team else None
            return _auth(team_id, team.name if team else "Sandbox", ent, org_wide=False)
        ent = grant.enterprise_id
        return _auth(ent, ent or "", ent, org_wide=True)


def _auth(team_id: str | None, name: str, enterprise_id: str | None, *, org_wide: bool) -> Json:
    return {
        "ok": True,
        "url": "https://sandbox.slack.com/",
        "team": name,
        "user": "aor",
        "team_id": team_id,
        "user_id": BOT_USER_ID,
        "bot_id": BOT_ID,
        **({"enterprise_id": enterprise_id} if enterprise_id else {}),
        "is_enterprise_install": org_wide,
    }


def _html(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
        "</title><style>body{font-family:sans-serif;max-width:36rem;margin:4rem auto}"
        "a{margin-right:1rem}</style></head>"
        f"<body><p><b>slack</b> (sandbox)</p>{body}</body></html>"
    )
