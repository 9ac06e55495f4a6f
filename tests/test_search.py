"""Ranking: the score of a passage is, per query word, the best evidence it holds for
that word (a disjunction max over the word's forms), summed over the query's words."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.query import Term

from searchdoc.search import _best_of, _holds_phrase, name_weighting


def test_best_of_scores_each_document_by_its_own_best_term() -> None:
    ix = RamStorage().create_index(Schema(id=ID(stored=True), body=TEXT))
    with ix.writer() as w:
        w.add_document(id="rare", body="alpha words around it")
        w.add_document(id="common", body="beta words around it")
        w.add_document(id="both", body="alpha beta words around")
    q = _best_of([Term("body", "alpha", boost=10.0), Term("body", "beta", boost=1.0)])
    with ix.searcher(weighting=name_weighting()) as s:
        scores = {r["id"]: r.score for r in s.search(q)}
    assert set(scores) == {"rare", "common", "both"}
    # A document is never scored with the term another document holds (whoosh3's own
    # DisjunctionMax did that), and one that holds both gets the best, not the sum.
    assert scores["common"] == pytest.approx(1.0, rel=0.2)
    assert scores["rare"] == pytest.approx(10.0, rel=0.2)
    assert scores["both"] == pytest.approx(10.0, rel=0.2)


def test_best_of_keeps_matching_after_one_term_runs_out() -> None:
    ix = RamStorage().create_index(Schema(id=ID(stored=True), body=TEXT))
    with ix.writer() as w:
        for i in range(40):
            w.add_document(id=f"d{i}", body="gamma" if i < 2 else "delta")
    q = _best_of([Term("body", "gamma", boost=5.0), Term("body", "delta", boost=1.0)])
    with ix.searcher(weighting=name_weighting()) as s:
        ids = [r["id"] for r in s.search(q, limit=None)]
    assert len(ids) == 40 and ids[:2] == ["d0", "d1"]


@pytest.fixture
def people(tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    filler = ("was named in a notice published by the Treasury, which gave a date of birth "
              "and a place of birth and listed the programme under which the designation "
              "was made.\n")
    people = {
        "al_amin.txt": "Muhammad 'Abdallah AL-AMIN",  # every word, each in another spelling
        "akli.txt": "Mohamed KARIMI",  # one word of the query, as typed, and a common one
        "mohamed_amin.txt": "Mohamed NOURI",
        "pournaghshband.txt": "Hossein POURNAGHSHBAND",
        "hossein.txt": "Hossein NAGHDI",
    }
    for name, who in people.items():
        (docs / name).write_text(f"= {who} =\n\n{who} {filler}", encoding="utf-8")
    for i in range(12):  # "Mohamed" is a common given name in this collection
        (docs / f"other{i}.txt").write_text(f"= Mohamed X{i} =\n\nMohamed X{i} {filler}",
                                            encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    idx = tmp_path / "idx"
    assert run("index", "docs", "--index", str(idx)).code == 0
    return idx


def test_every_word_in_other_spellings_beats_one_common_word_as_typed(people: Path, run) -> None:
    hits = run("query", "Mohamed Abdalla Amine", "--json", "--index", str(people)).json()
    assert hits[0]["source"] == "docs/al_amin.txt"
    how = {m["query_term"]: m["how"] for m in hits[0]["matched"]}
    assert how == {"Mohamed": "variant", "Abdalla": "variant", "Amine": "variant"}
    assert hits[0]["score"] > hits[1]["score"]


def test_scores_fall_with_rank(people: Path, run) -> None:
    hits = run("query", "Mohamed Abdalla Amine", "--json", "--index", str(people)).json()
    scores = [h["score"] for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_two_query_words_find_the_name_written_as_one_word(people: Path, run) -> None:
    hits = run("query", "Hossein Pour Naghshband", "--json", "--index", str(people)).json()
    assert hits[0]["source"] == "docs/pournaghshband.txt"
    indexed = {m["query_term"]: m["indexed_term"] for m in hits[0]["matched"]}
    assert indexed == {"Hossein": "Hossein", "Pour": "POURNAGHSHBAND",
                       "Naghshband": "POURNAGHSHBAND"}


@pytest.mark.parametrize("text, phrase, holds", [
    ("He was called Hamid the Mute, by all.", ("hamid", "mute"), True),  # a stop word between
    ("Qays al-Khazali said so.", ("qays", "khazali"), True),  # a particle between
    ("HAMID. Mute.", ("hamid", "mute"), True),  # punctuation between
    ("Hamid said the Mute", ("hamid", "mute"), False),  # another word between
    ("Mute Hamid", ("hamid", "mute"), False),  # the other order
    ("Hamid", ("hamid", "mute"), False),
])
def test_holds_phrase(text: str, phrase: tuple[str, ...], holds: bool) -> None:
    assert _holds_phrase(text, phrase) is holds


def test_the_query_as_a_phrase_ranks_first(tmp_path: Path, run,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    body = "Reports from 2007 describe the arrest in Basra of a man {}, held since then.\n"
    (docs / "apart.txt").write_text("= One =\n\n" + body.format(
        "called Hamid by some, and by the guards Mute"), encoding="utf-8")
    (docs / "phrase.txt").write_text("= Two =\n\n" + body.format(
        "known as Hamid the Mute to the guards who held him"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("index", "docs", "--index", "idx").code == 0
    hits = run("query", "Hamid the Mute", "--json", "--index", "idx").json()
    assert [h["source"] for h in hits] == ["docs/phrase.txt", "docs/apart.txt"]
    assert hits[0]["matched"][0]["how"] == "phrase"
    assert all(m["how"] != "phrase" for m in hits[1]["matched"])
