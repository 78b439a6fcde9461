"""/aor help, unknown subcommands, first contact and the first App Home, end to end."""

from __future__ import annotations

from sandbox import FakeSlack, SlackSide
from storage import members
from tests.utils.server import RunningApp
from tests.utils.wait import eventually


def test_unknown_subcommand_suggests_the_closest(slack: SlackSide) -> None:
    result = slack.command("pendng", user_id="UREP")
    assert result.status == 200
    assert "`/aor pending`" in result.json["text"]
    assert result.json["response_type"] == "ephemeral"


def test_app_home_shows_who_you_are(slack: SlackSide, fake: FakeSlack, running: RunningApp) -> None:
    assert slack.app_home_opened("UREP").status == 200
    home = eventually(lambda: fake.home("UREP"))
    text = str(home)
    # Your own Home names you (STYLE "Copy": no @mention of the reader to themself).
    assert "Rob Rep" in text and "<@UREP>" not in text
    assert "America/Los_Angeles" in text
    assert "/aor set-manager" in text  # no manager of record yet
    with running.rt.db.transaction() as session:
        member = members.get_member(session=session, team_id="T0001", user_id="UREP")
    assert member is not None and member.tz == "America/Los_Angeles"
    assert member.name == "Rob Rep"


def test_profile_is_read_once_then_cached(slack: SlackSide, fake: FakeSlack) -> None:
    slack.app_home_opened("UREP")
    eventually(lambda: fake.home("UREP"))
    slack.app_home_opened("UREP")
    eventually(lambda: len(fake.calls_to("views.publish")) == 2)
    assert len(fake.calls_to("users.info")) == 1
