"""The tiers' vocabulary: one record per tier, in the order every list uses."""

from __future__ import annotations

from bot.rules.tiers import DECISION_TIER, OWN_WORK_TIERS, TIER_ORDER, TIERS, words
from storage.enums import Decision, Tier


def test_every_tier_has_one_record_in_priority_order() -> None:
    assert (Tier.first, Tier.second, Tier.outside) == TIER_ORDER
    assert [t.tier for t in TIERS] == list(Tier)


def test_words_are_found_by_tier_or_its_stored_value() -> None:
    assert words(Tier.second) is words("second")
    assert words("first").title == "First priority: converts prospects or generates interest"
    assert words("outside").in_sentence == "outside the role"


def test_outside_work_comes_only_from_a_decision() -> None:
    assert Tier.outside not in OWN_WORK_TIERS
    assert set(DECISION_TIER) == set(Decision)
    assert DECISION_TIER[Decision.one_off] == Tier.outside
