"""Activity value: the tier a title's words suggest, from the method's table or a workspace's."""

from __future__ import annotations

import pytest

from bot.rules.activity import (
    DEFAULT_TIER_WORDS,
    parse_table_line,
    suggest_tier,
    tier_order,
)
from storage.enums import Tier


@pytest.mark.parametrize(
    ("title", "tier"),
    [
        # The method's own examples: do more ...
        ("Prospecting", Tier.first),
        ("Nurturing relationships with key accounts", Tier.first),
        ("Sales calls", Tier.first),
        ("Cold calls to the Q3 list", Tier.first),
        ("Demo for Acme", Tier.first),
        ("Follow-ups after the trade show", Tier.first),
        # ... do less ...
        ("Email", Tier.second),
        ("Email triage", Tier.second),
        ("Answer emails", Tier.second),
        ("CRM updates", Tier.second),
        # ... make sure it happens, do not do it.
        ("Retyping invoices", Tier.outside),
        ("Tracking down missing orders", Tier.outside),
        ("Updating the website", Tier.outside),
        ("Planning events", Tier.outside),
        ("Chasing lost orders", Tier.outside),
        ("Social media posts", Tier.outside),
    ],
)
def test_the_methods_examples(title: str, tier: Tier) -> None:
    found = suggest_tier(title, DEFAULT_TIER_WORDS)
    assert found is not None and found.tier == tier


@pytest.mark.parametrize("title", ["Pipeline review", "Quarterly planning", "Emailer setup", ""])
def test_no_match_no_suggestion(title: str) -> None:
    # "Emailer" is not the word "email": whole words only.
    assert suggest_tier(title, DEFAULT_TIER_WORDS) is None


def test_whole_words_case_insensitive_in_any_script() -> None:
    table = [("звонки", Tier.first), ("ΣΥΝΑΝΤΉΣΕΙΣ", Tier.first), ("rechnungen", Tier.outside)]
    assert suggest_tier("Холодные ЗВОНКИ клиентам", table) is not None
    assert suggest_tier("συναντήσεις με πελάτες", table) is not None  # final sigma folds
    found = suggest_tier("RECHNUNGEN prüfen", table)
    assert found is not None and found.tier == Tier.outside
    assert suggest_tier("Звонкий голос", table) is None  # a longer word is not the word
    assert suggest_tier("Rechnungenprüfung", table) is None


def test_the_most_specific_phrase_wins_then_the_first_listed() -> None:
    table = [("calls", Tier.second), ("sales calls", Tier.first), ("invoices", Tier.outside)]
    found = suggest_tier("Sales calls about invoices", table)
    assert found is not None and (found.tier, found.phrase) == (Tier.first, "sales calls")
    found = suggest_tier("Calls about invoices", table)
    assert found is not None and found.tier == Tier.second


def test_table_lines() -> None:
    assert parse_table_line(" cold   calls = FIRST ") == ("cold calls", Tier.first)
    assert parse_table_line("a=b=outside") == ("a=b", Tier.outside)
    for bad, why in [
        ("cold calls", "PHRASE=TIER"),
        ("=first", "PHRASE=TIER"),
        ("calls=top", "'top' is not a tier"),
        ("...=first", "no words"),
        ("x" * 61 + "=first", "longer than 60"),
    ]:
        with pytest.raises(ValueError, match=why):
            parse_table_line(bad)


def test_the_suggested_tier_comes_first() -> None:
    tiers = (Tier.first, Tier.second, Tier.outside)
    assert tier_order(Tier.outside, tiers) == (Tier.outside, Tier.first, Tier.second)
    assert tier_order(None, tiers) == tiers
