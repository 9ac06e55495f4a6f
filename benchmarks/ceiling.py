#!/usr/bin/env python3
"""How far the word-by-word evidence can take the SDN name benchmark: for each alias query,
how many other listings match it at least as well as the right one.

How to run (from the repository root, in a venv where `pip install -e .` was done)::

    python benchmarks/ceiling.py                    # overlap and variant, about a minute
    python benchmarks/ceiling.py --kinds overlap --out ceiling.json --cases cases.tsv

The SDN set of ``benchmarks/names.py`` (one document per individual, never its aliases) is
indexed with the CLI and queried through it in one batch (the recall@10 below). Then, in
this process, every document that matches a query at all is judged as searchdoc judges its
hits: per query word, the best way the document matched it, in the order the ranking
promises (exact > same letters > spelling variant > title/section/citation > none). For
the right document R of a query, another document D is

``better``
    when it matched every query word at least as well as R, and one better;
``equal``
    when it matched every query word exactly as well as R.

No ranking that orders documents by that evidence (the issue's rule: an exact match beats
a folded one, which beats a variant) can put R in the first ten when ten documents are
better; where ``better`` + ``equal`` reach ten, R's place depends only on how documents of
equal evidence are ordered (their length, their order in the index), not on the names.

Figures per kind:

``recall@10``       what the CLI returned (as in names.py)
``no_evidence``     queries whose right document matches none of their words
``outranked``       queries with ten or more better documents
``tie_decides``     queries with fewer than ten better ones, but ten or more better or equal
``ceiling``         recall@10 of a ranking that wins every tie: 1 - (no_evidence + outranked) / n
``expected``        recall@10 of the best ranking by evidence when equals are ordered at
                    random: the mean of min(1, max(0, (10 - better) / (equal + 1)))

And per half of the queries (``tune``, ``test``), the ceiling of the rule that a common
given name alone is no hit (``rule_ceiling``): the share of the queries that share with the
right listing, word for word (each listing word answering one query word, as closely as
the graded similarity's threshold asks), two words or more or one that is no common given
name. An alias such as "Luis Lopez" for "AMEZCUA CONTRERAS, Luis Ignacio" shares only a
given name: no hit by that rule, whatever the ranking.

``--cases FILE`` writes one line per query whose right document is not in the CLI's first
ten: kind, query, listing, better, equal (both empty: no evidence).

It reads the evidence the ranking orders by through ``Searcher.evidence`` (unranked
candidates, how each query word matched): a diagnostic of the ranking.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import names  # (the benchmark next to this one: same corpus, same CLI run)

TOP = names.TOP
# the order of evidence the ranking promises, per query word
STRENGTH = {"exact": 4, "folded": 3, "variant": 2, "title": 1, "section": 1, "citation": 1, "": 0}


def evidence(searcher: Any, text: str) -> dict[str, tuple[int, ...]]:
    """Per document that matches `text` at all, per query word, the strength of its best
    match (the best passage of the document)."""
    found: dict[str, tuple[int, ...]] = {}
    for source, tiers in searcher.evidence(text):
        vec = tuple(STRENGTH[t] for t in tiers)
        doc = Path(source).stem
        if doc not in found or sum(vec) > sum(found[doc]):
            found[doc] = vec
    return found


def judge(found: dict[str, tuple[int, ...]], right: str) -> tuple[int, int] | None:
    """(better, equal) documents against the right one; None when it has no evidence."""
    mine = found.get(right)
    if mine is None or not any(mine):
        return None
    better = equal = 0
    for doc, vec in found.items():
        if doc == right:
            continue
        if vec == mine:
            equal += 1
        elif all(a >= b for a, b in zip(vec, mine)):
            better += 1
    return better, equal


def shares_more_than_a_given_name(query: str, listing: str) -> bool:
    """Whether `query` shares with the name `listing` two words or one that is no common
    given name, each listing word answering one query word by the graded similarity."""
    from searchdoc.names.agree import common_given
    from searchdoc.names.keys import query_units, units
    from searchdoc.names.similarity import similarity, threshold

    left = units(names.natural_order(listing))
    shared = []
    for u in query_units(query):
        close = [(similarity(u, w), k) for k, w in enumerate(left)
                 if similarity(u, w) >= threshold(u.folded[0], w.folded[0])]
        if close:
            left.pop(max(close)[1])
            shared.append(u)
    return len(shared) >= 2 or any(not common_given(u) for u in shared)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=names.DATA_DIR, help="folder of the TSV files")
    ap.add_argument("--kinds", default="overlap,variant",
                    help="comma-separated kinds of sdn queries (default: overlap,variant)")
    ap.add_argument("--searchdoc", default=None, help="the searchdoc executable")
    ap.add_argument("--out", type=Path, default=None, help="also write the JSON here")
    ap.add_argument("--cases", type=Path, default=None,
                    help="write the queries whose right document is not in the first ten (TSV)")
    args = ap.parse_args(argv)

    try:
        exe = names.find_searchdoc(args.searchdoc)
        if not (args.data / "sdn_individuals.tsv").exists():
            raise names.BenchmarkError(f"no data in {args.data}")
        kinds = {k.strip() for k in args.kinds.split(",") if k.strip()}
        corpus = names.sdn_corpus(args.data, None, kinds)
    except (names.BenchmarkError, OSError, KeyError) as exc:
        names.log(f"cannot run: {exc}")
        return 2

    from searchdoc.index.handle import open_index
    from searchdoc.search import Searcher

    tmp = Path(tempfile.mkdtemp(prefix="searchdoc-ceiling-"))
    try:
        folder = names.write_corpus(corpus, tmp)
        names.log(f"{corpus.name}: {len(corpus.docs)} documents, {len(corpus.queries)} queries")
        ranked, _timing = names.run_searchdoc(exe, corpus, tmp, folder, [])
        counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        cases = []
        with open_index(tmp / f"index-{corpus.name}") as handle, \
                Searcher(handle.reader, handle.entity_index, aliases=False) as searcher:
            for q in corpus.queries:
                c = counts[q.kind]
                c["queries"] += 1
                docs = ranked.get(q.text, [])[:TOP]
                c["in_first_ten"] += q.expected in docs
                h = counts[f"{q.kind}/{q.half}"]
                h["queries"] += 1
                h["in_first_ten"] += q.expected in docs
                h["shares_more"] += shares_more_than_a_given_name(
                    q.text, corpus.labels[q.expected])
                verdict = judge(evidence(searcher, q.text), q.expected)
                if verdict is None:
                    c["no_evidence"] += 1
                else:
                    better, equal = verdict
                    c["outranked"] += better >= TOP
                    c["tie_decides"] += better < TOP <= better + equal
                    c["expected_hits"] += min(1.0, max(0.0, (TOP - better) / (equal + 1)))
                if q.expected not in docs:
                    cases.append([q.kind, q.text, corpus.labels[q.expected],
                                  *(("", "") if verdict is None else map(str, verdict))])
    except names.BenchmarkError as exc:
        names.log(f"failed: {exc}")
        return 2
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    result: dict[str, Any] = {}
    for kind, c in sorted(counts.items()):
        n = c["queries"]
        if "/" in kind:
            kind, half = kind.split("/")
            result[kind].setdefault("halves", {})[half] = {
                "queries": int(n),
                "recall@10": round(c["in_first_ten"] / n, 4),
                "rule_ceiling": round(c["shares_more"] / n, 4),
            }
            continue
        result[kind] = {
            "queries": int(n),
            "recall@10": round(c["in_first_ten"] / n, 4),
            "no_evidence": int(c["no_evidence"]),
            "outranked": int(c["outranked"]),
            "tie_decides": int(c["tie_decides"]),
            "ceiling": round(1 - (c["no_evidence"] + c["outranked"]) / n, 4),
            "expected": round(c["expected_hits"] / n, 4),
        }
    print(json.dumps(result))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    if args.cases:
        with args.cases.open("w", encoding="utf-8") as fh:
            for row in cases:
                fh.write("\t".join(row) + "\n")
    cols = ("queries", "recall@10", "no_evidence", "outranked", "tie_decides", "ceiling",
            "expected")
    lines = [f"{'kind':<9}" + "".join(f"{c:>13}" for c in cols)]
    for kind, f in result.items():
        lines.append(f"{kind:<9}" + "".join(f"{f[c]:>13}" for c in cols))
    lines.append("(per half: recall@10 / the ceiling of 'a common given name alone is no hit')")
    for kind, f in result.items():
        lines.append(f"{kind:<9}" + "".join(
            f"{half:>6} {h['recall@10']:.3f}/{h['rule_ceiling']:.3f} (n={h['queries']})"
            for half, h in sorted(f.get("halves", {}).items())))
    sys.stderr.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
