"""Which column of a list or key of a field holds a name, and which part of it: the keys
of data/name_keys.txt, compared as :func:`column_key` writes them. A list's columns
(:mod:`searchdoc.readers.table`) and a document's `Key: value` fields (passages, entity
extraction) read the one table."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from searchdoc import data

# Keys of a `Key: value` line whose value is a name of the document's subject, and keys
# whose value lists other names (aliases).
_NAME_KEY = r"(?:full |birth |native |real |legal |original )?names?|الاسم|اسم|الاسم الكامل|نام"
_ALIAS_KEY = (r"alias(?:es)?|a\.?k\.?a\.?|also known as|other names?|nicknames?|known as|"
              r"alternative names?|alt(?:ernate)?\.? names?|الاسماء الاخرى|اسماء اخرى|الكنية|"
              r"الملقب|اللقب|الشهرة")
NAME_KEY = re.compile(rf"^(?:{_NAME_KEY})$", re.IGNORECASE)
ALIAS_KEY = re.compile(rf"^(?:{_ALIAS_KEY}|{_NAME_KEY})$", re.IGNORECASE)


# The parts of one name written in several fields or columns ("Surname: SOLEIMANI" then
# "Given names: Qasem"; a list's first_name / last_name columns), as column_key writes a
# key; joined given, middle, family. The one table of them: a list's columns
# (readers/table.py) and a document's `Key: value` fields (passages, entities) read it.
NAME_PARTS = ("given", "middle", "family")
_KEYS = data.sections("name_keys.txt")
NAME_PART_KEYS: dict[str, tuple[str, ...]] = {part: _KEYS.get(part, ()) for part in NAME_PARTS}
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SEPARATORS = re.compile(r"[\s_\-.:/()\[\]]+")


def column_key(header: str) -> str:
    """A column name or a field's key as it is compared: camelCase split, lower case,
    accents and punctuation gone ("weakAlias" -> "weak alias", "A.K.A." -> "a k a",
    "Prénom" -> "prenom", "name_ar" -> "name ar")."""
    text = _CAMEL.sub(" ", header)
    text = "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", text.casefold()).strip()


_PART_OF = {column_key(key): part for part, keys in NAME_PART_KEYS.items() for key in keys}


@lru_cache(maxsize=4096)  # a collection's field keys repeat: "Package", "Version", ...
def name_part(key: str) -> str | None:
    """Which part of a name a field's key or a column says its value is ("First name":
    "given", "Surname": "family"), or None."""
    return _PART_OF.get(column_key(key))


def join_name_parts(parts: Sequence[tuple[str, str]]) -> str:
    """One name from (part, value) pairs in any order: given, middle, family names."""
    return " ".join(v for part in NAME_PARTS for p, v in parts if p == part and v)


def is_name_key(key: str) -> bool:
    """Whether a field's key says its value is the subject's name ("Name", "Full name",
    "الاسم")."""
    return NAME_KEY.match(key.strip().rstrip(":").strip()) is not None


# Column names, by role, as :func:`column_key` writes them (lower case, no accents, words
# separated by single spaces). "name": the person's name; "given"/"middle"/"family": its
# parts, joined in that order; "alias" (and "weak", "previous", "script"): other names;
# "id": the record's identifier in its list.
ROLES = ("name", *NAME_PARTS, "alias", "weak", "previous", "script", "id")
_ROLE_OF = {column_key(key): role for role in ROLES
            for key in _KEYS.get(role, ())}
# The language of a name column ("name_ar", "arabic name", "name in Persian").
_LANGUAGES = ("arabic persian farsi dari urdu pashto russian cyrillic ukrainian chinese "
              "hebrew greek georgian armenian korean japanese")
_SCRIPT_NAME = re.compile(
    rf"^(?:name (?:in )?(?:[a-z]{{2}}|{_LANGUAGES.replace(' ', '|')})(?: script)?"
    rf"|(?:{_LANGUAGES.replace(' ', '|')})(?: script)? name|(?:{_LANGUAGES.replace(' ', '|')}))$")


def column_role(header: str) -> str | None:
    """The role of a column from its name: "name", "given", "middle", "family", "alias",
    "weak", "previous", "script", "id", or None (an ordinary column). A nested key
    ("name.first") is read by its last part under a name key."""
    key = column_key(header)
    role = _ROLE_OF.get(key)
    if role is None and _SCRIPT_NAME.match(key) and key not in ("name", "names"):
        role = "script"
    if role is None and "." in header:
        head, _sep, last = header.rpartition(".")
        if _ROLE_OF.get(column_key(head.split(".")[0])) == "name":
            role = column_role(last)
            role = role if role in NAME_PARTS or role == "name" else None
    if role is None:
        role = _named_by_word(key)
    return role


# A column whose key holds the word "name" is a name of the record's subject ("whole
# name", "akaName": another), unless a word says whose or what name it is.
_NOT_A_NAME = frozenset(
    "file user host domain vessel ship place street city town country program programme "
    "list field code type short sheet father mother spouse parent wife husband son "
    "daughter brother sister company employer organisation organization bank image "
    "document project site village district province region state".split())
_OTHER_NAME = frozenset("aka alias alternative alternate other also".split())


def _named_by_word(key: str) -> str | None:
    words = key.split()
    if not ({"name", "names"} & set(words)) or _NOT_A_NAME & set(words):
        return None
    if any(w.isdigit() for w in words):
        return None  # "name 1" ... "name 6": parts of a name in an order a list defines
    return "alias" if _OTHER_NAME & set(words) else "name"
