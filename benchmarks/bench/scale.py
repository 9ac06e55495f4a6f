"""--scale: the corpus copied 1, 4 and 16 times; per size build, memory, updates, drift."""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from pathlib import Path

from bench.common import (
    MIB,
    BenchmarkError,
    Json,
    Searchdoc,
    _median,
    dir_size,
    log,
    mb,
    ratio,
    run_measured,
    seconds_of,
    self_argv,
)
from bench.corpus import QuerySet, corpus_files, paragraphs, read_text, write_queries
from bench.report import check
from bench.runs import (
    Bench,
    build_memory,
    floor_build,
    floor_query,
    searchdoc_batch,
    searchdoc_build,
    searchdoc_cold,
    searchdoc_reindex,
)

SCALE_FACTORS = (1, 4, 16)


def write_scaled_corpus(files: list[Path], corpus: Path, factor: int, target: Path) -> Path:
    """`factor` copies of the corpus files under target/copy-01 ... (copy 1 as it is)."""
    for j in range(1, factor + 1):
        folder = target / f"copy-{j:02d}"
        for src in files:
            dst = folder / src.relative_to(corpus)
            dst.parent.mkdir(parents=True, exist_ok=True)
            text = read_text(src)
            if j > 1:
                text = HEADING_RE.sub(rf"\1 \2 ({j}) \1", text)
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
