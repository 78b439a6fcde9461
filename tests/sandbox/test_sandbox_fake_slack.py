"""FakeSlack behaviour through a real slack_sdk WebClient."""

from __future__ import annotations

import urllib.request

import pytest
from slack_sdk import WebClient, WebhookClient
from slack_sdk.errors import SlackApiError

from sandbox import FakeSlack, ManualClock

BUTTON = {
    "type": "actions",
    "block_id": "b1",
    "elements": [
        {
            "type": "button",
            "action_id": "ok",
            "value": "1",
            "text": {"type": "plain_text", "text": "OK"},
        }
    ],
}
MODAL = {
    "type": "modal",
    "callback_id": "aor_edit",
    "title": {"type": "plain_text", "text": "Edit AOR"},
    "blocks": [
        {
            "type": "input",
            "block_id": "name",
            "label": {"type": "plain_text", "text": "Name"},
            "element": {"type": "plain_text_input", "action_id": "value"},
        }
    ],
}


def test_post_and_update_round_trip_is_clean(fake: FakeSlack, client: WebClient) -> None:
    fake.add_user("U1", name="ann")
    first = client.chat_postMessage(channel="U1", text="hello", blocks=[BUTTON])
    second = client.chat_postMessage(channel="U1", text="second")
    assert first["channel"] == fake.dm_channel("U1") == "DU1"
    assert float(second["ts"]) > float(first["ts"])

    client.chat_update(channel=first["channel"], ts=first["ts"], text="edited", blocks=[])

    assert [m["text"] for m in fake.dm_messages("U1")] == ["edited", "second"]
    assert fake.dm_messages("U1")[0]["blocks"] == []
    assert fake.methods_called() == {"chat.postMessage", "chat.update"}
    fake.assert_no_violations()


def test_unknown_method_is_a_violation(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as err:
        client.api_call("chat.nonexistent")
    assert err.value.response["error"] == "unknown_method"
    assert fake.violations == ["chat.nonexistent: unknown method 'chat.nonexistent'"]


def test_missing_required_argument_is_a_violation(fake: FakeSlack, client: WebClient) -> None:
    with pytest.raises(SlackApiError) as err:
        client.api_call("chat.update", params={"channel": "C1", "text": "x"})
    assert err.value.response["error"] == "invalid_arguments"
    assert fake.violations == ["chat.update: missing required argument 'ts'"]
    with pytest.raises(AssertionError, match="missing required argument 'ts'"):
        fake.assert_no_violations()


def test_too_many_blocks_is_a_violation(fake: FakeSlack, client: WebClient) -> None:
    divider = {"type": "divider"}
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C1", text="x", blocks=[divider] * 51)
    assert err.value.response["error"] == "invalid_blocks"
    assert fake.violations == ["chat.postMessage: 51 blocks, max 50"]
    assert fake.messages("C1") == []


def test_missing_authorization_header_is_a_violation(fake: FakeSlack) -> None:
    request = urllib.request.Request(fake.api_url + "auth.test", data=b"", method="POST")
    with urllib.request.urlopen(request, timeout=5) as response:
        assert b'"not_authed"' in response.read()
    assert fake.violations[0].startswith("auth.test: missing Authorization header")


def test_users_info_and_dm(fake: FakeSlack, client: WebClient, clock: ManualClock) -> None:
    fake.add_user("U1", name="ann", real_name="Ann Lee", tz="America/New_York", is_admin=True)
    user = client.users_info(user="U1")["user"]
    assert (user["real_name"], user["is_admin"], user["profile"]["display_name"]) == (
        "Ann Lee",
        True,
        "ann",
    )
    assert user["tz_offset"] in (-5 * 3600, -4 * 3600)
    assert client.conversations_open(users="U1")["channel"]["id"] == "DU1"
    with pytest.raises(SlackApiError, match="user_not_found"):
        client.users_info(user="U404")
    assert client.auth_test()["user_id"] == "UBOT"
    fake.assert_no_violations()


def test_views_open_needs_a_fresh_single_use_trigger(
    fake: FakeSlack, client: WebClient, clock: ManualClock
) -> None:
    trigger = fake.issue_trigger_id()
    opened = client.views_open(trigger_id=trigger, view=MODAL)["view"]
    assert opened["id"].startswith("V") and opened["hash"]
    assert fake.last_view() == fake.view(opened["id"])
    fake.assert_no_violations()

    with pytest.raises(SlackApiError, match="exchanged_trigger_id"):
        client.views_open(trigger_id=trigger, view=MODAL)
    stale = fake.issue_trigger_id()
    clock.advance(3.5)
    with pytest.raises(SlackApiError, match="expired_trigger_id"):
        client.views_open(trigger_id=stale, view=MODAL)
    with pytest.raises(SlackApiError, match="invalid_trigger_id"):
        client.views_open(trigger_id="1.2.made-up", view=MODAL)
    assert len(fake.violations) == 3


def test_views_update_and_publish(fake: FakeSlack, client: WebClient) -> None:
    opened = client.views_open(trigger_id=fake.issue_trigger_id(), view=MODAL)["view"]
    updated = client.views_update(view_id=opened["id"], hash=opened["hash"], view=MODAL)["view"]
    assert updated["id"] == opened["id"] and updated["hash"] != opened["hash"]
    with pytest.raises(SlackApiError, match="hash_conflict"):
        client.views_update(view_id=opened["id"], hash=opened["hash"], view=MODAL)

    fake.add_user("U1")
    home = {"type": "home", "blocks": [{"type": "divider"}]}
    client.views_publish(user_id="U1", view=home)
    published = fake.home("U1")
    assert published is not None and published["blocks"][0]["type"] == "divider"
    assert len(fake.violations) == 0


def test_files_upload_v2_stores_the_bytes(fake: FakeSlack, client: WebClient) -> None:
    response = client.files_upload_v2(
        content=b"a,b\n1,2\n", filename="aor.csv", title="AORs", channel="C1", initial_comment="hi"
    )
    assert response["file"]["title"] == "AORs"
    [stored] = fake.files
    assert (stored.content, stored.filename, stored.channel_id) == (b"a,b\n1,2\n", "aor.csv", "C1")
    assert stored.initial_comment == "hi"
    fake.assert_no_violations()


def test_response_url_replaces_the_original_message(fake: FakeSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C1", text="pending", blocks=[BUTTON])
    url = fake.new_response_url(channel="C1", user_id="U1", ts=posted["ts"])
    webhook = WebhookClient(url)
    assert webhook.send(text="done", replace_original=True).status_code == 200
    assert webhook.send(text="only you", response_type="ephemeral").status_code == 200

    assert [m["text"] for m in fake.messages("C1")] == ["done"]
    assert [m["text"] for m in fake.ephemerals("U1")] == ["only you"]
    assert fake.responses[0].body["replace_original"] is True
    too_many = [{"type": "divider"}] * 51
    assert webhook.send(text="x", blocks=too_many).status_code == 400
    assert fake.violations == ["response_url: 51 blocks, max 50"]


def test_get_with_query_and_multipart_upload(fake: FakeSlack, client: WebClient) -> None:
    fake.add_user("U1")
    request = urllib.request.Request(
        fake.api_url + "users.info?user=U1", headers={"Authorization": "Bearer xoxb-test"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert b'"id": "U1"' in response.read()

    slot = client.files_getUploadURLExternal(filename="a.txt", length=3)
    boundary = "sandbox-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
        f"Content-Type: text/plain\r\n\r\nabc\r\n--{boundary}--\r\n"
    ).encode()
    upload = urllib.request.Request(
        slot["upload_url"],
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(upload, timeout=5) as response:
        assert response.status == 200
    client.files_completeUploadExternal(files=[{"id": slot["file_id"], "title": "A"}])
    assert [(f.title, f.content) for f in fake.files] == [("A", b"abc")]
    fake.assert_no_violations()
