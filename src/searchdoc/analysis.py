"""whoosh analyzers that wrap :mod:`searchdoc.normalize`.

They only adapt :func:`normalize.units` to whoosh's token stream; every decision about
text lives in ``normalize``. Queries never go through these analyzers: ``search`` builds
whoosh terms from the same ``normalize.units``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Analyzer, Token

from searchdoc.normalize import Unit, units

# Which terms of a unit a field indexes.
EXACT = "exact"  # the words as written (phrases: positions)
FOLDED = "folded"  # folded forms that differ from the exact ones
KEYS = "keys"  # spelling-variant keys of name-like units
ALL = "all"  # exact and folded together (citations)
NAMES = "names"  # exact, folded and keys together (the title and stated names)


def unit_terms(unit: Unit, form: str) -> tuple[str, ...]:
    if form == EXACT:
        return unit.exact
    if form == FOLDED:
        return tuple(f for f in unit.folded if f not in unit.exact)
    if form == KEYS:
        return unit.keys if unit.name_like else ()
    if form == NAMES:
        return tuple(dict.fromkeys(unit.exact + unit.folded + (unit.keys if unit.name_like else ())))
    return tuple(dict.fromkeys(unit.exact + unit.folded))


class UnitAnalyzer(Analyzer):
    """Yields one form of the name units of a text (see :func:`unit_terms`)."""

    def __init__(self, form: str) -> None:
        self.form = form

    def __repr__(self) -> str:
        return f"UnitAnalyzer({self.form!r})"

    def __call__(  # type: ignore[override]
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        form = self.form
        for unit in units(value):
            for term in unit_terms(unit, form):
                t.text = term
                t.boost = 1.0
                t.stopped = False
                if keeporiginal:
                    t.original = term  # type: ignore[attr-defined]  # (whoosh's Token takes any attribute)
                if positions:
                    t.pos = start_pos + unit.pos
                if chars:
                    t.startchar = start_char + unit.start
                    t.endchar = start_char + unit.end
                yield t
