"""Workspaces in OAuth mode: installed through the install pages, served, uninstalled (tokens
gone and plans stopped at once), and purged once the retention period is over."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from urllib.parse import urljoin

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient

from bot.core.config import reveal
from bot.core.installs import BOT_SCOPES
from bot.core.logs import log_event
from bot.core.runtime import Runtime
from bot.render.pages import build_failure_page, build_install_page, build_installed_page
from storage import workspaces as store
from storage.types import utcnow

logger = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
_HTML: dict[str, str | Sequence[str]] = {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
}


class _Flow(OAuthFlow):
    """Bolt's OAuth flow, showing our own "Add to Slack" page."""

    def build_install_page_html(self, url: str, request: BoltRequest) -> str:
        return build_install_page(url)


def build_oauth_flow(rt: Runtime) -> OAuthFlow:
    """Bolt's OAuth flow on slack_sdk's stores (rt.installs). Slack's authorize page sits
    beside its Web API (https://slack.com/oauth/v2/authorize for https://slack.com/api/)."""
    settings, installs = rt.settings, rt.installs
    assert installs is not None, "OAuth mode builds Installs first"
    api_url = settings.slack_api_url

    def success(args: SuccessArgs) -> BoltResponse:
        found = args.installation
        if found.team_id is not None:  # an org-wide install has no team: its teams come later
            note_workspace(rt, team_id=found.team_id, enterprise_id=found.enterprise_id)
        log_event(
            logger,
            "workspace.installed",
            team=found.team_id,
            enterprise=found.enterprise_id,
            org_wide=bool(found.is_enterprise_install),
            by=found.user_id,
        )
        name = found.team_name or found.enterprise_name or "your workspace"
        return BoltResponse(
            status=200, body=build_installed_page(workspace=name), headers=dict(_HTML)
        )

    def failure(args: FailureArgs) -> BoltResponse:
        log_event(logger, "workspace.install_failed", logging.WARNING, reason=args.reason)
        status = args.suggested_status_code
        return BoltResponse(
            status=status, body=build_failure_page(args.reason), headers=dict(_HTML)
        )

    oauth = OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=reveal(settings.slack_client_secret),
        scopes=list(BOT_SCOPES),
        installation_store=installs.installation_store,
        installation_store_bot_only=True,
        state_store=installs.state_store,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        authorization_url=urljoin(api_url, "../oauth/v2/authorize"),
        callback_options=CallbackOptions(success=success, failure=failure),
    )
    return _Flow(client=WebClient(base_url=api_url, timeout=10), settings=oauth)


def note_workspace(rt: Runtime, *, team_id: str, enterprise_id: str | None) -> None:
    """Remember that `team_id` (of the Grid org `enterprise_id`) is served: once per process."""
    if rt.installs is None or rt.installs.noted(team_id, enterprise_id):
        return
    now = utcnow()
    rt.transact(
        lambda session: store.note(
            session=session, team_id=team_id, enterprise_id=enterprise_id, now=now
        )
    )
    rt.installs.remember(team_id, enterprise_id)


def uninstalled(
    rt: Runtime,
    *,
    team_id: str | None,
    enterprise_id: str | None,
    org_wide: bool,
    bot_only: bool = False,
    now: datetime | None = None,
) -> list[str]:
    """`app_uninstalled` or the bot's `tokens_revoked`: the tokens are deleted, that
    workspace's (or the whole org's) plans and queued messages stop; its data is purged after
    AOR_RETENTION_DAYS. The teams it applied to."""
    at = now or utcnow()
    scope = None if org_wide else team_id
    if rt.installs is not None:
        rt.installs.forget(team_id=scope, enterprise_id=enterprise_id, bot_only=bot_only)
    keep = timedelta(days=rt.settings.aor_retention_days)
    teams = rt.transact(
        lambda session: store.uninstall(
            session=session, team_id=scope, enterprise_id=enterprise_id, now=at, keep=keep
        )
    )
    if rt.installs is not None:
        rt.installs.unremember(teams)
    for team in teams:
        log_event(logger, "workspace.uninstalled", team=team, purge_after=str(at + keep))
    return teams


def purge_due(rt: Runtime, *, now: datetime) -> list[str]:
    """Purge every uninstalled workspace whose retention period is over (the scheduler)."""
    due = rt.transact(lambda session: store.due_for_purge(session=session, now=now))
    for team in due:
        purge_team(rt, team_id=team, now=now, by="retention")
    return due


def purge_team(rt: Runtime, *, team_id: str, now: datetime, by: str) -> dict[str, int]:
    """Delete every row of `team_id` now, in one transaction; logged with who asked."""
    counts = rt.transact(lambda session: store.purge(session=session, team_id=team_id, now=now))
    if rt.installs is not None:
        rt.installs.unremember([team_id])
    log_event(logger, "workspace.purged", logging.WARNING, team=team_id, by=by, rows=counts)
    return counts
