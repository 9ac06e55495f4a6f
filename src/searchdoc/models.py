"""Small frozen dataclasses shared by every module."""

from __future__ import annotations

from dataclasses import dataclass, field


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


@dataclass(frozen=True)
class Passage:
    """A unit of text a user reads: a paragraph, part of one, or a few joined.

    `ordinal` counts passages within the document from 0; `kind` is "prose" or
    "fields" (the block of `Key: value` lines, rendered one field per line).
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

    @property
    def id(self) -> str:
        return passage_id(self.source, self.ordinal)


def passage_id(source: str, ordinal: int) -> str:
    return f"{source}#{ordinal}"


@dataclass(frozen=True)
class Document:
    """One parsed source file."""

    source: str
    title: str
    fields: tuple[Field, ...]
    sections: tuple[str, ...]
    passages: tuple[Passage, ...]


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
