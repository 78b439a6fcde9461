"""Workspace-wide reads remembered while a session only reads: rendering several App Homes of
one workspace in one transaction asks for its default position and its settings once, not
once per Home. Outside `reading` nothing is remembered (a unit of work that writes must see
its own writes)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlmodel import Session

T = TypeVar("T")
_MEMO = "aor_memo"


@contextmanager
def reading(session: Session) -> Iterator[None]:
    session.info[_MEMO] = {}
    try:
        yield
    finally:
        session.info.pop(_MEMO, None)


def remembered(session: Session, key: Hashable, load: Callable[[], T]) -> T:
    memo: dict[Hashable, Any] | None = session.info.get(_MEMO)
    if memo is None:
        return load()
    if key not in memo:
        memo[key] = load()
    value: T = memo[key]
    return value
