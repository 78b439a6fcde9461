"""No secret in any log line in OAuth mode: `aor serve --http` at LOG_LEVEL=DEBUG installs a
workspace through the install pages, serves it, and is uninstalled; its output is then
searched for the client secret, the state secret, the signing secret and the bot token the
install left."""

from __future__ import annotations

import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sandbox import FakeSlack, SlackSide
from tests.utils.installs import install
from tests.utils.people import name_manager
from tests.utils.process import aor_executable, clean_env, free_port, wait_healthy
from tests.utils.wait import eventually


@dataclass
class _App:
    base_url: str

    @property
    def install_url(self) -> str:
        return f"{self.base_url}/slack/install"


def test_an_install_at_debug_logs_no_secret(fake: FakeSlack, tmp_path: Path) -> None:
    client_secret, state_secret, signing = (secrets.token_hex(16) for _ in range(3))
    port = free_port()
    app = _App(f"http://127.0.0.1:{port}")
    fake.oauth.register_app(
        client_id="1111.2222",
        client_secret=client_secret,
        redirect_uri=f"{app.base_url}/slack/oauth_redirect",
    )
    env = clean_env(
        SLACK_CLIENT_ID="1111.2222",
        SLACK_CLIENT_SECRET=client_secret,
        SLACK_STATE_SECRET=state_secret,
        SLACK_SIGNING_SECRET=signing,
        SLACK_API_URL=fake.api_url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'aor.db'}",
        LOG_LEVEL="DEBUG",
        AOR_TICK_SECONDS="1",
    )
    log = tmp_path / "aor.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [aor_executable(), "serve", "--http", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_healthy(f"{app.base_url}/healthz", process)
            install(app, fake, team_id="T0001")  # type: ignore[arg-type]
            slack = SlackSide(f"{app.base_url}/slack/events", signing, fake)
            name_manager(slack, fake, "UREP")
            slack.command("add-task <@UREP|rob> Call the top ten leads 2h", user_id="UMANAGER")
            eventually(lambda: fake.dm_messages("UMANAGER"))
            fake.oauth.revoke(team_id="T0001")
            assert slack.event({"type": "app_uninstalled"}).status == 200
            eventually(lambda: "workspace.uninstalled" in log.read_text(errors="replace"))
        finally:
            process.terminate()
            process.wait(timeout=15)
    output = log.read_text(errors="replace")
    assert '"level": "debug"' in output and "workspace.installed" in output
    [grant] = fake.oauth.grants.values()
    for what, needle in (
        ("the client secret", client_secret),
        ("the state secret", state_secret),
        ("the signing secret", signing),
        ("the bot token", grant.token),
        ("the bot token's last 12 characters", grant.token[-12:]),
    ):
        hits = [line for line in output.splitlines() if needle in line]
        assert hits == [], f"{what} is in the log:\n" + "\n".join(hits[:5])
    fake.assert_no_violations()
