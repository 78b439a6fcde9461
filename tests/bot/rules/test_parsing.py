from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bot.core.errors import InvalidInput
from bot.core.text import escape
from bot.rules.parsing import (
    MAX_MINUTES,
    ItemDraft,
    TaskDraft,
    format_add_task,
    format_minutes,
    parse_add_item,
    parse_add_task,
    parse_due,
    parse_duration,
    parse_mention,
    unescape_slack,
)
from storage.enums import Cadence, Tier

TODAY = date(2026, 3, 6)

_words = st.sampled_from(
    [
        "Update",
        "the",
        "landing",
        "page",
        "weekly",
        "daily",
        "once",
        "3",
        "1.5",
        "h",
        "partners",
        "&amp;",
        "&lt;b&gt;",
        "&lt;!channel&gt;",
        "<!channel>",
        "<!here>",
        "<#C123|general>",
        "@bob",
        "&amp;lt;",
        "due:",
        "DUE:2026-13-01",
        "due:tomorrow",
    ]
)
_mentions = st.builds(
    lambda uid, name: f"<@{uid}|{name}>" if name else f"<@{uid}>",
    st.from_regex(r"[UW][A-Z0-9]{1,10}", fullmatch=True),
    st.sampled_from(["", "rep", "jane.doe", "two words"]),
)
_durations = st.one_of(
    st.integers(0, 3000).map(format_minutes),
    st.sampled_from(["1.5h", "45min", "2hrs", "90M", "0.01h", "41h", "0m", "1h90m", "99999999h"]),
)
_dues = st.integers(-400, 400).map(lambda days: f"due:{(TODAY + timedelta(days)).isoformat()}")
_tokens = st.one_of(_words, _mentions, _durations, _dues, st.sampled_from(["daily", "WEEKLY"]))
_commands = st.lists(_tokens, max_size=12).map(" ".join)


def test_example_command() -> None:
    parsed = parse_add_task("<@U0REP|rep> Update the landing page 3h weekly", today=TODAY)
    assert parsed.errors == {}
    assert parsed.draft == TaskDraft("U0REP", "Update the landing page", 180, Cadence.weekly, None)
    assert parsed.draft.complete


def test_example_with_due() -> None:
    parsed = parse_add_task(
        "<@U0REP> Update the landing page 3h weekly due:2026-12-01", today=TODAY
    )
    assert parsed.errors == {}
    assert parsed.draft == TaskDraft(
        "U0REP", "Update the landing page", 180, Cadence.weekly, date(2026, 12, 1)
    )


def test_trailing_tokens_any_order_and_words_in_title_kept() -> None:
    parsed = parse_add_task(
        "<@U1> Send weekly report to 3 partners due:2026-03-06 daily 2h", today=TODAY
    )
    assert parsed.errors == {}
    assert parsed.draft.title == "Send weekly report to 3 partners"
    assert (parsed.draft.minutes, parsed.draft.cadence) == (120, Cadence.daily)
    assert parsed.draft.due == TODAY


def test_missing_duration_is_incomplete_without_errors() -> None:
    parsed = parse_add_task("<@U1> Update the landing page", today=TODAY)
    assert parsed.errors == {}
    assert parsed.draft.minutes is None
    assert parsed.draft.cadence is Cadence.once
    assert not parsed.draft.complete


def test_title_is_unescaped_and_whitespace_collapsed() -> None:
    parsed = parse_add_task("<@U1>   Q&amp;A   &lt;draft&gt;\n 1h", today=TODAY)
    assert parsed.draft.title == "Q&A <draft>"


def test_rep_that_is_not_a_person() -> None:
    parsed = parse_add_task("<!channel> Update page 1h", today=TODAY)
    assert "rep" in parsed.errors
    assert parsed.draft.rep_id is None
    assert parsed.draft.title == "Update page"


def test_invalid_trailing_duration_is_an_error_not_title() -> None:
    parsed = parse_add_task("<@U1> Update page 0m", today=TODAY)
    assert parsed.errors.keys() == {"duration"}
    assert parsed.draft.title == "Update page"


def test_long_title() -> None:
    parsed = parse_add_task("<@U1> " + "x" * 201 + " 1h", today=TODAY)
    assert parsed.errors.keys() == {"title"}


@given(st.text())
def test_parse_add_task_never_raises_on_any_text(text: str) -> None:
    parse_add_task(text, today=TODAY)


@given(_commands)
def test_parse_add_task_never_raises_on_realistic_text(text: str) -> None:
    parsed = parse_add_task(text, today=TODAY)
    assert parsed.errors.keys() <= {"rep", "title", "duration", "cadence", "due"}


@given(st.one_of(_commands, st.text()))
def test_accepted_drafts_round_trip(text: str) -> None:
    parsed = parse_add_task(text, today=TODAY)
    assume(not parsed.errors)
    again = parse_add_task(format_add_task(parsed.draft), today=TODAY)
    assert again.errors == {}
    assert again.draft == parsed.draft


@given(_commands, st.integers(MAX_MINUTES + 1, 10**6).map(format_minutes))
def test_duration_over_40h_is_rejected(prefix: str, duration: str) -> None:
    parsed = parse_add_task(f"<@U1> {prefix} {duration}", today=TODAY)
    assert "duration" in parsed.errors
    assert parsed.draft.minutes is None


@given(_commands, st.integers(1, 5000))
def test_past_due_is_rejected(prefix: str, days_ago: int) -> None:
    due = (TODAY - timedelta(days=days_ago)).isoformat()
    parsed = parse_add_task(f"<@U1> {prefix} due:{due}", today=TODAY)
    assert "due" in parsed.errors
    assert parsed.draft.due is None


@given(st.integers(1, MAX_MINUTES))
def test_format_minutes_round_trips(minutes: int) -> None:
    assert parse_duration(format_minutes(minutes)) == minutes


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("90m", 90),
        ("3h", 180),
        ("1h30m", 90),
        ("1.5h", 90),
        ("45min", 45),
        ("2hrs", 120),
        ("1H 30M", 90),
        (".5h", 30),
        ("0.01h", 1),
        ("40h", 2400),
    ],
)
def test_parse_duration(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "Couldn't read 'abc' as a duration: use 90m, 3h, 1h30m or 1.5h"),
        ("41h", "Duration must be at most 40h (got 41h)"),
        ("0m", "Duration must be at least 1m (got 0m)"),
        ("90", "Couldn't read '90' as a duration: use 90m, 3h, 1h30m or 1.5h"),
        ("", "Duration is required: use 90m, 3h, 1h30m or 1.5h"),
    ],
)
def test_parse_duration_errors(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_duration(text)
    assert caught.value.field == "duration"
    assert caught.value.message == message


@pytest.mark.parametrize(("minutes", "text"), [(90, "1h30m"), (180, "3h"), (45, "45m"), (0, "0m")])
def test_format_minutes(minutes: int, text: str) -> None:
    assert format_minutes(minutes) == text


def test_parse_due() -> None:
    assert parse_due(" 2026-03-06 ", today=TODAY) == TODAY
    for bad in ["2026-03-05", "2026-02-30", "20261201", "tomorrow"]:
        with pytest.raises(InvalidInput) as caught:
            parse_due(bad, today=TODAY)
        assert caught.value.field == "due"


@pytest.mark.parametrize(
    ("token", "user_id"),
    [
        ("<@U123|name>", "U123"),
        ("<@W0ABC>", "W0ABC"),
        ("<@u123>", None),
        ("<!channel>", None),
        ("@bob", None),
    ],
)
def test_parse_mention(token: str, user_id: str | None) -> None:
    assert parse_mention(token) == user_id


@given(st.text())
def test_escape_round_trip(text: str) -> None:
    assert unescape_slack(escape(text)) == text


def test_unescape_is_single_pass() -> None:
    assert unescape_slack("&amp;lt; &lt;b&gt;") == "&lt; <b>"
    assert escape("a & <b>") == "a &amp; &lt;b&gt;"


def test_parse_add_item() -> None:
    assert parse_add_item("Pipeline review 1.5h") == ItemDraft("Pipeline review", 90)
    assert parse_add_item("Daily standup &amp; notes 15m daily second") == ItemDraft(
        "Daily standup & notes", 15, Tier.second, Cadence.daily
    )


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("Pipeline review", "duration"),
        ("Pipeline review 41h", "duration"),
        ("2h weekly", "title"),
        ("Vendor call 1h once", "cadence"),
    ],
)
def test_parse_add_item_errors(text: str, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_add_item(text)
    assert caught.value.field == field


def test_messages_about_user_text_keep_it_escaped() -> None:
    parsed = parse_add_task("<!channel> Update pricing 1h", today=date(2026, 11, 23))
    assert "&lt;!channel&gt;" in parsed.errors["rep"] and "<!channel>" not in parsed.errors["rep"]
    with pytest.raises(InvalidInput) as raised:
        parse_add_item("Ping &lt;!here&gt; daily")
    assert "&lt;!here&gt;" in raised.value.message and "<!here>" not in raised.value.message
