#!/usr/bin/env python3
"""Performance benchmark of the searchdoc CLI against a plain-whoosh floor.

How to run (from the repository root, in a venv where `pip install -e '.[test]'` was done)::

    python benchmarks/perf.py                  # Debian package descriptions corpus
    python benchmarks/perf.py --corpus DIR     # any folder of .txt/.md files
    python benchmarks/perf.py --scale --out perf.json
    python benchmarks/perf.py --corpus seeds --pdf 200 --pdf-only   # PDF indexing alone

One JSON object is printed on stdout; progress goes to stderr.  Exit status: 0 when the
benchmark ran (whether or not the budget is met), 2 when it could not run (no corpus,
no searchdoc executable, ...).

Corpus.  By default the Debian package descriptions of `apt-cache dumpavail`, merged with
the long descriptions of apt's Translation-en files (when these are missing and we run as
root, `apt-get update -o Acquire::Languages=en` fetches them; `--no-apt-update` never runs
apt-get).  ~30 packages per file (`debian-0001.txt`, ...): a `= Debian packages 0001 =`
title, then per package a `== name ==` heading, its synopsis and its long-description
paragraphs.  Cached under benchmarks/.cache/ keyed by the hash of the apt data.

Queries.  `--queries N` (default 500) queries of 1-3 words drawn with random.Random(0) from
the corpus words (alphabetic, >= 4 letters, weighted by frequency), plus the `query` column
of ../shared/data/sdn_aliases_dev.tsv unless `--no-names`.  Duplicates are dropped.

Figures (all times are wall-clock seconds unless the name says ms):
- floor.build: plain whoosh (StemmingAnalyzer, one document per blank-line separated
  paragraph, `ix.writer()` defaults) building its index in a child process: seconds
  (process wall time), paragraphs, paragraphs_per_s, peak_rss_mb (that child's own max
  RSS, from os.wait4), index_mb (bytes on disk / 2**20).
- floor.query: one process, one searcher reused, QueryParser(group=OrGroup); ms_per_query
  times parse + search top 10 + reading the stored fields of every hit (index opening and
  interpreter start are excluded); hits_per_query, zero_hit_queries, per query set too.
- floor.ripgrep: median of 5 `rg -i -F -c WORD CORPUS` runs in seconds, null without rg.
- searchdoc.build: `searchdoc index CORPUS --index NEWDIR --rebuild`: seconds, passages
  (from `searchdoc sources --json`, else the build's own summary), passages_per_s,
  files_per_s, peak_rss_mb (the child's own), tree_peak_pss_mb and tree_peak_rss_mb (the
  summed PSS / RSS of the child and the writer processes it forks, sampled every 0.1 s
  from /proc; the budget uses the PSS, or the child's own peak where larger), index_mb.
- searchdoc.reindex_unchanged: `searchdoc index` again on the unchanged folder, seconds.
- searchdoc.query_batch: ONE `searchdoc query - --json --limit 10` process fed every query
  on stdin: seconds, ms_per_query (= seconds / queries, so it includes the process start
  and index opening: a conservative figure), ms_per_query_net (same minus the median cold
  query time), hits_per_query, zero_hit_queries, per query set too.
- searchdoc.cold_query: median of 9 `searchdoc query WORD --index DIR` processes, seconds,
  after byte-compiling the package (bytecode_compiled), as installing it from a wheel does.
- ratios: searchdoc / floor for build time, ms per query, index size and build memory.
- budget: each check with value, limit and ok (build <= 2x floor, unchanged reindex < 1 s,
  query ms <= 1.5x floor, cold query < 0.3 s, size <= 2.5x floor, build memory (process
  tree) < 1 GiB).
- scale (with --scale, instead of the figures above): the corpus copied 1, 4 and 16 times
  (`--scale-factors`; copy j under copy-0j/, its headings marked "(j)": distinct passages,
  and the copies of one file far apart in sorted order). Per size: both engines' build
  (seconds, passages per second, searchdoc's peak summed PSS of the process tree, index
  size, segments), searchdoc's no-op re-index (median of 3), its word and name batches and
  whoosh's, the cold query; `change`: 1% of the files (`--change-share`) given a revised
  paragraph, `searchdoc index` against whoosh deleting and adding their paragraphs again
  in one commit (ratio); `updates`: 100 more updates (`--updates`) of 0.1% of the files
  each (`--update-share`), their median and largest time, the segments after, and the
  batches again and on a fresh build of the files as they now are (`drift`: after the
  updates / the fresh build of the same files, per kind and for all queries;
  `drift_vs_first_build`: against the first build, which held less text). `curve`: one line
  per size; `budget`: the targets of issue 16 (build memory < 1 GiB at the largest size,
  no-op < 0.5 s and cold query < 0.2 s at 4x, change <= 1.2x whoosh, drift <= 1.1, build
  <= 2x whoosh).
- pdf (with --pdf N): N pages of the corpus text (its paragraphs in order, again from the
  start when they run out) set in PDFs of up to 20 pages by tests/readers/makers.py, and
  the same paragraphs in .txt files of the same grouping; `searchdoc index --rebuild` of
  each folder: seconds, pages_per_s, passages, and text_seconds / pdf_over_text for the
  text files (`--pdf-only`: this section alone, without the rest of the benchmark).
- problems: unexpected exit codes, crashes and malformed output seen along the way.

Temporary indexes live in a tempfile directory, removed at the end unless `--keep`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = REPO_ROOT / "benchmarks" / ".cache"
NAMES_TSV = REPO_ROOT.parent / "shared" / "data" / "sdn_aliases_dev.tsv"
APT_LISTS = Path("/var/lib/apt/lists")
APT_HELPER = Path("/usr/lib/apt/apt-helper")
CORPUS_FORMAT = 1  # bump when the generated corpus layout changes (invalidates the cache)
PACKAGES_PER_FILE = 30
LIMIT = 10
COLD_RUNS = 9
SCALE_FACTORS = (1, 4, 16)
WORD_RE = re.compile(r"[^\W\d_]{4,}")
PARAGRAPH_SPLIT_RE = re.compile(r"\n[ \t]*\n")
PASSAGES_RE = re.compile(r"(\d[\d,]*)\s+passages?\b", re.IGNORECASE)
MIB = 2**20

Json = dict[str, Any]


class BenchmarkError(Exception):
    """The benchmark cannot run (exit status 2)."""


def log(message: str) -> None:
    """Progress line on stderr."""
    print(f"[perf {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- processes


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


# ------------------------------------------------------------------------------ corpus


def corpus_files(corpus: Path) -> list[Path]:
    """The .txt/.md files of a folder, sorted by relative path."""
    files = [p for p in corpus.rglob("*") if p.suffix in (".txt", ".md") and p.is_file()]
    return sorted(files, key=lambda p: p.relative_to(corpus).as_posix())


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks, stripped, empty ones dropped."""
    return [block.strip() for block in PARAGRAPH_SPLIT_RE.split(text) if block.strip()]


def apt_dumpavail() -> str:
    result = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True)
    return result.stdout if result.returncode == 0 else ""


def apt_update(allowed: bool) -> bool:
    """`apt-get update` with English translations, when allowed and running as root."""
    if not allowed or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return False
    log("apt-get update -o Acquire::Languages=en ...")
    cmd = ["apt-get", "update", "-qq", "-o", "Acquire::Languages=en"]
    return subprocess.run(cmd, capture_output=True).returncode == 0


def translation_files() -> list[Path]:
    return sorted(APT_LISTS.glob("*_i18n_Translation-en*"))


def read_apt_list(path: Path) -> str:
    """Decompressed text of an apt list file (apt-helper handles lz4/zstd/xz/gz)."""
    if APT_HELPER.exists():
        result = subprocess.run([str(APT_HELPER), "cat-file", str(path)], capture_output=True)
        if result.returncode == 0:
            return result.stdout.decode("utf-8", errors="replace")
    return read_text(path) if path.suffix not in (".lz4", ".zst", ".xz", ".gz") else ""


def stanzas(text: str) -> Iterable[dict[str, list[str]]]:
    """Deb822 stanzas: field name -> [first line, continuation lines without the space]."""
    for block in re.split(r"\n\s*\n", text):
        fields: dict[str, list[str]] = {}
        current: list[str] | None = None
        for line in block.splitlines():
            if line.startswith((" ", "\t")) and current is not None:
                current.append(line[1:])
            elif ":" in line:
                name, value = line.split(":", 1)
                current = fields[name] = [value.strip()]
        if fields:
            yield fields


def long_description(lines: list[str]) -> list[str]:
    """Paragraphs of a long description (" ." lines are paragraph breaks)."""
    paras: list[str] = []
    current: list[str] = []
    for line in lines:
        if line.strip() == ".":
            paras.append("\n".join(current))
            current = []
        else:
            current.append(line.rstrip())
    paras.append("\n".join(current))
    return [p for p in paras if p.strip()]


def load_translations(texts: Iterable[str]) -> dict[tuple[str, str], list[str]]:
    """(package, description md5) and (package, "") -> long description lines."""
    table: dict[tuple[str, str], list[str]] = {}
    for text in texts:
        for st in stanzas(text):
            desc = st.get("Description-en")
            if "Package" not in st or not desc:
                continue
            pkg, md5 = st["Package"][0], st.get("Description-md5", [""])[0]
            table[(pkg, md5)] = desc[1:]
            table.setdefault((pkg, ""), desc[1:])
    return table


def debian_packages(dump: str, translations: dict[tuple[str, str], list[str]]) -> list[Json]:
    """Packages sorted by name: name, synopsis, long-description paragraphs."""
    packages = {}
    for st in stanzas(dump):
        if "Package" not in st or "Description" not in st:
            continue
        name, desc = st["Package"][0], st["Description"]
        body = desc[1:]
        if not body:
            md5 = st.get("Description-md5", [""])[0]
            body = translations.get((name, md5)) or translations.get((name, ""), [])
        packages[name] = {"name": name, "synopsis": desc[0], "long": long_description(body)}
    return [packages[name] for name in sorted(packages)]


def render_debian_file(number: int, packages: list[Json]) -> str:
    """One corpus file: title, then per package a heading, synopsis and paragraphs."""
    blocks = [f"= Debian packages {number:04d} ="]
    for pkg in packages:
        blocks += [f"== {pkg['name']} ==", pkg["synopsis"], *pkg["long"]]
    return "\n\n".join(blocks) + "\n"


def write_debian_corpus(packages: list[Json], target: Path) -> None:
    """Write the files into target/corpus atomically (temp folder, then rename)."""
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=target.parent))
    (staging / "corpus").mkdir()
    for start in range(0, len(packages), PACKAGES_PER_FILE):
        number = start // PACKAGES_PER_FILE + 1
        group = packages[start : start + PACKAGES_PER_FILE]
        path = staging / "corpus" / f"debian-{number:04d}.txt"
        path.write_text(render_debian_file(number, group), encoding="utf-8")
    manifest = {
        "packages": len(packages),
        "with_long_description": sum(1 for p in packages if p["long"]),
        "files": -(-len(packages) // PACKAGES_PER_FILE),
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    if target.exists():
        shutil.rmtree(target)
    os.replace(staging, target)


def apt_sources(allow_update: bool) -> tuple[str, list[str]]:
    """dumpavail text and Translation-en texts, running apt-get update when needed."""
    updated = False
    if not translation_files():
        updated = apt_update(allow_update)
    dump = apt_dumpavail()
    if not dump.strip() and not updated:
        updated = apt_update(allow_update)
        dump = apt_dumpavail()
    if not dump.strip():
        raise BenchmarkError(
            "`apt-cache dumpavail` printed nothing (run `apt-get update` as root, "
            "or pass --corpus DIR with a folder of .txt/.md files)"
        )
    return dump, [read_apt_list(p) for p in translation_files()]


def debian_corpus(allow_update: bool) -> tuple[Path, Json]:
    """The cached Debian corpus folder (built when missing) and its description."""
    dump, translations = apt_sources(allow_update)
    digest = hashlib.sha256(f"format {CORPUS_FORMAT}\n".encode())
    for text in (dump, *translations):
        digest.update(text.encode("utf-8", errors="replace"))
    key = digest.hexdigest()[:16]
    target = CACHE_DIR / f"debian-{key}"
    cached = (target / "manifest.json").exists()
    if not cached:
        log("building the Debian corpus from apt-cache dumpavail ...")
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        write_debian_corpus(debian_packages(dump, load_translations(translations)), target)
        _drop_stale_caches(keep=target)
    meta = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    return target / "corpus", {"source": "debian", "cache_key": key, "cached": cached, **meta}


def _drop_stale_caches(keep: Path) -> None:
    for old in CACHE_DIR.glob("debian-*"):
        if old != keep and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


# ----------------------------------------------------------------------------- queries


@dataclass
class QuerySet:
    """All queries in order, with the name of the set each one came from."""

    queries: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set, repr=False)

    def add(self, query: str, kind: str) -> bool:
        """Append a whitespace-normalised query; False for an empty or repeated one."""
        query = " ".join(query.split())
        if not query or query in self._seen:
            return False
        self._seen.add(query)
        self.queries.append(query)
        self.kinds.append(kind)
        return True

    def counts(self) -> dict[str, int]:
        return dict(Counter(self.kinds))


def word_counts(files: list[Path]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for path in files:
        counts.update(w.lower() for w in WORD_RE.findall(read_text(path)))
    return counts


def word_queries(counts: Counter[str], n: int, qs: QuerySet) -> None:
    """n distinct queries of 1-3 words, drawn by frequency with random.Random(0)."""
    vocab = sorted(counts)
    if not vocab:
        return
    weights = [counts[w] for w in vocab]
    rng = random.Random(0)
    added = 0
    for _ in range(n * 50):
        if added == n:
            break
        words = rng.choices(vocab, weights=weights, k=rng.randint(1, 3))
        added += qs.add(" ".join(words), "words")


def name_queries(path: Path, qs: QuerySet) -> None:
    """The `query` column of the SDN aliases TSV."""
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            qs.add(row.get("query") or "", "names")


def build_queries(files: list[Path], n: int, with_names: bool) -> tuple[QuerySet, str]:
    """The query set and the single word used for cold queries and ripgrep."""
    counts = word_counts(files)
    qs = QuerySet()
    word_queries(counts, n, qs)
    if with_names and NAMES_TSV.exists():
        name_queries(NAMES_TSV, qs)
    if not qs.queries:
        raise BenchmarkError("no query could be drawn from the corpus")
    pairs = zip(qs.queries, qs.kinds, strict=True)
    word = next((q for q, k in pairs if k == "words" and " " not in q), qs.queries[0].split()[0])
    return qs, word


def write_queries(qs: QuerySet, path: Path) -> Path:
    path.write_text("".join(q + "\n" for q in qs.queries), encoding="utf-8")
    return path


def hit_stats(qs: QuerySet, hits: list[int]) -> Json:
    """hits_per_query and zero_hit_queries, overall and per query set."""

    def summary(values: list[int]) -> Json:
        return {
            "queries": len(values),
            "hits_per_query": round(statistics.fmean(values), 3) if values else None,
            "zero_hit_queries": sum(1 for v in values if v == 0),
        }

    by_set = {
        kind: summary([h for h, k in zip(hits, qs.kinds, strict=True) if k == kind])
        for kind in sorted(set(qs.kinds))
    }
    return {**summary(hits), "by_set": by_set}


# ------------------------------------------------------------------------- whoosh floor


def floor_build_main(corpus: str, index_dir: str) -> int:
    """Internal child: build the plain-whoosh index, print {"paragraphs", "files"}."""
    from whoosh import index
    from whoosh.analysis.analyzers import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    schema = Schema(path=ID(stored=True), text=TEXT(analyzer=StemmingAnalyzer(), stored=True))
    Path(index_dir).mkdir(parents=True, exist_ok=True)
    ix = index.create_in(index_dir, schema)
    writer = ix.writer()
    files = corpus_files(Path(corpus))
    count = 0
    for path in files:
        rel = path.relative_to(corpus).as_posix()
        for para in paragraphs(read_text(path)):
            writer.add_document(path=rel, text=para)
            count += 1
    writer.commit()
    print(json.dumps({"paragraphs": count, "files": len(files)}))
    return 0


def floor_query_main(index_dir: str, queries_file: str) -> int:
    """Internal child: run every query with one searcher, print seconds and hit counts."""
    from whoosh import index
    from whoosh.qparser.default import QueryParser
    from whoosh.qparser.syntax import OrGroup

    queries = Path(queries_file).read_text(encoding="utf-8").splitlines()
    ix = index.open_dir(index_dir)
    parser = QueryParser("text", ix.schema, group=OrGroup)
    hits, errors = [], 0
    with ix.searcher() as searcher:
        start = time.perf_counter()
        for query in queries:
            try:
                results = searcher.search(parser.parse(query), limit=LIMIT)
                hits.append(sum(1 for hit in results if hit["text"] is not None and hit["path"]))
            except Exception:  # noqa: BLE001 - a query whoosh cannot parse counts as 0 hits
                hits.append(0)
                errors += 1
        seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "hits": hits, "errors": errors}))
    return 0


def self_argv(*args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), *args]


def floor_build(corpus: Path, index_dir: Path, logs: Path) -> Json:
    log(f"floor: whoosh build of {corpus} ...")
    run = run_measured(self_argv("--_floor-build", str(corpus), str(index_dir)), logs)
    if run.exit_code != 0:
        raise BenchmarkError(f"floor build failed ({run.exit_code}): {run.err_tail()}")
    info = json.loads(run.out_text())
    return {
        "seconds": round(run.seconds, 3),
        "paragraphs": info["paragraphs"],
        "files": info["files"],
        "paragraphs_per_s": round(info["paragraphs"] / run.seconds, 1),
        "peak_rss_mb": mb(run.peak_rss_kb),
        "index_mb": round(dir_size(index_dir) / MIB, 2),
    }


def floor_query(index_dir: Path, qs: QuerySet, qfile: Path, logs: Path) -> Json:
    log(f"floor: {len(qs.queries)} queries with one whoosh searcher ...")
    run = run_measured(self_argv("--_floor-query", str(index_dir), str(qfile)), logs)
    if run.exit_code != 0:
        raise BenchmarkError(f"floor query failed ({run.exit_code}): {run.err_tail()}")
    info = json.loads(run.out_text())
    n = len(qs.queries)
    return {
        "seconds": round(info["seconds"], 3),
        "ms_per_query": round(1000 * info["seconds"] / n, 3),
        "process_seconds": round(run.seconds, 3),
        "parse_errors": info["errors"],
        **hit_stats(qs, info["hits"]),
    }


def ripgrep(word: str, corpus: Path, logs: Path) -> Json | None:
    """Median of 5 `rg -i -F -c WORD CORPUS`, or None without rg."""
    rg = shutil.which("rg")
    if not rg:
        return None
    runs = [run_measured([rg, "-i", "-F", "-c", word, str(corpus)], logs) for _ in range(5)]
    return {"word": word, "seconds": round(statistics.median(r.seconds for r in runs), 4)}


# ---------------------------------------------------------------------------- searchdoc


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


def searchdoc_build(sd: Searchdoc, corpus: Path, index_dir: Path, n_files: int) -> Json:
    log(f"searchdoc: index --rebuild of {corpus} ...")
    run = sd.run("index", str(corpus), "--index", str(index_dir), "--rebuild")
    seconds = seconds_of(run)
    passages = passages_in_index(sd, index_dir, run) if seconds is not None else None
    return {
        "seconds": seconds,
        "exit_code": run.exit_code,
        "passages": passages,
        "passages_per_s": per_second(passages, seconds),
        "files_per_s": per_second(n_files, seconds),
        "peak_rss_mb": mb(run.peak_rss_kb),
        "tree_peak_pss_mb": mb(run.tree_pss_kb),
        "tree_peak_rss_mb": mb(run.tree_rss_kb),
        "index_mb": round(dir_size(index_dir) / MIB, 2) if index_dir.exists() else None,
    }


def build_memory(build: Json) -> float | None:
    """The build's memory for the budget: the peak summed PSS of its process tree (its
    writer processes share pages with it), else its own peak RSS."""
    tree = build.get("tree_peak_pss_mb")
    own = build.get("peak_rss_mb")
    return max(v for v in (tree, own) if v is not None) if (tree or own) else None


def searchdoc_reindex(sd: Searchdoc, corpus: Path, index_dir: Path) -> Json:
    log("searchdoc: re-index of the unchanged folder ...")
    run = sd.run("index", str(corpus), "--index", str(index_dir))
    return {"seconds": seconds_of(run), "exit_code": run.exit_code}


def batch_hits(sd: Searchdoc, qs: QuerySet, output: str) -> list[int]:
    """Hits per query (in query order) from the JSON Lines of `searchdoc query -`."""
    per_query: Counter[str] = Counter()
    bad = unknown = too_many = 0
    known = set(qs.queries)
    for line in output.splitlines():
        try:
            query = " ".join(str(json.loads(line)["query"]).split())
        except (ValueError, KeyError, TypeError):
            bad += 1
            continue
        per_query[query] += 1
        unknown += query not in known
    too_many = sum(1 for q in qs.queries if per_query[q] > LIMIT)
    for count, what in (
        (bad, "malformed JSON lines"),
        (unknown, "hits of unknown queries"),
        (too_many, f"queries with more than {LIMIT} hits"),
    ):
        if count:
            sd.problems.append(f"query batch: {count} {what}")
    return [per_query[q] for q in qs.queries]


def searchdoc_batch(sd: Searchdoc, index_dir: Path, qs: QuerySet, qfile: Path) -> Json:
    log(f"searchdoc: {len(qs.queries)} queries through one `searchdoc query -` ...")
    args = ("query", "-", "--json", "--index", str(index_dir), "--limit", str(LIMIT))
    run = sd.run(*args, stdin=qfile, ok=(0, 1))
    hits = batch_hits(sd, qs, run.out_text())
    if run.exit_code == 1 and any(hits):
        sd.problems.append("query batch exited 1 although it printed hits")
    if run.exit_code == 0 and not any(hits):
        sd.problems.append("query batch exited 0 although it printed no hit")
    seconds = seconds_of(run, ok=(0, 1))
    return {
        "seconds": seconds,
        "ms_per_query": None if seconds is None else round(1000 * seconds / len(qs.queries), 3),
        "exit_code": run.exit_code,
        "peak_rss_mb": mb(run.peak_rss_kb),
        **hit_stats(qs, hits),
    }


def compile_package(sd: Searchdoc) -> bool:
    """Byte-compile the installed searchdoc package, as `pip install` of a wheel does: an
    editable install run with PYTHONDONTWRITEBYTECODE=1 would otherwise compile every
    module of it again in each process, and the cold query would time the compiler."""
    python = sys.executable
    try:
        first = sd.exe.read_bytes()[:200].split(b"\n", 1)[0]
        if first.startswith(b"#!") and Path(first[2:].decode().strip()).exists():
            python = first[2:].decode().strip()
    except OSError:
        pass
    code = "import compileall, os, searchdoc; compileall.compile_dir(os.path.dirname(searchdoc.__file__), quiet=1)"
    return subprocess.run([python, "-c", code], capture_output=True).returncode == 0


def searchdoc_cold(sd: Searchdoc, index_dir: Path, word: str) -> Json:
    compiled = compile_package(sd)
    log(f"searchdoc: {COLD_RUNS} cold queries for {word!r} ...")
    runs = [sd.run("query", word, "--index", str(index_dir), ok=(0, 1)) for _ in range(COLD_RUNS)]
    good = [r.seconds for r in runs if r.exit_code in (0, 1)]
    return {
        "word": word,
        "bytecode_compiled": compiled,
        "median_seconds": round(statistics.median(good), 4) if good else None,
        "runs": [round(r.seconds, 4) for r in runs],
        "exit_codes": sorted({r.exit_code for r in runs}),
    }


# ------------------------------------------------------------------------------ report


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a is not None and b else None


def ratios(sd: Json, floor: Json) -> Json:
    return {
        "build_time_ratio": ratio(sd["build"]["seconds"], floor["build"]["seconds"]),
        "query_ms_ratio": ratio(sd["query_batch"]["ms_per_query"], floor["query"]["ms_per_query"]),
        "size_ratio": ratio(sd["build"]["index_mb"], floor["build"]["index_mb"]),
        "memory_ratio": ratio(build_memory(sd["build"]), floor["build"]["peak_rss_mb"]),
    }


def check(value: float | None, limit: float, strict: bool = False) -> Json:
    ok = value is not None and (value < limit if strict else value <= limit)
    return {"value": value, "limit": limit, "ok": ok}


def budget(sd: Json, rat: Json) -> Json:
    checks = {
        "build_time_ratio": check(rat["build_time_ratio"], 2.0),
        "reindex_unchanged_s": check(sd["reindex_unchanged"]["seconds"], 1.0, strict=True),
        "query_ms_ratio": check(rat["query_ms_ratio"], 1.5),
        "cold_query_s": check(sd["cold_query"]["median_seconds"], 0.3, strict=True),
        "size_ratio": check(rat["size_ratio"], 2.5),
        "build_memory_mb": check(build_memory(sd["build"]), 1024.0, strict=True),
    }
    return {**checks, "all_ok": all(c["ok"] for c in checks.values())}


def cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def machine_info(sd: Searchdoc) -> Json:
    try:
        import whoosh

        whoosh_version: str | None = whoosh.versionstring()
    except ImportError:
        whoosh_version = None
    return {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu_model(),
        "searchdoc_version": sd.version(),
        "whoosh_version": whoosh_version,
        "searchdoc_executable": str(sd.exe),
    }


# ---------------------------------------------------------------------------- pipeline


@dataclass
class Bench:
    """Everything one benchmark run shares."""

    corpus: Path
    files: list[Path]
    qs: QuerySet
    word: str
    work: Path
    sd: Searchdoc

    def qfile(self) -> Path:
        path = self.work / "queries.txt"
        return path if path.exists() else write_queries(self.qs, path)


def measure_floor(b: Bench, corpus: Path, tag: str) -> Json:
    index_dir = b.work / f"floor-{tag}"
    build = floor_build(corpus, index_dir, b.work / "logs")
    return {"build": build, "query": floor_query(index_dir, b.qs, b.qfile(), b.work / "logs")}


def measure_searchdoc(b: Bench, corpus: Path, n_files: int, tag: str, full: bool) -> Json:
    index_dir = b.work / f"searchdoc-{tag}"
    result = {"build": searchdoc_build(b.sd, corpus, index_dir, n_files)}
    if full:
        result["reindex_unchanged"] = searchdoc_reindex(b.sd, corpus, index_dir)
    result["query_batch"] = searchdoc_batch(b.sd, index_dir, b.qs, b.qfile())
    if full:
        result["cold_query"] = cold = searchdoc_cold(b.sd, index_dir, b.word)
        batch, cold_s = result["query_batch"], cold["median_seconds"]
        if batch["seconds"] is not None and cold_s is not None:
            net = max(0.0, batch["seconds"] - cold_s)
            batch["ms_per_query_net"] = round(1000 * net / len(b.qs.queries), 3)
    return result


# ------------------------------------------------------------------------------- scale
#
# `--scale`: the corpus copied 1, 4 and 16 times (copy j of every file under copy-0j/, its
# title and headings marked "(j)": distinct, and copies of one file far apart in sorted
# order); per size, both engines built, queried, changed by 1% of the files, and
# searchdoc updated 100 times more.


def write_scaled_corpus(files: list[Path], corpus: Path, factor: int, target: Path) -> Path:
    """`factor` copies of the corpus files under target/copy-01 ... (copy 1 as it is)."""
    for j in range(1, factor + 1):
        folder = target / f"copy-{j:02d}"
        for src in files:
            dst = folder / src.relative_to(corpus)
            dst.parent.mkdir(parents=True, exist_ok=True)
            text = read_text(src)
            if j > 1:
                text = HEADING_RE.sub(lambda m, j=j: f"{m.group(1)} {m.group(2)} ({j}) {m.group(1)}",
                                      text)
            dst.write_text(text, encoding="utf-8")
    return target


HEADING_RE = re.compile(r"^(=+) (.*?) =+$", re.MULTILINE)


def change_files(files: list[Path], share: float, rng: random.Random, stamp: str) -> list[Path]:
    """Change `share` of the files (at least one, chosen by `rng`): a paragraph added at
    the end of each, as a revised file has. Returns them, in order."""
    chosen = sorted(rng.sample(files, max(1, round(len(files) * share))))
    for path in chosen:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"\nRevision {stamp}: this description was revised by its maintainers "
                     "after the release, and the change was noted here.\n")
    return chosen


def floor_update_main(corpus: str, index_dir: str, list_file: str) -> int:
    """Internal child: plain whoosh deleting the paragraphs of the files listed and adding
    them again, one commit (its default merge policy); prints the paragraphs added."""
    from whoosh import index

    ix = index.open_dir(index_dir)
    writer = ix.writer()
    count = 0
    for line in Path(list_file).read_text(encoding="utf-8").splitlines():
        path = Path(line)
        rel = path.relative_to(corpus).as_posix()
        writer.delete_by_term("path", rel)
        for para in paragraphs(read_text(path)):
            writer.add_document(path=rel, text=para)
            count += 1
    writer.commit()
    print(json.dumps({"paragraphs": count}))
    return 0


def split_queries(qs: QuerySet, work: Path) -> dict[str, tuple[QuerySet, Path]]:
    """The query set split by kind ("words", "names"), each with its file."""
    out = {}
    for kind in sorted(set(qs.kinds)):
        sub = QuerySet()
        for q, k in zip(qs.queries, qs.kinds, strict=True):
            if k == kind:
                sub.add(q, k)
        out[kind] = (sub, write_queries(sub, work / f"queries-{kind}.txt"))
    return out


def batch_ms(sd: Searchdoc, index_dir: Path, sub: QuerySet, qfile: Path, runs: int) -> Json:
    """The best of `runs` query batches (one `searchdoc query -` process each)."""
    best = None
    for _ in range(runs):
        got = searchdoc_batch(sd, index_dir, sub, qfile)
        if got["ms_per_query"] is not None and (best is None or
                                                got["ms_per_query"] < best["ms_per_query"]):
            best = got
    return {k: v for k, v in (best or {}).items() if k not in ("by_set", "peak_rss_mb")}


def segment_count(index_dir: Path) -> int | None:
    """Segments of the live generation (one terms file each), else None."""
    try:
        gen = index_dir / (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return len({p.name.split(".")[0] for p in gen.glob("*.trm")})


def scale_point(b: Bench, factor: int, args: argparse.Namespace) -> Json:
    """Every figure of one size of the corpus (see the module docstring)."""
    tag = f"{factor}x"
    root = b.work / f"scale-{tag}"
    log(f"scale {tag}: writing {factor} copies of the corpus ...")
    corpus = write_scaled_corpus(b.files, b.corpus, factor, root / "corpus")
    files = corpus_files(corpus)
    logs = b.work / "logs"
    kinds = split_queries(b.qs, root)
    point: Json = {"factor": factor, "files": len(files),
                   "bytes": sum(p.stat().st_size for p in files)}
    # plain whoosh (--no-floor: not run, its figures and the ratios are None)
    floor_dir = root / "floor"
    fl_build: Json = {"seconds": None, "index_mb": None}
    point["floor"] = {"build": fl_build, "batches": {k: {"ms_per_query": None} for k in kinds}}
    if not args.no_floor:
        fl_build = point["floor"]["build"] = floor_build(corpus, floor_dir, logs)
        for kind, (sub, qfile) in kinds.items():
            got = floor_query(floor_dir, sub, qfile, logs)
            point["floor"]["batches"][kind] = {k: v for k, v in got.items() if k != "by_set"}
    # searchdoc: build, no-op, batches, cold
    index_dir = root / "searchdoc"
    build = searchdoc_build(b.sd, corpus, index_dir, len(files))
    build["segments"] = segment_count(index_dir)
    point["searchdoc"] = sd = {"build": build}
    noop = [searchdoc_reindex(b.sd, corpus, index_dir)["seconds"] for _ in range(3)]
    sd["reindex_unchanged"] = {"median_seconds": _median(noop), "runs": noop}
    sd["batches"] = {kind: batch_ms(b.sd, index_dir, sub, qfile, 2)
                     for kind, (sub, qfile) in kinds.items()}
    sd["cold_query"] = searchdoc_cold(b.sd, index_dir, b.word)
    # a change of 1% of the files: searchdoc's update, whoosh deleting and adding them again
    rng = random.Random(factor)
    changed = change_files(files, args.change_share, rng, "A")
    log(f"scale {tag}: {len(changed)} files changed; searchdoc index ...")
    run = b.sd.run("index", str(corpus), "--index", str(index_dir))
    listing = root / "changed.txt"
    listing.write_text("".join(f"{p}\n" for p in changed), encoding="utf-8")
    floor_seconds = None
    if not args.no_floor:
        log(f"scale {tag}: whoosh deleting and adding them again ...")
        fl_run = run_measured(self_argv("--_floor-update", str(corpus), str(floor_dir),
                                        str(listing)), logs)
        if fl_run.exit_code != 0:
            raise BenchmarkError(f"floor update failed ({fl_run.exit_code}): "
                                 f"{fl_run.err_tail()}")
        floor_seconds = round(fl_run.seconds, 3)
    sd["change"] = {"files": len(changed), "seconds": seconds_of(run),
                    "tree_peak_pss_mb": mb(run.tree_pss_kb),
                    "floor_seconds": floor_seconds,
                    "ratio": ratio(seconds_of(run), floor_seconds)}
    # 100 small updates, then the batches again
    times = []
    log(f"scale {tag}: {args.updates} updates of {args.update_share:.1%} of the files ...")
    for n in range(args.updates):
        change_files(files, args.update_share, rng, f"U{n}")
        times.append(seconds_of(b.sd.run("index", str(corpus), "--index", str(index_dir))))
    good = [t for t in times if t is not None]
    after = {kind: batch_ms(b.sd, index_dir, sub, qfile, 2)
             for kind, (sub, qfile) in kinds.items()}
    # the same files built afresh: the changes added paragraphs, so the drift is measured
    # against a fresh build of the files as they are now (and, for the record, against
    # the first build, which held less text)
    fresh_dir = root / "fresh"
    log(f"scale {tag}: a fresh build of the changed files, for the drift ...")
    fresh_build = searchdoc_build(b.sd, corpus, fresh_dir, len(files))
    fresh = {kind: batch_ms(b.sd, fresh_dir, sub, qfile, 2)
             for kind, (sub, qfile) in kinds.items()}
    shutil.rmtree(fresh_dir, ignore_errors=True)

    def drift(base: Json) -> Json:
        out = {kind: ratio(after[kind].get("ms_per_query"), base[kind].get("ms_per_query"))
               for kind in after}
        out["all"] = ratio(sum((after[k].get("seconds") or 0) for k in kinds),
                           sum((base[k].get("seconds") or 0) for k in kinds))
        return out

    sd["updates"] = {
        "count": args.updates, "files_each": max(1, round(len(files) * args.update_share)),
        "median_seconds": _median(good), "max_seconds": max(good, default=None),
        "total_seconds": round(sum(good), 2), "segments_after": segment_count(index_dir),
        "index_mb_after": round(dir_size(index_dir) / MIB, 2),
        "batches_after": after,
        "fresh_build": {"passages": fresh_build["passages"], "seconds": fresh_build["seconds"],
                        "batches": fresh},
        "drift": drift(fresh),
        "drift_vs_first_build": drift(sd["batches"]),
    }
    point["ratios"] = {
        "build_time": ratio(build["seconds"], fl_build["seconds"]),
        "size": ratio(build["index_mb"], fl_build["index_mb"]),
        "change": sd["change"]["ratio"],
        **{f"{kind}_ms": ratio(sd["batches"][kind].get("ms_per_query"),
                               point["floor"]["batches"][kind]["ms_per_query"])
           for kind in kinds},
    }
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return point


def _median(values: Sequence[float | None]) -> float | None:
    good = [v for v in values if v is not None]
    return round(statistics.median(good), 4) if good else None


def scale_curve(points: list[Json]) -> list[str]:
    """One line per size: the figures the README's Performance section gives."""
    lines = []
    for p in points:
        sd, fl = p["searchdoc"], p["floor"]
        b = sd["build"]
        batches = sd["batches"]
        lines.append(
            f"{p['factor']}x: {b['passages']} passages; build {b['seconds']} s "
            f"({b['passages_per_s']}/s; whoosh {fl['build']['seconds']} s, "
            f"x{p['ratios']['build_time']}), {b['tree_peak_pss_mb']} MB PSS, "
            f"{b['index_mb']} MB (x{p['ratios']['size']}); no-op "
            f"{sd['reindex_unchanged']['median_seconds']} s; 1% change "
            f"{sd['change']['seconds']} s (whoosh {sd['change']['floor_seconds']} s, "
            f"x{sd['change']['ratio']}); {sd['updates']['count']} updates: median "
            f"{sd['updates']['median_seconds']} s, drift {sd['updates']['drift']} (against the "
            f"first build {sd['updates']['drift_vs_first_build']}); cold "
            f"{sd['cold_query']['median_seconds']} s; ms/query "
            + ", ".join(f"{k} {batches[k].get('ms_per_query')} (whoosh "
                        f"{fl['batches'][k]['ms_per_query']})" for k in batches))
    return lines


def scale_budget(points: list[Json]) -> Json:
    """The issue's targets, where the sizes measured allow."""
    by = {p["factor"]: p for p in points}
    checks: Json = {}
    largest = max(by)
    checks[f"build_memory_mb_{largest}x"] = check(
        build_memory(by[largest]["searchdoc"]["build"]), 1024.0, strict=True)
    if 4 in by:
        checks["reindex_unchanged_s_4x"] = check(
            by[4]["searchdoc"]["reindex_unchanged"]["median_seconds"], 0.5, strict=True)
        checks["cold_query_s_4x"] = check(
            by[4]["searchdoc"]["cold_query"]["median_seconds"], 0.2, strict=True)
    for f, p in by.items():
        checks[f"change_ratio_{f}x"] = check(p["searchdoc"]["change"]["ratio"], 1.2)
        checks[f"update_drift_{f}x"] = check(p["searchdoc"]["updates"]["drift"]["all"], 1.1)
        checks[f"build_time_ratio_{f}x"] = check(p["ratios"]["build_time"], 2.0)
    return {**checks, "all_ok": all(c["ok"] for c in checks.values())}


def measure_scale(b: Bench, args: argparse.Namespace) -> Json:
    points = [scale_point(b, f, args) for f in args.scale_factors]
    return {"factors": args.scale_factors, "change_share": args.change_share,
            "update_share": args.update_share, "points": points,
            "curve": scale_curve(points), "budget": scale_budget(points)}


PDF_PAGES_PER_FILE = 20


def write_pdf_corpus(files: list[Path], pages: int, target: Path) -> tuple[Path, Path, int]:
    """`pages` pages of the corpus paragraphs in PDFs under target/pdf, and the same
    paragraphs in .txt files under target/text; returns both folders and the file count."""
    sys.path.insert(0, str(REPO_ROOT / "tests" / "readers"))
    import makers  # the tests' PDF writer (standard library only)

    pdf_dir, text_dir = target / "pdf", target / "text"
    pdf_dir.mkdir(parents=True)
    text_dir.mkdir(parents=True)
    source = [p for f in files for p in paragraphs(read_text(f))]
    if not source:
        raise BenchmarkError("--pdf: no paragraph in the corpus")
    written = n_files = k = 0
    while written < pages:
        count = min(PDF_PAGES_PER_FILE, pages - written)
        chunk: list[str] = []
        while True:  # paragraphs until they fill `count` pages
            chunk.append(" ".join(source[k % len(source)].split()))
            k += 1
            laid = makers.text_pages(chunk)
            if len(laid) > count:
                chunk.pop()
                k -= 1
                laid = makers.text_pages(chunk)
                break
        n_files += 1
        (pdf_dir / f"doc-{n_files:04d}.pdf").write_bytes(makers.pdf(laid))
        (text_dir / f"doc-{n_files:04d}.txt").write_text("\n\n".join(chunk) + "\n",
                                                         encoding="utf-8")
        written += len(laid)
    return pdf_dir, text_dir, n_files


def measure_pdf(sd: Searchdoc, files: list[Path], pages: int, work: Path) -> Json:
    log(f"pdf: writing {pages} pages of the corpus text as PDFs ...")
    pdf_dir, text_dir, n_files = write_pdf_corpus(files, pages, work / "pdf-corpus")
    out: Json = {"pages": pages, "files": n_files,
                 "pdf_mb": round(dir_size(pdf_dir) / MIB, 2)}
    for tag, folder in (("pdf", pdf_dir), ("text", text_dir)):
        log(f"pdf: searchdoc index --rebuild of {folder} ...")
        index_dir = work / f"pdf-index-{tag}"
        run = sd.run("index", str(folder), "--index", str(index_dir), "--rebuild")
        seconds = seconds_of(run)
        if tag == "pdf":
            out.update(seconds=seconds, pages_per_s=per_second(pages, seconds),
                       passages=passages_in_index(sd, index_dir, run) if seconds else None)
        else:
            out["text_seconds"] = seconds
    out["pdf_over_text"] = ratio(out.get("seconds"), out.get("text_seconds"))
    return out


def prepare_corpus(args: argparse.Namespace) -> tuple[Path, Json]:
    if args.corpus:
        corpus = Path(args.corpus).resolve()
        if not corpus.is_dir():
            raise BenchmarkError(f"--corpus {args.corpus}: not a folder")
        return corpus, {"source": "folder"}
    return debian_corpus(allow_update=not args.no_apt_update)


def run_benchmark(args: argparse.Namespace, work: Path) -> Json:
    problems: list[str] = []
    sd = Searchdoc(find_searchdoc(), work / "logs", problems)
    corpus, corpus_meta = prepare_corpus(args)
    files = corpus_files(corpus)
    if not files:
        raise BenchmarkError(f"no .txt/.md file in {corpus}")
    if args.pdf_only:
        return {"machine": machine_info(sd), "corpus": {"path": str(corpus), **corpus_meta},
                "pdf": measure_pdf(sd, files, args.pdf or 100, work),
                "problems": list(dict.fromkeys(problems))}
    log(f"corpus: {len(files)} files in {corpus}; drawing queries ...")
    qs, word = build_queries(files, args.queries, with_names=not args.no_names)
    b = Bench(corpus, files, qs, word, work, sd)
    if args.scale:
        return {"machine": machine_info(sd),
                "corpus": {"path": str(corpus), "files": len(files),
                           "bytes": sum(p.stat().st_size for p in files), **corpus_meta},
                "queries": {"total": len(qs.queries), **qs.counts(), "limit": LIMIT},
                "scale": measure_scale(b, args),
                "problems": [f"{p} (x{n})" if n > 1 else p for p, n in Counter(problems).items()]}
    floor = measure_floor(b, corpus, "full")
    floor["ripgrep"] = ripgrep(word, corpus, work / "logs")
    searchdoc = measure_searchdoc(b, corpus, len(files), "full", full=True)
    rat = ratios(searchdoc, floor)
    report: Json = {
        "machine": machine_info(sd),
        "corpus": {
            "path": str(corpus),
            "files": len(files),
            "bytes": sum(p.stat().st_size for p in files),
            **corpus_meta,
        },
        "queries": {
            "total": len(qs.queries),
            **qs.counts(),
            "limit": LIMIT,
            "names_file": str(NAMES_TSV) if "names" in qs.kinds else None,
        },
        "floor": floor,
        "searchdoc": searchdoc,
        "ratios": rat,
        "budget": budget(searchdoc, rat),
        "pdf": measure_pdf(sd, files, args.pdf, work) if args.pdf else None,
        "problems": [f"{p} (x{n})" if n > 1 else p for p, n in Counter(problems).items()],
    }
    if args.keep:
        report["work_dir"] = str(work)
    return report


# --------------------------------------------------------------------------- list corpus
#
# `--lists`: the SDN individuals of ../shared/data as a list of records, written as CSV,
# as a JSON array, as FollowTheMoney JSON Lines, and as prose (one small .txt file per
# record), multiplied to --list-records records with distinct ids; 500 name queries.


SDN_TSV = REPO_ROOT.parent / "shared" / "data" / "sdn_individuals.tsv"
LIST_FORMATS = ("csv", "json", "ftm", "prose")
LIST_QUERIES = 500
ALIASES_RUNS = 20


@dataclass
class ListRecord:
    """One person of the list corpus."""

    id: str
    listing: str  # as the SDN list writes it: "AL-MUSAWI, Ali Mussa Daqduq"
    program: str
    title: str
    remarks: str
    aliases: list[str]

    def natural(self, name: str | None = None) -> str:
        last, sep, first = (name or self.listing).partition(", ")
        return f"{first} {last}" if sep else (name or self.listing)


def sdn_list(total: int) -> tuple[list[ListRecord], int]:
    """The SDN individuals (with the published aliases of the even ent_nums), then copies
    until `total` records: copy k of a person keeps their given names, remarks and
    program, takes the surname of another person (a new person with a plausible name,
    as a real list has many who share a given name or a surname), and has an id of its
    own. Returns the records and how many are originals."""
    with open(SDN_TSV, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    aliases: dict[str, list[str]] = {}
    if NAMES_TSV.exists():
        with open(NAMES_TSV, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                aliases.setdefault(row["ent_num"], []).append(row["alias"])
    people = [ListRecord(r["ent_num"], r["listing"], r["program"], r["title"], r["remarks"],
                         aliases.get(r["ent_num"], [])) for r in rows]
    out = list(people[:total])
    n, k = len(people), 1
    while len(out) < total:
        for i, p in enumerate(people):
            if len(out) == total:
                break
            other = people[(i + k * 7919) % n]
            _surname, sep, given = p.listing.partition(", ")
            listing = f"{other.listing.partition(', ')[0]}, {given}" if sep else p.listing
            out.append(ListRecord(f"{p.id}-{k}", listing, p.program, p.title, p.remarks, []))
        k += 1
    return out, min(n, total)


def write_list(records: list[ListRecord], fmt: str, target: Path) -> Path:
    """The list written in one format under `target`: a file (a folder for prose)."""
    target.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        path = target / "sdn.csv"
        with open(path, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["ent_num", "name", "aliases", "program", "title", "remarks"])
            for r in records:
                w.writerow([r.id, r.listing, "; ".join(r.aliases), r.program, r.title, r.remarks])
        return path
    if fmt == "json":  # an array of objects, each over several lines
        path = target / "sdn.json"
        rows = [{"ent_num": r.id, "name": r.listing, "aliases": r.aliases, "program": r.program,
                 "title": r.title, "remarks": r.remarks} for r in records]
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
        return path
    if fmt == "ftm":  # FollowTheMoney entities as OpenSanctions publishes them
        path = target / "sdn.ftm.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for r in records:
                props = {"name": [r.natural()], "alias": [r.natural(a) for a in r.aliases],
                         "program": [r.program], "notes": [r.remarks], "position": [r.title]}
                entity = {"id": f"ofac-{r.id}", "schema": "Person", "caption": r.natural(),
                          "properties": {k: [v for v in vs if v] for k, vs in props.items()
                                         if any(vs)}, "datasets": ["us_ofac_sdn"]}
                fh.write(json.dumps(entity, ensure_ascii=False) + "\n")
        return path
    folder = target / "prose"  # one small text file per record, 1,000 to a folder
    for i, r in enumerate(records):
        sub = folder / f"{i // 1000:03d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        lines = [f"= {r.listing} =", "", f"Name: {r.natural()}"]
        if r.aliases:
            lines.append(f"Aliases: {'; '.join(r.natural(a) for a in r.aliases)}")
        lines += [f"Program: {r.program}", f"Title: {r.title or '-'}",
                  f"Remarks: {r.remarks or '-'}", f"ID: {r.id}", ""]
        (sub / f"{r.id}.txt").write_text("\n".join(lines), encoding="utf-8")
    return folder


def list_queries(records: list[ListRecord], originals: int, n: int) -> QuerySet:
    """n name queries about the original people: half listed names in natural order,
    half their published aliases (random.Random(0))."""
    rng = random.Random(0)
    people = records[:originals]
    named = [p.natural() for p in rng.sample(people, min(len(people), n))]
    aliased = [p.natural(a) for p in people for a in p.aliases]
    rng.shuffle(aliased)
    qs = QuerySet()
    for listed, alias in zip(named, aliased + [""] * len(named)):
        if len(qs.queries) < n:
            qs.add(listed, "listed")
        if alias and len(qs.queries) < n:
            qs.add(alias, "alias")
    return qs


def list_batch(sd: Searchdoc, index_dir: Path, qs: QuerySet, qfile: Path, *extra: str) -> Json:
    log(f"searchdoc: {len(qs.queries)} list queries {' '.join(extra)} ...")
    args = ("query", "-", "--json", "--index", str(index_dir), "--limit", str(LIMIT), *extra)
    run = sd.run(*args, stdin=qfile, ok=(0, 1))
    hits = batch_hits(sd, qs, run.out_text())
    seconds = seconds_of(run, ok=(0, 1))
    alias_hits = sum(1 for line in run.out_text().splitlines()
                     if '"how": "alias"' in line)
    return {"seconds": seconds,
            "ms_per_query": None if seconds is None else round(1000 * seconds / len(qs.queries), 3),
            "alias_hits": alias_hits, **hit_stats(qs, hits)}


def list_aliases(sd: Searchdoc, index_dir: Path, qs: QuerySet) -> Json:
    """`searchdoc aliases NAME` for ALIASES_RUNS names (one process each), and the size of
    the largest entity of `aliases --all`."""
    names = [q for q, k in zip(qs.queries, qs.kinds) if k == "listed"][:ALIASES_RUNS]
    log(f"searchdoc: aliases for {len(names)} names, and --all ...")
    runs = [sd.run("aliases", name, "--json", "--index", str(index_dir), ok=(0, 1))
            for name in names]
    found = [json.loads(line) for r in runs for line in r.out_text().splitlines() if line]
    every = sd.run("aliases", "--all", "--json", "--index", str(index_dir), ok=(0, 1))
    sizes = [len(json.loads(line)["names"]) for line in every.out_text().splitlines() if line]
    return {"median_seconds": round(statistics.median(r.seconds for r in runs), 4),
            "resolved": sum(1 for r in runs if r.exit_code == 0),
            "names_per_entity_found": round(statistics.fmean(len(e["names"]) for e in found), 2)
            if found else None,
            "all_seconds": round(every.seconds, 3), "entities": len(sizes),
            "largest_entity_names": max(sizes, default=0)}


def write_big_ftm(records: list[ListRecord], megabytes: int, path: Path) -> int:
    """FollowTheMoney JSON Lines of about `megabytes` MB, with entities about the size
    OpenSanctions publishes (~1.4 kB: sources, referents, datasets, dates), the records
    repeated with new ids and surnames as needed. Returns the number of entities."""
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        while fh.tell() < megabytes * MIB:
            r = records[n % len(records)]
            k = n // len(records)
            surname = records[(n * 7919) % len(records)].listing.partition(", ")[0]
            listing = f"{surname}, {r.listing.partition(', ')[2]}" if k else r.listing
            name = ListRecord(r.id, listing, "", "", "", []).natural()
            entity = {
                "id": f"NK-{n:08d}", "caption": name, "schema": "Person",
                "properties": {
                    "name": [name], "alias": [r.natural(a) for a in r.aliases] if not k else [],
                    "notes": [r.remarks], "position": [r.title] if r.title else [],
                    "program": [r.program], "topics": ["sanction"], "gender": ["male"],
                    "sourceUrl": [f"https://sanctionssearch.ofac.treas.gov/Details.aspx?id={r.id}"],
                    "country": ["ir", "iq", "lb"][n % 3:n % 3 + 1],
                    "createdAt": ["2019-04-15"], "modifiedAt": ["2024-02-01"]},
                "referents": [f"ofac-{r.id}-{k}", f"eu-fsf-eu-{n}-{k}", f"gb-hmt-{n + 13}",
                              f"un-sc-sanctions-{n % 997}", f"ca-dfatd-{n}"],
                "datasets": ["us_ofac_sdn", "eu_fsf", "gb_hmt_sanctions", "sanctions"],
                "first_seen": "2019-04-15T00:00:00", "last_seen": "2026-11-20T00:00:00",
                "last_change": "2024-02-01T00:00:00", "target": True}
            fh.write(json.dumps(entity, ensure_ascii=False) + "\n")
            n += 1
    return n


def run_stream(args: argparse.Namespace, work: Path, sd: Searchdoc) -> Json:
    """`--lists --stream-mb N`: index one FollowTheMoney JSON Lines file of N MB; its
    build time and memory (the peak summed PSS of the build's processes)."""
    records, _originals = sdn_list(4643)
    path = work / "big" / "entities.ftm.jsonl"
    path.parent.mkdir(parents=True)
    log(f"list: writing {args.stream_mb} MB of FollowTheMoney JSON Lines ...")
    entities = write_big_ftm(records, args.stream_mb, path)
    build = searchdoc_build(sd, path, work / "index-big", 1)
    build["bytes"], build["entities"] = path.stat().st_size, entities
    return {"machine": machine_info(sd), "stream": build, "problems": sd.problems}


def run_lists(args: argparse.Namespace, work: Path) -> Json:
    if not SDN_TSV.exists():
        raise BenchmarkError(f"{SDN_TSV} not found (../shared/data beside the repository)")
    problems: list[str] = []
    sd = Searchdoc(find_searchdoc(), work / "logs", problems)
    if args.stream_mb:
        return run_stream(args, work, sd)
    records, originals = sdn_list(args.list_records)
    qs = list_queries(records, originals, LIST_QUERIES)
    qfile = write_queries(qs, work / "list-queries.txt")
    formats = [f for f in args.list_formats.split(",") if f]
    report: Json = {"machine": machine_info(sd), "records": len(records),
                    "original_people": originals, "queries": qs.counts(), "formats": {}}
    for fmt in formats:
        if fmt not in LIST_FORMATS:
            raise BenchmarkError(f"--list-formats: unknown format {fmt!r}")
        log(f"list: writing {len(records):,} records as {fmt} ...")
        corpus = write_list(records, fmt, work / f"list-{fmt}")
        index_dir = work / f"index-{fmt}"
        build = searchdoc_build(sd, corpus, index_dir, 1 if corpus.is_file() else len(records))
        build["bytes"] = (corpus.stat().st_size if corpus.is_file()
                          else sum(p.stat().st_size for p in corpus.rglob("*.txt")))
        with_aliases = list_batch(sd, index_dir, qs, qfile)
        without = list_batch(sd, index_dir, qs, qfile, "--no-aliases")
        report["formats"][fmt] = {
            "build": build,
            "query_batch": with_aliases,
            "query_batch_no_aliases": without,
            "alias_ratio": ratio(with_aliases["seconds"], without["seconds"]),
            "aliases": list_aliases(sd, index_dir, qs),
        }
        if not args.keep:
            shutil.rmtree(corpus, ignore_errors=True)
            shutil.rmtree(index_dir, ignore_errors=True)
    prose = report["formats"].get("prose", {}).get("build", {}).get("passages_per_s")
    for figures in report["formats"].values():
        figures["build_rate_vs_prose"] = ratio(figures["build"]["passages_per_s"], prose)
    report["problems"] = problems
    return report


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Benchmark the searchdoc CLI against plain whoosh (JSON on stdout)."
    )
    parser.add_argument("--corpus", metavar="DIR", help="folder of .txt/.md files")
    parser.add_argument("--queries", type=int, default=500, metavar="N", help="word queries (500)")
    parser.add_argument("--scale", action="store_true",
                        help="the corpus copied 1, 4 and 16 times instead (see --scale-factors)")
    parser.add_argument("--scale-factors", type=lambda v: [int(x) for x in v.split(",")],
                        default=list(SCALE_FACTORS), metavar="N,N",
                        help="with --scale: the copies of the corpus (1,4,16)")
    parser.add_argument("--change-share", type=float, default=0.01, metavar="F",
                        help="with --scale: the share of the files changed at once (0.01)")
    parser.add_argument("--updates", type=int, default=100, metavar="N",
                        help="with --scale: small updates before the query drift (100)")
    parser.add_argument("--update-share", type=float, default=0.001, metavar="F",
                        help="with --scale: the share of the files each small update "
                             "changes, at least one (0.001)")
    parser.add_argument("--no-floor", action="store_true",
                        help="with --scale: searchdoc alone (no plain whoosh, no ratios)")
    parser.add_argument("--no-names", action="store_true", help="skip the SDN alias queries")
    parser.add_argument("--keep", action="store_true", help="keep the temporary index folders")
    parser.add_argument("--out", metavar="FILE", help="also write the JSON report to FILE")
    parser.add_argument("--no-apt-update", action="store_true", help="never run apt-get update")
    parser.add_argument("--pdf", type=int, default=0, metavar="N",
                        help="also index N pages of the corpus text as PDFs (pages per second)")
    parser.add_argument("--pdf-only", action="store_true",
                        help="only the --pdf measurement (100 pages unless --pdf N)")
    parser.add_argument("--lists", action="store_true",
                        help="the list corpus instead: SDN records as CSV, JSON, FtM JSON Lines "
                             "and prose files")
    parser.add_argument("--list-records", type=int, default=100_000, metavar="N",
                        help="records of the list corpus (100000)")
    parser.add_argument("--list-formats", default=",".join(LIST_FORMATS), metavar="F,F",
                        help=f"formats of the list corpus ({','.join(LIST_FORMATS)})")
    parser.add_argument("--stream-mb", type=int, default=0, metavar="MB",
                        help="with --lists: only index one FollowTheMoney JSON Lines file of "
                             "MB megabytes (memory of a streamed list)")
    return parser.parse_args(argv)


INTERNAL = {"--_floor-build": floor_build_main, "--_floor-query": floor_query_main,
            "--_floor-update": floor_update_main}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in INTERNAL:
        return INTERNAL[argv[0]](*argv[1:])
    args = parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="searchdoc-perf-"))
    try:
        report = run_lists(args, work) if args.lists else run_benchmark(args, work)
    except BenchmarkError as exc:
        print(f"perf.py: {exc}", file=sys.stderr)
        return 2
    finally:
        if args.keep:
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
