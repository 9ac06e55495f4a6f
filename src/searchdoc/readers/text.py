"""Plain text: UTF-8 (or UTF-16 with a byte-order mark), lines as they are; and the
helpers of text every reader shares (white space squashed, heading markup, bullets)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from searchdoc.readers.base import RawDocument, Warn, lines_of


def read(data: bytes, source: str, warn: Warn) -> Iterator[RawDocument]:
    from searchdoc.sources import decode

    text, warnings = decode(data)
    for w in warnings:
        warn(w)
    yield RawDocument(source, lines_of(text))


_SURROGATE = re.compile("[\ud800-\udfff]")


def no_surrogates(text: str) -> str:
    """`text` with each pair of UTF-16 surrogates as the character they stand for (PDFium
    gives a letter beyond the first 65,536 as two) and each lone surrogate (a JSON or
    YAML ``"\\ud800"`` decodes to one; no file can hold it as UTF-8) as U+FFFD."""
    if not _SURROGATE.search(text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def squash_spaces(text: str) -> str:
    """The text with every run of white space one space, none at either end."""
    return " ".join(text.split())


_WIKI_HEADING = re.compile(r"^\s*(=+)([^=].*?)=+\s*$")
_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
BULLET = re.compile(r"^\s*[•\-*]\s+")


def heading_markup(line: str) -> tuple[int, str] | None:
    """(level, text) of a ``== Heading ==`` or ``## Heading`` line."""
    m = _WIKI_HEADING.match(line) or _MD_HEADING.match(line)
    if m is None:
        return None
    text = squash_spaces(m.group(2))
    return (len(m.group(1)), text) if text else None
