"""Activity value: which tier an item's words suggest ("do more / do less / severely limit").

Pure: the table is data (a workspace's own, else the method's), matching is by whole words,
case-insensitive, in any script. A suggestion is only ever shown as a choice."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storage.enums import Tier

# The method's own words, in its order (do more -> first, do less -> second, make sure it
# happens but do not do it -> outside). A workspace without a table of its own uses this one.
DEFAULT_TIER_WORDS: tuple[tuple[str, Tier], ...] = (
    ("prospecting", Tier.first),
    ("cold calls", Tier.first),
    ("sales calls", Tier.first),
    ("meetings", Tier.first),
    ("demos", Tier.first),
    ("follow-ups", Tier.first),
    ("nurturing relationships", Tier.first),
    ("opportunity creation", Tier.first),
    ("crm updates", Tier.second),
    ("reporting", Tier.second),
    ("email", Tier.second),
    ("proposals admin", Tier.second),
    ("website", Tier.outside),
    ("landing page", Tier.outside),
    ("events", Tier.outside),
    ("invoices", Tier.outside),
    ("chasing orders", Tier.outside),
    ("tracking orders", Tier.outside),
    ("missing orders", Tier.outside),
    ("lost orders", Tier.outside),
    ("social media", Tier.outside),
)

MAX_PHRASE_CHARS = 60
# \w is Unicode-aware: a word is a run of letters, digits or marks in any script.
_WORD = re.compile(r"\w+")


def _fold(word: str) -> str:
    """One key for a word and its plural ("demo"/"demos", "email"/"emails"); casefold covers
    every script's case ("ß" and "SS", "Σ" and "ς")."""
    word = word.casefold()
    return word[:-1] if len(word) > 3 and word.endswith("s") else word


def words_of(text: str) -> tuple[str, ...]:
    return tuple(_fold(w) for w in _WORD.findall(text))


@dataclass(frozen=True)
class Suggestion:
    tier: Tier
    phrase: str  # the table's words that matched, as the table spells them


def suggest_tier(title: str, table: Iterable[tuple[str, Tier]]) -> Suggestion | None:
    """The tier of the table's phrase that matches the most of the title's words (every word
    of the phrase present as a whole word, in any order: "tracking down missing orders" is
    "tracking orders"); ties go to the phrase listed first; no match, no suggestion."""
    title_words = set(words_of(title))
    best: tuple[int, Suggestion] | None = None
    for phrase, tier in table:
        needed = set(words_of(phrase))
        if needed and needed <= title_words and (best is None or len(needed) > best[0]):
            best = (len(needed), Suggestion(tier=tier, phrase=phrase))
    return best[1] if best else None


def parse_table_line(line: str) -> tuple[str, Tier]:
    """`PHRASE=TIER` (as the CLI takes it); raises ValueError naming what was wrong."""
    phrase, sep, tier = line.rpartition("=")
    phrase, tier = " ".join(phrase.split()), tier.strip().lower()
    if not sep or not phrase:
        raise ValueError(f"'{line}' is not PHRASE=TIER, e.g. 'cold calls=first'")
    if tier not in set(Tier):
        raise ValueError(f"'{tier}' is not a tier: use first, second or outside")
    if not words_of(phrase):
        raise ValueError(f"'{phrase}' has no words to match")
    if len(phrase) > MAX_PHRASE_CHARS:
        raise ValueError(f"'{phrase[:20]}…' is longer than {MAX_PHRASE_CHARS} characters")
    return phrase, Tier(tier)


def tier_order(suggested: Tier | None, tiers: Sequence[Tier]) -> tuple[Tier, ...]:
    """`tiers` with the suggested one first (the others in their usual order)."""
    return tuple(sorted(tiers, key=lambda t: t != suggested))
