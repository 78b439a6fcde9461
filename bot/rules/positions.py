"""A position's content (key accountabilities, KPIs, the expectations document) as plain data,
the method's default one, and the KPI definitions' line format (pure)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from bot.core.errors import InvalidInput
from bot.core.ids import Block

DEFAULT_TITLE = "Online sales specialist"
MAX_TEXT_CHARS = 3000
MAX_POSITION_TITLE_CHARS = 80
MAX_KPIS = 10
TICKS = "ticks"  # the formula of a KPI computed from checklist ticks (the selling share)
_KEY = re.compile(r"[a-z][a-z0-9_]{0,29}", re.ASCII)
KPI_FORMAT = "key | name | unit | target | higher or lower, e.g. `leads | Leads engaged | per week`"
KPI_EXAMPLE = "conversion = sales / leads | Conversion | % | 25 | higher"


@dataclass(frozen=True)
class KpiDef:
    """One KPI: typed each week, or computed (a ratio of two typed keys, or from ticks)."""

    key: str
    name: str
    unit: str = ""
    target: float | None = None
    higher_is_better: bool = True
    ratio: tuple[str, str] | None = None  # (numerator key, denominator key)
    from_ticks: bool = False

    @property
    def computed(self) -> bool:
        return self.ratio is not None or self.from_ticks

    @property
    def percent(self) -> bool:
        return self.unit == "%"


@dataclass(frozen=True)
class PositionContent:
    """Everything one version of a position says."""

    title: str
    purpose: str = ""
    outcomes: str = ""
    indicators: str = ""
    kpis: tuple[KpiDef, ...] = ()
    values: str = ""  # how daily work serves the company's values
    learning: str = ""  # learning and development expectations
    feedback: str = ""  # the feedback process: how often, in what format
    change: str = ""  # how expectations adapt to change
    cadence_weeks: int = 1  # the 1:1 every 1, 2 or 4 weeks

    def kpi(self, key: str) -> KpiDef | None:
        return next((k for k in self.kpis if k.key == key), None)


DEFAULT_KPIS = (
    KpiDef("leads", "Leads engaged", "per week"),
    KpiDef("appointments", "Appointments", "per week", target=10),
    KpiDef("sales", "Sales", "per week"),
    KpiDef("conversion", "Conversion (sales ÷ leads)", "%", target=25, ratio=("sales", "leads")),
    # Its target is the workspace's selling-share target, filled in where it is shown.
    KpiDef("selling_share", "Done selling share (from ticks)", "%", from_ticks=True),
)

DEFAULT_POSITION = PositionContent(
    title=DEFAULT_TITLE,
    purpose="Convert leads into sales and generate interest in what we sell.",
    outcomes=(
        "• A high lead-to-sale conversion rate: superstars convert 25% of leads.\n"
        "• A healthy pipeline of qualified opportunities.\n"
        "• Customers who stay and come back."
    ),
    indicators=(
        "• Opportunities created and relationships nurtured every week.\n"
        "• Sales calls, demos and follow-ups before anything else.\n"
        "• Appointments booked: 10 a week."
    ),
    kpis=DEFAULT_KPIS,
    values=(
        "Selling time comes first: prospecting, nurturing relationships and sales calls are "
        "the work. Do less email; make sure invoices and orders happen, do not do them; "
        "severely limit distractions."
    ),
    learning="A skill to practise each month, agreed in the 1:1; product training as it ships.",
    feedback=(
        "A weekly 1:1 with your manager: the AOR, requests and decisions, planned vs done, "
        "KPIs vs targets and slipped first-priority work, from the coaching pack."
    ),
    change=(
        "Expectations change only in a 1:1 or with a new version of this position, and every "
        "change is kept in the audit with what it was before."
    ),
)


def content_json(content: PositionContent) -> dict[str, Any]:
    kpis = [
        {
            "key": k.key,
            "name": k.name,
            "unit": k.unit,
            "target": k.target,
            "higher_is_better": k.higher_is_better,
            "ratio": list(k.ratio) if k.ratio else None,
            "from_ticks": k.from_ticks,
        }
        for k in content.kpis
    ]
    return {
        "title": content.title,
        "purpose": content.purpose,
        "outcomes": content.outcomes,
        "indicators": content.indicators,
        "kpis": kpis,
        "values": content.values,
        "learning": content.learning,
        "feedback": content.feedback,
        "change": content.change,
        "cadence_weeks": content.cadence_weeks,
    }


def content_of(data: dict[str, Any]) -> PositionContent:
    kpis = tuple(
        KpiDef(
            key=k["key"],
            name=k["name"],
            unit=k.get("unit", ""),
            target=k.get("target"),
            higher_is_better=k.get("higher_is_better", True),
            ratio=(k["ratio"][0], k["ratio"][1]) if k.get("ratio") else None,
            from_ticks=k.get("from_ticks", False),
        )
        for k in data.get("kpis", [])
    )
    return PositionContent(
        title=data["title"],
        purpose=data.get("purpose", ""),
        outcomes=data.get("outcomes", ""),
        indicators=data.get("indicators", ""),
        kpis=kpis,
        values=data.get("values", ""),
        learning=data.get("learning", ""),
        feedback=data.get("feedback", ""),
        change=data.get("change", ""),
        cadence_weeks=data.get("cadence_weeks", 1),
    )


def kpi_line(k: KpiDef) -> str:
    """The line the edit modal shows for a KPI (read back by `parse_kpi_lines`)."""
    head = k.key
    if k.ratio:
        head = f"{k.key} = {k.ratio[0]} / {k.ratio[1]}"
    elif k.from_ticks:
        head = f"{k.key} = {TICKS}"
    target = "" if k.target is None else f"{k.target:g}"
    better = "higher" if k.higher_is_better else "lower"
    return " | ".join([head, k.name, k.unit, target, better])


def kpi_lines(kpis: tuple[KpiDef, ...]) -> str:
    return "\n".join(kpi_line(k) for k in kpis)


def _refuse(n: int, line: str, why: str) -> InvalidInput:
    return InvalidInput(f"Line {n} ('{line[:40]}'): {why}", field=Block.kpis)


def _parse_kpi(n: int, line: str) -> KpiDef:
    parts = [p.strip() for p in line.split("|")]
    if len(parts) < 2 or len(parts) > 5 or not parts[1]:
        raise _refuse(n, line, f"write {KPI_FORMAT}")
    head, name, unit, target, better = [*parts, "", "", ""][:5]
    key, eq, formula = (s.strip() for s in head.partition("="))
    if not _KEY.fullmatch(key):
        raise _refuse(
            n, line, f"'{key}' is not a key: lower-case letters, digits and _, e.g. leads"
        )
    ratio: tuple[str, str] | None = None
    ticks = False
    if eq:
        top, slash, bottom = (s.strip() for s in formula.partition("/"))
        if formula == TICKS:
            ticks = True
        elif slash and _KEY.fullmatch(top) and _KEY.fullmatch(bottom) and top != bottom:
            ratio = (top, bottom)
        else:
            raise _refuse(
                n, line, f"a formula is a ratio of two keys or '{TICKS}', e.g. {KPI_EXAMPLE}"
            )
    value: float | None = None
    if target:
        try:
            value = float(target.rstrip("%"))
        except ValueError:
            value = -1.0
        if not math.isfinite(value) or value < 0:
            raise _refuse(n, line, f"target '{target}' is not a number of 0 or more, e.g. 10")
    if better.lower() not in ("", "higher", "lower"):
        raise _refuse(n, line, f"'{better}' is neither higher nor lower (which is better)")
    if ratio and not unit:
        unit = "%"
    return KpiDef(
        key=key,
        name=name[:60],
        unit=unit[:20],
        target=value,
        higher_is_better=better.lower() != "lower",
        ratio=ratio,
        from_ticks=ticks,
    )


def parse_kpi_lines(text: str) -> tuple[KpiDef, ...]:
    """KPI definitions, one a line; raises InvalidInput naming the line and what to write."""
    kpis: list[KpiDef] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        kpi = _parse_kpi(n, line.strip())
        if any(k.key == kpi.key for k in kpis):
            raise _refuse(n, line, f"'{kpi.key}' is defined twice")
        kpis.append(kpi)
    if len(kpis) > MAX_KPIS:
        raise InvalidInput(f"At most {MAX_KPIS} KPIs (got {len(kpis)})", field=Block.kpis)
    typed = {k.key for k in kpis if not k.computed}
    for k in kpis:
        missing = [p for p in (k.ratio or ()) if p not in typed]
        if missing:
            raise InvalidInput(
                f"'{k.key}' divides '{missing[0]}', which is not a KPI typed each week: "
                f"add a line for it, e.g. {missing[0]} | {missing[0].title()}",
                field=Block.kpis,
            )
    return tuple(kpis)
