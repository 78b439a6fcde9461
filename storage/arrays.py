"""Many rows as one or a few parameters, for PostgreSQL.

A batch written as a multi-row VALUES list or an executemany has one placeholder per value:
psycopg then spends longer converting and sending the statement than PostgreSQL takes to run
it. Here the rows go as ONE JSON document, which `json_to_recordset` turns back into typed
rows on the server (JSON, not arrays: psycopg escapes an array's text elements one by one in
Python, which for rows carrying JSON costs more than the placeholders did); a list of keys as
one array (`= ANY`). SQLite has neither: callers keep the simple form there."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ColumnElement, Table, Text, bindparam, cast, column, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.selectable import TableValuedAlias
from sqlmodel import Session


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def array_of(values: Sequence[Any], *, like: ColumnElement[Any]) -> ColumnElement[Any]:
    """`values` as one array parameter of `like`'s type (`col = ANY(array_of(...))`)."""
    return bindparam(None, list(values), type_=ARRAY(like.type), unique=True)


def _iso(value: Any) -> str:
    if isinstance(value, datetime) and value.tzinfo is None:
        raise ValueError("naive datetime refused: storage holds aware UTC datetimes only")
    if isinstance(value, date):  # a datetime too; the offset is written, PostgreSQL reads it
        return value.isoformat()
    raise TypeError(f"cannot send {type(value).__name__} as a row value")


def rows_of(table: Table, rows: Sequence[Mapping[str, Any]]) -> TableValuedAlias:
    """`rows` (all with the same keys, each a column of `table`) as a table in FROM, typed
    as those columns."""
    document = json.dumps(rows, default=_iso)
    names = list(rows[0])
    typed = [column(n, table.c[n].type) for n in names]
    return (
        func.json_to_recordset(cast(bindparam(None, document, type_=Text, unique=True), JSON))
        .table_valued(*typed)
        .render_derived(with_types=True)
    )
