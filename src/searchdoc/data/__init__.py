"""Word lists as plain files: general knowledge of how names and documents are written
(never a list of particular people), read by one cached loader.

Each file is UTF-8 text; ``#`` starts a comment line; ``[section]`` lines divide a file
into sections. Their :func:`fingerprint` is part of the index format
(:data:`searchdoc.index.handle.INDEX_FORMAT`): editing a list rebuilds every index on its
next update, as a new normalizer version does (not a list read only at query time,
:data:`QUERY_ONLY`).
"""

from __future__ import annotations

import hashlib
from functools import cache, lru_cache
from pathlib import Path

FOLDER = Path(__file__).parent


@cache
def _lines(name: str) -> tuple[str, ...]:
    try:
        text = (FOLDER / name).read_text(encoding="utf-8")
    except OSError:  # a damaged install: the lists are missing, searchdoc still runs
        return ()
    return tuple(s for line in text.split("\n") if (s := line.strip()) and not s.startswith("#"))


def lines(name: str) -> tuple[str, ...]:
    """The lines of a list that are not comments, in order."""
    return _lines(name)


def words(name: str) -> tuple[str, ...]:
    """The words of a list, in order: every whitespace-separated word of its lines."""
    return tuple(w for line in _lines(name) if not line.startswith("[") for w in line.split())


def sections(name: str) -> dict[str, tuple[str, ...]]:
    """The lines of a list by section (``[name]`` lines), in order."""
    out: dict[str, list[str]] = {}
    current = out.setdefault("", [])
    for line in _lines(name):
        if line.startswith("[") and line.endswith("]"):
            current = out.setdefault(line[1:-1], [])
        else:
            current.append(line)
    return {k: tuple(v) for k, v in out.items() if v}


def pairs(lines: tuple[str, ...]) -> dict[str, str]:
    """``word = canonical`` lines as a mapping."""
    return {a.strip(): b.strip() for a, _eq, b in (line.partition("=") for line in lines)}


# Lists read only when a query's hits are judged, never at index time: an index does not
# depend on them, and editing one rebuilds none (not the common given names and words of
# Arabic script: they say which words are a particle and a name written joined, ونتنياهو)
QUERY_ONLY = frozenset({"organization_words.txt"})


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """A short hash of every list an index depends on: what the index format says of
    them."""
    h = hashlib.sha256()
    for path in sorted(FOLDER.glob("*.txt")):
        if path.name not in QUERY_ONLY:
            h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:12]
