"""HTML: the visible text of a page; headings become ``#`` lines, two-cell table rows
``- Key: value`` lines, and ``<title>`` (else the first ``<h1>``) the title.

Every line of text keeps the number of the line of the file it stands on (a paragraph
written over five lines of HTML is five lines here, joined again into one paragraph by
:mod:`searchdoc.passages`), so a passage cites the lines of the file where its text is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from searchdoc.readers.base import Line, RawDocument, Warn
from searchdoc.readers.text import squash_spaces


def read(data: bytes, source: str, warn: Warn) -> Iterator[RawDocument]:
    from searchdoc.sources import decode

    text, warnings = decode(data)
    for w in warnings:
        warn(w)
    yield RawDocument(source, tuple(numbered_lines(html_lines(text))))


def numbered_lines(lines: list[tuple[int, str]], offset: int = 0) -> Iterator[Line]:
    """Lines of (line of the file, text); a blank line takes the number before it."""
    number = offset + 1
    for n, text in lines:
        if text:
            number = n + offset
        yield Line(number, text)


_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "nav"})
_BLOCK_TAGS = frozenset(
    """p div section article header footer main aside blockquote pre table ul ol dl
    figure figcaption form hr address fieldset details summary body""".split()
)
_LINE_TAGS = frozenset({"dt", "dd"})  # br, li and tr are handled on their own
_HEADING_TAGS = {f"h{n}": n for n in range(1, 7)}
_BARE_MARKER = re.compile(r"^(?:#+|[-•*]|\d{1,4}\.)$")
# What a <sup> holds when it is a reference marker: 3, [3], a, [citation needed]
_SUP_MARKER = re.compile(r"\[?\s*(\d{1,3}|[a-z]{1,2}|note \d{1,3}|citation needed)\s*\]?")
_INLINE_IN_SUP = frozenset({"a", "span", "b", "i", "em", "strong", "small"})
_SOFT = "\x0b"  # a line break of the file inside a paragraph: a new line, never a blank one
_BREAKS = re.compile("(\n|\x0b)")


def html_to_text(html: str) -> str:
    """The visible text of an HTML page, headings as ``#`` lines, title first as ``# Title``
    (the lines of the file a paragraph spans joined into one)."""
    return "\n".join(" ".join(parts) for parts, _n in _hard_lines(html))


def html_lines(html: str) -> list[tuple[int, str]]:
    """(line of `html`, text) for each line of the visible text, ``("", ...)`` between
    blocks: as :func:`html_to_text`, a paragraph cut where the file starts a new line."""
    out: list[tuple[int, str]] = []
    for parts, numbers in _hard_lines(html):
        if not parts:
            out.append((out[-1][0] if out else 1, ""))
        out.extend(zip(numbers, parts))
    return out


_ODD_DECLARATION = re.compile(r"<!(?!--|DOCTYPE|doctype|\[CDATA\[)")


def _parsed(html: str) -> _VisibleText:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return parser


def _hard_lines(html: str) -> list[tuple[list[str], list[int]]]:
    """The lines of the visible text, each as the pieces it has on lines of the file
    (pieces, their line numbers); an empty list for a blank line."""
    try:
        parser = _parsed(html)
    except Exception:  # noqa: BLE001 - the standard parser gives up on some bogus markup
        # (``<![CDATAx[``: an assertion): such declarations read as text, then again
        parser = _parsed(_ODD_DECLARATION.sub("&lt;!", html))
    lines: list[list[list]] = []  # [[text, line], ...] per hard line
    current: list[list] = [["", None]]
    for text, line in parser.out:
        for part in _BREAKS.split(text):
            if part == "\n":
                lines.append(current)
                current = [["", None]]
            elif part == _SOFT:
                current.append(["", None])
            elif part:
                piece = current[-1]
                piece[0] += part
                if piece[1] is None and line is not None and part.strip():
                    piece[1] = line
    lines.append(current)
    title = squash_spaces(parser.title)
    result: list[tuple[list[str], list[int]]] = []
    if title:
        result += [([f"# {title}"], [parser.title_line]), ([], [])]
    last = parser.title_line if title else 1
    for hard in lines:
        parts: list[str] = []
        numbers: list[int] = []
        for text, line in hard:
            text = text.strip()
            if not text:
                continue
            last = line if line is not None else last
            if parts and _BARE_MARKER.match(parts[-1]):  # "- " or "## " before its text
                parts[-1] += " " + text
                numbers[-1] = last
            else:
                parts.append(text)
                numbers.append(last)
        if len(parts) == 1 and _BARE_MARKER.match(parts[0]):
            parts, numbers = [], []
        if parts or (result and result[-1][0]):
            result.append((parts, numbers))
    while result and not result[-1][0]:
        result.pop()
    while result and not result[0][0]:
        result.pop(0)
    return result


class _VisibleText(HTMLParser):
    """Collects visible text as (text, line of the file) pieces (line None for what the
    markup adds); block elements become line breaks, headings ``#`` lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[tuple[str, int | None]] = []
        self.title = ""
        self.title_line = 1
        self._skip = 0
        self._in_title = False
        self._pre = 0
        self._in_heading = False
        self._seen_h1 = False
        self._dropping = False  # inside the first <h1> when a <title> gave the title
        self._row: list[list[str]] | None = None  # cells of the open table row
        self._row_line: int | None = None  # where its text starts
        self._lists: list[int | None] = []  # open lists: items of an <ol> so far, None: <ul>
        self._sup: list[str] | None = None  # text of the open <sup>
        self._sup_line: int | None = None
        self._sup_link = False  # it links to a place of the page (#cite_note-3)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._sup is not None and tag not in _INLINE_IN_SUP:
            self._flush_sup()  # a <sup> left open: its text is text where it stands
        if self._sup is not None and tag == "a":
            self._sup_link = self._sup_link or (dict(attrs).get("href") or "").startswith("#")
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif self._skip:
            return
        elif tag == "title":
            self._in_title = True
        elif tag in _HEADING_TAGS:
            self._open_heading(_HEADING_TAGS[tag])
        elif tag == "tr":
            self._flush_row()
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._row.append([])
        elif tag == "li":
            if self._lists and self._lists[-1] is not None:
                self._lists[-1] += 1  # an ordered list's item shows its number, as it is read
                self._start_line(f"{self._lists[-1]}. ")
            else:
                self._start_line("- ")
        elif tag == "sup" and self._sup is None:
            self._sup, self._sup_line, self._sup_link = [], None, False
        elif tag == "br":
            self._emit(" " if self._in_heading else "\n")
        elif tag in _BLOCK_TAGS:
            self._emit("\n\n")
        elif tag in _LINE_TAGS:
            self._start_line("")
        if tag in ("ol", "ul") and not self._skip:
            start = dict(attrs).get("start") if tag == "ol" else None
            first = int(start) - 1 if start and start.strip().isdigit() and len(start) < 6 else 0
            self._lists.append(first if tag == "ol" else None)
        if tag == "pre" and not self._skip:
            self._pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif self._skip:
            return
        elif tag == "title":
            self._in_title = False
        elif tag in _HEADING_TAGS:
            self._in_heading = self._dropping = False
            self._emit("\n\n")
        elif tag in ("tr", "table"):
            self._flush_row()
            self._emit("\n\n" if tag == "table" else "")
        elif tag == "sup" and self._sup is not None:
            self._flush_sup(marker=True)
        elif tag in _BLOCK_TAGS:
            self._emit("\n\n")
        if tag in ("ol", "ul") and self._lists and not self._skip:
            self._lists.pop()
        if tag == "pre" and self._pre:
            self._pre -= 1

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        first = self.getpos()[0]  # the line of the file the data starts on
        if self._in_title:
            if not self.title.strip():
                self.title_line = first + data[: len(data) - len(data.lstrip())].count("\n")
            self.title += data
            return
        if self._dropping:
            return
        if self._sup is not None:
            if self._sup_line is None and data.strip():
                self._sup_line = first
            self._sup.append(data)
            if sum(map(len, self._sup)) > 40:
                self._flush_sup()  # no marker is this long
            return
        for k, segment in enumerate(data.split("\n")):
            if k:
                self._emit("\n" if self._pre else " " if self._in_heading or self._row is not None
                           else _SOFT)
            if not self._pre:
                segment = re.sub(r"\s+", " ", segment)
                if segment == " " and self._row is None and self._at_line_start():
                    continue  # whitespace between block elements would make a blank line
            if segment:
                self._emit(segment, first + k)

    def close(self) -> None:
        super().close()
        self._flush_sup()
        self._flush_row()

    def _flush_sup(self, marker: bool = False) -> None:
        """The text of a ``<sup>``: a reference marker keeps its brackets (``[3]``, the
        passages cut it out as a citation); other text is text."""
        if self._sup is None:
            return
        text, line = "".join(self._sup), self._sup_line
        self._sup = None
        bare = squash_spaces(text)
        # a marker is written in brackets or links to its note: 19<sup>th</sup>, mc<sup>2</sup>
        # are text
        m = _SUP_MARKER.fullmatch(bare) if marker and (
            self._sup_link or bare.startswith("[")) else None
        if m:
            self._emit(f"[{m.group(1)}]", line)
        elif text:
            self.handle_data(text)

    def _at_line_start(self, soft: bool = True) -> bool:
        last = next((t for t, _n in reversed(self.out) if t.strip(" ")), "")
        return not last or last.endswith(("\n", _SOFT) if soft else "\n")

    def _open_heading(self, level: int) -> None:
        """``<hN>`` opens a ``#``*N line; the first ``<h1>`` is dropped if ``<title>`` was seen."""
        self._in_heading = True
        if level == 1 and not self._seen_h1:
            self._seen_h1 = True
            self._dropping = bool(self.title.strip())
        if not self._dropping:
            self._emit("\n\n" + "#" * level + " ")

    def _emit(self, text: str, line: int | None = None) -> None:
        if self._row:
            self._row[-1].append(text)
            if self._row_line is None and line is not None and text.strip():
                self._row_line = line
        else:
            self.out.append((text, line))

    def _flush_row(self) -> None:
        """A two-cell row becomes a ``- Key: value`` line, any other row one line."""
        if self._row is None:
            return
        cells = [c for c in (squash_spaces("".join(cell)) for cell in self._row) if c]
        line, self._row, self._row_line = self._row_line, None, None
        if len(cells) == 2:
            self._start_line(f"- {cells[0].rstrip(':')}: {cells[1]}", line)
        elif cells:
            self._start_line(" ".join(cells), line)

    def _start_line(self, text: str, line: int | None = None) -> None:
        """`text` at the start of a line (without making a blank line)."""
        if not self._at_line_start(soft=False):
            self._emit("\n")
        self._emit(text, line)
