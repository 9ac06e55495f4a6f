"""Records of lists: the public record builder the list readers share (CSV and JSON in
:mod:`.records`, Excel in :mod:`.xlsx`, XML in :mod:`.xmllist`). A record's cells (a key,
its values, the line they stand on) become one RawDocument of kind ``"record"``: its
``Key: value`` lines, the names its name and alias columns state (by
:func:`searchdoc.names.columns.column_role`), its title and fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePath

from searchdoc.models import Field, StatedName
from searchdoc.names.columns import NAME_PARTS, column_key, column_role, join_name_parts
from searchdoc.names.order import listing_order
from searchdoc.readers.base import Line, RawDocument, Warn
from searchdoc.readers.text import no_surrogates, squash_spaces

EMPTY = frozenset(["", "-", "-0-", "—", "n/a", "null", "none", "nan"])  # cells that say nothing
_MAX_TITLE_WORDS = 12

# How a record states a name of each role.
HOW = {
    "name": "name column",
    "parts": "name columns",
    "alias": "alias column",
    "weak": "weak alias",
    "previous": "previous name",
    "script": "original script name",
}
_HOW_ORDER = [HOW[r] for r in ("name", "parts", "alias", "previous", "script", "weak")]
_NAME_ROLES = frozenset(["name", "alias", "weak", "previous", "script"])




@dataclass
class Cell:
    """One column of a record: its key as written, its values, the line it stands on,
    and whether its values are one piece of text that may list several names."""

    key: str
    values: list[str]
    line: int
    splittable: bool = True


_NAME_SPLIT = re.compile(r"\s*(?:[;|\n]|\r\n?)\s*")


def _names_in(cell: Cell, role: str) -> list[str]:
    """The names a cell gives: list items, or the pieces of a text separated by ``;``,
    ``|`` or line breaks (and, for other names, by commas when it is not one name written
    ``LAST, First``), each in natural order."""
    pieces: list[str] = []
    for value in cell.values:
        parts = _NAME_SPLIT.split(value) if cell.splittable else [value]
        for part in parts:
            part = squash_spaces(part).strip(" ,.\"'“”‘’")
            if not part:
                continue
            if role != "name" and "," in part and listing_order(part) == part:
                pieces.extend(p.strip() for p in part.split(",") if p.strip())
            else:
                pieces.append(part)
    return [listing_order(p) for p in pieces if any(ch.isalpha() for ch in p)]


class Records:
    """Turns the cells of each record of one list into a RawDocument; counts the records
    without a name for one warning at the end."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._roles: dict[tuple[Callable[[str], str | None], str], str | None] = {}
        self.nameless: list[int] = []
        self.named_columns = False
        self._numbering: dict[str, bool] = {}  # key: its values have all been the record's n
        self._name_keys: dict[str, int] = {}  # key: records whose value there reads as a name

    def role(self, key: str, role_of: Callable[[str], str | None]) -> str | None:
        found = self._roles.get((role_of, key), "?")
        if found == "?":
            self._roles[(role_of, key)] = found = role_of(key)
            self.named_columns = self.named_columns or found in _NAME_ROLES or found in NAME_PARTS
        return found

    def make(self, n: int, cells: Iterable[Cell], span: tuple[int, int],
             role_of: Callable[[str], str | None] = column_role,
             fallback_title: str | None = None) -> RawDocument:
        """The record numbered `n` of its list, from its cells; `span`: its first and last
        lines (blank lines of the document at either end where its cells are not)."""
        lines: list[Line] = [Line(span[0], "")]
        texts: list[Field] = []
        fields: list[Field] = []
        names: list[StatedName] = []
        parts: dict[str, list[str]] = {}
        parts_line: int | None = None
        title: str | None = None
        for cell in cells:
            cell = Cell(no_surrogates(cell.key), [no_surrogates(v) for v in cell.values],
                        cell.line, cell.splittable)
            role = self.role(cell.key, role_of)  # (an empty name cell still says the list has one)
            values = [v for v in (squash_spaces(v) for v in cell.values) if v.casefold() not in EMPTY]
            if not values:
                continue
            if self._is_numbering(cell.key, values, n):
                continue  # the list's own numbering: the record's number says it
            shown = "; ".join(values)
            lines.append(Line(cell.line, f"{cell.key}: {shown}"))
            if role in _NAME_ROLES:
                found = _names_in(Cell(cell.key, values, cell.line, cell.splittable), role)
                if role == "name" and title is None and found:
                    first = values[0]
                    title = _NAME_SPLIT.split(first)[0].strip() if cell.splittable else first
                names.extend(StatedName(name, self.source, cell.line, HOW[role]) for name in found)
            elif role in NAME_PARTS:
                parts.setdefault(role, []).extend(values)
                parts_line = cell.line if parts_line is None else parts_line
            else:
                fields.append(Field(cell.key, shown, cell.line))
                if role != "id":
                    texts.append(fields[-1])
        lines.append(Line(span[1], ""))
        joined = join_name_parts([(role, v) for role, vs in parts.items() for v in vs])
        if joined and parts_line is not None:
            names.append(StatedName(joined, self.source, parts_line, HOW["parts"]))
            title = title or joined
        names = _dedupe(sorted(names, key=lambda n: _HOW_ORDER.index(n.how)))
        if title is None:
            title = next((n.name for n in names if n.how != HOW["weak"]), None)
        if title is None and not names and not self.named_columns and fallback_title is None:
            # a list whose columns the reader does not know as names (<Label>, "Person"):
            # the column whose values read as names, as most records so far have them
            named = self._name_like(texts)
            if named is not None:
                title = named.value
                found = _names_in(Cell(named.key, [named.value], named.line), "name")
                names = [StatedName(name, self.source, named.line, HOW["name"]) for name in found]
        if title is None:
            if self.named_columns and fallback_title is None:
                self.nameless.append(n)
            title = (fallback_title or _first_text(texts)
                     or f"{PurePath(self.source).name} record {n}")
        return RawDocument(self.source, tuple(lines), title=title, fields=tuple(fields),
                           names=tuple(names), record=n, kind="record")

    def _name_like(self, fields: list[Field]) -> Field | None:
        """The field of a record whose value reads as a name (``LAST, First``, or two to
        eight words without digits) under a key that says nothing else (not an address,
        a country, a program, remarks...), preferring the key that held names in most of
        the list's records so far."""
        candidates = [f for f in fields if _looks_like_name(f.value)
                      and not _OTHER_CONTENT & set(column_key(f.key).split())]
        if not candidates:
            return None
        for f in candidates:
            self._name_keys[f.key] = self._name_keys.get(f.key, 0) + 1
        return max(candidates, key=lambda f: self._name_keys[f.key])

    def _is_numbering(self, key: str, values: list[str], n: int) -> bool:
        """Whether a column is the list's own numbering of its records (``No.``,
        ``ItemNumber``, ``<entry number="3">``: 1, 2, 3... as the records come), which the
        record's number shows already."""
        known = self._numbering.get(key)
        if known is False:
            return False
        if known is None:
            words = column_key(key).split()
            if not words or len(words) > 3 or words[-1] not in _NUMBERING_WORDS:
                self._numbering[key] = False
                return False
        is_n = len(values) == 1 and values[0].lstrip("0") == str(n)
        self._numbering[key] = is_n
        return is_n

    def report(self, warn: Warn) -> None:
        if self.nameless:
            warn(f"{len(self.nameless):,} record(s) without a name (first: record "
                 f"{self.nameless[0]:,}): titled by another column")


def _first_text(fields: list[Field]) -> str | None:
    """A title for a record without a name: its first short column holding letters."""
    for f in fields:
        if any(c.isalpha() for c in f.value) and len(f.value.split()) <= _MAX_TITLE_WORDS:
            return f.value
    return None


def _dedupe(names: list[StatedName]) -> list[StatedName]:
    seen: set[str] = set()
    out = []
    for n in names:
        key = n.name.casefold()
        if key not in seen:
            seen.add(key)
            out.append(n)
    return out


_HEADER_DATA = re.compile(r"^\s*[-+]?\d[\d.,:/ -]*\s*$")  # a number or a date: data
_LISTING_NAME = re.compile(r"^[^\W\d_][\w'’.\- ]*,\s*[^\W\d_][\w'’.\- ]*$")  # LAST, First
_NAME_WORDS = re.compile(r"^[^\W\d_][\w'’.,\- ]*$")
SAMPLE_ROWS = 50  # rows of a list without a header looked at to name its columns


def is_header(row: list[str]) -> bool:
    """Whether the first row names the columns. It is data (a list without a header, as
    OFAC's ``sdn.csv`` and ``alt.csv``) when a cell is a number or a date, a name written
    ``LAST, First``, or a cell that says nothing (``-0-``): a header says none of these,
    even where a cell is also a column's name (``aka`` in ``36,12,"aka","NASER, Fahd"``).
    Otherwise it is a header."""
    filled = [h.strip() for h in row if h and h.strip()]
    if any(_HEADER_DATA.match(h) or _LISTING_NAME.match(h) or h.casefold() in EMPTY
           for h in filled):
        return False
    return True


def _looks_like_name(value: str) -> bool:
    """A value a person's or an entity's name could be: letters (no digit), one to eight
    words, ``LAST, First`` or two words at least."""
    words = value.split()
    if not (1 <= len(words) <= 8) or len(value) > 100 or not _NAME_WORDS.match(value):
        return False
    return len(words) >= 2 or bool(_LISTING_NAME.match(value))


def content_header(rows: list[list[str]]) -> list[str]:
    """Names for the columns of a list without a header row, told by what they hold in
    its first rows: ``name`` for the column most of whose values are names (``LAST,
    First`` or several words, no digits, mostly distinct, in nearly every row), ``id`` for
    the first column of whole numbers, ``type`` for a column of ``aka``/``fka``/``nka``;
    ``column N`` for the others."""
    width = max((len(r) for r in rows), default=0)
    header = [f"column {i}" for i in range(1, width + 1)]
    best: tuple[float, int] | None = None
    for i in range(width):
        values = [squash_spaces(r[i]) for r in rows if i < len(r)]
        values = [v for v in values if v.casefold() not in EMPTY]
        if not values:
            continue
        if "id" not in header and all(v.isdigit() for v in values):
            header[i] = "id"
            continue
        if all(v.casefold().strip(".") in _ALIAS_TYPES for v in values):
            header[i] = "type"
            continue
        names = sum(map(_looks_like_name, values)) / len(values)
        distinct = len(set(values)) / len(values)
        filled = len(values) / len(rows)  # a name column names (nearly) every record
        score = names * min(1.0, distinct * 1.25) * min(1.0, filled * 1.1)
        if score >= 0.6 and (best is None or score > best[0]):
            best = (score, i)
    if best is not None:
        header[best[1]] = "name"
    return header


# Words of a key that say its value is something other than a name.
_OTHER_CONTENT = frozenset(
    "address street city town country nationality citizenship place birth pob dob date "
    "program programme regime remarks notes note comment comments description reason "
    "position designation title function occupation type category status gender sex list "
    "source url link email phone vessel flag owner organisation organization company "
    "employer sanction sanctions measure basis legal authority region province state".split())
_NUMBERING_WORDS = frozenset(
    "no nr num number item index idx seq sequence position pos order row serial n sn".split())
_ALIAS_TYPES = frozenset({"aka", "fka", "nka", "a.k.a", "f.k.a", "n.k.a"})


def unique_header(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for h in header:
        seen[h] = seen.get(h, 0) + 1
        out.append(h if seen[h] == 1 else f"{h} ({seen[h]})")
    return out


