"""Small frozen dataclasses shared by every module."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Citation:
    """A reference the document itself gives for a passage."""

    text: str
    url: str | None = None


@dataclass(frozen=True)
class Field:
    """A `Key: value` field of a document (an infobox line)."""

    key: str
    value: str
    line: int


@dataclass(frozen=True, slots=True)  # a list of 500,000 records states a million
class StatedName:
    """A name a document gives its subject, with where and how it says so."""

    name: str
    source: str
    line: int
    how: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "source": self.source, "line": self.line, "how": self.how}


@dataclass(frozen=True)
class Passage:
    """A unit of text a user reads: a paragraph, part of one, or a few joined.

    `ordinal` counts passages within the source file from 0; `kind` is "prose",
    "fields" (a block of `Key: value` lines, rendered one field per line) or "record"
    (one record of a list). Where it stands: `line_start`/`line_end`, the lines of the
    file (of the page when `page` is set: a PDF; paragraphs of a Word file), and for a
    record of a list its 1-based position `record`.
    """

    source: str
    ordinal: int
    title: str
    section: str
    line_start: int
    line_end: int
    text: str
    citations: tuple[Citation, ...] = ()
    kind: str = "prose"
    fields: tuple[Field, ...] = ()
    page: int | None = None
    record: int | None = None

    @property
    def id(self) -> str:
        return passage_id(self.source, self.ordinal)


def passage_id(source: str, ordinal: int) -> str:
    return f"{source}#{ordinal}"


@dataclass(frozen=True)
class Document:
    """One document of a source file (a file may hold many: the records of a list, the
    messages of a mailbox, a message and its attachments).

    `names`: the names the document's structure states for its subject (a record's name
    and alias columns, front matter), besides those found in its text.
    """

    source: str
    title: str
    fields: tuple[Field, ...]
    sections: tuple[str, ...]
    passages: tuple[Passage, ...]
    names: tuple[StatedName, ...] = ()
    record: int | None = None


@dataclass(frozen=True)
class Match:
    """Why a hit matched: one query term against one indexed term."""

    query_term: str
    indexed_term: str
    field: str
    how: str  # "exact", "folded", "variant", "phrase", "alias"
    alias_of: str | None = None
    via: str | None = None
    stated_in: str | None = None


@dataclass(frozen=True)
class Hit:
    query: str
    rank: int
    score: float
    passage: Passage
    matched: tuple[Match, ...] = field(default=())
