"""Word (.docx) and OpenDocument text (.odt): paragraphs in order, headings, tables.

Both are zip files of XML, read here with the standard library (zipfile, ElementTree):

- **Paragraphs** in the order of the document, tables and text boxes where they stand;
  text of tracked insertions kept, of deletions and field codes dropped; footnotes and
  endnotes after the body, under a "Notes" heading (level 2).
- **Headings**: a paragraph whose style is a heading ("Heading 2", "Title", any style
  with an outline level, or based on one; style ids are resolved through
  ``word/styles.xml``, so a German "Überschrift 2" is a level-2 heading too) or an ODT
  ``<text:h>`` with its outline level.
- **Tables**: a row of two cells becomes a ``- Key: value`` field line, any other row
  one line of its cells separated by ``|``.
- **Title**: the core properties' title (``docProps/core.xml``; ``meta.xml`` in an .odt),
  else the first heading.

Line numbers are paragraph numbers: the n-th paragraph of the document that holds text
(a table row counts as one; empty paragraphs are not counted).

Any other zip (a spreadsheet, a presentation, an archive) is skipped as before.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from searchdoc.errors import SkipFile
from searchdoc.readers.base import Line, RawDocument, Warn, office_errors, open_zip, read_part
from searchdoc.readers.text import squash_spaces

MAX_PART_BYTES = 64 * 1024 * 1024  # an XML part larger than this (unpacked) is refused

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
DC = "{http://purl.org/dc/elements/1.1/}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_HEADING_NAME = re.compile(r"^(?:heading|berschrift|überschrift|titre|título|titolo|kop)\s*(\d)$",
                           re.IGNORECASE)


@dataclass
class _Para:
    text: str
    level: int = 0  # heading level, 0 for body text
    row: bool = False  # a table row (rows of one table form one block)
    item: bool = False  # an item of a list (items of one list form one block)


def read(data: bytes, source: str, warn: Warn) -> Iterator[RawDocument]:
    archive, names = open_zip(data, "Word document")
    if "xl/workbook.xml" in names:  # an Excel workbook under another name
        from searchdoc.readers import xlsx

        yield from xlsx.read(data, source, warn)
        return
    with office_errors("Word document"):
        if "word/document.xml" in names:
            title, paras = _docx(archive, names, warn)
        elif "content.xml" in names and _is_odt(archive, names):
            title, paras = _odt(archive, names)
        else:
            raise SkipFile("binary file (zip archive or office document), skipped")
    yield RawDocument(source, tuple(_lines(paras)), title=title)


def _part(archive: zipfile.ZipFile, name: str) -> ET.Element:
    info = archive.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise SkipFile(f"{name} unpacks to {info.file_size // (1024 * 1024)} MB: too large, "
                       "skipped")
    return ET.fromstring(read_part(archive, name, MAX_PART_BYTES))


def _core_title(archive: zipfile.ZipFile, names: set[str], part: str) -> str | None:
    if part not in names:
        return None
    try:
        node = _part(archive, part).find(f".//{DC}title")
    except ET.ParseError:
        return None  # a damaged properties part only loses the title
    title = squash_spaces(node.text or "") if node is not None else ""
    return title or None


def _lines(paras: list[_Para]) -> Iterator[Line]:
    """Lines numbered by paragraph; a blank line between paragraphs (not between the rows
    of a table or the items of a list), which takes no number."""
    n = 0
    previous: _Para | None = None
    for p in paras:
        if not p.text.strip():
            continue
        if previous is not None and not ((p.row and previous.row) or (p.item and previous.item)):
            yield Line(n, "")
        n += 1
        yield Line(n, p.text, heading=p.level or -1)  # (its text's markup is text)
        previous = p


# ------------------------------------------------------------------------------- .docx


def _docx(archive: zipfile.ZipFile, names: set[str], warn: Warn
          ) -> tuple[str | None, list[_Para]]:
    levels = _style_levels(archive, names)
    body = _part(archive, "word/document.xml").find(f"{W}body")
    paras: list[_Para] = []
    if body is not None:
        _docx_blocks(body, levels, paras)
    notes: list[_Para] = []
    for part, tag in (("word/footnotes.xml", "footnote"), ("word/endnotes.xml", "endnote")):
        if part in names:
            for note in _part(archive, part).iter(f"{W}{tag}"):
                if note.get(f"{W}type") in (None, "normal"):
                    _docx_blocks(note, levels, notes)
    if any(p.text.strip() for p in notes):
        paras += [_Para("Notes", level=2), *notes]
    return _core_title(archive, names, "docProps/core.xml"), paras


def _style_levels(archive: zipfile.ZipFile, names: set[str]) -> dict[str, int]:
    """Heading level of each paragraph style id (0: not a heading), through basedOn."""
    if "word/styles.xml" not in names:
        return {}
    own: dict[str, int | None] = {}
    based: dict[str, str] = {}
    for style in _part(archive, "word/styles.xml").iter(f"{W}style"):
        sid = style.get(f"{W}styleId")
        if not sid or style.get(f"{W}type", "paragraph") != "paragraph":
            continue
        name_element = style.find(f"{W}name")
        name = name_element.get(f"{W}val", "") if name_element is not None else ""
        outline = style.find(f"{W}pPr/{W}outlineLvl")
        level: int | None = None
        m = _HEADING_NAME.match(name.strip()) or _HEADING_NAME.match(sid)
        if m:
            level = int(m.group(1))
        elif name.strip().lower() == "title" or sid.lower() == "title":
            level = 1
        elif outline is not None:
            level = _outline(outline.get(f"{W}val"))
        own[sid] = level
        parent = style.find(f"{W}basedOn")
        if parent is not None and parent.get(f"{W}val"):
            based[sid] = parent.get(f"{W}val", "")

    def resolve(sid: str, depth: int = 0) -> int:
        level = own.get(sid)
        if level is not None or depth > 20 or sid not in based:
            return level or 0
        return resolve(based[sid], depth + 1)

    return {sid: resolve(sid) for sid in own}


def _outline(value: str | None) -> int:
    """Heading level of an outline level (0-based; 9 is body text)."""
    try:
        n = int(value or "9")
    except ValueError:
        return 0
    return n + 1 if 0 <= n < 6 else 0


def _docx_blocks(parent: ET.Element, levels: dict[str, int], out: list[_Para]) -> None:
    for child in parent:
        tag = child.tag
        if tag == f"{W}p":
            _docx_paragraph(child, levels, out)
        elif tag == f"{W}tbl":
            for row in child.iter(f"{W}tr"):
                cells = [_cell_text(tc, levels) for tc in row.findall(f"{W}tc")]
                out.append(_Para(_row_text(cells), row=True))
        elif tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins", f"{W}smartTag"):
            _docx_blocks(child, levels, out)


def _cell_text(cell: ET.Element, levels: dict[str, int]) -> str:
    inner: list[_Para] = []
    _docx_blocks(cell, levels, inner)
    return " ".join(p.text for p in inner if p.text.strip())


def _row_text(cells: list[str]) -> str:
    cells = [squash_spaces(c) for c in cells]
    filled = [c for c in cells if c]
    if len(cells) == 2 and len(filled) == 2:
        return f"- {filled[0].rstrip(':')}: {filled[1]}"
    return " | ".join(filled)


def _docx_paragraph(p: ET.Element, levels: dict[str, int], out: list[_Para]) -> None:
    ppr = p.find(f"{W}pPr")
    level = 0
    item = False
    if ppr is not None:
        style = ppr.find(f"{W}pStyle")
        if style is not None:
            level = levels.get(style.get(f"{W}val", ""), 0)
        outline = ppr.find(f"{W}outlineLvl")
        if outline is not None:
            level = _outline(outline.get(f"{W}val"))
        item = ppr.find(f"{W}numPr") is not None
    parts: list[str] = []
    boxes: list[ET.Element] = []
    _runs(p, parts, boxes)
    text = squash_spaces("".join(parts))
    if item and not level and text:
        text = "- " + text
    out.append(_Para(text, level=level, item=item and not level))
    for box in boxes:  # the paragraphs of text boxes anchored in this one, after it
        _docx_blocks(box, levels, out)


def _runs(node: ET.Element, parts: list[str], boxes: list[ET.Element]) -> None:
    for child in node:
        tag = child.tag
        if tag == f"{W}t":
            parts.append(child.text or "")
        elif tag in (f"{W}tab", f"{W}br", f"{W}cr"):
            parts.append(" ")
        elif tag == f"{W}noBreakHyphen":
            parts.append("-")
        elif tag == f"{W}sym":
            parts.append(" ")
        elif tag == f"{W}txbxContent":
            boxes.append(child)
        elif tag in (f"{W}del", f"{W}instrText", f"{W}delText", f"{W}pPr", f"{W}rPr",
                     f"{MC}Fallback"):
            continue  # deleted text, field codes, properties, duplicates of text boxes
        else:
            _runs(child, parts, boxes)


# ------------------------------------------------------------------------------- .odt


def _is_odt(archive: zipfile.ZipFile, names: set[str]) -> bool:
    if "mimetype" not in names:
        return True  # content.xml alone: try it
    mimetype = read_part(archive, "mimetype", 200)[:200].decode("ascii", "replace").strip()
    return mimetype.startswith("application/vnd.oasis.opendocument.text")


def _odt(archive: zipfile.ZipFile, names: set[str]) -> tuple[str | None, list[_Para]]:
    root = _part(archive, "content.xml")
    title_styles = {s.get("{urn:oasis:names:tc:opendocument:xmlns:style:1.0}name")
                    for s in root.iter("{urn:oasis:names:tc:opendocument:xmlns:style:1.0}style")
                    if s.get("{urn:oasis:names:tc:opendocument:xmlns:style:1.0}parent-style-name")
                    == "Title"} | {"Title"}
    text = root.find(f"{OFFICE}body/{OFFICE}text")
    paras: list[_Para] = []
    notes: list[_Para] = []
    if text is not None:
        _odt_blocks(text, paras, notes, title_styles)
    if notes:
        paras += [_Para("Notes", level=2), *notes]
    return _core_title(archive, names, "meta.xml"), paras


def _odt_blocks(parent: ET.Element, out: list[_Para], notes: list[_Para], titles: set[str | None],
                item: bool = False) -> None:
    for child in parent:
        tag = child.tag
        if tag in (f"{TEXT}p", f"{TEXT}h"):
            parts: list[str] = []
            _odt_text(child, parts, notes, titles)
            text = squash_spaces("".join(parts))
            level = 0
            if tag == f"{TEXT}h":
                level = max(1, min(6, int(child.get(f"{TEXT}outline-level", "1") or 1)))
            elif child.get(f"{TEXT}style-name") in titles:
                level = 1
            if item and not level and text:
                text = "- " + text
            out.append(_Para(text, level=level, item=item and not level))
        elif tag == f"{TEXT}list":
            for li in child:
                _odt_blocks(li, out, notes, titles, item=True)
        elif tag == f"{TABLE}table":
            for row in child.iter(f"{TABLE}table-row"):
                cells = []
                for cell in row:
                    if cell.tag != f"{TABLE}table-cell":
                        continue
                    inner: list[_Para] = []
                    _odt_blocks(cell, inner, notes, titles)
                    cells.append(" ".join(p.text for p in inner if p.text.strip()))
                out.append(_Para(_row_text(cells), row=True))
        elif tag in (f"{TEXT}section", f"{TEXT}list-item", f"{TEXT}list-header",
                     f"{TEXT}soft-page-break", f"{TABLE}table-header-rows"):
            _odt_blocks(child, out, notes, titles, item)


def _odt_text(node: ET.Element, parts: list[str], notes: list[_Para],
              titles: set[str | None]) -> None:
    if node.text:
        parts.append(node.text)
    for child in node:
        tag = child.tag
        if tag == f"{TEXT}s":  # n spaces (text:c): one, as white space is squashed
            parts.append(" ")
        elif tag in (f"{TEXT}tab", f"{TEXT}line-break"):
            parts.append(" ")
        elif tag == f"{TEXT}note":
            body = child.find(f"{TEXT}note-body")
            if body is not None:
                _odt_blocks(body, notes, notes, titles)
        elif tag not in (f"{OFFICE}annotation",):
            _odt_text(child, parts, notes, titles)
        if child.tail:
            parts.append(child.tail)
