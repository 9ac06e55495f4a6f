"""The JSON objects searchdoc prints (`--json`), as TypedDicts: the shape of every
result's `to_dict()` (:mod:`searchdoc.models`, :mod:`searchdoc.results`), one typed
definition per kind of line.

Only type checkers need this module (searchdoc imports it under TYPE_CHECKING)."""

from __future__ import annotations

import sys
from typing import TypedDict

if sys.version_info >= (3, 11):
    from typing import NotRequired
else:  # pragma: no cover
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
    similarity: NotRequired[float]


class HitDict(PassageDict):
    """A line of `searchdoc query --json`; `before` and `after` only with --context."""

    query: str
    rank: int
    score: float
    name_score: float
    matched: list[MatchDict]
    before: NotRequired[list[PassageDict]]
    after: NotRequired[list[PassageDict]]


class SourceMatchDict(TypedDict):
    query: str
    rank: int
    source: str
    hits: int
    score: float


class CountDict(TypedDict):
    query: str
    count: int


class StatementDict(TypedDict):
    source: str
    line: int
    how: str
    record: NotRequired[int]


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


class SourceDict(TypedDict):
    source: str
    path: str
    title: str
    passages: int
    hash: str
    indexed: str
    status: str


class UpdateDict(TypedDict):
    added: int
    updated: int
    removed: int
    unchanged: int
    skipped: int
    passages: int
    rebuilt: bool
