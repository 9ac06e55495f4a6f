"""Why a hit matched, for people: the words that say how and where a query word matched,
and the spans of the passage words to mark. Light (no engine): rendering imports it, and
so does the search that makes the hits."""

from __future__ import annotations

import re
from functools import lru_cache

from searchdoc.models import Hit
from searchdoc.names.keys import (
    PARTICLES,
    STOP_WORDS,
    Unit,
    across_scripts,
    query_units,
    word_units,
)
from searchdoc.names.lexicon import HONORIFICS

MAX_QUERY_UNITS = 32  # a query's words past this are not searched
# Words that may stand between the words of a phrase, and are never marked on their own.
PHRASE_GLUE = STOP_WORDS | PARTICLES | HONORIFICS

HOW_LABEL = {
    "exact": "exact",
    "folded": "same letters",
    "variant": "spelling variant",
    "citation": "in a citation",
    "phrase": "phrase",
}
WHERE_LABEL = {
    "section": "in the section heading",
    "title": "in the title",
    "name": "a name the document states",
}


@lru_cache(maxsize=1024)
def query_keys(u: Unit) -> frozenset[str]:
    """The keys a query unit looks for: its own, the loose ones in the other script's
    form (:func:`searchdoc.names.keys.across_scripts`)."""
    return frozenset(across_scripts(k) for k in u.keys)


def highlight_spans(hit: Hit) -> list[tuple[int, int]]:
    """Character spans of the passage words that match the query (for marking them): a
    word-by-word scan (no particles attached; keys only where a query word matched as a
    spelling variant)."""
    qunits = query_units(hit.query)[:MAX_QUERY_UNITS]
    words = {t for q in qunits for t in q.exact + q.folded}
    words |= {w for t in set(words) for w in re.split(r"[-\s]+", t) if w not in PHRASE_GLUE}
    keys = {k for q in qunits for k in query_keys(q)}
    variant = any(m.how == "variant" for m in hit.matched)
    text = hit.passage.text
    spans = []
    for u in word_units(text):
        if words.intersection(u.exact + u.folded) or (
            variant and u.name_like and keys.intersection(u.keys)
        ):
            # the particle joined to the name by a hyphen is part of it ("al-Khazali")
            m = _PARTICLE_BEFORE.search(text, max(0, u.start - 8), u.start)
            start = m.start() if m and m.group(1).lower() in PARTICLES else u.start
            spans.append((start, u.end))
    return spans


_PARTICLE_BEFORE = re.compile(r"(?<!\w)(\w+)[-\u2010\u2011]$")
