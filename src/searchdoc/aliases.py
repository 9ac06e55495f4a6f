"""Aliases: the names each document gives a person, entities across documents, and the
expansion of a query to the other names of the entity it names.

1. **Extraction** (index time, per document): the title name; alias fields and lists
   (``Alias:``, ``Also Known As``, "a.k.a.", "aka", "also known as", "alias"); nicknames
   ("nickname", "known as", "dubbed", "nom de guerre"); a name in another script given in
   parentheses after one of the document's names; names given as designated, charged,
   indicted or sanctioned. Each name keeps its provenance (source, line, how).
2. **Entities**: the names of one document form a cluster; clusters of different
   documents are merged when two of their names agree under the spelling/script matching
   of :mod:`searchdoc.normalize` (see :func:`names_agree`: a full name, never a shared
   "Ali" or "al-Musawi" alone), and the merge is recorded with its reason.
3. **Expansion** (query time): a query that agrees with a name of an entity also searches
   the distinctive words of the entity's other names; those hits rank below direct ones
   and say through which alias they were found.

Entities are stored with each index generation (``entities.json``), with the per-source
extractions, so an update re-clusters without re-reading unchanged sources.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from searchdoc.lexicon import ALIAS_KEY, COMMON_GIVEN_NAMES, is_name_key
from searchdoc.models import Document, Passage, StatedName
from searchdoc.normalize import Unit, is_arabic, units

ENTITIES_FILE = "entities.json"
ENTITIES_VERSION = 1

_MAX_NAME_WORDS = 8

class _LazyPattern:
    """A regular expression compiled when first used: the ones that find names in
    documents are needed when indexing, not for a query (they took a tenth of the time
    it takes to import searchdoc)."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return getattr(self._compiled, name)


_CAP_WORD = r"(?:[A-Z](?:\.|[\w'’]*(?:-[A-Z]?[\w'’]+)*))"
_CONNECTOR = r"(?:(?:al|el|ad|ar|as|ash|at|az|an|ul|ud)-[A-Z][\w'’]*|the|of|bin|ibn|bint|abu|abd|al|el|de|da|di|du|van|von|ould)"
_NAME_RE = rf"{_CAP_WORD}(?:\s+(?:{_CONNECTOR}\s+)*(?:{_CAP_WORD}|(?:al|el|ad|ar|as|ash|at|az|an|ul|ud)-[A-Z][\w'’]*))*"
_QUOTED = r"[\"“‘']([^\"”’']{2,80})[\"”’']"

_NICKNAME_RE = _LazyPattern(
    rf"\b(?P<how>nicknamed|nickname|also known as|known as|dubbed|nom de guerre|a\.k\.a\.|aka|alias)"
    rf"[:,]?\s+(?:(?:of|as|the nickname)\s+)?(?:{_QUOTED}|(?P<name>{_NAME_RE}))"
)
_DESIGNATED_RE = _LazyPattern(
    rf"\b(?P<how>designated|charged|indicted|sanctioned|listed)\s+(?P<name>{_NAME_RE})"
)
_OTHER_SCRIPT_IN_PARENS = re.compile(r"\s*\(([^\x00-\x1f\x21-\u024f(),;]+?)\s*[;,)]")
_LIST_SPLIT = re.compile(r"\s*[;,]\s*|\s+(?:and|or)\s+")


# ---------------------------------------------------------------------------------------
# Extraction


def _person_like(name: str) -> bool:
    words = name.split()
    if not 1 <= len(words) <= _MAX_NAME_WORDS or any(ch.isdigit() for ch in name):
        return False
    return bool(units(name))


def natural_order(listing: str) -> str:
    """"AL-MUSAWI, Ali Mussa Daqduq" -> "Ali Mussa Daqduq AL-MUSAWI"."""
    parts = [p.strip() for p in listing.split(",")]
    if len(parts) == 2 and parts[0] and parts[1] and parts[0].upper() == parts[0]:
        return f"{parts[1]} {parts[0]}"
    return listing


def extract_names(doc: Document) -> list[StatedName]:
    """Every name the document gives for its subject, with provenance."""
    found: list[StatedName] = []
    title = natural_order(doc.title.strip().rstrip(",:"))
    first_line = doc.passages[0].line_start if doc.passages else 1
    if _person_like(title) and len(title.split()) >= 2:
        found.append(StatedName(title, doc.source, min(first_line, 1), "title"))
    for f in doc.fields:
        if is_name_key(f.key):  # "Name: KONY, Ali": one name, as a list prints it
            name = natural_order(f.value.strip(" .\"“”'‘’"))
            if _person_like(name):
                found.append(StatedName(name, doc.source, f.line, f"{f.key.lower()} field"))
        elif ALIAS_KEY.match(f.key.strip()):
            for name in _split_list(f.value):
                found.append(StatedName(name, doc.source, f.line, f"{f.key.lower()} field"))
    found.extend(doc.names)
    for p in doc.passages:
        if p.kind == "prose":
            found.extend(_from_prose(p))
    found.extend(_other_script(doc, [n.name for n in found]))
    return _dedupe(found)


def _split_list(value: str) -> list[str]:
    return [n.strip(" .\"“”'‘’") for n in _LIST_SPLIT.split(value)
            if _person_like(n.strip(" .\"“”'‘’"))]


def _from_prose(p: Passage) -> Iterable[StatedName]:
    for m in _NICKNAME_RE.finditer(p.text):
        raw = m.group(2) or m.group("name")
        how = m.group("how").lower()
        names = _split_list(raw) if how in ("aka", "a.k.a.", "also known as", "alias") else [raw]
        for name in names:
            name = _trim(name)
            if name and _person_like(name):
                yield StatedName(name, p.source, p.line_start, "nickname" if "nick" in how else how)
    for m in _DESIGNATED_RE.finditer(p.text):
        name = _trim(m.group("name"))
        if name and len(name.split()) >= 2 and _person_like(name):
            yield StatedName(name, p.source, p.line_start, m.group("how"))


def _trim(name: str) -> str:
    words = name.split()
    while words and words[-1].lower() in ("the", "of", "bin", "ibn", "abu", "al", "el", "de"):
        words.pop()
    return " ".join(words).rstrip(".’'")


def _other_script(doc: Document, names: Sequence[str]) -> Iterable[StatedName]:
    """"Ali Musa Daqduq (علي موسى دقدوق; died ...)": the name in another script."""
    for p in doc.passages:
        for name in names:
            start = 0
            while (i := p.text.find(name, start)) >= 0:
                start = i + len(name)
                m = _OTHER_SCRIPT_IN_PARENS.match(p.text, start)
                if m and _person_like(m.group(1).strip()):
                    yield StatedName(m.group(1).strip(), p.source, p.line_start, "in parentheses")


def _dedupe(names: Iterable[StatedName]) -> list[StatedName]:
    seen: set[tuple[str, str]] = set()
    out = []
    for n in names:
        k = (n.name.casefold(), n.how)
        if k not in seen:
            seen.add(k)
            out.append(n)
    return out


# ---------------------------------------------------------------------------------------
# Agreement of names


NameUnit = tuple[str, frozenset[str]]  # (folded form, matching keys)


def name_units(name: str) -> list[NameUnit]:
    """Per unit of a name: its folded form and its matching keys (variant keys, folded)."""
    out = []
    for u in units(name):
        keys = frozenset(u.keys) | frozenset(u.folded)
        if keys:
            out.append((u.folded[0], keys))
    return out


@lru_cache(maxsize=1)
def _common() -> frozenset[str]:
    """The keys and folded forms of COMMON_GIVEN_NAMES (computed on first use)."""
    return frozenset(k for u in units(" ".join(COMMON_GIVEN_NAMES)) for k in u.keys + u.folded)


def _cover(short: Sequence[NameUnit], long: Sequence[NameUnit]) -> list[int] | None:
    """Indices of `long` matching every unit of `short` (each used once), or None."""
    used: list[int] = []
    for _f, s in short:
        for j, (_g, l_) in enumerate(long):
            if j not in used and s & l_:
                used.append(j)
                break
        else:
            return None
    return used


def names_agree(a: Sequence[NameUnit], b: Sequence[NameUnit],
                rare: frozenset[str] | None = None) -> bool:
    """Whether two names, stated in different documents, name one person.

    Word by word, in order, with as many words on each side (two or more): "Saddam Hussein
    al-Tikriti" is not his son "Qusay Saddam Hussein al-Tikriti", and "Ramon Eduardo" is
    not his brother "Eduardo Ramon". Common given names may differ in spelling (any shared
    variant key); the other words must be spelled alike (folded forms equal or one edit
    apart) or be the same name in two scripts. At least one word must be distinctive (not
    a common given name, and rare in the collection when `rare` is given): two men called
    "Muhammad Ali" are not one.
    """
    if len(a) != len(b) or len(a) < 2:
        return False
    distinctive = False
    for (fa, ka), (fb, kb) in zip(a, b):
        if not ka & kb:
            return False
        if (ka | kb) & _common():
            continue
        if fa != fb and is_arabic(fa) == is_arabic(fb) and not _one_edit(fa, fb):
            return False
        distinctive = distinctive or _distinctive(ka, rare)
    return distinctive


def _one_edit(a: str, b: str) -> bool:
    """a and b differ by at most one insertion, deletion, substitution or transposition."""
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return (a[i + 1:] == b[i + 1:] or a[i + 1:] == b[i:] or a[i:] == b[i + 1:]
            or (a[i + 2:] == b[i + 2:] and a[i:i + 2] == b[i:i + 2][::-1]))


def _distinctive(unit: frozenset[str], rare: frozenset[str] | None) -> bool:
    if unit & _common():
        return False
    return rare is None or bool(unit & rare)


_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_BIRTH_KEY = re.compile(r"birth|born|\bdob\b", re.IGNORECASE)
_DOB_TEXT = _LazyPattern(r"\b(?:DOB|born(?: in| on)?)\s+(?:circa\s+|c\.\s*|about\s+)?"
                       r"(?:\d{1,2}\s+\w+\s+)?(1[89]\d\d|20\d\d)")


def birth_years(doc: Document) -> frozenset[int]:
    """The years of birth a document gives (fields such as "Birth Date: Between 1969 and
    1972", or "DOB 01 Sep 1969; alt. DOB 1970"), each widened by a year either side."""
    years: set[int] = set()
    for f in doc.fields:
        if _BIRTH_KEY.search(f.key):
            found = [int(y) for y in _YEAR.findall(f.value)]
            if len(found) == 2 and "between" in f.value.lower():
                found = list(range(found[0], found[1] + 1))
            years.update(found)
    for p in doc.passages:
        years.update(int(y) for y in _DOB_TEXT.findall(p.text))
    return frozenset(y + d for y in years for d in (-1, 0, 1))


# ---------------------------------------------------------------------------------------
# Entities


@dataclass(frozen=True)
class SourceNames:
    """What one document says about its subject's names and birth."""

    names: tuple[StatedName, ...]
    born: frozenset[int] = frozenset()

    @classmethod
    def of(cls, doc: Document) -> SourceNames:
        return cls(tuple(extract_names(doc)), birth_years(doc))

    def to_json(self) -> dict[str, Any]:
        return {"names": [n.to_json() for n in self.names], "born": sorted(self.born)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SourceNames:
        return cls(tuple(StatedName(**n) for n in data["names"]), frozenset(data["born"]))


@dataclass
class Entity:
    id: str
    names: dict[str, list[StatedName]] = field(default_factory=dict)
    merges: list[str] = field(default_factory=list)

    @property
    def primary(self) -> str:
        for stated in self.names.values():
            if any(s.how == "title" for s in stated):
                return stated[0].name
        return next(iter(self.names.values()))[0].name

    @property
    def sources(self) -> list[str]:
        return sorted({s.source for stated in self.names.values() for s in stated})

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.primary,
            "sources": self.sources,
            "names": [
                {
                    "name": stated[0].name,
                    "script": script_of(stated[0].name),
                    "units": [[f, sorted(k)] for f, k in name_units(stated[0].name)],
                    "stated_in": [{"source": s.source, "line": s.line, "how": s.how} for s in stated],
                }
                for stated in self.names.values()
            ],
            "merges": self.merges,
        }


def script_of(name: str) -> str:
    if is_arabic(name):
        return "Arabic"
    return "Latin" if all(ord(c) < 0x250 for c in name) else "other"


def _rare_limit(n_documents: int) -> int:
    return max(3, n_documents // 500)


def _rare_keys(unit_lists: Iterable[list[list[NameUnit]]], n_documents: int) -> frozenset[str]:
    """Keys in the names of few documents (at most 0.2% of them, or 3)."""
    df: dict[str, int] = defaultdict(int)
    for names in unit_lists:
        for k in {k for us in names for _f, keys in us for k in keys}:
            df[k] += 1
    limit = _rare_limit(n_documents)
    return frozenset(k for k, n in df.items() if n <= limit)


def cluster(extracted: dict[str, SourceNames]) -> list[Entity]:
    """One entity per document's names, merged across documents whose names agree
    (:func:`names_agree`) and whose years of birth, where both give them, overlap."""
    sources = sorted(s for s, sn in extracted.items() if sn.names)
    parent = {s: s for s in sources}
    reasons: dict[str, list[str]] = defaultdict(list)

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    units_of = {s: [name_units(n.name) for n in extracted[s].names] for s in sources}
    rare = _rare_keys(units_of.values(), len(sources))
    buckets: dict[str, set[str]] = defaultdict(set)
    for src, names in units_of.items():
        for us in names:
            for _f, keys in us:
                if not keys & _common():
                    for k in keys & rare:
                        buckets[k].add(src)
    for members in buckets.values():
        ordered = sorted(members)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                if find(a) == find(b):
                    continue
                why = _agreement(extracted[a], extracted[b], units_of[a], units_of[b], rare)
                if why:
                    ra, rb = find(a), find(b)
                    parent[rb] = ra
                    reasons[ra].extend(reasons.pop(rb, []))
                    reasons[ra].append(why)
    groups: dict[str, list[str]] = defaultdict(list)
    for s in sources:
        groups[find(s)].append(s)
    entities = []
    for n, (root, group) in enumerate(sorted(groups.items(), key=lambda kv: kv[1][0]), 1):
        e = Entity(id=f"e{n}", merges=reasons.get(root, []))
        for src in group:
            for stated in extracted[src].names:
                key = " ".join(f for f, _k in name_units(stated.name)) or stated.name
                e.names.setdefault(key, []).append(stated)
        entities.append(e)
    return entities


def _agreement(a: SourceNames, b: SourceNames, ua: list[list[NameUnit]],
               ub: list[list[NameUnit]], rare: frozenset[str]) -> str:
    if a.born and b.born and not a.born & b.born:
        return ""  # born in different years: two people, whatever their names
    for na, us_a in zip(a.names, ua):
        for nb, us_b in zip(b.names, ub):
            if names_agree(us_a, us_b, rare):
                return (f"“{na.name}” ({na.source}:{na.line}) agrees with "
                        f"“{nb.name}” ({nb.source}:{nb.line})")
    return ""


# ---------------------------------------------------------------------------------------
# Storage with the index


def write_entities(gen: Path, base: Path | None, parsed: Sequence[Document],
                   removed: Sequence[str]) -> None:
    """Update the per-source extractions from `base`, re-cluster, write them into `gen`."""
    extracted: dict[str, SourceNames] = {}
    if base is not None:
        old = _load(base)
        if old:
            drop = set(removed)
            extracted = {src: SourceNames.from_json(sn)
                         for src, sn in old["extracted"].items() if not _within(src, drop)}
    for doc in parsed:
        extracted[doc.source] = SourceNames.of(doc)
    data = {
        "version": ENTITIES_VERSION,
        "extracted": {s: sn.to_json() for s, sn in sorted(extracted.items())},
        "entities": [e.to_json() for e in cluster(extracted)],
    }
    tmp = gen / (ENTITIES_FILE + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, gen / ENTITIES_FILE)  # never write through a link into another generation


def _within(source: str, removed: set[str]) -> bool:
    """Whether a source is one of `removed` or a document inside one (mail.eml/a.pdf)."""
    return source in removed or any(source[:i] in removed for i, ch in enumerate(source)
                                    if ch == "/")


def _load(gen: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((gen / ENTITIES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if data.get("version") == ENTITIES_VERSION else None


# ---------------------------------------------------------------------------------------
# Query time


@dataclass(frozen=True)
class AliasName:
    name: str
    entity: str  # the entity's primary name
    stated_in: str  # "source:line"
    units: tuple[NameUnit, ...]


@dataclass(frozen=True)
class Expansion:
    entity: dict[str, Any]
    aliases: tuple[AliasName, ...]

    def search_units(self) -> list[Unit]:
        """The distinctive words of the other names, as query units."""
        out: dict[str, Unit] = {}
        for a in self.aliases:
            for u in units(a.name):
                if (frozenset(u.keys) | frozenset(u.folded)) & _common():
                    continue
                out.setdefault(u.folded[0], u)
        return list(out.values())


def _stored_units(name: dict[str, Any]) -> tuple[NameUnit, ...]:
    return tuple((f, frozenset(keys)) for f, keys in name["units"])


class EntityIndex:
    """The stored entities of one index generation, looked up by name."""

    def __init__(self, data: dict[str, Any] | None) -> None:
        self.entities: list[dict[str, Any]] = data["entities"] if data else []
        self._by_key: dict[str, set[int]] = defaultdict(set)
        for ei, e in enumerate(self.entities):
            for n in e["names"]:
                for _f, keys in n["units"]:
                    for k in keys:
                        self._by_key[k].add(ei)
        limit = _rare_limit(len(self.entities))
        self.rare = frozenset(k for k, eis in self._by_key.items() if len(eis) <= limit)

    @classmethod
    def load(cls, gen: Path) -> EntityIndex:
        return cls(_load(gen))

    def lookup(self, name: str) -> list[dict[str, Any]]:
        """Entities one of whose names the query gives: all its distinctive words, in any
        spelling or script ("Dakdouk", "Hamid the Mute", "علي موسى دقدوق")."""
        qunits = name_units(name)
        if not qunits:
            return []
        candidates = set.intersection(*(set().union(*(self._by_key.get(k, set()) for k in keys))
                                        for _f, keys in qunits))
        hits = []
        for ei in sorted(candidates):
            e = self.entities[ei]
            if any(self._query_names(qunits, _stored_units(n)) for n in e["names"]):
                hits.append(e)
        return hits

    def _query_names(self, q: list[NameUnit], n: tuple[NameUnit, ...]) -> bool:
        """The query gives this name: every query word is in it, at least one of them
        distinctive, and the name's distinctive words are all in the query."""
        if _cover(q, n) is None or not any(_distinctive(k, self.rare) for _f, k in q):
            return False
        distinctive = [u for u in n if _distinctive(u[1], self.rare)]
        return _cover(distinctive, q) is not None

    def expansion(self, query: str) -> Expansion | None:
        found = self.lookup(query)
        if len(found) != 1:
            return None  # no entity, or an ambiguous query: do not guess
        e = found[0]
        qunits = name_units(query)
        aliases = []
        for n in e["names"]:
            nunits = _stored_units(n)
            if _cover(nunits, qunits) is not None:
                continue  # the query already says this name
            s = n["stated_in"][0]
            aliases.append(AliasName(n["name"], e["name"], f"{s['source']}:{s['line']}", nunits))
        return Expansion(e, tuple(aliases)) if aliases else None
