"""Result types are written once: a result's JSON object is its dataclass's fields
(models.as_json), and the TypedDicts of searchdoc.schema agree with them, key for key,
the optional keys being the fields shown only when set."""

from __future__ import annotations

import sys
import typing

import pytest

from searchdoc import models, results, schema

if sys.version_info >= (3, 11):
    from typing import NotRequired
else:  # pragma: no cover
    from typing_extensions import NotRequired
from searchdoc.models import Citation, Hit, Match, Passage, json_fields

PAIRS = [
    (models.Citation, schema.CitationDict), (models.Match, schema.MatchDict),
    (results.SourceMatch, schema.SourceMatchDict), (results.Count, schema.CountDict),
    (results.Statement, schema.StatementDict), (results.EntityName, schema.EntityNameDict),
    (results.Entity, schema.EntityDict), (results.Source, schema.SourceDict),
    (results.Update, schema.UpdateDict),
]


def _keys(typed: type) -> tuple[frozenset[str], frozenset[str]]:
    """Every key of a TypedDict, and its NotRequired ones (read from the hints: with
    postponed annotations __optional_keys__ does not see NotRequired)."""
    hints = typing.get_type_hints(typed, include_extras=True)
    return frozenset(hints), frozenset(k for k, h in hints.items()
                                       if typing.get_origin(h) is NotRequired)


@pytest.mark.parametrize(("cls", "typed"), PAIRS, ids=[c.__name__ for c, _t in PAIRS])
def test_each_typed_dict_is_its_dataclass_fields(cls: type, typed: type) -> None:
    shown = json_fields(cls)
    every, optional = _keys(typed)
    assert {name for name, _when_set in shown} == every
    assert {name for name, when_set in shown if when_set} == optional


PASSAGE = Passage("a.txt", 0, "T", "S", 1, 2, "text", (Citation("c", None),), page=3)


def test_a_passage_and_a_hit_give_the_keys_their_typed_dicts_name() -> None:
    every, optional = _keys(schema.PassageDict)
    got = set(PASSAGE.to_dict())
    assert every - optional <= got <= every
    hit = Hit("q", 1, 2.0, PASSAGE, (Match("q", "q", "text", "exact"),), name_score=0.9)
    every, optional = _keys(schema.HitDict)
    got = set(hit.to_dict())
    assert every - optional <= got <= every and hit.to_dict()["name_score"] == 0.9


def test_optional_fields_are_left_out_when_not_set() -> None:
    assert Match("q", "w", "text", "exact").to_dict() == {
        "query_term": "q", "indexed_term": "w", "field": "text", "how": "exact"}
    assert results.Statement("a.csv", 2, "name column", 1).to_dict()["record"] == 1
    assert "record" not in results.Statement("a.txt", 2, "title").to_dict()
