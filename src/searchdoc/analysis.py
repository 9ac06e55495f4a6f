"""What each field of a passage indexes: the terms of its text, made by the same code
(:func:`searchdoc.names.keys.units`) that analyses a query.

Engine-free: :mod:`searchdoc.store` hands these terms to whoosh, and any other engine
would be given the same terms (the analysis is done here, never by the engine). Queries
never go through these functions: ``search`` builds its terms from the same units.
"""

from __future__ import annotations

from collections.abc import Iterator

from searchdoc.names.keys import Unit, units

# Which terms of a unit a field indexes.
EXACT = "exact"  # the words as written
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


def field_terms(text: str, form: str) -> dict[str, int]:
    """The terms one form of a field indexes for `text`, each with how many times it
    occurs (in the order they first occur): what the field's length counts."""
    counts: dict[str, int] = {}
    get = counts.get
    for unit in units(text):
        for term in unit_terms(unit, form):
            counts[term] = get(term, 0) + 1
    return counts


def field_tokens(text: str, form: str) -> Iterator[tuple[str, Unit]]:
    """The terms of `text` one at a time, each with the unit it comes from (its
    position and characters)."""
    for unit in units(text):
        for term in unit_terms(unit, form):
            yield term, unit
