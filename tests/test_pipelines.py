"""searchdoc in shell pipelines: batch answers as soon as each query is read, `| head`
ends quietly, TSV for cut and awk, and a progress bar only on a terminal."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import THINK_TANK, WIKI
from searchdoc.output import ProgressBar

SEARCHDOC = str(Path(sys.executable).parent / "searchdoc")


def env_for(index: Path) -> dict[str, str]:
    return {**os.environ, "SEARCHDOC_INDEX": str(index), "NO_COLOR": "1"}


class Lines:
    """Lines of a pipe as they arrive, each waited for with a timeout (no read-ahead that
    would hide from select() what is already buffered)."""

    def __init__(self, fd: int) -> None:
        self.fd, self.buf = fd, b""

    def next(self, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            ready, _, _ = select.select([self.fd], [], [], max(0, deadline - time.monotonic()))
            assert ready, "no answer: the query was not answered before the next one was sent"
            data = os.read(self.fd, 65536)
            assert data, "the output ended"
            self.buf += data
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode() + "\n"


# --- batch mode -----------------------------------------------------------------------------


def test_batch_answers_each_query_as_soon_as_it_is_read(built: Path) -> None:
    proc = subprocess.Popen([SEARCHDOC, "query", "-", "--json", "--limit", "1"], cwd=built,
                            env=env_for(built / "index"), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
    assert proc.stdin and proc.stdout and proc.stderr
    out = Lines(proc.stdout.fileno())
    try:
        answers = []
        for q in ("Hamid the Mute", "Golan Project", "Daqduq"):
            proc.stdin.write(q + "\n")
            proc.stdin.flush()  # stdin stays open: the answer must come without it closing
            answers.append(json.loads(out.next()))
        assert [a["query"] for a in answers] == ["Hamid the Mute", "Golan Project", "Daqduq"]
        assert answers[0]["source"] == THINK_TANK
        proc.stdin.close()
        assert proc.wait(timeout=20) == 0
        assert os.read(proc.stdout.fileno(), 100) == b"" and proc.stderr.read() == ""
    finally:
        proc.kill()
        proc.wait()


def test_batch_in_text_mode_marks_each_query_and_misses(built: Path) -> None:
    proc = subprocess.Popen([SEARCHDOC, "query", "-", "--limit", "1"], cwd=built,
                            env=env_for(built / "index"), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
    assert proc.stdin and proc.stdout and proc.stderr
    out = Lines(proc.stdout.fileno())
    try:
        proc.stdin.write("Xylophonic Quasar\n")
        proc.stdin.flush()
        assert out.next() == "== Xylophonic Quasar\n"
        assert out.next() == "   (no match)\n"
        assert out.next() == "\n"
        proc.stdin.write("Hamid the Mute\n")
        proc.stdin.flush()
        assert out.next() == "== Hamid the Mute\n"
        assert out.next().startswith("1. ")
    finally:
        proc.stdin.close()
        proc.wait(timeout=20)
    assert proc.returncode == 0


def test_batch_without_any_hit_exits_1(built: Path, run) -> None:
    r = run("query", "-", "--json", stdin="Xylophonic Quasar\n\n   \nZzyzx Qwfp\n")
    assert (r.code, r.out, r.err) == (1, "", "")


# --- | head ---------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["query", "-", "--json"], ["query", "-"], ["query", "-", "--tsv"]],
                         ids=["json", "text", "tsv"])
def test_head_ends_it_quietly(built: Path, tmp_path: Path, args: list[str]) -> None:
    queries = tmp_path / "queries"
    queries.write_text("Daqduq\nHamid the Mute\nGolan Project\n" * 300)  # far more than a pipe holds
    cmd = f'{SEARCHDOC} {" ".join(args)} < {queries} | head -1; echo "status=${{PIPESTATUS[0]}}"'
    # (the timeout guards a hang: it stops at the broken pipe, not at the end)
    r = subprocess.run(["bash", "-c", cmd], cwd=built, env=env_for(built / "index"),
                       capture_output=True, text=True, timeout=60)
    assert r.stderr == ""  # no BrokenPipeError, no "Exception ignored"
    first, status = r.stdout.splitlines()
    assert status == "status=0"
    assert "Daqduq" in first


def test_head_on_a_single_long_answer(built: Path) -> None:
    cmd = f"{SEARCHDOC} query Daqduq --limit 100 --json | head -c 10; echo; echo status=${{PIPESTATUS[0]}}"
    r = subprocess.run(["bash", "-c", cmd], cwd=built, env=env_for(built / "index"),
                       capture_output=True, text=True, timeout=60)
    assert r.stderr == ""
    assert r.stdout.splitlines()[-1] == "status=0"


# --- TSV ------------------------------------------------------------------------------------


def test_tsv_one_line_per_hit_for_cut(built: Path, run) -> None:
    tsv = run("query", "Daqduq", "--tsv", "--limit", "50")
    hits = run("query", "Daqduq", "--json", "--limit", "50").json()
    assert tsv.code == 0 and tsv.err == ""
    lines = tsv.out.splitlines()
    assert len(lines) == len(hits) > 10
    for line, hit in zip(lines, hits):
        query, rank, score, source, line_start, text = line.split("\t")  # exactly six fields
        assert query == "Daqduq"
        assert int(rank) == hit["rank"]
        assert float(score) == pytest.approx(hit["score"], abs=1e-4)
        assert source == hit["source"]
        assert int(line_start) == hit["line_start"]
        assert text == " ".join(hit["text"].split())
    assert {line.split("\t")[3] for line in lines} == {THINK_TANK, WIKI}


def test_tsv_cleans_tabs_and_newlines_from_the_query(built: Path, run) -> None:
    r = run("query", "-", "--tsv", "--limit", "2", stdin="Hamid\tthe  Mute\r\n")
    assert r.code == 0 and len(r.out.splitlines()) == 2  # two hits: the loop below checks them
    for line in r.out.splitlines():
        fields = line.split("\t")
        assert len(fields) == 6
        assert fields[0] == "Hamid the Mute"


def test_tsv_with_a_tab_and_a_newline_in_a_file_name(tmp_path: Path, run, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "odd\tname\n.txt").write_text("Odd\n\nDaqduq in an odd file.\n")
    assert run("index", "d").code == 0
    r = run("query", "Daqduq", "--tsv")
    assert r.out.splitlines() == ["Daqduq\t1\t" + r.out.split("\t")[2] + "\td/odd name .txt\t3\t"
                                  "Daqduq in an odd file."]
    assert run("query", "Daqduq", "--json").json()[0]["source"] == "d/odd\tname\n.txt"


def test_tsv_through_cut_and_sort(built: Path) -> None:
    cmd = f"{SEARCHDOC} query Daqduq --tsv --limit 100 | cut -f4 | sort -u"
    r = subprocess.run(["bash", "-c", cmd], cwd=built, env=env_for(built / "index"),
                       capture_output=True, text=True, timeout=60)
    assert r.stdout.splitlines() == sorted([THINK_TANK, WIKI])
    assert r.stderr == ""


# --- the progress bar -----------------------------------------------------------------------


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def screen(written: str) -> list[str]:
    """The lines a terminal shows after `written`: carriage return, line feed, cursor up
    (ESC [ n A) and erase line (ESC [ K, ESC [ 2 K); other escapes are ignored."""
    rows, row, col = [""], 0, 0
    for token in re.findall(r"\x1b\[[0-9;?]*[A-Za-z]|\r|\n|[^\x1b\r\n]+", written):
        if token == "\r":
            col = 0
        elif token == "\n":
            row, col = row + 1, 0
            rows += [""] * (row + 1 - len(rows))
        elif token.startswith("\x1b["):
            if token.endswith("A"):
                row = max(0, row - int(token[2:-1] or 1))
            elif token.endswith("K"):
                rows[row] = rows[row][:col] if token[2:-1] in ("", "0") else ""
        else:
            rows[row] = rows[row][:col].ljust(col) + token + rows[row][col + len(token):]
            col += len(token)
    return [r.rstrip() for r in rows if r.strip()]


def test_progress_bar_is_one_line_redrawn_in_place(monkeypatch) -> None:
    monkeypatch.setattr(ProgressBar, "_EVERY", 0.0)
    stream = FakeTerminal()
    bar = ProgressBar(stream)
    assert bar.enabled
    frames = []
    for n in range(1, 41):
        bar("reading", n, 40)
        frames.append(screen(stream.getvalue()))
    assert frames[0] == [frames[0][0]] and frames[0][0].startswith("searchdoc: reading  ")
    assert frames[0][0].endswith(" 1/40 files 0:00:00")
    assert re.fullmatch(r"searchdoc: reading  ━{40} 40/40 files 0:00:0\d", frames[-1][0])
    bar.message("docs/a.pdf: binary file, skipped")  # a report line goes above the bar
    bar("indexing", 40, 40)
    shown = screen(stream.getvalue())
    assert shown[0] == "searchdoc: docs/a.pdf: binary file, skipped"
    assert len(shown) == 2 and shown[1].startswith("searchdoc: indexing ━")
    bar.clear()  # erased before the summary line is written
    assert screen(stream.getvalue()) == ["searchdoc: docs/a.pdf: binary file, skipped"]


def test_progress_bar_only_for_many_files_and_only_on_a_terminal() -> None:
    tty = FakeTerminal()
    ProgressBar(tty)("reading", 20, 20)  # 20 files: too few to bother
    assert tty.getvalue() == ""
    pipe = io.StringIO()
    bar = ProgressBar(pipe)
    assert not bar.enabled
    bar("reading", 500, 1000)
    bar.clear()
    assert pipe.getvalue() == ""


def _write_docs(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        (folder / f"d{i:03d}.txt").write_text(f"Doc {i}\n\nDaqduq appears in document {i}.\n")


def test_no_progress_bar_in_a_pipe(tmp_path: Path) -> None:
    _write_docs(tmp_path / "docs", 30)
    r = subprocess.run([SEARCHDOC, "index", "docs"], cwd=tmp_path, env=env_for(tmp_path / "index"),
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0
    assert r.stderr == ("searchdoc: indexed: 30 added, 0 updated, 0 removed, 0 unchanged, "
                        "0 skipped (30 passages)\n")


def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    _write_docs(tmp_path / "docs", 30)
    (tmp_path / "docs" / "x.bin").write_bytes(b"\x00\x01")
    master, slave = pty.openpty()
    proc = subprocess.Popen([SEARCHDOC, "index", "docs"], cwd=tmp_path,
                            env=env_for(tmp_path / "index"), stdout=subprocess.PIPE,
                            stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    chunks = []
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 30)
            assert ready, "timed out"
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: the other end is closed
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(master)
        proc.wait(timeout=30)
    assert proc.returncode == 0
    err = b"".join(chunks).decode().replace("\r\n", "\n")  # the terminal turns \n into \r\n
    assert "searchdoc: indexing " in err and " 31/31 files" in err
    assert screen(err) == [  # what stays on the screen: the report line and the summary
        "searchdoc: docs/x.bin: binary file, skipped",
        "searchdoc: indexed: 30 added, 0 updated, 0 removed, 0 unchanged, 1 skipped (30 passages)",
    ]
