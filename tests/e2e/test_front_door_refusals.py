"""The front door of POST /slack/events over real HTTP: size (413), then timestamp and signature
(401), then decoding and shape (400), each refusal one warning line and a short plain answer,
before anything is parsed; and what passes reaches Bolt as before."""

from __future__ import annotations

import logging
import time
from urllib.parse import urlencode

import pytest

from sandbox import FakeSlack, SlackSide
from tests.utils.front_door import MAX_BODY, errors_in

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

# Each of these answered 500 with a traceback while Bolt parsed bodies before checking them.
MALFORMED = [
    pytest.param(b"payload={not json", FORM, "payload is not JSON", id="payload-not-json"),
    pytest.param(b"payload=[]", FORM, "payload is JSON but not an object", id="payload-array"),
    pytest.param(b"[1, 2]", JSON, "body is JSON but not an object", id="json-array"),
    pytest.param(b'{"type": "event_\xff"}', JSON, "body is not valid UTF-8", id="invalid-utf8"),
    pytest.param(
        "command=/aor&text=caf\xe9".encode("latin-1"),
        f"{FORM}; charset=latin-1",
        "charset 'latin-1' is not utf-8",
        id="latin-1",
    ),
    pytest.param(b"text=hello", FORM, "form has neither payload nor command", id="form-no-payload"),
    pytest.param(b"", FORM, "form has neither payload nor command", id="empty"),
]


@pytest.fixture(autouse=True)
def _logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)


def _refusals(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.getMessage() == "http.refused"]


def _assert_refused_quietly(
    caplog: pytest.LogCaptureFixture, fake: FakeSlack, status: int, reason: str
) -> None:
    """One warning naming the reason, no ERROR or traceback, no Web API call after start."""
    (refusal,) = _refusals(caplog)
    assert refusal.levelno == logging.WARNING
    assert (refusal.status, refusal.reason) == (status, reason)  # type: ignore[attr-defined]
    assert errors_in(caplog.records) == []
    assert {c.method for c in fake.calls} <= {"auth.test"}  # only start-up's question
    assert fake.responses == []


@pytest.mark.parametrize("signed", [False, True], ids=["unsigned-401", "signed-400"])
@pytest.mark.parametrize(("body", "content_type", "reason"), MALFORMED)
def test_malformed_bodies_are_refused_401_unsigned_and_400_signed(
    slack: SlackSide,
    fake: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
    content_type: str,
    reason: str,
    signed: bool,
) -> None:
    result = slack.post_raw(body, {"Content-Type": content_type}, sign=signed)
    if signed:  # the signature holds, so the body is read: and refused
        assert (result.status, result.body) == (400, "bad request\n")
        _assert_refused_quietly(caplog, fake, 400, reason)
    else:  # refused before the body is even decoded
        assert (result.status, result.body) == (401, "invalid or missing signature\n")
        _assert_refused_quietly(caplog, fake, 401, "no X-Slack-Request-Timestamp")


@pytest.mark.parametrize(
    ("timestamp", "reason"),
    [
        ("not-a-number", "X-Slack-Request-Timestamp is not a number"),
        ("¹²³", "X-Slack-Request-Timestamp is not a number"),  # str.isdigit() says yes
        ("-5", "X-Slack-Request-Timestamp is not a number"),
        ("99999999999999999999", "X-Slack-Request-Timestamp is not a number"),
        ("0", "X-Slack-Request-Timestamp is more than 5 minutes away"),
    ],
)
def test_timestamps_that_are_not_now_are_401(
    slack: SlackSide, fake: FakeSlack, caplog: pytest.LogCaptureFixture, timestamp: str, reason: str
) -> None:
    body = b"command=%2Faor&text=help"
    headers = {
        "Content-Type": FORM,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": slack.signature(timestamp, body),
    }
    result = slack.post_raw(body, headers)
    assert result.status == 401
    _assert_refused_quietly(caplog, fake, 401, reason)


@pytest.mark.parametrize(
    ("signature", "reason"),
    [
        (None, "no X-Slack-Signature of the form v0=<64 hex digits>"),
        ("v0=é" + "0" * 63, "no X-Slack-Signature of the form v0=<64 hex digits>"),
        ("v0=" + "0" * 64, "X-Slack-Signature does not match the body"),
    ],
)
def test_missing_or_wrong_signatures_are_401(
    slack: SlackSide,
    fake: FakeSlack,
    caplog: pytest.LogCaptureFixture,
    signature: str | None,
    reason: str,
) -> None:
    headers = [("Content-Type", FORM), ("X-Slack-Request-Timestamp", str(int(time.time())))]
    if signature is not None:
        headers.append(("X-Slack-Signature", signature))
    result = slack.post_raw(b"command=%2Faor&text=help", headers)
    assert result.status == 401
    _assert_refused_quietly(caplog, fake, 401, reason)


def test_a_body_over_1_mib_is_413_signed_or_not(
    slack: SlackSide, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    body = b'{"type": "event_callback", "pad": "' + b"x" * MAX_BODY + b'"}'
    unsigned = slack.post_raw(body, {"Content-Type": JSON})
    signed = slack.post_raw(body, {"Content-Type": JSON}, sign=True)
    assert (unsigned.status, unsigned.body) == (413, "request too large\n")
    assert signed.status == 413
    assert [r.status for r in _refusals(caplog)] == [413, 413]  # type: ignore[attr-defined]
    assert errors_in(caplog.records) == []


def test_content_length_must_be_a_number(
    slack: SlackSide, fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    result = slack.post_raw(b"{}", {"Content-Type": JSON, "Content-Length": "two"}, sign=True)
    assert result.status == 400
    _assert_refused_quietly(caplog, fake, 400, "Content-Length is not a number")


def test_what_passes_the_door_reaches_bolt_unchanged(
    slack: SlackSide, caplog: pytest.LogCaptureFixture
) -> None:
    form = urlencode(slack.command_form("help", user_id="UREP")).encode() + b"&pad="
    exactly_1_mib = form + b"x" * (MAX_BODY - len(form))
    result = slack.post_raw(exactly_1_mib, {"Content-Type": f"{FORM}; charset=UTF-8"}, sign=True)
    assert result.status == 200 and "`/aor add-task" in result.json["text"]
    assert slack.command("help", user_id="UREP").status == 200
    assert _refusals(caplog) == []
