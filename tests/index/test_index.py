"""The index over its lifetime: incremental updates, `sources`, the write lock, versions,
damage, and runs that are interrupted or killed. Nothing is ever lost or half-written."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from conftest import SEEDS, THINK_TANK, WIKI
from searchdoc import store
from searchdoc.index import writers as index_mod
from searchdoc.index.generations import INDEX_FORMAT
from searchdoc.index.handle import open_index
from searchdoc.index.update import update
from searchdoc.search import Searcher

SEARCHDOC = str(Path(sys.executable).parent / "searchdoc")
SUMMARY = "searchdoc: indexed: {} added, {} updated, {} removed, {} unchanged, {} skipped ({} passages)"


def summary(added=0, updated=0, removed=0, unchanged=0, skipped=0, passages=0) -> str:
    return SUMMARY.format(added, updated, removed, unchanged, skipped, passages)


def whoosh_ids(root: Path) -> list[str]:
    """Every stored passage id of the live generation (duplicates kept)."""
    with open_index(root) as handle:
        return [d["id"] for d in handle.reader.all_stored()]


def live(root: Path) -> str:
    return (root / "CURRENT").read_text().strip()


def generations(root: Path) -> list[str]:
    return sorted(p.name for p in root.glob("gen-*"))


def write_docs(folder: Path, n: int, words: int = 25) -> None:
    """`n` small documents of one size, each naming Daqduq and a marker word of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    filler = "the report says that he was seen in the city with others".split()
    for i in range(n):
        body = " ".join(filler[j % len(filler)] for j in range(words))
        pad = " " * 2 * (5 - len(str(i)))  # ("Report {i}", "marker{i}")
        (folder / f"doc_{i:05d}.txt").write_text(f"Report {i}\n\n{body} Daqduq marker{i}.{pad}\n")


def subprocess_env(root: Path) -> dict[str, str]:
    return {**os.environ, "SEARCHDOC_INDEX": str(root), "NO_COLOR": "1"}


# --- incremental updates ----------------------------------------------------------------


def test_incremental_add_update_remove_unchanged(workdir: Path, run) -> None:
    docs = workdir / "docs"
    write_docs(docs, 3)
    r = run("index", "seeds", "docs")
    assert r.code == 0
    assert r.err.splitlines() == [summary(added=5, passages=25)]
    first = live(workdir / "index")

    # nothing changed: no new generation, nothing re-read
    r = run("index")
    assert r.err.splitlines() == [summary(unchanged=5, passages=25)]
    assert live(workdir / "index") == first

    # one new, one changed, one deleted, one touched with the same content
    (docs / "new.txt").write_text("New\n\nA new text about Hamid the Mute.\n")
    (docs / "doc_00000.txt").write_text("Report 0\n\nRewritten: Daqduq again.\n\nA second paragraph.\n")
    (docs / "doc_00001.txt").unlink()
    os.utime(docs / "doc_00002.txt", (1, 1))
    r = run("index")
    assert r.code == 0
    assert r.err.splitlines() == [summary(added=1, updated=1, removed=1, unchanged=3, passages=25)]
    ids = whoosh_ids(workdir / "index")
    assert len(ids) == len(set(ids)) == 25  # no passage twice, none left behind
    sources = {i.split("#")[0] for i in ids}
    assert sources == {THINK_TANK, WIKI, "docs/doc_00000.txt", "docs/doc_00002.txt", "docs/new.txt"}
    hits = run("query", "Rewritten", "--json").json()
    assert [h["source"] for h in hits] == ["docs/doc_00000.txt"]
    assert run("query", "marker1").code == 1  # the deleted file is gone from results
    assert run("query", "marker0").code == 1  # and the old text of the changed one


def test_unchanged_files_are_not_read_again(workdir: Path, run, monkeypatch) -> None:
    assert run("index", "seeds").code == 0
    reads: list[Path] = []
    import searchdoc.sources

    real = searchdoc.sources.read_bytes
    monkeypatch.setattr(searchdoc.sources, "read_bytes", lambda p: reads.append(p) or real(p))  # type: ignore[func-returns-value]
    assert run("index").code == 0
    assert reads == []  # same size and time: not even opened
    os.utime(workdir / WIKI, (1, 1))  # touched: read and hashed, found unchanged
    r = run("index")
    assert r.err.splitlines() == [summary(unchanged=2, passages=22)]
    assert reads == [(workdir / WIKI).resolve()]
    assert len(whoosh_ids(workdir / "index")) == 22


def test_rebuild_starts_over(workdir: Path, run) -> None:
    assert run("index").code == 0
    first = live(workdir / "index")
    r = run("index", "--rebuild")
    assert r.code == 0
    assert r.err.splitlines() == [summary(added=2, passages=22)]
    assert live(workdir / "index") != first
    assert generations(workdir / "index") == [live(workdir / "index")]  # the old one removed
    assert len(whoosh_ids(workdir / "index")) == 22


def test_roots_are_remembered_absolute_for_runs_from_elsewhere(workdir: Path, run, monkeypatch) -> None:
    write_docs(workdir / "docs", 2)
    assert run("index", "docs").code == 0
    manifest = json.loads((workdir / "index" / live(workdir / "index") / "manifest.json").read_text())
    assert manifest["roots"] == [str(workdir / "docs")]
    write_docs(workdir / "docs", 3)  # a third document appears; cron runs from /
    monkeypatch.chdir("/")
    r = run("index", "--index", str(workdir / "index"))
    assert r.code == 0, r.err
    assert r.err.splitlines() == [summary(added=1, unchanged=2, passages=3)]


def test_same_relative_name_from_two_folders_never_clashes(tmp_path: Path, run, monkeypatch) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "notes.txt").write_text(f"Notes\n\nDaqduq in folder {name}.\n")
    monkeypatch.setenv("SEARCHDOC_INDEX", str(tmp_path / "index"))
    monkeypatch.chdir(tmp_path / "a")
    assert run("index", ".").code == 0
    monkeypatch.chdir(tmp_path / "b")
    assert run("index", ".").code == 0
    (tmp_path / "b" / "notes.txt").write_text("Notes\n\nDaqduq in folder b, changed.\n")
    assert run("index", ".").code == 0
    hits = run("query", "Daqduq", "--json").json()
    assert sorted(h["text"] for h in hits) == ["Daqduq in folder a.", "Daqduq in folder b, changed."]
    assert {h["source"] for h in hits} == {"notes.txt", str(tmp_path / "b" / "notes.txt")}


def test_a_file_that_becomes_unreadable_keeps_its_indexed_version(workdir: Path, run, monkeypatch) -> None:
    assert run("index").code == 0
    (workdir / WIKI).write_text((workdir / WIKI).read_text() + "\nMore.\n")
    from searchdoc import sources

    def refuse(*_a, **_k):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(sources, "open", refuse, raising=False)
    r = run("index")
    assert r.code == 0
    assert r.err.splitlines() == [
        f"searchdoc: {WIKI}: permission denied, skipped; the version indexed before is kept",
        summary(unchanged=1, skipped=1, passages=22),
    ]
    assert run("query", "Daqduq", "--source", "001_*").code == 0


def test_a_file_that_becomes_binary_is_removed(workdir: Path, run) -> None:
    assert run("index").code == 0
    (workdir / WIKI).write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    r = run("index")
    assert r.err.splitlines() == [
        f"searchdoc: {WIKI}: binary file (PNG image), skipped",
        summary(removed=1, unchanged=1, skipped=1, passages=12),
    ]
    assert {i.split("#")[0] for i in whoosh_ids(workdir / "index")} == {THINK_TANK}


def test_nothing_to_index_changes_nothing(workdir: Path, run) -> None:
    assert run("index").code == 0
    before = live(workdir / "index")
    r = run("index", "no/such/folder")
    assert r.code == 2
    assert r.err.splitlines() == [  # one line: which path, and that nothing changed
        "searchdoc: no/such/folder: no such file or directory: nothing to index "
        "(the index at index is unchanged)",
    ]
    (workdir / "junk").mkdir()
    (workdir / "junk" / "a.bin").write_bytes(b"\x00\x01\x02")
    r = run("index", "--rebuild", "junk")
    assert r.code == 2
    assert r.err.splitlines() == [
        "searchdoc: junk/a.bin: binary file, skipped",
        "searchdoc: nothing to index: no readable text file under junk (the index at index is unchanged)",
    ]
    assert live(workdir / "index") == before
    assert run("query", "Daqduq").code == 0


def test_new_index_of_unreadable_files_is_not_created(tmp_path: Path, run, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "empty.txt").write_text("")
    r = run("index", "junk", "missing")
    assert r.code == 2
    assert r.err.splitlines() == [
        "searchdoc: missing: no such file or directory",
        "searchdoc: junk/empty.txt: empty file, skipped",
        "searchdoc: nothing to index: no readable text file under junk, missing",
    ]
    assert not (tmp_path / "index" / "CURRENT").exists()


def test_a_missing_path_among_good_ones_is_reported_and_the_run_goes_on(workdir: Path, run) -> None:
    r = run("index", "seeds", "gone")
    assert r.code == 0
    assert r.err.splitlines() == [
        "searchdoc: gone: no such file or directory",
        summary(added=2, skipped=1, passages=22),
    ]


# --- sources ------------------------------------------------------------------------------


def test_sources_lists_status_changed_missing(workdir: Path, run) -> None:
    write_docs(workdir / "docs", 2)
    assert run("index", "seeds", "docs").code == 0
    r = run("sources", "--json")
    assert r.code == 0
    rows = {row["source"]: row for row in r.json()}
    assert list(rows) == ["docs/doc_00000.txt", "docs/doc_00001.txt", THINK_TANK, WIKI]
    wiki = rows[WIKI]
    assert set(wiki) == {"source", "path", "title", "passages", "hash", "indexed", "status"}
    assert wiki["path"] == str((workdir / WIKI).resolve())
    assert wiki["title"] == "Ali Musa Daqduq"
    assert wiki["passages"] == 10
    assert len(wiki["hash"]) == 32
    assert wiki["indexed"].endswith("+00:00")
    assert {row["status"] for row in rows.values()} == {"unchanged"}

    (workdir / "docs" / "doc_00000.txt").write_text("Changed after indexing.\n")
    (workdir / "docs" / "doc_00001.txt").unlink()
    os.utime(workdir / WIKI, (1, 1))  # touched only: still unchanged (same content)
    status = {row["source"]: row["status"] for row in run("sources", "--json").json()}
    assert status == {
        "docs/doc_00000.txt": "changed",
        "docs/doc_00001.txt": "missing",
        THINK_TANK: "unchanged",
        WIKI: "unchanged",
    }
    text = run("sources").out.splitlines()
    assert text[0].split("\t")[:3] == ["docs/doc_00000.txt", "changed", "1 passages"]
    assert text[1].split("\t")[:2] == ["docs/doc_00001.txt", "missing"]
    assert all(len(line.split("\t")) == 6 for line in text)


def test_sources_without_an_index(tmp_path: Path, run, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = run("sources")
    assert r.code == 2
    assert r.err == "searchdoc: no index at index; run `searchdoc index [PATH ...]` to build it\n"


# --- versions and damage ------------------------------------------------------------------


def _set_format(root: Path, fmt: str) -> None:
    path = root / live(root) / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["format"] = fmt
    path.write_text(json.dumps(manifest))


def test_index_of_another_version(workdir: Path, run) -> None:
    assert run("index").code == 0
    _set_format(workdir / "index", "0.9")
    r = run("query", "Daqduq")
    assert r.code == 2 and r.out == ""
    assert r.err == (
        "searchdoc: the index at index was built by another version of searchdoc (format 0.9, "
        f"this one reads {INDEX_FORMAT}); run `searchdoc index --rebuild --index index`\n"
    )
    r = run("index")  # rebuilt from the folders it was built from
    assert r.code == 0
    assert r.err.splitlines() == [
        "searchdoc: index: built by another version of searchdoc (format 0.9); "
        "rebuilding it from its sources",
        summary(added=2, passages=22),
    ]
    assert run("query", "Daqduq").code == 0
    assert generations(workdir / "index") == [live(workdir / "index")]


@pytest.mark.parametrize("write, shown", [
    (lambda m: {**{k: v for k, v in m.items() if k != "format"}, "format": "0.9"}, "0.9"),  # last
    (lambda m: {k: v for k, v in m.items() if k != "format"}, "unknown"),  # none
    (lambda m: {**m, "format": "2.5x"}, "2.5x"),  # first, as written
])
def test_the_format_is_checked_wherever_the_manifest_holds_it(workdir: Path, run, write, shown) -> None:
    assert run("index").code == 0
    path = workdir / "index" / live(workdir / "index") / "manifest.json"
    path.write_text(json.dumps(write(json.loads(path.read_text())), indent=1))
    r = run("query", "Daqduq")
    assert r.code == 2 and f"(format {shown}, this one reads {INDEX_FORMAT})" in r.err


def test_damaged_index(workdir: Path, run) -> None:
    assert run("index").code == 0
    for f in (workdir / "index" / live(workdir / "index")).glob("MAIN_*.pst"):
        f.unlink()  # the postings of the segment
    r = run("query", "Daqduq")
    assert r.code == 2
    assert len(r.err.splitlines()) == 1
    assert r.err.startswith("searchdoc: the index at index is damaged (")
    assert r.err.endswith("run `searchdoc index --index index` to rebuild it from its "
                          "sources\n")
    r = run("index")
    assert r.code == 0
    assert "is damaged" in r.err.splitlines()[0] and "rebuilding it from its sources" in r.err
    assert r.err.splitlines()[-1] == summary(added=2, passages=22)
    assert run("query", "Daqduq").code == 0


def test_a_truncated_segment_is_damage_and_index_repairs_it(workdir: Path, run) -> None:
    """A file of the live generation cut short (a full disk, a copy stopped halfway): the
    query says so in one line (exit 2), and `searchdoc index`, with nothing changed in the
    sources, rebuilds it rather than saying "unchanged"."""
    assert run("index").code == 0
    (pst,) = (workdir / "index" / live(workdir / "index")).glob("MAIN_*.pst")
    pst.write_bytes(pst.read_bytes()[: pst.stat().st_size // 2])
    r = run("query", "Daqduq")
    assert r.code == 2 and len(r.err.splitlines()) == 1
    assert f"is damaged ({pst.name} is " in r.err and "bytes, written" in r.err
    r = run("index")
    assert r.code == 0 and "rebuilding it from its sources" in r.err
    assert r.err.splitlines()[-1] == summary(added=2, passages=22)
    assert run("query", "Daqduq").code == 0


# --- the write lock -----------------------------------------------------------------------


def _hold_lock(root: Path) -> int:
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def test_second_index_run_refuses_while_one_writes(workdir: Path, run) -> None:
    assert run("index").code == 0
    before = live(workdir / "index")
    fd = _hold_lock(workdir / "index")
    try:
        (workdir / WIKI).write_text("Changed\n\nDaqduq changed.\n")
        r = run("index")
        assert r.code == 2
        assert r.err == ("searchdoc: another `searchdoc index` is writing index; "
                         "wait for it to finish (or pass --wait SECONDS)\n")
        started = time.monotonic()
        r = run("index", "--wait", "0.3")
        assert r.code == 2 and time.monotonic() - started >= 0.3  # it waited, then gave up
        # queries go on meanwhile, on the index as it was
        assert run("query", "Daqduq").code == 0
    finally:
        os.close(fd)
    assert live(workdir / "index") == before
    assert run("index").code == 0


def test_wait_for_the_other_run(workdir: Path, run) -> None:
    assert run("index").code == 0
    fd = _hold_lock(workdir / "index")
    threading.Timer(0.3, os.close, [fd]).start()
    r = run("index", "--wait", "10")
    assert r.code == 0
    assert r.err.splitlines() == [summary(unchanged=2, passages=22)]


def test_two_index_processes_at_once(tmp_path: Path) -> None:
    write_docs(tmp_path / "big", 1500)
    env = subprocess_env(tmp_path / "index")
    first = subprocess.Popen([SEARCHDOC, "index", "big"], cwd=tmp_path, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for(lambda: (tmp_path / "index" / ".lock").exists(), first)
        time.sleep(0.05)  # from creating the lock file to holding the lock
        second = subprocess.run([SEARCHDOC, "index", "big"], cwd=tmp_path, env=env,
                                capture_output=True, text=True, timeout=30)
        assert first.poll() is None, "the first run ended too soon to test the lock"
        assert second.returncode == 2
        assert second.stdout == ""
        assert second.stderr == ("searchdoc: another `searchdoc index` is writing "
                                 f"{tmp_path / 'index'}; wait for it to finish (or pass --wait SECONDS)\n")
    finally:
        first.kill()
        first.wait()


# --- interrupted and killed runs ------------------------------------------------------------


def _wait_for(condition, proc: subprocess.Popen, timeout: float = 30) -> None:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            raise AssertionError(f"the run ended first: {proc.returncode} "
                                 f"{proc.stderr.read() if proc.stderr else ''}")
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.01)


def _new_generation(root: Path) -> bool:
    gens = generations(root)
    return bool(gens) and (root / "CURRENT").exists() and gens[-1] > live(root)


@pytest.fixture
def old_and_big(tmp_path: Path, monkeypatch) -> Path:
    """An index of the seeds (the old one), and 1500 more documents to add to it."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    update(tmp_path / "index", ["seeds"])
    write_docs(tmp_path / "big", 1500)
    return tmp_path


def _assert_old_index_whole(root: Path) -> None:
    with open_index(root) as handle, Searcher(handle.reader, handle.entity_index) as searcher:
        hits = searcher.search("Hamid the Mute")
        assert hits and hits[0].passage.source == THINK_TANK
        assert searcher.search("marker7") == []
    assert len(whoosh_ids(root)) == 22


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_interrupted_run_leaves_the_previous_index_whole(old_and_big: Path, sig: int) -> None:
    root = old_and_big / "index"
    before = live(root)
    # (Ctrl-C as a terminal sends it: a suite run as a background job of a shell without
    # job control hands its processes SIGINT ignored, and Python then keeps it ignored)
    proc = subprocess.Popen([SEARCHDOC, "index", "seeds", "big"], cwd=old_and_big,
                            env=subprocess_env(root), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        _wait_for(lambda: _new_generation(root), proc)  # it is writing the new generation
        time.sleep(0.2)
        assert proc.poll() is None, "the run ended before it could be interrupted"
        proc.send_signal(sig)
        _out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert live(root) == before
    _assert_old_index_whole(root)
    if sig == signal.SIGINT:  # Ctrl-C: one line, and it cleans up after itself
        assert proc.returncode == 130
        assert err == "searchdoc: interrupted\n"
        assert generations(root) == [before]
    else:  # killed: the half-built generation is left behind...
        assert proc.returncode == -signal.SIGKILL
        assert len(generations(root)) == 2

    # ...and the next run removes it and works (on fewer files, to stay quick)
    for f in sorted((old_and_big / "big").iterdir())[100:]:
        f.unlink()
    r = subprocess.run([SEARCHDOC, "index", "seeds", "big"], cwd=old_and_big,
                       env=subprocess_env(root), capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    stopped = [] if sig == signal.SIGINT else [  # (a run killed cannot clear its mark)
        f"searchdoc: {root}: the last `searchdoc index` (pid {proc.pid}) was stopped before it "
        "finished; its unfinished work is discarded, the index it left is used"]
    assert r.stderr.splitlines() == [*stopped, summary(added=100, unchanged=2, passages=122)]
    assert generations(root) == [live(root)] != [before]
    ids = whoosh_ids(root)
    assert len(ids) == len(set(ids)) == 122


def test_queries_during_an_index_run_see_old_or_new_never_broken(old_and_big: Path) -> None:
    """A writer replaces the index again and again while this process queries it."""
    root = old_and_big / "index"
    for f in sorted((old_and_big / "big").iterdir())[40:]:
        f.unlink()
    with open_index(root) as handle, Searcher(handle.reader, handle.entity_index) as searcher:
        seeds_only = len(searcher.search("Daqduq", limit=1000))  # the index before the run
    writer = subprocess.Popen(
        [sys.executable, "-c",
         "import sys\nfrom pathlib import Path\nfrom searchdoc.index.update import update\n"
         "for i in range(12):\n"
         "    Path('big/changing.txt').write_text(f'Changing\\n\\nDaqduq version {i}.\\n')\n"
         "    update(Path('index'), ['seeds', 'big'])\n"],
        cwd=old_and_big, env=subprocess_env(root), stderr=subprocess.PIPE, text=True)
    seen: Counter[int] = Counter()
    try:
        while writer.poll() is None:
            with open_index(root) as handle, Searcher(handle.reader, handle.entity_index) as searcher:
                hits = searcher.search("Hamid the Mute", limit=3)
                assert hits and hits[0].passage.source == THINK_TANK
                n = len(searcher.search("Daqduq", limit=1000))
                seen[n] += 1
    finally:
        writer.kill()
        writer.wait()
    assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
    assert sum(seen.values()) > 5
    # the seeds, then the seeds and 40 (and 41) documents
    assert set(seen) <= {seeds_only, seeds_only + 40, seeds_only + 41}
    assert len(seen) > 1  # it saw the index change under it
    update(root, ["seeds", "big"])  # and what this process read is then removed
    assert generations(root) == [live(root)]


def test_reader_keeps_its_generation_until_it_is_done(workdir: Path, run) -> None:
    assert run("index").code == 0
    root = workdir / "index"
    with open_index(root) as handle:
        old = handle.gen.name
        (workdir / WIKI).write_text("Changed\n\nA new text.\n")
        assert run("index").code == 0
        assert live(root) != old
        assert (root / old).is_dir()  # still read: not removed
        with Searcher(handle.reader, handle.entity_index) as searcher:
            assert searcher.search("Daqduq")  # the old generation answers
    assert run("index", "seeds").code == 0  # the next run removes it
    assert generations(root) == [live(root)]


def test_half_built_generation_is_removed_by_the_next_run(workdir: Path, run) -> None:
    assert run("index").code == 0
    root = workdir / "index"
    junk = root / "gen-999999"
    junk.mkdir()
    (junk / "MAIN_x.seg").write_bytes(b"partial")
    assert run("index").code == 0
    assert not junk.exists()


def test_ctrl_c_in_process_cleans_up(workdir: Path, run, monkeypatch) -> None:
    assert run("index").code == 0
    before = live(workdir / "index")
    (workdir / WIKI).write_text("Changed\n\nDaqduq changed.\n")
    real = store.passage_record

    def interrupt(*_args):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(store, "passage_record", interrupt)
    r = run("index")
    assert (r.code, r.err) == (130, "searchdoc: interrupted\n")
    monkeypatch.setattr(store, "passage_record", real)
    assert generations(workdir / "index") == [before]
    assert run("query", "Daqduq", "--source", "001_*").code == 0


def test_disk_full_leaves_the_previous_index(workdir: Path, run, monkeypatch) -> None:
    assert run("index").code == 0
    before = live(workdir / "index")
    (workdir / WIKI).write_text("Changed\n\nDaqduq changed.\n")

    def full(*_args):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store, "passage_record", full)
    r = run("index")
    assert r.code == 2
    assert r.err == ("searchdoc: cannot write the index at index (No space left on device); "
                     "the previous index is unchanged\n")
    assert generations(workdir / "index") == [before]


def test_index_folder_that_cannot_be_created(tmp_path: Path, run, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "file").write_text("not a folder")
    (tmp_path / "a.txt").write_text("Daqduq")
    r = run("index", "a.txt", "--index", "file/index")
    assert r.code == 2
    assert r.err.startswith("searchdoc: cannot write the index at file/index: ")
    assert len(r.err.splitlines()) == 1


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files of more than a few bytes are read and written by two processes."""
    monkeypatch.setattr(index_mod, "PARALLEL_MIN_BYTES", 10)
    monkeypatch.setattr(index_mod, "cpu_count", lambda: 2)


def _segment_sizes(root: Path) -> list[int]:
    with open_index(root) as handle:
        return handle.reader.segment_sizes()


def _answers(root: Path, queries: list[str]) -> list[list[tuple[str, float]]]:
    with open_index(root) as handle, Searcher(handle.reader, handle.entity_index) as s:
        return [[(h.passage.id, h.score) for h in s.search(q, limit=20)] for q in queries]


def test_a_big_build_in_two_processes_answers_as_one_process_does(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel: None) -> None:
    write_docs(tmp_path / "docs", 40)
    queries = ["Daqduq", "marker7", "Dakdouk marker12", "report city"]
    assert update(tmp_path / "two", [str(tmp_path / "docs")]).passages == 40
    monkeypatch.setattr(index_mod, "PARALLEL_MIN_BYTES", 10**12)
    update(tmp_path / "one", [str(tmp_path / "docs")])
    assert _segment_sizes(tmp_path / "two") == [20, 20] and _segment_sizes(tmp_path / "one") == [40]
    # the same passages in the same order: equal scores too come out in the same order
    assert whoosh_ids(tmp_path / "two") == whoosh_ids(tmp_path / "one")
    assert _answers(tmp_path / "two", queries) == _answers(tmp_path / "one", queries)
    # and it updates like any index
    (tmp_path / "docs" / "doc_00003.txt").unlink()
    assert update(tmp_path / "two", [str(tmp_path / "docs")]).removed == 1
    ids = whoosh_ids(tmp_path / "two")
    assert len(ids) == 39 and not any("doc_00003" in i for i in ids)


@pytest.mark.parametrize("how, why", [
    ("disk full", "No space left on device"),
    ("killed", "a writer process ended (exit -9)"),
])
def test_a_writer_process_that_fails_leaves_the_old_index(
        workdir: Path, run, monkeypatch: pytest.MonkeyPatch, parallel: None, how: str, why: str) -> None:
    write_docs(workdir / "docs", 30)
    assert run("index", "docs").code == 0
    before = live(workdir / "index")
    record = store.passage_record

    def failing(p, *args):
        if p.source.endswith("doc_00025.txt"):  # in the second process
            if how == "killed":
                os.kill(os.getpid(), signal.SIGKILL)
            raise OSError(errno.ENOSPC, "No space left on device")
        return record(p, *args)

    monkeypatch.setattr(store, "passage_record", failing)
    r = run("index", "docs", "--rebuild")
    assert r.code == 2
    assert r.err.splitlines() == [
        f"searchdoc: cannot write the index at index ({why}); the previous index is unchanged"]
    assert live(workdir / "index") == before and generations(workdir / "index") == [before]
    assert run("query", "marker25").code == 0


def test_writer_processes_never_repeat_what_was_waiting_to_be_printed(tmp_path: Path) -> None:
    write_docs(tmp_path / "docs", 30)
    env = {k: v for k, v in subprocess_env(tmp_path / "index").items() if k != "PYTHONUNBUFFERED"}
    r = subprocess.run(
        [sys.executable, "-c",
         "import sys\nfrom pathlib import Path\nimport searchdoc.index.update as ix\nimport searchdoc.index.writers as wr\n"
         "wr.PARALLEL_MIN_BYTES = 10\nwr.cpu_count = lambda: 2\n"
         "sys.stdout.write('out, no newline yet'); sys.stderr.write('err, no newline yet')\n"
         "print(ix.update(Path('index'), ['docs']).passages)\n"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert r.stdout == "out, no newline yet30\n"
    assert r.stderr == "err, no newline yet"
    assert _segment_sizes(tmp_path / "index") == [15, 15]


def test_the_index_is_as_private_as_it_can_be(tmp_path: Path, run, monkeypatch) -> None:
    """An index holds its sources' text: its folders are 0700 and its files 0600, whatever
    the umask, so a 0600 source is not readable by others through it."""
    import stat

    (tmp_path / "in").mkdir()
    secret = tmp_path / "in" / "secret.txt"
    secret.write_text("Ali Musa Daqduq met the informant in Basra.\n")
    secret.chmod(0o600)
    (tmp_path / "index").mkdir(mode=0o755)
    monkeypatch.chdir(tmp_path)
    old = os.umask(0o022)
    try:
        assert run("index", "in").code == 0
        assert run("query", "informant").code == 0  # (a reader's lock file too)
    finally:
        os.umask(old)
    for path in [tmp_path / "index", *(tmp_path / "index").rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & 0o077 == 0, (path, oct(mode))


def test_a_folder_that_cannot_be_listed_keeps_its_files(tmp_path: Path, run,
                                                         monkeypatch) -> None:
    """A folder whose permissions changed (it cannot be listed, its files not looked at):
    its files keep their indexed versions, as an unreadable file does."""
    (tmp_path / "in" / "locked").mkdir(parents=True)
    (tmp_path / "in" / "locked" / "a.txt").write_text("Ali Musa Daqduq in Basra.\n")
    (tmp_path / "in" / "open.txt").write_text("Hamid the Mute was released.\n")
    monkeypatch.chdir(tmp_path)
    assert run("index", "in").code == 0
    locked = str(tmp_path / "in" / "locked")
    real_scandir, real_stat = os.scandir, os.stat

    def scandir(path=".", *a, **k):  # type: ignore[no-untyped-def]
        if os.fspath(path).startswith(locked):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path, *a, **k)

    def stat_(path, *a, **k):  # type: ignore[no-untyped-def]
        p = os.fspath(path)
        if isinstance(p, str) and p.startswith(locked + os.sep):
            raise PermissionError(13, "Permission denied", p)
        return real_stat(path, *a, **k)

    with monkeypatch.context() as m:
        m.setattr(os, "scandir", scandir)
        m.setattr(os, "stat", stat_)
        r = run("index")
    assert r.code == 0, r.err
    assert "in/locked: cannot list folder (permission denied), skipped" in r.err
    assert "0 removed" in r.err
    assert [h["source"] for h in run("query", "Daqduq", "--json").json()] == ["in/locked/a.txt"]


def test_a_missing_manifest_is_damage_not_change(workdir: Path, run) -> None:
    assert run("index").code == 0
    (workdir / "index" / live(workdir / "index") / "manifest.json").unlink()
    r = run("query", "Daqduq")
    assert r.code == 2 and len(r.err.splitlines()) == 1
    assert "is damaged (manifest.json missing)" in r.err
    assert run("index").code == 0
    assert run("query", "Daqduq").code == 0
