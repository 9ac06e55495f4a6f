"""Tests for searchdoc.passages (through the text, Markdown and HTML readers): seeds with
literal expectations, then unit tables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from searchdoc.ingest import parse_document
from searchdoc.models import Citation, Document, Field, Passage
from searchdoc.passages import build, split_citations, split_sentences
from searchdoc.readers import detect
from searchdoc.readers.base import Line, RawDocument
from searchdoc.readers.html import html_to_text

SEEDS = Path(__file__).parent.parent / "seeds"
SEED_000 = "000_3b04a8e966365e08.txt"
SEED_001 = "001_47a9cc53861f3bdc.txt"
SENTENCE_END = re.compile(r"[.?!][\"'”’)]*$")


def load(name: str) -> Document:
    path = SEEDS / name
    return parse_document(path.read_text(encoding="utf-8"), str(path), detect(str(path)).name)


def seed_lines(name: str) -> list[str]:
    return (SEEDS / name).read_text(encoding="utf-8").split("\n")


def passage_with(doc: Document, needle: str) -> Passage:
    found = [p for p in doc.passages if needle in p.text]
    assert len(found) == 1, f"{needle!r} in {len(found)} passages"
    return found[0]


def words(text: str) -> int:
    return len(text.split())


@pytest.fixture(scope="module")
def wiki() -> Document:
    return load(SEED_001)


@pytest.fixture(scope="module")
def thinktank() -> Document:
    return load(SEED_000)


# --------------------------------------------------------------------------- formats


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("a/b.md", "markdown"),
        ("b.MARKDOWN", "markdown"),
        ("page.html", "html"),
        ("page.HTM", "html"),
        ("seeds/000.txt", "text"),
        ("noext", "text"),
        ("x.md.txt", "text"),
    ],
)
def test_format_by_extension(path: str, fmt: str) -> None:
    assert detect(path).name == fmt


# --------------------------------------------------------------------------- seed 001 (wiki)


def test_wiki_title_and_sections(wiki: Document) -> None:
    assert wiki.title == "Ali Musa Daqduq"
    assert list(wiki.sections) == [
        "2007 capture by U.S. military",
        "Personal life and death",
        "Popular culture",
    ]
    assert all(p.title == "Ali Musa Daqduq" for p in wiki.passages)


def test_wiki_fields(wiki: Document) -> None:
    pairs = {(f.key, f.value) for f in wiki.fields}
    assert ("Birth Date", "Between 1969 and 1972") in pairs
    assert ("Group", "Asa'ib Ahl al-Haq; Hezbollah") in pairs
    assert ("Citizenship", "Lebanese") in pairs
    alias = Field(
        "Alias",
        "Ali Mussa Daqduq al-Musawi, Hamid Muhammad Jabur al-Lami, Husayn Muhammad Jabur al-Musui",
        14,
    )
    assert alias in wiki.fields
    assert seed_lines(SEED_001)[alias.line - 1].startswith("- Alias:")
    assert len(wiki.fields) == 13
    assert [f.line for f in wiki.fields] == list(range(4, 17))


def test_wiki_fields_passage(wiki: Document) -> None:
    first = wiki.passages[0]
    assert first.kind == "fields"
    assert first.section == ""
    assert first.fields == wiki.fields
    assert (first.line_start, first.line_end) == (3, 16)
    lines = first.text.split("\n")
    assert lines[0] == "Ali Musa Daqduq,"  # the caption goes first
    assert lines[1] == "Birth Date: Between 1969 and 1972"
    assert "Group: Asa'ib Ahl al-Haq; Hezbollah" in lines
    assert len(lines) == 14


def test_wiki_lead_paragraph(wiki: Document) -> None:
    lead = passage_with(wiki, "(علي موسى دقدوق; died 10 November 2024)")
    assert lead.kind == "prose"
    assert lead.section == ""
    assert (lead.line_start, lead.line_end) == (18, 18)
    assert lead.text.startswith("Ali Musa Daqduq (علي موسى دقدوق; died 10 November 2024) was")
    assert lead.text.endswith("He was also the commander of Department 2800.")
    assert lead.fields == ()


def test_wiki_sections_of_passages(wiki: Document) -> None:
    capture = passage_with(wiki, "Lt. Col. Jonathan Conricus accused Daqduq")
    assert capture.section == "2007 capture by U.S. military"
    assert (capture.line_start, capture.line_end) == (31, 31)
    # two tiny paragraphs of one section are joined
    personal = passage_with(wiki, "Hassan Ali Daqduq")
    assert personal.section == "Personal life and death"
    assert "On 10 November 2024, Daqduq was killed" in personal.text
    assert (personal.line_start, personal.line_end) == (34, 36)
    # a section with a single tiny paragraph keeps it alone
    culture = passage_with(wiki, "Ghosts of Beirut")
    assert culture.section == "Popular culture"
    assert (culture.line_start, culture.line_end) == (39, 39)
    assert [p.section for p in wiki.passages].count("Popular culture") == 1


# --------------------------------------------------------------------------- seed 000 (think tank)


def test_thinktank_title_and_sections(thinktank: Document) -> None:
    assert thinktank.title == "Ali Mussa Daqduq"
    assert list(thinktank.sections) == [
        "Also Known As",
        "Designations",
        "United States",
        "Return to Full Database",
        "Daily Dose",
        "Fact",
    ]  # "View Archive", the last line, has no text under it: it is text, never lost
    assert thinktank.passages[0].section == ""
    assert thinktank.passages[0].line_start == 3


def test_thinktank_profile_box_fields(thinktank: Document) -> None:
    assert list(thinktank.fields) == [
        Field("Extremist entity", "Hezbollah", 19),
        Field(
            "Type(s) of Organization",
            "Militia, political party, social-service provider, terrorist, transnational, violent",
            21,
        ),
        Field(
            "Ideologies and Affiliations",
            "Iranian-sponsored, Islamist, jihadist, Khomeinist, Shiite",
            23,
        ),
        Field("Position(s)", "Commander", 25),
    ]
    box = [p for p in thinktank.passages if p.kind == "fields"]
    assert len(box) == 1
    assert box[0].section == "Also Known As"
    assert (box[0].line_start, box[0].line_end) == (19, 26)
    assert box[0].text.split("\n")[0] == "Extremist entity: Hezbollah"
    assert box[0].citations == ()


def test_thinktank_lone_key_value_line_is_prose(thinktank: Document) -> None:
    lone = passage_with(thinktank, "Extremists: Their Words. Their Actions.")
    assert lone.kind == "prose"
    assert lone.section == "Daily Dose"
    assert all(f.key != "Extremists" for f in thinktank.fields)


def test_thinktank_citations_removed_from_prose(thinktank: Document) -> None:
    for p in thinktank.passages:
        for fragment in ("http", "www.", ".pdf", ".html", ".aspx", "New York Times,", "”,", "“"):
            assert fragment not in p.text, (fragment, p.text)
    lead = passage_with(thinktank, "that killed five.")
    assert "that killed five. Daqduq was imprisoned in Iraq" in lead.text
    assert "Daqduq was imprisoned in Iraq for his role in the attack but was freed in 2012." in (
        lead.text
    )
    assert "freed in 2012. Since 2018, Daqduq" in lead.text
    assert lead.text.endswith("along the Israeli border.")


def test_thinktank_citation_texts_and_urls(thinktank: Document) -> None:
    lead = passage_with(thinktank, "that killed five.")
    assert lead.citations[:3] == (
        Citation(
            "“Daqduq Tribunal Chargesheet,” New York Times, January 3, 2012",
            "https://assets.documentcloud.org/documents/302052/daqduq-tribunal-chargesheet.pdf",
        ),
        Citation(
            "“Treasury Sanctions Hizballah Leadership,” U.S. Department of the Treasury, "
            "August 22, 2013",
            "https://www.treasury.gov/press-center/press-releases/Pages/jl2147.aspx",
        ),
        Citation(
            "Michael R. Gordon, “Against U.S. Wishes, Iraq Releases Man Accused of Killing "
            "American Soldiers,” New York Times, November 16, 2012",
            "https://www.nytimes.com/2012/11/17/world/middleeast/"
            "iraq-said-to-release-hezbollah-operative.html",
        ),
    )
    mute = passage_with(thinktank, "Hamid the Mute")
    gis = [c for c in mute.citations if "U.S. Says Iran Helped Iraqis Kill Five G.I.’s" in c.text]
    assert len(gis) == 1  # de-duplicated although cited twice in the paragraph
    assert "July 3, 2007" in gis[0].text
    assert gis[0].text.startswith("John F. Burns and Michael R. Gordon, “U.S. Says")
    assert gis[0].url == "https://www.nytimes.com/2007/07/03/world/middleeast/03iraq.html"
    urls = [c.url for c in mute.citations]
    cnn = "http://www.cnn.com/2009/WORLD/meast/06/09/iraq.prisoner.release/index.html?_s=PM:WORLD"
    assert cnn in urls
    assert "http://www.cnn.com/2007/WORLD/meast/03/22/iraq.main/" in urls
    assert len(urls) == len(set(urls))


def test_thinktank_reuters_citation(thinktank: Document) -> None:
    panetta = passage_with(thinktank, "Leon Panetta told Reuters")
    assert panetta.text.startswith("Then-U.S. Secretary of Defense Leon Panetta told Reuters")
    reuters = [c for c in panetta.citations if "” Reuters, June 22, 2012" in c.text]
    assert reuters == [
        Citation(
            "Phil Stewart, “Pentagon chief urges Iraq to keep Daqduq behind bars,” Reuters, "
            "June 22, 2012",
            "https://www.reuters.com/article/us-usa-panetta-iraq/"
            "pentagon-chief-urges-iraq-to-keep-daqduq-behind-bars-idUSBRE85L0UM20120622",
        )
    ]
    nasrallah = passage_with(thinktank, "Hassan Nasrallah.")
    assert "Hassan Nasrallah. In 2005, Hezbollah sent Daqduq" in nasrallah.text
    assert any("U.S. Army, July 3, 2007" in c.text for c in nasrallah.citations)


def test_thinktank_designation_bullet(thinktank: Document) -> None:
    p = passage_with(thinktank, "designated Ali Mussa Daqduq al-Musawi")
    assert p.kind == "prose"
    assert p.section == "United States"
    assert p.text.startswith("The U.S. Department of the Treasury designated")  # bullet stripped
    assert p.text.endswith("on November 19, 2012.")
    assert (p.line_start, p.line_end) == (34, 34)
    assert p.citations == (
        Citation(
            "“Treasury Designates Hizballah Commander Responsible for American Deaths in Iraq,” "
            "U.S. Department of the Treasury, November 19, 2012",
            "https://www.treasury.gov/press-center/press-releases/Pages/tg1775.aspx",
        ),
    )


def test_thinktank_title_line_is_not_a_passage(thinktank: Document) -> None:
    assert all(p.line_start > 1 for p in thinktank.passages)
    assert "Ali Mussa Daqduq" not in thinktank.sections


# --------------------------------------------------------------------------- both seeds


@pytest.mark.parametrize("name", [SEED_000, SEED_001])
def test_seed_passage_invariants(name: str) -> None:
    doc = load(name)
    lines = seed_lines(name)
    assert [p.ordinal for p in doc.passages] == list(range(len(doc.passages)))
    assert doc.fields == tuple(f for p in doc.passages for f in p.fields)
    for p in doc.passages:
        assert p.source == str(SEEDS / name)
        assert p.title == doc.title
        assert p.section == "" or p.section in doc.sections
        assert 1 <= p.line_start <= p.line_end <= len(lines)
        assert lines[p.line_start - 1].strip() and lines[p.line_end - 1].strip()
        assert not re.search(r"https?://|www\.", p.text)
        if p.kind == "fields":
            assert p.fields and p.citations == ()
            continue
        assert p.kind == "prose" and p.fields == ()
        assert words(p.text) <= 250
        # every passage ends a sentence, but the one the seed's last line ("View Archive",
        # with nothing under it: text, not a heading) ends
        assert SENTENCE_END.search(p.text) or p.text.endswith(". View Archive"), p.text
        assert p.text == " ".join(p.text.split())
        assert "”," not in p.text
        for c in p.citations:
            assert c.url and re.match(r"https?://\S+$", c.url) and c.url[-1] not in ".;,"
            assert "http" not in c.text and not c.text.endswith((",", " "))


# --------------------------------------------------------------------------- sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Attacks on U.S. forces rose. The U.S. Army said so.",
            ["Attacks on U.S. forces rose.", "The U.S. Army said so."],
        ),
        (
            "He resigned. Then-U.S. Secretary of Defense Leon Panetta spoke.",
            ["He resigned.", "Then-U.S. Secretary of Defense Leon Panetta spoke."],
        ),
        (
            "The spokesperson Lt. Col. Jonathan Conricus accused him. It was denied.",
            ["The spokesperson Lt. Col. Jonathan Conricus accused him.", "It was denied."],
        ),
        (
            "John F. Burns wrote it. Michael R. Gordon agreed.",
            ["John F. Burns wrote it.", "Michael R. Gordon agreed."],
        ),
        ("Iran Helped Iraqis Kill Five G.I.’s in Karbala. It was 2007.",
         ["Iran Helped Iraqis Kill Five G.I.’s in Karbala.", "It was 2007."]),
        ("Mr. Smith met Dr. Jones on St. James Street. They left.",
         ["Mr. Smith met Dr. Jones on St. James Street.", "They left."]),
        ("He lived at No. 5 Main St. It burned.", ["He lived at No. 5 Main St. It burned."]),
        ("Use a tool, e.g. Whoosh. It works, i.e. Mostly.",
         ["Use a tool, e.g. Whoosh.", "It works, i.e. Mostly."]),
        ("It grew 3.5 percent. Then 2.75 percent.", ["It grew 3.5 percent.", "Then 2.75 percent."]),
        ("Why? Because. Really! Yes.", ["Why?", "Because.", "Really!", "Yes."]),
        ("He said “stop.” They stopped.", ["He said “stop.”", "They stopped."]),
        ("It ended in 2012. 2013 was calm.", ["It ended in 2012.", "2013 was calm."]),
        ("Unit No. 3800 etc. and more. Done", ["Unit No. 3800 etc. and more.", "Done"]),
        ("lowercase after a period. is not a new sentence.",
         ["lowercase after a period. is not a new sentence."]),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


# --------------------------------------------------------------------------- citations


@pytest.mark.parametrize(
    ("text", "prose", "citations"),
    [
        (
            "It killed five.“Title,” New York Times, January 3, 2012, https://a.org/x.pdf. "
            "Then more.",
            "It killed five. Then more.",
            [Citation("“Title,” New York Times, January 3, 2012", "https://a.org/x.pdf")],
        ),
        (
            "Freed in 2012.“A,” B, May 1, 2013, https://a.gov/p.aspx; "
            "Jo Doe, “C,” D, 2012, "
            "https://d.com/e.html. Since 2018, more.",
            "Freed in 2012. Since 2018, more.",
            [
                Citation("“A,” B, May 1, 2013", "https://a.gov/p.aspx"),
                Citation("Jo Doe, “C,” D, 2012", "https://d.com/e.html"),
            ],
        ),
        (
            "Leader Hassan Nasrallah.Phil Stewart, “Pentagon chief,” Reuters, June 22, 2012, "
            "https://r.com/a-b?x=1&y=2;z. Next.",
            "Leader Hassan Nasrallah. Next.",
            [Citation("Phil Stewart, “Pentagon chief,” Reuters, June 22, 2012",
                      "https://r.com/a-b?x=1&y=2;z")],
        ),
        (
            "Militias in Iraq.John F. Burns and Michael R. Gordon, “U.S. Says Iran Helped Iraqis "
            "Kill Five G.I.’s,” New York Times, July 3, 2007, https://n.com/03iraq.html.",
            "Militias in Iraq.",
            [Citation("John F. Burns and Michael R. Gordon, “U.S. Says Iran Helped Iraqis Kill "
                      "Five G.I.’s,” New York Times, July 3, 2007", "https://n.com/03iraq.html")],
        ),
        (
            "In March.Sam Wyer, “R,” Report 7 (December 2012): 12, http://u.org/R.pdf; “S,” CNN, "
            "June 9, 2009, http://c.com/i.html?_s=PM:WORLD. Coalition forces came.",
            "In March. Coalition forces came.",
            [
                Citation("Sam Wyer, “R,” Report 7 (December 2012): 12", "http://u.org/R.pdf"),
                Citation("“S,” CNN, June 9, 2009", "http://c.com/i.html?_s=PM:WORLD"),
            ],
        ),
        (
            "Press Service.American Forces, “Iran Arming,” U.S. Army, July 3, 2007, "
            "https://army.mil/a/3890/x_y. And “again.”“T,” P, 2012, https://p.com/q.",
            "Press Service. And “again.”",
            [
                Citation("American Forces, “Iran Arming,” U.S. Army, July 3, 2007",
                         "https://army.mil/a/3890/x_y"),
                Citation("“T,” P, 2012", "https://p.com/q"),
            ],
        ),
        # not citations: a space after the period, no URL, a capital before the period
        ("See the report at https://x.y/z now.", "See the report at https://x.y/z now.", []),
        ("He left.Then he came back.", "He left.Then he came back.", []),
        ("In the U.S.“T,” P, 2012, https://p.q/r.", "In the U.S.“T,” P, 2012, https://p.q/r.", []),
        ("Same.“T,” P, 2012, https://p.com/q. Again.“T,” P, 2012, https://p.com/q.",
         "Same. Again.", [Citation("“T,” P, 2012", "https://p.com/q")]),
    ],
)
def test_split_citations(text: str, prose: str, citations: list[Citation]) -> None:
    assert split_citations(text) == (prose, tuple(citations))


# --------------------------------------------------------------------------- fields and headings


def test_lone_key_value_line_is_not_a_field() -> None:
    doc = parse_document("Doc\n\nExtremists: Their Words. Their Actions.\n", "s")
    assert doc.fields == ()
    assert doc.passages[0].kind == "prose"
    assert doc.passages[0].text == "Extremists: Their Words. Their Actions."


def test_two_key_value_lines_are_fields_and_one_bulleted_line_too() -> None:
    doc = parse_document("Doc\n\nBorn: 1970\nDied: 2020\n\n• Group: Hezbollah\n", "s")
    assert doc.fields == (Field("Born", "1970", 3), Field("Died", "2020", 4),
                          Field("Group", "Hezbollah", 6))
    assert [p.kind for p in doc.passages] == ["fields", "fields"]
    assert doc.passages[0].text == "Born: 1970\nDied: 2020"


def test_fields_are_never_joined_with_prose() -> None:
    text = "Title\n\nTiny intro.\n\n- Born: 1970\n\nTiny outro.\n"
    doc = parse_document(text, "s")
    assert [(p.kind, p.text) for p in doc.passages] == [
        ("prose", "Tiny intro."),
        ("fields", "Born: 1970"),
        ("prose", "Tiny outro."),
    ]


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("Also Known As", "Also Known As"),
        ("  • Designations", "Designations"),
        ("Fact:", "Fact"),
        ("- Return to Full Database", "Return to Full Database"),
        ("== Early life ==", "Early life"),
        ("===Later===", "Later"),
        ("## Career", "Career"),
        ("### Deep heading ###", "Deep heading"),
    ],
)
def test_headings(line: str, heading: str) -> None:
    doc = parse_document(f"= Doc =\n\n{line}\n\nSome text here.\n\nSources\n\nMore text.\n", "s")
    assert doc.sections == (heading, "Sources")
    assert doc.passages[0].section == heading


@pytest.mark.parametrize(
    ("text", "passages"),
    [
        # one short line under the title, in a document with no other heading: text
        ("= Profile =\n\nAli Musa Daqduq\n\nBorn in Beirut.\n", ["Ali Musa Daqduq Born in Beirut."]),
        # the last short line has no text under it: text, never lost
        ("Notes\n\nAsked about the raid.\n\nQasem Soleimani\n",
         ["Asked about the raid. Qasem Soleimani"]),
        # a document of one line: the title is its passage too
        ("SOLEIMANI, Qasem\n", ["SOLEIMANI, Qasem"]),
        ("= Abu Mahdi al-Muhandis =\n", ["Abu Mahdi al-Muhandis"]),
        ("علي موسى دقدوق\n", ["علي موسى دقدوق"]),
    ],
)
def test_a_name_line_is_never_lost_as_a_heading(text: str, passages: list[str]) -> None:
    doc = parse_document(text, "s")
    assert [p.text for p in doc.passages] == passages
    assert doc.sections == ()


@pytest.mark.parametrize(
    "line",
    ["One two three four five six seven", "Ends with a period.", "Ali Musa Daqduq,", "Born: 1970"],
)
def test_not_headings(line: str) -> None:
    doc = parse_document(f"= Doc =\n\n{line}\n", "s")
    assert doc.sections == ()
    assert doc.passages[0].section == ""


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("= Wiki Title =\n\nBody.", "Wiki Title"),
        ("# Markdown Title\n\nBody.", "Markdown Title"),
        ("Intro line:\n\nBody.", "Intro line"),
        ("\n\n  Caption line,\nmore text\n", "Caption line"),
        ("", "s"),
        # a first paragraph written on one line is no title: its first sentence when short
        (" ".join(["Ali Musa Daqduq was released by an Iraqi court in 2012."] * 10) + "\n",
         "Ali Musa Daqduq was released by an Iraqi court in 2012."),
        # else the file's name
        (" ".join(["Ali Musa Daqduq, the Hezbollah commander who trained militias in Iraq, "
                   "was released by an Iraqi court in November 2012."] * 4) + "\n", "s"),
        ("Hezbollah commander freed by Iraqi court.\n\nBody of the news.",
         "Hezbollah commander freed by Iraqi court."),
        ("<<\n\nBody.", "s"),
        ("A long first line, " + "word " * 30 + "\n\n## Background\n\nText.", "Background"),
        ("علي موسى دقدوق\n\nنص عن علي موسى دقدوق.", "علي موسى دقدوق"),
    ],
)
def test_titles(text: str, title: str) -> None:
    assert parse_document(text, "s").title == title


def test_a_title_is_one_short_line_or_the_file_name() -> None:
    paragraph = "Ali Musa Daqduq " + "was a commander " * 40
    doc = parse_document(paragraph + "\n\nMore.", "notes/Ismail_Khan.txt")
    assert doc.title == "Ismail Khan"
    assert doc.passages[0].text.startswith("Ali Musa Daqduq was")  # the line stays text
    given = RawDocument("r.pdf", (Line(1, "Body."),), title="Word " * 60)
    title = build(given).title
    assert len(title) <= 101 and title.endswith("…") and "\n" not in title


@pytest.mark.parametrize(
    ("text", "sections"),
    [
        # a scraped menu line is a heading; an item of a message's list is not
        ("Doc\n\nIntro text here.\n\n  • Designations\n\nUS.\n\n- Return to Full Database\n\n"
         "Text.", ("Designations", "Return to Full Database")),
        ("Doc\n\nHi all,\n\n- Nasrallah spoke first\n\nThe meeting went on.\n\n"
         "* follow up next week\n\nThanks,", ()),
    ],
)
def test_a_bullet_line_is_a_heading_only_when_written_as_one(text: str,
                                                              sections: tuple[str, ...]) -> None:
    assert parse_document(text, "s").sections == sections


def test_heading_line_inside_block_splits_it() -> None:
    doc = parse_document("= T =\n\nLead text.\n==Next==\nBody text.\n", "s")
    assert [(p.section, p.text, p.line_start) for p in doc.passages] == [
        ("", "Lead text.", 3),
        ("Next", "Body text.", 5),
    ]


# --------------------------------------------------------------------------- joining and splitting


def sentence(n: int, k: int) -> str:
    """A sentence of exactly `k` words, the first naming `n`."""
    return " ".join([f"Sentence{n}"] + ["word"] * (k - 2) + ["end."])


def test_tiny_paragraphs_join_the_next_one() -> None:
    paras = ["Tiny one.", "Tiny two here.", " ".join(sentence(i, 10) for i in range(5))]
    doc = parse_document("T\n\n" + "\n\n".join(paras) + "\n", "s")
    assert len(doc.passages) == 1
    p = doc.passages[0]
    assert p.text.startswith("Tiny one. Tiny two here. Sentence0")
    assert (p.line_start, p.line_end) == (3, 7)


def test_tiny_last_paragraph_joins_the_previous_one() -> None:
    body = " ".join(sentence(i, 10) for i in range(5))
    doc = parse_document(f"T\n\n{body}\n\nTiny tail.\n\n== S ==\n\nAlone.\n", "s")
    assert [(p.section, p.line_start, p.line_end) for p in doc.passages] == [
        ("", 3, 5),
        ("S", 9, 9),
    ]
    assert doc.passages[0].text.endswith("end. Tiny tail.")
    assert doc.passages[1].text == "Alone."


def test_long_paragraph_is_split_at_sentence_ends() -> None:
    sentences = [sentence(i, 20) for i in range(30)]  # 600 words on one line
    doc = parse_document("T\n\n" + " ".join(sentences) + "\n", "s")
    assert len(doc.passages) > 2
    rebuilt = []
    for p in doc.passages:
        assert 100 <= words(p.text) <= 250
        assert (p.line_start, p.line_end) == (3, 3)
        assert p.text.startswith("Sentence") and p.text.endswith("end.")
        rebuilt.extend(split_sentences(p.text))
    assert rebuilt == sentences


def test_long_multiline_paragraph_keeps_line_ranges() -> None:
    lines = [" ".join(sentence(10 * i + j, 15) for j in range(4)) for i in range(8)]  # 480 words
    doc = parse_document("T\n\n" + "\n".join(lines) + "\n", "s")
    assert len(doc.passages) >= 2
    assert doc.passages[0].line_start == 3
    assert doc.passages[-1].line_end == 10
    for a, b in zip(doc.passages, doc.passages[1:]):
        assert a.line_end <= b.line_start
    assert all(words(p.text) <= 250 for p in doc.passages)


def test_citations_follow_their_chunk() -> None:
    first = " ".join(sentence(i, 20) for i in range(10))
    second = " ".join(sentence(i, 20) for i in range(10, 20))
    cite = "“T,” P, May 1, 2012, https://p.com/q."
    doc = parse_document(f"T\n\n{first[:-1]}x.{cite} {second}\n", "s")
    assert len(doc.passages) >= 2
    for p in doc.passages:
        cited = "endx." in p.text  # the chunk holding the cited sentence
        expected = (Citation("“T,” P, May 1, 2012", "https://p.com/q"),) if cited else ()
        assert p.citations == expected
        assert "https" not in p.text


def test_overlong_sentence_is_cut_as_a_last_resort() -> None:
    doc = parse_document("T\n\n" + " ".join(["word"] * 600) + "\n", "s")
    assert len(doc.passages) >= 3
    assert all(words(p.text) <= 250 for p in doc.passages)
    assert sum(words(p.text) for p in doc.passages) == 600


# --------------------------------------------------------------------------- markdown


MARKDOWN = """---
layout: post
---
# Ali Musa Daqduq

He is a **Hezbollah** commander, see [the report](https://example.org/r) and `notes`.

## Early life

- **Born**: 1969
- Place: Beirut

```python
# not a heading
print("hidden")
```

Capture
-------

* He was captured in Basra in 2007.
"""


def test_markdown() -> None:
    doc = parse_document(MARKDOWN, "a.md", "markdown")
    assert doc.title == "Ali Musa Daqduq"
    assert doc.sections == ("Early life", "Capture")
    # the front matter's keys are fields too (tests/readers/test_markdown_front_matter.py)
    assert doc.fields == (Field("layout", "post", 2), Field("Born", "1969", 10),
                          Field("Place", "Beirut", 11))
    assert [(p.section, p.kind, p.text, p.line_start) for p in doc.passages] == [
        ("", "fields", "layout: post", 2),
        ("", "prose", "He is a Hezbollah commander, see the report and notes.", 6),
        ("Early life", "fields", "Born: 1969\nPlace: Beirut", 10),
        ("Capture", "prose", "He was captured in Basra in 2007.", 21),
    ]


# --------------------------------------------------------------------------- html


HTML = """<!DOCTYPE html>
<html><head><title>Ali Musa Daqduq &ndash; Profile</title>
<style>p { color: red }</style>
<script>var secret = "script text";</script></head>
<body>
<nav><a href="/">Home</a> <a href="/about">About</a></nav>
<h1>Ali Musa Daqduq</h1>
<p>Ali Musa Daqduq is a Hezbollah commander.<br>He trained militants in Iran.</p>
<table><tr><th>Born</th><td>1969</td></tr><tr><th>Group:</th><td>Hezbollah</td></tr></table>
<h2>Capture</h2>
<div>He was captured in &quot;Basra&quot; in 2007.</div>
<noscript>Enable JavaScript</noscript><template><p>Template text</p></template>
<ul><li>First item.</li><li>Second item.</li></ul>
<h3>Release</h3><p>Released in 2012.</p>
</body></html>"""


def test_html_to_text() -> None:
    text = html_to_text(HTML)
    assert text.split("\n")[0] == "# Ali Musa Daqduq – Profile"
    for hidden in ("script text", "color", "Enable JavaScript", "Template text", "Home"):
        assert hidden not in text
    assert "Ali Musa Daqduq is a Hezbollah commander.\nHe trained militants in Iran." in text
    assert "- Born: 1969\n- Group: Hezbollah" in text
    assert "## Capture" in text and "### Release" in text
    assert "- First item.\n- Second item." in text


def test_html_document() -> None:
    doc = parse_document(HTML, "a.html", "html")
    assert doc.title == "Ali Musa Daqduq – Profile"
    assert doc.sections == ("Capture", "Release")
    assert doc.fields[0].key == "Born" and doc.fields[1] == Field("Group", "Hezbollah",
                                                                   doc.fields[1].line)
    texts = [(p.section, p.kind, p.text) for p in doc.passages]
    assert texts == [
        ("", "prose", "Ali Musa Daqduq is a Hezbollah commander. He trained militants in Iran."),
        ("", "fields", "Born: 1969\nGroup: Hezbollah"),
        ("Capture", "prose", 'He was captured in "Basra" in 2007. First item. Second item.'),
        ("Release", "prose", "Released in 2012."),
    ]
    # lines of the file, where each passage's text stands
    assert [(p.line_start, p.line_end) for p in doc.passages] == [(8, 8), (9, 9), (11, 13),
                                                                  (14, 14)]
    lines = HTML.split("\n")
    assert "Hezbollah commander" in lines[7] and "Born" in lines[8]
    assert "Basra" in lines[10] and "Second item" in lines[12] and "2012" in lines[13]


def test_html_first_h1_is_the_title_without_title_tag() -> None:
    doc = parse_document("<h1>Main</h1><p>Text.</p><h1>Other</h1><p>More.</p>", "a.html", "html")
    assert doc.title == "Main"
    assert doc.sections == ("Other",)


def test_unknown_format_is_rejected() -> None:
    with pytest.raises(ValueError):
        parse_document("x", "s", "rtf")


def test_a_short_line_right_under_a_heading_is_text_not_a_heading() -> None:
    doc = parse_document(
        "= Debian packages 0001 =\n\n== 0ad ==\nReal-time strategy game of ancient warfare\n\n"
        "0 A.D. (pronounced \"zero ey-dee\") is a free, open-source, cross-platform real-time "
        "strategy game.\n\n== 0ad-data ==\nReal-time strategy game of ancient warfare (data files)\n",
        "debian-0001.txt",
    )
    assert doc.sections == ("0ad", "0ad-data")
    assert [p.section for p in doc.passages] == ["0ad", "0ad-data"]
    assert doc.passages[0].text.startswith("Real-time strategy game of ancient warfare")
