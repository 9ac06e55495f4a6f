"""Ranking: the score of a passage is, per query word, the best evidence it holds for
that word (a disjunction max over the word's forms), summed over the query's words."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchdoc import store
from searchdoc.models import Passage
from searchdoc.search import _holds_phrase, _rank


@pytest.fixture
def make(tmp_path: Path):
    """_index(docs, segments): a store of one passage per (source, text), written as
    `segments` segments (not merged)."""
    made = iter(range(1000))

    def _index(docs: list[tuple[str, str]], segments: int = 1) -> Path:
        gen = tmp_path / f"gen-{next(made)}"
        gen.mkdir()
        writer = store.Writer(gen, None)
        builder = writer.builder()
        size = -(-len(docs) // segments)
        for k in range(0, len(docs), size):
            for source, body in docs[k:k + size]:
                builder.add(Passage(source, 0, "", "", 1, 1, body))
            builder.cut()
        writer.commit(builder.finish(), merge=False)
        return gen

    return _index


def _delete(gen: Path, source: str) -> Path:
    new = gen.with_name(gen.name + "-next")
    new.mkdir()
    writer = store.Writer(new, gen)
    writer.delete_source(source)
    writer.commit(merge=False)
    return new


def _ranked(gen: Path, clauses, limit=100, allowed=None) -> dict[str, float]:
    with store.Reader(gen) as r:
        return {r.stored(d)["source"]: score
                for score, d, _m in _rank(r, clauses, limit, allowed)}


def test_each_document_scores_its_own_best_term_per_word(make) -> None:
    ix = make([("rare", "alpha words around it"), ("common", "beta words around it"),
               ("both", "alpha beta words around")])
    scores = _ranked(ix, [[("body", "alpha", 10.0), ("body", "beta", 1.0)]])
    assert set(scores) == {"rare", "common", "both"}
    # A document is never scored with the term another document holds, and one that
    # holds both gets the best, not the sum.
    assert scores["common"] == pytest.approx(1.0, rel=0.2)
    assert scores["rare"] == pytest.approx(10.0, rel=0.2)
    assert scores["both"] == pytest.approx(scores["rare"], rel=0.2)


def test_the_words_of_a_query_add_up(make) -> None:
    ix = make([("one", "alpha words"), ("two", "alpha beta words"), ("none", "words")])
    with store.Reader(ix) as s:
        ranked = _rank(s, [[("body", "alpha", 2.0)], [("body", "beta", 3.0)]], 10)
        assert [s.stored(d)["source"] for _s, d, _m in ranked] == ["two", "one"]
        assert ranked[0][0] == pytest.approx(ranked[1][0] + 3.0, rel=0.2)
        assert ranked[0][2] == {("body", "alpha"), ("body", "beta")}
        assert ranked[1][2] == {("body", "alpha")}


def test_every_posting_counts_across_blocks_segments_and_deletions(make) -> None:
    # whoosh writes postings in blocks of 128: 300 documents make several, in 3 segments
    docs = [(f"d{i}", "gamma" if i % 100 == 7 else "delta") for i in range(300)]
    ix = _delete(make(docs, segments=3), "d107")
    with store.Reader(ix) as r:
        assert r.segment_sizes() == [100, 99, 100] and r.deleted == {107}
    scores = _ranked(ix, [[("body", "gamma", 5.0), ("body", "delta", 1.0)]], limit=1000)
    assert len(scores) == 299 and "d107" not in scores
    assert sorted(scores, key=lambda d: scores[d], reverse=True)[:2] == ["d7", "d207"]


def test_only_allowed_documents_and_the_best_first(make) -> None:
    ix = make([(f"d{i}", "word " * (1 + i % 3)) for i in range(10)])
    with store.Reader(ix) as s:
        allowed = {d for d in range(10) if d % 2}
        ranked = _rank(s, [[("body", "word", 1.0)]], 3, allowed)
        assert len(ranked) == 3 and {d for _s, d, _m in ranked} <= allowed
        assert [r[0] for r in ranked] == sorted((r[0] for r in ranked), reverse=True)
        assert _rank(s, [[("body", "absent", 1.0)]], 3) == []


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
    assert all(h["score"] < hits[0]["score"] for h in hits[1:])
    # one common given name of the three, even as typed, is no hit at all
    assert "docs/akli.txt" not in {h["source"] for h in hits}


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


def test_a_title_word_in_a_query_is_kept(built: Path, run) -> None:
    """A word that is also a title ("commander", "general", "doctor") is optional among
    other words, never dropped: the passage holding "Hezbollah commander" comes first,
    as a phrase."""
    hits = run("query", "Hezbollah commander", "--json", "--limit", "3").json()
    assert "Hezbollah commander" in hits[0]["text"]
    assert [m["how"] for m in hits[0]["matched"]][:1] == ["phrase"]
    assert {"query_term": "commander", "indexed_term": "commander", "field": "text",
            "how": "exact"} in hits[0]["matched"]


def test_a_title_before_a_name_need_not_match(built: Path, run) -> None:
    """"Dr." or "Shaykh" before a name: the name is found where the title is not written."""
    plain = run("query", "Ali Musa Daqduq", "--json").json()
    titled = run("query", "Shaykh Ali Musa Daqduq", "--json").json()
    assert titled and [h["passage"] for h in titled][:3] == [h["passage"] for h in plain][:3]


def test_each_hit_says_how_well_the_name_matched(tmp_path: Path, run) -> None:
    """name_score: 1 for every word as written, the graded similarity for a spelling,
    lower for a hit holding only part of the name; --min-score keeps the close ones."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("A\n\nQasem Soleimani was named in the filing.\n")
    (docs / "b.txt").write_text("B\n\nQassem Suleimani was named in the filing.\n")
    (docs / "c.txt").write_text("C\n\nQasem Haddad was named in the filing.\n")
    idx = tmp_path / "idx"
    assert run("index", str(docs), "--index", str(idx)).code == 0
    hits = run("query", "Qasem Soleimani", "--json", "--index", str(idx)).json()
    scores = {Path(h["source"]).name: h["name_score"] for h in hits}
    assert scores["a.txt"] == 1.0
    assert scores["b.txt"] >= 0.9  # another spelling of both words
    assert scores.get("c.txt", 0.0) <= 0.5
    assert all(0.0 <= s <= 1.0 for s in scores.values())
    strict = run("query", "Qasem Soleimani", "-c", "--min-score", "0.9", "--index", str(idx))
    assert strict.out.strip() == "2"
    r = run("query", "Qasem Soleimani", "--min-score", "1.5", "--index", str(idx))
    assert r.code == 2 and r.err.startswith("searchdoc: ") and len(r.err.splitlines()) == 1


@pytest.mark.parametrize(
    ("pattern", "kept"),
    [
        ("mail", {"in/mail/a.eml", "mail/b.eml", "in/mail/box.mbox/report.pdf"}),
        ("in/mail", {"in/mail/a.eml", "in/mail/box.mbox/report.pdf"}),
        ("./in/mail/", {"in/mail/a.eml", "in/mail/box.mbox/report.pdf"}),
        ("box.mbox", {"in/mail/box.mbox/report.pdf"}),
        ("Ismail_Khan.odt", {"in/Ismail_Khan.odt"}),
        ("*.pdf", {"in/mail/box.mbox/report.pdf", "in/2024-report.pdf"}),
        ("2024-*", {"in/2024-report.pdf"}),
        ("in/*/report.pdf", {"in/mail/box.mbox/report.pdf"}),
        ("Ismail", set()),  # part of a name is not a name
        ("ail", set()),
        ("[", set()),
    ],
)
def test_source_names_whole_path_components_or_a_glob(pattern: str, kept: set[str]) -> None:
    from searchdoc.search import source_matches

    sources = ["in/mail/a.eml", "mail/b.eml", "in/mail/box.mbox/report.pdf",
               "in/Ismail_Khan.odt", "in/2024-report.pdf", "in/notes.txt"]
    assert {s for s in sources if source_matches(s, pattern)} == kept


@pytest.mark.parametrize("others", [0, 40])
def test_a_document_found_by_its_title_alone_is_one_passage(tmp_path: Path, others: int) -> None:
    """Passages matching only through their document's title stand for the document once
    (its best, else its first); none where another passage of it holds the word itself;
    whether the passages holding the word are few or many (read one way or the other)."""
    gen = tmp_path / "gen"
    gen.mkdir()
    writer = store.Writer(gen, None)
    builder = writer.builder()
    passages = [Passage("profile.md", k, "Dakdouk", s, k + 1, k + 1, body) for k, (s, body) in
                enumerate([("Early life", "Born in a village."), ("Career", "He rose."),
                           ("Family", "Two sons.")])]
    passages += [Passage("article.md", k, "Dakdouk", "", k + 1, k + 1, body) for k, body in
                 enumerate(["A report.", "Dakdouk was captured.", "More of it."])]
    passages += [Passage(f"news-{k:02}.md", 0, "News", "", 1, 1, f"Dakdouk seen, {k}.")
                 for k in range(others)]
    for p in passages:
        builder.add(p)
    builder.cut()
    writer.commit(builder.finish(), merge=False)
    with store.Reader(gen) as r:
        hits = [r.passage(d) for _s, d, _m in _rank(
            r, [[("body", "dakdouk", 1.0), ("names", "dakdouk", 1.0)]], 100)]
    found = [(h.source, h.ordinal) for h in hits]
    assert [f for f in found if f[0] == "profile.md"] == [("profile.md", 0)]
    assert [f for f in found if f[0] == "article.md"] == [("article.md", 1)]
    assert len(found) == 2 + others


@pytest.mark.parametrize("arabic", [False, True])
def test_a_loose_key_is_gated_only_where_the_collection_holds_arabic_text(
        make, monkeypatch: pytest.MonkeyPatch, arabic: bool) -> None:
    """A key of two letters of a Latin word (SL of Saleh) reaches the spelling of Arabic
    script, which writes fewer letters (صالح): in a collection without Arabic text it is
    not searched gated (it would only bring Latin look-alikes to judge: Sally, Sela); a
    strong key is (HMD of Hamid, Hamed: over the limit of a common key)."""
    import searchdoc.search as search
    from searchdoc.names.keys import query_units

    monkeypatch.setattr(search, "COMMON_DF_MIN", 4)
    docs = [(f"s{k}", f"Sally Sela and Hamed met {k}") for k in range(8)]
    docs += [(f"o{k}", f"The harbour reopened {k}") for k in range(40)]
    docs.append(("saleh", "Saleh spoke"))
    if arabic:
        docs.append(("ar", "قال في بيان إن الوزير وصل"))
    gen = make(docs)
    with store.Reader(gen) as r:
        plan = search._make_plan("Saleh Hamid", query_units("Saleh Hamid"), r)
    gated = {t for _f, t in plan.gated}
    assert "SL" in gated if arabic else "SL" not in gated
    assert "HMD" in gated
