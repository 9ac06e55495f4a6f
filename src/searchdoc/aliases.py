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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from searchdoc.lexicon import ALIAS_KEY, COMMON_GIVEN_NAMES, is_name_key, join_name_parts, name_part
from searchdoc.models import Document, Passage, StatedName
from searchdoc.normalize import LOOSE_PREFIX, Unit, is_arabic, units

ENTITIES_FILE = "entities.json"
ENTITIES_VERSION = 2  # 2: per document (a list's records each), entities in entities.hsh

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


def _from_name_parts(doc: Document, stated_lines: set[int]) -> list[StatedName]:
    """The names a document writes in parts, one field each ("Surname: SOLEIMANI", "Given
    names: Qasem"): joined given, middle, family; a part said again starts another name."""
    groups: list[tuple[list[tuple[str, str]], int]] = []
    for f in doc.fields:
        part = name_part(f.key)
        if part is None or f.line in stated_lines:
            continue
        if not groups or any(p == part for p, _v in groups[-1][0]):
            groups.append(([], f.line))
        groups[-1][0].append((part, f.value.strip(" .\"“”'‘’")))
    found = []
    for parts, line in groups:
        name = join_name_parts(parts)
        if len(name.split()) >= 2 and _person_like(name):
            found.append(StatedName(name, doc.source, line, "name fields"))
    return found


def extract_names(doc: Document) -> list[StatedName]:
    """Every name the document gives for its subject, with provenance."""
    found: list[StatedName] = []
    title = natural_order(doc.title.strip().rstrip(",:"))
    first_line = doc.passages[0].line_start if doc.passages else 1
    stated_lines = {n.line for n in doc.names}
    # a record's title is its first stated name: said once, by its column
    if not (doc.record and doc.names) and len(title.split()) >= 2 and _person_like(title):
        found.append(StatedName(title, doc.source,
                                first_line if doc.record is not None else min(first_line, 1),
                                "title"))
    found.extend(_from_name_parts(doc, stated_lines))
    for f in doc.fields:
        if f.line in stated_lines:
            continue  # said by the record's name or alias column
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
        elif p.kind == "record":  # "a.k.a. 'ABU AHMAD'" in a remarks column (OFAC's sdn.csv)
            found.extend(_from_prose(p, designated=False))
    found.extend(_other_script(doc, [n.name for n in found]))
    return _dedupe(found)


def _split_list(value: str) -> list[str]:
    return [n.strip(" .\"“”'‘’") for n in _LIST_SPLIT.split(value)
            if _person_like(n.strip(" .\"“”'‘’"))]


def _from_prose(p: Passage, designated: bool = True) -> Iterable[StatedName]:
    for m in _NICKNAME_RE.finditer(p.text):
        raw = m.group(2) or m.group("name")
        how = m.group("how").lower()
        names = _split_list(raw) if how in ("aka", "a.k.a.", "also known as", "alias") else [raw]
        if natural_order(raw) != raw:  # a.k.a. 'SULEIMANI, Qassem': one name, LAST, First
            names = [natural_order(raw)]
        for name in names:
            name = _trim(name)
            if name and _person_like(name):
                yield StatedName(name, p.source, p.line_start, "nickname" if "nick" in how else how)
    for m in (_DESIGNATED_RE.finditer(p.text) if designated else ()):
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
    return frozenset(y + d for y in _raw_years(doc) for d in (-1, 0, 1))


# ---------------------------------------------------------------------------------------
# Entities


WEAK = "weak alias"  # a name a list itself marks as unreliable: listed, never merged on


@dataclass(frozen=True, slots=True)
class SourceNames:
    """What one document says about its subject's names and birth (`years`: as given;
    :attr:`born` widens them by a year); a record of a list also says its position and its
    identifier in the list."""

    names: tuple[StatedName, ...]
    years: tuple[int, ...] = ()
    record: int | None = None
    ident: str | None = None

    @property
    def born(self) -> frozenset[int]:
        return frozenset(y + d for y in self.years for d in (-1, 0, 1))

    @classmethod
    def of(cls, doc: Document) -> SourceNames:
        return cls(tuple(extract_names(doc)), _years_given(doc), doc.record, record_id(doc))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"names": [[n.name, n.line, n.how] for n in self.names]}
        if self.years:
            out["years"] = list(self.years)
        if self.record is not None:
            out["record"] = self.record
        if self.ident is not None:
            out["id"] = self.ident
        return out

    @classmethod
    def from_json(cls, source: str, data: dict[str, Any]) -> SourceNames:
        names = tuple(StatedName(n["name"], n["source"], n["line"], n["how"]) if isinstance(n, dict)
                      else StatedName(n[0], source, n[1], n[2]) for n in data["names"])
        years = tuple(data.get("years") or sorted(data.get("born") or ()))
        return cls(names, years, data.get("record"), data.get("id"))


def _years_given(doc: Document) -> tuple[int, ...]:
    return tuple(sorted(_raw_years(doc)))


def _raw_years(doc: Document) -> set[int]:
    """The years of birth a document gives, as given (:func:`birth_years` widens them)."""
    years: set[int] = set()
    for f in doc.fields:
        if _BIRTH_KEY.search(f.key):
            found = [int(y) for y in _YEAR.findall(f.value)]
            if len(found) == 2 and "between" in f.value.lower():
                found = list(range(found[0], found[1] + 1))
            years.update(found)
    for p in doc.passages:
        years.update(int(y) for y in _DOB_TEXT.findall(p.text))
    return years


def record_id(doc: Document) -> str | None:
    """The identifier a record of a list has in its list (its id column), or None."""
    if doc.record is None:
        return None
    from searchdoc.readers.records import column_role

    return next((f.value for f in doc.fields if column_role(f.key) == "id"), None)


@dataclass(frozen=True)
class Statement:
    """Where an entity's name is stated: a StatedName, and the record when it is a list's."""

    name: str
    source: str
    line: int
    how: str
    record: int | None = None

    @property
    def where(self) -> str:
        """``source:line``, and the record of a list: ``sdn.csv:17 (record 16)``."""
        return f"{self.source}:{self.line}" + (f" (record {self.record})"
                                               if self.record is not None else "")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "line": self.line, "how": self.how}
        if self.record is not None:
            out["record"] = self.record
        return out


@dataclass
class Entity:
    id: str
    names: dict[str, list[Statement]] = field(default_factory=dict)
    merges: list[str] = field(default_factory=list)

    @property
    def primary(self) -> str:
        for stated in self.names.values():
            if any(s.how in ("title", "name column", "name columns") for s in stated):
                return stated[0].name
        return next(iter(self.names.values()))[0].name

    @property
    def sources(self) -> list[str]:
        return sorted({s.source for stated in self.names.values() for s in stated})

    def to_json(self, units_of: Any = None, distinctive: Any = None) -> dict[str, Any]:
        """The entity as stored: each name with its units (`units_of(name)`: [folded,
        [keys]] per unit), flagged distinctive or not (`distinctive(keys)`) when given."""
        units_of = units_of or (lambda name: [[f, sorted(k)] for f, k in _units_of(name)])
        return {
            "id": self.id,
            "name": self.primary,
            "sources": self.sources,
            "names": [
                {
                    "name": stated[0].name,
                    "script": script_of(stated[0].name),
                    "units": [[f, keys] + ([distinctive(keys)] if distinctive else [])
                              for f, keys in units_of(stated[0].name)],
                    "stated_in": [s.to_json() for s in stated],
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


@lru_cache(maxsize=1 << 14)
def _units_of(name: str) -> tuple[NameUnit, ...]:
    """name_units, remembered for the names compared most recently."""
    return tuple(name_units(name))


# Buckets of documents sharing a rare key larger than this are not compared pair by pair
# (a key in so many names says little about who is who).
MAX_BUCKET = 1000


class _Clusters:
    """The documents of an index grouped into entities (see :func:`cluster`); the units
    of each distinct name are computed once and kept as a short JSON text."""

    def __init__(self, extracted: Mapping[str, SourceNames | Sequence[SourceNames]]) -> None:
        self.docs: list[tuple[str, SourceNames]] = []
        for src in sorted(extracted):
            found = extracted[src]
            self.docs.extend((src, sn) for sn in (
                [found] if isinstance(found, SourceNames) else found) if sn.names)
        self._units: dict[str, str] = {}
        self.groups, self.reasons = self._cluster()

    def units(self, name: str) -> list[list[Any]]:
        """[[folded, [keys]], ...] of a name (computed once per distinct name)."""
        found = self._units.get(name)
        if found is None:
            found = self._units[name] = json.dumps(
                [[f, sorted(k)] for f, k in _units_of(name)], ensure_ascii=False)
        return json.loads(found)

    def _cluster(self) -> tuple[list[list[int]], dict[int, list[str]]]:
        docs = self.docs
        parent = list(range(len(docs)))
        reasons: dict[int, list[str]] = defaultdict(list)
        ids: dict[int, dict[str, str]] = {}  # root -> the identifier it holds per list

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def conflict(ra: int, rb: int) -> bool:
            a, b = ids.get(ra, {}), ids.get(rb, {})
            return any(b.get(src, ident) != ident for src, ident in a.items())

        def union(ra: int, rb: int, why: str) -> None:
            parent[rb] = ra
            reasons[ra].extend(reasons.pop(rb, []))
            reasons[ra].append(why)
            if rb in ids:
                ids.setdefault(ra, {}).update(ids.pop(rb))

        first_of: dict[tuple[str, str], int] = {}
        for i, (src, sn) in enumerate(docs):
            if sn.ident is None:
                continue
            ids[i] = {src: sn.ident}
            j = first_of.setdefault((src, sn.ident), i)
            if j != i:  # the same person in another row of the list
                union(find(j), find(i), f"same {sn.ident!r} in {src} (records "
                                        f"{docs[j][1].record} and {sn.record})")
        del first_of
        # keys of the distinctive words of each document's names -> the documents
        postings: dict[str, list[int]] = defaultdict(list)
        common = _common()
        for i, (_src, sn) in enumerate(docs):
            keys: set[str] = set()
            for n in sn.names:
                if n.how != WEAK:
                    for _f, unit in self.units(n.name):
                        if not common.intersection(unit):
                            keys.update(unit)
            for k in keys:
                postings[k].append(i)
        limit = _rare_limit(len(docs))
        rare = frozenset(k for k, members in postings.items() if len(members) <= limit)
        buckets = [members for k, members in postings.items()
                   if 2 <= len(members) <= min(limit, MAX_BUCKET)]
        del postings
        compared: set[tuple[int, int]] = set()
        for members in buckets:
            for a, b in _pairs(members, docs):
                ra, rb = find(a), find(b)
                if ra == rb or (a, b) in compared or conflict(ra, rb):
                    continue
                compared.add((a, b))
                why = _agreement(docs[a], docs[b], rare)
                if why:
                    union(ra, rb, why)
        del buckets, compared
        groups: dict[int, list[int]] = defaultdict(list)
        for i in range(len(docs)):
            groups[find(i)].append(i)
        ordered = sorted(groups.values(), key=lambda members: members[0])
        return ordered, {members[0]: reasons[find(members[0])] for members in ordered
                         if find(members[0]) in reasons}

    def __len__(self) -> int:
        return len(self.groups)

    def entity(self, n: int) -> Entity:
        """The entity of group `n` (numbered from 0; its id is ``e{n + 1}``)."""
        members = self.groups[n]
        e = Entity(id=f"e{n + 1}", merges=self.reasons.get(members[0], []))
        for i in members:
            _src, sn = self.docs[i]
            for stated in sn.names:
                key = " ".join(u[0] for u in self.units(stated.name)) or stated.name
                e.names.setdefault(key, []).append(
                    Statement(stated.name, stated.source, stated.line, stated.how, sn.record))
        return e


def cluster(extracted: Mapping[str, SourceNames | Sequence[SourceNames]]) -> list[Entity]:
    """One entity per document's names (a file's documents: each record of a list is
    one), merged across documents whose names agree (:func:`names_agree`) and whose years
    of birth, where both give them, overlap. Two records of one list are merged when they
    have the same identifier in it, and never when they have different ones (nor are
    entities holding them merged through a third document).

    Documents are compared only within buckets of a rare key of their names (a key in at
    most 0.2% of the documents), and two records of one list with identifiers are never
    compared: a list of 100,000 records is clustered in seconds."""
    clusters = _Clusters(extracted)
    return [clusters.entity(n) for n in range(len(clusters))]


def _pairs(members: list[int], docs: list[tuple[str, SourceNames]]) -> Iterator[tuple[int, int]]:
    """The pairs of documents of a bucket worth comparing: not two records of one list
    that both have an identifier (different ones: two people; the same: merged already)."""
    by_list: dict[str, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i in members:
        src, sn = docs[i]
        by_list[src][sn.ident is None].append(i)
    lists = list(by_list.values())
    for x, (with_id, without) in enumerate(lists):
        for i, a in enumerate(without):  # within one list: pairs with a record without id
            for b in with_id + without[i + 1:]:
                yield min(a, b), max(a, b)
        mine = with_id + without
        for other_with, other_without in lists[x + 1:]:
            for a in mine:
                for b in other_with + other_without:
                    yield min(a, b), max(a, b)


def _agreement(a: tuple[str, SourceNames], b: tuple[str, SourceNames],
               rare: frozenset[str]) -> str:
    na_, nb_ = a[1], b[1]
    if na_.years and nb_.years and not na_.born & nb_.born:
        return ""  # born in different years: two people, whatever their names
    for na in na_.names:
        if na.how == WEAK:
            continue
        for nb in nb_.names:
            if nb.how != WEAK and names_agree(_units_of(na.name), _units_of(nb.name), rare):
                return (f"“{na.name}” ({_cited(na, na_.record)}) agrees with "
                        f"“{nb.name}” ({_cited(nb, nb_.record)})")
    return ""


def _cited(n: StatedName, record: int | None) -> str:
    return Statement(n.name, n.source, n.line, n.how, record).where


# ---------------------------------------------------------------------------------------
# Storage with the index
#
# entities.json: what each document says (its names, birth years, record and id), per
# source, read again by the next update so that unchanged sources are not re-read.
# entities.hsh: the entities as a query reads them, a key-value file of the store (read
# by key): "e:N" -> entity N's JSON, "k:KEY" -> the entities (uint32) holding a name
# unit with that matching key, "r:SOURCE NUL RECORD" -> the entity of a record of a list,
# "meta" -> their count. A query reads only what it looks up, whatever the number of
# entities.

LOOKUP_FILE = "entities.hsh"


def write_entities(gen: Path, base: Path | None, parsed: Iterable[Document],
                   removed: Sequence[str]) -> None:
    """Update the per-source extractions from `base` with the `parsed` documents (one at a
    time: a list is never held), re-cluster, write both files into `gen`."""
    fresh: dict[str, list[SourceNames]] = {}
    for doc in parsed:
        fresh.setdefault(doc.source, []).append(SourceNames.of(doc))
    store_entities(gen, base, fresh, removed)


def store_entities(gen: Path, base: Path | None, fresh: Mapping[str, Sequence[SourceNames]],
                   removed: Sequence[str]) -> None:
    """Update the per-source extractions from `base` with the `fresh` ones (what each
    document read again states, by source), write them into `gen`, and the entities:
    clustered again, unless the names stated are those of `base` (then its lookup file
    is linked: the same names make the same entities)."""
    old: dict[str, list[SourceNames]] = load_extracted(base) if base is not None else {}
    drop = set(removed)
    extracted = {src: sns for src, sns in old.items() if not _within(src, drop)}
    # the same entities when no name is gone with a source and each source read again
    # states the names it stated
    same = base is not None and not any(
        sn.names for src, sns in old.items() if src not in fresh and _within(src, drop)
        for sn in sns)
    for src, sns in fresh.items():  # a source read again replaces what it said before
        if same and [sn for sn in sns if sn.names] != [sn for sn in old.get(src, ())
                                                       if sn.names]:
            same = False
        extracted[src] = list(sns)
    del old
    tmp = gen / (ENTITIES_FILE + ".tmp")
    with open(tmp, "w", encoding="utf-8") as fh:  # dumps: the C encoder (dump is Python's)
        fh.write(json.dumps({"version": ENTITIES_VERSION, "extracted": {
            s: [sn.to_json() for sn in sns] for s, sns in sorted(extracted.items())}},
            ensure_ascii=False, separators=(",", ":")))
    os.replace(tmp, gen / ENTITIES_FILE)  # never write through a link into another generation
    if same and base is not None and (base / LOOKUP_FILE).exists():
        from searchdoc.store import link_files

        link_files(base, gen, only=(LOOKUP_FILE,))  # (never written again once written)
        return
    clusters = _Clusters(extracted)
    del extracted
    _write_lookup(gen, clusters)


def _within(source: str, removed: set[str]) -> bool:
    """Whether a source is one of `removed` or a document inside one (mail.eml/a.pdf)."""
    return source in removed or any(source[:i] in removed for i, ch in enumerate(source)
                                    if ch == "/")


def _write_lookup(gen: Path, clusters: _Clusters) -> None:
    """entities.hsh: each entity is made, written and dropped in turn."""
    from array import array

    from searchdoc.store import TableWriter

    holders: dict[str, array] = {}
    for n in range(len(clusters)):
        for key in {k for i in clusters.groups[n] for stated in clusters.docs[i][1].names
                    for u in clusters.units(stated.name) for k in u[1]
                    if not k.startswith(LOOSE_PREFIX)}:
            holders.setdefault(key, array("I")).append(n)
    limit = _rare_limit(len(clusters))
    common = _common()

    def distinctive(keys: list[str]) -> bool:
        return not common.intersection(keys) and any(
            len(holders[k]) <= limit for k in keys if not k.startswith(LOOSE_PREFIX))

    tmp = gen / (LOOKUP_FILE + ".tmp")
    writer = TableWriter(tmp)
    try:
        writer.add(b"meta", json.dumps({"version": ENTITIES_VERSION,
                                        "entities": len(clusters)}).encode())
        for n in range(len(clusters)):
            e = clusters.entity(n)
            writer.add(b"e:%d" % n, json.dumps(e.to_json(clusters.units, distinctive),
                                               ensure_ascii=False,
                                               separators=(",", ":")).encode("utf-8"))
            for key in {_record_key(s.source, s.record) for stated in e.names.values()
                        for s in stated if s.record is not None}:
                writer.add(key, b"%d" % n)  # each record of a list -> its person
        for k, members in holders.items():
            writer.add(b"k:" + k.encode("utf-8"), members.tobytes())
    finally:
        writer.close()
    os.replace(tmp, gen / LOOKUP_FILE)


def _record_key(source: str, record: int) -> bytes:
    return b"r:%s\x00%d" % (source.encode("utf-8"), record)


def load_extracted(gen: Path) -> dict[str, list[SourceNames]]:
    """The per-source extractions stored with a generation (empty when there are none)."""
    try:
        with open(gen / ENTITIES_FILE, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return {}
    if data.get("version") == 1:  # one document per source, names with their source
        return {src: [SourceNames.from_json(src, sn)] for src, sn in data["extracted"].items()}
    if data.get("version") != ENTITIES_VERSION:
        return {}
    return {src: [SourceNames.from_json(src, sn) for sn in sns]
            for src, sns in data["extracted"].items()}


# ---------------------------------------------------------------------------------------
# Query time


@dataclass(frozen=True)
class AliasName:
    name: str
    entity: str  # the entity's primary name
    stated_in: str  # "source:line", and " (record N)" for a record of a list
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
    return tuple((u[0], _strict(u[1])) for u in name["units"])


def _strict(keys: Iterable[str]) -> frozenset[str]:
    """The keys of a unit a lookup compares: its folded forms and strict variant keys (a
    loose key, ZUBAYDAH ~ ZEPEDA, finds other people once there are thousands)."""
    return frozenset(k for k in keys if not k.startswith(LOOSE_PREFIX))


# A name whose rarest word is in more entities than this names no one in particular:
# its entities are not looked at one by one.
MAX_CANDIDATES = 200


class EntityIndex:
    """The stored entities of one index generation, looked up by name: the keys of the
    query's words are read from the generation's entities.hsh, and only the entities
    holding all of them are read. `entities` (every entity) is read only when asked for."""

    def __init__(self, entities: Sequence[dict[str, Any]] | None = None,
                 reader: Any = None) -> None:
        self._reader = reader
        self._loaded: dict[int, dict[str, Any]] = {}
        self._postings: dict[str, Sequence[int]] = {}
        if reader is not None:
            meta = json.loads(reader.get(b"meta", b"{}"))
            self.count = meta.get("entities", 0) if meta.get("version") == ENTITIES_VERSION else 0
        else:  # entities in memory (from Entity.to_json() without the distinctive flags)
            self.count = len(entities or ())
            by_key: dict[str, set[int]] = defaultdict(set)
            for n, e in enumerate(entities or ()):
                self._loaded[n] = e
                for name in e["names"]:
                    for u in name["units"]:
                        for k in u[1]:
                            by_key[k].add(n)
            self._postings = {k: sorted(v) for k, v in by_key.items()}
        self.limit = _rare_limit(self.count)

    @classmethod
    def load(cls, gen: Path) -> EntityIndex:
        from searchdoc.store import Table

        path = gen / LOOKUP_FILE
        try:
            return cls(reader=Table(path))
        except FileNotFoundError:  # an index of the previous version: entities.json has them
            try:
                data = json.loads((gen / ENTITIES_FILE).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return cls([])
            return cls(data.get("entities") or [] if data.get("version") == 1 else [])
        except Exception:  # noqa: BLE001 - damaged: no aliases rather than no answer
            return cls([])

    def __len__(self) -> int:
        return self.count

    @property
    def entities(self) -> list[dict[str, Any]]:
        """Every entity (for `aliases --all`)."""
        return [self._entity(n) for n in range(self.count)]

    def _entity(self, n: int) -> dict[str, Any]:
        if n not in self._loaded:
            self._loaded[n] = json.loads(self._reader.get(b"e:%d" % n))
        return self._loaded[n]

    def _holders(self, key: str) -> Sequence[int]:
        """The entities holding a name unit with this key (sorted numbers)."""
        if key not in self._postings:
            from array import array

            found = array("I")
            raw = self._reader.get(b"k:" + key.encode("utf-8")) if self._reader else None
            if raw:
                found.frombytes(raw)
            self._postings[key] = found  # type: ignore[assignment]
        return self._postings[key]

    def _distinctive(self, keys: frozenset[str]) -> bool:
        return not keys & _common() and any(len(self._holders(k)) <= self.limit
                                            for k in _strict(keys))

    def _name_distinctive(self, name: dict[str, Any]) -> list[NameUnit]:
        """The distinctive units of a stored name (flagged when it was stored)."""
        out = []
        for u in name["units"]:
            keys = _strict(u[1])
            if (u[2] if len(u) > 2 else self._distinctive(keys)):
                out.append((u[0], keys))
        return out

    def lookup(self, name: str, enough: int | None = None) -> list[dict[str, Any]]:
        """Entities one of whose names the query gives: all its distinctive words, in any
        spelling or script ("Dakdouk", "Hamid the Mute", "علي موسى دقدوق"). `enough`: stop
        once that many are found (an expansion needs to know only whether there is one).

        Only the entities holding the query's rarest word (in any of its keys) are
        candidates, narrowed by the other words while there are more than a few; a word
        held by more than MAX_CANDIDATES entities names no one in particular."""
        if not self.count:
            return []
        qunits = [(f, _strict(k)) for f, k in name_units(name)]
        if not qunits or not any(self._distinctive(k) for _f, k in qunits):
            return []  # every word common: the name of no one in particular
        by_size = sorted(([self._holders(k) for k in keys] for _f, keys in qunits),
                         key=lambda lists: sum(map(len, lists)))
        candidates = set().union(*by_size[0])
        for lists in by_size[1:]:
            if len(candidates) <= 8:
                break  # few enough to look at one by one
            candidates &= set().union(*lists)
        if len(candidates) > MAX_CANDIDATES:
            return []
        hits = []
        for n in sorted(candidates):
            e = self._entity(n)
            if any(self._query_names(qunits, n_) for n_ in e["names"]):
                hits.append(e)
                if enough is not None and len(hits) >= enough:
                    break
        return hits

    def _query_names(self, q: list[NameUnit], name: dict[str, Any]) -> bool:
        """The query gives this name: every query word is in it, and the name's
        distinctive words are all in the query."""
        if _cover(q, _stored_units(name)) is None:
            return False
        return _cover(self._name_distinctive(name), q) is not None

    def entity_of_record(self, source: str, record: int) -> str | None:
        """The id of the entity (person) a record of a list is about, if it names one."""
        if self._reader is not None:
            found = self._reader.get(_record_key(source, record))
            return self._entity(int(found))["id"] if found else None
        return next((e["id"] for e in self._loaded.values() for n in e["names"]
                     for st in n["stated_in"]
                     if st["source"] == source and st.get("record") == record), None)

    def expansion(self, query: str) -> Expansion | None:
        found = self.lookup(query, enough=2)
        if len(found) != 1:
            return None  # no entity, or an ambiguous query: do not guess
        e = found[0]
        qunits = [(f, _strict(k)) for f, k in name_units(query)]
        aliases = []
        for n in e["names"]:
            nunits = _stored_units(n)
            if _cover(nunits, qunits) is not None:
                continue  # the query already says this name
            s = n["stated_in"][0]
            where = Statement(n["name"], s["source"], s["line"], s["how"], s.get("record")).where
            aliases.append(AliasName(n["name"], e["name"], where, nunits))
        return Expansion(e, tuple(aliases)) if aliases else None
