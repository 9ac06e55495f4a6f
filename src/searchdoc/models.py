"""Small frozen dataclasses shared by every module, and what the library returns.

Each result has a `to_dict()` giving exactly the object the CLI prints as one JSON line;
its shape is the TypedDict beside it (one typed definition per kind of line).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict, cast

if TYPE_CHECKING:  # typing.NotRequired from Python 3.11 on
    from typing_extensions import NotRequired


class CitationDict(TypedDict):
    text: str
    url: str | None


class PassageDict(TypedDict):
    """A passage as printed; `page` and `record` only where the passage has one."""

    source: str
    title: str
    section: str
    passage: str
    page: NotRequired[int]
    record: NotRequired[int]
    line_start: int
    line_end: int
    kind: str
    text: str
    citations: list[CitationDict]


class ShownDict(PassageDict):
    """A line of `searchdoc show --json`: a passage, and whether it is the one asked for."""

    focus: bool


class MatchDict(TypedDict):
    query_term: str
    indexed_term: str
    field: str
    how: str
    alias_of: NotRequired[str]
    via: NotRequired[str]
    stated_in: NotRequired[str]


class HitDict(PassageDict):
    """A line of `searchdoc query --json`; `before` and `after` only with --context."""

    query: str
    rank: int
    score: float
    matched: list[MatchDict]
    before: NotRequired[list[PassageDict]]
    after: NotRequired[list[PassageDict]]


@dataclass(frozen=True)
class Citation:
    """A reference the document itself gives for a passage."""

    text: str
    url: str | None = None

    def to_dict(self) -> CitationDict:
        return {"text": self.text, "url": self.url}


@dataclass(frozen=True)
class Field:
    """A `Key: value` field of a document (an infobox line)."""

    key: str
    value: str
    line: int


@dataclass(frozen=True)
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

    def to_dict(self) -> PassageDict:
        out: dict[str, Any] = {
            "source": self.source,
            "title": self.title,
            "section": self.section,
            "passage": self.id,
        }
        if self.page is not None:
            out["page"] = self.page
        if self.record is not None:
            out["record"] = self.record
        out["line_start"] = self.line_start
        out["line_end"] = self.line_end
        out["kind"] = self.kind
        out["text"] = self.text
        out["citations"] = [c.to_dict() for c in self.citations]
        return cast("PassageDict", out)


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

    def to_dict(self) -> MatchDict:
        out: dict[str, Any] = {
            "query_term": self.query_term,
            "indexed_term": self.indexed_term,
            "field": self.field,
            "how": self.how,
        }
        if self.alias_of:
            out["alias_of"] = self.alias_of
        if self.via:
            out["via"] = self.via
        if self.stated_in:
            out["stated_in"] = self.stated_in
        return cast("MatchDict", out)


@dataclass(frozen=True)
class Hit:
    """One passage found for a query, its rank and score, and why it matched.

    `before`/`after`: the passages around it in its document, when asked for (`context`),
    else None."""

    query: str
    rank: int
    score: float
    passage: Passage
    matched: tuple[Match, ...] = field(default=())
    before: tuple[Passage, ...] | None = None
    after: tuple[Passage, ...] | None = None

    def to_dict(self) -> HitDict:
        out: dict[str, Any] = {"query": self.query, "rank": self.rank, "score": self.score}
        out.update(self.passage.to_dict())
        out["matched"] = [m.to_dict() for m in self.matched]
        if self.before is not None:
            out["before"] = [p.to_dict() for p in self.before]
        if self.after is not None:
            out["after"] = [p.to_dict() for p in self.after]
        return cast("HitDict", out)


@dataclass(frozen=True)
class Context:
    """A passage with the passages around it in its document (`searchdoc show`)."""

    passage: Passage
    before: tuple[Passage, ...] = ()
    after: tuple[Passage, ...] = ()

    @property
    def passages(self) -> tuple[Passage, ...]:
        """All of them, in document order."""
        return (*self.before, self.passage, *self.after)

    def to_dicts(self) -> list[ShownDict]:
        """One object per passage, in order, as `show --json` prints them."""
        return [cast("ShownDict", {**p.to_dict(), "focus": p.ordinal == self.passage.ordinal})
                for p in self.passages]


class SourceMatchDict(TypedDict):
    query: str
    rank: int
    source: str
    hits: int
    score: float


@dataclass(frozen=True)
class SourceMatch:
    """A source with hits for a query (`query --files-with-matches`): ranked by its best
    hit, with how many of the query's hits it holds."""

    query: str
    rank: int
    source: str
    hits: int
    score: float

    def to_dict(self) -> SourceMatchDict:
        return {"query": self.query, "rank": self.rank, "source": self.source,
                "hits": self.hits, "score": self.score}


class CountDict(TypedDict):
    query: str
    count: int


@dataclass(frozen=True)
class Count:
    """How many hits a query has (`query --count`)."""

    query: str
    count: int

    def to_dict(self) -> CountDict:
        return {"query": self.query, "count": self.count}


class StatementDict(TypedDict):
    source: str
    line: int
    how: str


class EntityNameDict(TypedDict):
    name: str
    script: str
    stated_in: list[StatementDict]


class EntityDict(TypedDict):
    id: str
    name: str
    sources: list[str]
    names: list[EntityNameDict]
    merges: list[str]


@dataclass(frozen=True)
class Statement:
    """Where a source states a name: its line, and how ("title", "alias field", ...)."""

    source: str
    line: int
    how: str

    def to_dict(self) -> StatementDict:
        return {"source": self.source, "line": self.line, "how": self.how}


@dataclass(frozen=True)
class EntityName:
    """One of a person's names, in one spelling, with every source that states it."""

    name: str
    script: str  # "Latin", "Arabic" or "other"
    stated_in: tuple[Statement, ...]

    def to_dict(self) -> EntityNameDict:
        return {"name": self.name, "script": self.script,
                "stated_in": [s.to_dict() for s in self.stated_in]}


@dataclass(frozen=True)
class Entity:
    """A person: every name the sources give them, and why sources were merged."""

    id: str
    name: str
    sources: tuple[str, ...]
    names: tuple[EntityName, ...]
    merges: tuple[str, ...] = ()

    def to_dict(self) -> EntityDict:
        return {"id": self.id, "name": self.name, "sources": list(self.sources),
                "names": [n.to_dict() for n in self.names], "merges": list(self.merges)}

    @classmethod
    def from_stored(cls, e: dict[str, Any]) -> Entity:
        """From an entity as the index stores it (:mod:`searchdoc.aliases`)."""
        return cls(
            id=e["id"],
            name=e["name"],
            sources=tuple(e["sources"]),
            names=tuple(
                EntityName(n["name"], n["script"],
                           tuple(Statement(s["source"], s["line"], s["how"])
                                 for s in n["stated_in"]))
                for n in e["names"]),
            merges=tuple(e["merges"]),
        )


class SourceDict(TypedDict):
    source: str
    path: str
    title: str
    passages: int
    hash: str
    indexed: str
    status: str


@dataclass(frozen=True)
class Source:
    """An indexed file: the name its passages cite (`source`), its absolute `path`, title,
    passages, content hash, when it was indexed (ISO 8601, UTC), and `status`: whether
    the file is "unchanged", "changed", "missing" or "unreadable" since."""

    source: str
    path: str
    title: str
    passages: int
    hash: str
    indexed: str
    status: str

    def to_dict(self) -> SourceDict:
        return {"source": self.source, "path": self.path, "title": self.title,
                "passages": self.passages, "hash": self.hash, "indexed": self.indexed,
                "status": self.status}


class UpdateDict(TypedDict):
    added: int
    updated: int
    removed: int
    unchanged: int
    skipped: int
    passages: int
    rebuilt: bool


@dataclass(frozen=True)
class Update:
    """What an index run did, file by file, and the passages of the index after it."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: int = 0
    passages: int = 0
    rebuilt: bool = False

    def line(self) -> str:
        return (
            f"indexed: {self.added} added, {self.updated} updated, {self.removed} removed, "
            f"{self.unchanged} unchanged, {self.skipped} skipped ({self.passages} passages)"
        )

    def to_dict(self) -> UpdateDict:
        return {"added": self.added, "updated": self.updated, "removed": self.removed,
                "unchanged": self.unchanged, "skipped": self.skipped,
                "passages": self.passages, "rebuilt": self.rebuilt}
