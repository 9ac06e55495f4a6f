"""Excel workbooks (.xlsx, .xlsm) as lists: each sheet is read as a CSV file is (a header
row naming the columns, then one record per row), by the code that makes CSV records
(:class:`searchdoc.readers.table.Records`), so a row's names, title, fields and lines
mean the same as a CSV row's.

Read with the standard library (zipfile, ElementTree), a sheet row by row: a cell's text
is its shared string, its inline string or its value as stored (numbers as written,
TRUE/FALSE for booleans); a number in a cell whose format is a date or a time (Excel's
built-in date formats, or a format of its own with day, month, year or hour codes) is
the ISO date it stands for (``1969-07-09``, ``1969-07-09 14:30``, in the workbook's
1900 or 1904 date system); formulas count by their last computed value. A sheet whose
first row is data (no header) has its columns named by what they hold, as a CSV file's. A row cites its row number in its sheet; in a workbook of several sheets,
each record says its sheet (a ``sheet`` column).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import PurePosixPath
from xml.etree import ElementTree as ET

from searchdoc.errors import SkipFile
from searchdoc.readers.base import RawDocument, Warn, office_errors, open_zip
from searchdoc.readers.table import (
    SAMPLE_ROWS,
    Cell,
    Records,
    content_header,
    is_header,
    unique_header,
)
from searchdoc.readers.text import squash_spaces

MAX_PART_BYTES = 100 * 1024 * 1024  # a sheet or string table larger than this (unpacked)
MAX_COLUMNS = 16_384  # Excel's own limit (column XFD): a cell said to stand past it is not read
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def read(data: bytes, source: str, warn: Warn) -> Iterator[RawDocument]:
    archive, names = open_zip(data, "Excel workbook")
    if "xl/workbook.xml" not in names:
        raise SkipFile("binary file (zip archive or office document), skipped")
    with office_errors("Excel workbook"):
        sheets, epoch = _sheets(archive, names)
        strings = _shared_strings(archive, names)
        dates = _date_styles(archive, names)
        records = Records(source)
        n = 0
        read_parts: set[str] = set()
        repeated = 0
        for sheet, part in sheets:
            if part in read_parts:  # (a crafted workbook: 500 sheets, one part)
                repeated += 1
                continue
            read_parts.add(part)
            for number, cells in _sheet_records(archive, part, strings, dates, epoch, warn):
                n += 1
                if len(sheets) > 1:
                    cells.insert(0, Cell("sheet", [sheet], number))
                yield records.make(n, cells, (number, number))
    if repeated:
        warn(f"{repeated:,} sheet(s) that are a sheet read before, not read again")
    if not n:
        raise SkipFile("no row in it, skipped")
    records.report(warn)


def _open(archive: zipfile.ZipFile, name: str):  # type: ignore[no-untyped-def]
    info = archive.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise SkipFile(f"{name} unpacks to {info.file_size // (1024 * 1024)} MB: too large, "
                       "skipped")
    return archive.open(name)


def _sheets(archive: zipfile.ZipFile, names: set[str]) -> tuple[list[tuple[str, str]], date]:
    """(name, part) of each worksheet, in the workbook's order; and the day its date
    serial numbers count from."""
    with _open(archive, "xl/workbook.xml") as fh:
        book = ET.parse(fh).getroot()
    pr = book.find(f"{S}workbookPr")
    system_1904 = pr is not None and pr.get("date1904", "").lower() in ("1", "true")
    epoch = date(1904, 1, 1) if system_1904 else date(1899, 12, 30)
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
    return out, epoch


# Excel's built-in number formats that show a date or a time (ECMA-376 18.8.30, and the
# East Asian ones)
_DATE_FORMATS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59),
                           *range(71, 82)})
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # literal text, escapes, [Red] and [$-409]


def _is_date_format(code: str) -> bool:
    """Whether a number format of the workbook's own shows a date or a time."""
    bare = _QUOTED.sub("", code).lower()
    return any(ch in bare for ch in "dmyhs") and "general" not in bare


def _date_styles(archive: zipfile.ZipFile, names: set[str]) -> dict[int, bool]:
    """For each cell style (the ``s`` of a cell) whose number format is a date or a time:
    whether it shows a time of day too."""
    if "xl/styles.xml" not in names:
        return {}
    with _open(archive, "xl/styles.xml") as fh:
        root = ET.parse(fh).getroot()
    custom: dict[int, str] = {}
    for fmt in root.iter(f"{S}numFmt"):
        try:
            custom[int(fmt.get("numFmtId", ""))] = fmt.get("formatCode", "")
        except ValueError:
            continue
    out: dict[int, bool] = {}
    xfs = root.find(f"{S}cellXfs")
    for k, xf in enumerate(xfs.iter(f"{S}xf") if xfs is not None else ()):
        try:
            fid = int(xf.get("numFmtId", "0"))
        except ValueError:
            continue
        code = custom.get(fid)
        if code is not None and _is_date_format(code):
            out[k] = "h" in _QUOTED.sub("", code).lower()
        elif code is None and fid in _DATE_FORMATS:
            out[k] = fid in (18, 19, 20, 21, 22, 45, 46, 47)
    return out


def _as_date(text: str, epoch: date, with_time: bool) -> str:
    """The ISO date (and time) of a serial number of the workbook's date system."""
    try:
        serial = float(text)
    except ValueError:
        return text
    if not 0 <= serial < 2958466:  # up to 9999-12-31
        return text
    day = int(serial)
    seconds = round((serial - day) * 86400)
    if epoch.year == 1899 and day < 61:
        day += 1  # Excel counts 1900-02-29, which was not: serials before it are a day off
    when = datetime.combine(epoch, time()) + timedelta(days=day, seconds=seconds)
    if day == 0 and epoch.year == 1899 and seconds and with_time:
        return when.strftime("%H:%M:%S" if when.second else "%H:%M")
    if with_time and seconds:
        return when.strftime("%Y-%m-%d %H:%M:%S" if when.second else "%Y-%m-%d %H:%M")
    return when.date().isoformat()


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
    """The 0-based column of a cell reference ("C7" -> 2); MAX_COLUMNS for one past
    Excel's last column (a reference of a crafted file: "ZZZZZZ1")."""
    n = 0
    for ch in ref[:4]:
        if not ("A" <= ch.upper() <= "Z"):
            break
        n = n * 26 + ord(ch.upper()) - 64
    else:
        if len(ref) > 3 and ref[3].isalpha():
            return MAX_COLUMNS
    return min(n - 1, MAX_COLUMNS)


def _value(c: ET.Element, strings: list[str], dates: dict[int, bool], epoch: date) -> str:
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
    if kind in (None, "n") and text and dates:
        style = c.get("s")
        if style is not None and style.isdigit() and int(style) in dates:
            return _as_date(text, epoch, dates[int(style)])
    if kind == "d":  # a date stored as ISO 8601 text
        return text.replace("T00:00:00", "").replace("T", " ").removesuffix("Z")
    if kind in (None, "n") and text.endswith(".0"):
        return text[:-2]
    return text


def _sheet_records(archive: zipfile.ZipFile, part: str, strings: list[str],
                   dates: dict[int, bool], epoch: date, warn: Warn = lambda _w: None,
                   ) -> Iterator[tuple[int, list[Cell]]]:
    """(row number, cells) of each record of one sheet, after its header row (a sheet
    whose first row is data has its columns named from its first rows)."""
    header: list[str] | None = None
    sample: list[tuple[int, list[str]]] | None = None
    count = 0
    beyond = [0]  # cells said to stand past column XFD

    def record(number: int, cells: list[str], header: list[str]) -> tuple[int, list[Cell]]:
        keys = header + [f"column {i}" for i in range(len(header) + 1, len(cells) + 1)]
        return number, [Cell(keys[i], [v], number) for i, v in enumerate(cells) if v]

    with _open(archive, part) as fh:
        for _event, row in ET.iterparse(fh):
            if row.tag != f"{S}row":
                continue
            count += 1
            values: dict[int, str] = {}
            for i, c in enumerate(row.iter(f"{S}c")):
                col = _column(c.get("r", "")) if c.get("r") else i
                if col >= MAX_COLUMNS or col < 0:
                    beyond[0] += 1
                    continue
                values[col] = squash_spaces(_value(c, strings, dates, epoch))
            number = int(row.get("r") or count)
            row.clear()
            if not any(values.values()):
                continue
            width = max(values) + 1
            cells = [values.get(i, "") for i in range(width)]
            if header is None and sample is None:
                if is_header(cells):
                    header = unique_header([h or f"column {i}" for i, h in enumerate(cells, 1)])
                    continue
                sample = []
            if sample is not None:
                sample.append((number, cells))
                if len(sample) < SAMPLE_ROWS:
                    continue
                header = content_header([r for _n, r in sample])
                for k, r in sample:
                    yield record(k, r, header)
                sample = None
                continue
            assert header is not None
            yield record(number, cells, header)
    if sample:
        header = content_header([r for _n, r in sample])
        for k, r in sample:
            yield record(k, r, header)
    if beyond[0]:
        warn(f"{beyond[0]:,} cell(s) said to stand past column XFD (16,384), Excel's last, "
             "not read")
