"""One owner per item rests on telling titles apart: the same work in different spelling is one
item, different work in any script is not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.rules.titles import title_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Pipeline review", "pipeline  REVIEW!"),
        ("Café visits", "cafe visits"),
        ("Follow-up calls", "follow up calls"),
    ],
)
def test_same_work_same_key(a: str, b: str) -> None:
    assert title_key(a) == title_key(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("CRM отчёт", "CRM звонки"),
        ("Звонки клиентам Q1", "Звонки клиентам Q2"),
        ("見込み客への電話", "見積もりの送付"),
        ("Calls 1", "Calls 2"),
    ],
)
def test_different_work_different_key(a: str, b: str) -> None:
    assert title_key(a) != title_key(b)


@given(st.text(min_size=1, max_size=200))
def test_key_fits_the_column_and_is_stable(title: str) -> None:
    key = title_key(title)
    assert len(key) <= 200
    assert title_key(title) == key
