"""HTML: the visible text of a page; headings become ``#`` lines, two-cell table rows
``- Key: value`` lines, and ``<title>`` (else the first ``<h1>``) the title."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from searchdoc.passages import normalise
from searchdoc.readers.base import RawDocument, Warn, lines_of


def read(data: bytes, source: str, warn: Warn) -> Iterator[RawDocument]:
    from searchdoc.sources import decode

    text, warnings = decode(data)
    for w in warnings:
        warn(w)
    yield RawDocument(source, lines_of(html_to_text(text)))



_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "nav"})
_BLOCK_TAGS = frozenset(
    """p div section article header footer main aside blockquote pre table ul ol dl
    figure figcaption form hr address fieldset details summary body""".split()
)
_LINE_TAGS = frozenset({"dt", "dd"})  # br, li and tr are handled on their own
_HEADING_TAGS = {f"h{n}": n for n in range(1, 7)}
_BARE_MARKER = re.compile(r"^(?:#+|[-•*])$")


def html_to_text(html: str) -> str:
    """The visible text of an HTML page, headings as ``#`` lines, title first as ``# Title``."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.out).split("\n")]
    title = normalise(parser.title)
    if title:
        lines = [f"# {title}", "", *lines]
    out: list[str] = []
    for line in lines:
        if _BARE_MARKER.match(line):
            continue
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")


class _VisibleText(HTMLParser):
    """Collects visible text; block elements become line breaks, headings ``#`` lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False
        self._pre = 0
        self._in_heading = False
        self._seen_h1 = False
        self._dropping = False  # inside the first <h1> when a <title> gave the title
        self._row: list[list[str]] | None = None  # cells of the open table row

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
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
            self._start_line("- ")
        elif tag == "br":
            self._emit(" " if self._in_heading else "\n")
        elif tag in _BLOCK_TAGS:
            self._emit("\n\n")
        elif tag in _LINE_TAGS:
            self._start_line("")
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
        elif tag in _BLOCK_TAGS:
            self._emit("\n\n")
        if tag == "pre" and self._pre:
            self._pre -= 1

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self.title += data
            return
        if self._dropping:
            return
        if not self._pre:
            data = re.sub(r"\s+", " ", data)
            if data == " " and not self._row and (not self.out or self.out[-1].endswith("\n")):
                return  # whitespace between block elements would make a blank line
        self._emit(data)

    def close(self) -> None:
        super().close()
        self._flush_row()

    def _open_heading(self, level: int) -> None:
        """``<hN>`` opens a ``#``*N line; the first ``<h1>`` is dropped if ``<title>`` was seen."""
        self._in_heading = True
        if level == 1 and not self._seen_h1:
            self._seen_h1 = True
            self._dropping = bool(self.title.strip())
        if not self._dropping:
            self._emit("\n\n" + "#" * level + " ")

    def _emit(self, text: str) -> None:
        if self._row:
            self._row[-1].append(text)
        else:
            self.out.append(text)

    def _flush_row(self) -> None:
        """A two-cell row becomes a ``- Key: value`` line, any other row one line."""
        if self._row is None:
            return
        cells = [c for c in (normalise("".join(cell)) for cell in self._row) if c]
        self._row = None
        if len(cells) == 2:
            self._start_line(f"- {cells[0].rstrip(':')}: {cells[1]}")
        elif cells:
            self._start_line(" ".join(cells))

    def _start_line(self, text: str) -> None:
        """`text` at the start of a line (without making a blank line)."""
        if self.out and not self.out[-1].endswith("\n"):
            self._emit("\n")
        self._emit(text)
