"""When two titles name the same item: the one-owner rule compares these keys."""

from __future__ import annotations

import re
import unicodedata


def title_key(title: str) -> str:
    """Titles that differ only in case, accents, spacing or punctuation are the same item, in
    any script: letters and digits are kept, accents dropped, everything else is a space."""
    decomposed = unicodedata.normalize("NFKD", title)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    words = re.sub(r"[\W_]+", " ", bare).split()
    return (" ".join(words) or title.strip().casefold())[:200]
