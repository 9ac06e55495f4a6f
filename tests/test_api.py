"""The library: the same answers as the command line, as frozen dataclasses whose
to_dict() is the CLI's JSON line; errors a user can act on; a cheap `import searchdoc`."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import searchdoc
from conftest import THINK_TANK, WIKI
from searchdoc import (
    Context,
    Entity,
    Hit,
    Index,
    IndexMissing,
    InvalidArgument,
    NothingIndexed,
    PassageNotFound,
    SearchdocError,
    Source,
    Update,
)
from searchdoc.cli import main

# query, options of Index.search, the same options on the command line
SAME_AS_CLI = [
    ("Hamid the Mute", {}, []),
    ("Daqduq", {"limit": 3}, ["--limit", "3"]),
    ("Daqduq", {"limit": 100, "source": "001_*"}, ["--limit", "100", "--source", "001_*"]),
    ("علي موسى دقدوق", {}, []),
    ("Dakdouk", {"aliases": False}, ["--no-aliases"]),
    ("Hamid Muhammad Jabur al-Lami", {}, []),
    ("Qays Khazaali", {"limit": 5, "context": 1}, ["--limit", "5", "--context", "1"]),
    ("Xylophonic Quasar", {}, []),
]


@pytest.mark.parametrize(("query", "options", "args"), SAME_AS_CLI)
def test_search_gives_what_query_json_prints(built: Path, run, query, options, args) -> None:
    printed = run("query", query, "--json", *args).json()
    with Index.open() as index:
        hits = index.search(query, **options)
    assert all(isinstance(h, Hit) for h in hits)
    assert [h.to_dict() for h in hits] == printed
    assert (len(hits) > 0) == (query != "Xylophonic Quasar")


def test_results_are_frozen(built: Path) -> None:
    with Index.open() as index:
        hit = index.search("Daqduq", limit=1)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.rank = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        hit.passage.text = ""  # type: ignore[misc]


def test_open_builds_the_index_from_the_seeds_on_first_use(workdir: Path) -> None:
    said: list[str] = []
    with Index.open(report=said.append) as index:
        assert index.search("Hamid the Mute", limit=1)[0].passage.source == THINK_TANK
    assert said == [
        "no index at index; building it from seeds/ (first use)",
        "indexed: 2 added, 0 updated, 0 removed, 0 unchanged, 0 skipped (22 passages)",
    ]
    assert (workdir / "index" / "CURRENT").exists()
    said.clear()
    Index.open(report=said.append).close()
    assert said == []


def test_no_index_and_no_seeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(IndexMissing) as e:
        Index.open()
    assert str(e.value) == "no index at index; run `searchdoc index [PATH ...]` to build it"
    assert isinstance(e.value, SearchdocError)
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text("Ali Musa Daqduq\n\nDaqduq was captured.\n")
    with pytest.raises(IndexMissing):
        Index.open(seeds=None)  # never built: seeds=None
    assert Index.open().search("Daqduq")  # built from ./seeds


def test_index_path_from_the_environment(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEARCHDOC_INDEX", str(workdir / "elsewhere"))
    assert Index().path == workdir / "elsewhere"
    assert Index("given").path == Path("given")


def _write_docs(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        (folder / f"d{i:03d}.txt").write_text(f"Doc {i}\n\nDaqduq appears in document {i}.\n")


def test_update_reports_progress_and_skipped_files(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _write_docs(tmp_path / "docs", 3)
    (tmp_path / "docs" / "x.bin").write_bytes(b"\x00\x01\x02")
    calls: list[tuple[str, int, int]] = []
    said: list[str] = []
    index = Index("idx")
    assert not index.exists()
    summary = index.update(["docs"], progress=lambda *a: calls.append(a), report=said.append)
    assert summary == Update(added=3, skipped=1, passages=3)
    assert summary.to_dict() == {"added": 3, "updated": 0, "removed": 0, "unchanged": 0,
                                 "skipped": 1, "passages": 3, "rebuilt": False}
    assert said == ["docs/x.bin: binary file, skipped"]
    assert calls == [("indexing", n, 4) for n in range(1, 5)]
    assert index.exists()
    assert len(index.search("Daqduq", limit=None)) == 3
    (tmp_path / "docs" / "d000.txt").unlink()
    assert index.update().line() == ("indexed: 0 added, 0 updated, 1 removed, 2 unchanged, "
                                     "1 skipped (2 passages)")
    assert len(index.search("Daqduq", limit=None)) == 2  # reads the new generation
    with pytest.raises(NothingIndexed):
        index.update(["nowhere"])


def test_search_with_context(built: Path) -> None:
    with Index.open() as index:
        hit = index.search("Hamid the Mute", limit=1, context=1)[0]
        assert [p.ordinal for p in hit.before or ()] == [hit.passage.ordinal - 1]
        assert [p.ordinal for p in hit.after or ()] == [hit.passage.ordinal + 1]
        assert all(p.source == hit.passage.source for p in (*(hit.before or ()), *(hit.after or ())))
        plain = index.search("Hamid the Mute", limit=1)[0]
        assert plain.before is None and plain.after is None
        assert "before" not in plain.to_dict()
        first = index.show(f"{WIKI}#0", context=2)
        assert first.before == () and [p.ordinal for p in first.after] == [1, 2]


def test_show_gives_what_show_json_prints(built: Path, run) -> None:
    pid = run("query", "Hamid the Mute", "--json").json()[0]["passage"]
    with Index.open() as index:
        shown = index.show(pid, context=1)
        assert isinstance(shown, Context)
        assert shown.to_dicts() == run("show", pid, "--context", "1", "--json").json()
        assert index.passage(pid) == shown.passage
        with pytest.raises(PassageNotFound) as e:
            index.show("nope#3")
    assert str(e.value) == "no passage 'nope#3' in the index (ids come from query hits)"
    assert e.value.exit_code == 1


def test_aliases_and_entities_give_what_aliases_json_prints(built: Path, run) -> None:
    with Index.open() as index:
        found = index.aliases("Dakdouk")
        everyone = index.entities()
        assert index.aliases("Ali") == []  # a common given name names nobody
    assert found and all(isinstance(e, Entity) for e in found)
    assert [e.to_dict() for e in found] == run("aliases", "Dakdouk", "--json").json()
    assert [e.to_dict() for e in everyone] == run("aliases", "--all", "--json").json()
    assert set(found[0].sources) == {WIKI, THINK_TANK}
    assert any(n.script == "Arabic" for n in found[0].names)


def test_sources_give_what_sources_json_prints(built: Path, run) -> None:
    with Index.open() as index:
        rows = index.sources()
    assert all(isinstance(r, Source) for r in rows)
    assert [r.to_dict() for r in rows] == run("sources", "--json").json()
    assert [r.source for r in rows] == [THINK_TANK, WIKI]


def test_count_and_files_with_matches(built: Path) -> None:
    with Index.open() as index:
        every = index.search("Daqduq", limit=None)
        assert index.count("Daqduq").count == len(every) > 10
        assert index.count("Daqduq", limit=3).count == 3  # as grep -m 3 -c
        assert index.count("Xylophonic Quasar").count == 0
        files = index.files_with_matches("Daqduq")
        assert [(f.rank, f.source) for f in files] == [(1, every[0].passage.source),
                                                        (2, WIKI if every[0].passage.source
                                                         == THINK_TANK else THINK_TANK)]
        assert sum(f.hits for f in files) == len(every)
        assert files[0].score == every[0].score
        assert len(index.files_with_matches("Daqduq", limit=1)) == 1


@pytest.mark.parametrize(("call", "message"), [
    (lambda ix: ix.search("x", limit=0), "limit must be a whole number, 1 or more, not 0"),
    (lambda ix: ix.search("x", context=-1), "context must be a whole number, 0 or more, not -1"),
    (lambda ix: ix.show("x#0", context=1.5), "context must be a whole number, 0 or more, not 1.5"),
    (lambda ix: ix.update(wait=-1), "wait must be 0 or more seconds, not -1"),
])
def test_invalid_arguments(built: Path, call, message) -> None:
    with Index.open() as index, pytest.raises(InvalidArgument) as e:
        call(index)
    assert str(e.value) == message
    assert isinstance(e.value, ValueError) and isinstance(e.value, SearchdocError)


def _python(code: str, cwd: Path) -> list[str]:
    r = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True,
                       timeout=60, env={**os.environ, "NO_COLOR": "1"})
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_import_searchdoc_imports_nothing_else(tmp_path: Path) -> None:
    loaded = _python("import json, sys; import searchdoc; "
                     "print(json.dumps(sorted(m for m in sys.modules if m.startswith("
                     "('searchdoc', 'whoosh', 'typer', 'rich', 'pyarabic', 'unidecode')))))",
                     tmp_path)
    assert loaded == ["searchdoc"]


@pytest.mark.parametrize(("query", "arabic"), [("Golan Project", False),
                                              ("علي موسى دقدوق", True)])
def test_a_query_imports_only_what_it_needs(built: Path, tmp_path: Path, query: str,
                                            arabic: bool) -> None:
    where = built
    if not arabic:  # Latin words on a collection without Arabic script
        (tmp_path / "notes").mkdir()
        (tmp_path / "notes" / "golan.txt").write_text("Golan\n\nThe Golan Project began.\n")
        assert main(["index", str(tmp_path / "notes"), "--index", str(tmp_path / "index")]) == 0
        where = tmp_path
    loaded = _python(
        "import io, json, sys, contextlib\n"
        "from searchdoc.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['query', {query!r}]) == 0\n"
        "print(json.dumps(sorted(sys.modules)))\n", where)
    # no reading, writing or entity-making code, no web server, no worker processes
    for module in ("rich", "searchdoc.results", "searchdoc.schema", "searchdoc.sources",
                   "searchdoc.ingest", "searchdoc.passages", "searchdoc.readers",
                   "searchdoc.index.update", "searchdoc.index.writers",
                   "searchdoc.entities.extract", "searchdoc.entities.cluster",
                   "searchdoc.entities.persist", "searchdoc.web", "multiprocessing",
                   "starlette", "uvicorn", "jinja2"):
        assert module not in loaded
    assert "searchdoc.index.handle" in loaded and "searchdoc.search" in loaded  # (it ran)
    # pyarabic's tables are made when the first Arabic word is analysed
    assert ("pyarabic.araby" in loaded) == arabic


def test_all_is_what_the_package_gives() -> None:
    assert set(searchdoc.__all__) == {*searchdoc._EXPORTS, "__version__"}
    for name in searchdoc.__all__:
        assert getattr(searchdoc, name) is not None
    with pytest.raises(AttributeError):
        searchdoc.Nothing  # type: ignore[attr-defined]  # noqa: B018
