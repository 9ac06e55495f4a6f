"""The library: what the command line calls, for scripts and notebooks.

::

    from searchdoc import Index

    with Index.open() as index:          # ./index, built from ./seeds on first use
        for hit in index.search("Hamid the Mute", limit=3):
            print(hit.rank, hit.passage.source, hit.passage.line_start, hit.passage.text)

Every result is a frozen dataclass of :mod:`searchdoc.models` whose ``to_dict()`` is the
object ``searchdoc ... --json`` prints; every error a user can cause is a
:class:`searchdoc.errors.SearchdocError` whose message says what to do.

An open :class:`Index` reads one generation of the index (held with a shared lock, so
that an update elsewhere never removes it under the reader) until :meth:`Index.close`;
the next call after that, or after :meth:`Index.update`, reads the live generation.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from searchdoc.errors import InvalidArgument, PassageNotFound
from searchdoc.index.generations import DEFAULT_SOURCES

if TYPE_CHECKING:
    from searchdoc.index.handle import IndexHandle
    from searchdoc.models import Hit, Passage
    from searchdoc.results import Context, Count, Entity, Source, SourceMatch, Update
    from searchdoc.search import Searcher

__all__ = ["DEFAULT_INDEX", "DEFAULT_SOURCES", "ENGINES", "Index", "Progress", "Report"]

DEFAULT_INDEX = "index"
ENGINES = ("whoosh", "opensearch")
"""The embedded engine (the index folder) and a cluster (the index folder, then the
cluster brought to it: :mod:`searchdoc.stores.publish`)."""

Report = Callable[[str], None]
"""Receives one line of text: a file that could not be indexed, or what is being done."""
Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): stage "indexing": files read, parsed and written to the
index, of those that changed."""

PathLike = str | os.PathLike[str]


def _quiet(_line: str) -> None:
    pass


class Index:
    """An index folder: update it from files, search it, show passages, resolve aliases,
    list its sources.

    `path`: the index folder (default: ``$SEARCHDOC_INDEX``, else ``./index``). `seeds`:
    the folder a missing index is built from when it is first read (``./seeds``; None:
    never build, raise :class:`searchdoc.errors.IndexMissing`). `report` receives the
    lines that building it prints (default: nothing). `engine`: ``"whoosh"`` (default, or
    ``$SEARCHDOC_ENGINE``) searches the folder; ``"opensearch"`` searches the cluster at
    `url` (or ``$SEARCHDOC_OPENSEARCH_URL``), which :meth:`update` brings to the folder's
    index after updating it.
    """

    def __init__(self, path: PathLike | None = None, *, seeds: PathLike | None = DEFAULT_SOURCES,
                 report: Report | None = None, engine: str | None = None,
                 url: str | None = None) -> None:
        if path is None:
            path = os.environ.get("SEARCHDOC_INDEX") or DEFAULT_INDEX
        self.path = Path(path)
        self.engine = engine or os.environ.get("SEARCHDOC_ENGINE") or "whoosh"
        if self.engine not in ENGINES:
            raise InvalidArgument(f"no engine {self.engine!r}: {' or '.join(ENGINES)}")
        self.url = url
        self.seeds = None if seeds is None else Path(seeds)
        self.report: Report = report or _quiet
        self._handle: IndexHandle | None = None
        self._searcher: Searcher | None = None

    @classmethod
    def open(cls, path: PathLike | None = None, *, seeds: PathLike | None = DEFAULT_SOURCES,
             report: Report | None = None) -> Index:
        """The index at `path`, opened for reading now (built from `seeds` if missing):
        raises :class:`searchdoc.errors.IndexMissing`, ``IndexIncompatible`` or
        ``IndexDamaged`` here rather than at the first search."""
        index = cls(path, seeds=seeds, report=report)
        index._open()
        return index

    def __repr__(self) -> str:
        return f"Index({str(self.path)!r})"

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Let go of the generation being read (the next call reads the live one)."""
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def exists(self) -> bool:
        """Whether an index has been built at `path` (on the cluster, for opensearch)."""
        if self.engine == "opensearch":
            from searchdoc.stores.remote import read_meta

            cluster = self._cluster()
            try:
                return read_meta(cluster) is not None
            finally:
                cluster.close()
        from searchdoc.index.handle import exists

        return exists(self.path)

    def _cluster(self) -> Any:
        from searchdoc.stores.opensearch import Cluster

        return Cluster.from_env(self.url)

    # -- writing -------------------------------------------------------------------------

    def update(self, paths: Iterable[PathLike] | None = None, *, rebuild: bool = False,
               wait: float = 0.0, report: Report | None = None,
               progress: Progress | None = None) -> Update:
        """Bring the index up to date with the files under `paths` (files and folders,
        recursively; default: the folders it was built from, or `seeds` for a new index).

        Incremental: new files are added, changed ones (by content hash) re-indexed,
        deleted ones removed; `rebuild` starts over. `wait`: seconds to wait for another
        update of the same index to finish (else :class:`searchdoc.errors.IndexLocked`).
        `report` receives one line per file that cannot be indexed; `progress` is called
        as files are read and written. Raises :class:`searchdoc.errors.NothingIndexed`
        when nothing at all could be indexed (the index is then unchanged).
        """
        from searchdoc.index.update import update

        if wait < 0:
            raise InvalidArgument(f"wait must be 0 or more seconds, not {wait}")
        given = None if paths is None else [os.fspath(p) for p in paths]
        from searchdoc.index.handle import exists

        if given is None and not exists(self.path) and self.seeds is not None:
            given = [os.fspath(self.seeds)]
        self.close()
        cluster = None
        if self.engine == "opensearch":  # a cluster that cannot be reached: nothing is done
            cluster = self._cluster()
            cluster.request("GET", "/")
        result = update(self.path, given or None, rebuild=rebuild, wait=wait,
                        report=report or self.report, progress=progress)
        if cluster is not None:
            from searchdoc.stores.publish import publish

            try:
                published = publish(self.path, cluster, rebuild=rebuild)
            finally:
                cluster.close()
            (report or self.report)(published.line())
        return result

    # -- reading -------------------------------------------------------------------------

    def search(self, query: str, *, limit: int | None = 10, source: str | None = None,
               aliases: bool = True, context: int = 0, min_score: float = 0.0) -> list[Hit]:
        """The passages that match `query`, best first (at most `limit`; None: all).

        `source`: only sources under this folder or file name, given as whole path
        components (``mail``, ``in/mail``), each may be a glob, or matching a glob over
        the whole path (as ``query --source``). `aliases`: also search the other names of the person the query names
        (those hits rank below the direct ones). `context`: give each hit the `context`
        passages before and after it in its document (:attr:`Hit.before`, :attr:`Hit.after`).
        `min_score`: only hits whose name score (:attr:`Hit.name_score`: how well the
        query's words matched, 0 to 1) is this or more.
        """
        _check_count("limit", limit, 1, none_ok=True)
        _check_score(min_score)
        _check_count("context", context, 0)
        handle, searcher = self._searching()
        searcher.aliases = aliases
        n = limit if limit is not None else max(handle.reader.doc_count(), 1)
        hits = searcher.search(query, limit=n, source=source, min_score=min_score)
        if context:
            documents: dict[str, list[Passage]] = {}
            hits = [self._with_context(h, context, documents) for h in hits]
        return hits

    def count(self, query: str, *, limit: int | None = None, source: str | None = None,
              aliases: bool = True, min_score: float = 0.0) -> Count:
        """How many passages match `query` (at most `limit`, as grep's -m)."""
        from searchdoc.results import Count

        return Count(query, len(self.search(query, limit=limit, source=source, aliases=aliases,
                                            min_score=min_score)))

    def files_with_matches(self, query: str, *, limit: int | None = None,
                           source: str | None = None, aliases: bool = True,
                           min_score: float = 0.0) -> list[SourceMatch]:
        """The sources with a hit for `query`, once each, ranked by their best hit (at
        most `limit` sources), each with its number of hits."""
        from searchdoc.results import SourceMatch

        _check_count("limit", limit, 1, none_ok=True)
        best: dict[str, Hit] = {}
        hits: dict[str, int] = {}
        for h in self.search(query, limit=None, source=source, aliases=aliases,
                             min_score=min_score):
            best.setdefault(h.passage.source, h)
            hits[h.passage.source] = hits.get(h.passage.source, 0) + 1
        ranked = list(best.values())[:limit]
        return [SourceMatch(query, rank, h.passage.source, hits[h.passage.source], h.score)
                for rank, h in enumerate(ranked, 1)]

    def passage(self, passage_id: str) -> Passage:
        """The passage with this id (``source#n``, as a hit gives it); raises
        :class:`searchdoc.errors.PassageNotFound`."""
        _handle, searcher = self._searching()
        found = searcher.passage(passage_id)
        if found is None:
            raise PassageNotFound(
                f"no passage {passage_id!r} in the index (ids come from query hits)")
        return found

    def show(self, passage_id: str, *, context: int = 0) -> Context:
        """A passage with the `context` passages before and after it in its document."""
        from searchdoc.results import Context

        _check_count("context", context, 0)
        target = self.passage(passage_id)
        before, after = self._around(target, context, {}, whole_page=True)
        return Context(target, before, after)

    def aliases(self, name: str) -> list[Entity]:
        """The people (entities) one of whose names `name` gives, in any spelling or script:
        all their names, with the sources that state each. Empty when the name belongs
        to nobody in particular (a common given name alone)."""
        from searchdoc.results import Entity

        entities = self._open().entity_index()
        return [Entity.from_stored(e) for e in entities.lookup(name)]

    def entities(self) -> list[Entity]:
        """Every person the index knows by name."""
        from searchdoc.results import Entity

        return [Entity.from_stored(e) for e in self._open().entity_index().entities]

    def sources(self) -> list[Source]:
        """The indexed sources, by name, each with whether its file changed since."""
        from searchdoc.index.handle import sources
        from searchdoc.results import Source

        if self.engine == "opensearch":
            from searchdoc.index.handle import source_rows

            rows = source_rows(self._open().manifest)
        else:
            self._build_if_missing()
            rows = sources(self.path)
        return [Source(r["source"], r["path"], r["title"], r["passages"], r["hash"],
                       r["indexed"], r["status"]) for r in rows]

    # -- internals -----------------------------------------------------------------------

    def _build_if_missing(self) -> None:
        from searchdoc.index.handle import exists

        if self.seeds is None or exists(self.path) or not self.seeds.is_dir():
            return
        self.report(f"no index at {self.path}; building it from {self.seeds}/ (first use)")
        self.report(self.update([self.seeds]).line())

    def _open(self) -> IndexHandle:
        if self._handle is None:
            if self.engine == "opensearch":
                from searchdoc.stores.remote import RemoteHandle

                self._handle = RemoteHandle(self._cluster())  # type: ignore[assignment]
                return self._handle  # type: ignore[return-value]
            from searchdoc.index.handle import open_index

            self._build_if_missing()
            self._handle = open_index(self.path)
        return self._handle

    def _searching(self) -> tuple[IndexHandle, Searcher]:
        handle = self._open()
        if self._searcher is None:
            from searchdoc.search import Searcher

            self._searcher = Searcher(handle.reader, handle.entity_index)
        return handle, self._searcher

    def _around(self, p: Passage, n: int, documents: dict[str, list[Passage]],
                whole_page: bool = False) -> tuple[tuple[Passage, ...], tuple[Passage, ...]]:
        """The `n` passages before and after `p` in its document; with `whole_page`, the
        other passages of its page (a PDF's) as well, and `n` around the page."""
        if not n and (not whole_page or p.page is None):
            return (), ()
        if p.source not in documents:
            from searchdoc.index.handle import document_passages

            documents[p.source] = document_passages(self._open(), p.source)
        passages = documents[p.source]
        page = [q.ordinal for q in passages if whole_page and p.page is not None
                and q.page == p.page]
        first, last = min(page, default=p.ordinal), max(page, default=p.ordinal)
        return (tuple(q for q in passages if first - n <= q.ordinal < p.ordinal),
                tuple(q for q in passages if p.ordinal < q.ordinal <= last + n))

    def _with_context(self, hit: Hit, n: int, documents: dict[str, list[Passage]]) -> Hit:
        from dataclasses import replace

        before, after = self._around(hit.passage, n, documents)
        return replace(hit, before=before, after=after)


def _check_score(value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise InvalidArgument(f"min_score must be a number from 0 to 1, not {value!r}")


def _check_count(name: str, value: Any, least: int, none_ok: bool = False) -> None:
    if value is None and none_ok:
        return
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise InvalidArgument(f"{name} must be a whole number, {least} or more, not {value!r}")
