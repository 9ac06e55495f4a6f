"""Entities: the names of one document form a cluster; clusters of different documents
are merged when two of their names agree (:func:`searchdoc.names.agree.names_agree`: a
full name, never a shared "Ali" or "al-Musawi" alone) and their years of birth, where both
give them, overlap; the merge is recorded with its reason.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from searchdoc.entities.extract import SourceNames, person_ref
from searchdoc.entities.lookup import WEAK, stated_where
from searchdoc.models import StatedName
from searchdoc.names.agree import NameUnit, common_keys, name_units, names_agree, rare_limit
from searchdoc.names.keys import is_arabic


@dataclass(frozen=True)
class NameStatement:
    """Where an entity's name is stated: a StatedName, and the record when it is a list's."""

    name: str
    source: str
    line: int
    how: str
    record: int | None = None

    @property
    def where(self) -> str:
        """``source:line``, and the record of a list: ``sdn.csv:17 (record 16)``."""
        return stated_where(self.source, self.line, self.record)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "line": self.line, "how": self.how}
        if self.record is not None:
            out["record"] = self.record
        return out


@dataclass
class Person:
    id: str
    names: dict[str, list[NameStatement]] = field(default_factory=dict)
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


@lru_cache(maxsize=1 << 14)
def _units_of(name: str) -> tuple[NameUnit, ...]:
    """name_units, remembered for the names compared most recently."""
    return tuple(name_units(name))


# Buckets of documents sharing a rare key larger than this are not compared pair by pair
# (a key in so many names says little about who is who).
MAX_BUCKET = 1000


class Clusters:
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
            ref = person_ref(sn.ident)  # (147a: a row of another name of person 147)
            ids[i] = {src: ref}
            j = first_of.setdefault((src, ref), i)
            if j != i:  # the same person in another row of the list
                union(find(j), find(i), f"same {ref!r} in {src} (records "
                                        f"{docs[j][1].record} and {sn.record})")
        del first_of
        # keys of the distinctive words of each document's names -> the documents
        postings: dict[str, list[int]] = defaultdict(list)
        common = common_keys()
        for i, (_src, sn) in enumerate(docs):
            keys: set[str] = set()
            for n in sn.names:
                if n.how != WEAK:
                    for _f, unit in self.units(n.name):
                        if not common.intersection(unit):
                            keys.update(unit)
            for k in keys:
                postings[k].append(i)
        limit = rare_limit(len(docs))
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

    def entity(self, n: int) -> Person:
        """The entity of group `n` (numbered from 0; its id is ``e{n + 1}``)."""
        members = self.groups[n]
        e = Person(id=f"e{n + 1}", merges=self.reasons.get(members[0], []))
        for i in members:
            _src, sn = self.docs[i]
            for stated in sn.names:
                key = " ".join(u[0] for u in self.units(stated.name)) or stated.name
                e.names.setdefault(key, []).append(
                    NameStatement(stated.name, stated.source, stated.line, stated.how, sn.record))
        return e


def cluster(extracted: Mapping[str, SourceNames | Sequence[SourceNames]]) -> list[Person]:
    """One entity per document's names (a file's documents: each record of a list is
    one), merged across documents whose names agree (:func:`names_agree`) and whose years
    of birth, where both give them, overlap. Two records of one list are merged when they
    have the same identifier in it, and never when they have different ones (nor are
    entities holding them merged through a third document).

    Documents are compared only within buckets of a rare key of their names (a key in at
    most 0.2% of the documents), and two records of one list with identifiers are never
    compared: a list of 100,000 records is clustered in seconds."""
    clusters = Clusters(extracted)
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
    return NameStatement(n.name, n.source, n.line, n.how, record).where

