"""Whether two names, stated in different documents, name one person: word by word, each
word by its matching keys (:mod:`searchdoc.names.keys`), a common given name never enough."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from searchdoc.names.keys import LOOSE_PREFIX, Unit, is_arabic, units
from searchdoc.names.lexicon import ARABIC_WORLD_GIVEN_NAMES, COMMON_GIVEN_NAMES
from searchdoc.names.similarity import THRESHOLD, key_similarity, threshold

NameUnit = tuple[str, frozenset[str]]  # (folded form, matching keys)


def name_units(name: str) -> list[NameUnit]:
    """Per unit of a name: its folded form and its matching keys (variant keys, folded)."""
    out = []
    for u in units(name):
        keys = frozenset(u.keys) | frozenset(u.folded)
        if keys:
            out.append((u.folded[0], keys))
    return out


@lru_cache(maxsize=1)
def _common_units() -> tuple[NameUnit, ...]:
    """COMMON_GIVEN_NAMES as name units (computed on first use)."""
    return tuple(name_units(" ".join(COMMON_GIVEN_NAMES)))


@lru_cache(maxsize=1)
def _arabic_world_units() -> tuple[NameUnit, ...]:
    """ARABIC_WORLD_GIVEN_NAMES as name units (computed on first use)."""
    return tuple(name_units(" ".join(ARABIC_WORLD_GIVEN_NAMES)))


@lru_cache(maxsize=1)
def common_keys() -> frozenset[str]:
    """The keys and folded forms of the common given names of the Arabic and Persian
    speaking worlds: what two names of an entity may spell differently where the graded
    similarity says they are one name (Bashar and Bushra share a key), and what is never
    their distinctive word. The names of the other languages are compared as any word
    (one edit apart: Andrei and Andrey, Aleksandr and Oleksandr are one name)."""
    return frozenset(k for _folded, keys in _arabic_world_units() for k in keys)


@lru_cache(maxsize=1)
def given_name_keys() -> frozenset[str]:
    """The keys and folded forms of every name of COMMON_GIVEN_NAMES: a query word that is
    one says nothing of who alone (searchdoc.search.QueryPlan.given_names_only)."""
    return frozenset(k for _folded, keys in _common_units() for k in keys)


@lru_cache(maxsize=1 << 12)
def common_in_arabic(folded: str, keys: frozenset[str]) -> bool:
    """Whether a word in Arabic script is a common given name: as close to one of the
    names of the Arabic and Persian speaking worlds on the list (written in Latin script)
    as one script asks (THRESHOLD): حسن is Hasan, عبدالله Abdullah; نصرالله is none, nor
    مشعل (Meshaal, as close to Michel)."""
    return is_arabic(folded) and any(
        keys & gk and key_similarity((folded, keys), (gf, gk)) >= THRESHOLD
        for gf, gk in _arabic_world_units())


def common_given(u: Unit) -> bool:
    """Whether a unit is a common given name (data/given_names.txt), by its letters or its
    sound key (a consonant skeleton is too loose), or in Arabic script as close to one as
    one script asks."""
    common = given_name_keys()
    return bool(set(u.folded) & common) or any(
        k in common for k in u.keys if k != k.upper() and k[0] != LOOSE_PREFIX) \
        or common_in_arabic(u.folded[0], frozenset(u.keys) | frozenset(u.folded))


def cover(short: Sequence[NameUnit], long: Sequence[NameUnit]) -> list[int] | None:
    """Indices of `long` matching every unit of `short` (each used once), or None."""
    used: list[int] = []
    for _f, s in short:
        for j, (_g, l_) in enumerate(long):
            if j not in used and s & l_:
                used.append(j)
                break
        else:
            return None
    return used


def names_agree(a: Sequence[NameUnit], b: Sequence[NameUnit],
                rare: frozenset[str] | None = None) -> bool:
    """Whether two names, stated in different documents, name one person.

    Word by word, in order, with as many words on each side (two or more): "Saddam Hussein
    al-Tikriti" is not his son "Qusay Saddam Hussein al-Tikriti", and "Ramon Eduardo" is
    not his brother "Eduardo Ramon". Common given names may differ in spelling, and a word
    may be written in two scripts, where the graded similarity says the spellings are one
    name (:func:`searchdoc.names.similarity.key_similarity`: a shared key is not enough,
    Bashar and Bushra share one); the other words must be spelled alike (folded forms
    equal or one edit apart). At least one word must be distinctive (not
    a common given name, and rare in the collection when `rare` is given): two men called
    "Muhammad Ali" are not one.
    """
    if len(a) != len(b) or len(a) < 2:
        return False
    distinctive = False
    for (fa, ka), (fb, kb) in zip(a, b):
        if not ka & kb:
            return False
        common = bool((ka | kb) & common_keys())
        if fa != fb and (common or is_arabic(fa) != is_arabic(fb)):
            # a shared key is not one name (Bashar, Bushra, بشرى share BXR with Bashir)
            if key_similarity((fa, ka), (fb, kb)) < threshold(fa, fb):
                return False
        elif fa != fb and not _one_edit(fa, fb):
            return False
        if common:
            continue
        distinctive = distinctive or _distinctive(ka, rare)
    return distinctive


def _one_edit(a: str, b: str) -> bool:
    """a and b differ by at most one insertion, deletion, substitution or transposition."""
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return (a[i + 1:] == b[i + 1:] or a[i + 1:] == b[i:] or a[i:] == b[i + 1:]
            or (a[i + 2:] == b[i + 2:] and a[i:i + 2] == b[i:i + 2][::-1]))


def _distinctive(unit: frozenset[str], rare: frozenset[str] | None) -> bool:
    if unit & common_keys():
        return False
    return rare is None or bool(unit & rare)



def rare_limit(n_documents: int) -> int:
    """How many documents (or entities) a key may be in and still be rare."""
    return max(3, n_documents // 500)
