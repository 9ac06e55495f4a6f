"""Lists of people: CSV and TSV files with a header row, JSON (an array of objects, an
object of objects, or an object holding one array of objects), JSON Lines, and the
FollowTheMoney entities OpenSanctions publishes. Each record is one
:class:`~searchdoc.readers.base.RawDocument` of kind ``"record"``:

- ``lines``: one ``Key: value`` line per non-empty column, in the list's order, each with
  the line of the file it stands on (a CSV row's line; the line of each key of a
  pretty-printed JSON object; the one line of a JSON Lines record);
- ``names``: the names the record states for its person, from the name and alias columns
  recognised in the header or keys (:func:`column_role`), in natural order ("AL-MUSAWI,
  Ali Mussa Daqduq" -> "Ali Mussa Daqduq AL-MUSAWI"), each with its line and how it is
  stated ("name column", "alias column", "weak alias", ...);
- ``title``: the first name, as the list writes it (else the first short text column, else
  ``"<file> record N"``);
- ``fields``: the other columns (an identifier column among them);
- ``record``: the 1-based position of the record in its list.

The file is read as a stream (:func:`read_stream`): rows and JSON values are decoded one at
a time, so a list of any length is never held whole; one JSON value (a record, or a single
top-level object) is read whole up to MAX_VALUE_CHARS. A JSON file that does not parse
before its first record is read as text, with one warning line; bad rows and lines later
in a list are skipped and counted in one warning line each kind.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, BinaryIO

from searchdoc.errors import SkipFile
from searchdoc.names.columns import column_role
from searchdoc.readers.base import RawDocument, Warn
from searchdoc.readers.table import (
    SAMPLE_ROWS,
    Cell,
    Records,
    content_header,
    is_header,
    unique_header,
)
from searchdoc.readers.text import squash_spaces

MAX_VALUE_CHARS = 20 * 1024 * 1024  # one JSON value or CSV row read whole: at most this
_CHUNK = 1 << 16
_HEAD = 1 << 16  # bytes looked at to choose the delimiter and check the encoding
_TAB_EXTENSIONS = (".tsv", ".tab")
_CSV_EXTENSIONS = (".csv", *_TAB_EXTENSIONS)


def read(data: bytes, source: str, warn: Warn) -> Iterator[RawDocument]:
    """The records of a list's bytes."""
    yield from read_stream(io.BytesIO(data), source, warn)


def read_stream(fh: BinaryIO, source: str, warn: Warn) -> Iterator[RawDocument]:
    """The records of a list read from a seekable binary stream, one at a time."""
    text = _Text(fh)
    suffix = PurePath(source).suffix.lower()
    if suffix in _CSV_EXTENSIONS:
        records: Iterator[RawDocument] = _delimited(text, source, warn,
                                                    "\t" if suffix in _TAB_EXTENSIONS else None)
    else:
        records = _json_list(text, source, warn)
    yield from records
    text.report(warn)


def looks_like_json_records(head: bytes) -> bool:
    """Whether the start of a file holds a JSON array of objects or JSON Lines of objects
    (content sniffing for files named ``.txt`` or without an extension)."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"["):
        return text[1:].lstrip(b" \t\r\n").startswith(b"{")
    if not text.startswith(b"{"):
        return False
    lines = [line for line in text.split(b"\n")[:-1] if line.strip()][:5]
    if not lines:
        return False
    try:
        return all(isinstance(json.loads(line), dict) for line in lines)
    except ValueError:
        return False


# --------------------------------------------------------------------------- decoded text


class _Text:
    """The text of a binary stream, decoded as it is read (UTF-8, or UTF-16 with a
    byte-order mark), with the checks of :func:`searchdoc.sources.decode` on its start:
    SkipFile for an empty or binary file. Undecodable bytes are replaced and counted."""

    def __init__(self, fh: BinaryIO) -> None:
        from searchdoc.sources import decode

        head = fh.read(_HEAD)
        fh.seek(0)
        try:
            decode(head)  # empty, binary, mostly undecodable: SkipFile with its reason
        except SkipFile as e:
            if not str(e).startswith("a line of"):  # a long line is no reason for a list
                raise
        encoding = "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
        self.head = head.decode(encoding, errors="replace")
        self._io = io.TextIOWrapper(fh, encoding=encoding, errors="replace", newline="")
        self.replaced = 0
        self.first_bad_line: int | None = None
        self.lines_read = 0
        self.long_lines: list[int] = []  # lines passed over: longer than the limit
        self.limit = 0

    def read(self, n: int) -> str:
        chunk = self._io.read(n)
        if "\ufffd" in chunk and self.first_bad_line is None:
            self.first_bad_line = self.lines_read + chunk[: chunk.index("\ufffd")].count("\n") + 1
        self.replaced += chunk.count("\ufffd")
        self.lines_read += chunk.count("\n")
        return chunk

    def lines(self, limit: int) -> Iterator[str]:
        """Lines as the file has them (line ends kept); SkipFile for one over `limit`."""
        while True:
            line = self._io.readline(limit + 1)
            if not line:
                return
            self.lines_read += 1
            if len(line) > limit and not line.endswith(("\n", "\r")):
                # one row of 100 MB: that row is passed over (never held), not the list
                self.long_lines.append(self.lines_read)
                self.limit = limit
                while line and not line.endswith(("\n", "\r")):
                    line = self._io.readline(limit + 1)
                continue
            if "\ufffd" in line:
                self.replaced += line.count("\ufffd")
                self.first_bad_line = self.first_bad_line or self.lines_read
            yield line

    def report(self, warn: Warn) -> None:
        if self.long_lines:
            warn(f"{len(self.long_lines):,} row(s) longer than {self.limit:,} characters "
                 f"(lines {_some(self.long_lines)}), skipped")
        if self.replaced:
            warn(f"invalid UTF-8 at line {self.first_bad_line}; {self.replaced} undecodable "
                 "byte sequence(s) replaced")


# --------------------------------------------------------------------------- CSV, TSV


def _delimited(text: _Text, source: str, warn: Warn, delimiter: str | None
               ) -> Iterator[RawDocument]:
    csv.field_size_limit(MAX_VALUE_CHARS)
    delimiter = delimiter or _sniff_delimiter(text.head)
    reader = csv.reader(text.lines(MAX_VALUE_CHARS), delimiter=delimiter)
    header: list[str] | None = None
    records = Records(source)
    ragged: list[int] = []
    broken: list[int] = []
    long_rows: list[int] = []
    n = 0
    end = 0
    sample: list[tuple[int, int, list[str]]] | None = None  # rows of a list without header

    def record(start: int, end: int, row: list[str], header: list[str]) -> RawDocument:
        nonlocal n
        n += 1
        if len(row) != len(header):
            ragged.append(start)
        if end - start > 50:
            long_rows.append(start)
        cells = []
        line = start
        for i, value in enumerate(row):
            key = header[i] if i < len(header) else f"column {i + 1}"
            cells.append(Cell(key, [value], line))
            line += value.count("\n")
        return records.make(n, cells, (start, end))

    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error:
            broken.append(end + 1)
            end = reader.line_num
            continue
        start, end = end + 1, reader.line_num
        if not any(cell.strip(_NOTHING) for cell in row):  # (OFAC ends its files with ^Z)
            continue
        if header is None and sample is None:
            first = [squash_spaces(h) for h in row]
            if is_header(first):
                header = unique_header([h or f"column {i}" for i, h in enumerate(first, 1)])
                continue
            sample = []  # the first row is data: its columns are named by what they hold
        if sample is not None:
            sample.append((start, end, row))
            if len(sample) < SAMPLE_ROWS:
                continue
            header = content_header([r for _s, _e, r in sample])
            for s_start, s_end, s_row in sample:
                yield record(s_start, s_end, s_row, header)
            sample = None
            continue
        assert header is not None
        yield record(start, end, row, header)
    if sample:
        header = content_header([r for _s, _e, r in sample])
        for s_start, s_end, s_row in sample:
            yield record(s_start, s_end, s_row, header)
    if header is None:
        raise SkipFile("no row in it, skipped")
    columns = len(header)
    if ragged:
        warn(f"{len(ragged):,} row(s) without the {columns} columns of the header "
             f"(lines {_some(ragged)}): read as they are")
    if broken:
        warn(f"{len(broken):,} row(s) that could not be read (lines {_some(broken)}), skipped")
    if long_rows:
        warn(f"a row spans many lines (line {long_rows[0]:,}): a quote left open?")
    records.report(warn)


_NOTHING = " \t\r\n\x00\x1a\ufeff"  # what a cell holding only these says: nothing


def _some(numbers: list[int]) -> str:
    shown = ", ".join(f"{n:,}" for n in numbers[:3])
    return shown + (", ..." if len(numbers) > 3 else "")


def _sniff_delimiter(head: str) -> str:
    """The delimiter (``,`` ``;`` tab ``|``) the first 20 lines use the same number of
    times outside quotes, most consistently (``,`` where none is). In one pass over each
    line: the standard library's Sniffer runs regular expressions a crafted head makes
    take a minute."""
    lines = [line for line in head.splitlines()[:20] if line.strip()]
    best, best_score = ",", (0.0, 0, 0)
    for rank, d in enumerate(",\t;|"):
        counts = [_outside_quotes(line, d) for line in lines]
        if not counts or max(counts) == 0:
            continue
        mode, times = Counter(counts).most_common(1)[0]
        score = (times / len(counts) if mode else 0.0, mode, -rank)
        if score > best_score:
            best, best_score = d, score
    return best


def _outside_quotes(line: str, delimiter: str) -> int:
    n, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            n += 1
    return n


# --------------------------------------------------------------------------- JSON


class _NotRecords(Exception):
    """The file is not JSON, or holds no object: read it as text."""


_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\n\r]*")


def _json_list(text: _Text, source: str, warn: Warn) -> Iterator[RawDocument]:
    js = _JsonStream(text)
    records = Records(source)
    yielded = 0
    try:
        for raw in _json_records(js, records, warn):
            yielded += 1
            yield raw
    except _NotRecords as e:
        if yielded:
            warn(f"{e}; the {yielded:,} record(s) before it are indexed, the rest skipped")
        else:
            yield from _as_text(text, source, warn, str(e))
            return
    records.report(warn)


def _as_text(text: _Text, source: str, warn: Warn, why: str) -> Iterator[RawDocument]:
    from searchdoc.readers import text as text_reader
    from searchdoc.sources import MAX_FILE_BYTES

    fh = text._io.buffer
    fh.seek(0)
    data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise SkipFile(f"{why}, and larger than {MAX_FILE_BYTES // 2**20} MB to read as text, "
                       "skipped")
    warn(f"{why}: read as text")
    text.replaced = 0  # the text reader says it again
    yield from text_reader.read(data, source, warn)


def _json_records(js: _JsonStream, records: Records, warn: Warn) -> Iterator[RawDocument]:
    first = js.peek()
    if first == "[":
        yield from _array_records(js, records, warn)
        return
    if first != "{":
        raise _NotRecords(js.error("not a JSON list of records", "expecting [ or {"))
    value = js.value()
    if js.peek() == "":  # one object: a record, or a container of records
        yield from _object_records(value, records, warn)
        return
    # JSON Lines (or JSON values one after the other): each value is one record
    skipped: list[int] = []
    bad: list[int] = []
    n = 1
    raw = _record_of(value, records, n)
    if raw is not None:
        yield raw
    while js.peek():
        n += 1
        try:
            value = js.line_value()
        except _BadLine as e:
            bad.append(e.line)
            continue
        raw = _record_of(value, records, n)
        if raw is None:
            skipped.append(value.first)
        else:
            yield raw
    if bad:
        warn(f"{len(bad):,} line(s) that are not JSON (lines {_some(bad)}), skipped")
    if skipped:
        warn(f"{len(skipped):,} value(s) that are not objects (lines {_some(skipped)}), skipped")


def _array_records(js: _JsonStream, records: Records, warn: Warn) -> Iterator[RawDocument]:
    skipped: list[int] = []
    n = 0
    for value in js.array():
        n += 1
        raw = _record_of(value, records, n)
        if raw is None:
            skipped.append(n)
        else:
            yield raw
    if js.peek():
        raise _NotRecords(js.error("invalid JSON", "extra data after the list"))
    if n == len(skipped):
        raise _NotRecords("a JSON array without objects")
    if skipped:
        warn(f"{len(skipped):,} element(s) that are not objects (elements {_some(skipped)}), "
             "skipped")


def _object_records(value: _Value, records: Records, warn: Warn) -> Iterator[RawDocument]:
    """One top-level object: a record itself (a FollowTheMoney entity, or an object with
    a name key), a wrapper holding an array of records (``{"results": [...]}``), or an
    object of records keyed by their identifiers."""
    obj = value.obj
    if _is_ftm(obj) or any(column_role(k) in ("name", "given", "family") for k in obj):
        yield _record_of(value, records, 1)  # type: ignore[misc]
        return
    arrays = [(k, v) for k, v in obj.items()
              if isinstance(v, list) and any(isinstance(x, dict) for x in v)]
    if arrays:
        key = max(arrays, key=lambda kv: len(kv[1]))[0]
        member = next(m for m in _members(value.text, value.first) if m.key == key)
        inner = _JsonStream.of(member.text, member.first)
        yield from _array_records(inner, records, warn)
        return
    if obj and all(isinstance(v, dict) for v in obj.values()):
        for n, member in enumerate(_members(value.text, value.first), 1):
            item = obj[member.key]
            if "id" not in item:  # the key it is filed under is its identifier
                item = {"id": member.key, **item}
            raw = _record_of(_Value(item, member.text, member.first, member.last), records, n)
            if raw is not None:
                yield raw
        return
    yield _record_of(value, records, 1)  # type: ignore[misc]


# --------------------------------------------------------------------------- JSON records


def _is_ftm(obj: dict[str, Any]) -> bool:
    return isinstance(obj.get("schema"), str) and isinstance(obj.get("properties"), dict)


# FollowTheMoney properties that are names, by role
_FTM_ROLES = {
    "id": "id", "name": "name", "alias": "alias", "weakAlias": "weak",
    "previousName": "previous", "firstName": "given", "secondName": "middle",
    "middleName": "middle", "lastName": "family",
}
# Keys of an entity that are bookkeeping, not about the person
_FTM_SKIPPED = frozenset(["referents", "first_seen", "last_seen", "last_change", "caption"])


def _ftm_role(key: str) -> str | None:
    return _FTM_ROLES.get(key)


def _record_of(value: _Value, records: Records, n: int) -> RawDocument | None:
    """The record of a JSON value (None when it is not an object)."""
    obj = value.obj
    if not isinstance(obj, dict):
        return None
    multiline = value.first != value.last
    lines = {m.key: m for m in _members(value.text, value.first)} if multiline else {}

    def line(key: str) -> int:
        return lines[key].first_key if key in lines else value.first

    if not _is_ftm(obj):
        cells = [Cell(key, values, line(top), splittable)
                 for top, item in obj.items()
                 for key, values, splittable in _flatten(str(top), item)]
        return records.make(n, cells, (value.first, value.last))
    # A FollowTheMoney entity: its properties are its columns, name, alias, weakAlias and
    # previousName its names (lists already: never split)
    props = lines.get("properties")
    prop_lines = ({m.key: m.first_key for m in _members(props.text, props.first)}
                  if props is not None and props.first != props.last else {})
    cells = []
    for top, item in obj.items():
        if top == "properties":  # the properties where the entity has them
            for prop, values in item.items():
                at = prop_lines.get(prop, props.first if props is not None else value.first)
                cells.extend(Cell(k, v, at, False) for k, v, _s in _flatten(prop, values))
        elif top not in _FTM_SKIPPED:
            cells.extend(Cell(k, v, line(top), s) for k, v, s in _flatten(top, item))
    caption = obj.get("caption") if isinstance(obj.get("caption"), str) else None
    return records.make(n, cells, (value.first, value.last), _ftm_role,
                        fallback_title=caption or f"{obj['schema']} {obj.get('id', '')}".strip())


def _flatten(key: str, value: Any, depth: int = 0) -> Iterator[tuple[str, list[str], bool]]:
    """(key, values, splittable) of a JSON value: nested objects as ``key.sub``, lists as
    several values, a nested FollowTheMoney entity by its caption or name."""
    if isinstance(value, dict):
        if _is_ftm(value) or depth >= 2:
            text = _compact(value)
            if text:
                yield key, [text], False
            return
        for k, v in value.items():
            yield from _flatten(f"{key}.{k}", v, depth + 1)
    elif isinstance(value, list):
        items = [s for s in (_compact(v) for v in value) if s]
        if items:
            yield key, items, False
    else:
        text = _scalar(value)
        if text:
            yield key, [text], True


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _compact(value: Any) -> str:
    """A nested value in a few words: an entity's caption or name, else its items."""
    if isinstance(value, dict):
        if _is_ftm(value):
            names = value["properties"].get("name")
            caption = value.get("caption") or (names[0] if isinstance(names, list) and names
                                                else names)
            if isinstance(caption, str) and caption:
                return caption
            value = value["properties"]
        return ", ".join(f"{k}: {c}" for k, c in ((k, _compact(v)) for k, v in value.items())
                         if c)
    if isinstance(value, list):
        return "; ".join(s for s in (_compact(v) for v in value) if s)
    return _scalar(value)


# --------------------------------------------------------------------------- JSON stream


@dataclass
class _Value:
    """A JSON value decoded from a file: the value, its text, its first and last lines."""

    obj: Any
    text: str
    first: int
    last: int


class _BadLine(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


class _JsonStream:
    """JSON values decoded one at a time from a text read in chunks: the elements of a
    top-level array, or values one after the other (JSON Lines), each with its lines.
    Only the value being decoded is held (up to MAX_VALUE_CHARS)."""

    def __init__(self, text: _Text | None) -> None:
        self.text = text
        self.buf = ""
        self.pos = 0
        self.line = 1  # the line of the file at self.pos
        self.eof = text is None

    @classmethod
    def of(cls, s: str, line: int) -> _JsonStream:
        js = cls(None)
        js.buf, js.line = s, line
        return js

    def _more(self, at_least: int = 0) -> bool:
        """Read more text; what was before `pos` is dropped."""
        if self.eof or self.text is None:
            return False
        chunk = self.text.read(max(at_least, _CHUNK))
        if not chunk:
            self.eof = True
            return False
        self.buf = self.buf[self.pos:] + chunk
        self.pos = 0
        return True

    def _advance(self, to: int) -> None:
        self.line += self.buf.count("\n", self.pos, to)
        self.pos = to

    def peek(self) -> str:
        """The next character that is not white space ("" at the end)."""
        while True:
            self._advance(_WS.match(self.buf, self.pos).end())  # type: ignore[union-attr]
            if self.pos < len(self.buf) or not self._more():
                return self.buf[self.pos] if self.pos < len(self.buf) else ""

    def error(self, what: str, detail: str) -> str:
        return f"{what} (line {self.line:,}: {detail})"

    def value(self) -> _Value:
        """The value at the current position (after :meth:`peek`), decoded whole."""
        while True:
            try:
                obj, end = _DECODER.raw_decode(self.buf, self.pos)
                if end < len(self.buf) or self.eof or not self._more(len(self.buf) - self.pos):
                    break
                continue  # a number or a word may go on in the next chunk
            except json.JSONDecodeError as e:
                err = e
            if len(self.buf) - self.pos > MAX_VALUE_CHARS:
                raise SkipFile(f"a JSON value of more than {MAX_VALUE_CHARS // 2**20} MB at line "
                               f"{self.line:,}, skipped") from None
            if not self._more(len(self.buf) - self.pos):
                line = self.line + self.buf.count("\n", self.pos, err.pos)
                raise _NotRecords(f"not valid JSON (line {line:,}: {err.msg})") from None
        return self._take(obj, end)

    def _take(self, obj: Any, end: int) -> _Value:
        text = self.buf[self.pos:end]
        first = self.line
        self._advance(end)
        return _Value(obj, text, first, first + text.count("\n"))

    def line_value(self) -> _Value:
        """The value of the next line of JSON Lines (it may go on over the next lines);
        _BadLine, past the line, when the line is not JSON."""
        while self.buf.find("\n", self.pos) < 0 and not self.eof:
            if len(self.buf) - self.pos > MAX_VALUE_CHARS:  # skipped, never held whole
                line = self.line
                while True:
                    self.buf, self.pos = "", 0
                    if not self._more():
                        break
                    end = self.buf.find("\n")
                    if end >= 0:
                        self._advance(end + 1)
                        break
                raise _BadLine(line)
            self._more(len(self.buf) - self.pos)
        newline = self.buf.find("\n", self.pos)
        try:
            obj, end = _DECODER.raw_decode(self.buf, self.pos)
            if end < len(self.buf) or self.eof:
                return self._take(obj, end)
        except (ValueError, RecursionError) as e:  # (a 5,000-digit number, [[[... 100,000 deep)
            if (not isinstance(e, json.JSONDecodeError) or newline < 0
                    or e.pos <= newline):
                line = self.line
                self._advance(len(self.buf) if newline < 0 else newline + 1)
                raise _BadLine(line) from None
        return self.value()  # a value over several lines: read on

    def array(self) -> Iterator[_Value]:
        """The elements of the array at the current position, one at a time."""
        self._advance(self.pos + 1)  # "["
        if self.peek() == "]":
            self._advance(self.pos + 1)
            return
        while True:
            if self.peek() == "":
                raise _NotRecords(self.error("not valid JSON", "the list is not closed"))
            yield self.value()
            c = self.peek()
            if c == "]":
                self._advance(self.pos + 1)
                return
            if c != ",":
                raise _NotRecords(self.error("not valid JSON", "expecting , or ]"))
            self._advance(self.pos + 1)


@dataclass
class _Member:
    """A member of a JSON object written in a text: its key, the line of its key, and its
    value's text with its first and last lines."""

    key: str
    first_key: int
    text: str
    first: int
    last: int


def _members(s: str, first: int) -> Iterator[_Member]:
    """The members of the object written in `s` (which starts on line `first`), in order."""
    from json.decoder import scanstring  # type: ignore[attr-defined]

    def ws(at: int) -> int:  # past white space from `at` (the pattern matches empty too)
        m = _WS.match(s, at)
        return m.end() if m else at

    pos = ws(ws(0) + 1)  # past "{"
    line, counted = first, 0
    while pos < len(s) and s[pos] == '"':
        key_at = pos
        key, pos = scanstring(s, pos + 1)
        pos = ws(ws(pos) + 1)  # past ":"
        _obj, end = _DECODER.raw_decode(s, pos)
        line += s.count("\n", counted, key_at)
        key_line = line
        line += s.count("\n", key_at, pos)
        text = s[pos:end]
        counted = pos
        yield _Member(key, key_line, text, line, line + text.count("\n"))
        pos = ws(end)
        if pos < len(s) and s[pos] == ",":
            pos = ws(pos + 1)
