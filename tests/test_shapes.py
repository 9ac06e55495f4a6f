"""Names wherever a document puts them (issue [1/5]), end to end through the CLI: the same
people written in every document shape, in both scripts, found by another spelling and by
the other script at rank 1; one-line files; Arabic field lines; the profile above the
article that mentions the name; compounds; words that are no names; `query` and `aliases`
agreeing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

# (listing as a list prints it, natural order, Arabic script, a query in another spelling)
PEOPLE = [
    ("SOLEIMANI, Qasem", "Qasem Soleimani", "قاسم سليماني", "Ghassem Suleimani"),
    ("AL-MUHANDIS, Abu Mahdi", "Abu Mahdi al-Muhandis", "أبو مهدي المهندس",
     "Abou Mehdi el-Mohandes"),
    ("NASRALLAH, Hassan", "Hassan Nasrallah", "حسن نصر الله", "Hasan Nasrullah"),
    ("DAQDUQ, Ali Musa", "Ali Musa Daqduq", "علي موسى دقدوق", "Ali Mousa Dakdouk"),
    ("KHAZALI, Qais", "Qais al-Khazali", "قيس الخزعلي", "Qays Khazaali"),
    ("ZAWAHIRI, Ayman", "Ayman al-Zawahiri", "أيمن الظواهري", "Aiman Zawahri"),
]
LATIN_BODY = ("The entry gives a date of birth and the programme under which the designation "
              "was made, with the addresses known at the time.")
ARABIC_BODY = "يذكر السجل تاريخ الميلاد والبرنامج الذي صدر بموجبه القرار والعناوين المعروفة."


def shaped(shape: str, listing: str, natural: str, arabic: bool) -> str:
    body = ARABIC_BODY if arabic else LATIN_BODY
    key = "الاسم" if arabic else "Name"
    given, _sep, family = natural.rpartition(" ")
    return {
        "listing": f"{listing}\n\n{body}\n",
        "caps": f"{natural.upper()}\n\n{body}\n",
        "title": f"= {natural} =\n\n{body}\n",
        "markdown": f"# {natural}\n\n{body}\n",
        "field": f"{key}: {listing}\n",
        "field-under-title": f"= Record =\n\n{key}: {listing}\n\n{body}\n",
        "prose": f"{body} {'ورد اسم' if arabic else 'The register lists'} {natural}.\n",
        "oneline": f"{listing}\n",
        "front-matter": f"---\ntitle: {natural}\n---\n\n{body}\n",
        "front-matter-name": f"---\nname: \"{listing}\"\n---\n\n{body}\n",
        "html": (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{natural}"
                 f"</title></head>\n<body><p>{body}</p></body></html>\n"),
        # the name in parts, one field each, family name first
        "name-parts": (f"{'اسم العائلة' if arabic else 'Surname'}: {family}\n"
                       f"{'الاسم الأول' if arabic else 'Given names'}: {given}\n\n{body}\n"),
        "markdown-table": (f"# {'سجل' if arabic else 'Record'}\n\n| | |\n| --- | --- |\n"
                           f"| {key} | {listing} |\n| {'الجنسية' if arabic else 'Born'} | "
                           f"{'عراقي' if arabic else '1960'} |\n\n{body}\n"),
    }[shape]


LATIN_SHAPES = ["listing", "caps", "title", "markdown", "field", "field-under-title", "prose",
                "oneline", "front-matter", "front-matter-name", "html", "name-parts",
                "markdown-table"]
ARABIC_SHAPES = ["listing", "title", "markdown", "field", "field-under-title", "prose",
                 "oneline", "front-matter", "front-matter-name", "html", "name-parts",
                 "markdown-table"]


def build(tmp_path: Path, run, shape: str, arabic: bool) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    ext = {"markdown": ".md", "front-matter": ".md", "front-matter-name": ".md",
           "html": ".html", "markdown-table": ".md"}.get(shape, ".txt")
    for i, (listing, natural, in_arabic, _q) in enumerate(PEOPLE):
        text = (shaped(shape, in_arabic, in_arabic, True) if arabic
                else shaped(shape, listing, natural, False))
        (docs / f"p{i}{ext}").write_text(text, encoding="utf-8")
    idx = tmp_path / "idx"
    r = run("index", str(docs), "--index", str(idx))
    assert r.code == 0, r.err
    assert "skipped" not in r.err.split("indexed:")[0]
    return idx


def top_source(run, idx: Path, query: str) -> str | None:
    r = run("query", query, "--json", "--index", str(idx), "--limit", "3")
    hits = r.json()
    return Path(hits[0]["source"]).stem if hits else None


@pytest.mark.parametrize("shape", LATIN_SHAPES)
def test_latin_documents_found_by_another_spelling_and_by_arabic(tmp_path: Path, run,
                                                                 shape: str) -> None:
    idx = build(tmp_path, run, shape, arabic=False)
    for i, (_listing, _natural, in_arabic, variant) in enumerate(PEOPLE):
        assert top_source(run, idx, variant) == f"p{i}", (shape, variant)
        assert top_source(run, idx, in_arabic) == f"p{i}", (shape, in_arabic)


@pytest.mark.parametrize("shape", ARABIC_SHAPES)
def test_arabic_documents_found_by_latin_spellings(tmp_path: Path, run, shape: str) -> None:
    idx = build(tmp_path, run, shape, arabic=True)
    for i, (_listing, natural, _in_arabic, variant) in enumerate(PEOPLE):
        assert top_source(run, idx, natural) == f"p{i}", (shape, natural)
        assert top_source(run, idx, variant) == f"p{i}", (shape, variant)


def test_a_one_line_record_is_indexed_and_is_its_own_passage(tmp_path: Path, run,
                                                             monkeypatch) -> None:
    (tmp_path / "muhandis.txt").write_text("Name: AL-MUHANDIS, Abu Mahdi\n", encoding="utf-8")
    (tmp_path / "soleimani.txt").write_text("SOLEIMANI, Qasem", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    r = run("index", "muhandis.txt", "soleimani.txt")
    assert r.code == 0 and "2 added" in r.err
    (hit,) = run("query", "Abu Mahdi al-Mohandis", "--json").json()
    assert hit["source"] == "muhandis.txt" and hit["title"] == "AL-MUHANDIS, Abu Mahdi"
    assert (hit["line_start"], hit["line_end"], hit["kind"]) == (1, 1, "fields")
    assert hit["text"] == "Name: AL-MUHANDIS, Abu Mahdi"
    (hit,) = run("query", "قاسم سليماني", "--json").json()
    assert hit["source"] == "soleimani.txt" and hit["text"] == "SOLEIMANI, Qasem"


def test_an_arabic_field_line_under_a_title(tmp_path: Path, run, monkeypatch) -> None:
    (tmp_path / "ملف.txt").write_text("= ملف =\n\nالاسم: أبو مهدي المهندس\nالجنسية: عراقي\n",
                                      encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("index", ".").code == 0
    (hit,) = run("query", "Abu Mahdi al-Muhandis", "--json").json()
    assert hit["kind"] == "fields" and hit["line_start"] == 3
    assert hit["text"].startswith("الاسم: أبو مهدي المهندس")


PROFILE = "= Hassan Nasrallah =\n\nSecretary-General of Hezbollah from 1992 until 2024.\n"
ARTICLE = ("= Hezbollah =\n\n" + "Hezbollah is a Shia political party and militant group. " * 8
           + "\n\nIts leaders met in Beirut. Hassan Nasrallah spoke at length. "
           + "The group fought in Syria. " * 6 + "\n")


@pytest.mark.parametrize(("profile", "query"), [
    (PROFILE, "Hassan Nasrallah"),
    (PROFILE, "Hasan Nasrullah"),
    (PROFILE, "حسن نصر الله"),  # the profile in the other script
    ("= حسن نصر الله =\n\nالأمين العام لحزب الله من 1992 إلى 2024.\n", "Hassan Nasrallah"),
    # the name in parts, one field each
    ("Surname: NASRALLAH\nFirst name: Hassan\nBorn: 1960\n", "Hassan Nasrallah"),
    ("Last name: NASRALLAH\nGiven names: Hassan\n", "حسن نصر الله"),
])
def test_the_profile_outranks_the_article_that_mentions_the_name(
        tmp_path: Path, run, monkeypatch, profile: str, query: str) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "article.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "docs" / "profile.txt").write_text(profile, encoding="utf-8")
    for i in range(5):  # other people, so that the names are not everywhere
        (tmp_path / "docs" / f"other{i}.txt").write_text(f"= Person {i} =\n\nSomeone else.\n")
    monkeypatch.chdir(tmp_path)
    assert run("index", "docs").code == 0
    hits = run("query", query, "--json").json()
    assert hits[0]["source"] == "docs/profile.txt", [h["source"] for h in hits]
    assert "docs/article.txt" in {h["source"] for h in hits}


# Names written as one word in one spelling or script and as two in another.
COMPOUNDS = [
    ("Shamsuddin", "Shams al-Din"), ("Shamsuddin", "شمس الدين"), ("Shams al-Din", "شمس الدين"),
    ("Saduddin", "Sa'd ad-Din"), ("Saduddin", "سعد الدين"), ("Jalaluddin", "Jalal ad-Din"),
    ("Jalaluddin", "جلال الدين"), ("Walijan", "ولی جان"), ("Abdulmanan", "Abdul Manan"),
    ("Abdulmanan", "عبدالمنان"), ("Abdul Manan", "عبد المنان"), ("Nasrallah", "Nasr Allah"),
    ("Nasrallah", "نصر الله"), ("Abdulrahman", "Abd al-Rahman"), ("Abdulrahman", "عبد الرحمن"),
    ("Abdulrahman", "عبدالرحمن"), ("Nour Eddine", "نور الدين"), ("Habiburrahman",
                                                                     "Habib ur-Rahman"),
]


@pytest.mark.parametrize(("one", "other"), COMPOUNDS)
def test_compounds_match_both_ways(tmp_path: Path, run, monkeypatch, one: str,
                                   other: str) -> None:
    monkeypatch.chdir(tmp_path)
    for name, query in ((one, other), (other, one)):
        docs = tmp_path / f"docs-{len(list(tmp_path.iterdir()))}"
        docs.mkdir()
        (docs / "person.txt").write_text(f"= {name} =\n\n{LATIN_BODY}\n", encoding="utf-8")
        (docs / "other.txt").write_text(f"= Karim Haddad =\n\n{LATIN_BODY}\n", encoding="utf-8")
        idx = docs.with_suffix(".idx")
        assert run("index", str(docs), "--index", str(idx)).code == 0
        hits = run("query", query, "--json", "--index", str(idx)).json()
        assert hits and hits[0]["source"].endswith("person.txt"), (name, query)


# Words that are no names: an ordinary English word, an acronym, an honorific in a
# document never match a name by its spelling variants (their keys would agree).
FALSE_PAIRS = [
    ("سعد", "Fighting moved to the South of the country."),
    ("الدين", "Evaluation of the programme was postponed."),
    ("Muhandis", "Amenities were listed in the report."),
    ("Hajji", "The case went to The Hague last year."),
    ("عوض", "An IED struck the convoy."),
    ("سعيد", "The CID opened a file."),
    ("آغا", "Judges at the ICC heard the case."),
    ("Duri", "Dr. Smith read the statement."),
    ("Mullah", "Mawlawi Smith read the statement."),
]


@pytest.mark.parametrize(("query", "text"), FALSE_PAIRS)
def test_words_that_are_no_names_never_match_a_name(tmp_path: Path, run, monkeypatch,
                                                   query: str, text: str) -> None:
    (tmp_path / "note.txt").write_text(f"Note\n\n{text}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("index", "note.txt").code == 0
    r = run("query", query, "--json")
    assert r.code == 1 and r.out == "", r.out


def test_a_deleted_person_is_not_found_by_a_loose_spelling(tmp_path: Path, run,
                                                           monkeypatch) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "muhandis.txt").write_text("= Abu Mahdi al-Muhandis =\n\nIraqi militia leader.\n")
    (docs / "mendez.txt").write_text("= Carlos Mendez =\n\nA farmer from Oaxaca.\n")
    monkeypatch.chdir(tmp_path)
    assert run("index", "docs").code == 0
    assert run("query", "Abu Mahdi al-Muhandis", "--json").json()[0]["source"] == \
        "docs/muhandis.txt"
    (docs / "muhandis.txt").unlink()
    assert run("index", "docs").code == 0
    r = run("query", "Abu Mahdi al-Muhandis", "--json")
    assert r.code == 1, r.out


def _agree(run, index: list[str]) -> None:
    """For every name `aliases --all` knows, `query NAME` has a passage of a source that
    states the name among its first three hits."""
    entities = [json.loads(line) for line in run("aliases", "--all", "--json", *index)
                .out.splitlines()]
    checked = 0
    for e in entities:
        for n in e["names"]:
            if not run("aliases", n["name"], *index).code == 0:
                continue  # a name too common to say who is meant
            stating = {s["source"] for s in n["stated_in"]}
            hits = run("query", n["name"], "--json", "-n", "3", *index).json()
            assert stating & {h["source"] for h in hits}, (n["name"], stating)
            checked += 1
    assert checked


def test_query_and_aliases_agree_on_the_seeds(built: Path, run) -> None:
    _agree(run, [])


def test_query_and_aliases_agree_on_a_one_line_record(tmp_path: Path, run,
                                                      monkeypatch) -> None:
    (tmp_path / "rec.txt").write_text("Name: AL-MUHANDIS, Abu Mahdi\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("index", "rec.txt").code == 0
    assert run("aliases", "Abu Mahdi al-Muhandis").code == 0
    _agree(run, [])


def test_a_name_in_parts_is_one_name_and_the_title(tmp_path: Path, run, monkeypatch) -> None:
    (tmp_path / "p.txt").write_text("Surname: SOLEIMANI\nGiven names: Qasem\n"
                                    "Nationality: Iranian\n", encoding="utf-8")
    (tmp_path / "ar.txt").write_text("اسم العائلة: المهندس\nالاسم الأول: أبو مهدي\n",
                                     encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("index", ".").code == 0
    (hit,) = run("query", "Qassem Suleimani", "--json").json()
    assert (hit["title"], hit["kind"], hit["line_start"]) == ("Qasem SOLEIMANI", "fields", 1)
    people = {e["name"]: e for e in run("aliases", "--all", "--json").json()}
    stated = people["Qasem SOLEIMANI"]["names"][0]["stated_in"]
    assert {"source": "p.txt", "line": 1, "how": "name fields"} in stated
    assert "أبو مهدي المهندس" in people


def test_a_markdown_table_of_two_columns_is_fields(tmp_path: Path, run, monkeypatch) -> None:
    (tmp_path / "r.md").write_text("# Record\n\n| Field | Value |\n| --- | --- |\n"
                                   "| Name | Hassan Nasrallah |\n| Born | 1960 |\n\n"
                                   "| Year | Place | Event |\n|---|---|---|\n"
                                   "| 1992 | Beirut | elected |\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("index", ".").code == 0
    hits = run("query", "حسن نصرالله", "--json").json()
    assert (hits[0]["kind"], hits[0]["text"]) == ("fields", "Name: Hassan Nasrallah\nBorn: 1960")
    assert hits[0]["line_start"] == 5
    (row,) = run("query", "Beirut", "--json").json()
    assert "1992 | Beirut | elected" in row["text"] and "---" not in row["text"]
    assert "Hassan Nasrallah" in {e["name"] for e in run("aliases", "--all", "--json").json()}


INFOBOX = ("Qasem Soleimani\n\nFrom Wikipedia, the free encyclopedia\n\n"
           "Major General Qasem Soleimani\nNative name\tقاسم سلیمانی\nBorn\t11 March 1957\n"
           "Rabor, Kerman, Iran\nDied\t3 January 2020 (aged 62)\nAllegiance\tIran\n\n"
           "Qasem Soleimani was an Iranian military officer.\n")


def test_an_infobox_pasted_as_text_is_fields(tmp_path: Path, run, monkeypatch) -> None:
    """``Key<TAB>value`` lines (an encyclopedia's infobox copied as text) are fields: the
    native name is a name the article states, in its own script."""
    (tmp_path / "soleimani.txt").write_text(INFOBOX, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("index", ".").code == 0
    hits = run("query", "قاسم سليماني", "--json").json()
    assert hits[0]["kind"] == "fields"
    assert "Native name: قاسم سلیمانی\nBorn: 11 March 1957" in hits[0]["text"]
    (person,) = run("aliases", "--all", "--json").json()
    native = next(n for n in person["names"] if n["name"] == "قاسم سلیمانی")
    assert native["stated_in"] == [{"source": "soleimani.txt", "line": 6,
                                    "how": "native name field"}]


def test_a_fathers_name_alone_is_no_name_of_the_subject(tmp_path: Path, run,
                                                        monkeypatch) -> None:
    """A part of a name that is not the subject's own (a father's name) makes no name
    without a given or a family name: two people with the same father stay two."""
    (tmp_path / "p.txt").write_text("Name: Gul Agha Ishakzai\nFather's name: Abdul Karim Khan\n"
                                    "Nationality: Afghan\n", encoding="utf-8")
    (tmp_path / "q.txt").write_text("Father's name: Abdul Karim Khan\nNationality: Afghan\n",
                                    encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("index", ".").code == 0
    people = run("aliases", "--all", "--json").json()
    named = {n["name"] for e in people for n in e["names"]}
    assert "Abdul Karim Khan" not in named
    assert all(len(e["sources"]) == 1 for e in people)
