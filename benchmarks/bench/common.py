"""Shared helpers of the benchmarks: child processes measured (time, memory of the process
tree), the searchdoc executable and its output, small figures."""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent.parent  # (benchmarks/bench/common.py)
PERF = REPO_ROOT / "benchmarks" / "perf.py"  # the entry point, run again for the floor


CACHE_DIR = REPO_ROOT / "benchmarks" / ".cache"


LIMIT = 10


COLD_RUNS = 9


PASSAGES_RE = re.compile(r"(\d[\d,]*)\s+passages?\b", re.IGNORECASE)


MIB = 2**20


Json = dict[str, Any]


class BenchmarkError(Exception):
    """The benchmark cannot run (exit status 2)."""


def log(message: str) -> None:
    """Progress line on stderr."""
    print(f"[perf {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@dataclass
class Run:
    """One finished child process."""

    argv: list[str]
    seconds: float
    exit_code: int
    peak_rss_kb: int | None
    stdout: Path
    stderr: Path
    tree_pss_kb: int | None = None  # peak of the summed PSS of the process and its children
    tree_rss_kb: int | None = None  # peak of their summed RSS (shared pages counted twice)

    def out_text(self) -> str:
        return self.stdout.read_text(encoding="utf-8", errors="replace")

    def err_tail(self, chars: int = 600) -> str:
        return self.stderr.read_text(encoding="utf-8", errors="replace")[-chars:]


def run_measured(
    argv: Sequence[str], logdir: Path, *, stdin: Path | None = None, timeout: float = 3600
) -> Run:
    """Run argv with stdout/stderr to files; wall time and the child's own peak RSS.

    os.wait4 returns the resource usage of that one child (and of the descendants it
    waited for), so the peak RSS is not mixed with earlier children of this process.
    """
    logdir.mkdir(parents=True, exist_ok=True)
    stem = f"{time.monotonic_ns()}"
    out_path, err_path = logdir / f"{stem}.out", logdir / f"{stem}.err"
    with open(out_path, "wb") as out, open(err_path, "wb") as err, _stdin(stdin) as inp:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdin=inp, stdout=out, stderr=err)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        sampler = _TreeMemory(proc.pid)
        try:
            code, rss = _wait(proc)
        finally:
            timer.cancel()
            sampler.stop()
        seconds = time.perf_counter() - start
    return Run(list(argv), seconds, code, rss, out_path, err_path,
               sampler.peak_pss_kb, sampler.peak_rss_kb)


class _TreeMemory:
    """Samples, every 0.1 s, the memory of a process and of every process under it (a
    build may fork writer processes: wait4 reports only the largest one). Linux /proc
    only; peaks stay None elsewhere."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_pss_kb: int | None = None
        self.peak_rss_kb: int | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        if Path(f"/proc/{pid}").exists():
            self._thread.start()

    def stop(self) -> None:
        self._done.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._done.is_set():
            pss = rss = 0
            for pid in self._tree(self.pid):
                p, r = self._memory(pid)
                pss, rss = pss + p, rss + r
            if rss:
                self.peak_pss_kb = max(self.peak_pss_kb or 0, pss)
                self.peak_rss_kb = max(self.peak_rss_kb or 0, rss)
            self._done.wait(0.1)

    def _tree(self, pid: int) -> list[int]:
        pids = [pid]
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as fh:
                    for child in fh.read().split():
                        pids += self._tree(int(child))
        except OSError:
            pass
        return pids

    @staticmethod
    def _memory(pid: int) -> tuple[int, int]:
        pss = rss = 0
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        pss = int(line.split()[1])
                    elif line.startswith("Rss:"):
                        rss = int(line.split()[1])
        except (OSError, ValueError):
            pass
        return pss, rss


def _stdin(path: Path | None) -> Any:
    return open(path, "rb") if path else open(os.devnull, "rb")


def _wait(proc: subprocess.Popen[bytes]) -> tuple[int, int | None]:
    """Reap proc; exit code and peak RSS in KiB (None where wait4 does not exist)."""
    if not hasattr(os, "wait4"):
        return proc.wait(), None
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
    return proc.returncode, rss


def mb(kib: int | None) -> float | None:
    return None if kib is None else round(kib / 1024, 1)


def dir_size(path: Path) -> int:
    """Bytes of all regular files below path."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def find_searchdoc() -> Path:
    """The searchdoc executable next to this interpreter, else on PATH."""
    beside = Path(sys.executable).parent / "searchdoc"
    if beside.exists():
        return beside
    found = shutil.which("searchdoc")
    if not found:
        raise BenchmarkError("searchdoc executable not found: run `pip install -e '.[test]'`")
    return Path(found)


def self_argv(*args: str) -> list[str]:
    return [sys.executable, str(PERF), *args]


@dataclass
class Searchdoc:
    """Runs the searchdoc CLI as a user would and notes misbehaviour in problems."""

    exe: Path
    logs: Path
    problems: list[str]

    def run(self, *args: str, stdin: Path | None = None, ok: Sequence[int] = (0,)) -> Run:
        run = run_measured([str(self.exe), *args], self.logs, stdin=stdin)
        if run.exit_code not in ok:
            self.problems.append(
                f"`searchdoc {' '.join(args)[:120]}` exited {run.exit_code}"
                f" (expected {'/'.join(map(str, ok))}): {run.err_tail(300)!r}"
            )
        return run

    def version(self) -> str | None:
        try:
            from importlib.metadata import version

            return version("searchdoc")
        except Exception:  # noqa: BLE001 - not installed in this interpreter
            run = run_measured([str(self.exe), "--version"], self.logs)
            return (run.out_text().strip() or None) if run.exit_code == 0 else None


def count_passages(obj: Any) -> int | None:
    """Passages in `searchdoc sources --json` output, whatever its exact shape."""
    keys = ("total_passages", "passages", "passage_count", "n_passages", "num_passages")
    if isinstance(obj, dict):
        for key in keys:
            value = obj.get(key)
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            if isinstance(value, list) and key == "passages":
                return len(value)
        if isinstance(obj.get("sources"), list):
            return count_passages(obj["sources"])
        return None
    if isinstance(obj, list):
        counts = [c for c in map(count_passages, obj) if c is not None]
        return sum(counts) if counts else None
    return None


def parse_json_output(text: str) -> Any:
    """A JSON document, or the list of objects of JSON Lines; None if neither."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    except ValueError:
        return None


def passages_in_index(sd: Searchdoc, index_dir: Path, build: Run) -> int | None:
    """From `searchdoc sources --json`, else from the build's printed summary."""
    run = run_measured([str(sd.exe), "sources", "--json", "--index", str(index_dir)], sd.logs)
    if run.exit_code == 0:
        count = count_passages(parse_json_output(run.out_text()))
        if count is not None:
            return count
    found = PASSAGES_RE.findall(build.out_text() + "\n" + build.err_tail(5000))
    return int(found[-1].replace(",", "")) if found else None


def seconds_of(run: Run, ok: Sequence[int] = (0,)) -> float | None:
    """The run's wall time, or None when it failed (the time of a crash means nothing)."""
    return round(run.seconds, 3) if run.exit_code in ok else None


def per_second(count: int | None, seconds: float | None) -> float | None:
    return round(count / seconds, 1) if count and seconds else None


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def _median(values: Sequence[float | None]) -> float | None:
    good = [v for v in values if v is not None]
    return round(statistics.median(good), 4) if good else None
