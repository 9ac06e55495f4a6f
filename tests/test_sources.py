"""Finding files and reading them safely: every file the indexer cannot use gets one reason,
and none of them costs more than a look at its size or its first bytes."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from searchdoc import sources
from searchdoc.errors import SkipFile, Unreadable
from searchdoc.sources import MAX_FILE_BYTES, content_hash, decode, discover, read_bytes


def _reasons(paths: list[str]) -> dict[str, str]:
    _files, problems = discover(paths)
    return {p.display: p.reason for p in problems}


# --- discover -------------------------------------------------------------------------


def test_discover_walks_folders_sorted_once_each_skipping_hidden(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "b.txt").write_text("b")
    (tmp_path / "d" / "sub" / "a.txt").write_text("a")
    (tmp_path / "d" / ".hidden.txt").write_text("h")
    (tmp_path / "d" / ".git").mkdir()
    (tmp_path / "d" / ".git" / "x.txt").write_text("x")
    os.symlink(tmp_path / "d" / "b.txt", tmp_path / "d" / "sub" / "link-to-b.txt")
    files, problems = discover(["d", "d/b.txt", str(tmp_path / "d")])
    assert [f.display for f in files] == ["d/b.txt", "d/sub/a.txt"]
    assert all(f.path.is_absolute() for f in files)
    assert problems == []


def test_discover_excludes_the_index_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "index" / "gen-000001").mkdir(parents=True)
    (tmp_path / "index" / "gen-000001" / "manifest.json").write_text("{}")
    (tmp_path / "a.txt").write_text("a")
    files, _ = discover(["."], exclude=[tmp_path / "index"])
    assert [f.display for f in files] == ["a.txt"]


def test_discover_skips_any_searchdoc_index_and_says_so(tmp_path: Path, run,
                                                          monkeypatch) -> None:
    """An index kept among the documents (another one than the index being built) holds
    every name of what it indexed in its generations' files: read as documents they were
    hits for every query ("entities.json" third for "Hassan Nasrallah" in a real folder)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("Ali Musa Daqduq was named in the filing.\n")
    assert run("index", "docs", "--index", "docs/old-index").code == 0
    files, problems = discover(["docs"])
    assert [f.display for f in files] == ["docs/a.txt"]
    assert [(p.display, p.reason) for p in problems] == [
        ("docs/old-index", "a searchdoc index, skipped")]
    assert run("index", "docs", "--index", "new").code == 0
    assert run("query", "Daqduq", "-l", "--index", "new").out.split() == ["docs/a.txt"]


def test_missing_path(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert _reasons(["nope", "also/nope"]) == {
        "nope": "no such file or directory",
        "also/nope": "no such file or directory",
    }


def test_symbolic_link_loops_and_broken_links(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    d = tmp_path / "d"
    (d / "sub").mkdir(parents=True)
    (d / "sub" / "a.txt").write_text("a")
    os.symlink("..", d / "sub" / "up")  # a folder containing its own ancestor
    os.symlink("self", d / "self")  # a link to itself
    os.symlink("ping", d / "pong")  # two links to each other
    os.symlink("pong", d / "ping")
    os.symlink("nowhere", d / "broken")
    found: list[tuple[list, list]] = []
    walk = threading.Thread(target=lambda: found.append(discover(["d"])), daemon=True)
    walk.start()
    walk.join(timeout=30)  # a guard against a hang: the links must not loop for ever
    assert not walk.is_alive() and len(found) == 1
    files, problems = found[0]
    assert [f.display for f in files] == ["d/sub/a.txt"]
    assert {p.display: p.reason for p in problems} == {
        "d/broken": "broken symbolic link, skipped",
        "d/ping": "symbolic-link loop, skipped",
        "d/pong": "symbolic-link loop, skipped",
        "d/self": "symbolic-link loop, skipped",
        "d/sub/up": "symbolic-link loop, skipped",
    }


def test_two_folders_linking_to_each_other_end(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.txt").write_text("x")
    os.symlink("../b", tmp_path / "a" / "to-b")
    os.symlink("../a", tmp_path / "b" / "to-a")
    files, _problems = discover(["a", "b"])
    assert [f.display for f in files] == ["a/x.txt"]


def test_fifo_is_not_read(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d").mkdir()
    os.mkfifo(tmp_path / "d" / "pipe")  # reading it would block forever
    assert _reasons(["d"]) == {"d/pipe": "not a regular file, skipped"}
    assert _reasons(["d/pipe"]) == {"d/pipe": "not a regular file or directory"}


def test_file_name_that_is_not_utf8(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d").mkdir()
    try:
        with open(os.path.join(os.fsencode(tmp_path / "d"), b"bad\xffname.txt"), "w") as fh:
            fh.write("text")
    except OSError:
        pytest.skip("this file system refuses names that are not UTF-8")
    files, problems = discover(["d"])
    assert files == []
    assert [str(p) for p in problems] == [
        "d/bad\ufffdname.txt: file name is not valid UTF-8 (rename it), skipped"
    ]


def test_unlistable_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d" / "locked").mkdir(parents=True)
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(sources.os, "scandir", scandir)
    assert _reasons(["d"]) == {"d/locked": "cannot list folder (permission denied), skipped"}


# --- read_bytes -----------------------------------------------------------------------


def test_file_over_the_size_limit_is_refused_without_reading_it(tmp_path: Path, monkeypatch) -> None:
    big = tmp_path / "one-line.txt"
    with open(big, "wb") as fh:  # 50 MB, one line: written sparsely, so it is quick
        fh.seek(50 * 1024 * 1024 - 1)
        fh.write(b"x")
    opened = []
    real_open = open
    monkeypatch.setattr(sources, "open", lambda *a, **k: opened.append(a) or real_open(*a, **k),  # type: ignore[func-returns-value]
                        raising=False)
    with pytest.raises(SkipFile, match=r"^larger than 20 MB, skipped$"):
        read_bytes(big)
    assert opened == []  # decided from the size alone


def test_file_growing_past_the_limit_while_read(tmp_path: Path, monkeypatch) -> None:
    f = tmp_path / "log.txt"
    f.write_bytes(b"small\n")

    real = open  # (the file it stands for: its descriptor is checked to be a regular file)

    class Grown:
        def __init__(self, *_a, **_k):
            self._fh = real(f, "rb")

        def fileno(self) -> int:
            return self._fh.fileno()

        def close(self) -> None:
            self._fh.close()

        def __enter__(self):
            return self

        def __exit__(self, *_exc):
            self.close()
            return False

        def read(self, n: int) -> bytes:
            assert n == MAX_FILE_BYTES + 1  # never more than the limit is read
            return b"x" * n

    monkeypatch.setattr(sources, "open", Grown, raising=False)
    with pytest.raises(SkipFile, match="larger than 20 MB"):
        read_bytes(f)


def test_unreadable_file(tmp_path: Path, monkeypatch) -> None:
    f = tmp_path / "secret.txt"
    f.write_text("text")
    if os.geteuid() != 0:
        f.chmod(0)
    else:  # root reads anything: simulate the refusal

        def refuse(*_a, **_k):  # type: ignore[no-untyped-def]
            raise PermissionError(13, "Permission denied", str(f))

        monkeypatch.setattr(sources, "open", refuse, raising=False)
    try:
        with pytest.raises(Unreadable, match=r"^permission denied, skipped$"):
            read_bytes(f)
    finally:
        f.chmod(0o644)


def test_io_error_and_vanished_file(tmp_path: Path, monkeypatch) -> None:
    with pytest.raises(Unreadable, match=r"^removed while it was being indexed, skipped$"):
        read_bytes(tmp_path / "gone.txt")
    f = tmp_path / "bad-sector.txt"
    f.write_text("x")

    def eio(*_a, **_k):  # type: ignore[no-untyped-def]
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(sources, "open", eio, raising=False)
    with pytest.raises(Unreadable, match=r"^cannot read \(input/output error\), skipped$"):
        read_bytes(f)


def test_content_hash_is_stable_and_short() -> None:
    assert content_hash(b"abc") == content_hash(b"abc") != content_hash(b"abd")
    assert len(content_hash(b"")) == 32


# --- decode ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file, skipped"),
        (b" \n\t\r\n  ", "empty file, skipped"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >>\n", "binary file (PDF), skipped"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (PNG image), skipped"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "binary file (JPEG image), skipped"),
        (b"PK\x03\x04\x14\x00\x06\x00", "binary file (zip archive or office document), skipped"),
        (b"\x1f\x8b\x08\x00", "binary file (gzip archive), skipped"),
        (b"Some text\x00\x01\x02 and more", "binary file, skipped"),
        (bytes(range(128, 256)) * 20, "binary, or text not in UTF-8 (mostly undecodable bytes), skipped"),
    ],
)
def test_not_a_text_document(data: bytes, reason: str) -> None:
    with pytest.raises(SkipFile) as e:
        decode(data)
    assert str(e.value) == reason


def test_invalid_utf8_is_decoded_as_far_as_it_goes() -> None:
    text, warnings = decode("Ali Musa Daqduq \xe9t\xe9 ".encode("latin-1") + "né à Beyrouth".encode())
    assert text.startswith("Ali Musa Daqduq \ufffdt\ufffd né à Beyrouth")
    assert warnings == ["invalid UTF-8 at byte 16; 2 undecodable byte sequence(s) replaced"]


def test_byte_order_marks_and_line_ends() -> None:
    assert decode(b"\xef\xbb\xbfTitle\r\nline\rend") == ("Title\nline\nend", [])
    assert decode("Ali Daqduq علي".encode("utf-16")) == ("Ali Daqduq علي", [])
    assert decode("Ali\r\nDaqduq".encode("utf-16-be").join([b"\xfe\xff", b""])) == ("Ali\nDaqduq", [])


def test_nul_bytes_far_from_the_start_do_not_make_a_text_binary() -> None:
    text, _ = decode(b"Daqduq was here.\n" * 1000 + b"\x00\x00")
    assert text.startswith("Daqduq")


def test_a_line_too_long_to_be_prose_is_refused_quickly() -> None:
    data = b"word " * (2 * 1024 * 1024 // 5)  # 2 MB on one line: under the size limit
    with pytest.raises(SkipFile) as e:
        decode(data)
    assert str(e.value) == "a line of 2,097,150 characters: not a text document, skipped"


def test_long_text_of_ordinary_lines_is_read() -> None:
    data = b"Daqduq was seen in Basra.\n" * 100_000  # 2.6 MB of short lines
    text, warnings = decode(data)
    assert len(text) == len(data) and warnings == []
