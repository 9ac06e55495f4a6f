#!/usr/bin/env python3
"""Performance benchmark of the searchdoc CLI against a plain-whoosh floor.

How to run (from the repository root, in a venv where `pip install -e '.[test]'` was done)::

    python benchmarks/perf.py                  # Debian package descriptions corpus
    python benchmarks/perf.py --corpus DIR     # any folder of .txt/.md files
    python benchmarks/perf.py --scale --out perf.json
    python benchmarks/perf.py --corpus seeds --pdf 200 --pdf-only   # PDF indexing alone
    python benchmarks/perf.py --engine opensearch   # on a real cluster, 1 and 3 nodes

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
- opensearch (with --engine opensearch, instead of the figures above): see
  bench/cluster.py: bulk indexing passages per second, the query batch on both engines,
  and the share of queries whose first ten hits agree, with 1 and 3 nodes.
- problems: unexpected exit codes, crashes and malformed output seen along the way.

Temporary indexes live in a tempfile directory, removed at the end unless `--keep`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench.cluster import measure_cluster
from bench.common import LIMIT, BenchmarkError, Json, Searchdoc, find_searchdoc, log
from bench.corpus import NAMES_TSV, build_queries, corpus_files, debian_corpus
from bench.lists import LIST_FORMATS, run_lists
from bench.pdf import measure_pdf
from bench.report import budget, machine_info, ratios
from bench.runs import (
    Bench,
    floor_build_main,
    floor_query_main,
    measure_floor,
    measure_searchdoc,
    ripgrep,
)
from bench.scale import SCALE_FACTORS, floor_update_main, measure_scale


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
    if args.engine == "opensearch":
        return {"machine": machine_info(sd),
                "corpus": {"path": str(corpus), "files": len(files), **corpus_meta},
                "queries": {"total": len(qs.queries), **qs.counts(), "limit": LIMIT},
                "opensearch": measure_cluster(sd, corpus, qs, work,
                                              tuple(args.cluster_nodes)),
                "problems": [f"{p} (x{n})" if n > 1 else p for p, n in Counter(problems).items()]}
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
    parser.add_argument("--engine", choices=("whoosh", "opensearch"), default="whoosh",
                        help="opensearch: searchdoc on a real OpenSearch cluster against the "
                             "embedded index (bulk indexing, query batch, agreement of the "
                             "first ten hits), with 1 and 3 nodes")
    parser.add_argument("--cluster-nodes", type=lambda v: [int(x) for x in v.split(",")],
                        default=[1, 3], metavar="N,N", help="with --engine opensearch (1,3)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary index folders")
    parser.add_argument("--out", metavar="FILE", help="also write the JSON report to FILE")
    parser.add_argument("--no-apt-update", action="store_true", help="never run apt-get update")
    parser.add_argument("--pdf", type=int, default=0, metavar="N",
                        help="also index N pages of the corpus text as PDFs (pages per second)")
    parser.add_argument("--pdf-only", action="store_true",
                        help="only the --pdf measurement (100 pages unless --pdf N)")
    parser.add_argument("--lists", action="store_true",
                        help="the list corpus instead: SDN records as CSV, JSON, FtM JSON Lines, "
                             "XML, Excel and prose files")
    parser.add_argument("--list-records", type=int, default=100_000, metavar="N",
                        help="records of the list corpus (100000)")
    parser.add_argument("--list-formats", default=",".join(LIST_FORMATS), metavar="F,F",
                        help=f"formats of the list corpus ({','.join(LIST_FORMATS)})")
    parser.add_argument("--stream-mb", type=int, default=0, metavar="MB",
                        help="with --lists: only index one FollowTheMoney JSON Lines file of "
                             "MB megabytes (memory of a streamed list)")
    return parser.parse_args(argv)


INTERNAL: dict[str, Callable[..., int]] = {"--_floor-build": floor_build_main, "--_floor-query": floor_query_main,
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
