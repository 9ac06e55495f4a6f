"""The command line end to end: the seeds, exit codes, JSON Lines, batch mode, show."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import THINK_TANK, WIKI

URL = re.compile(r"https?://|www\.")


def test_first_query_builds_the_index_and_finds_hamid_the_mute(workdir: Path, run) -> None:
    r = run("query", "Hamid the Mute")
    assert r.code == 0
    assert "building it from seeds/" in r.err
    first = r.out.split("\n\n")[0]
    assert first.startswith("1. ")
    assert f"{THINK_TANK}:" in first
    assert "**Hamid** the **Mute**" in first
    assert "U.S. Says Iran Helped Iraqis Kill Five G.I.’s" in first
    assert (workdir / "index" / "CURRENT").exists()
    # second run: no rebuild message
    r2 = run("query", "Hamid the Mute")
    assert "building" not in r2.err


def test_json_hit_fields(built: Path, run) -> None:
    r = run("query", "Hamid the Mute", "--json")
    assert r.code == 0
    hits = r.json()
    top = hits[0]
    for key in ("query", "rank", "score", "source", "title", "section", "passage",
                "line_start", "line_end", "text", "citations", "matched"):
        assert key in top
    assert top["query"] == "Hamid the Mute"
    assert top["rank"] == 1
    assert top["source"] == THINK_TANK
    assert "Hamid the Mute" in top["text"]
    assert top["passage"].startswith(THINK_TANK + "#")
    assert top["line_start"] <= top["line_end"]
    nyt = [c for c in top["citations"] if "July 3, 2007" in c["text"] and "New York Times" in c["text"]]
    assert nyt and nyt[0]["url"] == "https://www.nytimes.com/2007/07/03/world/middleeast/03iraq.html"
    assert [h["rank"] for h in hits] == list(range(1, len(hits) + 1))
    assert all(a["score"] >= b["score"] for a, b in zip(hits, hits[1:]))


def test_no_passage_text_holds_a_url(built: Path, run) -> None:
    r = run("query", "Daqduq", "--json", "--limit", "100")
    hits = r.json()
    assert len({h["source"] for h in hits}) == 2
    for h in hits:
        assert not URL.search(h["text"]), h["text"]


def test_citation_text_is_searchable(built: Path, run) -> None:
    hits = run("query", "Reuters Panetta", "--json").json()
    assert any("Reuters" in c["text"] for h in hits[:3] for c in h["citations"])


def test_batch_from_stdin_answers_each_query(built: Path, run) -> None:
    r = run("query", "-", "--json", stdin="Hamid the Mute\nGolan Project\n")
    assert r.code == 0
    queries = [h["query"] for h in r.json()]
    assert "Hamid the Mute" in queries and "Golan Project" in queries
    golan = [h for h in r.json() if h["query"] == "Golan Project"]
    assert "Golan Project" in golan[0]["text"]


def test_batch_keeps_the_query_exactly_as_read(built: Path, run) -> None:
    r = run("query", "-", "--json", stdin="  Daqduq  \n")
    assert {h["query"] for h in r.json()} == {"  Daqduq  "}


def test_no_match_exits_1(built: Path, run) -> None:
    r = run("query", "Xylophonic Quasar")
    assert r.code == 1
    assert r.out == ""


def test_missing_index_exits_2_with_one_line(tmp_path: Path, run, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # no seeds/ here: nothing to build from
    r = run("query", "Daqduq", "--index", str(tmp_path / "nowhere"))
    assert r.code == 2
    assert len(r.err.strip().splitlines()) == 1
    assert "no index" in r.err and "Traceback" not in r.err


def test_bad_path_exits_2_with_one_line(tmp_path: Path, run, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = run("index", "does/not/exist")
    assert r.code == 2
    assert r.err == "searchdoc: does/not/exist: no such file or directory: nothing to index\n"
    assert "Traceback" not in r.err


def test_bad_option_exits_2(built: Path, run) -> None:
    r = run("query", "x", "--bogus")
    assert r.code == 2
    assert r.err.strip() == "searchdoc: No such option: --bogus (see `searchdoc --help`)"


def test_index_env_variable(workdir: Path, run, monkeypatch) -> None:
    target = workdir / "elsewhere"
    monkeypatch.setenv("SEARCHDOC_INDEX", str(target))
    assert run("index").code == 0
    assert (target / "CURRENT").exists()
    assert not (workdir / "index").exists()
    assert run("query", "Daqduq").code == 0


def test_source_filter(built: Path, run) -> None:
    hits = run("query", "Daqduq", "--json", "--source", "001_*").json()
    assert hits and {h["source"] for h in hits} == {WIKI}
    assert run("query", "Daqduq", "--source", "nothing-like-this").code == 1


def test_show_with_context(built: Path, run) -> None:
    top = run("query", "Hamid the Mute", "--json").json()[0]
    r = run("show", top["passage"], "--context", "1", "--json")
    assert r.code == 0
    shown = r.json()
    assert [p["focus"] for p in shown].count(True) == 1
    focus = next(p for p in shown if p["focus"])
    assert focus["text"] == top["text"]
    assert len(shown) == 3
    assert all(p["source"] == THINK_TANK for p in shown)


def test_show_unknown_passage(built: Path, run) -> None:
    r = run("show", "nope#3")
    assert r.code == 1
    assert "no passage" in r.err


def test_text_output_marks_matches_without_colour(built: Path, run) -> None:
    r = run("query", "Golan Project")
    assert "\x1b[" not in r.out
    assert "**Golan** **Project**" in r.out
    assert "seeds/000_3b04a8e966365e08.txt:" in r.out


def test_marks_every_spelling_of_the_name_with_its_particle(built: Path, run) -> None:
    r = run("query", "Qays Khazaali", "--limit", "3")
    assert r.code == 0
    first = r.out.split("\n\n")[0]
    assert re.search(r"\*\*Qais\*\*\s+\*\*al-Khazali\*\*", first)  # as a variant, the particle too
    assert "al-**Khazali**" not in first
