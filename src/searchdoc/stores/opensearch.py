"""An OpenSearch cluster: the HTTP client and the indexes searchdoc keeps there.

A cluster is named by a URL, ``http://host:9200/NAME`` (NAME: the prefix of searchdoc's
indexes, default ``searchdoc``); several nodes are given separated by commas
(``http://a:9200,http://b:9200/NAME``), and a request that cannot reach one node is sent
to the next, so that a node going down loses no query. Three aliases name what a reader
reads, each pointing at a concrete index made by a full build (``NAME-passages-STAMP``):

- ``NAME``: the passages, one document per passage, routed by its source (an update or a
  delete of a source touches one shard). Each text field holds the terms
  :func:`searchdoc.analysis.field_terms` gives, joined by spaces and split again by a
  whitespace tokenizer (no engine-side normalisation), scored by a scripted similarity
  that is searchdoc's own BM25 (:data:`SIMILARITY`).
- ``NAME-entities``: the entities' key-value table (:class:`searchdoc.store.Table`'s
  keys and values).
- ``NAME-meta``: one document, the manifest: the sources, each with the version of its
  content the passages of the index carry, and the count of publications.

Only the standard library is used (http.client): a query imports nothing more.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import socket
import time
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote, urlsplit

from searchdoc.errors import ClusterUnavailable, InvalidArgument

URL_ENV = "SEARCHDOC_OPENSEARCH_URL"
DEFAULT_NAME = "searchdoc"
TIMEOUT = 60.0  # seconds a request may take (a bulk request of a large list, a rebuild)
RETRY_SECONDS = 30.0  # how long a request refused for a while (503, 429) is tried again

# Every text field of every passage holds this term once more: the field statistics a
# similarity is given (documents with the field, the sum of its lengths) then count
# every passage, as the embedded store's do; the similarity takes it off again.
SENTINEL = "\u0001"
MAX_TERM_BYTES = 4096  # a longer term (a hostile file's 40,000-letter "word") is stored
# and looked up by its hash: Lucene refuses terms over 32,766 bytes

TEXT_FIELDS = ("body", "folded", "variant", "names", "cites")

# searchdoc's BM25 (search._rank): the query clause's boost (searchdoc's own IDF times the
# term's quality) times (k1 + 1) tf / (tf + k1 (1 - b + b len / avg len)), the lengths
# without the sentinel. K1 and B are the caller's (search.BM25_K1, BM25_B).
SIMILARITY_SCRIPT = (
    "double tf = doc.freq; "
    "double n = Math.max(field.docCount, 1); "
    "double avg = (field.sumTotalTermFreq - field.docCount) / n; "
    "if (avg <= 0) { avg = 1.0; } "
    "double len = Math.max(doc.length - 1, 1); "
    "double den = K1 * ((1 - B) + B * len / avg); "
    "return query.boost * (K1 + 1) * tf / (tf + den);"
)  # (a similarity script is given no params: K1 and B are written into it)


_SPACE = re.compile(r"\s")


def engine_term(term: str) -> str:
    """A term as the cluster stores it (the same at index and query time): as it is,
    unless the whitespace tokenizer would split it (a folded form of Chinese is its
    syllables, "ju min shen fen zheng ") or Lucene refuse it (too long): then by its hash."""
    if (len(term) * 4 > MAX_TERM_BYTES
            and len(term.encode("utf-8", "surrogatepass")) > MAX_TERM_BYTES) \
            or _SPACE.search(term):
        return "\u0002" + hashlib.sha1(term.encode("utf-8", "surrogatepass")).hexdigest()
    return term


def field_value(terms: dict[str, int]) -> str:
    """A field's terms (with their frequencies) as the text the whitespace tokenizer
    splits back into them."""
    out = [SENTINEL]
    for t, n in terms.items():
        out.extend([engine_term(t)] * n)
    return " ".join(out)


def routing(source: str) -> str:
    # (surrogates, in a name read from an index built before they were mended: as they are)
    return hashlib.sha1(source.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _json(value: Any) -> bytes:
    """`value` as JSON in UTF-8; a string with surrogates (a passage of an index built
    before readers mended them) written with escapes, as JSON allows."""
    text = json.dumps(value, ensure_ascii=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value).encode("ascii")


def doc_id(source: str, version: str, ordinal: int) -> str:
    """A passage's document id: by source, content version and place (ids stay short
    whatever the path: OpenSearch takes 512 bytes)."""
    return f"{routing(source)}:{version[:16]}:{ordinal}"


def passages_settings(shards: int, replicas: int, k1: float, b: float) -> dict[str, Any]:
    script = SIMILARITY_SCRIPT.replace("K1", repr(float(k1))).replace("B", repr(float(b)))
    similarity = {"type": "scripted", "script": {"source": script}}
    text = {"type": "text", "analyzer": "terms", "similarity": "searchdoc",
            "index_options": "freqs"}
    return {
        "settings": {
            "number_of_shards": shards,
            "number_of_replicas": replicas,
            "refresh_interval": "-1",  # refreshed when an update is done, not before
            "similarity": {"searchdoc": similarity},
            "analysis": {
                "tokenizer": {"terms": {"type": "whitespace",
                                        "max_token_length": MAX_TERM_BYTES + 64}},
                "analyzer": {"terms": {"type": "custom", "tokenizer": "terms"}},
            },
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "id": {"type": "keyword"},
                "source": {"type": "keyword"},
                "file": {"type": "keyword"},  # the file a source is in (itself, or mail.eml)
                "version": {"type": "keyword"},
                "seq": {"type": "long"},
                **{f: text for f in TEXT_FIELDS},
                "meta": {"type": "object", "enabled": False},
            },
        },
    }


def table_settings(shards: int, replicas: int) -> dict[str, Any]:
    return {
        "settings": {"number_of_shards": shards, "number_of_replicas": replicas,
                     "refresh_interval": "-1"},
        "mappings": {"dynamic": "strict",
                     "properties": {"v": {"type": "binary"}}},
    }


def meta_settings(replicas: int) -> dict[str, Any]:
    return {
        "settings": {"number_of_shards": 1, "number_of_replicas": replicas},
        "mappings": {"dynamic": "strict",
                     "properties": {"manifest": {"type": "object", "enabled": False}}},
    }


def table_id(key: bytes) -> str:
    """A table key as a document id (hashed: keys are any bytes, ids at most 512)."""
    return hashlib.sha1(key).hexdigest()


class Cluster:
    """The cluster named by a URL (see the module's text): requests, with failover
    between its nodes, and the names of searchdoc's indexes there."""

    def __init__(self, url: str, timeout: float = TIMEOUT) -> None:
        self.url = url
        self.timeout = timeout
        self.nodes: list[tuple[str, int]] = []
        name = ""
        for part in url.split(","):
            part = part.strip()
            if not part:
                continue
            if "://" not in part:
                part = "http://" + part
            s = urlsplit(part)
            if s.scheme != "http" or not s.hostname:
                raise InvalidArgument(
                    f"{url!r} is no OpenSearch URL; give http://HOST:PORT[/NAME] "
                    "(several nodes separated by commas)")
            try:
                port = s.port or 9200
            except ValueError:
                raise InvalidArgument(f"{url!r}: the port is no number") from None
            self.nodes.append((s.hostname, port))
            name = s.path.strip("/") or name
        if not self.nodes:
            raise InvalidArgument("no OpenSearch URL given: --url http://HOST:PORT[/NAME] "
                                  f"or ${URL_ENV}")
        self.name = name or DEFAULT_NAME
        if not self.name.replace("-", "").replace("_", "").isalnum() or \
                self.name != self.name.lower() or self.name.startswith(("-", "_")):
            raise InvalidArgument(f"{self.name!r} is no index name: lowercase letters, "
                                  "digits, - and _")
        self._conns: dict[int, http.client.HTTPConnection] = {}
        self._first = 0
        self.requests = 0
        self.last_status = 0

    @classmethod
    def from_env(cls, url: str | None) -> Cluster:
        url = url or os.environ.get(URL_ENV)
        if not url:
            raise InvalidArgument(f"--engine opensearch needs --url http://HOST:PORT[/NAME] "
                                  f"or ${URL_ENV}")
        return cls(url)

    # -- index names -----------------------------------------------------------------

    @property
    def passages(self) -> str:
        return self.name

    @property
    def entities(self) -> str:
        return f"{self.name}-entities"

    @property
    def meta(self) -> str:
        return f"{self.name}-meta"

    # -- requests --------------------------------------------------------------------

    def close(self) -> None:
        for c in self._conns.values():
            c.close()
        self._conns.clear()

    def request(self, method: str, path: str, body: Any = None, *,
                ndjson: Sequence[Any] | None = None, allow: Iterable[int] = ()) -> Any:
        """One request, as JSON; sent to the next node when one cannot be reached (every
        request searchdoc makes may be repeated: documents are written by id). A status
        of 400 or more, unless in `allow`, is an error (the cluster refused it)."""
        if ndjson is not None:
            data = b"".join(_json(x) + b"\n" for x in ndjson)
            ctype = "application/x-ndjson"
        elif body is not None:
            data = _json(body)
            ctype = "application/json"
        else:
            data, ctype = None, "application/json"
        waited = 0.0
        while True:
            status, out = self._send(method, path, data, ctype)
            # a shard whose node just went down answers 503 until its replica takes over,
            # a busy node 429: every request searchdoc makes may be repeated
            if status not in (429, 503) or waited >= RETRY_SECONDS:
                break
            time.sleep(min(2.0, 0.25 + waited / 4))
            waited += min(2.0, 0.25 + waited / 4)
        if status >= 400 and status not in allow:
            raise ClusterUnavailable(
                f"the OpenSearch cluster at {self.url} refused {method} {path.split('?')[0]}"
                f" ({status}: {_reason(out)})")
        return out

    def search(self, index: str, body: dict[str, Any], params: str = "") -> dict[str, Any]:
        """A search whose every shard answered (a shard that failed would leave hits out
        silently: it is asked again while the cluster recovers, then an error)."""
        waited = 0.0
        while True:
            got: dict[str, Any] = self.request("POST", f"/{index}/_search{params}", body)
            failed = got.get("_shards", {}).get("failed", 0)
            if not failed:
                return got
            if waited >= RETRY_SECONDS:
                raise ClusterUnavailable(
                    f"the OpenSearch cluster at {self.url}: {failed} shard(s) of {index} "
                    "did not answer")
            time.sleep(0.5)
            waited += 0.5

    def _send(self, method: str, path: str, data: bytes | None, ctype: str) -> tuple[int, Any]:
        last: Exception | None = None
        n = len(self.nodes)
        for attempt in range(n + 1):
            k = (self._first + attempt) % n
            conn = self._conns.get(k)
            if conn is None:
                host, port = self.nodes[k]
                conn = self._conns[k] = http.client.HTTPConnection(host, port,
                                                                   timeout=self.timeout)
            try:
                conn.request(method, path, body=data, headers={"Content-Type": ctype})
                resp = conn.getresponse()
                raw = resp.read()
            except (OSError, http.client.HTTPException) as e:
                conn.close()
                self._conns.pop(k, None)
                last = e
                if attempt >= n - 1 and attempt < n:
                    time.sleep(0.5)  # every node failed once: one more round, a moment later
                continue
            self._first = k  # keep talking to the node that answered
            self.requests += 1
            self.last_status = resp.status
            try:
                out = json.loads(raw) if raw else {}
            except ValueError:
                out = {"error": raw[:200].decode("utf-8", "replace")}
            return resp.status, out
        reason = last.strerror if isinstance(last, OSError) and last.strerror else str(last)
        if isinstance(last, socket.timeout):
            reason = f"no answer in {self.timeout:g} s"
        raise ClusterUnavailable(f"cannot reach the OpenSearch cluster at {self.url} "
                                 f"({reason}); is it running?")

    def exists(self, index: str) -> bool:
        """Whether an index or alias of that name exists."""
        self.request("HEAD", f"/{quote(index)}", allow=(404,))
        return self.last_status == 200

    def aliased(self, alias: str) -> list[str]:
        """The concrete indexes an alias points at (none: no such alias)."""
        got = self.request("GET", f"/_alias/{quote(alias)}", allow=(404,))
        if not isinstance(got, dict) or "error" in got or "status" in got:
            return []
        return sorted(got)

    def bulk(self, actions: list[Any], refresh: bool = False) -> None:
        """Send bulk actions; an item refused by the cluster is an error."""
        if not actions:
            return
        out = self.request("POST", "/_bulk" + ("?refresh=true" if refresh else ""),
                           ndjson=actions)
        if out.get("errors"):
            for item in out.get("items", ()):
                result = next(iter(item.values()))
                if result.get("status", 200) >= 300 and result.get("status") != 404:
                    raise ClusterUnavailable(
                        f"the OpenSearch cluster at {self.url} refused a document "
                        f"({result.get('status')}: {_reason(result)})")


def _reason(out: Any) -> str:
    if isinstance(out, dict):
        err = out.get("error")
        if isinstance(err, dict):
            root = (err.get("root_cause") or [err])[0]
            return str(root.get("reason") or root.get("type") or err.get("type"))[:300]
        if err:
            return str(err)[:300]
    return "no reason given"
