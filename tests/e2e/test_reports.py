"""Issue 5: `/aor report` and `/aor export` over HTTP (files land in the asker's DM), and
`aor export` from the command line with no Slack token."""

from __future__ import annotations

import csv
import io
import subprocess

from bot.core.clock import local_date
from bot.rules.day_plan import PlanItem
from sandbox import FakeSlack, SlackSide, UploadedFile
from storage.enums import PlanStatus, Tier
from storage.models import DailyPlan, PlanCheck
from storage.types import utcnow
from tests.utils.process import aor_executable, clean_env
from tests.utils.server import RunningApp
from tests.utils.slack_text import all_text, replies
from tests.utils.wait import eventually

TEAM = "T0001"
REP = "<@UREP|rob>"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _with_manager(slack: SlackSide, fake: FakeSlack) -> None:
    result = slack.command(f"set-manager {REP} <@UMANAGER|maria>", user_id="UREP")
    eventually(lambda: replies(fake, result.response_url))


def _seed_today(running: RunningApp) -> None:
    """Today's plan for the rep: one selling item ticked, one support item not."""
    items = [
        PlanItem(id=1, title="Call new leads", tier=Tier.first, minutes=90, cadence="daily"),
        PlanItem(id=2, title="CRM hygiene", tier=Tier.second, minutes=30, cadence="daily"),
    ]
    with running.rt.db.transaction() as session:
        plan = DailyPlan(
            team_id=TEAM,
            user_id="UREP",
            plan_date=local_date(utcnow(), "America/Los_Angeles"),
            status=PlanStatus.sent,
            claimed_by="test",
            items=[i.to_json() for i in items],
        )
        session.add(plan)
        session.flush()
        session.add(PlanCheck(plan_id=plan.id or 0, item_id=1, checked=True))


def _files_in_dm(fake: FakeSlack, user_id: str, count: int) -> list[UploadedFile]:
    channel = fake.dm_channel(user_id)
    return eventually(
        lambda: (
            found
            if len(found := [f for f in fake.files if f.channel_id == channel]) >= count
            else []
        )
    )


def _last_reply(fake: FakeSlack, response_url: str | None) -> str:
    return eventually(lambda: replies(fake, response_url))[-1]


def test_manager_gets_the_report_and_its_chart_in_their_dm(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    _with_manager(slack, fake)
    _seed_today(running)

    result = slack.command(f"report {REP} this-week", user_id="UMANAGER")

    assert result.status == 200
    assert _last_reply(fake, result.response_url) == "Report sent to your DMs."
    (chart,) = _files_in_dm(fake, "UMANAGER", 1)
    assert chart.content.startswith(PNG_SIGNATURE) and len(chart.content) > 5_000
    assert chart.title.startswith("Rob Rep: planned vs done, week")
    assert chart.alt_txt.startswith("Bar chart of Rob Rep's planned and done hours by priority")
    message = eventually(lambda: fake.dm_messages("UMANAGER"))[-1]
    shown = all_text(message)
    assert "First priority: 1h30m planned, 1h30m done (100%)" in shown
    assert "Second priority: 30m planned, none done yet" in shown
    assert "Done selling share*: 100%" in shown
    assert not [f for f in fake.files if f.channel_id == fake.dm_channel("UREP")]


def test_manager_gets_the_team_chart_and_a_rep_without_reports_is_told_why(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    _with_manager(slack, fake)
    _seed_today(running)

    result = slack.command("report team", user_id="UMANAGER")

    assert _last_reply(fake, result.response_url) == "Your team's report is in your DMs."
    (chart,) = _files_in_dm(fake, "UMANAGER", 1)
    assert chart.content.startswith(PNG_SIGNATURE)
    assert int.from_bytes(chart.content[16:20], "big") >= 1400  # the PNG's width
    assert chart.title.startswith("Your team's selling share, week of")
    assert "Rob Rep: planned selling share" in chart.alt_txt
    assert "done selling share 100%" in chart.alt_txt and "60% target" in chart.alt_txt
    shown = all_text(eventually(lambda: fake.dm_messages("UMANAGER"))[-1])
    assert "*Your team* (1 rep), target 60%" in shown
    assert "done selling share this week 100%" in shown
    alone = slack.command("report team", user_id="UREP")
    assert "Nobody has you as their manager of record yet" in _last_reply(fake, alone.response_url)


def test_report_refuses_outsiders_and_names_a_bad_period(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    _with_manager(slack, fake)

    outsider = slack.command(f"report {REP}", user_id="UOTHER")
    assert "their manager of record or an admin" in _last_reply(fake, outsider.response_url)
    bad = slack.command("report fortnight", user_id="UREP")
    assert "`fortnight` is not a period" in _last_reply(fake, bad.response_url)
    exported = slack.command(f"export {REP}", user_id="UOTHER")
    assert "their manager of record or an admin" in _last_reply(fake, exported.response_url)
    assert fake.files == []


def test_export_sends_markdown_and_csv_to_the_reps_dm(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    _with_manager(slack, fake)
    _seed_today(running)

    result = slack.command("export", user_id="UREP")

    assert "Export sent to your DMs" in _last_reply(fake, result.response_url)
    files = {f.filename: f for f in _files_in_dm(fake, "UREP", 3)}
    assert set(files) == {"aor-UREP.md", "aor-UREP.csv", "decisions-UREP.csv"}
    assert files["aor-UREP.md"].content.decode().startswith("# AOR: Rob Rep\n")
    decisions = list(csv.DictReader(io.StringIO(files["decisions-UREP.csv"].content.decode())))
    assert [r["action"] for r in decisions] == ["member.manager_set"]
    assert decisions[0]["after"] == '{"manager": "UMANAGER"}'


def _aor_export(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [aor_executable(), "export", "--team", TEAM, *args],
        env=clean_env(DATABASE_URL=db_url),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_export_prints_markdown_and_csv_without_a_slack_token(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    _with_manager(slack, fake)
    url = running.settings.database_url

    markdown = _aor_export(url, "--user", "UREP", "--format", "md")
    decisions = _aor_export(url, "--user", "UREP", "--format", "csv")
    items = _aor_export(url, "--user", "UREP", "--format", "csv", "--what", "items")
    unknown = _aor_export(url, "--user", "UNOBODY", "--format", "md")

    assert markdown.returncode == 0, markdown.stderr
    assert markdown.stdout.startswith("# AOR: Rob Rep\n")
    assert "Rob Rep named Maria Manager manager of record." in markdown.stdout
    assert decisions.returncode == 0, decisions.stderr
    rows = list(csv.DictReader(io.StringIO(decisions.stdout)))
    assert [(r["actor"], r["action"]) for r in rows] == [("UREP", "member.manager_set")]
    assert items.returncode == 0, items.stderr
    assert items.stdout.startswith("tier,title,minutes")
    assert unknown.returncode == 2 and "no member UNOBODY" in unknown.stderr  # STYLE: exit 2
