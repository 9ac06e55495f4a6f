"""Lists of people in XML: the sanctions lists' own exports (the UN Consolidated List's
``INDIVIDUAL`` elements, OFAC's ``sdnEntry``, the EU's ``sanctionEntity``) and any XML file
whose elements repeat one record per person. Each record is one
:class:`~searchdoc.readers.base.RawDocument` of kind ``"record"``, made by the code that
makes CSV and JSON records (:class:`searchdoc.readers.table.Records`), so a record's
names, title, fields and lines mean the same whatever the list's format:

- the records are the elements of the shallowest level where an element with children
  repeats under one parent (``INDIVIDUALS/INDIVIDUAL`` and ``ENTITIES/ENTITY`` alike);
- a record's elements without children, and the attributes of its elements, are its
  columns, named by their tag (a ``VALUE`` by the element around it: ``NATIONALITY``),
  recognised as name, name-part, alias, original-script or identifier columns by the
  column names CSV headers use (:func:`searchdoc.names.columns.column_role`);
- an element inside a record that holds a name (an ``aka`` with ``firstName`` and
  ``lastName``, an ``INDIVIDUAL_ALIAS`` with its ``ALIAS_NAME``, a ``nameAlias`` with its
  ``wholeName`` attribute) is one other name of the person, a weak alias when it says so
  (quality or category "low" or "weak", ``strong="false"``);
- every column cites the line of the file its element starts on.

An XML file where no element repeats so (a single profile, a feed) is read as text, as
before. The file is parsed by the standard library's expat, which reads no external
entity and refuses entity expansions out of proportion to the input.
"""

from __future__ import annotations

import html
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO
from xml.parsers import expat

from searchdoc.errors import SkipFile
from searchdoc.names.columns import column_role
from searchdoc.readers.base import RawDocument, Warn
from searchdoc.readers.table import Cell, Records
from searchdoc.readers.text import squash_spaces

# A leaf named so says nothing by its tag: it is named by the element around it.
_GENERIC_TAGS = frozenset(["value", "values", "item", "text", "entry", "content"])
# The leaves of a name element that say the name is a weak one.
_STRENGTH_KEYS = frozenset(["quality", "category", "strength", "type", "alias quality"])
_WEAK_VALUES = frozenset(["low", "weak", "low quality"])
_NAME_PART_ROLES = frozenset(["name", "given", "middle", "family", "alias", "weak", "script"])
_MIN_RECORDS = 2  # an element that does not repeat is no list
MAX_DEPTH = 32  # elements nested deeper than this inside a record are not read
_CHUNK = 1 << 16  # bytes given to the parser at a time: records are made as they end


@dataclass
class _Node:
    tag: str
    line: int
    attrs: dict[str, str]
    children: list[_Node] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    end: int = 0

    @property
    def value(self) -> str:
        return squash_spaces("".join(self.text))


def _local(tag: str) -> str:
    """A tag without its namespace ("ns:sdnEntry", "{uri}sdnEntry" -> "sdnEntry")."""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _parser() -> expat.XMLParserType:
    p = expat.ParserCreate()
    p.buffer_text = True
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return p


def record_paths(fh: BinaryIO) -> tuple[set[tuple[str, ...]], str | None]:
    """The paths (tags from the root) of a list's records, and the parse error that ended
    the file early (None when it parsed whole). Empty when no element repeats, or when no
    tag or attribute is a name column (a feed, a book: no list of people)."""
    stack: list[str] = []
    has_children: list[bool] = []
    seen: list[Counter[str]] = []  # per open element, its children with children, by tag
    repeated: Counter[tuple[str, ...]] = Counter()  # per path, elements seen with children
    shallowest: int | None = None
    keys: set[str] = set()  # every tag and attribute name: a list of people names names

    def start(tag: str, attrs: dict[str, str]) -> None:
        if has_children:
            has_children[-1] = True
        stack.append(_local(tag))
        keys.add(stack[-1])
        keys.update(_local(k) for k in attrs)
        has_children.append(bool(attrs))
        seen.append(Counter())

    def end(_tag: str) -> None:
        nonlocal shallowest
        tag = stack[-1]
        children = has_children.pop()
        seen.pop()
        if children and seen and len(stack) <= MAX_DEPTH:  # (records are never that deep)
            path = tuple(stack)
            seen[-1][tag] += 1
            repeated[path] += 1
            if seen[-1][tag] >= _MIN_RECORDS and (shallowest is None or len(path) < shallowest):
                shallowest = len(path)
        stack.pop()

    p = _parser()
    p.StartElementHandler = start
    p.EndElementHandler = end
    error = None
    try:
        p.ParseFile(fh)
    except expat.ExpatError as e:
        error = _xml_error(e)
    if shallowest is None or not any(column_role(k) in _NAME_PART_ROLES for k in keys):
        return set(), error
    return {path for path, n in repeated.items()
            if len(path) == shallowest and n >= _MIN_RECORDS}, error


def read(data: bytes, source: str, warn: Warn) -> Iterator[RawDocument]:
    """The records of an XML list's bytes (its text when it is no list)."""
    yield from read_stream(io.BytesIO(data), source, warn)


def read_stream(fh: BinaryIO, source: str, warn: Warn) -> Iterator[RawDocument]:
    """The records of an XML list read from a seekable binary stream, one at a time: the
    file is parsed twice (once to find which elements are the records), and only the
    record being read is held."""
    paths, error = record_paths(fh)
    fh.seek(0)
    if not paths:
        from searchdoc.readers import text as text_reader
        from searchdoc.sources import MAX_FILE_BYTES

        data = fh.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise SkipFile(f"an XML file that is no list of people, larger than "
                           f"{MAX_FILE_BYTES // 2**20} MB to read as text, skipped")
        if error:
            warn(f"{error}: read as text")
        yield from text_reader.read(_text_of(data), source, warn)
        return
    records = Records(source)
    forced: dict[str, str] = {}  # the columns made of a name element, and their role

    def role_of(key: str) -> str | None:
        return forced.get(key) or column_role(key)

    done: list[_Node] = []
    stack: list[str] = []
    nodes: list[_Node] = []  # the open elements of the record being read

    deeper = [0, 0]  # open elements past MAX_DEPTH inside a record; how many were passed over

    def start(tag: str, attrs: dict[str, str]) -> None:
        stack.append(_local(tag))
        if deeper[0] or len(nodes) >= MAX_DEPTH:
            deeper[0] += 1  # (XML nested 20,000 deep: not one node made for it)
            deeper[1] += 1
            return
        if nodes or tuple(stack) in paths:
            node = _Node(stack[-1], p.CurrentLineNumber,
                         {_local(k): v for k, v in attrs.items()})
            if nodes:
                nodes[-1].children.append(node)
            nodes.append(node)

    def end(_tag: str) -> None:
        if deeper[0]:
            deeper[0] -= 1
            stack.pop()
            return
        if nodes:
            node = nodes.pop()
            node.end = p.CurrentLineNumber
            if not nodes:
                done.append(node)
        stack.pop()

    def chars(text: str) -> None:
        if nodes and not deeper[0]:
            nodes[-1].text.append(text)

    p = _parser()
    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = chars
    n = 0
    broken = None
    why = ""
    last = False
    while not last:
        chunk = fh.read(_CHUNK)
        last = not chunk
        try:
            p.Parse(chunk, last)
        except expat.ExpatError as e:
            broken = e.lineno
            why = _xml_error(e)
        for node in done:
            n += 1
            yield records.make(n, _cells(node, forced), (node.line, node.end), role_of)
        done.clear()
        if broken is not None:  # (after the records the first parse found, at least two)
            warn(f"{why}; the {n:,} record(s) before it are "
                 "indexed, the rest skipped")
            break
    if deeper[1]:
        warn(f"{deeper[1]:,} element(s) nested more than {MAX_DEPTH} deep in a record, "
             "not read")
    records.report(warn)


def _cells(record: _Node, forced: dict[str, str]) -> list[Cell]:
    """The columns of a record, in the order they stand: one per key (repeated elements
    give one column of several values), and one per name element."""
    by_key: dict[str, Cell] = {}

    cells: list[Cell] = []

    def add(key: str, value: str, line: int, merge: bool = True) -> None:
        if not value:
            return
        cell = by_key.get(key) if merge else None
        if cell is None:
            cells.append(Cell(key, [value], line, splittable=False))
            if merge:
                by_key[key] = cells[-1]
        elif value not in cell.values:
            cell.values.append(value)

    def walk(node: _Node, line: int) -> None:
        for k, v in node.attrs.items():
            add(k, squash_spaces(v), line)
        if node is not record and not node.children:  # a leaf with attributes
            add(node.tag, node.value, node.line)
        for child in node.children:
            if not child.children and not child.attrs:
                key = node.tag if child.tag.casefold() in _GENERIC_TAGS else child.tag
                add(key, child.value, child.line)
                continue
            name = _name_of(child)
            if name is not None:
                key, role, value = name
                forced[key] = role
                add(key, value, child.line, merge=False)  # each name cites its own line
            else:
                walk(child, child.line)

    walk(record, record.line)
    return cells


def _name_of(node: _Node) -> tuple[str, str, str] | None:
    """(column, role, name) of an element inside a record that holds one name (an alias
    element and its parts), or None."""
    leaves = [(k, v) for k, v in node.attrs.items()]
    leaves += [(c.tag, c.value) for c in node.children if not c.children]
    if not node.children:  # <name lang="ar">...</name>
        leaves.append((node.tag, node.value))
    roles = [(column_role(k), k, squash_spaces(v)) for k, v in leaves]
    if not any(r in _NAME_PART_ROLES for r, _k, v in roles if v):
        return None
    whole = next((v for r, _k, v in roles if r in ("name", "alias", "weak", "script") and v),
                 None)
    script = any(r == "script" for r, _k, v in roles if v == whole)
    if whole is None:
        parts = {r: v for r, _k, v in roles if r in ("given", "middle", "family") and v}
        whole = " ".join(parts[r] for r in ("given", "middle", "family") if r in parts)
    if not whole:
        return None
    weak = any(
        (k.casefold() in _STRENGTH_KEYS and v.casefold() in _WEAK_VALUES)
        or (k.casefold() == "strong" and v.casefold() == "false")
        or r == "weak"
        for r, k, v in roles)
    if script:
        return f"{node.tag} (original script)", "script", whole
    if weak:
        return f"{node.tag} (weak)", "weak", whole
    return node.tag, "alias", whole


def _xml_error(e: expat.ExpatError) -> str:
    """What expat stopped at, in a line: its reason where it is a limit (entities that
    expand out of proportion to the file, a "billion laughs"), else not well-formed."""
    reason = expat.ErrorString(e.code) if e.code else ""
    if "amplification" in reason or "entit" in reason:
        return f"XML entities expanding out of proportion at line {e.lineno} ({reason})"
    return f"not well-formed XML at line {e.lineno}"


def _blank_markup(data: bytes) -> bytes:
    """The markup of XML (tags, comments, CDATA marks) blanked out, the line breaks in it
    kept; in one pass (a file of 256,000 ``<`` without ``>`` costs no more than its
    length). A ``<`` that opens no tag (no ``>`` before the next ``<``) is text."""
    out: list[bytes] = []
    pos, n = 0, len(data)
    while pos < n:
        lt = data.find(b"<", pos)
        if lt < 0:
            out.append(data[pos:])
            break
        out.append(data[pos:lt])
        if data.startswith(b"<!--", lt):
            end = data.find(b"-->", lt + 4)
            end = n if end < 0 else end + 3
        elif data.startswith(b"<![CDATA[", lt):
            end = lt + 9
        else:
            nxt = data.find(b"<", lt + 1)
            gt = data.find(b">", lt + 1, nxt if nxt >= 0 else n)
            if gt < 0:
                out.append(b"<")
                pos = lt + 1
                continue
            end = gt + 1
        out.append(b"\n" * data.count(b"\n", lt, end) or b" ")
        pos = end
    return b"".join(out).replace(b"]]>", b" ")


def _text_of(data: bytes) -> bytes:
    """The text of an XML file that is no list: its markup blanked out, each line where it
    stands (so the lines cited are the file's), entities resolved."""
    text = _blank_markup(data)
    try:
        return html.unescape(text.decode("utf-8")).encode("utf-8")
    except UnicodeDecodeError:
        return text  # the text reader finds the encoding
