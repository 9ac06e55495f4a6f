"""Bad input never stops a run and never ends in a traceback: each file the indexer cannot
use is one line on stderr, and any query text at all gives an answer or none (exit 0 or 1)."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchdoc import sources
from searchdoc.index.handle import open_index
from searchdoc.names import keys as normalize
from searchdoc.output import TextRenderer, hit_json, hit_tsv
from searchdoc.search import Searcher

SEARCHDOC = str(Path(sys.executable).parent / "searchdoc")
FIFTY_MB = 50 * 1024 * 1024
LONG_LINE = 2 * 1024 * 1024  # one line of 2 MB: under the 20 MB limit, but not prose


@pytest.fixture
def bad_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder of files a user might have lying next to their documents, generated here;
    the working directory is the folder above it."""
    d = tmp_path / "corpus"
    d.mkdir()
    (d / "good.txt").write_text("Good\n\nAli Musa Daqduq appears in this good file.\n")
    (d / "latin1.txt").write_bytes("Café notes\n\nDaqduq était à Beyrouth.\n".encode("latin-1"))
    (d / "fake.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nstream\n\x00\x01\x02")
    (d / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    (d / "data.bin").write_bytes(b"ABCD\x00\x00\x00\x01Daqduq\x00")
    (d / "empty.txt").write_bytes(b"")
    (d / "blank.md").write_text(" \n\n\t\n")
    (d / "title-only.txt").write_text("Just a title\n")  # indexed: the title is its text
    (d / "no-words.txt").write_text("* * *\n---\n")
    with open(d / "huge.txt", "wb") as fh:  # 50 MB, one line, no newline
        chunk = b"a" * (1024 * 1024)
        for _ in range(50):
            fh.write(chunk)
    (d / "long-line.txt").write_bytes(b"Daqduq " + b"x" * (LONG_LINE - 7))
    (d / "secret.txt").write_text("Secret\n\nDaqduq secret.\n")
    os.symlink(".", d / "loop")
    os.symlink("self", d / "self")
    os.symlink("missing-target.txt", d / "dangling.txt")
    # unreadable: chmod 000 blocks a normal user, not root; so refuse it by hand as well
    (d / "secret.txt").chmod(0)
    real_open = open

    def guarded_open(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path).name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(sources, "open", guarded_open, raising=False)
    monkeypatch.chdir(tmp_path)
    yield d
    (d / "secret.txt").chmod(0o644)


BAD_CORPUS_ERR = [
    # found while walking the folder (names in order), then each file read, by name
    "searchdoc: corpus/dangling.txt: broken symbolic link, skipped",
    "searchdoc: corpus/loop: symbolic-link loop, skipped",
    "searchdoc: corpus/self: symbolic-link loop, skipped",
    "searchdoc: not-there: no such file or directory",
    "searchdoc: corpus/blank.md: empty file, skipped",
    "searchdoc: corpus/data.bin: binary file, skipped",
    "searchdoc: corpus/empty.txt: empty file, skipped",
    "searchdoc: corpus/fake.pdf: not a readable PDF (damaged or truncated), skipped",
    "searchdoc: corpus/huge.txt: larger than 20 MB, skipped",
    "searchdoc: corpus/latin1.txt: invalid UTF-8 at byte 3; 3 undecodable byte sequence(s) replaced",
    "searchdoc: corpus/long-line.txt: a line of 2,097,152 characters: not a text document, skipped",
    "searchdoc: corpus/no-words.txt: no text to index, skipped",
    "searchdoc: corpus/photo.png: binary file (PNG image), skipped",
    "searchdoc: corpus/secret.txt: permission denied, skipped",
    "searchdoc: indexed: 3 added, 0 updated, 0 removed, 0 unchanged, 13 skipped (3 passages)",
]


def test_bad_files_one_line_each_and_the_run_goes_on(bad_corpus: Path, run) -> None:
    r = run("index", "corpus", "not-there")  # (the 50 MB file is refused from its size)
    assert r.code == 0
    assert r.out == ""
    assert r.err.splitlines() == BAD_CORPUS_ERR
    hits = run("query", "Daqduq", "--json").json()
    assert sorted(h["source"] for h in hits) == ["corpus/good.txt", "corpus/latin1.txt"]
    latin1 = next(h for h in hits if h["source"] == "corpus/latin1.txt")
    assert "Daqduq \ufffdtait \ufffd Beyrouth" in latin1["text"]  # decoded as far as it goes
    # a second run reads the skipped files again (they may have been fixed), the rest not
    r = run("index")
    assert r.code == 0
    assert r.err.splitlines()[-1] == (
        "searchdoc: indexed: 0 added, 0 updated, 0 removed, 3 unchanged, 12 skipped (3 passages)"
    )


def test_bad_files_from_a_subprocess(tmp_path: Path) -> None:
    """The same, end to end, without any monkeypatching (and so without the unreadable file
    when run as root, which reads anything)."""
    d = tmp_path / "corpus"
    d.mkdir()
    (d / "good.txt").write_text("Good\n\nDaqduq.\n")
    (d / "fake.pdf").write_bytes(b"%PDF-1.4\n\x00\x00")
    (d / "bad.txt").write_bytes(b"Bad\n\nDaqduq \xff\xfe was here.\n")
    os.symlink("..", d / "up")
    env = {**os.environ, "SEARCHDOC_INDEX": str(tmp_path / "index"), "NO_COLOR": "1"}
    r = subprocess.run([SEARCHDOC, "index", "corpus", "nowhere"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0
    assert r.stderr.splitlines() == [
        "searchdoc: corpus/up: symbolic-link loop, skipped",
        "searchdoc: nowhere: no such file or directory",
        "searchdoc: corpus/bad.txt: invalid UTF-8 at byte 12; 2 undecodable byte sequence(s) replaced",
        "searchdoc: corpus/fake.pdf: not a readable PDF (damaged or truncated), skipped",
        "searchdoc: indexed: 2 added, 0 updated, 0 removed, 0 unchanged, 3 skipped (2 passages)",
    ]
    r = subprocess.run([SEARCHDOC, "index", "nowhere"], cwd=tmp_path, env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and len(r.stderr.splitlines()) == 1


def test_unreadable_file_for_real(tmp_path: Path, run, monkeypatch) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode (covered by the simulated case)")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "ok.txt").write_text("Daqduq.\n")
    (tmp_path / "d" / "secret.txt").write_text("Daqduq.\n")
    (tmp_path / "d" / "secret.txt").chmod(0)
    try:
        r = run("index", "d")
    finally:
        (tmp_path / "d" / "secret.txt").chmod(0o644)
    assert r.code == 0
    assert r.err.splitlines()[0] == "searchdoc: d/secret.txt: permission denied, skipped"


# --- bad queries ----------------------------------------------------------------------------

BAD_QUERIES = [
    "",
    " ",
    "\t \t",
    "!!!",
    ".,;:!?…—",
    '"',
    '"Hamid the',
    "Hamid the Mute\"'",
    "* ? ~ : ( ) [ ] ^ \"",
    "Daqduq*",
    "Daq?uq~2",
    "(Daqduq OR",
    "[a TO z]",
    "title:Daqduq",
    "source:x",
    "body:(a b) AND NOT c^3",
    "Daqduq " * 1500,  # over 10,000 characters
    "x" * 10_000,
    "Daqduq\x00\x01\x07\x1b[31m\x7f",
    "\u200fدقدوق\u200e Daqduq \u202equdqaD\u202c",
    "Дакдук 达克杜克 ダクドゥク Δακντούκ דקדוק Daqduq دقدوق",
    "\U0001f600 \U0001f1fa\U0001f1f8 \u0301\u0301",
    "al- ibn abu bin el",
    "-",
    "--",
    "'s",
    "\ufeff\ufffd",
]


@pytest.mark.parametrize("query", BAD_QUERIES, ids=range(len(BAD_QUERIES)))
@pytest.mark.parametrize("mode", [(), ("--json",), ("--tsv",)], ids=["text", "json", "tsv"])
def test_bad_query_exits_0_or_1_quietly(built: Path, run, query: str, mode: tuple[str, ...]) -> None:
    r = run("query", *mode, "--", query)
    assert r.code in (0, 1)
    assert r.err == ""
    if r.code == 1:
        assert r.out == ""


def test_bad_queries_in_batch_from_a_subprocess(built: Path) -> None:
    env = {**os.environ, "SEARCHDOC_INDEX": str(built / "index"), "NO_COLOR": "1"}
    stdin = "\n".join(q.replace("\n", " ") for q in BAD_QUERIES) + "\n"
    stdin_bytes = stdin.encode("utf-8") + b"Daq\xffduq \xc3\x28\n"  # and bytes that are not UTF-8
    r = subprocess.run([SEARCHDOC, "query", "-", "--json"], cwd=built, env=env,
                       input=stdin_bytes, capture_output=True, timeout=60)
    assert r.returncode == 0  # some of them find Daqduq
    assert r.stderr == b""
    r.stdout.decode("utf-8")  # the output stays UTF-8


def test_bad_source_patterns(built: Path, run) -> None:
    for pattern in ("[", "]", "*", "**", "?", "[!", "\\", "seeds/[0-9]*", ""):
        r = run("query", "Daqduq", "--source", pattern)
        assert r.code in (0, 1) and r.err == ""


def test_bad_passage_ids(built: Path, run) -> None:
    for pid in ("", "#", "x#y", "seeds/000_3b04a8e966365e08.txt#999", "#-1", "a" * 5000):
        r = run("show", "--", pid)
        assert r.code == 1
        assert len(r.err.splitlines()) == 1 and r.err.startswith("searchdoc: no passage")


# --- property-based: any text at all ---------------------------------------------------------

ANY_TEXT = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from(list("*?~:()[]^\"'-_ \t\n\u200f\u202e\u0301ʿʾ’"
                                          "alibnAbuDaqdukدقوعليابن"))),
    st.lists(st.sampled_from(["al-", "ibn", "Abd", "al", "Allah", "الله", "عبد", "Daqduq",
                              "دقدوق", "Nasr", "the", "-", "'s", "بن", "el"]))
    .map(" ".join),
)
FAST = settings(max_examples=200, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(ANY_TEXT)
def test_normalize_never_raises(text: str) -> None:
    units = normalize.units(text)
    for u in units:
        assert 0 <= u.start <= u.end <= len(text)
        assert u.exact
    folded = normalize.fold(text)
    assert isinstance(folded, str)
    assert isinstance(normalize.variant_key(folded), str)
    assert isinstance(normalize.variant_key(text), str)
    for word in text.split():
        normalize.variant_key(normalize.fold(word))


def test_query_path_never_raises(built: Path) -> None:
    renderer = TextRenderer(open(os.devnull, "w"), color=True, width=80)
    with open_index(built / "index") as handle, Searcher(handle.reader, handle.entity_index) as searcher:

        @FAST
        @given(ANY_TEXT, st.one_of(st.none(), st.text(max_size=5)))
        def check(query: str, source: str | None) -> None:
            hits = searcher.search(query, limit=5, source=source)
            for h in hits:
                hit_json(h)
                assert "\n" not in hit_tsv(h) and hit_tsv(h).count("\t") == 5
                renderer.hit(h)

        check()


def test_terminal_escapes_in_a_passage_and_a_file_name_are_shown_escaped(
        tmp_path: Path, run, monkeypatch) -> None:
    (tmp_path / "in").mkdir()
    hostile = ("Daqduq\x1b]0;owned\x07 was released.\x1b[2J The court \x1b]8;;http://x.example/"
               "\x1b\\link\x1b]8;;\x1b\\ said so.\r Done.\x9b1m")
    (tmp_path / "in" / "note.txt").write_text(f"Note\n\n{hostile}\n", encoding="utf-8")
    (tmp_path / "in" / "two\nlines\x1b[31m.txt").write_text("Daqduq in a file name.\n",
                                                          encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    r = run("index", "in")
    assert r.code == 0 and "\x1b" not in r.err and len(r.err.splitlines()) == 1
    for args in (("query", "Daqduq"), ("query", "Daqduq", "-l"), ("query", "Daqduq", "--tsv"),
                 ("sources",), ("show", "in/note.txt#0")):
        out = run(*args).out
        assert not any(c in out for c in "\x1b\x07\r\x9b"), args
    text = run("query", "Daqduq").out
    assert "\\x1b]0;owned\\x07" in text and "in/two\\nlines\\x1b[31m.txt" in text
    assert "in/two\\nlines\\x1b[31m.txt" in run("query", "Daqduq", "-l").out.splitlines()
    exact = {h["source"]: h for h in run("query", "Daqduq", "--json").json()}
    assert "\x1b]0;owned\x07" in exact["in/note.txt"]["text"]  # JSON stays exact
    assert "in/two\nlines\x1b[31m.txt" in exact


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def test_a_planted_pickle_is_refused_without_running(tmp_path: Path, run, monkeypatch) -> None:
    """An index folder from a stranger whose whoosh table of contents holds a pickle that
    runs a command: refused in one line (exit 2), the command never runs; `searchdoc
    index` rebuilds the index from its sources."""
    import io
    import pickle

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Ali Musa Daqduq was released in 2012.\n")
    monkeypatch.chdir(tmp_path)
    assert run("index", "in").code == 0
    gen = tmp_path / "index" / (tmp_path / "index" / "CURRENT").read_text().strip()
    (toc,) = gen.glob("_MAIN_*.toc")
    data = toc.read_bytes()
    start = data.index(b"\x80\x02cwhoosh.fields\nSchema")
    stream = io.BytesIO(data[start:])
    pickle.Unpickler(stream).load()
    length = _varint(stream.tell())
    assert data[start - len(length):start] == length
    pwned = tmp_path / "PWNED"
    evil = (b"\x80\x02cposix\nsystem\nq\x00X" + struct.pack("<I", len(f"touch {pwned}"))
            + f"touch {pwned}".encode() + b"q\x01\x85q\x02Rq\x03.")
    toc.write_bytes(data[:start - len(length)] + _varint(len(evil)) + evil
                    + data[start + stream.tell():])
    sizes = json.loads((gen / "sizes.json").read_text())  # a stranger's folder agrees
    sizes[toc.name] = toc.stat().st_size
    (gen / "sizes.json").write_text(json.dumps(sizes))
    r = run("query", "Daqduq")
    assert r.code == 2 and len(r.err.splitlines()) == 1
    assert "posix.system, refused" in r.err and "damaged" in r.err
    assert not pwned.exists()
    r = run("index")
    assert r.code == 0 and not pwned.exists()
    assert run("query", "Daqduq").code == 0


@pytest.mark.parametrize(("module", "name"), [
    ("os", "system"), ("builtins", "eval"), ("subprocess", "Popen"),
    ("whoosh.util", "now"), ("searchdoc.store", "guard_pickles"),
    ("whoosh.index", "_DEF_INDEX_NAME")])
def test_the_unpickler_admits_whooshs_classes_only(module: str, name: str) -> None:
    from searchdoc.store import RefusedPickle, restricted_loads

    payload = b"\x80\x02c" + f"{module}\n{name}\n".encode() + b"q\x00."
    with pytest.raises(RefusedPickle):
        restricted_loads(payload)


def test_arguments_that_are_not_utf8(built: Path, run) -> None:
    """Bytes that are not UTF-8 in an argument (`searchdoc show $'\\xff'`: the system gives
    them as lone surrogates) are U+FFFD, never a traceback."""
    r = run("show", "\udcff")
    assert r.code == 1 and r.err == "searchdoc: no passage '\ufffd' in the index (ids come from query hits)\n"
    r = run("query", "Daq\udcffduq")
    assert r.code in (0, 1) and r.err == ""
