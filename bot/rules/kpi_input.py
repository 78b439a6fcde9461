"""`/aor kpi [@rep] key=value ... [week:last]` (pure): every refusal names the key at fault,
and one refusal means nothing is saved."""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.core.errors import InvalidInput
from bot.rules.parsing import parse_mention
from bot.rules.positions import KpiDef

MAX_VALUE = 1_000_000_000
_WEEKS = {"week:this": False, "week:last": True}


@dataclass(frozen=True)
class KpiInput:
    rep_id: str | None  # None: the person typing
    values: dict[str, float]
    last_week: bool


def _example(kpis: tuple[KpiDef, ...]) -> str:
    typed = [k.key for k in kpis if not k.computed][:3]
    return " ".join(f"{key}={n}" for key, n in zip(typed, (40, 9, 8), strict=False))


def check_value(kpi: KpiDef | None, key: str, raw: str, kpis: tuple[KpiDef, ...]) -> float:
    """The number logged for `key`, or InvalidInput naming `key` and what would be valid."""
    if kpi is None:
        known = ", ".join(k.key for k in kpis if not k.computed) or "none"
        raise InvalidInput(f"'{key}' is not a KPI of your position: the ones you log are {known}")
    if kpi.ratio is not None:
        top, bottom = kpi.ratio
        raise InvalidInput(
            f"'{key}' is computed ({top} ÷ {bottom}), never typed: log {top} and {bottom}"
        )
    if kpi.from_ticks:
        raise InvalidInput(f"'{key}' is computed from your checklist ticks, never typed")
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not raw.strip() or raw.strip().lower() in ("nan", "inf"):
        raise InvalidInput(f"'{key}': couldn't read '{raw}' as a number, e.g. {key}=12")
    if value < 0:
        raise InvalidInput(f"'{key}' can't be negative (got {raw}), e.g. {key}=12")
    if value > MAX_VALUE:
        raise InvalidInput(f"'{key}' is too large (got {raw}): at most {MAX_VALUE:,}")
    return value


def parse_kpi_input(text: str, kpis: tuple[KpiDef, ...]) -> KpiInput:
    """Every problem at once, one a line, so a person fixes them in one go."""
    rep_id: str | None = None
    last_week = False
    values: dict[str, float] = {}
    problems: list[str] = []
    by_key = {k.key: k for k in kpis}
    for token in text.split():
        lowered = token.lower()
        if lowered in _WEEKS:
            last_week = _WEEKS[lowered]
            continue
        if rep_id is None and not values and (person := parse_mention(token)):
            rep_id = person
            continue
        key, eq, raw = token.partition("=")
        key = key.lower()
        if not eq:
            problems.append(f"'{token}' is not key=value, e.g. {_example(kpis)}")
            continue
        if key in values:
            problems.append(f"'{key}' is given twice: give it once")
            continue
        try:
            values[key] = check_value(by_key.get(key), key, raw, kpis)
        except InvalidInput as exc:
            problems.append(exc.message)
    if problems:
        raise InvalidInput("Nothing was saved:\n" + "\n".join(f"• {p}" for p in problems))
    return KpiInput(rep_id=rep_id, values=values, last_week=last_week)
