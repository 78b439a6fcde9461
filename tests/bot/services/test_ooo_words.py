"""`/aor ooo` understands the words people type for a short absence, and an answer it cannot
read says what it takes, with an example valid today."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.errors import InvalidInput
from bot.services.settings import parse_ooo

TODAY = date(2026, 11, 30)  # a Monday


@pytest.mark.parametrize(
    ("text", "back"),
    [
        ("tomorrow", date(2026, 12, 2)),  # out on Tuesday, back on Wednesday
        ("Today", date(2026, 12, 1)),
        ("2026-12-07", date(2026, 12, 7)),
        ("off", None),
    ],
)
def test_words_and_dates_give_the_first_day_back(text: str, back: date | None) -> None:
    assert parse_ooo(text, today=TODAY) == back


def test_an_unreadable_answer_names_every_form_with_a_valid_example() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_ooo("next week", today=TODAY)

    assert refused.value.message == (
        "Couldn't read 'next week' as your first day back: use YYYY-MM-DD "
        "(e.g. `/aor ooo 2026-12-07`), `today` or `tomorrow` (out that day, back the day after), "
        "or `off`."
    )


def test_a_day_in_the_past_is_refused_as_such() -> None:
    with pytest.raises(InvalidInput, match="2026-11-01 is in the past"):
        parse_ooo("2026-11-01", today=TODAY)
