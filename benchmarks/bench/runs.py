"""The measured runs: plain whoosh building and querying (the floor), ripgrep, and searchdoc's
build, re-index, batches and cold query."""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.common import (
    COLD_RUNS,
    LIMIT,
    MIB,
    BenchmarkError,
    Json,
    Searchdoc,
    dir_size,
    log,
    mb,
    passages_in_index,
    per_second,
    run_measured,
    seconds_of,
    self_argv,
)
from bench.corpus import QuerySet, corpus_files, hit_stats, paragraphs, read_text, write_queries


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
