"""The passages and entities on an OpenSearch cluster, read as the embedded store is.

:class:`RemoteReader` answers what :class:`searchdoc.search.Searcher` asks of
:class:`searchdoc.store.Reader`: counts, document frequencies (many per request, with
``_msearch``), stored passages, the passages of a source, and the ranking itself
(:meth:`RemoteReader.rank`): the same clauses, scored on the cluster by searchdoc's BM25
(the scripted similarity of :mod:`.opensearch`), per query unit the best of its terms
(``dis_max``) and the title and stated names counted again; the statistics are global
without a ``dfs_query_then_fetch`` round: the IDF is searchdoc's own (document
frequencies read from every shard, in the clauses' boosts), and only the average lengths
of the candidates' first ranking are the shard's. A passage's document number is its ``seq``: the
order it was published in, as the embedded store's numbers are the order of writing.

A passage is visible only in the version of its file the manifest names (a document
inside a file, a mailbox's message or attachment, carries the file in ``file``): an update
writes the new version's passages, then the manifest, then deletes the old ones, so that
a reader never sees half of a source (see :mod:`.publish`).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from searchdoc.errors import IndexIncompatible, IndexMissing
from searchdoc.stores.opensearch import TEXT_FIELDS, Cluster, engine_term, table_id

if TYPE_CHECKING:
    from searchdoc.entities.lookup import EntityIndex
    from searchdoc.models import Passage

META_ID = "manifest"
CLUSTER_FORMAT = 3  # what the cluster's indexes hold; another: rebuild them
PAGE = 1000  # hits per ranking request (more are read page after page)
RESCORE_MARGIN = 0.5  # candidates retrieved beyond those asked for, rescored here (share)
RESCORE_MIN = 20  # (at least)
SEP = "\x1f"  # between a field and a term in a clause's name
SOURCES_PER_SCAN = 200  # sources whose passages one scan reads (prefetch_sources)


def read_meta(cluster: Cluster) -> dict[str, Any] | None:
    """The manifest the cluster holds (None: searchdoc has no index there)."""
    got = cluster.request("GET", f"/{cluster.meta}/_doc/{META_ID}", allow=(404,))
    if cluster.last_status == 404 or not got.get("found"):
        return None
    manifest: dict[str, Any] = got["_source"]["manifest"]
    return manifest


class RemoteTable:
    """The entities' key-value table on the cluster (read as :class:`searchdoc.store.Table`)."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self._got: dict[bytes, bytes | None] = {}

    def prefetch(self, keys: Sequence[bytes]) -> None:
        """Read many keys in one request."""
        todo = [k for k in dict.fromkeys(keys) if k not in self._got]
        if not todo:
            return
        got = self.cluster.request("POST", f"/{self.cluster.entities}/_mget",
                                   {"ids": [table_id(k) for k in todo]})
        for key, doc in zip(todo, got.get("docs", ())):
            if "error" in doc:
                continue  # asked again one by one (and said then)
            self._got[key] = base64.b64decode(doc["_source"]["v"]) if doc.get("found") else None

    def get(self, key: bytes, default: bytes | None = None) -> bytes | None:
        if key not in self._got:
            got = self.cluster.request(
                "GET", f"/{self.cluster.entities}/_doc/{table_id(key)}", allow=(404,))
            self._got[key] = base64.b64decode(got["_source"]["v"]) if got.get("found") else None
        found = self._got[key]
        return default if found is None else found


class RemoteReader:
    """The passages of a searchdoc index on a cluster (see the module's text)."""

    def __init__(self, cluster: Cluster, manifest: dict[str, Any]) -> None:
        self.cluster = cluster
        self.manifest = manifest
        self.versions: dict[str, str] = {e["source"]: e["hash"]
                                         for e in manifest.get("sources", {}).values()}
        # a document inside a file (mail.mbox/1) is visible in the file's version
        self.file_of: dict[str, str] = {s: f for f, inner in manifest.get("inner", {}).items()
                                        for s in inner}
        self._stored: dict[int, dict[str, Any]] = {}
        self._df: dict[tuple[str, str], int] = {}
        self._count: int | None = None
        self._by_source: dict[str, list[int]] = {}
        self._values: dict[int, dict[str, str]] = {}  # the candidates' field values as sent
        self.deleted: frozenset[int] = frozenset()

    def close(self) -> None:
        self.cluster.close()

    def __enter__(self) -> RemoteReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- counts ----------------------------------------------------------------------

    def doc_count_all(self) -> int:
        """The passages of the embedded generation published, deleted ones included until
        merged, as the embedded store counts them (its IDF); else the cluster's count."""
        if self._count is None and self.manifest.get("doc_count_all"):
            self._count = int(self.manifest["doc_count_all"])
        if self._count is None:
            got = self.cluster.request("GET", f"/{self.cluster.passages}/_count")
            self._count = int(got.get("count", 0))
        return self._count

    def doc_count(self) -> int:
        return sum(int(e.get("passages", 0)) for e in self.manifest.get("sources", {}).values())

    def doc_frequency(self, field: str, term: str) -> int:
        if (field, term) not in self._df:
            self.prefetch([(field, term)])
        return self._df[(field, term)]

    def prefetch(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Read the document frequencies of many terms in one request."""
        todo = list(dict.fromkeys(p for p in pairs if p not in self._df))
        for start in range(0, len(todo), 200):
            part = todo[start:start + 200]
            lines: list[Any] = []
            for field, term in part:
                lines.append({"index": self.cluster.passages})
                lines.append({"size": 0, "track_total_hits": True,
                              "query": {"term": {field: engine_term(term)}}})
            got = self.cluster.request("POST", "/_msearch", ndjson=lines)
            for pair, resp in zip(part, got.get("responses", ())):
                if "error" in resp or resp.get("_shards", {}).get("failed"):
                    from searchdoc.errors import ClusterUnavailable

                    raise ClusterUnavailable(f"the OpenSearch cluster at {self.cluster.url} "
                                             f"refused a count ({resp['error']})")
                self._df[pair] = int(resp["hits"]["total"]["value"])

    # -- stored passages -------------------------------------------------------------

    def _version(self, source: str) -> str | None:
        """The version of `source` readers see (its file's)."""
        return self.versions.get(self.file_of.get(source, source))

    def _visible(self, src: dict[str, Any]) -> bool:
        return self.versions.get(src.get("file", src["source"])) == src.get("version")

    def _keep(self, hit: dict[str, Any]) -> int | None:
        src = hit["_source"]
        if not self._visible(src):
            return None
        d = int(src["seq"])
        self._stored[d] = {"id": src["id"], "source": src["source"], "meta": src["meta"]}
        return d

    def stored(self, docnum: int) -> dict[str, Any]:
        if docnum not in self._stored:
            got = self.cluster.search(self.cluster.passages, {
                "size": 1, "query": {"term": {"seq": docnum}}})
            for h in got["hits"]["hits"]:
                self._keep(h)
        return self._stored[docnum]

    def passage(self, docnum: int) -> Passage:
        from searchdoc.store import passage_from_stored

        return passage_from_stored(self.stored(docnum))

    def source_of(self) -> Callable[[int], str]:
        return lambda d: str(self.stored(d)["source"])

    def sources(self) -> list[str]:
        return sorted({*self.versions, *self.file_of})

    def _scan(self, query: dict[str, Any]) -> Iterator[dict[str, Any]]:
        after: list[Any] | None = None
        while True:
            body: dict[str, Any] = {"size": PAGE, "query": query, "sort": [{"seq": "asc"}],
                                    "track_total_hits": False}
            if after is not None:
                body["search_after"] = after
            hits = self.cluster.search(self.cluster.passages, body)["hits"]["hits"]
            yield from hits
            if len(hits) < PAGE:
                return
            after = hits[-1]["sort"]

    def docs_of_source(self, source: str) -> list[int]:
        if source not in self._by_source:
            version = self._version(source)
            found: list[int] = []
            if version is not None:
                query = {"bool": {"filter": [{"term": {"source": source}},
                                             {"term": {"version": version}}]}}
                found = [d for h in self._scan(query) if (d := self._keep(h)) is not None]
            self._by_source[source] = found
        return self._by_source[source]

    def prefetch_sources(self, sources: Iterable[str]) -> None:
        """Read the passages of many sources in a few requests (the judging reads the
        documents of its first hits whole: search.Searcher._referred)."""
        todo = [s for s in dict.fromkeys(sources) if s not in self._by_source]
        for start in range(0, len(todo), SOURCES_PER_SCAN):
            part = todo[start:start + SOURCES_PER_SCAN]
            found: dict[str, list[int]] = {s: [] for s in part}
            for h in self._scan({"terms": {"source": part}}):
                d = self._keep(h)
                if d is not None and h["_source"]["source"] in found:
                    found[h["_source"]["source"]].append(d)
            self._by_source.update(found)

    def docnum_of(self, passage_id: str) -> int | None:
        got = self.cluster.search(self.cluster.passages, {
            "size": 10, "query": {"term": {"id": passage_id}}})
        for h in got["hits"]["hits"]:
            d = self._keep(h)
            if d is not None:
                return d
        return None

    def passages_of(self, source: str) -> list[Passage]:
        from searchdoc.store import passage_from_stored

        out = [passage_from_stored(self.stored(d)) for d in self.docs_of_source(source)]
        return sorted(out, key=lambda p: p.ordinal)

    # -- ranking ---------------------------------------------------------------------

    def rank(self, clauses: list[list[tuple[str, str, float]]], limit: int,
             allowed: set[int] | None, about_weight: float,
             gated: Collection[tuple[str, str]] = frozenset(),
             ) -> list[tuple[float, int, set[tuple[str, str]]]]:
        """The `limit` best passages for the clauses, as search._rank gives them (score,
        document number, the (field, term) pairs it holds), best first.

        Two stages, as yente's: the cluster retrieves the candidates, ranked by the
        scripted similarity (searchdoc's BM25 with Lucene's lengths: within a percent of
        the embedded scores, and 92% of the first ten in the same order on perf.py's
        queries), RESCORE_MARGIN more than asked; each candidate is then scored here
        exactly as the embedded store scores it (:meth:`_exact`: the terms' frequencies
        counted in the field values the cluster returns, whoosh's length codes, the
        generation's average lengths), and the candidates ordered by that score."""
        margin = max(RESCORE_MIN, int(limit * RESCORE_MARGIN))
        found = self._retrieve(clauses, limit + margin, allowed, about_weight, gated)
        scored = [(self._exact(clauses, d, pairs, about_weight, gated), d, pairs)
                  for _s, d, pairs in found]
        scored.sort(key=lambda sdp: (-sdp[0], sdp[1]))
        return self._one_per_source(scored, clauses)[:limit]

    def _exact(self, clauses: list[list[tuple[str, str, float]]], d: int,
               pairs: set[tuple[str, str]], about_weight: float,
               gated: Collection[tuple[str, str]] = frozenset()) -> float:
        """A passage's score as search._rank computes it (the same arithmetic, in the same
        order: the same number; a gated term only where the passage holds a term of
        another unit)."""
        from searchdoc.search import BM25_B, BM25_K1
        from searchdoc.store import LENGTHS, length_code

        k1, b = BM25_K1, BM25_B
        values = self._values[d]
        tokens: dict[str, list[str]] = {}
        total = about = 0.0
        held = sum(1 for unit in clauses if any((f, t) in pairs for f, t, _b in unit))
        for unit in clauses:
            best = best_names = 0.0
            for field, term, boost in unit:
                if (field, term) not in pairs or (held < 2 and (field, term) in gated):
                    continue
                if field not in tokens:
                    tokens[field] = values.get(field, "").split(" ")[1:]  # (the sentinel)
                tf = tokens[field].count(engine_term(term))
                if not tf:
                    continue
                length = len(tokens[field])
                avgfl = self._avgfl(field)
                den = k1 * ((1 - b) + b * max(LENGTHS[length_code(length)], 1) / avgfl)
                sc = boost * (k1 + 1) * tf / (tf + den)
                best = max(best, sc)
                if field == "names":
                    best_names = max(best_names, sc)
            total += best
            about += best_names
        return total + about_weight * about

    def _avgfl(self, field: str) -> float:
        lengths = self.manifest.get("field_lengths", {})
        n = self.manifest.get("doc_count_all") or self.doc_count_all()
        return float(lengths.get(field, 0) / (n or 1) or 1.0)

    def _retrieve(self, clauses: list[list[tuple[str, str, float]]], limit: int,
                  allowed: set[int] | None, about_weight: float,
                  gated: Collection[tuple[str, str]] = frozenset(),
                  ) -> list[tuple[float, int, set[tuple[str, str]]]]:
        """The `limit` best visible passages by the cluster's own scores."""
        should: list[Any] = []
        for i, unit in enumerate(clauses):
            # a gated term counts where the passage holds a term of another unit
            # (one terms query per field: a few clauses, whatever the number of terms)
            by_field: dict[str, set[str]] = {}
            if any((f, t) in gated for f, t, _b in unit):
                for f, t, _b in (c for j, other in enumerate(clauses) if j != i for c in other):
                    by_field.setdefault(f, set()).add(engine_term(t))
            others = [{"terms": {f: sorted(ts)}} for f, ts in sorted(by_field.items())]
            queries = [_gated_term(f, t, b, others) if (f, t) in gated else _term(f, t, b)
                       for f, t, b in unit if others or (f, t) not in gated]
            if queries:
                should.append({"dis_max": {"queries": queries}})
            names = [_gated_term(f, t, b * about_weight, others) if (f, t) in gated
                     else _term(f, t, b * about_weight) for f, t, b in unit
                     if f == "names" and (others or (f, t) not in gated)]
            if names:
                should.append({"dis_max": {"queries": names}})
        if not should:
            return []
        query: dict[str, Any] = {"bool": {"should": should, "minimum_should_match": 1}}
        if allowed is not None:
            srcs = sorted({self._stored[d]["source"] for d in allowed if d in self._stored})
            if not srcs:
                return []
            query["bool"]["filter"] = [{"terms": {"source": srcs}}]
        out: list[tuple[float, int, set[tuple[str, str]]]] = []
        after: list[Any] | None = None
        page = min(max(limit + 10, 50), PAGE * 5)
        while len(out) < limit:
            body: dict[str, Any] = {"size": page, "query": query, "track_total_hits": False,
                                    "sort": [{"_score": "desc"}, {"seq": "asc"}],
                                    "track_scores": True}
            if after is not None:
                body["search_after"] = after
            hits = self.cluster.search(self.cluster.passages, body)["hits"]["hits"]
            for h in hits:
                d = self._keep(h)
                if d is None or (allowed is not None and d not in allowed):
                    continue
                src = h["_source"]
                self._values[d] = {f: src.get(f, "") for f in TEXT_FIELDS}
                pairs = {tuple(n.split(SEP, 1)) for n in h.get("matched_queries", ())}
                out.append((float(h["_score"]), d, pairs))  # type: ignore[arg-type]
                if len(out) >= limit:
                    break
            if len(hits) < page:
                break
            after = hits[-1]["sort"]
            page = PAGE * 5
        return out

    def _one_per_source(self, scored: list[tuple[float, int, set[tuple[str, str]]]],
                        clauses: list[list[tuple[str, str, float]]],
                        ) -> list[tuple[float, int, set[tuple[str, str]]]]:
        """search._one_per_source on the candidates: of the passages matched through the
        title and stated names only, one per source (the best), none for a source with a
        passage holding the words (anywhere in the index: asked of the cluster)."""
        only = {self._stored[d]["source"] for _s, d, pairs in scored
                if all(f == "names" for f, _t in pairs)}
        if not only:
            return scored
        text_terms = [{"term": {f: engine_term(t)}} for unit in clauses for f, t, _b in unit
                      if f != "names"]
        with_text: dict[str, bool] = {}
        self._with_text(only, text_terms, with_text)
        out, kept = [], set()
        for s, d, pairs in scored:
            if all(f == "names" for f, _t in pairs):
                src = self._stored[d]["source"]
                if with_text[src] or src in kept:
                    continue  # the passages holding the words stand for the document
                kept.add(src)
            out.append((s, d, pairs))
        return out

    def _with_text(self, sources: set[str], text_terms: list[Any],
                   known: dict[str, bool]) -> None:
        """Which of `sources` have a visible passage holding a term outside the names."""
        if not sources:
            return
        for s in sources:
            known[s] = False
        if not text_terms:
            return
        got = self.cluster.search(self.cluster.passages, {
            "size": 0, "track_total_hits": False,
            "query": {"bool": {"filter": [{"terms": {"source": sorted(sources)}}],
                               "should": text_terms, "minimum_should_match": 1}},
            "aggs": {"s": {"terms": {"field": "source", "size": len(sources)},
                           "aggs": {"v": {"terms": {"field": "version", "size": 10}}}}}})
        for b in got.get("aggregations", {}).get("s", {}).get("buckets", ()):
            versions = {v["key"] for v in b["v"]["buckets"]}
            known[b["key"]] = self._version(b["key"]) in versions


def _term(field: str, term: str, boost: float) -> dict[str, Any]:
    return {"term": {field: {"value": engine_term(term), "boost": boost,
                             "_name": f"{field}{SEP}{term}"}}}


def _gated_term(field: str, term: str, boost: float, others: list[Any]) -> dict[str, Any]:
    """A term that matches (and scores) only in a passage holding one of `others`."""
    return {"bool": {"must": [_term(field, term, boost)], "filter": [
        {"bool": {"should": others, "minimum_should_match": 1}}]}}


class RemoteHandle:
    """A searchdoc index on a cluster, open for reading (as index.handle.IndexHandle)."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.root = Path(cluster.url)
        manifest = read_meta(cluster)
        if manifest is None:
            raise IndexMissing(
                f"no searchdoc index named {cluster.name} on the OpenSearch cluster at "
                f"{cluster.url}; run `searchdoc index --engine opensearch --url {cluster.url} "
                "[PATH ...]` to build it")
        if manifest.get("cluster_format") != CLUSTER_FORMAT or \
                manifest.get("format") != _index_format():
            raise IndexIncompatible(
                f"the index {cluster.name} on the OpenSearch cluster at {cluster.url} was "
                "built by another version of searchdoc; run `searchdoc index --rebuild "
                f"--engine opensearch --url {cluster.url}`")
        self.manifest = manifest
        self.reader = RemoteReader(cluster, manifest)
        self._entities: EntityIndex | None = None

    def entity_index(self) -> EntityIndex:
        if self._entities is None:
            from searchdoc.entities.lookup import EntityIndex

            try:
                self._entities = EntityIndex(reader=RemoteTable(self.cluster))
            except (KeyError, ValueError, TypeError):
                self._entities = EntityIndex([])
        return self._entities

    def close(self) -> None:
        self.reader.close()

    def __enter__(self) -> RemoteHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _index_format() -> Any:
    from searchdoc.index.generations import INDEX_FORMAT

    return INDEX_FORMAT
