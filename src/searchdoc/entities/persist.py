"""The entities stored with each index generation.

entities.json: what each document says (its names, birth years, record and id), per
source, read again by the next update so that unchanged sources are not re-read.
entities.hsh: the entities as a query reads them (see :mod:`searchdoc.entities.lookup`):
a query reads only what it looks up, whatever the number of entities.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from searchdoc.entities.cluster import Clusters
from searchdoc.entities.extract import SourceNames
from searchdoc.entities.lookup import ENTITIES_FILE, ENTITIES_VERSION, LOOKUP_FILE, record_key
from searchdoc.models import Document
from searchdoc.names.agree import common_keys, rare_limit
from searchdoc.names.keys import LOOSE_PREFIX


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
    clusters = Clusters(extracted)
    del extracted
    _write_lookup(gen, clusters)


def _within(source: str, removed: set[str]) -> bool:
    """Whether a source is one of `removed` or a document inside one (mail.eml/a.pdf)."""
    return source in removed or any(source[:i] in removed for i, ch in enumerate(source)
                                    if ch == "/")


def _write_lookup(gen: Path, clusters: Clusters) -> None:
    """entities.hsh: each entity is made, written and dropped in turn."""
    from array import array

    from searchdoc.store import TableWriter

    holders: dict[str, array] = {}
    for n in range(len(clusters)):
        for key in {k for i in clusters.groups[n] for stated in clusters.docs[i][1].names
                    for u in clusters.units(stated.name) for k in u[1]
                    if not k.startswith(LOOSE_PREFIX)}:
            holders.setdefault(key, array("I")).append(n)
    limit = rare_limit(len(clusters))
    common = common_keys()

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
            for key in {record_key(s.source, s.record) for stated in e.names.values()
                        for s in stated if s.record is not None}:
                writer.add(key, b"%d" % n)  # each record of a list -> its person
        for k, members in holders.items():
            writer.add(b"k:" + k.encode("utf-8"), members.tobytes())
    finally:
        writer.close()
    os.replace(tmp, gen / LOOKUP_FILE)


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
