"""Query text -> one whoosh query over several fields -> ranked, explained hits.

Each query unit (see :mod:`searchdoc.normalize`, the same code the index used) becomes
a disjunction over the forms of the unit, strongest first: the word as written in the
passage text, its folded form, its spelling-variant key, and the title, section and
citation fields. BM25F ranks the candidates. whoosh reports the terms each candidate
matched, which says per query word how it matched; the score is scaled by that quality
(an exact spelling beats a folded one, which beats a spelling variant), and by
PHRASE_FACTOR when the passage holds the whole query as a phrase. Spelling variants of
ordinary words (frequent in the collection) are not searched. Only the hits returned are
explained word by word (which word of the passage each query word matched).
"""

from __future__ import annotations

import fnmatch
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from searchdoc.aliases import AliasName, Expansion
from searchdoc.index import IndexHandle, passage_from_stored
from searchdoc.models import Hit, Match, Passage
from searchdoc.normalize import PARTICLES, STOP_WORDS, Unit, units

MAX_QUERY_UNITS = 32

# Boosts of each form of a query word in the whoosh query.
W_EXACT = 3.0
W_FOLDED = 2.0
W_VARIANT = 3.0  # lower, an exact common first name outweighs the surname's variant
W_TITLE = 0.6
W_SECTION = 0.5
W_CITES = 0.4
ALIAS_WEIGHT = 0.5

# How much a query word counts towards the match quality, by how it matched.
QUALITY = {
    "exact": 1.0,
    "folded": 0.85,
    "variant": 0.8,
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


# A query word whose exact form is in more passages than this is an ordinary word, not
# a name: its spelling variants are not searched (they would only add noise and time).
COMMON_DF_FRACTION = 0.01
COMMON_DF_MIN = 1000
# Words that may stand between the words of a phrase: stop words and name particles.
_PHRASE_GLUE = sorted(STOP_WORDS | PARTICLES)
_PHRASE_SEP = r"(?:[\W_]+(?:(?:" + "|".join(_PHRASE_GLUE) + r")[\W_]+)*)"
PHRASE_FACTOR = 1.5
# How much of the score comes from whoosh's BM25F, the rest from the name evidence.
BM25_SHARE = 0.3
TIERS = ("exact", "folded", "variant", "title", "section", "citation")


@dataclass(frozen=True)
class _Candidate:
    passage: Passage
    score: float
    quality: float
    tiers: tuple[str, ...]  # per query unit, how it matched ("" when it did not)
    phrase: bool = False
    alias: AliasName | None = None


@dataclass
class _Plan:
    """A query, analysed once: its units, the whoosh query, and per unit and per way of
    matching, the (field, term) pairs that count as that way of matching."""

    text: str
    units: list[Unit]
    query: Any
    tier_terms: list[dict[str, set[tuple[str, bytes]]]]
    phrase: re.Pattern[str] | None

    tier_idf: list[dict[str, float]]

    def judge(self, matched: set[tuple[str, bytes]]) -> tuple[float, float, tuple[str, ...]]:
        """(evidence, quality, tiers) of a document that holds the `matched` terms.

        Per query word, the best way it matched (its tier); quality is the mean weight of
        the tiers; evidence sums, per matched word, its tier's weight times the IDF of what
        matched: a passage that has more of the name's words, rarer and closer in spelling,
        has more evidence."""
        tiers = []
        evidence = 0.0
        for terms, idf in zip(self.tier_terms, self.tier_idf):
            tier = next((t for t in TIERS if terms[t] & matched), "")
            tiers.append(tier)
            if tier:
                evidence += QUALITY[tier] * idf[tier]
        quality = sum(QUALITY[t] for t in tiers if t) / len(tiers)
        return evidence, quality, tuple(tiers)


def _unit_terms(u: Unit, with_variants: bool) -> dict[str, set[tuple[str, str]]]:
    words = list(dict.fromkeys(u.exact + u.folded))
    return {
        "exact": {("body", e) for e in u.exact},
        "folded": {("body", f) for f in u.folded} | {("folded", f) for f in u.folded},
        "variant": {("variant", k) for k in u.keys} if with_variants else set(),
        "title": {("title", w) for w in words},
        "section": {("section", w) for w in words},
        "citation": {("cites", w) for w in words},
    }


_BOOST = {"body": W_EXACT, "folded": W_FOLDED, "variant": W_VARIANT, "title": W_TITLE,
          "section": W_SECTION, "cites": W_CITES}


def _make_plan(text: str, qunits: Sequence[Unit], searcher: Any) -> _Plan:
    from whoosh.query import Or, Term

    if len(qunits) > 1:  # initials ("Luis C. Contreras") match everything and say nothing
        qunits = [u for u in qunits if len(u.folded[0]) > 1] or list(qunits)

    n_docs = max(searcher.doc_count(), 1)
    common = max(COMMON_DF_MIN, int(n_docs * COMMON_DF_FRACTION))
    seen_df: dict[tuple[str, str], int] = {}

    def doc_frequency(field: str, term: str) -> int:  # each term looked up once per query
        if (field, term) not in seen_df:
            seen_df[(field, term)] = searcher.doc_frequency(field, term)
        return seen_df[(field, term)]

    per_unit, tier_terms, tier_idf = [], [], []
    for u in qunits:
        ordinary = any(doc_frequency("body", e) > common for e in u.exact)
        terms = _unit_terms(u, with_variants=not ordinary)
        if terms["variant"]:  # a key shared by very many words means nothing: short ones more so
            terms["variant"] = {t for t in terms["variant"]
                                if doc_frequency(*t) <= common // 5}
        clauses: dict[tuple[str, str], float] = {}
        for tier, pairs in terms.items():
            terms[tier] = pairs = {p for p in pairs if doc_frequency(*p)}
            for field, term in pairs:
                boost = W_FOLDED if (tier == "folded" and field == "body") else _BOOST[field]
                clauses[(field, term)] = max(clauses.get((field, term), 0.0), boost)
        per_unit.append(Or([Term(f, t, boost=b) for (f, t), b in clauses.items()]))
        tier_terms.append({k: {(f, t.encode("utf-8")) for f, t in v} for k, v in terms.items()})
        tier_idf.append({k: max((_idf(n_docs, doc_frequency(*p)) for p in v), default=0.0)
                         for k, v in terms.items()})
    phrase = None
    if len(qunits) > 1:
        phrase = re.compile(r"(?<!\w)" + _PHRASE_SEP.join(re.escape(u.exact[0]) for u in qunits)
                            + r"(?!\w)", re.IGNORECASE)
    return _Plan(text, list(qunits), Or(per_unit), tier_terms, phrase, tier_idf)


def _idf(n_docs: int, df: int) -> float:
    return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5)) if df else 0.0


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
        flt = self._source_filter(source)
        if flt is False:
            return []
        plan = _make_plan(text, qunits, self._searcher)
        depth = max(limit * 3, 30)
        results = self._searcher.search(plan.query, limit=depth, filter=flt)
        matched = _matched_terms(self._searcher, plan, [r.docnum for r in results])
        top = max((r.score for r in results), default=1.0) or 1.0
        judged = []
        for r in results:
            evidence, quality, tiers = plan.judge(matched[r.docnum])
            if any(tiers):
                # The name evidence ranks; BM25F (term frequency, length) breaks ties.
                score = evidence * (1.0 - BM25_SHARE + BM25_SHARE * r.score / top)
                judged.append((score, quality, tiers, r))
        judged.sort(key=lambda j: -j[0])
        candidates = []
        for rank, (score, quality, tiers, r) in enumerate(judged):
            # Stored text is read only where it can change the order: the first hits, and
            # the passages that may hold the query as a phrase (every word exact).
            may_phrase = plan.phrase is not None and all(t == "exact" for t in tiers)
            if rank >= 2 * limit and not may_phrase:
                continue
            passage = passage_from_stored(r.fields())
            phrase = may_phrase and bool(plan.phrase.search(passage.text))  # type: ignore[union-attr]
            score *= PHRASE_FACTOR if phrase else 1.0
            candidates.append(_Candidate(passage, score, quality, tiers, phrase))
        if self.aliases:
            candidates.extend(self._through_aliases(plan, candidates, depth, flt))
        candidates.sort(key=lambda c: (-c.score, c.passage.source, c.passage.ordinal))
        return [
            Hit(text, rank, round(c.score, 4), c.passage, _explain(plan, c))
            for rank, c in enumerate(candidates[:limit], 1)
        ]

    def _through_aliases(self, plan: _Plan, direct: list[_Candidate], depth: int,
                         flt: Any) -> list[_Candidate]:
        """Passages that name the person the query names by their other names; ranked
        below the direct hits (score scaled by ALIAS_WEIGHT and capped under the weakest
        good direct hit) and marked with the alias that found them."""
        entities = self.handle.entity_index()
        if not entities.entities:
            return []
        expansion = entities.expansion(plan.text)
        if expansion is None:
            return []
        aunits = expansion.search_units()
        if not aunits:
            return []
        alias_plan = _make_plan(plan.text, aunits, self._searcher)
        by_word = {u.folded[0]: terms for u, terms in zip(aunits, alias_plan.tier_terms)}
        seen = {c.passage.id for c in direct}
        ceiling = min((c.score for c in direct if c.quality >= 0.5), default=None)
        out = []
        results = self._searcher.search(alias_plan.query, limit=depth, filter=flt)
        matched_by_doc = _matched_terms(self._searcher, alias_plan, [r.docnum for r in results])
        for r in results:
            alias = _alias_found(expansion, by_word, matched_by_doc[r.docnum])
            if alias is None or r.fields()["id"] in seen:
                continue
            score = r.score * ALIAS_WEIGHT
            if ceiling is not None:
                score = min(score, ceiling * 0.99)
            out.append(_Candidate(passage_from_stored(r.fields()), score, QUALITY["variant"],
                                  (), alias=alias))
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


def _matched_terms(searcher: Any, plan: _Plan,
                   docnums: Sequence[int]) -> dict[int, set[tuple[str, bytes]]]:
    """Which of the plan's (field, term) pairs each of a few documents holds: a skip
    through each term's postings, much cheaper than recording terms for every match."""
    found: dict[int, set[tuple[str, bytes]]] = {d: set() for d in docnums}
    wanted = sorted(found)
    pairs = {p for terms in plan.tier_terms for tier in terms.values() for p in tier}
    for field, term in pairs:
        try:
            m = searcher.postings(field, term)
        except Exception:  # whoosh raises TermNotFound for a term of no document
            continue
        for d in wanted:
            if not m.is_active():
                break
            if m.id() < d:
                m.skip_to(d)
            if m.is_active() and m.id() == d:
                found[d].add((field, term))
    return found


def _alias_found(expansion: Expansion, by_word: dict[str, dict[str, set[tuple[str, bytes]]]],
                 matched: set[tuple[str, bytes]]) -> AliasName | None:
    """The alias of the expansion with most of its distinctive words among `matched`."""
    best: tuple[int, AliasName | None] = (0, None)
    for alias in expansion.aliases:
        n = sum(1 for f, _k in alias.units
                if f in by_word and any(by_word[f][t] & matched for t in ("exact", "folded", "variant")))
        if n > best[0]:
            best = (n, alias)
    return best[1]


def _explain(plan: _Plan, c: _Candidate) -> tuple[Match, ...]:
    """Why a hit matched: per query word, the word of the passage it matched and how."""
    text = c.passage.text
    if c.alias is not None:
        a = c.alias
        word = next((w for w in (_find(text, f) for f, _k in a.units) if w), a.name)
        return (Match(plan.text.strip(), word, "text", "alias", alias_of=a.entity,
                      via=a.name, stated_in=a.stated_in),)
    matches: list[Match] = []
    if c.phrase:
        matches.append(Match(plan.text.strip(), plan.text.strip(), "text", "phrase"))
    body = None
    for u, how in zip(plan.units, c.tiers):
        qword = plan.text[u.start:u.end]
        if not how:
            continue
        if how in ("title", "section", "citation"):
            matches.append(Match(qword, qword, how, how))
            continue
        word = _find(text, u.exact[0]) if how == "exact" else None
        if word is None:
            body = body if body is not None else units(text)
            word = _surface(text, body, u, how) or qword
        matches.append(Match(qword, word, "text", how))
    return tuple(matches)


def _find(text: str, word: str) -> str | None:
    m = re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text, re.IGNORECASE)
    return m.group() if m else None


def _surface(text: str, body: Sequence[Unit], q: Unit, how: str) -> str | None:
    for b in body:
        if (how == "exact" and set(q.exact) & set(b.exact)) or (
            how == "folded" and set(q.folded) & set(b.folded + b.exact)) or (
            how == "variant" and b.name_like and set(q.keys) & set(b.keys)
        ):
            return text[b.start:b.end]
    return None


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
