#!/usr/bin/env python3
"""Name-matching benchmark of the searchdoc CLI against plain whoosh, on ../shared/data.

How to run (from the repository root, in a venv where `pip install -e .` was done)::

    python benchmarks/names.py                      # everything, a minute or two
    python benchmarks/names.py --limit-queries 300  # quick: at most 300 queries per set
    python benchmarks/names.py --out names.json --misses misses.tsv
    python benchmarks/names.py --sets sdn --kinds variant   # one set, one kind of alias

One JSON object is printed on stdout (and written to --out), a readable table on stderr.
Exit status: 0 when the benchmark ran, 2 when it could not (no data, no searchdoc, a
crash of the CLI).

Sets (see ../shared/data/README.md):

``sdn``
    One document per individual of sdn_individuals.tsv (all of them): a small text file
    ``<ent_num>.txt`` holding the listing as published as its title line (``= LISTING =``),
    then one block of the name in natural order ("First LAST" from "LAST, First"), the
    program, the title and the remarks; never its aliases. Queries: the ``query`` column of
    sdn_aliases_dev.tsv; a hit is right when its source file is the alias's ``ent_num``.
    Figures per ``kind`` (overlap, variant, different) and for all queries.
``ar2lat`` / ``lat2ar``
    A deterministic sample of ar2en_train.tsv (``--pairs`` pairs, random.Random(seed)),
    one to one: a pair is skipped when its Arabic or its Latin name was already taken. One
    document per name in one script (Latin names capitalized as a document writes them:
    ``= Abadie =`` and the line ``Abadie.``), queries the name in the other script (as in
    the file). ar2lat: Arabic queries, Latin documents; lat2ar the other way round.

Both engines index the same files:

``searchdoc``
    ``searchdoc index DIR --index IDX`` (a fresh index per set), then ONE batch process
    ``searchdoc query - --json --index IDX --limit 10`` fed the de-duplicated queries on
    stdin; its JSON lines are grouped by their ``query`` field, and the source file of each
    hit mapped back to its document (several passages of one document count once).
``whoosh``
    Plain whoosh in this process: StemmingAnalyzer, one document per file (the whole
    file), the query's analyzed words OR-ed together, top 10.

Figures per set and engine: queries, recall@1, recall@10, MRR (the reciprocal rank of the
right document within the first ten, 0 when it is not there), zero_hits (queries that
returned nothing). Timings: seconds to index and to query, per engine and set.
``--misses FILE`` writes the searchdoc queries whose right document is not first (set, kind,
query, expected document name, rank or -, the first document's name) for tuning.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT.parent / "shared" / "data"
TOP = 10


@dataclass(frozen=True)
class Query:
    text: str
    expected: str  # document id (file stem)
    kind: str


@dataclass
class Corpus:
    name: str
    docs: dict[str, str]  # document id -> file content
    labels: dict[str, str]  # document id -> the name it is about (for --misses)
    queries: list[Query]


def log(msg: str) -> None:
    sys.stderr.write(f"names: {msg}\n")
    sys.stderr.flush()


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def limit(queries: list[Query], n: int | None) -> list[Query]:
    if n is None or len(queries) <= n:
        return queries
    keep = set(random.Random(0).sample(range(len(queries)), n))
    return [q for i, q in enumerate(queries) if i in keep]


# ---------------------------------------------------------------------------------------
# Corpora


def natural_order(listing: str) -> str:
    """ "AL ZAWAHIRI, Dr. Ayman" -> "Dr. Ayman AL ZAWAHIRI"; "LAVILLA, Ruben, Jr." ->
    "Ruben LAVILLA, Jr."; a listing without a comma is kept."""
    parts = [p.strip() for p in listing.split(",")]
    if len(parts) < 2:
        return listing.strip()
    name = f"{parts[1]} {parts[0]}".strip()
    return ", ".join([name, *parts[2:]])


def sdn_corpus(data: Path, n_queries: int | None, kinds: set[str] | None = None) -> Corpus:
    docs: dict[str, str] = {}
    labels: dict[str, str] = {}
    for row in read_tsv(data / "sdn_individuals.tsv"):
        ent = row["ent_num"].strip()
        listing = row["listing"].strip()
        lines = [f"= {listing} =", "", natural_order(listing)]
        for key in ("program", "title", "remarks"):
            value = (row.get(key) or "").strip()
            if value:
                lines.append(f"{key.capitalize()}: {value}")
        docs[ent] = "\n".join(lines) + "\n"
        labels[ent] = listing
    queries = [
        Query(r["query"].strip(), r["ent_num"].strip(), r["kind"].strip())
        for r in read_tsv(data / "sdn_aliases_dev.tsv")
        if r["query"].strip() and r["ent_num"].strip() in docs
        and (not kinds or r["kind"].strip() in kinds)
    ]
    return Corpus("sdn", docs, labels, limit(queries, n_queries))


def ar2en_pairs(data: Path, n_pairs: int, seed: int) -> list[tuple[str, str]]:
    rows = [(r["arabic"].strip(), r["latin"].strip()) for r in read_tsv(data / "ar2en_train.tsv")]
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    seen_ar: set[str] = set()
    seen_lat: set[str] = set()
    pairs = []
    for i in order:
        ar, lat = rows[i]
        if not ar or not lat or ar in seen_ar or lat.casefold() in seen_lat:
            continue
        seen_ar.add(ar)
        seen_lat.add(lat.casefold())
        pairs.append((ar, lat))
        if len(pairs) == n_pairs:
            break
    return pairs


def capitalize(name: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in name.split())


def ar2en_corpus(pairs: Sequence[tuple[str, str]], direction: str, n_queries: int | None) -> Corpus:
    docs: dict[str, str] = {}
    labels: dict[str, str] = {}
    queries = []
    for i, (ar, lat) in enumerate(pairs):
        doc_id = f"n{i:05d}"
        doc_name, query = (capitalize(lat), ar) if direction == "ar2lat" else (ar, lat)
        docs[doc_id] = f"= {doc_name} =\n\n{doc_name}.\n"
        labels[doc_id] = doc_name
        queries.append(Query(query, doc_id, direction))
    return Corpus(direction, docs, labels, limit(queries, n_queries))


def write_corpus(corpus: Corpus, root: Path) -> Path:
    folder = root / corpus.name
    folder.mkdir(parents=True)
    for doc_id, text in corpus.docs.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
    return folder


# ---------------------------------------------------------------------------------------
# Engines: each returns, per distinct query text, the ranked document ids (at most TOP).


class BenchmarkError(Exception):
    pass


def find_searchdoc(given: str | None) -> str:
    if given:
        return given
    beside = Path(sys.executable).parent / "searchdoc"
    if beside.exists():
        return str(beside)
    found = shutil.which("searchdoc")
    if not found:
        raise BenchmarkError("no searchdoc executable (pip install -e . first, or --searchdoc)")
    return found


def run_searchdoc(exe: str, corpus: Corpus, root: Path, folder: Path,
                  problems: list[str]) -> tuple[dict[str, list[str]], dict[str, float]]:
    idx = root / f"index-{corpus.name}"
    t0 = time.perf_counter()
    proc = subprocess.run([exe, "index", folder.name, "--index", str(idx)], cwd=root,
                          capture_output=True, text=True)
    t_index = time.perf_counter() - t0
    if proc.returncode != 0:
        raise BenchmarkError(f"searchdoc index exited {proc.returncode}: {proc.stderr.strip()}")
    texts = list(dict.fromkeys(q.text for q in corpus.queries))
    t0 = time.perf_counter()
    proc = subprocess.run([exe, "query", "-", "--json", "--index", str(idx), "--limit", str(TOP)],
                          cwd=root, input="\n".join(texts) + "\n", capture_output=True, text=True)
    t_query = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise BenchmarkError(f"searchdoc query exited {proc.returncode}: {proc.stderr.strip()}")
    known = set(texts)
    ranked: dict[str, list[str]] = defaultdict(list)
    for line in proc.stdout.splitlines():
        if not line.strip():
            continue
        try:
            hit = json.loads(line)
            doc_id = Path(hit["source"]).stem
            query = hit["query"]
        except (ValueError, KeyError, TypeError) as exc:
            problems.append(f"{corpus.name}: malformed JSON line ({exc}): {line[:120]}")
            continue
        if query not in known:
            problems.append(f"{corpus.name}: hit for an unknown query {query!r}")
        if doc_id not in ranked[query]:
            ranked[query].append(doc_id)
    return dict(ranked), {"index_s": round(t_index, 2), "query_s": round(t_query, 2),
                          "ms_per_query": round(1000 * t_query / max(len(texts), 1), 2)}


def run_whoosh(corpus: Corpus, root: Path,
               folder: Path) -> tuple[dict[str, list[str]], dict[str, float]]:
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.index import create_in
    from whoosh.query import Or, Term

    analyzer = StemmingAnalyzer()
    schema = Schema(id=ID(stored=True, unique=True), body=TEXT(analyzer=analyzer))
    idx = root / f"whoosh-{corpus.name}"
    idx.mkdir()
    t0 = time.perf_counter()
    ix = create_in(str(idx), schema)
    with ix.writer() as writer:
        for path in sorted(folder.iterdir()):
            writer.add_document(id=path.stem, body=path.read_text(encoding="utf-8"))
    t_index = time.perf_counter() - t0
    texts = list(dict.fromkeys(q.text for q in corpus.queries))
    ranked: dict[str, list[str]] = {}
    t0 = time.perf_counter()
    with ix.searcher() as searcher:
        for text in texts:
            terms = list(dict.fromkeys(t.text for t in analyzer(text)))
            if not terms:
                ranked[text] = []
                continue
            hits = searcher.search(Or([Term("body", t) for t in terms]), limit=TOP)
            ranked[text] = [h["id"] for h in hits]
    t_query = time.perf_counter() - t0
    ix.close()
    return ranked, {"index_s": round(t_index, 2), "query_s": round(t_query, 2),
                    "ms_per_query": round(1000 * t_query / max(len(texts), 1), 2)}


# ---------------------------------------------------------------------------------------
# Figures


def figures(queries: Iterable[Query], ranked: dict[str, list[str]]) -> dict[str, Any]:
    n = at1 = at10 = zero = 0
    rr = 0.0
    for q in queries:
        docs = ranked.get(q.text, [])[:TOP]
        n += 1
        zero += not docs
        if q.expected in docs:
            rank = docs.index(q.expected) + 1
            at1 += rank == 1
            at10 += 1
            rr += 1 / rank
    if not n:
        return {"queries": 0}
    return {"queries": n, "recall@1": round(at1 / n, 4), "recall@10": round(at10 / n, 4),
            "mrr": round(rr / n, 4), "zero_hits": zero}


def by_kind(corpus: Corpus, ranked: dict[str, list[str]]) -> dict[str, Any]:
    kinds = sorted({q.kind for q in corpus.queries})
    if kinds == [corpus.name]:
        return figures(corpus.queries, ranked)
    out = {k: figures([q for q in corpus.queries if q.kind == k], ranked) for k in kinds}
    out["all"] = figures(corpus.queries, ranked)
    return out


def misses(corpus: Corpus, ranked: dict[str, list[str]]) -> Iterable[list[str]]:
    for q in corpus.queries:
        docs = ranked.get(q.text, [])[:TOP]
        if docs and docs[0] == q.expected:
            continue
        rank = str(docs.index(q.expected) + 1) if q.expected in docs else "-"
        first = corpus.labels.get(docs[0], docs[0]) if docs else ""
        yield [corpus.name, q.kind, q.text, corpus.labels[q.expected], rank, first]


def table(result: dict[str, Any]) -> str:
    rows = [f"{'set':<8} {'kind':<10} {'engine':<10} {'n':>5} {'R@1':>6} {'R@10':>6} {'MRR':>6}"]
    for set_name, engines in result["sets"].items():
        sd = engines["searchdoc"]
        groups = sd if "queries" not in sd else {set_name: sd}
        for kind in groups:
            for engine in ("searchdoc", "whoosh"):
                f = engines[engine] if "queries" in engines[engine] else engines[engine][kind]
                if not f.get("queries"):
                    continue
                rows.append(f"{set_name:<8} {kind:<10} {engine:<10} {f['queries']:>5} "
                            f"{f['recall@1']:>6.3f} {f['recall@10']:>6.3f} {f['mrr']:>6.3f}")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA_DIR, help="folder of the TSV files")
    ap.add_argument("--limit-queries", type=int, default=None, metavar="N",
                    help="at most N queries per set (a deterministic sample)")
    ap.add_argument("--pairs", type=int, default=2000, help="Arabic/Latin pairs to sample")
    ap.add_argument("--seed", type=int, default=0, help="seed of the Arabic/Latin sample")
    ap.add_argument("--sets", default="sdn,ar2lat,lat2ar", help="comma-separated sets to run")
    ap.add_argument("--kinds", default=None,
                    help="comma-separated kinds of sdn queries to run (default: all)")
    ap.add_argument("--searchdoc", default=None, help="the searchdoc executable")
    ap.add_argument("--out", type=Path, default=None, help="also write the JSON here")
    ap.add_argument("--misses", type=Path, default=None, help="write searchdoc misses (TSV)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args(argv)

    started = time.perf_counter()
    try:
        exe = find_searchdoc(args.searchdoc)
        if not (args.data / "sdn_individuals.tsv").exists():
            raise BenchmarkError(f"no data in {args.data}")
        wanted = [s.strip() for s in args.sets.split(",") if s.strip()]
        corpora: list[Corpus] = []
        if "sdn" in wanted:
            kinds = {k.strip() for k in args.kinds.split(",")} if args.kinds else None
            corpora.append(sdn_corpus(args.data, args.limit_queries, kinds))
        if {"ar2lat", "lat2ar"} & set(wanted):
            pairs = ar2en_pairs(args.data, args.pairs, args.seed)
            corpora += [ar2en_corpus(pairs, d, args.limit_queries)
                        for d in ("ar2lat", "lat2ar") if d in wanted]
    except (BenchmarkError, OSError, KeyError) as exc:
        log(f"cannot run: {exc}")
        return 2

    from searchdoc.normalize import NORMALIZER_VERSION

    result: dict[str, Any] = {
        "normalizer_version": NORMALIZER_VERSION,
        "data": str(args.data),
        "limit_queries": args.limit_queries,
        "pairs": args.pairs,
        "seed": args.seed,
        "sets": {},
        "timing": {},
        "problems": [],
    }
    miss_rows: list[list[str]] = []
    tmp = Path(tempfile.mkdtemp(prefix="searchdoc-names-"))
    try:
        for corpus in corpora:
            folder = write_corpus(corpus, tmp)
            log(f"{corpus.name}: {len(corpus.docs)} documents, {len(corpus.queries)} queries")
            sd_ranked, sd_time = run_searchdoc(exe, corpus, tmp, folder, result["problems"])
            wh_ranked, wh_time = run_whoosh(corpus, tmp, folder)
            result["sets"][corpus.name] = {
                "documents": len(corpus.docs),
                "searchdoc": by_kind(corpus, sd_ranked),
                "whoosh": by_kind(corpus, wh_ranked),
            }
            result["timing"][corpus.name] = {"searchdoc": sd_time, "whoosh": wh_time}
            miss_rows += misses(corpus, sd_ranked)
    except BenchmarkError as exc:
        log(f"failed: {exc}")
        return 2
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    result["timing"]["total_s"] = round(time.perf_counter() - started, 1)

    text = json.dumps(result, ensure_ascii=False, indent=None)
    print(text)
    if args.out:
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n",
                            encoding="utf-8")
    if args.misses:
        with args.misses.open("w", encoding="utf-8") as fh:
            for row in miss_rows:
                fh.write("\t".join(row) + "\n")
    sys.stderr.write(table(result) + "\n")
    sys.stderr.write(f"total {result['timing']['total_s']} s\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
