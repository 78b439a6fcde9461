"""The position's KPI definitions: the line format read back, and every refusal named."""

from __future__ import annotations

import pytest

from bot.core.errors import InvalidInput
from bot.rules.positions import (
    DEFAULT_POSITION,
    KpiDef,
    content_json,
    content_of,
    kpi_lines,
    parse_kpi_lines,
)


def test_the_default_reads_back_through_json_and_lines() -> None:
    assert content_of(content_json(DEFAULT_POSITION)) == DEFAULT_POSITION
    assert parse_kpi_lines(kpi_lines(DEFAULT_POSITION.kpis)) == DEFAULT_POSITION.kpis
    conversion = DEFAULT_POSITION.kpi("conversion")
    assert conversion == KpiDef(
        "conversion", "Conversion (sales ÷ leads)", "%", target=25, ratio=("sales", "leads")
    )
    assert DEFAULT_POSITION.kpi("appointments") == KpiDef(
        "appointments", "Appointments", "per week", target=10
    )


def test_lower_is_better_and_a_percent_target() -> None:
    (kpi,) = parse_kpi_lines("churn | Churned accounts | | 2% | lower")
    assert (kpi.target, kpi.higher_is_better) == (2.0, False)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Leads | Leads", "'Leads' is not a key"),
        ("leads", "key | name"),
        ("leads | Leads | per week | ten", "target 'ten' is not a number"),
        ("leads | Leads | per week | -1", "target '-1'"),
        ("leads | Leads | | 1 | up", "'up' is neither higher nor lower"),
        ("leads | A\nleads | B", "'leads' is defined twice"),
        ("x = a * b | X", "a ratio of two keys"),
        ("rate = sales / leads | Rate", "'rate' divides 'sales'"),
        ("\n".join(f"k{n} | K" for n in range(11)), "At most 10 KPIs"),
    ],
)
def test_refusals_name_the_line_and_the_fix(text: str, why: str) -> None:
    with pytest.raises(InvalidInput, match=why):
        parse_kpi_lines(text)
