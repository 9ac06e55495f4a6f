"""The names each document gives its subject, with provenance (index time, per document).

The title name; alias fields and lists (``Alias:``, ``Also Known As``, "a.k.a.", "aka",
"also known as", "alias"); nicknames ("nickname", "known as", "dubbed", "nom de guerre");
a name in another script given in parentheses after one of the document's names; names
given as designated, charged, indicted or sanctioned; a name written in parts, one field
each. Also the years of birth a document gives and, for a record of a list, its id.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from searchdoc.models import Document, Passage, StatedName
from searchdoc.names.columns import ALIAS_KEY, column_role, is_name_key, join_name_parts, name_part
from searchdoc.names.keys import units
from searchdoc.names.order import natural_order

_MAX_NAME_WORDS = 8

class _LazyPattern:
    """A regular expression compiled when first used: the ones that find names in
    documents are needed when indexing, not for a query (they took a tenth of the time
    it takes to import searchdoc)."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return getattr(self._compiled, name)


_CAP_WORD = r"(?:[A-Z](?:\.|[\w'’]*(?:-[A-Z]?[\w'’]+)*))"
_CONNECTOR = r"(?:(?:al|el|ad|ar|as|ash|at|az|an|ul|ud)-[A-Z][\w'’]*|the|of|bin|ibn|bint|abu|abd|al|el|de|da|di|du|van|von|ould)"
_NAME_RE = rf"{_CAP_WORD}(?:\s+(?:{_CONNECTOR}\s+)*(?:{_CAP_WORD}|(?:al|el|ad|ar|as|ash|at|az|an|ul|ud)-[A-Z][\w'’]*))*"
_QUOTED = r"[\"“‘']([^\"”’']{2,80})[\"”’']"

_NICKNAME_RE = _LazyPattern(
    rf"\b(?P<how>nicknamed|nickname|also known as|known as|dubbed|nom de guerre|a\.k\.a\.|aka|alias)"
    rf"[:,]?\s+(?:(?:of|as|the nickname)\s+)?(?:{_QUOTED}|(?P<name>{_NAME_RE}))"
)
_DESIGNATED_RE = _LazyPattern(
    rf"\b(?P<how>designated|charged|indicted|sanctioned|listed)\s+(?P<name>{_NAME_RE})"
)
_OTHER_SCRIPT_IN_PARENS = re.compile(r"\s*\(([^\x00-\x1f\x21-\u024f(),;]+?)\s*[;,)]")
_LIST_SPLIT = re.compile(r"\s*[;,]\s*|\s+(?:and|or)\s+")


def _person_like(name: str) -> bool:
    words = name.split()
    if not 1 <= len(words) <= _MAX_NAME_WORDS or any(ch.isdigit() for ch in name):
        return False
    return bool(units(name))



def _from_name_parts(doc: Document, stated_lines: set[int]) -> list[StatedName]:
    """The names a document writes in parts, one field each ("Surname: SOLEIMANI", "Given
    names: Qasem"): joined given, middle, family; a part said again starts another name."""
    groups: list[tuple[list[tuple[str, str]], int]] = []
    for f in doc.fields:
        part = name_part(f.key)
        if part is None or f.line in stated_lines:
            continue
        if not groups or any(p == part for p, _v in groups[-1][0]):
            groups.append(([], f.line))
        groups[-1][0].append((part, f.value.strip(" .\"“”'‘’")))
    found = []
    for parts, line in groups:
        name = join_name_parts(parts)
        if len(name.split()) >= 2 and _person_like(name):
            found.append(StatedName(name, doc.source, line, "name fields"))
    return found


def extract_names(doc: Document) -> list[StatedName]:
    """Every name the document gives for its subject, with provenance."""
    found: list[StatedName] = []
    title = natural_order(doc.title.strip().rstrip(",:"))
    first_line = doc.passages[0].line_start if doc.passages else 1
    stated_lines = {n.line for n in doc.names}
    # a record's title is its first stated name: said once, by its column
    if not (doc.record and doc.names) and len(title.split()) >= 2 and _person_like(title):
        found.append(StatedName(title, doc.source,
                                first_line if doc.record is not None else min(first_line, 1),
                                "title"))
    found.extend(_from_name_parts(doc, stated_lines))
    for f in doc.fields:
        if f.line in stated_lines:
            continue  # said by the record's name or alias column
        if is_name_key(f.key):  # "Name: KONY, Ali": one name, as a list prints it
            name = natural_order(f.value.strip(" .\"“”'‘’"))
            if _person_like(name):
                found.append(StatedName(name, doc.source, f.line, f"{f.key.lower()} field"))
        elif ALIAS_KEY.match(f.key.strip()):
            for name in _split_list(f.value):
                found.append(StatedName(name, doc.source, f.line, f"{f.key.lower()} field"))
    found.extend(doc.names)
    for p in doc.passages:
        if p.kind == "prose":
            found.extend(_from_prose(p))
        elif p.kind == "record":  # "a.k.a. 'ABU AHMAD'" in a remarks column (OFAC's sdn.csv)
            # (not a name its own column states: "weak alias: Abu Asim" printed in the
            # record's text is no alias of the record, but the weak one its column says)
            # (nor part of one its alias column states: "alias: Es Sayed, Kader" printed
            # is Kader Es Sayed, no "Es Sayed"; a.k.a. "ABU HAFS" beside the name "Abu
            # Hafs AL-MASRI" is one)
            said = {n.name.casefold() for n in doc.names}
            parts = [set(n.name.casefold().split()) for n in doc.names if n.how == "alias column"]
            found.extend(n for n in _from_prose(p, designated=False)
                         if n.name.casefold() not in said
                         and not any(set(n.name.casefold().split()) <= s for s in parts))
    found.extend(_other_script(doc, [n.name for n in found]))
    return _dedupe(found)


def _split_list(value: str) -> list[str]:
    return [n.strip(" .\"“”'‘’") for n in _LIST_SPLIT.split(value)
            if _person_like(n.strip(" .\"“”'‘’"))]


def _from_prose(p: Passage, designated: bool = True) -> Iterable[StatedName]:
    for m in _NICKNAME_RE.finditer(p.text):
        raw = m.group(2) or m.group("name")
        how = m.group("how").lower()
        names = _split_list(raw) if how in ("aka", "a.k.a.", "also known as", "alias") else [raw]
        if natural_order(raw) != raw:  # a.k.a. 'SULEIMANI, Qassem': one name, LAST, First
            names = [natural_order(raw)]
        for name in names:
            name = _trim(name)
            if name and _person_like(name):
                yield StatedName(name, p.source, p.line_start, "nickname" if "nick" in how else how)
    for m in (_DESIGNATED_RE.finditer(p.text) if designated else ()):
        name = _trim(m.group("name"))
        if name and len(name.split()) >= 2 and _person_like(name):
            yield StatedName(name, p.source, p.line_start, m.group("how"))


def _trim(name: str) -> str:
    words = name.split()
    while words and words[-1].lower() in ("the", "of", "bin", "ibn", "abu", "al", "el", "de"):
        words.pop()
    return " ".join(words).rstrip(".’'")


def _other_script(doc: Document, names: Sequence[str]) -> Iterable[StatedName]:
    """"Ali Musa Daqduq (علي موسى دقدوق; died ...)": the name in another script."""
    for p in doc.passages:
        for name in names:
            start = 0
            while (i := p.text.find(name, start)) >= 0:
                start = i + len(name)
                m = _OTHER_SCRIPT_IN_PARENS.match(p.text, start)
                if m and _person_like(m.group(1).strip()):
                    yield StatedName(m.group(1).strip(), p.source, p.line_start, "in parentheses")


def _dedupe(names: Iterable[StatedName]) -> list[StatedName]:
    seen: set[tuple[str, str]] = set()
    out = []
    for n in names:
        k = (n.name.casefold(), n.how)
        if k not in seen:
            seen.add(k)
            out.append(n)
    return out


_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_BIRTH_KEY = re.compile(r"birth|born|\bdob\b", re.IGNORECASE)
_DOB_TEXT = _LazyPattern(r"\b(?:DOB|born(?: in| on)?)\s+(?:circa\s+|c\.\s*|about\s+)?"
                       r"(?:\d{1,2}\s+\w+\s+)?(1[89]\d\d|20\d\d)")


def birth_years(doc: Document) -> frozenset[int]:
    """The years of birth a document gives (fields such as "Birth Date: Between 1969 and
    1972", or "DOB 01 Sep 1969; alt. DOB 1970"), each widened by a year either side."""
    return frozenset(y + d for y in _raw_years(doc) for d in (-1, 0, 1))



@dataclass(frozen=True, slots=True)
class SourceNames:
    """What one document says about its subject's names and birth (`years`: as given;
    :attr:`born` widens them by a year); a record of a list also says its position and its
    identifier in the list."""

    names: tuple[StatedName, ...]
    years: tuple[int, ...] = ()
    record: int | None = None
    ident: str | None = None

    @property
    def born(self) -> frozenset[int]:
        return frozenset(y + d for y in self.years for d in (-1, 0, 1))

    @classmethod
    def of(cls, doc: Document) -> SourceNames:
        return cls(tuple(extract_names(doc)), _years_given(doc), doc.record, record_id(doc))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"names": [[n.name, n.line, n.how] for n in self.names]}
        if self.years:
            out["years"] = list(self.years)
        if self.record is not None:
            out["record"] = self.record
        if self.ident is not None:
            out["id"] = self.ident
        return out

    @classmethod
    def from_json(cls, source: str, data: dict[str, Any]) -> SourceNames:
        names = tuple(StatedName(n["name"], n["source"], n["line"], n["how"]) if isinstance(n, dict)
                      else StatedName(n[0], source, n[1], n[2]) for n in data["names"])
        years = tuple(data.get("years") or sorted(data.get("born") or ()))
        return cls(names, years, data.get("record"), data.get("id"))


def _years_given(doc: Document) -> tuple[int, ...]:
    return tuple(sorted(_raw_years(doc)))


def _raw_years(doc: Document) -> set[int]:
    """The years of birth a document gives, as given (:func:`birth_years` widens them)."""
    years: set[int] = set()
    for f in doc.fields:
        if _BIRTH_KEY.search(f.key):
            found = [int(y) for y in _YEAR.findall(f.value)]
            if len(found) == 2 and "between" in f.value.lower():
                found = list(range(found[0], found[1] + 1))
            years.update(found)
    for p in doc.passages:
        years.update(int(y) for y in _DOB_TEXT.findall(p.text))
    return years


_ALIAS_ROW = re.compile(r"^(\d+)\s?[a-z]$", re.IGNORECASE)


def person_ref(ident: str) -> str:
    """The reference of the person a list's row is about: a list that writes one row per
    name numbers the other names' rows after the primary one (147, 147a, 147b: Australia's
    consolidated list), so "147a" is person "147"."""
    m = _ALIAS_ROW.match(ident.strip())
    return m.group(1) if m else ident


def record_id(doc: Document) -> str | None:
    """The identifier a record of a list has in its list (its id column), or None."""
    if doc.record is None:
        return None
    return next((f.value for f in doc.fields if column_role(f.key) == "id"), None)


