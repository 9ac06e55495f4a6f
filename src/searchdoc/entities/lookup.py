"""The query-time half of the entities: the stored entities of one index generation,
looked up by name, and the expansion of a query to the other names of the person it names.

Light on purpose: a query imports this module and :mod:`searchdoc.names`, never the
extraction or clustering code.

entities.hsh, a key-value file of the store (read by key): "e:N" -> entity N's JSON,
"k:KEY" -> the entities (uint32) holding a name unit with that matching key,
"r:SOURCE NUL RECORD" -> the entity of a record of a list, "meta" -> their count.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from searchdoc.names.agree import NameUnit, common_keys, cover, name_units, rare_limit
from searchdoc.names.keys import LOOSE_PREFIX, Unit, units

ENTITIES_FILE = "entities.json"
ENTITIES_VERSION = 2  # 2: per document (a list's records each), entities in entities.hsh
LOOKUP_FILE = "entities.hsh"


def stated_where(source: str, line: int, record: int | None) -> str:
    """``source:line``, and the record of a list: ``sdn.csv:17 (record 16)``."""
    return f"{source}:{line}" + (f" (record {record})" if record is not None else "")


def record_key(source: str, record: int) -> bytes:
    """The key of a record of a list in entities.hsh."""
    return b"r:%s\x00%d" % (source.encode("utf-8"), record)


# How a list states a name it itself marks as unreliable (entities.extract): listed, never
# merged on, never searched for another of the person's names
WEAK = "weak alias"


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
                if (frozenset(u.keys) | frozenset(u.folded)) & common_keys():
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
        self.limit = rare_limit(self.count)

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
        return not keys & common_keys() and any(len(self._holders(k)) <= self.limit
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
        prefetch = getattr(self._reader, "prefetch", None)  # a cluster: one request for many
        if prefetch is not None:
            prefetch([b"k:" + k.encode("utf-8") for _f, keys in qunits for k in keys
                      if k not in self._postings])
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
        if prefetch is not None:
            prefetch([b"e:%d" % n for n in sorted(candidates)[:8] if n not in self._loaded])
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
        if cover(q, _stored_units(name)) is None:
            return False
        return cover(self._name_distinctive(name), q) is not None

    def entity_of_record(self, source: str, record: int) -> str | None:
        """The id of the entity (person) a record of a list is about, if it names one."""
        if self._reader is not None:
            found = self._reader.get(record_key(source, record))
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
            if cover(nunits, qunits) is not None:
                continue  # the query already says this name
            if all(st.get("how") == WEAK for st in n["stated_in"]):
                continue  # a name its lists call weak ("Abu Asim", "Husan"): never searched
            s = n["stated_in"][0]
            where = stated_where(s["source"], s["line"], s.get("record"))
            aliases.append(AliasName(n["name"], e["name"], where, nunits))
        return Expansion(e, tuple(aliases)) if aliases else None
