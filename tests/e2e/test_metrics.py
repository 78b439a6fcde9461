"""GET /metrics (issue 14, must show 5): every series the operations guide names is there,
and the values move under a small load of commands, clicks, events, a 429, Slack errors, a
failing send left in the outbox and a morning plan."""

from __future__ import annotations

import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from sandbox import FakeSlack, SlackSide
from tests.utils.people import name_manager
from tests.utils.seed import item_rows, seed
from tests.utils.server import RunningApp
from tests.utils.wait import eventually

SERIES = {
    "aor_request_seconds",
    "aor_slow_acks",
    "aor_outbox_depth",
    "aor_outbox_oldest_seconds",
    "aor_plans",
    "aor_packs",
    "aor_slack_api_errors",
    "aor_slack_429",
    "aor_slack_429_wait_seconds",
    "aor_db_pool_in_use",
}

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def _scrape(running: RunningApp) -> tuple[set[str], Samples]:
    with urllib.request.urlopen(f"{running.base_url}/metrics", timeout=10) as answer:
        assert answer.headers["Content-Type"].startswith("text/plain")
        text = answer.read().decode()
    names, samples = set(), {}
    for family in text_string_to_metric_families(text):
        names.add(family.name)
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return names, samples


def _value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_expose_the_series_and_move_under_load(
    slack: SlackSide, fake: FakeSlack, running: RunningApp
) -> None:
    names, before = _scrape(running)
    assert names >= SERIES, SERIES - names

    for _ in range(5):
        assert slack.command("help", user_id="UREP").status == 200
    name_manager(slack, fake, "UREP", "UREP2")
    fake.rate_limit("chat.postMessage", retry_after=0)  # waited out by slack_sdk's retry
    slack.command("add-task <@UREP|rob> Update the pricing page 2h", user_id="UMANAGER")
    eventually(lambda: fake.dm_messages("UMANAGER") and fake.dm_messages("UREP"))
    slack.app_home_opened("UREP")
    told = slack.command("doc <@UNOBODY|nobody>", user_id="UMANAGER")  # users.info refuses
    assert told.status == 200
    fake.wait_until_quiet()
    fake.fail("chat.postMessage", status=500, times=3)  # the first try and both retries
    slack.command("add-task <@UREP2|rita> Chase the invoices 1h", user_id="UMANAGER")
    eventually(lambda: [c.status for c in fake.calls_to("chat.postMessage")].count(500) == 3)
    fake.wait_until_quiet()
    with running.rt.db.transaction() as session:
        seed(session, [], item_rows("T0001", "UREP", 3))
    running.plan_now(team_id="T0001", user_id="UREP")
    running.tick()

    with running.rt.db.engine.connect():  # one connection held while scraping
        _, after = _scrape(running)

    def moved(name: str, **labels: str) -> float:
        return _value(after, name, **labels) - _value(before, name, **labels)

    assert moved("aor_request_seconds_count", kind="slash_command") == 0
    assert moved("aor_request_seconds_count", kind="command") >= 10
    assert moved("aor_request_seconds_count", kind="event_callback") >= 1
    assert moved("aor_request_seconds_sum", kind="command") > 0
    assert moved("aor_slack_429_total", method="chat.postMessage") >= 1
    assert moved("aor_slack_api_errors_total", method="users.info", error="user_not_found") >= 1
    assert moved("aor_slack_api_errors_total", method="chat.postMessage", error="fatal_error") >= 1
    assert _value(after, "aor_outbox_depth", team="T0001") >= 1
    assert _value(after, "aor_outbox_oldest_seconds", team="T0001") >= 0
    assert moved("aor_plans_total", outcome="claimed") == 1
    assert moved("aor_plans_total", outcome="sent") == 1
    assert _value(after, "aor_db_pool_in_use") >= 1
    assert ("aor_slow_acks_total", (("kind", "command"),)) not in after or moved(
        "aor_slow_acks_total", kind="command"
    ) == 0
