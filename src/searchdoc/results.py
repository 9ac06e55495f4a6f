"""What the library returns besides hits and passages: a passage in context, counts,
sources with hits, people and their names, indexed sources, what an update did.

Frozen dataclasses, each with a `to_dict()` giving exactly the object the CLI prints as
one JSON line: :func:`searchdoc.models.as_json` of its fields (its shape a TypedDict of
:mod:`searchdoc.schema`, checked against the fields by a test). Kept apart from
:mod:`searchdoc.models` so that a query printing hits does not pay for making these
classes (a dataclass takes a few tenths of a millisecond to make).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from searchdoc.models import WHEN_SET, Passage, as_json

if TYPE_CHECKING:
    from searchdoc.schema import (
        CountDict,
        EntityDict,
        EntityNameDict,
        ShownDict,
        SourceDict,
        SourceMatchDict,
        StatementDict,
        UpdateDict,
    )


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
        return cast("SourceMatchDict", as_json(self))


@dataclass(frozen=True)
class Count:
    """How many hits a query has (`query --count`)."""

    query: str
    count: int

    def to_dict(self) -> CountDict:
        return cast("CountDict", as_json(self))


@dataclass(frozen=True)
class Statement:
    """Where a source states a name: its line, and how ("title", "alias field", ...)."""

    source: str
    line: int
    how: str
    record: int | None = field(default=None, metadata=WHEN_SET)  # the list's record stating it

    def to_dict(self) -> StatementDict:
        return cast("StatementDict", as_json(self))


@dataclass(frozen=True)
class EntityName:
    """One of a person's names, in one spelling, with every source that states it."""

    name: str
    script: str  # "Latin", "Arabic" or "other"
    stated_in: tuple[Statement, ...]

    def to_dict(self) -> EntityNameDict:
        return cast("EntityNameDict", as_json(self))


@dataclass(frozen=True)
class Entity:
    """A person: every name the sources give them, and why sources were merged."""

    id: str
    name: str
    sources: tuple[str, ...]
    names: tuple[EntityName, ...]
    merges: tuple[str, ...] = ()

    def to_dict(self) -> EntityDict:
        return cast("EntityDict", as_json(self))

    @classmethod
    def from_stored(cls, e: dict[str, Any]) -> Entity:
        """From an entity as the index stores it (:mod:`searchdoc.entities`)."""
        return cls(
            id=e["id"],
            name=e["name"],
            sources=tuple(e["sources"]),
            names=tuple(
                EntityName(n["name"], n["script"],
                           tuple(Statement(s["source"], s["line"], s["how"], s.get("record"))
                                 for s in n["stated_in"]))
                for n in e["names"]),
            merges=tuple(e["merges"]),
        )


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
        return cast("SourceDict", as_json(self))


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
