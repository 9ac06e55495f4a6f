#!/usr/bin/env python3
"""The analysis output of normalize.units on real name data, hashed, and its time per token.

For a change to the normalizer that must not change its output (a library taking over
hand-written code), run it before and after: the hashes must be equal; the times say what
the change costs.

    python benchmarks/normalize_check.py            # needs ../shared/data beside the repo
    python benchmarks/normalize_check.py --repeat 5

Texts (one call of ``normalize.units`` each): every column of ../shared/data/sdn_individuals.tsv
(listing, program, title, remarks), the alias and query columns of sdn_aliases_dev.tsv, both
columns of ar2en_train.tsv, and every line of the seed texts. What is hashed: per text, per
unit, its exact forms, folded forms and keys (SHA-256 of the JSON). The time: all texts
through ``normalize.units`` with every cache of the module emptied first (each word analysed
once, as at index time), the best of ``--repeat`` runs, divided by the number of words; the
Arabic texts (ar2en_train.tsv's Arabic column) are also timed alone.

Prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from functools import _lru_cache_wrapper
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"


def texts() -> tuple[list[str], list[str]]:
    """(all texts, the Arabic ones)."""
    out: list[str] = []
    arabic: list[str] = []
    with open(DATA / "sdn_individuals.tsv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            out.extend(row[k] or "" for k in ("listing", "program", "title", "remarks"))
    with open(DATA / "sdn_aliases_dev.tsv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            out.extend([row["alias"], row["query"]])
    with open(DATA / "ar2en_train.tsv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            out.extend([row["arabic"], row["latin"]])
            arabic.append(row["arabic"])
    for seed in sorted((REPO / "seeds").iterdir()):
        out.extend(seed.read_text(encoding="utf-8").splitlines())
    return out, arabic


def clear_caches(module: object) -> None:
    for value in vars(module).values():
        if isinstance(value, _lru_cache_wrapper):
            value.cache_clear()


def timed(normalize: object, batch: list[str], repeat: int) -> tuple[float, int]:
    """(best seconds, words) for `batch` through normalize.units with empty caches."""
    words = sum(len(normalize.exact_words(t)) for t in batch)  # type: ignore[attr-defined,misc]
    best = float("inf")
    for _ in range(repeat):
        clear_caches(normalize)
        start = time.perf_counter()
        for t in batch:
            normalize.units(t)  # type: ignore[attr-defined]
        best = min(best, time.perf_counter() - start)
    return best, words


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"normalize_check: no data at {DATA}", file=sys.stderr)
        return 2
    from searchdoc.names import keys as normalize

    all_texts, arabic = texts()
    digest = hashlib.sha256()
    units = 0
    for t in all_texts:
        us = normalize.units(t)
        units += len(us)
        digest.update(json.dumps([[u.exact, u.folded, u.keys] for u in us],
                                 ensure_ascii=False).encode())
        digest.update(b"\n")
    seconds, words = timed(normalize, all_texts, args.repeat)
    ar_seconds, ar_words = timed(normalize, arabic, args.repeat)
    print(json.dumps({
        "texts": len(all_texts),
        "units": units,
        "sha256": digest.hexdigest(),
        "words": words,
        "us_per_word": round(seconds / words * 1e6, 3),
        "arabic_words": ar_words,
        "arabic_us_per_word": round(ar_seconds / ar_words * 1e6, 3),
    }, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
