"""Query text -> one whoosh query over several fields -> ranked, explained hits.

Each query unit (see :mod:`searchdoc.normalize`, the same code the index used) becomes
a disjunction over the forms of the unit, strongest first: the word as written in the
passage text, its folded form, its spelling-variant key, and the title, section and
citation fields. BM25F ranks the candidates; a phrase of the whole query adds to the
score. Each candidate is then explained (which query word matched which word of the
passage, and how), and its score scaled by how closely it matched: an exact spelling
beats a folded one, which beats a spelling variant.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from searchdoc.aliases import AliasName, Expansion
from searchdoc.index import IndexHandle, passage_from_stored
from searchdoc.models import Hit, Match, Passage
from searchdoc.normalize import Unit, units

MAX_QUERY_UNITS = 32

# Boosts of each form of a query word in the whoosh query.
W_EXACT = 3.0
W_FOLDED = 2.0
W_VARIANT = 1.0
W_TITLE = 0.6
W_SECTION = 0.5
W_CITES = 0.4
W_PHRASE = 2.0
ALIAS_WEIGHT = 0.5

# How much a query word counts towards the match quality, by how it matched.
QUALITY = {
    "exact": 1.0,
    "folded": 0.85,
    "variant": 0.6,
    "title": 0.35,
    "section": 0.35,
    "citation": 0.3,
}
HOW_LABEL = {
    "exact": "exact",
    "folded": "same letters",
    "variant": "spelling variant",
    "title": "in the title",
    "section": "in the section heading",
    "citation": "in a citation",
    "phrase": "phrase",
}


@dataclass(frozen=True)
class _Candidate:
    passage: Passage
    score: float
    matches: tuple[Match, ...]
    quality: float


def _field_terms(qunits: Sequence[Unit], phrase: bool = True) -> Any:
    from whoosh.query import Or, Phrase, Term

    per_unit = []
    for u in qunits:
        terms: dict[tuple[str, str], float] = {}

        def add(fieldname: str, text: str, boost: float) -> None:
            terms[(fieldname, text)] = terms.get((fieldname, text), 0.0) + boost

        for e in u.exact:
            add("body", e, W_EXACT)
        for f in u.folded:
            add("body", f, W_FOLDED)
            add("folded", f, W_FOLDED)
        for k in u.keys:
            add("variant", k, W_VARIANT)
        for t in dict.fromkeys(u.exact + u.folded):
            add("title", t, W_TITLE)
            add("section", t, W_SECTION)
            add("cites", t, W_CITES)
        per_unit.append(Or([Term(f, t, boost=b) for (f, t), b in terms.items()]))
    clauses = list(per_unit)
    if phrase and len(qunits) > 1:
        clauses.append(Phrase("body", [u.exact[0] for u in qunits], boost=W_PHRASE * len(qunits)))
    return Or(clauses)


class Searcher:
    """Searches one open index; reuse it for a batch of queries."""

    def __init__(self, handle: IndexHandle, aliases: bool = True) -> None:
        self.handle = handle
        self.aliases = aliases
        self._searcher = handle.ix.searcher()

    def close(self) -> None:
        self._searcher.close()

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -----------------------------------------------------------------------------------

    def search(self, text: str, limit: int = 10, source: str | None = None) -> list[Hit]:
        qunits = units(text)[:MAX_QUERY_UNITS]
        if not qunits or limit <= 0:
            return []
        query = _field_terms(qunits)
        flt = self._source_filter(source)
        if flt is False:
            return []
        results = self._searcher.search(query, limit=max(limit * 4, 40), filter=flt)
        candidates = []
        for r in results:
            passage = passage_from_stored(r.fields())
            matches, quality = explain(qunits, text, passage)
            if not matches:
                continue
            candidates.append(_Candidate(passage, r.score * (0.2 + 0.8 * quality), matches, quality))
        if self.aliases:
            candidates.extend(self._through_aliases(text, candidates, limit, flt))
        candidates.sort(key=lambda c: (-c.score, c.passage.source, c.passage.ordinal))
        return [
            Hit(text, rank, round(c.score, 4), c.passage, c.matches)
            for rank, c in enumerate(candidates[:limit], 1)
        ]

    def _through_aliases(self, text: str, direct: list[_Candidate], limit: int,
                         flt: Any) -> list[_Candidate]:
        """Passages that name the entity the query names by its other names; ranked below
        direct hits (their score is scaled by ALIAS_WEIGHT and capped under the best
        direct hit) and marked with the alias that found them."""
        expansion = self.handle.entity_index().expansion(text)
        if expansion is None:
            return []
        aunits = expansion.search_units()
        if not aunits:
            return []
        seen = {c.passage.id for c in direct}
        ceiling = min((c.score for c in direct if c.quality >= 0.5), default=None)
        out = []
        for r in self._searcher.search(_field_terms(aunits, phrase=False),
                                       limit=max(limit * 4, 40), filter=flt):
            passage = passage_from_stored(r.fields())
            if passage.id in seen:
                continue
            alias, word = _alias_in(expansion, passage)
            if alias is None:
                continue
            score = r.score * ALIAS_WEIGHT
            if ceiling is not None:
                score = min(score, ceiling * 0.99)
            match = Match(text.strip(), word, "text", "alias", alias_of=alias.entity,
                          via=alias.name, stated_in=alias.stated_in)
            out.append(_Candidate(passage, score, (match,), QUALITY["variant"]))
        return out

    def _source_filter(self, pattern: str | None) -> Any:
        if not pattern:
            return None
        from whoosh.query import Or, Term

        glob = pattern if any(ch in pattern for ch in "*?[") else f"*{pattern}*"
        names = [
            s["source"]
            for s in self.handle.manifest.get("sources", {}).values()
            if fnmatch.fnmatch(s["source"], glob)
            or fnmatch.fnmatch(s["source"].rsplit("/", 1)[-1], glob)
        ]
        return Or([Term("source", n) for n in names]) if names else False

    def passage(self, pid: str) -> Passage | None:
        stored = self._searcher.document(id=pid)
        return passage_from_stored(stored) if stored else None


def explain(qunits: Sequence[Unit], query: str, passage: Passage) -> tuple[tuple[Match, ...], float]:
    """Which query words matched which words of the passage, and how; and the quality."""
    body = units(passage.text)
    exact: dict[str, Unit] = {}
    folded: dict[str, Unit] = {}
    keys: dict[str, Unit] = {}
    for u in body:
        for e in u.exact:
            exact.setdefault(e, u)
            folded.setdefault(e, u)
        for f in u.folded:
            folded.setdefault(f, u)
        if u.name_like:
            for k in u.keys:
                keys.setdefault(k, u)
    matches: list[Match] = []
    total = 0.0
    for q in qunits:
        qword = query[q.start:q.end]
        how, hit = _best(q, exact, folded, keys)
        if hit is not None:
            matches.append(Match(qword, passage.text[hit.start:hit.end], "text", how))
            total += QUALITY[how]
            continue
        for how, fieldtext in (("title", passage.title), ("section", passage.section),
                               ("citation", " ".join(c.text + " " + (c.url or "")
                                                     for c in passage.citations))):
            other = units(fieldtext) if fieldtext else []
            if any(set(q.exact + q.folded) & set(o.exact + o.folded) for o in other):
                matches.append(Match(qword, qword, how, how))
                total += QUALITY[how]
                break
    if len(qunits) > 1 and _has_phrase(qunits, body):
        matches.insert(0, Match(query.strip(), query.strip(), "text", "phrase"))
    return tuple(matches), total / len(qunits)


def _best(q: Unit, exact: dict[str, Unit], folded: dict[str, Unit],
          keys: dict[str, Unit]) -> tuple[str, Unit | None]:
    for e in q.exact:
        if e in exact:
            return "exact", exact[e]
    for f in q.folded:
        if f in folded:
            return "folded", folded[f]
    for k in q.keys:
        if k in keys:
            return "variant", keys[k]
    return "", None


def _has_phrase(qunits: Sequence[Unit], body: Sequence[Unit]) -> bool:
    first = qunits[0].exact[0]
    n = len(qunits)
    for i, u in enumerate(body):
        if first in u.exact and i + n <= len(body):
            if all(qunits[j].exact[0] in body[i + j].exact for j in range(n)):
                return True
    return False


def _alias_in(expansion: Expansion, passage: Passage) -> tuple[AliasName | None, str]:
    """The alias of the expansion with most words in the passage, and one such word."""
    found: dict[str, str] = {}
    for u in units(passage.text):
        for k in (u.keys if u.name_like else ()) + u.folded:
            found.setdefault(k, passage.text[u.start:u.end])
    best: tuple[int, AliasName | None, str] = (0, None, "")
    for alias in expansion.aliases:
        words = [found[k] for _f, keys in alias.units for k in keys if k in found]
        hits = sum(1 for _f, keys in alias.units if keys & found.keys())
        if hits > best[0]:
            best = (hits, alias, words[0])
    return best[1], best[2]


def highlight_spans(hit: Hit) -> list[tuple[int, int]]:
    """Character spans of the passage words that match the query (for marking them)."""
    qunits = units(hit.query)[:MAX_QUERY_UNITS]
    words = {t for q in qunits for t in q.exact + q.folded}
    keys = {k for q in qunits for k in q.keys}
    variant = any(m.how == "variant" for m in hit.matched)
    spans = []
    for u in units(hit.passage.text):
        if words.intersection(u.exact + u.folded) or (
            variant and u.name_like and keys.intersection(u.keys)
        ):
            spans.append((u.start, u.end))
    return spans
