"""Fuzz over real HTTP, the unsigned half: junk that Slack never sent (random bytes and headers,
bodies over 1 MiB, timestamps that are not numbers or not now, signatures that are missing,
forged or made with another secret) posted to the running app's /slack/events. Every answer
is a refusal (400, 401 or 413) within 3 s; nothing is logged at ERROR or with a traceback;
Slack's Web API hears nothing; and each refusal is exactly one warning line."""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, given, settings

from sandbox import FakeSlack, SlackSide
from tests.conftest import SIGNING_SECRET, TEAM
from tests.utils.front_door import Probe, Tally, errors_in, junk, send
from tests.utils.server import run_app

EXAMPLES = 600


def test_unsigned_and_badly_signed_junk_is_refused_at_the_door(
    fake: FakeSlack, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    tally = Tally()
    with run_app(fake=fake, database_url=sqlite_url, signing_secret=SIGNING_SECRET) as app:
        side = SlackSide(app.events_url, SIGNING_SECRET, fake, team_id=TEAM)
        calls_at_start = len(fake.calls)

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(probe=junk())
        def door_refuses(probe: Probe) -> None:
            result = send(side, probe, tally)
            assert result.status in (400, 401, 413), (result, probe)

        door_refuses()
    print("\n" + tally.summary("front door fuzz, unsigned half"))
    assert tally.sent >= EXAMPLES
    assert errors_in(caplog.records) == []
    refusals = [r for r in caplog.records if r.getMessage() == "http.refused"]
    assert len(refusals) == tally.sent  # one warning line each, no more
    assert all(r.levelno == logging.WARNING for r in refusals)
    assert fake.calls[calls_at_start:] == [] and fake.responses == []
    fake.assert_no_violations()
