"""Bring an OpenSearch cluster to the embedded index's live generation.

``searchdoc index --engine opensearch`` updates the embedded index as always (reading,
parsing, the entities: :mod:`searchdoc.index.update`), then publishes it here: the
cluster's manifest (:func:`.remote.read_meta`) is compared with the generation's, source
by source, by content hash, and only what differs is sent. So a publication that failed
half-way (a node down, the cluster refusing) is completed by the next run, whatever the
embedded index did in between; the embedded index is never changed by it.

- **A source changed or added**: its passages are written under their new version
  (document ids by version, routed by source: one shard), then the manifest names the new
  version (the switch: readers see the old version before it and the new one after), then
  the old version's passages are deleted. A reader never sees half of a source.
- **A full build** (no index there yet, another format, ``--rebuild``): new concrete
  indexes for the passages, the entities and the manifest, switched to by one
  ``_aliases`` request (atomic), the old ones deleted after.
- **The entities** (their key-value table) are written to a new index and switched by
  alias when the generation's table differs from the one published.

Passages are analysed by the same code as the embedded store's
(:func:`searchdoc.store.passage_record`, :func:`searchdoc.analysis.field_terms`) and sent
in bulk requests by parallel writer processes (forked, each over its own sources) when
there is much to send.
"""

from __future__ import annotations

import base64
import hashlib
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from searchdoc.stores.opensearch import (
    TEXT_FIELDS,
    Cluster,
    doc_id,
    field_value,
    meta_settings,
    passages_settings,
    routing,
    table_id,
    table_settings,
)
from searchdoc.stores.remote import CLUSTER_FORMAT, META_ID, read_meta

BULK_BYTES = 4 << 20  # a bulk request holds about this much
PARALLEL_MIN = 2000  # passages to send from which writer processes share the work
MAX_WRITERS = 4


@dataclass
class Published:
    """What a publication did."""

    sent: int = 0  # sources whose passages were written
    deleted: int = 0  # sources removed
    passages: int = 0  # passages written
    rebuilt: bool = False
    seconds: float = 0.0

    def line(self) -> str:
        how = "rebuilt" if self.rebuilt else "updated"
        return (f"cluster {how}: {self.sent} sources written ({self.passages} passages), "
                f"{self.deleted} removed, in {self.seconds:.1f} s")


def default_layout() -> tuple[int, int]:
    """Shards and replicas of a new index: $SEARCHDOC_OPENSEARCH_SHARDS (default 3) and
    $SEARCHDOC_OPENSEARCH_REPLICAS (default 1: every shard on two nodes)."""
    return (int(os.environ.get("SEARCHDOC_OPENSEARCH_SHARDS", "3")),
            int(os.environ.get("SEARCHDOC_OPENSEARCH_REPLICAS", "1")))


def publish(root: Path, cluster: Cluster, *, rebuild: bool = False,
            report: Callable[[str], None] = lambda _l: None,
            layout: tuple[int, int] | None = None) -> Published:
    """Make the cluster hold what the live generation of the embedded index at `root`
    holds (see the module's text)."""
    from searchdoc.index.generations import INDEX_FORMAT
    from searchdoc.index.handle import open_index
    from searchdoc.search import BM25_B, BM25_K1

    started = time.monotonic()
    done = Published()
    shards, replicas = layout or default_layout()
    # a replica needs a node of its own: as many as the cluster has room for
    nodes = int(cluster.request("GET", "/_cluster/health").get("number_of_data_nodes", 1))
    replicas = max(0, min(replicas, nodes - 1))
    with open_index(root) as handle:
        local = handle.manifest.get("sources", {})
        remote = read_meta(cluster)
        fresh = rebuild or remote is None or remote.get("cluster_format") != CLUSTER_FORMAT \
            or remote.get("format") != INDEX_FORMAT or not cluster.exists(cluster.passages)
        table = handle.gen / "entities.hsh"
        table_hash = _file_hash(table)
        round_ = 1 if fresh or remote is None else int(remote.get("round", 0)) + 1
        published = {} if fresh or remote is None else {
            e["source"]: e for e in remote.get("sources", {}).values()}
        wanted = {e["source"]: e for e in local.values()}
        send = [s for s, e in wanted.items()
                if published.get(s, {}).get("hash") != e["hash"]]
        gone = [s for s in published if s not in wanted]
        stamp = time.strftime("%Y%m%d%H%M%S") + f"-{os.getpid()}"
        new_manifest = {"cluster_format": CLUSTER_FORMAT, "format": INDEX_FORMAT,
                        "round": round_, "roots": handle.manifest.get("roots", []),
                        "built": handle.manifest.get("built"), "entities": table_hash,
                        "sources": local, "shards": shards, "replicas": replicas,
                        # the documents inside files (a mailbox's messages), by file
                        "inner": {f: names[1:] for f, names in
                                  _inner_sources(handle.reader.sources()).items()
                                  if len(names) > 1},
                        # the embedded store's statistics: the same average lengths
                        "doc_count_all": handle.reader.doc_count_all(),
                        "field_lengths": {f: handle.reader.field_length(f)
                                          for f in TEXT_FIELDS}}
        if fresh:
            done.rebuilt = True
            names = {"passages": f"{cluster.name}-passages-{stamp}",
                     "entities": f"{cluster.name}-entities-{stamp}",
                     "meta": f"{cluster.name}-meta-{stamp}"}
            cluster.request("PUT", f"/{names['passages']}",
                            passages_settings(shards, replicas, BM25_K1, BM25_B))
            cluster.request("PUT", f"/{names['entities']}", table_settings(shards, replicas))
            cluster.request("PUT", f"/{names['meta']}", meta_settings(replicas))
            try:
                done.passages = _send(handle.gen, cluster, names["passages"], send, wanted,
                                      round_)
                _send_table(cluster, names["entities"], table)
                cluster.request("PUT", f"/{names['meta']}/_doc/{META_ID}?refresh=true",
                                {"manifest": new_manifest})
                for n in names.values():
                    cluster.request("POST", f"/{n}/_refresh")
                _health(cluster, list(names.values()))
                _switch(cluster, {cluster.passages: names["passages"],
                                  cluster.entities: names["entities"],
                                  cluster.meta: names["meta"]})
            except BaseException:
                for n in names.values():  # a half-built index is no one's
                    try:
                        cluster.request("DELETE", f"/{n}", allow=(404,))
                    except Exception:  # noqa: BLE001 - the first error is the one to say
                        pass
                raise
            done.sent = len(send)
        else:
            target = cluster.passages
            if send:
                done.passages = _send(handle.gen, cluster, target, send, wanted, round_)
                cluster.request("POST", f"/{target}/_refresh")
            if table_hash != (remote or {}).get("entities"):
                fresh_table = f"{cluster.name}-entities-{stamp}"
                cluster.request("PUT", f"/{fresh_table}", table_settings(shards, replicas))
                _send_table(cluster, fresh_table, table)
                cluster.request("POST", f"/{fresh_table}/_refresh")
                _health(cluster, [fresh_table])
                _switch(cluster, {cluster.entities: fresh_table})
            # the switch: readers see the new versions (and no removed source) from here
            cluster.request("PUT", f"/{cluster.meta}/_doc/{META_ID}?refresh=true",
                            {"manifest": new_manifest})
            stale = send + gone
            for start in range(0, len(stale), 500):
                part = stale[start:start + 500]
                _delete_stale(cluster, target, part, [wanted[s]["hash"] for s in part
                                                      if s in wanted])
            if stale:
                cluster.request("POST", f"/{target}/_refresh")
            done.sent, done.deleted = len(send), len(gone)
    done.seconds = time.monotonic() - started
    return done


def _delete_stale(cluster: Cluster, index: str, sources: list[str], keep: list[str]) -> None:
    """Delete the passages of `sources` in any version but `keep` (by id, in bulk: the
    core of OpenSearch has no delete-by-query)."""
    query = {"bool": {"filter": [{"terms": {"file": sources}}],
                      "must_not": [{"terms": {"version": keep}}]}}
    while True:
        hits = cluster.search(index, {
            "size": 2000, "query": query, "_source": False, "track_total_hits": False,
        })["hits"]["hits"]
        if not hits:
            return
        cluster.bulk([{"delete": {"_index": index, "_id": h["_id"], "routing": h["_routing"]}}
                      for h in hits], refresh=True)


def _file_hash(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _switch(cluster: Cluster, aliases: dict[str, str]) -> None:
    """Point each alias at its new index in one request (atomic), then delete the
    indexes they pointed at before."""
    old: list[str] = []
    actions: list[Any] = []
    for alias, index in aliases.items():
        before = cluster.aliased(alias)
        if not before and cluster.exists(alias):  # a concrete index of that name
            raise _refused(cluster, f"{alias} is an index searchdoc did not make; "
                           "give another name in the URL")
        old += [b for b in before if b != index]
        actions += [{"remove": {"index": b, "alias": alias}} for b in before if b != index]
        actions.append({"add": {"index": index, "alias": alias}})
    cluster.request("POST", "/_aliases", {"actions": actions})
    for b in old:
        cluster.request("DELETE", f"/{b}", allow=(404,))


def _refused(cluster: Cluster, why: str) -> Exception:
    from searchdoc.errors import ClusterUnavailable

    return ClusterUnavailable(f"the OpenSearch cluster at {cluster.url}: {why}")


def _health(cluster: Cluster, indexes: Sequence[str]) -> None:
    """Wait until every copy of the new indexes is allocated (green: a node going down
    after the switch leaves a copy of each shard; at most 60 s)."""
    cluster.request("GET", f"/_cluster/health/{','.join(indexes)}"
                    "?wait_for_status=green&timeout=60s", allow=(408,))


def _send(gen: Path, cluster: Cluster, index: str, sources: list[str],
          entries: dict[str, dict[str, Any]], round_: int) -> int:
    """Write the passages of `sources` (as the generation at `gen` holds them) to
    `index`; in writer processes when there are many. Returns how many were written."""
    from searchdoc import store

    if not sources:
        return 0
    with store.Reader(gen) as reader:
        inner = _inner_sources(reader.sources())
        docs = {s: (entries[s]["hash"],
                    [d for t in inner.get(s, [s]) for d in reader.docs_of_source(t)])
                for s in sources}
    total = sum(len(d) for _v, d in docs.values())
    workers = min(MAX_WRITERS, _cpus(), max(1, total // PARALLEL_MIN))
    if workers < 2:
        return _send_part(gen, cluster.url, index, docs, round_)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    parts: list[dict[str, tuple[str, list[int]]]] = [{} for _ in range(workers)]
    sizes = [0] * workers
    for s, vd in sorted(docs.items(), key=lambda sd: -len(sd[1][1])):
        k = sizes.index(min(sizes))
        parts[k][s] = vd
        sizes[k] += len(vd[1])
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        futures = [pool.submit(_send_part, gen, cluster.url, index, p, round_) for p in parts]
        return sum(f.result() for f in futures)


def _inner_sources(names: Sequence[str]) -> dict[str, list[str]]:
    """The sources of each file: itself and the documents inside it (a mailbox's
    messages and their attachments are sources named mail.mbox/1, mail.mbox/1/a.pdf),
    as the embedded store deletes them with the file (its name and name + "/")."""
    out: dict[str, list[str]] = {}
    files: list[str] = []
    for name in sorted(names):  # a file sorts before the documents inside it
        while files and not name.startswith(files[-1] + "/"):
            files.pop()
        if files:
            out[files[0]].append(name)
        else:
            out[name] = [name]
        files.append(name)
    return out


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _send_part(gen: Path, url: str, index: str, docs: dict[str, tuple[str, list[int]]],
               round_: int) -> int:
    """Write the passages of some sources (source: its content version and its
    document numbers in the generation), in bulk requests."""
    from searchdoc import store
    from searchdoc.analysis import field_terms

    cluster = Cluster(url)
    actions: list[Any] = []
    size = sent = 0
    try:
        with store.Reader(gen) as reader:
            for source, (version, docnums) in docs.items():
                for docnum in docnums:
                    stored = reader.stored(docnum)
                    p = store.passage_from_stored(stored)
                    rec = store.passage_record(p, store.stated_names(stored))
                    # routed by file: an update of a mailbox touches one shard
                    body = {"id": rec["id"], "source": p.source, "file": source,
                            "version": version, "seq": (round_ << 32) | docnum,
                            "meta": rec["meta"]}
                    for f in TEXT_FIELDS:
                        body[f] = field_value(field_terms(rec[f], store.TEXT_FIELDS[f]))
                    actions.append({"index": {"_index": index,
                                              "_id": doc_id(p.source, version, p.ordinal),
                                              "routing": routing(source)}})
                    actions.append(body)
                    size += sum(len(v) for v in body.values() if isinstance(v, str)) + 200
                    sent += 1
                    if size >= BULK_BYTES:
                        cluster.bulk(actions)
                        actions, size = [], 0
            cluster.bulk(actions)
    finally:
        cluster.close()
    return sent


def _send_table(cluster: Cluster, index: str, path: Path) -> None:
    from searchdoc.store import Table

    if not path.exists():
        return
    actions: list[Any] = []
    size = 0
    for key, value in Table(path).items():
        actions.append({"index": {"_index": index, "_id": table_id(key)}})
        actions.append({"v": base64.b64encode(value).decode("ascii")})
        size += len(value) * 4 // 3 + 100
        if size >= BULK_BYTES:
            cluster.bulk(actions)
            actions, size = [], 0
    cluster.bulk(actions)
