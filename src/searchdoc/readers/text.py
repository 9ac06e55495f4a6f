"""Plain text: UTF-8 (or UTF-16 with a byte-order mark), lines as they are."""

from __future__ import annotations

from collections.abc import Iterator

from searchdoc.readers.base import RawDocument, Warn, lines_of


def read(data: bytes, source: str, warn: Warn) -> Iterator[RawDocument]:
    from searchdoc.sources import decode

    text, warnings = decode(data)
    for w in warnings:
        warn(w)
    yield RawDocument(source, lines_of(text))
