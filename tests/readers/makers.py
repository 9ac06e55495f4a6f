"""Small writers of PDF, Word and Excel files for the tests (and benchmarks/perf.py
--pdf), with the standard library only: what they write is what the readers are tested
on, so each is kept plain and standard (a PDF of the base-14 fonts in WinAnsi encoding; a
.docx / .odt / .xlsx of the parts an office suite writes), with no test-only dependency
to install.
"""

from __future__ import annotations

import datetime
import textwrap
import zipfile
import zlib
from dataclasses import dataclass, field
from io import BytesIO
from xml.sax.saxutils import escape

# --------------------------------------------------------------------------------- PDF

PAGE_W, PAGE_H = 612, 792  # US Letter, in points
MARGIN = 54
FONTS = {"body": "Courier", "bold": "Helvetica-Bold", "sans": "Helvetica"}


@dataclass
class Page:
    """What one page shows, in the order the content stream draws it."""

    texts: list[tuple[float, float, float, str, str]] = field(default_factory=list)
    images: list[tuple[float, float, float, float]] = field(default_factory=list)
    spacing: dict[int, float] = field(default_factory=dict)  # letter spacing of a text (Tc)
    shapes: list[tuple[float, float, float, float]] = field(default_factory=list)

    def shape(self, x: float, y: float, w: float, h: float) -> Page:
        """A filled rectangle: what a page of text drawn as outlines shows."""
        self.shapes.append((x, y, w, h))
        return self

    def text(self, x: float, y: float, s: str, size: float = 10, font: str = "body",
             letter_spacing: float = 0) -> Page:
        if letter_spacing:
            self.spacing[len(self.texts)] = letter_spacing
        self.texts.append((x, y, size, font, s))
        return self

    def image(self, x: float, y: float, w: float, h: float) -> Page:
        self.images.append((x, y, w, h))
        return self


def wrap(text: str, size: float = 10, width: float = PAGE_W - 2 * MARGIN) -> list[str]:
    """Lines of `text` as they fit `width` points of Courier (0.6 em per character)."""
    return textwrap.wrap(text, int(width / (0.6 * size)), break_long_words=False,
                         break_on_hyphens=False) or [""]


def text_pages(paragraphs: list[str], size: float = 10, title: str | None = None
               ) -> list[Page]:
    """Paragraphs set in one column, a blank line between them, new pages as needed;
    `title` in large bold type at the top of the first page."""
    pages = [Page()]
    y: float = PAGE_H - MARGIN
    if title:
        pages[0].text(MARGIN, y, title, 18, "bold")
        y -= 36
    for para in paragraphs:
        for line in wrap(para, size):
            if y < MARGIN:
                pages.append(Page())
                y = PAGE_H - MARGIN
            pages[-1].text(MARGIN, y, line, size)
            y -= size * 1.2
        y -= size * 1.2
    return pages


def _pdf_string(s: str) -> bytes:
    raw = s.encode("cp1252", "replace")  # WinAnsiEncoding, as the base-14 fonts are declared
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def pdf(pages: list[Page], title: str | None = None, compress: bool = True) -> bytes:
    """A PDF of `pages` (an Info dictionary with `title` when given)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_obj = add(b"")
    fonts = {name: add(b"<< /Type /Font /Subtype /Type1 /BaseFont /" + base.encode()
                       + b" /Encoding /WinAnsiEncoding >>")
             for name, base in FONTS.items()}
    gray = bytes([0x20, 0xE0, 0xE0, 0x20] * 16)
    image = add(b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray"
                b" /BitsPerComponent 8 /Length %d >>\nstream\n" % len(gray) + gray
                + b"\nendstream")
    font_res = b" ".join(b"/%s %d 0 R" % (n.encode(), o) for n, o in fonts.items())
    kids = []
    for page in pages:
        ops = []
        for x, y, w, h in page.images:
            ops.append(b"q %.2f 0 0 %.2f %.2f %.2f cm /Im1 Do Q" % (w, h, x, y))
        for x, y, w, h in page.shapes:
            ops.append(b"%.2f %.2f %.2f %.2f re f" % (x, y, w, h))
        for k, (x, y, size, font, s) in enumerate(page.texts):
            ops.append(b"BT /%s %.1f Tf %.2f Tc %.2f %.2f Td %s Tj ET"
                       % (font.encode(), size, page.spacing.get(k, 0), x, y, _pdf_string(s)))
        stream = b"\n".join(ops)
        if compress:
            stream = zlib.compress(stream)
        content = add(b"<< /Length %d%s >>\nstream\n" % (
            len(stream), b" /Filter /FlateDecode" if compress else b"") + stream + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R"
                        b" /Resources << /Font << %s >> /XObject << /Im1 %d 0 R >> >> >>"
                        % (pages_obj, PAGE_W, PAGE_H, content, font_res, image)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    info = add(b"<< /Title %s /Producer (searchdoc tests) >>" % _pdf_string(title)) if title \
        else None
    return pdf_file(objects, catalog, info)


def pdf_file(objects: list[bytes], catalog: int, info: int | None = None) -> bytes:
    """A PDF file of its objects (numbered from 1 in order): header, bodies, cross-reference
    table and trailer."""
    out = BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, catalog, b" /Info %d 0 R" % info if info else b"", xref))
    return out.getvalue()


# --------------------------------------------------------------------------------- Word

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""
_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>"""
# Style ids as a German Word writes them: the names say what they are.
_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{_W}">
<w:style w:type="paragraph" w:default="1" w:styleId="Standard"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Titel"><w:name w:val="Title"/><w:basedOn w:val="Standard"/></w:style>
<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/><w:basedOn w:val="Standard"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="heading 2"/><w:basedOn w:val="Standard"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Zitat"><w:name w:val="Quote"/><w:basedOn w:val="Standard"/></w:style>
<w:style w:type="paragraph" w:styleId="MeineUeberschrift"><w:name w:val="My Heading"/><w:basedOn w:val="berschrift2"/></w:style>
</w:styles>"""
STYLE_IDS = {"title": "Titel", 1: "berschrift1", 2: "berschrift2", "quote": "Zitat",
             "custom2": "MeineUeberschrift"}


def _core(title: str | None) -> str:
    t = f"<dc:title>{escape(title)}</dc:title>" if title else ""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            f'xmlns:dc="http://purl.org/dc/elements/1.1/">{t}<dc:creator>tests</dc:creator>'
            '</cp:coreProperties>')


def _w_paragraph(text: str, style: str | int | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{STYLE_IDS[style]}"/></w:pPr>' if style is not None else ""
    # two runs, as a word processor splits text at a change of formatting
    half = len(text) // 2
    runs = "".join(f'<w:r><w:t xml:space="preserve">{escape(part)}</w:t></w:r>'
                   for part in (text[:half], text[half:]) if part)
    return f"<w:p>{ppr}{runs}</w:p>"


def docx(blocks: list, title: str | None = None) -> bytes:
    """A .docx of `blocks`: a str is a paragraph, (style, text) a styled paragraph
    (style: "title", 1, 2, "quote", "custom2"), a list of lists a table."""
    body = []
    for block in blocks:
        if isinstance(block, str):
            body.append(_w_paragraph(block))
        elif isinstance(block, tuple):
            body.append(_w_paragraph(block[1], block[0]))
        else:
            rows = "".join("<w:tr>" + "".join(f"<w:tc>{_w_paragraph(c)}</w:tc>" for c in row)
                           + "</w:tr>" for row in block)
            body.append(f"<w:tbl>{rows}</w:tbl>")
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document '
                f'xmlns:w="{_W}"><w:body>{"".join(body)}<w:sectPr/></w:body></w:document>')
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/document.xml", document)
        z.writestr("word/styles.xml", _STYLES)
        z.writestr("docProps/core.xml", _core(title))
    return out.getvalue()


def odt(blocks: list, title: str | None = None) -> bytes:
    """An .odt of `blocks` as for :func:`docx` (style 1 or 2: a heading of that level;
    "title": the Title style; any other: a paragraph style of that name)."""
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"')
    body = []
    for block in blocks:
        if isinstance(block, str):
            body.append(f"<text:p>{escape(block)}</text:p>")
        elif isinstance(block, tuple) and isinstance(block[0], int):
            body.append(f'<text:h text:outline-level="{block[0]}">{escape(block[1])}</text:h>')
        elif isinstance(block, tuple):
            style = "Title" if block[0] == "title" else str(block[0])
            body.append(f'<text:p text:style-name="{style}">{escape(block[1])}</text:p>')
        else:
            rows = "".join("<table:table-row>" + "".join(
                f"<table:table-cell><text:p>{escape(c)}</text:p></table:table-cell>" for c in row)
                + "</table:table-row>" for row in block)
            body.append(f"<table:table>{rows}</table:table>")
    content = (f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {ns}>'
               f'<office:body><office:text>{"".join(body)}</office:text></office:body>'
               "</office:document-content>")
    meta = ('<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta>'
            + (f"<dc:title>{escape(title)}</dc:title>" if title else "")
            + "</office:meta></office:document-meta>")
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content)
        z.writestr("meta.xml", meta)
    return out.getvalue()


def xlsx(sheets: dict[str, list[list[object]]], shared: bool = True) -> bytes:
    """An Excel workbook: each sheet's rows of cells (str, int, float, bool, a date or a
    datetime, or None); strings in the shared string table (or inline, `shared=False`);
    a date as Excel stores it: its serial number in a cell styled with the built-in date
    format 14, a datetime with a format of the workbook's own (``dd/mm/yyyy h:mm``)."""
    strings: list[str] = []

    def cell(ref: str, value: object) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, datetime.datetime):
            delta = value - datetime.datetime(1899, 12, 30)
            return f'<c r="{ref}" s="2"><v>{delta.total_seconds() / 86400}</v></c>'
        if isinstance(value, datetime.date):  # Excel counts a 29 February 1900
            base = datetime.date(1899, 12, 31 if value < datetime.date(1900, 3, 1) else 30)
            return f'<c r="{ref}" s="1"><v>{(value - base).days}</v></c>'
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, (int, float)):
            return f'<c r="{ref}"><v>{float(value)}</v></c>'
        if not shared:
            return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'
        strings.append(str(value))
        return f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>'

    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    parts: dict[str, str] = {}
    entries, rels = [], []
    for i, (name, rows) in enumerate(sheets.items(), 1):
        xml_rows = []
        for r, row in enumerate(rows, 1):
            cells = "".join(cell(f"{chr(64 + c)}{r}", v) for c, v in enumerate(row, 1))
            xml_rows.append(f'<row r="{r}">{cells}</row>')
        parts[f"xl/worksheets/sheet{i}.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet {main}><sheetData>'
            + "".join(xml_rows) + "</sheetData></worksheet>")
        entries.append(f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>')
        rels.append(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/'
                    f'officeDocument/2006/relationships/worksheet" '
                    f'Target="worksheets/sheet{i}.xml"/>')
    parts["xl/workbook.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><workbook {main} {rel}>'
                                f'<sheets>{"".join(entries)}</sheets></workbook>')
    parts["xl/_rels/workbook.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships">' + "".join(rels) + "</Relationships>")
    if strings:
        parts["xl/sharedStrings.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?><sst {main}>'
            + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>")
    parts["xl/styles.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {main}><numFmts count="2">'
        '<numFmt numFmtId="164" formatCode="dd/mm/yyyy\\ h:mm"/>'
        '<numFmt numFmtId="165" formatCode="&quot;Day&quot;\\ 0.00"/></numFmts>'
        '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
        '<xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="165"/></cellXfs></styleSheet>')
    parts["[Content_Types].xml"] = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http:'
                                    '//schemas.openxmlformats.org/package/2006/content-types"/>')
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return out.getvalue()


# ------------------------------------------------------------------- PDF: Arabic, Type 3

# Letters drawn below the line in Arabic type (their ink reaches under the baseline).
_DESCENDERS = frozenset("رزوىيجحخعغنقصضسشمل")


def _clusters(text: str, ligatures: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(text):
        lig = next((lg for lg in ligatures if text.startswith(lg, i)), None)
        out.append(lig or text[i])
        i += len(lig) if lig else 1
    return out


def _visual(clusters: list[str]) -> list[str]:
    """Right-to-left clusters in the order a page draws them (left to right), runs of
    Latin letters and digits kept left to right."""
    out = clusters[::-1]
    i = 0
    while i < len(out):
        if out[i].isascii() and out[i].isalnum():
            j = i
            while j < len(out) and out[j].isascii() and (out[j].isalnum() or out[j] in " .,"):
                j += 1
            while j > i and not out[j - 1].isalnum():
                j -= 1
            out[i:j] = out[i:j][::-1]
            i = j
        else:
            i += 1
    return out


def arabic_type3_pdf(lines: list[str], size: float = 15, ligatures: tuple[str, ...] = ("لله",),
                     title: str | None = None) -> bytes:
    """A PDF of right-to-left lines as a browser's "Save as PDF" writes them: a Type 3 font
    whose glyphs declare only their ink (no ascent or descent, so each letter's box has its
    own bottom and height), glyphs drawn left to right in the order the page shows them,
    ligatures (``لله``) one glyph mapped to several letters by the ToUnicode map, each line
    right-aligned."""
    glyphs: dict[str, int] = {}
    line_clusters = [_clusters(line, ligatures) for line in lines]
    for clusters in line_clusters:
        for c in clusters:
            glyphs.setdefault(c, len(glyphs) + 1)
    assert len(glyphs) < 255
    widths = {c: 250 if c == " " else 600 if len(c) > 1 else 300 + (ord(c[0]) % 4) * 60
              for c in glyphs}
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog, pages_obj = add(b""), add(b"")
    procs = []
    for c in glyphs:
        w = widths[c]
        if c == " ":
            body = b"%d 0 0 0 0 0 d1" % w
        else:
            low = -250 if c[-1] in _DESCENDERS else 0
            # ink narrower than the advance (letters that do not join), of heights from a
            # sliver (س) to a tall alef
            high = 750 if len(c) > 1 else 120 + (ord(c[0]) % 5) * 130
            body = b"%d 0 60 %d %d %d d1 60 %d %d %d re f" % (w, low, w - 60, high, low,
                                                              w - 120, high - low)
        procs.append(add(b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream"))
    bfchars = b"".join(b"<%02X> <%s>\n" % (code, c.encode("utf-16-be").hex().upper().encode())
                       for c, code in glyphs.items())
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo "
            b"<< /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName "
            b"/Adobe-Identity-UCS def /CMapType 2 def 1 begincodespacerange <00> <FF> "
            b"endcodespacerange %d beginbfchar\n%sendbfchar endcmap CMapName currentdict "
            b"/CMap defineresource pop end end" % (len(glyphs), bfchars))
    tounicode = add(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
    names = b" ".join(b"/g%d" % code for code in glyphs.values())
    font = add(b"<< /Type /Font /Subtype /Type3 /FontBBox [0 -300 1000 800] /FontMatrix "
               b"[0.001 0 0 0.001 0 0] /CharProcs << %s >> /Encoding << /Type /Encoding "
               b"/Differences [1 %s] >> /FirstChar 1 /LastChar %d /Widths [%s] /Resources << >>"
               b" /ToUnicode %d 0 R >>" % (
                   b" ".join(b"/g%d %d 0 R" % (code, p) for code, p in zip(glyphs.values(), procs)),
                   names, len(glyphs), b" ".join(b"%d" % widths[c] for c in glyphs), tounicode))
    # as Chrome draws a page: the y axis turned downwards by the page's matrix and back by
    # the text's, one glyph at a time (each moved to its place by Td)
    ops = [b"1 0 0 -1 0 %d cm" % PAGE_H]
    y: float = MARGIN
    for clusters in line_clusters:
        drawn = _visual(clusters)
        width = sum(widths[c] for c in drawn) * size / 1000
        glyph_ops = []
        for k, c in enumerate(drawn):
            step = widths[drawn[k - 1]] * size / 1000 if k else 0
            glyph_ops.append(b"%.3f 0 Td <%02X> Tj" % (step, glyphs[c]))
        ops.append(b"BT /F3 %.1f Tf 1 0 0 -1 %.2f %.2f Tm %s ET"
                   % (size, PAGE_W - MARGIN - width, y, b" ".join(glyph_ops)))
        y += size * 1.6
    stream = zlib.compress(b"\n".join(ops))
    content = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
                  + b"\nendstream")
    page = add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %d %d] /Contents %d 0 R "
               b"/Resources << /Font << /F3 %d 0 R >> >> >>"
               % (pages_obj, PAGE_W, PAGE_H, content, font))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page
    return pdf_file(objects, catalog)
