"""Small frozen dataclasses shared by every module: documents, passages, hits.

Each result has a `to_dict()` giving exactly the object the CLI prints as one JSON line;
its shape is a TypedDict of :mod:`searchdoc.schema`. Where the object is the dataclass's
fields, `to_dict` is :func:`as_json`: the fields are the one definition (a field with
``metadata=WHEN_SET`` is left out when it is not set), and a test checks each TypedDict
against them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from searchdoc.schema import CitationDict, HitDict, MatchDict, PassageDict

_field = field
WHEN_SET = {"json": "when_set"}  # a field shown only when it is set (not None, "" or ())


_JSON_FIELDS: dict[type, tuple[tuple[str, bool], ...]] = {}


def json_fields(cls: type) -> tuple[tuple[str, bool], ...]:
    """The fields of a dataclass its JSON object shows, in order, each with whether it is
    shown only when set."""
    found = _JSON_FIELDS.get(cls)
    if found is None:
        found = _JSON_FIELDS[cls] = tuple(
            (f.name, f.metadata.get("json") == "when_set") for f in fields(cls))
    return found


def as_json(obj: Any) -> dict[str, Any]:
    """A dataclass as the JSON object of its fields (:func:`json_fields`); nested results
    by their own `to_dict`, tuples as lists."""
    out: dict[str, Any] = {}
    for name, when_set in json_fields(type(obj)):
        value = getattr(obj, name)
        if when_set and (value is None or value == "" or value == ()):
            continue
        out[name] = _json_value(value)
    return out


def _json_value(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_json_value(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return value.to_dict()  # type: ignore[attr-defined]
    return value


@dataclass(frozen=True)
class Citation:
    """A reference the document itself gives for a passage."""

    text: str
    url: str | None = None

    def to_dict(self) -> CitationDict:
        return cast("CitationDict", as_json(self))


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
    # (`field` is a name of this class: the dataclasses function under another name)
    alias_of: str | None = _field(default=None, metadata=WHEN_SET)
    via: str | None = _field(default=None, metadata=WHEN_SET)
    stated_in: str | None = _field(default=None, metadata=WHEN_SET)
    # a spelling variant: the graded similarity of the two spellings, in [0, 1]
    similarity: float | None = _field(default=None, metadata=WHEN_SET)

    def to_dict(self) -> MatchDict:
        return cast("MatchDict", as_json(self))


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
    # how well the query's words matched, in [0, 1] (1: every word as written; a spelling
    # variant its graded similarity; 0.5 through another name of the person)
    name_score: float = 1.0

    def to_dict(self) -> HitDict:
        out: dict[str, Any] = {"query": self.query, "rank": self.rank, "score": self.score,
                               "name_score": self.name_score}
        out.update(self.passage.to_dict())
        out["matched"] = [m.to_dict() for m in self.matched]
        if self.before is not None:
            out["before"] = [p.to_dict() for p in self.before]
        if self.after is not None:
            out["after"] = [p.to_dict() for p in self.after]
        return cast("HitDict", out)
