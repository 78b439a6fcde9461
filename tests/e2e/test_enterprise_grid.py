"""Enterprise Grid (issue 14, must show 4): one org-wide install (`is_enterprise_install`)
serves two teams of the org, each team's rows apart, every send with the org's token."""

from __future__ import annotations

from sqlmodel import select

from sandbox import FakeSlack, SlackSide
from storage.models import Assignment, Workspace
from tests.conftest import SIGNING_SECRET
from tests.utils.installs import install
from tests.utils.people import name_manager
from tests.utils.server import RunningApp
from tests.utils.slack_text import all_text
from tests.utils.wait import eventually

ORG, EAST, WEST = "E0001", "T0101", "T0102"


def test_an_org_wide_install_serves_two_teams(fake: FakeSlack, oauth_running: RunningApp) -> None:
    for team, name, people in (
        (EAST, "East Sales", ("UEMGR", "UEREP")),
        (WEST, "West Sales", ("UWMGR", "UWREP")),
    ):
        fake.oauth.add_team(team, name=name, enterprise_id=ORG)
        for user in people:
            fake.add_user(user, name=user.lower(), team_id=team)
    page = install(oauth_running, fake, team_id=None, enterprise_id=ORG, user_id="UEMGR")
    assert f"The AOR bot is installed in {ORG}" in page
    [grant] = fake.oauth.grants.values()
    assert grant.team_id is None and grant.enterprise_id == ORG

    for team, manager, rep in ((EAST, "UEMGR", "UEREP"), (WEST, "UWMGR", "UWREP")):
        side = SlackSide(
            oauth_running.events_url,
            SIGNING_SECRET,
            fake,
            team_id=team,
            enterprise_id=ORG,
            org_wide=True,
        )
        assert "`/aor add-task" in side.command("help", user_id=rep).json["text"]
        name_manager(side, fake, rep, manager=manager)
        side.command(f"add-task <@{rep}> Prospect list for {team} 2h", user_id=manager)
        approval = eventually(lambda m=manager: next(iter(fake.dm_messages(m)), None))
        assert f"Prospect list for {team}" in all_text(approval)

    with oauth_running.rt.db.transaction() as session:
        requests = {a.team_id: a.title for a in session.exec(select(Assignment))}
        served = {w.team_id: w.enterprise_id for w in session.exec(select(Workspace))}
    assert requests == {EAST: f"Prospect list for {EAST}", WEST: f"Prospect list for {WEST}"}
    assert served == {EAST: ORG, WEST: ORG}
    fake.wait_until_quiet()
    sends = [c for c in fake.calls if c.method in ("chat.postMessage", "views.publish")]
    assert sends and {c.token for c in sends} == {grant.token}

    # Uninstalled from the org: both teams stop at once.
    fake.oauth.revoke(enterprise_id=ORG)
    east = SlackSide(
        oauth_running.events_url,
        SIGNING_SECRET,
        fake,
        team_id=EAST,
        enterprise_id=ORG,
        org_wide=True,
    )
    assert east.event({"type": "app_uninstalled"}).status == 200

    def uninstalled() -> set[str]:
        with oauth_running.rt.db.transaction() as session:
            rows = session.exec(select(Workspace)).all()
            return {w.team_id for w in rows if w.uninstalled_at is not None}

    assert eventually(lambda: uninstalled() == {EAST, WEST})
    assert "/aor add-task" not in east.command("help", user_id="UEREP").body
