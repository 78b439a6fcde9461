"""Installing the app into a sandbox workspace the way a browser does, over plain HTTP with
a cookie jar (the real-browser version is tests/e2e/test_install_browser.py)."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.request
from html import unescape

from sandbox import FakeSlack, SlackSide
from tests.conftest import SIGNING_SECRET
from tests.utils.server import RunningApp


def install(
    running: RunningApp,
    fake: FakeSlack,
    *,
    team_id: str | None,
    user_id: str = "UADMIN",
    enterprise_id: str | None = None,
) -> str:
    """Open /slack/install, follow "Add to Slack", approve on Slack's page and land back on
    the app; the final page's HTML. `team_id` None: an org-wide install of `enterprise_id`."""
    fake.oauth.sign_in(user_id=user_id, team_id=team_id, enterprise_id=enterprise_id)
    jar = http.cookiejar.CookieJar(policy=_LocalhostIsSecure())
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = _get(browser, running.install_url)
    add = unescape(_href(page, "add-to-slack"))
    authorize = _get(browser, add)
    allow = unescape(_href(authorize, "allow"))
    return _get(browser, f"{fake.base_url}{allow}")  # redirects back to the app


def workspace(
    running: RunningApp, fake: FakeSlack, team_id: str, enterprise_id: str | None = None
) -> SlackSide:
    """Slack's side of requests from one workspace (of the org `enterprise_id`)."""
    return SlackSide(
        running.events_url, SIGNING_SECRET, fake, team_id=team_id, enterprise_id=enterprise_id
    )


class _LocalhostIsSecure(http.cookiejar.DefaultCookiePolicy):
    """Browsers send `Secure` cookies (Bolt's OAuth state cookie is one) to http://127.0.0.1,
    a potentially trustworthy origin; urllib does not unless told."""

    def return_ok_secure(self, cookie: http.cookiejar.Cookie, request: object) -> bool:
        return True


def _get(browser: urllib.request.OpenerDirector, url: str) -> str:
    with browser.open(url, timeout=10) as response:
        return str(response.read().decode())


def _href(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}" href="([^"]+)"', html)
    assert found, f"no #{element_id} link in {html[:300]}"
    return found.group(1)
