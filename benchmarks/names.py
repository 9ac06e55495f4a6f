#!/usr/bin/env python3
"""Name-matching benchmark of the searchdoc CLI against plain whoosh, on ../shared/data.

How to run (from the repository root, in a venv where `pip install -e .` was done)::

    python benchmarks/names.py                      # everything, about ten minutes
    python benchmarks/names.py --limit-queries 300  # quick: at most 300 queries per set
    python benchmarks/names.py --out names.json --misses misses.tsv
    python benchmarks/names.py --sets sdn --kinds variant   # one set, one kind of alias

One JSON object is printed on stdout (and written to --out), a readable table on stderr.
Exit status: 0 when the benchmark ran, 2 when it could not (no data, no searchdoc, a
crash of the CLI).

Sets (see ../shared/data/README.md), each written in every document shape of SHAPES
(--shapes), each shape its own index: the name only on the first line as a list prints it
(``LAST, First``), in capitals, in a ``= Title =`` heading, in a ``Name: ...`` line among
other fields, in parts (``Surname:`` and ``Given names:`` lines), in a sentence, as the whole
of a one-line file, in a Markdown ``# `` heading,
in an HTML ``<title>``, in YAML front matter, or as a record of one list of everyone, CSV
or XML as the UN list writes it (a hit is mapped to its person by its ``record``):

``sdn``
    One document per individual of sdn_individuals.tsv (all of them): the listing as
    published, the program, the title and the remarks; never its aliases. Queries: the
    ``query`` column of sdn_aliases_dev.tsv; a hit is right when its source file is the
    alias's ``ent_num``. Figures per ``kind`` (overlap, variant, different) and for all.
``ar2lat`` / ``lat2ar``
    A deterministic sample of ar2en_train.tsv (``--pairs`` pairs, random.Random(seed)),
    one to one: a pair is skipped when its Arabic or its Latin name was already taken. One
    document per name in one script (Latin names capitalized as a document writes them),
    queried with the name in the other script. ar2lat: Arabic queries, Latin documents;
    lat2ar the other way round. Kind ``absent``: as many other names again, in no
    document (a hit for one is a false hit).
``sdn-absent``
    The SDN documents without the individuals of the test half, queried with the test
    half's aliases: every query names someone absent.
``mixed``
    Precision beside recall: one collection of profiles, news articles and a list, in
    several shapes and both scripts, where every passage knows whom it names, with namesake
    relatives, absent and made-up names (see ``bench/mixed.py``): the share of the first
    ten hits naming someone else, ``-c`` against the passages that truly name the person,
    the document about the person first, mentions found in the first 50, absent and
    made-up names exiting 1. Built once, not per shape.

The queries are split into two fixed halves, ``tune`` and ``test`` (a hash of the SDN
entry; alternately for the pairs): parameters are tuned on one, figures reported on the
other (``--half``; the JSON has both and ``all``). For absent names the figure is
``false_hit_share``: the share of queries that returned any hit.

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
import html
import io
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

sys.path.insert(0, str(Path(__file__).resolve().parent))  # (bench/)

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT.parent / "shared" / "data"
TOP = 10


@dataclass(frozen=True)
class Query:
    text: str
    expected: str  # document id (file stem); "" for a name that is in no document
    kind: str
    half: str = "test"  # "tune" or "test": which half of the development data


@dataclass
class Corpus:
    name: str
    docs: dict[str, str]  # document id -> file content (records: the row, a JSON list)
    labels: dict[str, str]  # document id -> the name it is about (for --misses)
    queries: list[Query]
    shape: str = ""
    arabic: bool = False  # the documents are in Arabic script


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


# Document shapes: where a document puts the name of the person it is about. Each corpus
# is written in every shape; the figures are given per shape.
SHAPES = ("listing", "caps", "title", "field", "prose", "oneline", "markdown", "html",
          "frontmatter", "records", "xml", "parts")
LIST_SHAPES = {"records": "people.csv", "xml": "consolidated.xml"}  # one file of everyone
SHAPE_HELP = {
    "listing": "the name only on the first line, as a list prints it (LAST, First), then text",
    "caps": "the name only on the first line in capitals (FIRST LAST), then text",
    "title": "the name only in a `= Title =` heading, then text",
    "field": "the name only in a `Name: ...` line among other `Key: value` lines",
    "prose": "the name in a sentence of the text (no title line)",
    "oneline": "a file of one line: the name alone",
    "markdown": "a Markdown file: the name only in its `# ` heading, then text",
    "html": "an HTML page: the name only in its <title>, then a paragraph",
    "frontmatter": "a Markdown file: the name only in its YAML front matter (`name: ...`)",
    "records": "one CSV list of every person: a row each, the name in its name column",
    "xml": "one XML list of every person as the UN list writes it: the name in FIRST_NAME "
           "and SECOND_NAME (Arabic: NAME_ORIGINAL_SCRIPT)",
    "parts": "the name in parts, one field each: `Surname: ...` then `Given names: ...`",
}
# The file a document of each shape is written to (records: one file for all of them).
SHAPE_SUFFIX = {"markdown": ".md", "html": ".html", "frontmatter": ".md"}
_AR_KEYS = {"program": "البرنامج", "title": "الصفة", "remarks": "ملاحظات"}
LATIN_FILLER = "Listed in the register of persons. The entry gives no further details."
ARABIC_FILLER = "ورد في سجل الأشخاص المدرجين. ولا يذكر السجل تفاصيل أخرى."


def shaped(shape: str, listing: str, natural: str, extra: Sequence[tuple[str, str]],
           arabic: bool = False) -> str:
    """A document about one person in one shape. `listing`: the name as a list prints it;
    `natural`: the name in natural order; `extra`: (key, value) of what else is known."""
    filler = ARABIC_FILLER if arabic else LATIN_FILLER
    body = " ".join(f"{v.rstrip('.')}." for _k, v in extra) or filler
    if shape == "listing":
        return f"{listing}\n\n{body}\n"
    if shape == "caps":
        return f"{natural.upper()}\n\n{body}\n"
    if shape == "title":
        return f"= {natural} =\n\n{body}\n"
    if shape == "field":
        key = "الاسم" if arabic else "Name"
        lines = [f"{key}: {listing}"]
        lines += [f"{(_AR_KEYS.get(k, k) if arabic else k.capitalize())}: {v}" for k, v in extra]
        if len(lines) == 1:
            lines.append("الحالة: مدرج" if arabic else "Status: listed")
        return "\n".join(lines) + "\n"
    if shape == "parts":
        if ", " in listing:
            family, _sep, given = listing.partition(", ")
        else:
            given, _sep, family = natural.rpartition(" ")
        keys = ("اسم العائلة", "الاسم الأول") if arabic else ("Surname", "Given names")
        lines = [f"{keys[0]}: {family}"] + ([f"{keys[1]}: {given}"] if given else [])
        lines += [f"{(_AR_KEYS.get(k, k) if arabic else k.capitalize())}: {v}" for k, v in extra]
        return "\n".join(lines) + "\n"
    if shape == "prose":
        verb = "ورد اسم" if arabic else "The register lists"
        return f"{verb} {natural}. {body}\n"
    if shape == "oneline":
        return f"{listing}\n"
    if shape == "markdown":
        return f"# {natural}\n\n{body}\n"
    if shape == "html":
        lang = ' lang="ar" dir="rtl"' if arabic else ""
        return (f"<!DOCTYPE html>\n<html{lang}>\n<head><meta charset=\"utf-8\">"
                f"<title>{html.escape(natural)}</title></head>\n"
                f"<body>\n<p>{html.escape(body)}</p>\n</body>\n</html>\n")
    if shape == "frontmatter":
        return f"---\nname: {json.dumps(listing, ensure_ascii=False)}\n---\n\n{body}\n"
    if shape in LIST_SHAPES:  # one record of the list: (name, then the other columns)
        return json.dumps([listing, *[v for _k, v in extra]], ensure_ascii=False)
    raise ValueError(shape)


def half_of(key: str, seed: int = 1) -> str:
    """"tune" or "test": a fixed split of the development data in two halves."""
    import hashlib

    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return "tune" if digest[0] % 2 == 0 else "test"


def sdn_rows(data: Path) -> list[dict[str, str]]:
    return read_tsv(data / "sdn_individuals.tsv")


def sdn_corpus(data: Path, n_queries: int | None, kinds: set[str] | None = None,
               shape: str = "titled", exclude_half: str | None = None) -> Corpus:
    """One document per SDN individual in `shape` ("titled": the benchmark's shape before
    shapes, `= LISTING =` then the name again and `Key: value` lines, kept for ceiling.py).
    `exclude_half`: leave out the individuals whose aliases are in that half, and query
    those aliases (the precision set: every query names someone absent)."""
    docs: dict[str, str] = {}
    labels: dict[str, str] = {}
    for row in sdn_rows(data):
        ent = row["ent_num"].strip()
        if exclude_half and half_of(ent) == exclude_half:
            continue
        listing = row["listing"].strip()
        extra = [(k, (row.get(k) or "").strip()) for k in ("program", "title", "remarks")]
        extra = [(k, v) for k, v in extra if v]
        if shape == "titled":
            lines = [f"= {listing} =", "", natural_order(listing)]
            lines += [f"{k.capitalize()}: {v}" for k, v in extra]
            docs[ent] = "\n".join(lines) + "\n"
        else:
            docs[ent] = shaped(shape, listing, natural_order(listing), extra)
        labels[ent] = listing
    queries = [
        Query(r["query"].strip(), r["ent_num"].strip(), r["kind"].strip(),
              half_of(r["ent_num"].strip())) if not exclude_half else
        # the absent people's aliases, in two halves of their own
        Query(r["query"].strip(), "", "absent", half_of(r["ent_num"].strip(), seed=2))
        for r in read_tsv(data / "sdn_aliases_dev.tsv")
        if r["query"].strip() and (not kinds or r["kind"].strip() in kinds)
        and (r["ent_num"].strip() in docs if not exclude_half
             else half_of(r["ent_num"].strip()) == exclude_half)
    ]
    name = "sdn" if not exclude_half else "sdn-absent"
    return Corpus(name, docs, labels, limit(queries, n_queries), shape)


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


def ar2en_corpus(pairs: Sequence[tuple[str, str]], direction: str, n_queries: int | None,
                 shape: str = "titled", absent: Sequence[tuple[str, str]] = ()) -> Corpus:
    """One document per pair, the name in one script, queried in the other. `absent`:
    pairs with no document, queried too (kind "absent": the precision set)."""
    docs: dict[str, str] = {}
    labels: dict[str, str] = {}
    queries = []
    arabic_docs = direction == "lat2ar"
    for i, (ar, lat) in enumerate(pairs):
        doc_id = f"n{i:05d}"
        doc_name, query = (capitalize(lat), ar) if direction == "ar2lat" else (ar, lat)
        if shape == "titled":
            docs[doc_id] = f"= {doc_name} =\n\n{doc_name}.\n"
        else:
            listing = doc_name.upper() if shape == "listing" and not arabic_docs else doc_name
            docs[doc_id] = shaped(shape, listing, doc_name, [], arabic=arabic_docs)
        labels[doc_id] = doc_name
        queries.append(Query(query, doc_id, direction, "tune" if i % 2 == 0 else "test"))
    for j, (ar, lat) in enumerate(absent):
        queries.append(Query(lat if arabic_docs else ar, "", "absent",
                             "tune" if j % 2 == 0 else "test"))
    return Corpus(direction, docs, labels, limit(queries, n_queries), shape, arabic_docs)


def write_corpus(corpus: Corpus, root: Path) -> Path:
    folder = root / corpus.name
    folder.mkdir(parents=True)
    if corpus.shape in LIST_SHAPES:
        write = records_csv if corpus.shape == "records" else records_xml
        (folder / LIST_SHAPES[corpus.shape]).write_text(write(corpus), encoding="utf-8")
        return folder
    suffix = SHAPE_SUFFIX.get(corpus.shape, ".txt")
    for doc_id, text in corpus.docs.items():
        (folder / f"{doc_id}{suffix}").write_text(text, encoding="utf-8")
    return folder


def records_csv(corpus: Corpus) -> str:
    """The "records" shape: one CSV list, a row per document in the order of corpus.docs
    (record N of the file is the Nth document), the name in the first column."""
    rows = [json.loads(row) for row in corpus.docs.values()]
    width = max(len(r) for r in rows)
    head = (["الاسم", "البرنامج", "الصفة", "ملاحظات"] if corpus.arabic
            else ["name", "program", "title", "remarks"])[:max(width, 2)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(head)
    for r in rows:
        writer.writerow(r + [""] * (len(head) - len(r)))
    return out.getvalue()


def records_xml(corpus: Corpus) -> str:
    """The "xml" shape: one XML list as the UN Consolidated List writes it, an INDIVIDUAL
    per document in the order of corpus.docs; a Latin name in parts (FIRST_NAME, then the
    family name as SECOND_NAME), an Arabic one as NAME_ORIGINAL_SCRIPT."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<CONSOLIDATED_LIST>", "  <INDIVIDUALS>"]
    for n, row in enumerate(corpus.docs.values()):
        name, *rest = json.loads(row)
        out += ["    <INDIVIDUAL>", f"      <DATAID>{n + 1}</DATAID>"]
        if corpus.arabic:
            out.append(f"      <NAME_ORIGINAL_SCRIPT>{html.escape(name)}</NAME_ORIGINAL_SCRIPT>")
        else:
            family, _sep, given = name.partition(", ")
            if given:
                out.append(f"      <FIRST_NAME>{html.escape(given)}</FIRST_NAME>")
            out.append(f"      <SECOND_NAME>{html.escape(family)}</SECOND_NAME>")
        for tag, value in zip(("UN_LIST_TYPE", "DESIGNATION", "COMMENTS1"), rest):
            if value:
                out.append(f"      <{tag}>{html.escape(value)}</{tag}>")
        out.append("    </INDIVIDUAL>")
    out += ["  </INDIVIDUALS>", "</CONSOLIDATED_LIST>"]
    return "\n".join(out) + "\n"


def document_of(corpus: Corpus, hit: dict[str, Any], ids: Sequence[str]) -> str:
    """The document id a hit is about: its file, or for the records shape its record
    (`ids`: the documents in order)."""
    if corpus.shape in LIST_SHAPES:
        return ids[int(hit["record"]) - 1]
    return Path(hit["source"]).stem


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
                  problems: list[str], engine: Sequence[str] = (),
                  ) -> tuple[dict[str, list[str]], dict[str, float]]:
    """`engine`: more options of both commands (``--engine opensearch --url URL``: the
    embedded index, already built, is published to the cluster, and queried there)."""
    idx = root / f"index-{corpus.name}"
    t0 = time.perf_counter()
    proc = subprocess.run([exe, "index", folder.name, "--index", str(idx), *engine], cwd=root,
                          capture_output=True, text=True)
    t_index = time.perf_counter() - t0
    texts = list(dict.fromkeys(q.text for q in corpus.queries))
    if proc.returncode != 0:
        if "nothing to index" not in proc.stderr:
            raise BenchmarkError(f"searchdoc index exited {proc.returncode}: "
                                 f"{proc.stderr.strip()[-500:]}")
        # every document skipped (a shape searchdoc cannot read): nothing is ever found
        problems.append(f"{corpus.name}: nothing indexed ({proc.stderr.strip()[-120:]})")
        return {}, {"index_s": round(t_index, 2), "query_s": 0.0, "ms_per_query": 0.0}
    t0 = time.perf_counter()
    proc = subprocess.run([exe, "query", "-", "--json", "--index", str(idx), "--limit", str(TOP),
                           *engine],
                          cwd=root, input="\n".join(texts) + "\n", capture_output=True, text=True)
    t_query = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise BenchmarkError(f"searchdoc query exited {proc.returncode}: {proc.stderr.strip()}")
    known = set(texts)
    ids = list(corpus.docs)
    ranked: dict[str, list[str]] = defaultdict(list)
    for line in proc.stdout.splitlines():
        if not line.strip():
            continue
        try:
            hit = json.loads(line)
            doc_id = document_of(corpus, hit, ids)
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
        for doc_id, text in corpus.docs.items():  # records: a document per row
            if corpus.shape in LIST_SHAPES:
                text = " ".join(json.loads(text))
            writer.add_document(id=doc_id, body=text)
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
    """recall@1, recall@10, MRR of queries with a right document; for names in no document
    (expected ""), the share of queries that returned a hit (`false_hit_share`)."""
    n = at1 = at10 = zero = absent = false_hits = 0
    rr = 0.0
    for q in queries:
        docs = ranked.get(q.text, [])[:TOP]
        if not q.expected:
            absent += 1
            false_hits += bool(docs)
            continue
        n += 1
        zero += not docs
        if q.expected in docs:
            rank = docs.index(q.expected) + 1
            at1 += rank == 1
            at10 += 1
            rr += 1 / rank
    out: dict[str, Any] = {}
    if n:
        out = {"queries": n, "recall@1": round(at1 / n, 4), "recall@10": round(at10 / n, 4),
               "mrr": round(rr / n, 4), "zero_hits": zero}
    if absent:
        out.update({"absent_queries": absent, "false_hit_share": round(false_hits / absent, 4)})
    return out


def by_kind(corpus: Corpus, ranked: dict[str, list[str]], halves: Sequence[str]
            ) -> dict[str, Any]:
    """Figures per kind of query and per half ("tune", "test", and "all")."""
    out: dict[str, Any] = {}
    for kind in sorted({q.kind for q in corpus.queries}) + ["all"]:
        qs = [q for q in corpus.queries if kind in ("all", q.kind)]
        if kind == "all" and len({q.kind for q in corpus.queries}) == 1:
            continue
        out[kind] = {h: figures([q for q in qs if h == "all" or q.half == h], ranked)
                     for h in halves}
    return out


def misses(corpus: Corpus, ranked: dict[str, list[str]], shape: str) -> Iterable[list[str]]:
    for q in corpus.queries:
        docs = ranked.get(q.text, [])[:TOP]
        if not q.expected:
            if docs:
                yield [corpus.name, shape, q.kind, q.half, q.text, "", "hit",
                       corpus.labels.get(docs[0], docs[0])]
            continue
        if docs and docs[0] == q.expected:
            continue
        rank = str(docs.index(q.expected) + 1) if q.expected in docs else "-"
        first = corpus.labels.get(docs[0], docs[0]) if docs else ""
        yield [corpus.name, shape, q.kind, q.half, q.text, corpus.labels[q.expected], rank, first]


def table(result: dict[str, Any], half: str) -> str:
    """Per set and kind, one row per engine: R@1/R@10 in each shape (`half` of the queries),
    and the spread of R@10 across shapes; absent names: the share that returned a hit."""
    shapes = result["shapes"]
    head = f"{'set':<11}{'kind':<10}{'engine':<10}{'n':>5} " + " ".join(
        f"{s:>11}" for s in shapes) + f" {'spread':>7}"
    rows = [f"({half} half: R@1/R@10 per shape; absent: share of queries with a hit)", head]
    for set_name, per_shape in result["sets"].items():
        kinds = list(next(iter(per_shape.values()))["searchdoc"])
        for kind in kinds:
            for engine in ("searchdoc", "whoosh"):
                if not any(engine in per_shape.get(sh, {}) for sh in shapes):
                    continue
                cells, r10 = [], []
                n = 0
                for shape in shapes:
                    f = per_shape.get(shape, {}).get(engine, {}).get(kind, {}).get(half, {})
                    if "false_hit_share" in f and "queries" not in f:
                        cells.append(f"{f['false_hit_share']:>11.3f}")
                        n = f["absent_queries"]
                    elif f.get("queries"):
                        cells.append(f"{f['recall@1']:.3f}/{f['recall@10']:.3f}".rjust(11))
                        r10.append(f["recall@10"])
                        n = f["queries"]
                    else:
                        cells.append(f"{'-':>11}")
                spread = f"{max(r10) - min(r10):>7.3f}" if len(r10) > 1 else f"{'':>7}"
                rows.append(f"{set_name:<11}{kind:<10}{engine:<10}{n:>5} " + " ".join(cells)
                            + f" {spread}")
    return "\n".join(rows)


def drop(engine: Sequence[str]) -> None:
    """Delete the indexes one corpus made on the cluster, once measured."""
    from searchdoc.stores.opensearch import Cluster

    cluster = Cluster(engine[-1])
    try:
        for kind in ("passages", "entities", "meta"):
            cluster.request("DELETE", f"/{cluster.name}-{kind}-*", allow=(404,))
    finally:
        cluster.close()


def engine_table(result: dict[str, Any], half: str) -> str:
    """Recall@10 (and @1) per set and shape on both engines, and the largest difference."""
    rows = [f"recall on the OpenSearch cluster against embedded ({half} half)",
            f"{'set, kind':<24}{'shape':<12}{'R@10 emb':>10}{'R@10 os':>10}{'R@1 emb':>10}"
            f"{'R@1 os':>10}"]
    worst = 0.0
    for name, shapes in result["sets"].items():
        for shape, entry in shapes.items():
            if "opensearch" not in entry:
                continue
            for kind, figs in entry["searchdoc"].items():
                a, b = figs[half], entry["opensearch"][kind][half]
                if "recall@10" not in a:
                    a, b = ({"recall@10": x.get("false_hit_share", 0.0), "recall@1": 0.0}
                            for x in (a, b))
                worst = max(worst, abs(a["recall@10"] - b["recall@10"]),
                            abs(a["recall@1"] - b["recall@1"]))
                rows.append(f"{name + ' ' + kind:<24}{shape:<12}{a['recall@10']:>10.3f}"
                            f"{b['recall@10']:>10.3f}{a['recall@1']:>10.3f}{b['recall@1']:>10.3f}")
    rows.append(f"largest difference: {worst:.4f}")
    if "precision_opensearch" in result:
        rows.append("mixed (precision) on the cluster: "
                    + ("the same figures" if result["precision_opensearch"] == result["precision"]
                       else "differs: see precision_opensearch in the JSON"))
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA_DIR, help="folder of the TSV files")
    ap.add_argument("--limit-queries", type=int, default=None, metavar="N",
                    help="at most N queries per set (a deterministic sample)")
    ap.add_argument("--pairs", type=int, default=2000, help="Arabic/Latin pairs to sample")
    ap.add_argument("--seed", type=int, default=0, help="seed of the Arabic/Latin sample")
    ap.add_argument("--sets", default="sdn,ar2lat,lat2ar,sdn-absent,mixed",
                    help="comma-separated sets to run (mixed: the precision set, one "
                         "collection of several shapes, not per shape)")
    ap.add_argument("--kinds", default=None,
                    help="comma-separated kinds of sdn queries to run (default: all)")
    ap.add_argument("--shapes", default=",".join(SHAPES),
                    help=f"comma-separated document shapes (default: all of {', '.join(SHAPES)})")
    ap.add_argument("--half", default="test", choices=("tune", "test", "all"),
                    help="which half of the queries the table shows (the JSON has all three)")
    ap.add_argument("--no-whoosh", action="store_true", help="skip the plain-whoosh floor")
    ap.add_argument("--engine", choices=("whoosh", "opensearch"), default="whoosh",
                    help="opensearch: also every set on a real three-node OpenSearch cluster "
                         "(started from tests/cluster), beside the embedded figures")
    ap.add_argument("--searchdoc", default=None, help="the searchdoc executable")
    ap.add_argument("--out", type=Path, default=None, help="also write the JSON here")
    ap.add_argument("--misses", type=Path, default=None, help="write searchdoc misses (TSV)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = ap.parse_args(argv)

    started = time.perf_counter()
    shapes = [s.strip() for s in args.shapes.split(",") if s.strip()]
    try:
        exe = find_searchdoc(args.searchdoc)
        if not (args.data / "sdn_individuals.tsv").exists():
            raise BenchmarkError(f"no data in {args.data}")
        if unknown := [s for s in shapes if s not in SHAPES + ("titled",)]:
            raise BenchmarkError(f"unknown shapes {unknown}; known: {', '.join(SHAPES)}")
        wanted = [s.strip() for s in args.sets.split(",") if s.strip()]
        kinds = {k.strip() for k in args.kinds.split(",")} if args.kinds else None
        pairs = ar2en_pairs(args.data, 2 * args.pairs, args.seed)
        present, absent = pairs[:args.pairs], pairs[args.pairs:]

        def corpora(shape: str) -> Iterable[Corpus]:
            if "sdn" in wanted:
                yield sdn_corpus(args.data, args.limit_queries, kinds, shape)
            for d in ("ar2lat", "lat2ar"):
                if d in wanted:
                    yield ar2en_corpus(present, d, args.limit_queries, shape,
                                       absent[:len(present) // 2])
            if "sdn-absent" in wanted:
                yield sdn_corpus(args.data, args.limit_queries, None, shape, exclude_half="test")
    except (BenchmarkError, OSError, KeyError) as exc:
        log(f"cannot run: {exc}")
        return 2

    from searchdoc.names.keys import NORMALIZER_VERSION

    result: dict[str, Any] = {
        "normalizer_version": NORMALIZER_VERSION,
        "data": str(args.data),
        "limit_queries": args.limit_queries,
        "pairs": args.pairs,
        "seed": args.seed,
        "shapes": shapes,
        "shape_help": {s: SHAPE_HELP.get(s, "") for s in shapes},
        "sets": {},
        "timing": {},
        "problems": [],
    }
    halves = ("tune", "test", "all")
    miss_rows: list[list[str]] = []
    tmp = Path(tempfile.mkdtemp(prefix="searchdoc-names-"))
    cluster = None
    try:
        if args.engine == "opensearch":
            from bench.cluster import start_cluster

            cluster = start_cluster(3, tmp / "cluster")

        def on_cluster(name: str) -> list[str]:
            if cluster is None:
                return []
            tag = "".join(c if c.isalnum() else "-" for c in name.lower())
            return ["--engine", "opensearch", "--url", f"{cluster.url}/names-{tag}"]

        for shape in shapes:
            for corpus in corpora(shape):
                work = tmp / shape
                work.mkdir(exist_ok=True)
                folder = write_corpus(corpus, work)
                log(f"{corpus.name} ({shape}): {len(corpus.docs)} documents, "
                    f"{len(corpus.queries)} queries")
                sd_ranked, sd_time = run_searchdoc(exe, corpus, work, folder, result["problems"])
                entry = {"documents": len(corpus.docs),
                         "searchdoc": by_kind(corpus, sd_ranked, halves)}
                timing = {"searchdoc": sd_time}
                if cluster is not None:
                    os_ranked, timing["opensearch"] = run_searchdoc(
                        exe, corpus, work, folder, result["problems"],
                        on_cluster(f"{corpus.name}-{shape}"))
                    entry["opensearch"] = by_kind(corpus, os_ranked, halves)
                    drop(on_cluster(f"{corpus.name}-{shape}"))  # (a cluster of 48 would not fit)
                if not args.no_whoosh:
                    wh_ranked, timing["whoosh"] = run_whoosh(corpus, work, folder)
                    entry["whoosh"] = by_kind(corpus, wh_ranked, halves)
                result["sets"].setdefault(corpus.name, {})[shape] = entry
                result["timing"].setdefault(corpus.name, {})[shape] = timing
                miss_rows += misses(corpus, sd_ranked, shape)
        if "mixed" in wanted:
            from bench import mixed

            collection = mixed.build(sdn_rows(args.data), present, absent, natural_order, half_of)
            log(f"mixed: {len(collection.files)} files, {len(collection.queries)} queries")
            t0 = time.perf_counter()
            result["precision"] = mixed.run(exe, collection, tmp, result["problems"])
            result["timing"]["mixed"] = round(time.perf_counter() - t0, 1)
            if cluster is not None:
                result["precision_opensearch"] = mixed.run(
                    exe, collection, tmp, result["problems"], on_cluster("mixed"))
    except (BenchmarkError, RuntimeError) as exc:
        log(f"failed: {exc}")
        return 2
    finally:
        if cluster is not None:
            cluster.stop()
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
    sys.stderr.write(table(result, args.half) + "\n")
    if "precision" in result:
        from bench import mixed

        sys.stderr.write(mixed.table(result["precision"], args.half) + "\n")
    if args.engine == "opensearch":
        sys.stderr.write(engine_table(result, args.half) + "\n")
    sys.stderr.write(f"total {result['timing']['total_s']} s\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
