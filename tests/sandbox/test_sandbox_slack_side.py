"""SlackSide against a capturing endpoint and against a real Bolt app served over HTTP."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_bolt import App, BoltRequest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from sandbox import FakeSlack, SlackSide

SECRET = "sandbox-signing-secret"
MODAL = {
    "type": "modal",
    "callback_id": "aor_edit",
    "title": {"type": "plain_text", "text": "Edit AOR"},
    "submit": {"type": "plain_text", "text": "Save"},
    "blocks": [
        {
            "type": "input",
            "block_id": "name",
            "label": {"type": "plain_text", "text": "Name"},
            "element": {"type": "plain_text_input", "action_id": "value"},
        },
        {
            "type": "input",
            "block_id": "when",
            "optional": True,
            "label": {"type": "plain_text", "text": "Due"},
            "element": {"type": "datepicker", "action_id": "date"},
        },
    ],
}
PRIORITIES = [
    {"text": {"type": "plain_text", "text": label}, "value": label} for label in ("call", "email")
]


def _serve(dispatch: Callable[[str, dict[str, str]], tuple[int, str]]) -> Iterator[str]:
    """Serve `dispatch(body, headers) -> (status, body)` on a free port; yields the URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            status, answer = dispatch(body, dict(self.headers.items()))
            data = answer.encode()
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/slack/events"
    server.shutdown()
    server.server_close()


def _wait_for(condition: Callable[[], Any], timeout: float = 3.0) -> Any:
    """Bolt runs listeners after ack(), so their API calls land a moment after the reply."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.01)
    return result


@pytest.fixture
def captured() -> Iterator[tuple[str, list[tuple[str, dict[str, str]]]]]:
    requests: list[tuple[str, dict[str, str]]] = []

    def record(body: str, headers: dict[str, str]) -> tuple[int, str]:
        requests.append((body, headers))
        return 200, ""

    for url in _serve(record):
        yield url, requests


def test_requests_are_signed_as_slack_signs_them(
    fake: FakeSlack, captured: tuple[str, list[tuple[str, dict[str, str]]]]
) -> None:
    url, requests = captured
    side = SlackSide(url, SECRET, fake)
    fake.add_user("U1", name="ann")
    result = side.command("list", user_id="U1")
    side.app_home_opened("U1")
    side.command("x", user_id="U1", timestamp=int(time.time()) - 600)
    side.command("x", user_id="U1", signature="v0=forged")

    verifier = SignatureVerifier(SECRET)
    valid = [verifier.is_valid_request(body, headers) for body, headers in requests]
    assert valid == [True, True, False, False]
    form = {k: v[0] for k, v in parse_qs(requests[0][0]).items()}
    assert form["user_name"] == "ann" and form["team_domain"] == "acme"
    assert (form["response_url"], form["trigger_id"]) == (result.response_url, result.trigger_id)


def test_raw_posts_send_exact_bytes_and_headers_signed_or_not(
    fake: FakeSlack, captured: tuple[str, list[tuple[str, dict[str, str]]]]
) -> None:
    url, requests = captured
    side = SlackSide(url, SECRET, fake)
    body = "payload=" + "é" * 3
    side.post_raw(body.encode(), [("Content-Type", "text/plain; charset=latin-1"), ("X-A", "1")])
    side.post_raw(body.encode(), {"Content-Type": "application/json"}, sign=True)
    side.post_raw(b"", {"X-Slack-Request-Timestamp": "not-a-number"})

    (first, unsigned), (second, signed), (empty, stamped) = requests
    assert first == second == body and empty == ""
    assert unsigned["Content-Type"] == "text/plain; charset=latin-1" and unsigned["X-A"] == "1"
    assert "X-Slack-Signature" not in unsigned
    assert SignatureVerifier(SECRET).is_valid_request(second, signed)
    assert stamped["X-Slack-Request-Timestamp"] == "not-a-number"


@pytest.fixture
def app_url(fake: FakeSlack) -> Iterator[str]:
    app = App(
        signing_secret=SECRET,
        client=WebClient(token="xoxb-test", base_url=fake.api_url),
    )

    @app.command("/aor")
    def command(ack: Any, body: dict[str, Any], client: WebClient, respond: Any) -> None:
        ack()
        if body["text"] == "edit":
            client.views_open(trigger_id=body["trigger_id"], view=MODAL)
        else:
            respond(text=f"got {body['text']}")

    @app.view("aor_edit")
    def save(ack: Any, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        ack()
        values = view["state"]["values"]
        name, due = values["name"]["value"]["value"], values["when"]["date"]["selected_date"]
        client.chat_postMessage(
            channel=body["user"]["id"],
            text=f"saved {name} due {due}",
            blocks=[
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "button",
                            "action_id": "done",
                            "value": name,
                            "text": {"type": "plain_text", "text": "Done"},
                        }
                    ],
                },
                {
                    "type": "section",
                    "block_id": "prio",
                    "text": {"type": "mrkdwn", "text": "Today"},
                    "accessory": {"type": "checkboxes", "action_id": "pick", "options": PRIORITIES},
                },
            ],
        )

    @app.action("done")
    def done(ack: Any, action: dict[str, Any], respond: Any) -> None:
        ack()
        respond(replace_original=True, text=f"done {action['value']}")

    @app.action("pick")
    def pick(ack: Any, action: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        ack()
        picked = [o["value"] for o in action["selected_options"]]
        assert body["state"]["values"]["prio"]["pick"]["selected_options"]
        client.chat_postMessage(channel=body["user"]["id"], text="picked " + ",".join(picked))

    @app.event("app_home_opened")
    def home(event: dict[str, Any], client: WebClient) -> None:
        client.views_publish(user_id=event["user"], view={"type": "home", "blocks": []})

    def dispatch(body: str, headers: dict[str, str]) -> tuple[int, str]:
        # A copy, typed as Bolt's `dict[str, str | Sequence[str]]` (dict is invariant).
        response = app.dispatch(BoltRequest(body=body, headers={**headers}))
        return response.status, response.body

    yield from _serve(dispatch)


def test_bolt_app_accepts_every_payload(fake: FakeSlack, app_url: str) -> None:
    side = SlackSide(app_url, SECRET, fake)
    fake.add_user("U1", name="ann")

    assert side.command("hello", user_id="U1").status == 200
    _wait_for(lambda: fake.ephemerals("U1"))
    assert fake.responses[0].body["text"] == "got hello"

    assert side.command("edit", user_id="U1").status == 200
    _wait_for(lambda: fake.calls_to("views.open"))
    submitted = side.submit_view(user_id="U1", answers={"value": "Acme", "date": "2030-01-31"})
    assert submitted.status == 200
    [message] = _wait_for(lambda: fake.dm_messages("U1"))
    assert message["text"] == "saved Acme due 2030-01-31"

    channel = fake.dm_channel("U1")
    side.check_boxes(
        user_id="U1",
        channel=channel,
        ts=message["ts"],
        action_id="pick",
        block_id="prio",
        selected_values=["email"],
    )
    _wait_for(lambda: fake.dm_messages("U1")[-1]["text"] == "picked email")

    side.click_button(
        user_id="U1", channel=channel, ts=message["ts"], action_id="done", value="Acme"
    )
    # replace_original without blocks drops the old blocks, as Slack does.
    _wait_for(lambda: fake.dm_messages("U1")[0] == message | {"text": "done Acme", "blocks": []})

    assert side.app_home_opened("U1").status == 200
    _wait_for(lambda: fake.home("U1"))
    with pytest.raises(AssertionError, match="no element done='Acme'"):
        side.click_button(
            user_id="U1", channel=channel, ts=message["ts"], action_id="done", value="Acme"
        )
    fake.assert_no_violations()


def test_bad_signature_is_rejected_by_bolt(fake: FakeSlack, app_url: str) -> None:
    side = SlackSide(app_url, SECRET, fake)
    assert side.command("hello", user_id="U1", signature="v0=forged").status == 401
