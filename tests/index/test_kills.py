"""An index run killed at any stage (kill -9, SIGTERM: while reading, with segments
written, with its entities, its manifest, at the switch) leaves no process behind and
blocks no later run: its writer processes die with it, the lock dies with it, the old
index (or the new one, when the switch was made) answers, and the next run completes.
The stage is told by what the run has written of its new generation."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
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


def _new_generation(index: Path, before: set[str]) -> Path | None:
    made = [g for g in index.glob("gen-*") if g.name not in before]
    return made[0] if made else None


# Where a run is when it is killed, told by what it has written of its new generation.
STAGES: dict[str, Callable[[Path], bool]] = {
    "reading": lambda gen: True,  # the new generation made, its files being read
    "segments": lambda gen: any(gen.glob("MAIN_*.pst")),
    "entities": lambda gen: (gen / "entities.json").exists(),
    "manifest": lambda gen: (gen / "manifest.json").exists(),
    "switch": lambda gen: (gen / "sizes.json").exists(),  # written just before CURRENT
}


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
def test_a_run_killed_at_any_stage_blocks_nothing(tmp_path: Path, how: signal.Signals) -> None:
    corpus = tmp_path / "corpus"
    index = tmp_path / "the-index"
    write_corpus(corpus, 0)
    assert searchdoc("index", str(corpus), "--index", str(index), cwd=tmp_path).returncode == 0
    hit = []
    for version, (stage, reached) in enumerate(STAGES.items(), 1):
        write_corpus(corpus, version)
        before = {g.name for g in index.glob("gen-*")}
        proc = subprocess.Popen([SEARCHDOC, "index", "--index", str(index)], cwd=tmp_path,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                start_new_session=True)
        while proc.poll() is None:  # watch the new generation until the stage is reached
            gen = _new_generation(index, before)
            if gen is not None and reached(gen):
                proc.send_signal(how)
                hit.append(stage)
                break
            time.sleep(0.001)
        _out, err = proc.communicate(timeout=60)
        if how == signal.SIGTERM and proc.returncode != 0:
            assert proc.returncode == 143, err
            assert err.decode().splitlines()[-1] == "searchdoc: terminated"
        deadline = time.monotonic() + 10
        while processes_of(str(index)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert processes_of(str(index)) == [], f"processes left after {how.name} at {stage}"
        query = searchdoc("query", "Daqduq", "--index", str(index), "-c", cwd=tmp_path)
        assert query.returncode == 0, query.stderr  # the old index or the new one answers
        again = searchdoc("index", "--index", str(index), cwd=tmp_path)
        assert again.returncode == 0, again.stderr
        assert "another `searchdoc index` is writing" not in again.stderr
        final = searchdoc("query", f"version {version}", "--index", str(index), "-l",
                          "-n", str(2 * FILES), cwd=tmp_path)
        assert len(final.stdout.splitlines()) == FILES, stage  # complete
    # (a stage the run passed too fast to be caught is not a failure; most are caught)
    assert len(hit) >= 3, hit
