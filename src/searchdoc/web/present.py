"""What the pages show, made from the library's results: hits with their marked words,
where they stand and why they matched; facets and filters; people; CSV.

Pure functions of :mod:`searchdoc.models` and :mod:`searchdoc.results` objects, no HTTP:
the routes (:mod:`searchdoc.web.app`) call the library, these shape its answers, the
templates render them (escaped by Jinja2's autoescape).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from searchdoc.explain import HOW_LABEL, highlight_spans
from searchdoc.models import Hit, Passage
from searchdoc.output import location, match_line
from searchdoc.results import Entity

FACETS = ("folder", "format", "kind", "person", "how")
FACET_LABEL = {"folder": "Folder", "format": "Format", "kind": "Kind", "person": "Person",
               "how": "Matched"}
KIND_LABEL = {"prose": "prose", "fields": "fields", "record": "record"}
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_URL = re.compile(r"https?://[^\s<>\"')\]]+")


def source_id(source: str) -> str:
    """The id a source is looked up by in URLs (never its path)."""
    return hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def direction(text: str) -> str:
    """"rtl" for text mostly in Arabic script (Arabic, Persian, Urdu), else "ltr"."""
    arabic = len(_ARABIC.findall(text[:2000]))
    return "rtl" if arabic and arabic >= len(_LATIN.findall(text[:2000])) else "ltr"


def segments(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[str, bool]]:
    """`text` cut into (piece, marked) at the spans (merged, in order)."""
    out: list[tuple[str, bool]] = []
    at = 0
    for start, end in sorted(spans):
        if end <= at:
            continue
        start = max(start, at)
        if start > at:
            out.append((text[at:start], False))
        out.append((text[start:end], True))
        at = end
    if at < len(text):
        out.append((text[at:], False))
    return out


def folder_of(source: str) -> str:
    return source.rsplit("/", 1)[0] if "/" in source else "."


def format_of(source: str) -> str:
    name = source.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name[1:] else "(none)"


def hows(hit: Hit) -> list[str]:
    """How a hit matched, in plain words, once each: exact, same letters, spelling
    variant, alias, phrase, citation."""
    return list(dict.fromkeys(HOW_LABEL.get(m.how, m.how) for m in hit.matched))


def people_of(hits: Sequence[Hit], people: Sequence[Entity]) -> dict[str, Entity]:
    """The person each hit belongs to, among the people the query names: a record by the
    entity that states a name at that record, another passage by the entity whose
    sources hold its document."""
    by_record: dict[tuple[str, int], Entity] = {}
    by_source: dict[str, Entity] = {}
    for e in people:
        for n in e.names:
            for s in n.stated_in:
                if s.record is not None:
                    by_record.setdefault((s.source, s.record), e)
        for src in e.sources:
            by_source.setdefault(src, e)
    out: dict[str, Entity] = {}
    for h in hits:
        p = h.passage
        who = by_record.get((p.source, p.record)) if p.record is not None else None
        if who is None and p.record is None:
            who = by_source.get(p.source)
        if who is not None:
            out[p.id] = who
    return out


@dataclass
class HitView:
    hit: Hit
    where: str
    sid: str
    segments: list[tuple[str, bool]]
    dir: str
    matched: list[str]
    hows: list[str]
    person: Entity | None
    citations: list[tuple[str, str | None]]  # (text, http(s) url or None)
    citation: str  # ready to paste: title, where
    fields: list[tuple[str, str]] = field(default_factory=list)

    @property
    def p(self) -> Passage:
        return self.hit.passage


def hit_view(hit: Hit, person: Entity | None) -> HitView:
    p = hit.passage
    where = location(p)
    cites = []
    for c in p.citations:
        url = c.url if c.url and re.match(r"https?://", c.url) else None
        if url is None:
            m = _URL.search(c.text)
            url = m.group(0) if m else None
        cites.append((c.text, url))
    title = p.title or p.source
    return HitView(hit, where, source_id(p.source), segments(p.text, highlight_spans(hit)),
                   direction(p.text), [match_line(m) for m in hit.matched], hows(hit), person,
                   cites, f"{title}. {where}." + (f" {p.section}." if p.section else ""))


def facet_values(hit: Hit, person: Entity | None) -> dict[str, list[str]]:
    p = hit.passage
    return {"folder": [folder_of(p.source)], "format": [format_of(p.source)],
            "kind": [KIND_LABEL.get(p.kind, p.kind)],
            "person": [person.name] if person is not None else [],
            "how": hows(hit)}


def facets(hits: Sequence[Hit], persons: dict[str, Entity],
           chosen: dict[str, list[str]]) -> tuple[list[Hit], dict[str, list[tuple[str, int]]]]:
    """The hits that pass every chosen filter, and per facet its values with their counts
    among the hits that pass the other facets' filters (as a faceted search counts)."""
    values = [facet_values(h, persons.get(h.passage.id)) for h in hits]

    def passes(v: dict[str, list[str]], skip: str | None = None) -> bool:
        return all(not want or any(x in v[name] for x in want)
                   for name, want in chosen.items() if name != skip)

    kept = [h for h, v in zip(hits, values) if passes(v)]
    counts: dict[str, list[tuple[str, int]]] = {}
    for name in FACETS:
        c: Counter[str] = Counter()
        for v in values:
            if passes(v, skip=name):
                c.update(v[name])
        counts[name] = sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:12]
    return kept, counts


def url(path: str, params: dict[str, Any]) -> str:
    """A URL of this site with its query string (empty values left out, lists repeated)."""
    pairs = [(k, x) for k, v in params.items()
             for x in (v if isinstance(v, (list, tuple)) else [v]) if x not in (None, "")]
    return path + ("?" + urlencode(pairs) if pairs else "")


def csv_text(rows: Iterable[Sequence[Any]], header: Sequence[str]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        w.writerow(["" if x is None else _cell(x) for x in r])
    return out.getvalue()


def _cell(x: Any) -> str:
    s = str(x)
    # a cell a spreadsheet would run as a formula is written as text
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


HIT_COLUMNS = ("rank", "query", "name_score", "score", "source", "where", "title", "section",
               "kind", "person", "matched", "text", "passage")


def hit_rows(views: Iterable[HitView]) -> Iterable[list[Any]]:
    for v in views:
        h, p = v.hit, v.hit.passage
        yield [h.rank, h.query, h.name_score, h.score, p.source, v.where, p.title, p.section,
               p.kind, v.person.name if v.person else "", "; ".join(v.matched), p.text, p.id]


def names_by_script(e: Entity) -> list[tuple[str, list[Any]]]:
    """An entity's names grouped by script, Latin first."""
    groups: dict[str, list[Any]] = {}
    for n in e.names:
        groups.setdefault(n.script, []).append(n)
    order = sorted(groups, key=lambda s: (s != "Latin", s))
    return [(s, groups[s]) for s in order]

