#!/usr/bin/env python3
"""Time `searchdoc serve`: the first page, and query pages one after another.

    python benchmarks/serve.py --index IDX [--queries FILE] [--limit N]

Starts `searchdoc serve --index IDX` on a free port and measures: ``first_page_s``, from
starting the process to the first complete answer of ``/`` (interpreter, imports, the
index opened); ``first_query_s``, the first query page after that (the store read cold);
then ``ms_per_page``, the median and 90th percentile of the query pages (``/?q=...``: the
search, its facets over up to 1,000 hits, the page rendered) for the queries of FILE (one
per line; default: the `query` column of ../shared/data/sdn_aliases_dev.tsv). One JSON
object on stdout. Exit 2 when the server does not start.
"""

from __future__ import annotations

import argparse
import csv
import json
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote_plus
from urllib.request import urlopen

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> float:
    t = time.perf_counter()
    with urlopen(url, timeout=120) as r:
        r.read()
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", required=True)
    ap.add_argument("--queries", type=Path, default=None)
    ap.add_argument("--limit", type=int, default=200, help="query pages timed (200)")
    args = ap.parse_args()
    if args.queries:
        queries = [q.strip() for q in args.queries.read_text(encoding="utf-8").splitlines()
                   if q.strip()]
    else:
        with open(DATA / "sdn_aliases_dev.tsv", encoding="utf-8") as f:
            queries = [r["query"] for r in csv.DictReader(f, delimiter="\t")]
    queries = list(dict.fromkeys(queries))[:args.limit]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    exe = [sys.executable, "-m", "searchdoc", "serve", "--index", args.index, "--port",
           str(port)]
    started = time.perf_counter()
    proc = subprocess.Popen(exe, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        first = None
        while time.perf_counter() - started < 60:
            try:
                get(base + "/")
                first = time.perf_counter() - started
                break
            except OSError:
                time.sleep(0.01)
        if first is None:
            sys.stderr.write("serve did not start\n")
            return 2
        first_query = get(f"{base}/?q={quote_plus(queries[0])}")
        times = [get(f"{base}/?q={quote_plus(q)}") * 1000 for q in queries[1:]]
        times.sort()
        out = {"index": args.index, "first_page_s": round(first, 3),
               "first_query_s": round(first_query, 3), "pages": len(times),
               "ms_per_page_median": round(statistics.median(times), 1),
               "ms_per_page_p90": round(times[int(len(times) * 0.9) - 1], 1),
               "ms_per_page_mean": round(statistics.fmean(times), 1)}
        print(json.dumps(out))
        return 0
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    raise SystemExit(main())
