"""Ratios against the floor, the budget checks, and what machine ran the benchmark."""

from __future__ import annotations

import datetime as dt
import os
import platform
from pathlib import Path

from bench.common import Json, Searchdoc, ratio
from bench.runs import build_memory


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
