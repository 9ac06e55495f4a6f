"""An index run killed anywhere (kill -9, SIGTERM) leaves no process behind and blocks no
later run: its writer processes die with it, the lock dies with it, the old index (or
the new one, when the switch was made) answers, and the next run completes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SEARCHDOC = str(Path(sys.executable).parent / "searchdoc")
FILES = 240  # about 600 KB: the run forks its writer processes

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads /proc to find the processes left")


def write_corpus(folder: Path, version: int) -> None:
    folder.mkdir(exist_ok=True)
    for k in range(FILES):
        lines = [f"Report {k} version {version}", ""]
        lines += [f"Ali Musa Daqduq met officer {k}-{j} in Basra; the meeting of version "
                  f"{version} was recorded by the court in paragraph {j}." for j in range(20)]
        (folder / f"r{k:03d}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")


def processes_of(marker: str) -> list[int]:
    """The pids of the processes whose command line holds `marker` (the run's index)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            state = (entry / "stat").read_text().split(") ", 1)[1][:1]
        except OSError:
            continue
        if marker.encode() in cmdline and state != "Z":
            found.append(int(entry.name))
    return found


def searchdoc(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SEARCHDOC, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "NO_COLOR": "1"})


def test_a_run_killed_at_any_point_blocks_nothing(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    index = tmp_path / "the-index"
    write_corpus(corpus, 0)
    assert searchdoc("index", str(corpus), "--index", str(index), cwd=tmp_path).returncode == 0
    started = time.monotonic()
    write_corpus(corpus, 1)
    assert searchdoc("index", "--index", str(index), cwd=tmp_path).returncode == 0
    whole = time.monotonic() - started
    for point in range(10):  # from reading the files to the switch
        write_corpus(corpus, point + 2)
        proc = subprocess.Popen([SEARCHDOC, "index", "--index", str(index)], cwd=tmp_path,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                start_new_session=True)
        time.sleep(whole * (point + 0.5) / 10)
        how = signal.SIGKILL if point % 2 == 0 else signal.SIGTERM
        proc.send_signal(how)
        _out, err = proc.communicate(timeout=60)
        if how == signal.SIGTERM and proc.returncode not in (0,):
            assert proc.returncode == 143 and err.decode().splitlines()[-1] == \
                "searchdoc: terminated", err
        deadline = time.monotonic() + 10
        while processes_of(str(index)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert processes_of(str(index)) == [], f"processes left after {how.name} at {point}"
        query = searchdoc("query", "Daqduq", "--index", str(index), "-c", cwd=tmp_path)
        assert query.returncode == 0, query.stderr  # the old index or the new one answers
        again = searchdoc("index", "--index", str(index), cwd=tmp_path)
        assert again.returncode == 0, again.stderr
        assert "another `searchdoc index` is writing" not in again.stderr
        final = searchdoc("query", f"version {point + 2}", "--index", str(index), "-l",
                          "-n", str(2 * FILES), cwd=tmp_path)
        assert len(final.stdout.splitlines()) == FILES, point  # complete
