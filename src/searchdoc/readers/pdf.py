"""PDF: the text of each page in reading order, the page the unit of attribution.

pypdfium2 (PDFium, the PDF engine of Chromium) gives each character of a page with its
position; the page is laid out here from those positions rather than taken in the order
the file draws it, which need not be the order it is read in:

1. **Lines.** Characters on one baseline form a line, read by their position (so the
   order of the content stream does not matter), a space where the gap between two
   characters is a word space.
2. **Columns.** A gap that recurs at the same place in several lines, with text on both
   sides of it, is a gutter: the lines are cut there into the segments of each column.
3. **Blocks.** A segment joins the block of the segment right above it (overlapping it,
   about one line below, in the same type size); otherwise it starts a block.
4. **Reading order.** Blocks side by side are read left to right (right to left on a page
   mostly in Arabic or Hebrew), a column down to its end before the next; bands one above
   the other top to bottom (recursive XY-cut; two bands that share the same columns are
   read as one).
5. **Right-to-left text** is turned from the visual order of the page into logical order
   (the order it is typed and searched in), with runs of Latin letters and digits inside
   it kept left to right; Arabic presentation forms (U+FB50–U+FDFF, U+FE70–U+FEFF) and
   Latin ligatures become the letters they stand for (NFKC) and bidi control marks are
   dropped.

Running headers and footers (the same text, numbers aside, at the top or bottom of most
pages) are dropped, their lines still counted. Lines are numbered from 1 on each page;
every passage cites its page
(:class:`~searchdoc.readers.base.Line` ``page``). A block set clearly larger than the body
text (one or two short lines) is a heading; its size ranks its level. The title is the
PDF's Title metadata when it looks like one (not "Microsoft Word - x.docx"), else the
first heading or line. A PDF without any text (a scan) or that needs a password is
skipped with one line saying so; pages without text in a PDF that has some are named in
a warning.
"""

from __future__ import annotations

import ctypes
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from searchdoc.errors import SkipFile
from searchdoc.readers.base import Line, RawDocument, Warn
from searchdoc.readers.text import no_surrogates, squash_spaces

WORD_GAP = 0.15  # a gap wider than this (times the line height) is a word space
SPLIT_GAP = 0.9  # a gap wider than this may be a gutter between columns
COLUMN_MIN = 6.0  # text on each side of a gutter is at least this wide (line heights)
HEADING_RATIO = 1.2  # a heading is set at least this much larger than the body text
MAX_HEADING_WORDS = 15
# What a PDF is read for: a book of 1,000 dense pages; a page of a real document holds a few
# thousand characters (pages that share one crafted stream of millions stop here)
MAX_CHARACTERS = 3_000_000
MAX_CHARACTERS_PER_PAGE = 200_000

_BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e"
                                     "\u2066\u2067\u2068\u2069\u00ad"))
_MIRROR = str.maketrans("()[]{}<>«»", ")(][}{><»«")
_PRESENTATION = re.compile("[\ufb00-\ufb06\ufb50-\ufdff\ufe70-\ufeff]+")
_BAD_TITLE = re.compile(r"^(?:untitled|microsoft (?:word|powerpoint|excel) - .*|.*\.(?:docx?|"
                        r"pdf|rtf|odt|txt|html?|indd|tex|dvi|ps|qxp|xlsx?|pptx?)"
                        r"|(?:doi:?\s*|https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/\S+"  # a DOI
                        r"|https?://\S+|[\w.-]+\.(?:com|org|net|gov|edu|int)(?:/\S*)?"  # an address
                        r"|\S*\d\S*)$",  # one token with a digit: a code ("38serv"), not a title
                        re.IGNORECASE)


def read(data: bytes, source: str, warn: Warn) -> Iterator[RawDocument]:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise SkipFile(_open_error(e)) from None
    try:
        title = _metadata_title(doc)
        pages: list[list[_Block]] = []
        imaged: list[int] = []
        failed: list[int] = []
        left = MAX_CHARACTERS
        for i in range(len(doc)):
            try:
                read = _read_page(doc, i, left)
            except pdfium.PdfiumError:
                failed.append(i + 1)
                read = ([], False, 0)
            if read is None:  # past the budget: this page and the rest are not read
                warn(f"pages {i + 1}-{len(doc)}: past the {MAX_CHARACTERS:,} characters a PDF "
                     "is read for, not read" if i + 1 < len(doc) else
                     f"page {i + 1}: past the {MAX_CHARACTERS:,} characters a PDF is read "
                     "for, not read")
                break
            blocks, images, chars = read
            left -= chars
            pages.append(blocks)
            if not blocks and images:
                imaged.append(i + 1)
    finally:
        doc.close()
    if not any(pages):  # images only, or text drawn as shapes, or blank
        raise SkipFile("no text layer (scanned?), skipped")
    if imaged:
        warn(f"{_pages(imaged)} no text layer (scanned?): not indexed")
    if failed:
        warn(f"{_pages(failed)} could not be read: not indexed")
    yield RawDocument(source, tuple(_lines(pages)), title=title)


def _open_error(e: Exception) -> str:
    import pypdfium2.raw as c

    code = getattr(e, "err_code", None)
    if code == c.FPDF_ERR_PASSWORD:
        return "encrypted (needs a password), skipped"
    if code == c.FPDF_ERR_SECURITY:
        return "encrypted (unsupported security handler), skipped"
    return "not a readable PDF (damaged or truncated), skipped"


def _pages(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:10])) + (", ..." if len(numbers) > 10 else "")
    return f"page {shown}:" if len(numbers) == 1 else f"pages {shown}:"


def _metadata_title(doc: Any) -> str | None:
    try:
        title = squash_spaces(str(doc.get_metadata_dict().get("Title") or ""))
    except Exception:  # noqa: BLE001 - a broken Info dictionary only loses the title
        return None
    title = clean_text(title)
    if not title or _BAD_TITLE.match(title) or not any(ch.isalpha() for ch in title):
        return None
    return title


# ----------------------------------------------------------------------------- characters


class _Glyph:
    """A character as drawn (with the marks and ligature letters drawn with it), in page
    coordinates turned so that its text runs left to right."""

    __slots__ = ("first", "h", "last", "space", "text", "x0", "x1", "y")

    def __init__(self, text: str, x0: float, x1: float, y: float, h: float,
                 space: bool = False, index: int = -1) -> None:
        self.text = text
        self.x0 = x0
        self.x1 = x1
        self.y = y  # bottom of the line (the baseline less the font's descent)
        self.h = h  # line height of its font at its size
        self.space = space
        self.first = self.last = index  # its characters' places in PDFium's text


@dataclass
class _Segment:
    glyphs: list[_Glyph]
    x0: float = 0.0
    x1: float = 0.0
    y: float = 0.0
    h: float = 0.0

    def __post_init__(self) -> None:
        ink = [g for g in self.glyphs if not g.space] or self.glyphs
        self.x0 = min(g.x0 for g in ink)
        self.x1 = max(g.x1 for g in ink)
        self.y = sorted(g.y for g in ink)[len(ink) // 2]
        self.h = sorted(g.h for g in ink)[len(ink) // 2]


@dataclass
class _Block:
    segments: list[_Segment] = field(default_factory=list)
    rtl: bool = False
    rows: list[str] = field(default_factory=list)  # the text of each segment
    x0: float = 0.0  # the bounding box, set by finish()
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    h: float = 0.0  # the usual line height

    def finish(self, rtl: bool, stream: _Stream | None = None) -> None:
        segs = self.segments
        self.x0 = min(s.x0 for s in segs)
        self.x1 = max(s.x1 for s in segs)
        self.top = max(s.y + s.h for s in segs)
        self.bottom = min(s.y for s in segs)
        self.h = sorted(s.h for s in segs)[len(segs) // 2]
        self.rtl = rtl
        self.rows = [_segment_text(s, rtl, stream) for s in segs]


class _Stream:
    """What PDFium's own text of a page holds at each character index: a letter, a word
    space (drawn, or one PDFium adds where the file moves the pen between words), or a
    line break it adds. Its word spaces are the reference for where words end: two glyphs
    next to each other in its text, with no space between, are one word, however far
    apart they are drawn (Arabic letters that do not join the next, letter-spaced or
    justified Latin)."""

    LETTER, SPACE, BREAK, SKIP, ADDED = 0, 1, 2, 3, 4  # ADDED: a word space PDFium adds
    NEAR = 3  # glyphs at most this many places apart in the text are neighbours in it

    def __init__(self, count: int) -> None:
        self.kinds = bytearray(count)

    def between(self, a: _Glyph, b: _Glyph, drawn_only: bool = False) -> str | None:
        """" " where PDFium's text has a word space or a line break between two glyphs
        next to each other on a line, "" where they are one word, None where they are
        not near each other in its text (drawn in another order: positions decide)."""
        if a.first < 0 or b.first < 0:
            return None
        if b.first > a.last:
            lo, hi = a.last + 1, b.first
        elif a.first > b.last:
            lo, hi = b.last + 1, a.first
        else:
            return None
        if hi - lo > self.NEAR:
            return None
        kinds = self.kinds[lo:hi]
        if self.LETTER in kinds:
            return None
        if self.SPACE in kinds or self.BREAK in kinds:
            return " "
        if self.ADDED in kinds:
            return None if drawn_only else " "
        return ""


def _read_page(doc: Any, index: int, left: int = MAX_CHARACTERS_PER_PAGE
               ) -> tuple[list[_Block], bool, int] | None:
    """The blocks of a page in reading order, whether it shows images (looked at only
    when it has no text), and its characters; None when it has more than `left` (or
    MAX_CHARACTERS_PER_PAGE) characters: not read."""
    import pypdfium2.raw as c

    page = doc[index]
    try:
        textpage = page.get_textpage()
        try:
            chars = c.FPDFText_CountChars(textpage.raw)
            if chars > min(left, MAX_CHARACTERS_PER_PAGE):
                return None
            by_direction = _glyphs(textpage.raw)
        finally:
            textpage.close()
        # a page that shows something (a scan, text drawn as outlines) but no text
        images = not by_direction[0] and c.FPDFPage_CountObjects(page.raw) > 0
    finally:
        page.close()
    groups, stream = by_direction
    blocks: list[_Block] = []
    for glyphs in groups:  # the main direction of the page first, then the others
        blocks.extend(_layout(glyphs, stream))
    return blocks, images, chars


_SKIPPED = frozenset([*range(0x20), *range(0x7F, 0xA0), 0xFEFF, 0xFFFF, 0x061C,
                      *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2070)]
                     ) - {0x02, 0x09, 0x200C, 0x200D}
_ALEF_LAM = frozenset("\u0644" + a for a in "\u0627\u0623\u0625\u0622") | frozenset(
    a + "\u0644" for a in "\u0627\u0623\u0625\u0622")
_SPACES = frozenset([0x09, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000])


def _glyphs(tp: Any) -> tuple[list[list[_Glyph]], _Stream]:
    """The page's glyphs, grouped by the direction their text runs in (the most common
    first); each group in coordinates where it runs left to right. And what PDFium's text
    holds at each index."""
    import pypdfium2.raw as c

    rect = c.FS_RECTF()
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    loose_box, char_angle = c.FPDFText_GetLooseCharBox, c.FPDFText_GetCharAngle
    groups: dict[int, list[_Glyph]] = {}
    last: _Glyph | None = None
    quarter_turn = math.pi / 2
    combining = unicodedata.combining
    last_quarter = quarter = 0
    last_bottom = tight_bottom = math.nan
    tight = False
    unicode = c.FPDFText_GetUnicode  # (FPDFText_GetText is in another order: not by index)
    count = c.FPDFText_CountChars(tp)
    stream = _Stream(max(count, 0))
    kinds = stream.kinds
    for i in range(count):
        u = unicode(tp, i)
        if u == 0x20 or u in _SPACES:
            kinds[i] = _Stream.ADDED if c.FPDFText_IsGenerated(tp, i) == 1 else _Stream.SPACE
        elif u in (0x0A, 0x0D):
            kinds[i] = _Stream.BREAK
        elif u in _SKIPPED:
            kinds[i] = _Stream.SKIP
        if u in _SKIPPED or not loose_box(tp, i, rect):
            continue  # control characters, line ends PDFium adds, bidi marks
        bottom = rect.bottom
        if bottom != last_bottom:  # a character on the same baseline turns as the last one
            angle = char_angle(tp, i)
            quarter = round(angle / quarter_turn) % 4 if angle > 0.1 else 0
            last_bottom = bottom
        if bottom != tight_bottom and u != 0x20 and not quarter:
            # a letter whose box has the bottom of the last one is set in the same kind of
            # box: a font's line box keeps the bottom of a line, so the ink box is looked
            # for once per line in most PDFs, at each letter where it is the ink
            tight, tight_bottom = _tight(tp, i, rect), bottom
        if quarter:
            x0, x1, y, h = _turned(quarter, rect.left, rect.right, rect.bottom, rect.top)
        else:
            x0, x1, y, h = rect.left, rect.right, rect.bottom, rect.top - rect.bottom
            if tight and u != 0x20:
                # the font gives no line box: PDFium's "loose" box is the glyph's ink,
                # whose bottom and height vary from letter to letter (ر below the line,
                # س a sliver): a line box of the font size on the glyph's baseline
                size = c.FPDFText_GetFontSize(tp, i)
                if size > 1 and c.FPDFText_GetCharOrigin(tp, i, origin_x, origin_y):
                    y, h = origin_y.value - 0.3 * size, 1.2 * size
        if u == 0x20 or u in _SPACES:
            last = _Glyph(" ", x0, x1, y, h, True, i)
        else:
            ch = "-" if u in (0x02, 0xFFFE) else chr(u)  # PDFium's hyphen at a line end
            if (u < 0x300 and last is not None and not last.space and quarter == last_quarter
                    and abs(last.y - y) < 0.01 and -0.2 * h < x0 - last.x1 < 0.05 * h
                    and ord(last.text[-1]) < 0x300):
                last.text += ch  # the next letter of a word in a left-to-right script
                last.x1 = x1
                last.last = i
                continue
            if last is not None and not last.space and (
                    (u >= 0x300 and combining(ch))
                    or (x0 - last.x0 < 0.01 and x1 - last.x1 < 0.01 and abs(last.y - y) < 0.01
                        and last.x0 - x0 < 0.01 and last.x1 - x1 < 0.01)):
                # a mark, or another letter of a ligature: one glyph
                last.text += ch
                if last.text in _ALEF_LAM:  # PDFium gives lam-alef in either order
                    last.text = "\u0644" + last.text.replace("\u0644", "", 1)
                last.first, last.last = min(last.first, i), max(last.last, i)
                continue
            last = _Glyph(ch, x0, x1, y, h, index=i)
        last_quarter = quarter
        group = groups.get(quarter)
        if group is None:
            group = groups[quarter] = []
        group.append(last)
    for group in groups.values():
        _ligatures_in_logical_order(group)
    return sorted(groups.values(), key=len, reverse=True), stream


def _ligatures_in_logical_order(glyphs: list[_Glyph]) -> None:
    """A ligature of right-to-left letters (``لله`` drawn as one glyph) in the order they
    are typed. A page draws glyphs left to right; where PDFium turns a right-to-left run
    into the order it is typed (its text runs right to left on the page), it turns the
    letters of a ligature too (``هلل``): they are turned back. Where its text keeps the
    drawn order, a ligature's letters are as the font maps them. The glyphs next to it in
    PDFium's text tell which."""
    for k, g in enumerate(glyphs):
        if len(g.text) < 2 or g.space or g.text in _ALEF_LAM or not all(
                _is_rtl(ch) for ch in g.text):
            continue
        near = [n for n in (glyphs[k - 1] if k else None,
                            glyphs[k + 1] if k + 1 < len(glyphs) else None)
                if n is not None and not n.space and _is_rtl(n.text) and abs(n.y - g.y) < 0.5 * g.h]
        if not near:
            continue
        turned = sum(1 if (n.first < g.first) != (n.x0 < g.x0) else -1 for n in near)
        if turned > 0:
            g.text = g.text[::-1]


_ink_left, _ink_right = ctypes.c_double(), ctypes.c_double()
_ink_bottom, _ink_top = ctypes.c_double(), ctypes.c_double()


def _tight(tp: Any, i: int, loose: Any) -> bool:
    """Whether PDFium's loose box of a character is its ink box (the font says nothing
    of its ascent and descent)."""
    import pypdfium2.raw as c

    if not c.FPDFText_GetCharBox(tp, i, _ink_left, _ink_right, _ink_bottom, _ink_top):
        return False
    return (abs(_ink_bottom.value - loose.bottom) < 0.01 and abs(_ink_top.value - loose.top) < 0.01
            and abs(_ink_left.value - loose.left) < 0.01)


def _turned(quarter: int, left: float, right: float, bottom: float, top: float
            ) -> tuple[float, float, float, float]:
    """(x0, x1, bottom, height) of a glyph box in the frame where its text runs left to
    right (`quarter`: its rotation in quarter turns counter-clockwise)."""
    if quarter == 1:  # runs upwards
        return bottom, top, -right, right - left
    if quarter == 2:
        return -right, -left, -top, top - bottom
    return -top, -bottom, left, right - left  # runs downwards


# ----------------------------------------------------------------------------- layout


def _layout(glyphs: list[_Glyph], stream: _Stream | None = None) -> list[_Block]:
    lines = _baselines(glyphs)
    gutters = _gutters(lines)
    segments = [s for line in lines for s in _cut(line, gutters)]
    blocks = _blocks(segments)
    rtl = _mostly_rtl(glyphs)
    for b in blocks:
        b.finish(rtl, stream)
    return _reading_order(blocks, rtl)


def _baselines(glyphs: list[_Glyph]) -> list[list[_Glyph]]:
    """Glyphs grouped into lines (top to bottom), each sorted left to right."""
    lines: list[list[_Glyph]] = []
    base = math.inf
    for g in sorted(glyphs, key=lambda g: -g.y):
        if not lines or base - g.y > 0.45 * g.h:
            lines.append([])
            base = g.y
        lines[-1].append(g)
    for line in lines:
        line.sort(key=lambda g: g.x0)
    return lines


def _gaps(line: list[_Glyph], minimum: float) -> list[tuple[int, float, float]]:
    """(index of the glyph after the gap, gap start, gap end) for the gaps wider than
    `minimum` line heights (spaces count as gap)."""
    out = []
    right = None
    for k, g in enumerate(line):
        if g.space:
            continue
        if right is not None and g.x0 - right[1] > minimum * g.h:
            out.append((k, right[1], g.x0))
        right = (k, g.x1 if right is None else max(right[1], g.x1))
    return out


_Gutter = tuple[str, float, float]  # ("start" | "end", x, tolerance)


def _gutters(lines: list[list[_Glyph]]) -> list[_Gutter]:
    """The edges of columns: where the text after a wide gap starts (left-aligned
    columns) or the text before it ends (right-aligned) at the same x in three or more
    lines, with prose on both sides (not the short cells of a table)."""
    starts: list[tuple[float, float]] = []
    ends: list[tuple[float, float]] = []
    for line in lines:
        ink = [g for g in line if not g.space]
        if not ink:
            continue
        h = ink[len(ink) // 2].h
        gaps = _gaps(line, SPLIT_GAP)
        edges = [ink[0].x0, *(x for _k, a, b in gaps for x in (a, b)), max(g.x1 for g in ink)]
        for n, (_k, a, b) in enumerate(gaps):
            left, right = a - edges[2 * n], edges[2 * n + 3] - b
            if left >= COLUMN_MIN * h and right >= COLUMN_MIN * h:
                starts.append((b, h))
                ends.append((a, h))
    return [("start", x, tol) for x, tol in _aligned(starts)] + [
        ("end", x, tol) for x, tol in _aligned(ends)]


def _aligned(edges: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """(x, tolerance) of the values that three or more edges share."""
    out = []
    group: list[tuple[float, float]] = []
    for x, h in sorted(edges) + [(math.inf, 0.0)]:
        if group and x - group[0][0] > 0.3 * group[0][1]:
            if len(group) >= 3:
                out.append((sum(e[0] for e in group) / len(group), 0.3 * group[0][1]))
            group = []
        group.append((x, h))
    return out


def _cut(line: list[_Glyph], gutters: list[_Gutter]) -> list[_Segment]:
    """A line cut at the gutters it crosses (a wide gap elsewhere is a stretched line of
    justified text)."""
    cuts = [k for k, a, b in _gaps(line, SPLIT_GAP)
            if any(abs((b if side == "start" else a) - x) <= tol for side, x, tol in gutters)]
    pieces = [line[i:j] for i, j in zip([0, *cuts], [*cuts, len(line)])]
    return [_Segment(p) for p in pieces if any(not g.space for g in p)]


def _blocks(segments: list[_Segment]) -> list[_Block]:
    """Segments grouped into blocks: each joins the block whose last segment is right
    above it, overlapping it, in the same type size."""
    pitches: Counter[float] = Counter()
    ordered = sorted(segments, key=lambda s: (-s.y, s.x0))
    for s, t in pairwise(ordered):
        if t.x0 < s.x1 and t.x1 > s.x0 and 0 < s.y - t.y < 3 * s.h:
            pitches[round((s.y - t.y) / s.h, 1)] += 1
    usual = pitches.most_common(1)[0][0] if pitches else 1.2
    blocks: list[_Block] = []
    open_blocks: list[_Block] = []
    for s in ordered:
        best = None
        for b in open_blocks:
            last = b.segments[-1]
            drop = last.y - s.y
            if not (0 < drop <= min(max(1.5, 1.3 * usual), 2.6) * last.h):
                continue  # (2.6: double-spaced lines still make one block)
            if not (s.x0 < last.x1 and s.x1 > last.x0):
                continue
            if not 0.9 < s.h / last.h < 1.11:
                continue  # another type size: a heading, a running header, a caption
            if best is None or drop < best[0]:
                best = (drop, b)
        if best is None:
            block = _Block([s])
            blocks.append(block)
            open_blocks.append(block)
        else:
            best[1].segments.append(s)
        open_blocks = [b for b in open_blocks if b.segments[-1].y - s.y < 4 * s.h]
    return blocks


def _reading_order(blocks: list[_Block], rtl: bool) -> list[_Block]:
    """Recursive XY-cut: side by side left to right (right to left for `rtl`), else in
    bands top to bottom; adjacent bands with the same columns are read as one."""
    if len(blocks) <= 1:
        return blocks
    columns = _side_by_side(blocks)
    if len(columns) > 1:
        if rtl:
            columns.reverse()
        return [b for col in columns for b in _reading_order(col, rtl)]
    bands = _one_above_another(blocks)
    if len(bands) == 1:
        return sorted(blocks, key=lambda b: (-b.top, b.x0))
    merged: list[list[_Block]] = [bands[0]]
    for band in bands[1:]:
        both = merged[-1] + band
        if len(_side_by_side(merged[-1])) > 1 and len(_side_by_side(both)) > 1:
            merged[-1] = both
        else:
            merged.append(band)
    return [b for band in merged for b in _reading_order(band, rtl)]


def _side_by_side(blocks: list[_Block]) -> list[list[_Block]]:
    groups: list[list[_Block]] = []
    right = -math.inf
    for b in sorted(blocks, key=lambda b: b.x0):
        if groups and b.x0 < right:
            groups[-1].append(b)
        else:
            groups.append([b])
        right = max(right, b.x1)
    return groups


def _one_above_another(blocks: list[_Block]) -> list[list[_Block]]:
    bands: list[list[_Block]] = []
    low = math.inf
    for b in sorted(blocks, key=lambda b: -b.top):
        if bands and b.top > low:
            bands[-1].append(b)
        else:
            bands.append([b])
        low = min(low, b.bottom)
    return bands


# ----------------------------------------------------------------------------- text


def _is_rtl(ch: str) -> bool:
    return unicodedata.bidirectional(ch[0]) in ("R", "AL")


def _mostly_rtl(glyphs: Sequence[_Glyph]) -> bool:
    rtl = sum(1 for g in glyphs if not g.space and _is_rtl(g.text))
    ltr = sum(1 for g in glyphs if not g.space and unicodedata.bidirectional(g.text[0]) == "L")
    return rtl > ltr


def _segment_text(seg: _Segment, rtl_page: bool, stream: _Stream | None = None) -> str:
    """The text of a line segment in logical order. Between two glyphs next to each other
    in PDFium's text, a word space is where that text has one; between others (drawn in
    another order), where a space glyph stands or the gap is a word space wide."""
    items: list[str] = []
    right = None
    prev: _Glyph | None = None
    spaced = False  # a space glyph stands since the last letter
    word_gap = _letter_spaced_gap(seg.glyphs)
    for g in seg.glyphs:
        if g.space:
            # (in a letter-spaced line the spaces PDFium adds between letters say nothing)
            spaced = spaced or word_gap is None or stream is None or not (
                0 <= g.first < len(stream.kinds) and stream.kinds[g.first] == _Stream.ADDED)
            continue
        if prev is not None and items[-1] != " ":
            said = (stream.between(prev, g, drawn_only=word_gap is not None)
                    if stream is not None else None)
            if said is None:
                gap = g.x0 - right if right is not None else 0.0
                said = " " if spaced or gap > (word_gap or WORD_GAP * g.h) else ""
            if said:
                items.append(" ")
        items.append(g.text)
        right = g.x1 if right is None else max(right, g.x1)
        prev, spaced = g, False
    if any(_is_rtl(t) for t in items if t != " "):
        # runs of left-to-right letters were read as one item: back to one per character
        chars = [ch for t in items for ch in (t if ord(t[0]) < 0x300 else (t,))]
        items = visual_to_logical(chars, rtl_page)
    return clean_text("".join(items)).strip()


def _letter_spaced_gap(glyphs: list[_Glyph]) -> float | None:
    """For a letter-spaced line (its Latin letters drawn apart, each a glyph of its own:
    PDFium then adds a word space between letters), the gap above which two glyphs are two
    words: half again the usual gap between letters. None for other lines."""
    ink = [g for g in glyphs if not g.space]
    letters = [g for g in ink if g.text.isascii() and g.text.isalpha()]
    if len(letters) < 8 or sum(len(g.text) == 1 for g in letters) < 0.7 * len(letters):
        return None
    gaps = sorted(b.x0 - a.x1 for a, b in pairwise(ink) if not (b.x0 - a.x1 < 0))
    if not gaps:
        return None
    usual = gaps[len(gaps) // 3]  # most gaps are between letters
    h = sorted(g.h for g in ink)[len(ink) // 2]
    if usual < 0.05 * h:
        return None  # letters touching: not letter-spaced
    return max(1.6 * usual, usual + 0.12 * h)


def _kind(item: str) -> str:
    bidi = unicodedata.bidirectional(item[0])
    if bidi in ("R", "AL"):
        return "R"
    if bidi in ("L", "EN", "AN"):
        return "L"
    return "N"


def visual_to_logical(items: list[str], rtl: bool) -> list[str]:
    """Glyph texts in visual order (left to right on the page) -> logical order.

    In a right-to-left line everything is reversed, then each run of Latin letters and
    digits (with what stands between them) is put back left to right, and brackets
    outside those runs, which right-to-left text draws mirrored, are turned back. In a
    left-to-right line only the runs of right-to-left letters are reversed (digits
    among them kept in their order).
    """
    if rtl:
        out = items[::-1]
        kinds = [_kind(t) for t in out]
        i = 0
        while i < len(out):
            if kinds[i] != "L":
                out[i] = out[i].translate(_MIRROR)
                i += 1
                continue
            j = i
            end = i
            while j < len(out) and kinds[j] != "R":
                if kinds[j] == "L":
                    end = j
                j += 1
            out[i:end + 1] = out[i:end + 1][::-1]
            i = end + 1
        return out
    out = list(items)
    kinds = [_kind(t) for t in out]
    i = 0
    while i < len(out):
        if kinds[i] != "R":
            i += 1
            continue
        # Arabic-Indic digits belong to the Arabic before them, drawn to its left
        while i > 0 and (_arabic_digit(out[i - 1]) or (kinds[i - 1] == "N" and i > 1
                                                        and _arabic_digit(out[i - 2]))):
            i -= 1
        j, end = i, i
        while j < len(out) and not (kinds[j] == "L" and not out[j][0].isdigit()):
            if kinds[j] == "R" or _arabic_digit(out[j]):
                end = j
            j += 1
        run = out[i:end + 1][::-1]
        out[i:end + 1] = _digits_in_order(run)
        i = end + 1
    return out


def _arabic_digit(item: str) -> bool:
    return unicodedata.bidirectional(item[0]) == "AN"


def _digits_in_order(run: list[str]) -> list[str]:
    out, k = [], 0
    while k < len(run):
        if run[k][0].isdigit():
            m = k
            while m < len(run) and (run[m][0].isdigit() or run[m] in ".,:/"):
                m += 1
            out.extend(run[k:m][::-1])
            k = m
        else:
            out.append(run[k])
            k += 1
    return out


def clean_text(text: str) -> str:
    """Presentation forms and ligatures as the letters they stand for; bidi marks and
    soft hyphens dropped; surrogates (a mathematical letter) joined."""
    text = no_surrogates(text)
    text = _PRESENTATION.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return text.translate(_BIDI_MARKS)


# ----------------------------------------------------------------------------- lines


def _lines(pages: list[list[_Block]]) -> Iterator[Line]:
    body = _body_height(pages)
    levels = _heading_levels(pages, body)
    running = _running(pages)
    for number, blocks in enumerate(pages, 1):
        n = 0
        for block in blocks:
            if id(block) in running:  # a running header or footer: counted, not read
                n += len(block.rows)
                continue
            if n:
                yield Line(n, "", number, heading=-1)  # a blank line ends the block
            if _is_heading(block, body):
                n += 1
                yield Line(n, " ".join(block.rows), number, heading=levels[round(block.h, 1)])
                n += len(block.rows) - 1
                continue
            for k, text in enumerate(block.rows):
                if k and _indented(block.segments[k - 1], block.segments[k], block):
                    yield Line(n, "", number, heading=-1)
                n += 1
                yield Line(n, text, number, heading=-1)  # (a "# comment" in it is text)


_DIGITS = re.compile(r"\d+")


def _running(pages: list[list[_Block]]) -> set[int]:
    """The blocks (by id) that are running headers and footers: the top or bottom block of
    a page whose text, numbers aside ("Page 3 of 12"), tops or ends most pages, in the
    type size it has there."""
    if len(pages) < 3:
        return set()
    edges: dict[str, list[_Block]] = {}
    for blocks in pages:
        if not blocks:
            continue
        for block in {id(b): b for b in (max(blocks, key=lambda b: b.top),
                                          min(blocks, key=lambda b: b.bottom))}.values():
            if len(block.rows) <= 2:
                key = _DIGITS.sub("#", squash_spaces(" ".join(block.rows).lower()))
                edges.setdefault(key, []).append(block)
    out: set[int] = set()
    for found in edges.values():
        if len(found) < max(3, 0.4 * len(pages)):
            continue
        # the title of the first page, set larger than the running head that repeats it
        # on the others, is the title: kept
        usual = sorted(b.h for b in found)[len(found) // 2]
        out.update(id(b) for b in found if b.h < 1.2 * usual)
    return out


def _indented(prev: _Segment, seg: _Segment, block: _Block) -> bool:
    """A line indented (by one to eight line heights) under a line that is not starts a
    paragraph (blocks are already cut where the space between lines grows)."""
    if block.rtl:
        inset, prev_inset = block.x1 - seg.x1, block.x1 - prev.x1
    else:
        inset, prev_inset = seg.x0 - block.x0, prev.x0 - block.x0
    return prev_inset < 0.5 * seg.h and seg.h <= inset <= 8 * seg.h


def _body_height(pages: list[list[_Block]]) -> float:
    sizes: Counter[float] = Counter()
    for blocks in pages:
        for b in blocks:
            for s in b.segments:
                sizes[round(s.h, 1)] += len(s.glyphs)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _is_heading(block: _Block, body: float) -> bool:
    rows = block.rows
    words = sum(len(r.split()) for r in rows)
    return (len(rows) <= 2 and 0 < words <= MAX_HEADING_WORDS and body > 0
            and block.h >= HEADING_RATIO * body and any(ch.isalpha() for ch in "".join(rows)))


def _heading_levels(pages: list[list[_Block]], body: float) -> dict[float, int]:
    sizes = sorted({round(b.h, 1) for blocks in pages for b in blocks
                    if _is_heading(b, body)}, reverse=True)
    return {size: min(level, 6) for level, size in enumerate(sizes, 1)}
