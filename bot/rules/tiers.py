"""The tiers' vocabulary, in one place: their order, and every word shown for each (pure).

A tier is shown in several wordings today (the AOR document and the checklist describe it
differently, the item modal differently again); each wording is a field named for where it is
shown, so that unifying the copy later is a change to this file alone."""

from __future__ import annotations

from dataclasses import dataclass

from storage.enums import Decision, Tier


@dataclass(frozen=True)
class TierWords:
    tier: Tier
    name: str  # "First priority": reports, the chart legend, headings, sentences (lowercased)
    short: str  # "first": per-tier figures side by side (impact, checklist progress, Home today)
    description: str  # after the name in the AOR document, App Home and the export
    checklist_description: str  # after the name in the checklist DM
    menu_label: str  # the option in the item modal's "Priority" menu
    colour: str  # its bars in the report chart
    marker: str  # the Slack emoji nearest its chart colour: the report's lines match the bars

    @property
    def title(self) -> str:
        """The tier's section title in the AOR document, App Home and the export."""
        return f"{self.name}: {self.description}"

    @property
    def in_sentence(self) -> str:
        """The name inside a sentence: "joined Rob's AOR at first priority"."""
        return self.name.lower()


FIRST = TierWords(
    tier=Tier.first,
    name="First priority",
    short="first",
    description="converts prospects or generates interest",
    checklist_description="selling work, before anything else",
    menu_label="First priority (selling)",
    colour="#009E73",  # Okabe-Ito bluish green: the three tell apart in every colour blindness
    marker=":large_green_square:",
)
SECOND = TierWords(
    tier=Tier.second,
    name="Second priority",
    short="second",
    description="after first priority",
    checklist_description="after first priority",
    menu_label="Second priority (supporting)",
    colour="#0072B2",  # Okabe-Ito blue
    marker=":large_blue_square:",
)
OUTSIDE = TierWords(
    tier=Tier.outside,
    name="Outside the role",
    short="outside",
    description="accepted although not the role's",
    checklist_description="accepted work that is not the role's",
    menu_label="Outside the role",
    colour="#E69F00",  # Okabe-Ito orange
    marker=":large_orange_square:",
)

# Until first-priority work is done, nothing else: every list of tiers goes in this order.
TIERS: tuple[TierWords, ...] = (FIRST, SECOND, OUTSIDE)
TIER_ORDER: tuple[Tier, ...] = tuple(t.tier for t in TIERS)
TIER_RANK: dict[str, int] = {t.tier: rank for rank, t in enumerate(TIERS)}
_WORDS: dict[str, TierWords] = {t.tier: t for t in TIERS}

# The tiers a rep (or their manager) may put the rep's own work in; outside-the-role work
# comes only from a manager's decision.
OWN_WORK_TIERS: tuple[Tier, ...] = (Tier.first, Tier.second)

# Where each decision puts the work (declined work goes nowhere).
DECISION_TIER: dict[Decision, Tier | None] = {
    Decision.join_first: Tier.first,
    Decision.join_second: Tier.second,
    Decision.one_off: Tier.outside,
    Decision.decline: None,
}


def words(tier: str) -> TierWords:
    """The words for `tier` (a Tier or its stored string value)."""
    return _WORDS[Tier(tier)]
