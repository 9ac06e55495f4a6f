"""Ingestion streams: documents go from the readers to the store one file at a time, an
unchanged file is never read again, and repeated small updates do not pile up segments."""

from __future__ import annotations

import dataclasses
import gc
import os
import weakref
from pathlib import Path

import pytest

from searchdoc import ingest, store
from searchdoc.index import writers as index_mod
from searchdoc.index.handle import open_index
from searchdoc.index.update import update
from searchdoc.search import Searcher

DOCS_PER_FILE = 4


def write_files(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"file_{i:03d}.txt"
        path.write_text(f"Report {i}\n\nAli Musa Daqduq was seen in Basra; marker{i} noted it.\n",
                        encoding="utf-8")
        paths.append(path)
    return paths


class _Live:
    """Counts the documents a fake reader made that are still alive, in whatever process
    reads (each read appends the count it saw to a file)."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.docs: weakref.WeakSet[object] = weakref.WeakSet()
        self.real = ingest.read_file

    def read_file(self, path: Path, source: str, warn, known_digest=None):  # type: ignore[no-untyped-def]
        gc.collect()
        with open(self.log, "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()} {len(self.docs)}\n")
        got = self.real(path, source, warn, known_digest)
        if isinstance(got, ingest.Unchanged):
            return got
        (doc,) = got.documents
        n = len(doc.passages)
        docs = tuple(dataclasses.replace(  # a file of several documents, as a mailbox
            doc, title=f"{doc.title} part {k}",
            passages=tuple(dataclasses.replace(p, title=f"{p.title} part {k}", ordinal=k * n + i)
                           for i, p in enumerate(doc.passages)))
            for k in range(DOCS_PER_FILE))
        for d in docs:
            self.docs.add(d)
        return dataclasses.replace(got, documents=docs)

    def counts(self) -> list[int]:
        return [int(line.split()[1]) for line in self.log.read_text().splitlines()]


@pytest.mark.parametrize("writers", [0, 2])
def test_the_ingestion_never_holds_more_than_one_file_of_documents(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writers: int) -> None:
    write_files(tmp_path / "docs", 30)
    live = _Live(tmp_path / "live.log")
    monkeypatch.setattr(ingest, "read_file", live.read_file)
    if writers:  # forked writer processes, each reading its run of the files
        monkeypatch.setattr(index_mod, "PARALLEL_MIN_BYTES", 10)
        monkeypatch.setattr(index_mod, "cpu_count", lambda: writers)
    got = update(tmp_path / "index", [str(tmp_path / "docs")])
    assert got.added == 30 and got.passages == 30 * DOCS_PER_FILE
    counts = live.counts()
    assert len(counts) == 30
    # when a file is read, the documents of the files before it are gone
    assert max(counts) == 0, counts
    readers = {line.split()[0] for line in live.log.read_text().splitlines()}
    assert len(readers) == max(writers, 1)
    with open_index(tmp_path / "index") as handle:
        hits = Searcher(handle.reader, handle.entity_index).search("Dakdouk marker7", limit=10)
        assert {h.passage.title for h in hits[:DOCS_PER_FILE]} == {
            f"Report 7 part {k}" for k in range(DOCS_PER_FILE)}


def test_an_unchanged_file_is_not_read_again(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    paths = write_files(tmp_path / "docs", 6)
    update(tmp_path / "index", [str(tmp_path / "docs")])
    read: list[str] = []
    real_read = ingest.read_file

    def reading(path: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        read.append(path.name)
        if path.name not in ("new.txt", "file_002.txt"):
            raise AssertionError(f"{path} was read again")
        return real_read(path, *args, **kwargs)

    def hashing(path: Path):  # type: ignore[no-untyped-def]
        raise AssertionError(f"{path} was hashed again")

    monkeypatch.setattr(ingest, "read_file", reading)
    monkeypatch.setattr(ingest, "file_digest", hashing)
    assert update(tmp_path / "index").unchanged == 6  # a no-op: nothing opened
    (tmp_path / "docs" / "new.txt").write_text("New\n\nLaith al-Khazali.\n", encoding="utf-8")
    paths[2].write_text("Report 2\n\nQais al-Khazali, revised.\n", encoding="utf-8")
    got = update(tmp_path / "index")
    assert (got.added, got.updated, got.unchanged) == (1, 1, 5)
    assert sorted(read) == ["file_002.txt", "new.txt"]


def _segments(root: Path) -> list[int]:
    with open_index(root) as handle:
        return handle.reader.segment_sizes()


def test_segments_merge_after_repeated_updates(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "TIER_BASE", 8)  # tiers of a few documents, as of thousands
    paths = write_files(tmp_path / "docs", 40)
    update(tmp_path / "index", [str(tmp_path / "docs")])
    assert _segments(tmp_path / "index") == [40]
    counts = []
    for n in range(12):
        paths[n].write_text(f"Report {n}\n\nAbu Mahdi al-Muhandis, update {n}.\n",
                            encoding="utf-8")
        update(tmp_path / "index")
        counts.append(len(_segments(tmp_path / "index")))
    # one segment more per update until a tier holds MERGE_AT of them: then one
    assert max(counts) < 1 + store.MERGE_AT, counts
    assert counts[store.MERGE_AT - 2] == store.MERGE_AT and counts[store.MERGE_AT - 1] == 2
    assert sum(_segments(tmp_path / "index")) - 40 <= 12  # deleted documents are dropped
    with open_index(tmp_path / "index") as handle:
        s = Searcher(handle.reader, handle.entity_index)
        assert len(s.search("Muhandis", limit=50)) == 12
        assert not any(h.passage.source.endswith("file_003.txt")
                       for h in s.search("marker3", limit=5))  # its old text is gone
        assert s.search("marker30", limit=5)[0].passage.source.endswith("file_030.txt")
