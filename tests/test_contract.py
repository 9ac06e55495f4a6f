"""The contract: what searchdoc does, on every engine.

Each test runs twice, through the command line as a user runs it: on the embedded index
(whoosh) and on a real three-node OpenSearch cluster (``engine`` in conftest.py sets
$SEARCHDOC_ENGINE and $SEARCHDOC_OPENSEARCH_URL, with an index name of the test's own).
The same literal answers are asserted on both.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from conftest import THINK_TANK, WIKI, Engine


@pytest.fixture
def seeds(workdir: Path, run, engine: Engine) -> Path:
    assert run("index", "seeds").code == 0
    return workdir


def _hits(run, *args: str) -> list[dict]:
    result = run("query", *args, "--json")
    assert result.code in (0, 1), result.err
    return result.json()


# -- search ------------------------------------------------------------------------------


def test_a_nickname_finds_the_passage_that_gives_it(seeds: Path, run) -> None:
    hits = _hits(run, "Hamid the Mute")
    assert (hits[0]["source"], hits[0]["line_start"]) == (THINK_TANK, 7)
    assert {"how": "phrase", "field": "text"}.items() <= hits[0]["matched"][0].items()
    assert hits[0]["name_score"] == 1.0


def test_arabic_script_finds_the_latin_and_arabic_passages(seeds: Path, run) -> None:
    hits = _hits(run, "علي موسى دقدوق", "-n", "3")
    assert [(h["source"], h["line_start"]) for h in hits][:2] == [(WIKI, 18), (WIKI, 3)]


def test_a_spelling_variant_counts_as_the_name(seeds: Path, run) -> None:
    result = run("query", "Dakdouk", "-c")
    assert (result.code, result.out.strip()) == (0, "18")
    hits = _hits(run, "Dakdouk", "-n", "1")
    assert hits[0]["matched"][0]["how"] == "variant"


def test_counts_and_files_with_matches(seeds: Path, run) -> None:
    assert run("query", "Daqduq", "-c").out.strip() == "18"
    assert run("query", "Hamid the Mute", "-c").out.strip() == "18"
    assert run("query", "Daqduq", "-l").out.split() == [WIKI, THINK_TANK]


def test_a_made_up_name_finds_nothing_and_exits_1(seeds: Path, run) -> None:
    result = run("query", "Zzyzx Qwertyuiop")
    assert (result.code, result.out) == (1, "")
    assert run("query", "Zzyzx Qwertyuiop", "-c").out.strip() == "0"


def test_the_same_ranking_and_the_same_scores(seeds: Path, run) -> None:
    # the cluster retrieves, searchdoc scores: the very numbers of the embedded index
    expected = [(THINK_TANK, 7, 35.6887), (WIKI, 23, 2.8228), (THINK_TANK, 5, 2.2357),
                (WIKI, 3, 2.2357), (THINK_TANK, 11, 1.7885)]
    hits = _hits(run, "Hamid the Mute", "-n", "5")
    assert [(h["source"], h["line_start"], h["score"]) for h in hits] == expected


def test_only_the_sources_asked_for(seeds: Path, run) -> None:
    hits = _hits(run, "Daqduq", "--source", "000_*.txt", "-n", "50")
    assert hits and {h["source"] for h in hits} == {THINK_TANK}
    assert _hits(run, "Daqduq", "--source", "nothing-here") == []


def test_min_score_keeps_only_good_name_matches(seeds: Path, run) -> None:
    loose = _hits(run, "Dakdouk", "-n", "50")
    strict = _hits(run, "Dakdouk", "-n", "50", "--min-score", "1")
    assert loose and strict == [h for h in loose if h["name_score"] >= 1]


def test_show_a_passage_with_its_neighbours(seeds: Path, run) -> None:
    result = run("show", f"{THINK_TANK}#2", "-C", "1", "--json")
    assert result.code == 0
    assert [p["passage"] for p in result.json()] == [f"{THINK_TANK}#{n}" for n in (1, 2, 3)]
    missing = run("show", f"{THINK_TANK}#999")
    assert missing.code == 1 and missing.err.startswith("searchdoc: no passage")


def test_aliases_in_both_scripts(seeds: Path, run) -> None:
    result = run("aliases", "Hamid the Mute", "--json")
    assert result.code == 0
    (person,) = result.json()
    names = {n["name"] for n in person["names"]}
    assert {"Ali Mussa Daqduq", "Hamid the Mute", "علي موسى دقدوق"} <= names
    assert run("aliases", "Zzyzx Qwertyuiop").code == 1


def test_the_sources_listed(seeds: Path, run) -> None:
    rows = run("sources", "--json").json()
    assert [(r["source"], r["passages"]) for r in rows] == [(THINK_TANK, 12), (WIKI, 10)]


def test_the_python_api(seeds: Path, engine: Engine) -> None:
    with engine.index("index") as ix:
        (hit,) = ix.search("Hamid the Mute", limit=1)
        assert (hit.passage.source, hit.passage.line_start) == (THINK_TANK, 7)
        assert ix.count("Daqduq").count == 18
        assert ix.passage(hit.passage.id).text == hit.passage.text


# -- updates -----------------------------------------------------------------------------


def test_added_changed_and_removed_files(seeds: Path, run) -> None:
    notes = seeds / "notes"
    notes.mkdir()
    (notes / "a.txt").write_text("Field note\n\nQays al-Khazali met Zorvak Telmun.\n")
    assert run("index", "seeds", "notes").code == 0
    assert [h["source"] for h in _hits(run, "Zorvak Telmun")] == ["notes/a.txt"]

    (notes / "a.txt").write_text("Field note\n\nQays al-Khazali met Orlan Vessimer.\n")
    os.utime(notes / "a.txt", (time.time() + 5, time.time() + 5))
    result = run("index", "seeds", "notes")
    assert result.code == 0 and "1 updated" in result.err
    assert _hits(run, "Zorvak Telmun") == []
    assert [h["source"] for h in _hits(run, "Orlan Vessimer")] == ["notes/a.txt"]
    assert run("query", "Khazali", "-c", "--source", "notes").out.strip() == "1"

    (notes / "a.txt").unlink()
    result = run("index", "seeds", "notes")
    assert "1 removed" in result.err
    assert _hits(run, "Orlan Vessimer") == []
    assert [r["source"] for r in run("sources", "--json").json()] == [THINK_TANK, WIKI]


def _mailbox(messages: list[tuple[str, str, str | None]]) -> bytes:
    """An mbox of messages (subject, body, the text of an attached note or None)."""
    from email import policy
    from email.message import EmailMessage

    out = b""
    for subject, body, note in messages:
        m = EmailMessage(policy=policy.default)
        m["From"] = "desk@example.org"
        m["Date"] = "Tue, 04 Jun 2024 09:00:00 +0000"
        m["Subject"] = subject
        m.set_content(body + "\n")
        if note is not None:
            m.add_attachment(f"Attached note\n\n{note}\n".encode(), maintype="text",
                             subtype="plain", filename="note.txt")
        out += b"From MAILER-DAEMON Thu Jun  6 10:00:00 2024\n" + m.as_bytes() + b"\n"
    return out


def test_the_documents_inside_a_file(workdir: Path, run, engine: Engine) -> None:
    # a mailbox's messages and their attachments are sources inside the file: found,
    # listed under it, updated and removed with it
    mail = workdir / "mail"
    mail.mkdir()
    box = mail / "box.mbox"
    box.write_bytes(_mailbox([("Field report", "Qays al-Khazali met Orlan Vessimer.", None),
                              ("Second report", "Zorvak Telmun was seen in Beirut.",
                               "Meshar Quillon paid Zorvak Telmun.")]))
    assert run("index", "mail").code == 0
    attached = "mail/box.mbox/message-2/note.txt"
    assert run("query", "Zorvak Telmun", "-l").out.split() == ["mail/box.mbox", attached]
    assert run("query", "Meshar Quillon", "-l").out.split() == [attached]
    assert run("query", "Zorvak Telmun", "-c", "--source", "note.txt").out.strip() == "1"
    assert [(r["source"], r["passages"]) for r in run("sources", "--json").json()] == [
        ("mail/box.mbox", 5)]
    note = _hits(run, "Meshar Quillon")[0]["passage"]
    assert run("show", note).code == 0

    box.write_bytes(_mailbox([("Field report", "Qays al-Khazali met Orlan Vessimer.", None),
                              ("Second report", "Nothing more on the case.",
                               "Meshar Quillon paid the rent.")]))
    os.utime(box, (time.time() + 5, time.time() + 5))
    assert "1 updated" in run("index", "mail").err
    assert run("query", "Zorvak Telmun").code == 1
    assert run("query", "Meshar Quillon", "-l").out.split() == [attached]
    assert run("query", "Orlan Vessimer", "-l").out.split() == ["mail/box.mbox"]

    box.unlink()
    assert "1 removed" in run("index", "mail").err
    for name in ("Meshar Quillon", "Orlan Vessimer"):
        assert run("query", name).code == 1


def test_nothing_changed_changes_nothing(seeds: Path, run) -> None:
    before = _hits(run, "Daqduq", "-n", "30")
    result = run("index", "seeds")
    assert result.code == 0 and "2 unchanged" in result.err
    assert _hits(run, "Daqduq", "-n", "30") == before


def test_a_rebuild_gives_the_same_answers(seeds: Path, run) -> None:
    before = _hits(run, "Hamid the Mute", "-n", "30")
    assert run("index", "--rebuild", "seeds").code == 0
    after = _hits(run, "Hamid the Mute", "-n", "30")
    assert [(h["passage"], h["rank"]) for h in after] == [(h["passage"], h["rank"]) for h in before]


# -- robustness --------------------------------------------------------------------------


def test_hostile_files_cost_nothing_else(workdir: Path, run, engine: Engine) -> None:
    odd = workdir / "odd"
    odd.mkdir()
    word = "Q" + "a" * 20_000  # one 20,000-letter word: over Lucene's term limit
    (odd / "long.txt").write_text(f"Long\n\nThe word {word} and Ali Musa Daqduq.\n")
    (odd / "binary.bin").write_bytes(b"\x00\x01\x02" * 1000)
    (odd / "broken.json").write_text('{"name": "Ali", ')
    result = run("index", "seeds", "odd")
    assert result.code == 0, result.err
    assert [h["source"] for h in _hits(run, word)] == ["odd/long.txt"]
    assert "odd/long.txt" in {h["source"] for h in _hits(run, "Daqduq", "-n", "50")}


def test_words_of_another_script_folded_into_several(workdir: Path, run, engine: Engine) -> None:
    # a Chinese word folds to its syllables, spaces between: one term all the same
    (workdir / "zh").mkdir()
    (workdir / "zh" / "a.txt").write_text("Card\n\n居民身份证号码 of Yi Jun.\n")
    (workdir / "zh" / "b.txt").write_text("Other\n\nNothing about Shen Fen here.\n")
    assert run("index", "zh").code == 0
    assert run("query", "Yi Jun", "-c").out.strip() == "1"
    assert run("query", "居民身份证号码", "-l").out.split() == ["zh/a.txt"]
    assert run("query", "Shen Fen", "-l").out.split() == ["zh/b.txt"]


def _gated_folder(workdir: Path) -> None:
    """A small collection where خالد's key is over the limit of a common key (scaled down:
    COMMON_DF_MIN 4) and in no more than a fifth of the passages."""
    folder = workdir / "yemen"
    folder.mkdir()
    (folder / "bahah.txt").write_text(
        "اليمن\n\nقال رئيس الوزراء خالد بحاح إن الحكومة ستعود إلى عدن.\n", encoding="utf-8")
    (folder / "apart.txt").write_text(
        "اليمن\n\nقال خالد إن الطريق مغلقة، وأضاف المتحدث أن بحاح غادر المدينة أمس.\n",
        encoding="utf-8")
    for k, family in enumerate(("العمري", "الزهراني", "القحطاني", "الشمري", "المطيري", "العتيبي")):
        (folder / f"khaled{k}.txt").write_text(
            f"لقاء\n\nالتقى خالد {family} بالوفد في الرياض.\n", encoding="utf-8")
    for k in range(40):
        (folder / f"other{k}.txt").write_text(
            f"Report {k}\n\nThe harbour of town {k} reopened on Monday.\n", encoding="utf-8")


def test_a_common_name_s_key_counts_beside_the_rest_of_the_name(
        workdir: Path, run, engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """A key more common than the limit (خالد's, HLD, in a year of Arabic news) is searched
    gated on both engines: it counts in a passage holding another word of the query, where
    it stands beside that word; the name's words apart in a text are no hit."""
    import searchdoc.search as search

    monkeypatch.setattr(search, "COMMON_DF_MIN", 4)
    _gated_folder(workdir)
    assert run("index", "yemen").code == 0
    assert [h["source"] for h in _hits(run, "Khaled Bahah")] == ["yemen/bahah.txt"]
    assert run("query", "Khaled Bahah", "-c").out.strip() == "1"


def test_a_broken_query_is_one_line(seeds: Path, run) -> None:
    for args in (("query", "", "-c"), ("query", "Daqduq", "-n", "0")):
        result = run(*args)
        assert result.code in (1, 2) and "Traceback" not in result.err
        assert len(result.err.strip().splitlines()) <= 1


def test_results_as_json_lines_are_the_same_objects(seeds: Path, run) -> None:
    out = run("query", "Daqduq", "--json", "-n", "3").out.splitlines()
    assert [json.loads(line)["rank"] for line in out] == [1, 2, 3]
