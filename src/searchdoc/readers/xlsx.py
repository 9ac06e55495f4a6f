"""Excel workbooks (.xlsx, .xlsm) as lists: each sheet is read as a CSV file is (a header
row naming the columns, then one record per row), by the code that makes CSV records
(:class:`searchdoc.readers.table.Records`), so a row's names, title, fields and lines
mean the same as a CSV row's.

Read with the standard library (zipfile, ElementTree), a sheet row by row: a cell's text
is its shared string, its inline string or its value as stored (numbers as written, a
date as Excel's serial number, TRUE/FALSE for booleans); formulas count by their last
computed value. A row cites its row number in its sheet; in a workbook of several sheets,
each record says its sheet (a ``sheet`` column).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import PurePosixPath
from xml.etree import ElementTree as ET

from searchdoc.errors import SkipFile
from searchdoc.readers.base import RawDocument, Warn, office_errors, open_zip
from searchdoc.readers.table import Cell, Records, is_header, unique_header
from searchdoc.readers.text import squash_spaces

MAX_PART_BYTES = 256 * 1024 * 1024  # a sheet or string table larger than this (unpacked)
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def read(data: bytes, source: str, warn: Warn) -> Iterator[RawDocument]:
    archive, names = open_zip(data, "Excel workbook")
    if "xl/workbook.xml" not in names:
        raise SkipFile("binary file (zip archive or office document), skipped")
    with office_errors("Excel workbook"):
        sheets = _sheets(archive, names)
        strings = _shared_strings(archive, names)
        records = Records(source)
        n = 0
        for sheet, part in sheets:
            for number, cells in _sheet_records(archive, part, strings):
                n += 1
                if len(sheets) > 1:
                    cells.insert(0, Cell("sheet", [sheet], number))
                yield records.make(n, cells, (number, number))
    if not n:
        raise SkipFile("no row in it, skipped")
    records.report(warn)


def _open(archive: zipfile.ZipFile, name: str):  # type: ignore[no-untyped-def]
    info = archive.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise SkipFile(f"{name} unpacks to {info.file_size // (1024 * 1024)} MB: too large, "
                       "skipped")
    return archive.open(name)


def _sheets(archive: zipfile.ZipFile, names: set[str]) -> list[tuple[str, str]]:
    """(name, part) of each worksheet, in the workbook's order."""
    with _open(archive, "xl/workbook.xml") as fh:
        book = ET.parse(fh).getroot()
    targets: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in names:
        with _open(archive, "xl/_rels/workbook.xml.rels") as fh:
            for rel in ET.parse(fh).getroot().iter(f"{REL}Relationship"):
                target = rel.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                targets[rel.get("Id", "")] = str(PurePosixPath(path))
    out = []
    for i, sheet in enumerate(book.iter(f"{S}sheet"), 1):
        part = targets.get(sheet.get(f"{R}id", ""), f"xl/worksheets/sheet{i}.xml")
        if part in names:
            out.append((sheet.get("name") or f"Sheet{i}", part))
    return out


def _shared_strings(archive: zipfile.ZipFile, names: set[str]) -> list[str]:
    if "xl/sharedStrings.xml" not in names:
        return []
    out = []
    with _open(archive, "xl/sharedStrings.xml") as fh:
        for _event, el in ET.iterparse(fh):
            if el.tag == f"{S}si":
                out.append("".join(t.text or "" for t in el.iter(f"{S}t")))
                el.clear()
    return out


def _column(ref: str) -> int:
    """The 0-based column of a cell reference ("C7" -> 2)."""
    n = 0
    for ch in ref:
        if not ch.isalpha():
            break
        n = n * 26 + ord(ch.upper()) - 64
    return n - 1


def _value(c: ET.Element, strings: list[str]) -> str:
    kind = c.get("t")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in c.iter(f"{S}t"))
    v = c.find(f"{S}v")
    text = v.text if v is not None and v.text else ""
    if kind == "s":
        try:
            return strings[int(text)]
        except (ValueError, IndexError):
            return ""
    if kind == "b":
        return "TRUE" if text == "1" else "FALSE" if text == "0" else text
    if kind in (None, "n") and text.endswith(".0"):
        return text[:-2]
    return text


def _sheet_records(archive: zipfile.ZipFile, part: str, strings: list[str]
                   ) -> Iterator[tuple[int, list[Cell]]]:
    """(row number, cells) of each record of one sheet, after its header row."""
    header: list[str] | None = None
    count = 0
    with _open(archive, part) as fh:
        for _event, row in ET.iterparse(fh):
            if row.tag != f"{S}row":
                continue
            count += 1
            values: dict[int, str] = {}
            for i, c in enumerate(row.iter(f"{S}c")):
                col = _column(c.get("r", "")) if c.get("r") else i
                values[col] = squash_spaces(_value(c, strings))
            number = int(row.get("r") or count)
            row.clear()
            if not any(values.values()):
                continue
            width = max(values) + 1
            cells = [values.get(i, "") for i in range(width)]
            if header is None:
                if is_header(cells):
                    header = unique_header([h or f"column {i}" for i, h in enumerate(cells, 1)])
                    continue
                header = [f"column {i}" for i in range(1, width + 1)]
            keys = header + [f"column {i}" for i in range(len(header) + 1, width + 1)]
            yield number, [Cell(keys[i], [v], number) for i, v in enumerate(cells) if v]
