"""The AOR document and the rep's full decision log, as Markdown and CSV.

Pure renderers (`bot.services.coaching.gather_export` reads). Markdown is for reading at a
coaching meeting, the CSV files for spreadsheets: `aor-<rep>.csv` (items) and
`decisions-<rep>.csv` (audit log)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from bot.render.doc import AorDoc, ItemRow
from bot.rules.parsing import format_minutes
from bot.rules.tiers import TIERS

# Characters that would start emphasis, code, links, tables or headings if left as they are.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
# What makes Excel, LibreOffice and Google Sheets read a cell as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportFormat(StrEnum):
    md = "md"
    csv = "csv"


class CsvPart(StrEnum):
    items = "items"
    decisions = "decisions"


@dataclass(frozen=True)
class DmFile:
    """A file to share in someone's DM."""

    filename: str
    title: str
    content: str | bytes


@dataclass(frozen=True)
class EventRow:
    """An audit event detached from the session (same field names as AuditEvent)."""

    id: int
    at: datetime
    actor_id: str
    action: str
    subject_type: str
    subject_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True)
class Export:
    doc: AorDoc
    events: tuple[EventRow, ...]
    exported_at: datetime


def md_escape(text: str) -> str:
    """User text shown literally in Markdown, on one line (table cells cannot span lines)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def iso_utc(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds")


def as_json(value: dict[str, Any] | None) -> str:
    return "" if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False)


def _origin(item: ItemRow) -> str:
    return f"assignment from {item.requested_by}" if item.requested_by else item.origin


def _table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def to_markdown(export: Export) -> str:
    doc = export.doc
    load = doc.load
    share = load.committed_share
    lines = [
        f"# AOR: {md_escape(doc.rep_name or doc.rep_id)} ({doc.rep_id})",
        "",
        f"Exported {iso_utc(export.exported_at)}.",
        "",
        f"Committed {format_minutes(load.total)} of {format_minutes(load.capacity)} a week "
        f"({share:.0%}); selling share {load.selling_share:.0%}.",
    ]
    header = ["Item", "Estimate", "Cadence", "Per week", "Due", "Owner since", "Origin"]
    for t in TIERS:
        rows = [i for i in doc.items if i.tier == t.tier]
        lines += [
            "",
            f"## {t.title}",
            "",
            f"{len(rows)} items, {format_minutes(load.of(t.tier))} a week.",
        ]
        if rows:
            lines += ["", *_table(header, (_item_cells(i) for i in rows))]
    lines += ["", "## Waiting for a decision", ""]
    lines += [
        f"- {md_escape(p.title)} ({format_minutes(p.minutes)} {p.cadence}) from "
        f"{p.requested_by}, waiting on {p.approver_id}"
        for p in doc.pending
    ] or ["Nothing."]
    lines += ["", "## Decision log", ""]
    lines += (
        _table(
            ["#", "At (UTC)", "Actor", "Action", "Subject", "Before", "After"],
            (
                [
                    str(e.id),
                    iso_utc(e.at),
                    e.actor_id,
                    e.action,
                    f"{e.subject_type} {md_escape(e.subject_id)}",
                    md_escape(as_json(e.before)),
                    md_escape(as_json(e.after)),
                ]
                for e in export.events
            ),
        )
        if export.events
        else ["Nothing recorded yet."]
    )
    return "\n".join(lines) + "\n"


def _item_cells(item: ItemRow) -> list[str]:
    return [
        md_escape(item.title),
        format_minutes(item.minutes),
        item.cadence,
        format_minutes(item.weekly),
        item.due.isoformat() if item.due else "",
        item.since_day.isoformat(),
        _origin(item),
    ]


def csv_cell(value: Any) -> Any:
    """A cell a spreadsheet shows as text: one that would start a formula gets a leading `'`."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv(header: list[str], rows: Iterable[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


def items_csv(export: Export) -> str:
    return _csv(
        [
            "tier",
            "title",
            "minutes",
            "cadence",
            "weekly_minutes",
            "due",
            "owner_since",
            "origin",
            "requested_by",
        ],
        (
            [
                i.tier,
                i.title,
                i.minutes,
                i.cadence,
                i.weekly,
                i.due.isoformat() if i.due else "",
                iso_utc(i.since),
                i.origin,
                i.requested_by or "",
            ]
            for i in export.doc.items
        ),
    )


def decisions_csv(export: Export) -> str:
    return _csv(
        ["id", "at_utc", "actor", "action", "subject_type", "subject_id", "before", "after"],
        (
            [
                e.id,
                iso_utc(e.at),
                e.actor_id,
                e.action,
                e.subject_type,
                e.subject_id,
                as_json(e.before),
                as_json(e.after),
            ]
            for e in export.events
        ),
    )


def render(export: Export, fmt: ExportFormat, part: CsvPart = CsvPart.decisions) -> str:
    """One rendering, for the CLI's stdout."""
    if fmt == ExportFormat.md:
        return to_markdown(export)
    return items_csv(export) if part == CsvPart.items else decisions_csv(export)


def export_files(export: Export) -> list[DmFile]:
    """Everything, as the files a DM gets."""
    rep = export.doc.rep_id
    day = export.exported_at.date().isoformat()
    return [
        DmFile(f"aor-{rep}.md", f"AOR document {rep} {day}", to_markdown(export)),
        DmFile(f"aor-{rep}.csv", f"AOR items {rep} {day}", items_csv(export)),
        DmFile(f"decisions-{rep}.csv", f"Decision log {rep} {day}", decisions_csv(export)),
    ]
