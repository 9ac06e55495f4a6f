"""perf.py --engine opensearch: searchdoc on a real OpenSearch cluster against the
embedded index, in the same run, with 1 and 3 nodes (tests/cluster/launch.py starts them
from Maven Central's artifacts).

Per cluster size: the embedded build (`searchdoc index CORPUS --index DIR`), then the
publication to the cluster (`searchdoc index CORPUS --index DIR --engine opensearch`: the
embedded index is unchanged, so its time is the cluster's bulk indexing: passages per
second), then the same query batch (`searchdoc query - --json --limit 10`) on both engines:
seconds and ms per query each, and the share of queries whose first ten hits (passage ids,
in order) are the same on both (`agree_top10`) and whose sets of ten are (`agree_set`).
Each node has a heap of HEAP ($SEARCHDOC_TEST_NODE_HEAP), on the same machine as the
embedded index and the CLI.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import LIMIT, BenchmarkError, Json, Searchdoc, log, per_second, seconds_of
from bench.corpus import QuerySet, write_queries

REPO = Path(__file__).resolve().parents[2]
PORT = 19700


HEAP = "1g"  # per node (the tests' 384 MB nodes spend the batch collecting garbage)


def _launcher() -> Any:
    import os

    os.environ.setdefault("SEARCHDOC_TEST_NODE_HEAP", HEAP)
    spec = importlib.util.spec_from_file_location("searchdoc_bench_launch",
                                                  REPO / "tests" / "cluster" / "launch.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def start_cluster(nodes: int, home: Path, port: int = PORT + 50) -> Any:
    """A cluster of `nodes` real nodes (BenchmarkError when it cannot start)."""
    launch = _launcher()
    try:
        return launch.start(nodes, port, home)
    except launch.ClusterFailed as e:
        raise BenchmarkError(f"the OpenSearch cluster did not start: {e}") from None


def _tops(output: str) -> dict[str, list[str]]:
    tops: dict[str, list[str]] = {}
    for line in output.splitlines():
        try:
            hit = json.loads(line)
        except ValueError:
            continue
        tops.setdefault(" ".join(str(hit["query"]).split()), []).append(hit["passage"])
    return tops


def _batch(sd: Searchdoc, index_dir: Path, qfile: Path, extra: tuple[str, ...]) -> tuple[Json, dict[str, list[str]]]:
    run = sd.run("query", "-", "--json", "--index", str(index_dir), "--limit", str(LIMIT),
                 *extra, stdin=qfile, ok=(0, 1))
    seconds = seconds_of(run, ok=(0, 1))
    return {"seconds": seconds, "exit_code": run.exit_code}, _tops(run.out_text())


def measure_cluster(sd: Searchdoc, corpus: Path, qs: QuerySet, work: Path,
                    sizes: tuple[int, ...] = (1, 3)) -> Json:
    launch = _launcher()
    qfile = write_queries(qs, work / "cluster-queries.txt")
    out: Json = {"queries": len(qs.queries)}
    index_dir = work / "cluster-embedded"
    log("cluster: the embedded build ...")
    build = sd.run("index", str(corpus), "--index", str(index_dir), "--rebuild")
    out["embedded_build_seconds"] = seconds_of(build)
    local, local_tops = _batch(sd, index_dir, qfile, ())
    for nodes in sizes:
        log(f"cluster: {nodes} node(s) ...")
        try:
            cluster = launch.start(nodes, PORT, work / f"cluster-{nodes}")
        except launch.ClusterFailed as e:
            raise BenchmarkError(f"the OpenSearch cluster did not start: {e}") from None
        try:
            url = f"{cluster.url}/perf"
            started = time.monotonic()
            pub = sd.run("index", str(corpus), "--index", str(index_dir), "--engine",
                         "opensearch", "--url", url)
            publish_seconds = seconds_of(pub) or (time.monotonic() - started)
            line = next((ln for ln in pub.err_tail(2000).splitlines() if "cluster" in ln), "")
            passages = _passages(line)
            remote, remote_tops = _batch(sd, index_dir, qfile, ("--engine", "opensearch",
                                                                "--url", url))
            # the embedded batch again, now, beside the cluster's (the same machine load)
            local_now, _ = _batch(sd, index_dir, qfile, ())
        finally:
            cluster.stop()
        same = sum(1 for q in qs.queries if remote_tops.get(q, []) == local_tops.get(q, []))
        same_set = sum(1 for q in qs.queries
                       if set(remote_tops.get(q, [])) == set(local_tops.get(q, [])))
        n = len(qs.queries)
        out[f"nodes_{nodes}"] = {
            "publish": {"seconds": publish_seconds, "passages": passages,
                        "passages_per_s": per_second(passages, publish_seconds),
                        "summary": line.strip()},
            "query_batch": {
                "opensearch_seconds": remote["seconds"],
                "opensearch_ms_per_query": _ms(remote["seconds"], n),
                "embedded_seconds": local_now["seconds"],
                "embedded_ms_per_query": _ms(local_now["seconds"], n),
                "ratio": (round(remote["seconds"] / local_now["seconds"], 2)
                          if remote["seconds"] and local_now["seconds"] else None),
            },
            "agree_top10": round(same / n, 4) if n else None,
            "agree_set": round(same_set / n, 4) if n else None,
        }
    out["embedded_batch_first"] = local
    return out


def _ms(seconds: float | None, n: int) -> float | None:
    return None if seconds is None or not n else round(1000 * seconds / n, 2)


def _passages(line: str) -> int | None:
    import re

    m = re.search(r"\((\d+) passages\)", line)
    return int(m.group(1)) if m else None
