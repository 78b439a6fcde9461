"""The AOR document and the rep's full decision log, as Markdown and CSV.

Pure renderers (`bot.services.coaching.gather_export` reads). Markdown is for reading at a
coaching meeting, the CSV files for spreadsheets: `aor-<rep>.csv` (items) and
`decisions-<rep>.csv` (audit log)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from bot.render.decision_log import EventRow, Names, event_sentence, name_of
from bot.render.doc import AorDoc, ItemRow
from bot.render.words import PLANNED_SHARE, plural
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
    alt_text: str = ""  # images only: what a screen reader says


@dataclass(frozen=True)
class Export:
    doc: AorDoc
    events: tuple[EventRow, ...]
    exported_at: datetime
    names: Mapping[str, str] = field(default_factory=dict)  # user id -> stored name


def md_escape(text: str) -> str:
    """User text shown literally in Markdown, on one line (table cells cannot span lines)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def iso_utc(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds")


def as_json(value: dict[str, Any] | None) -> str:
    return "" if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False)


def _origin(item: ItemRow, names: Names) -> str:
    if item.requested_by:
        return f"assigned by {md_escape(name_of(item.requested_by, names))}"
    return item.origin


def _table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def to_markdown(export: Export) -> str:
    doc, names = export.doc, export.names
    load = doc.load
    committed = (
        f"Committed {format_minutes(load.total)} of {format_minutes(load.capacity)} a week "
        f"({load.committed_share:.0%}); {PLANNED_SHARE} {load.selling_share:.0%}."
        if load.total
        else f"Nothing committed yet: {format_minutes(load.capacity)} a week available."
    )
    lines = [
        f"# AOR: {md_escape(doc.rep_name or name_of(doc.rep_id, names))}",
        "",
        f"Exported {iso_utc(export.exported_at)}.",
        "",
        committed,
    ]
    header = ["Item", "Estimate", "Cadence", "Per week", "Due", "Owner since", "Origin"]
    for t in TIERS:
        rows = [i for i in doc.items if i.tier == t.tier]
        lines += ["", f"## {t.title}", ""]
        if not rows:
            lines.append("Nothing yet.")
            continue
        lines += [
            f"{plural(len(rows), 'item')}, {format_minutes(load.of(t.tier))} a week.",
            "",
            *_table(header, (_item_cells(i, names) for i in rows)),
        ]
    lines += ["", "## Waiting for a decision", ""]
    lines += [
        f"- {md_escape(p.title)} ({format_minutes(p.minutes)} {p.cadence}) from "
        f"{md_escape(name_of(p.requested_by, names))}, waiting on "
        f"{md_escape(name_of(p.approver_id, names))}"
        for p in doc.pending
    ] or ["Nothing."]
    lines += ["", "## Decision log", ""]
    lines += [f"- {md_escape(event_sentence(e, names))}" for e in export.events] or [
        "Nothing recorded yet."
    ]
    return "\n".join(lines) + "\n"


def _item_cells(item: ItemRow, names: Names) -> list[str]:
    return [
        md_escape(item.title),
        format_minutes(item.minutes),
        item.cadence,
        format_minutes(item.weekly),
        item.due.isoformat() if item.due else "",
        item.since_day.isoformat(),
        _origin(item, names),
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
    rep = export.doc.rep_id  # file names stay ids (unique, safe); titles are read: names
    name = export.doc.rep_name or name_of(rep, export.names)
    day = export.exported_at.date().isoformat()
    return [
        DmFile(f"aor-{rep}.md", f"AOR document: {name}, {day}", to_markdown(export)),
        DmFile(f"aor-{rep}.csv", f"AOR items: {name}, {day}", items_csv(export)),
        DmFile(f"decisions-{rep}.csv", f"Decision log: {name}, {day}", decisions_csv(export)),
    ]
