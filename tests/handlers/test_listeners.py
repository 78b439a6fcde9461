"""Every listener the real app registers is guarded, and every surface has listeners."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pydantic import SecretStr
from slack_bolt import App
from slack_bolt.listener.custom_listener import CustomListener

from bot.app import build_app
from bot.core.config import Settings
from handlers.errors import is_guarded
from sandbox import FakeSlack
from storage.db import make_engine

# Bolt's builtin matcher for each registration method is a closure named after it.
SURFACES = {
    "command": "command",
    "action": "action",
    "view_submission": "view",
    "event": "event",
}


@pytest.fixture
def app(sqlite_url: str, fake: FakeSlack) -> Iterator[App]:
    settings = Settings(
        slack_bot_token=SecretStr("xoxb-test"),
        slack_signing_secret=SecretStr("test-signing-secret"),
        slack_api_url=fake.api_url,  # building the app asks Slack which workspace it serves
        database_url=sqlite_url,
    )
    engine = make_engine(sqlite_url)
    yield build_app(settings, engine)
    engine.dispose()


def _listeners(app: App) -> list[CustomListener]:
    listeners = app._listeners
    assert all(isinstance(listener, CustomListener) for listener in listeners)
    return [listener for listener in listeners if isinstance(listener, CustomListener)]


def _surface(listener: CustomListener) -> str:
    matcher = listener.matchers[0]
    name = matcher.func.__qualname__.split(".")[0]  # type: ignore[attr-defined]
    return SURFACES.get(name, name)


def test_every_listener_is_guarded(app: App) -> None:
    bare = [
        f"{_surface(listener)} {function.__name__}"
        for listener in _listeners(app)
        for function in (listener.ack_function, *listener.lazy_functions)
        if not is_guarded(function)
    ]
    assert bare == [], "register listeners through handlers.listen"


def test_every_surface_has_listeners(app: App) -> None:
    surfaces = {_surface(listener) for listener in _listeners(app)}
    assert {"command", "action", "view", "event"} <= surfaces
