"""app_manifest.yml declares what the code relies on."""

from __future__ import annotations

from bot.core.installs import BOT_SCOPES
from sandbox import SlackSpec
from tests.manifest_scopes import granted_scopes, manifest, missing_scopes


def test_declares_the_command_the_home_tab_and_interactivity() -> None:
    features = manifest()["features"]
    commands = {c["command"]: c for c in features["slash_commands"]}
    assert commands["/aor"]["should_escape"] is True
    assert features["app_home"]["home_tab_enabled"] is True
    settings = manifest()["settings"]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True
    assert "app_home_opened" in settings["event_subscriptions"]["bot_events"]


def test_grants_the_scopes_the_design_names() -> None:
    assert {"commands", "chat:write", "im:write", "users:read"} <= granted_scopes()


def test_oauth_mode_asks_for_what_the_manifest_grants_and_hears_uninstalls() -> None:
    assert frozenset(BOT_SCOPES) == granted_scopes()
    events = manifest()["settings"]["event_subscriptions"]["bot_events"]
    assert {"app_uninstalled", "tokens_revoked"} <= set(events)
    assert manifest()["oauth_config"]["redirect_urls"][0].endswith("/slack/oauth_redirect")


def test_scope_check_reads_the_spec_the_way_slack_means_it() -> None:
    spec = SlackSpec.load()
    granted = frozenset({"chat:write", "users:read"})
    assert missing_scopes("chat.postMessage", granted, spec) == []  # chat:write:bot
    assert missing_scopes("auth.test", granted, spec) == []  # none
    assert missing_scopes("views.publish", granted, spec) == []  # none
    assert missing_scopes("conversations.history", granted, spec) != []
    assert missing_scopes("conversations.open", frozenset({"im:write"}), spec) == []  # any one
