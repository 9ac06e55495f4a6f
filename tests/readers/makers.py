"""Small writers of PDF and Word files for the tests (and benchmarks/perf.py --pdf), with
the standard library only: what they write is what the readers are tested on, so each
is kept plain and standard (a PDF of the base-14 fonts in WinAnsi encoding; a .docx /
.odt of the parts a word processor writes), with no test-only dependency to install.
"""

from __future__ import annotations

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

    def text(self, x: float, y: float, s: str, size: float = 10, font: str = "body") -> Page:
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
    y = PAGE_H - MARGIN
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
    raw = s.encode("cp1252")  # WinAnsiEncoding, as the base-14 fonts are declared
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
        for x, y, size, font, s in page.texts:
            ops.append(b"BT /%s %.1f Tf %.2f %.2f Td %s Tj ET"
                       % (font.encode(), size, x, y, _pdf_string(s)))
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
