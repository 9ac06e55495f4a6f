"""readers/pdf.py: PDFs written here from the seeds (tests/readers/makers.py) and the
committed fixtures of tests/fixtures/pdf/ (Arabic with an embedded font, encrypted)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import makers
import pytest

from searchdoc.errors import SkipFile
from searchdoc.passages import build
from searchdoc.readers import detect
from searchdoc.readers import pdf as reader

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pdf"
SEED = Path(__file__).resolve().parent.parent.parent / "seeds" / "000_3b04a8e966365e08.txt"
ARABIC = [  # as tests/fixtures/pdf/make_fixtures.py typed them
    "علي موسى دقدوق قيادي في حزب الله اللبناني.",
    "اعتقلته القوات الأمريكية في البصرة عام 2007 وأفرج عنه في العراق عام 2012.",
    "يُعرف أيضاً باسم حامد محمد جبور اللامي، ولقبه Hamid the Mute.",
]
PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")


def lines_of(data: bytes, warnings: list[str] | None = None) -> list[tuple[int | None, int, str]]:
    """(page, line, text) of the non-blank lines the reader gives."""
    (raw,) = reader.read(data, "x.pdf", (warnings if warnings is not None else []).append)
    return [(line.page, line.number, line.text) for line in raw.lines if line.text]


def seed_paragraphs() -> list[str]:
    return [" ".join(p.split()) for p in SEED.read_text(encoding="utf-8").split("\n\n")
            if p.strip()]


def where_is(pages: list[makers.Page], words: str) -> tuple[int, int]:
    """(page, line of the page) where a PDF written by makers shows `words`."""
    for number, page in enumerate(pages, 1):
        for line, (*_pos, text) in enumerate(sorted(page.texts, key=lambda t: -t[1]), 1):
            if words in text:
                return number, line
    raise AssertionError(f"{words!r} not in the PDF")


# ------------------------------------------------------------------------ the seed as a PDF


def test_the_seed_as_a_pdf_finds_the_same_passage_on_the_right_page(tmp_path: Path, run,
                                                                      monkeypatch) -> None:
    paragraphs = seed_paragraphs()
    pages = makers.text_pages(paragraphs[1:], title=paragraphs[0])
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "seed.txt").write_text(SEED.read_text(encoding="utf-8"),
                                                 encoding="utf-8")
    (tmp_path / "docs" / "seed.pdf").write_bytes(makers.pdf(pages))
    monkeypatch.chdir(tmp_path)
    assert run("index", "docs").code == 0
    hits = run("query", "Hamid the Mute", "--json").json()
    by_source = {h["source"]: h for h in hits if h["rank"] <= 2}
    txt, pdf = by_source["docs/seed.txt"], by_source["docs/seed.pdf"]
    sentence = ("Daqduq refused to speak for weeks following his capture, which led U.S. forces "
                "to give him the nickname Hamid the Mute.")
    assert sentence in txt["text"] and sentence in pdf["text"]
    assert "page" not in txt
    page, line = where_is(pages, "nickname Hamid")
    assert pdf["page"] == page
    assert pdf["line_start"] <= line <= pdf["line_end"]
    assert pdf["title"] == txt["title"] == "Ali Mussa Daqduq"
    text = run("query", "Hamid the Mute", "--source", "*.pdf").out
    assert f"docs/seed.pdf p.{page}:{pdf['line_start']}-{pdf['line_end']}" in text


def test_show_prints_the_page_of_a_pdf_passage(tmp_path: Path, run, monkeypatch) -> None:
    paragraphs = seed_paragraphs()
    pages = makers.text_pages(paragraphs[1:], title=paragraphs[0])
    (tmp_path / "seed.pdf").write_bytes(makers.pdf(pages))
    monkeypatch.chdir(tmp_path)
    assert run("index", "seed.pdf").code == 0
    hit = run("query", "Hamid the Mute", "--json").json()[0]
    shown = run("show", hit["passage"], "--json").json()
    assert {p["page"] for p in shown} == {hit["page"]}  # the whole page, nothing else
    assert [p["focus"] for p in shown].count(True) == 1
    assert len(shown) > 1
    everything = run("show", hit["passage"], "--context", "1", "--json").json()
    assert len(everything) == len(shown) + 2  # one passage before the page, one after
    assert "p." in run("show", hit["passage"]).out


# ------------------------------------------------------------------------ reading order


def test_a_two_column_page_is_read_column_by_column_whatever_the_drawing_order() -> None:
    left = ("Ali Musa Daqduq is a Hezbollah commander who has trained Iran-backed militants "
            "to attack U.S. forces in Iraq. The United States accuses Daqduq of orchestrating "
            "a January 20, 2007, attack on U.S. troops in Karbala, Iraq, that killed five.")
    right = ("Daqduq first joined Hezbollah in 1983. He was soon assigned to command "
             "Department 2800, a Special Operations unit in Lebanon. Daqduq later coordinated "
             "the personal security of Hezbollah leader Hassan Nasrallah.")
    column = (makers.PAGE_W - 2 * makers.MARGIN - 24) / 2
    left_lines, right_lines = makers.wrap(left, 10, column), makers.wrap(right, 10, column)
    page = makers.Page().text(makers.MARGIN, 740, "Two Columns Across The Page", 18, "bold")
    y = 700.0
    for k in range(max(len(left_lines), len(right_lines))):  # row by row across both columns
        if k < len(left_lines):
            page.text(makers.MARGIN, y, left_lines[k])
        if k < len(right_lines):
            page.text(makers.MARGIN + column + 24, y, right_lines[k])
        y -= 12
    lines = [text for _p, _n, text in lines_of(makers.pdf([page]))]
    assert lines == ["Two Columns Across The Page", *left_lines, *right_lines]
    raw = next(reader.read(makers.pdf([page]), "two.pdf", print))
    doc = build(raw)
    assert doc.title == "Two Columns Across The Page"
    assert [p.text for p in doc.passages] == [f"{left} {right}"]  # both short: one passage


def test_a_table_row_is_read_across() -> None:
    page = makers.Page()
    rows = [("Name:", "Ali Musa Daqduq"), ("Born:", "between 1969 and 1972"),
            ("Group:", "Asa'ib Ahl al-Haq; Hezbollah")]
    for k, (key, value) in enumerate(rows):
        page.text(makers.MARGIN, 700 - 14 * k, key)
        page.text(makers.MARGIN + 120, 700 - 14 * k, value)
    assert [t for *_x, t in lines_of(makers.pdf([page]))] == [f"{k} {v}" for k, v in rows]


def test_lines_are_numbered_per_page_and_pages_never_share_a_passage() -> None:
    pages = makers.text_pages(["First page paragraph, one sentence."] * 3)
    pages.append(makers.Page().text(makers.MARGIN, 700, "Second page paragraph."))
    got = lines_of(makers.pdf(pages))
    assert got[-1] == (2, 1, "Second page paragraph.")
    raw = next(reader.read(makers.pdf(pages), "x.pdf", print))
    doc = build(raw)
    # blank lines take no number
    assert [(p.page, p.line_start, p.line_end) for p in doc.passages] == [(1, 1, 3), (2, 1, 1)]


def test_a_larger_short_line_is_a_heading_and_opens_a_section() -> None:
    page = makers.Page().text(makers.MARGIN, 740, "Ali Musa Daqduq", 20, "bold")
    page.text(makers.MARGIN, 700, "Ali Musa Daqduq was a senior Hezbollah leader.")
    page.text(makers.MARGIN, 670, "Capture in Basra", 14, "bold")
    page.text(makers.MARGIN, 640, "He was captured in Basra in 2007.")
    doc = build(next(reader.read(makers.pdf([page]), "x.pdf", print)))
    assert doc.title == "Ali Musa Daqduq"
    assert doc.sections == ("Capture in Basra",)
    assert [(p.section, p.line_start) for p in doc.passages] == [("", 2), ("Capture in Basra", 4)]


@pytest.mark.parametrize(
    ("metadata", "title"),
    [
        ("Treasury Designation of Ali Musa Daqduq", "Treasury Designation of Ali Musa Daqduq"),
        ("Microsoft Word - daqduq_final_v2.docx", "First line of the report"),
        ("report.pdf", "First line of the report"),
        ("untitled", "First line of the report"),
        (None, "First line of the report"),
    ],
)
def test_title_from_metadata_unless_it_is_a_file_name(metadata: str | None, title: str) -> None:
    page = makers.Page().text(makers.MARGIN, 740, "First line of the report")
    page.text(makers.MARGIN, 700, "Ali Musa Daqduq was a senior Hezbollah leader.")
    doc = build(next(reader.read(makers.pdf([page], title=metadata), "x.pdf", print)))
    assert doc.title == title


# ------------------------------------------------------------------------ Arabic


def test_arabic_shaped_by_harfbuzz_is_read_in_logical_order() -> None:
    got = [text for _p, _n, text in lines_of((FIXTURES / "arabic-shaped.pdf").read_bytes())]
    assert got == ARABIC


def test_arabic_in_visual_order_and_presentation_forms_is_read_as_typed() -> None:
    data = (FIXTURES / "arabic-visual.pdf").read_bytes()
    got = [text for _p, _n, text in lines_of(data)]
    # the producer dropped the vowel marks and drew "الله" as one glyph the font lacks
    assert got[1] == ARABIC[1]
    assert got[2] == "يعرف أيضا باسم حامد محمد جبور اللامي، ولقبه Hamid the Mute."
    assert got[0].startswith("علي موسى دقدوق قيادي في حزب")
    assert not any(PRESENTATION_FORMS.search(t) for t in got)


@pytest.mark.parametrize(
    ("visual", "rtl", "logical"),
    [
        # an Arabic line: reversed, the digits and Latin words kept left to right
        (list(".2012 ماع"), True, "عام 2012."),
        (list("Hamid the Mute يماللا"), True, "اللامي Hamid the Mute"),
        # brackets drawn mirrored in right-to-left text are turned back
        (list("(2007) ةرصبلا"), True, "البصرة (2007)"),
        # a Latin line with an Arabic name in it: only the Arabic run is reversed
        (list("Daqduq (قودقد ىسوم يلع) was"), False, "Daqduq (علي موسى دقدوق) was"),
        (list("born ٢٠٠٧ ماع in"), False, "born عام ٢٠٠٧ in"),
    ],
)
def test_visual_to_logical(visual: list[str], rtl: bool, logical: str) -> None:
    assert "".join(reader.visual_to_logical(visual, rtl)) == logical


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("\ufee3\ufeee\ufeb3\ufef0", "موسى"),  # presentation forms B
        ("\ufefb", "لا"),  # the lam-alef ligature
        ("\u200fعلي\u200e", "علي"),  # bidi marks
        ("\ufb01nance", "finance"),  # a Latin ligature
        ("co\u00adoperation", "cooperation"),  # a soft hyphen
        # PDFium gives a letter past U+FFFF as two surrogates: one letter, valid UTF-8
        ("gimel \ud835\udfcb digamma", "gimel \U0001d7cb digamma"),
        ("half \ud835 pair", "half \ufffd pair"),
    ],
)
def test_clean_text(text: str, clean: str) -> None:
    assert reader.clean_text(text) == clean


def words_unlike_pdfium(data: bytes) -> float:
    """The share of the words the reader gives that PDFium's own text of the page does not
    hold, each word compared by its letters in any order (PDFium's text of some producers'
    Arabic keeps the drawn order, words reversed: a split or glued word differs still)."""
    import pypdfium2 as pdfium

    def words(text: str) -> Counter[str]:
        return Counter("".join(sorted(w)) for w in re.findall(r"[^\W_]+", text))

    doc = pdfium.PdfDocument(data)
    reference = {i + 1: words(doc[i].get_textpage().get_text_bounded()) for i in range(len(doc))}
    ours: dict[int | None, Counter[str]] = {}
    for page, _n, text in lines_of(data):
        ours.setdefault(page, Counter()).update(words(text))
    total = sum(sum(c.values()) for c in ours.values())
    unlike = sum(sum((c - reference.get(p or 0, Counter())).values()) for p, c in ours.items())
    return unlike / total


def test_arabic_as_a_browser_saves_it_keeps_its_words_whole() -> None:
    """Chromium's "Save as PDF": glyph boxes that are each letter's ink, so a gap between
    letters that do not join looked like a word space (``نص ر``) and letters below the
    line opened lines of their own; PDFium's text is the reference for word ends."""
    data = (FIXTURES / "arabic-chrome.pdf").read_bytes()
    got = [text for _p, _n, text in lines_of(data)]
    assert got == [
        "حسن نصر الله",
        "حسن نصر الله هو الأمين العام لحزب الله اللبناني منذ عام 1992، وقد خلف",
        "عباس الموسوي بعد اغتياله. ولد في حي الكرنتينا في بيروت وهو الأكبر بين تسعة",
        "إخوة، وكان والده عبد الكريم صاحب متجر صغير للخضار والفاكهة. صور نصر الله",
        "منتشرة في الضاحية الجنوبية.",
        "اعتقلت القوات الأمريكية علي موسى دقدوق في البصرة عام 2007، وأفرج عنه",
        "في العراق عام 2012.",
    ]
    assert words_unlike_pdfium(data) == 0.0


def test_arabic_drawn_glyph_by_glyph_in_visual_order_with_a_ligature() -> None:
    """A PDF written here as a browser writes one: glyphs one by one, left to right on
    the page, the y axis flipped, ``لله`` one glyph mapped to three letters (PDFium gives
    them turned, ``هلل``)."""
    lines = ["حسن نصر الله هو الأمين العام لحزب الله منذ عام 1992، وقد خلف عباس الموسوي.",
             "صور نصر الله منتشرة في الضاحية، وهو الأكبر بين إخوته وهو معروف بخطبه.",
             "اعتقلت القوات الأمريكية علي موسى دقدوق في البصرة."]
    data = makers.arabic_type3_pdf(lines)
    assert [text for _p, _n, text in lines_of(data)] == lines
    assert words_unlike_pdfium(data) == 0.0


@pytest.mark.parametrize("shaped", ["arabic-shaped.pdf", "arabic-visual.pdf"])
def test_other_producers_arabic_matches_pdfium_word_for_word(shaped: str) -> None:
    assert words_unlike_pdfium((FIXTURES / shaped).read_bytes()) == 0.0


def test_an_arabic_pdf_is_found_by_an_arabic_word(tmp_path: Path, run, monkeypatch) -> None:
    (tmp_path / "ar.pdf").write_bytes((FIXTURES / "arabic-shaped.pdf").read_bytes())
    monkeypatch.chdir(tmp_path)
    assert run("index", "ar.pdf").code == 0
    hits = run("query", "دقدوق", "--json").json()
    assert hits[0]["source"] == "ar.pdf" and hits[0]["page"] == 1
    assert "علي موسى دقدوق" in hits[0]["text"]


# ------------------------------------------------------------------------ files it skips


def test_scans_encrypted_and_broken_pdfs_are_skipped_with_their_line(tmp_path: Path, run,
                                                                    monkeypatch) -> None:
    d = tmp_path / "in"
    d.mkdir()
    scan = [makers.Page().image(0, 0, makers.PAGE_W, makers.PAGE_H) for _ in range(2)]
    (d / "scan.pdf").write_bytes(makers.pdf(scan))
    (d / "locked.pdf").write_bytes((FIXTURES / "encrypted-password.pdf").read_bytes())
    (d / "open.pdf").write_bytes((FIXTURES / "encrypted-no-password.pdf").read_bytes())
    good = makers.pdf(makers.text_pages(["Ali Musa Daqduq was released in November 2012."]))
    (d / "broken.pdf").write_bytes(good[: len(good) // 3])
    mixed = [*makers.text_pages(["Daqduq text on the first page."]),
             makers.Page().image(0, 0, 300, 300)]
    (d / "mixed.pdf").write_bytes(makers.pdf(mixed))
    monkeypatch.chdir(tmp_path)
    r = run("index", "in")
    assert r.code == 0
    assert r.err.splitlines() == [
        "searchdoc: in/broken.pdf: not a readable PDF (damaged or truncated), skipped",
        "searchdoc: in/locked.pdf: encrypted (needs a password), skipped",
        "searchdoc: in/mixed.pdf: page 2: no text layer (scanned?): not indexed",
        "searchdoc: in/scan.pdf: no text layer (scanned?), skipped",
        "searchdoc: indexed: 2 added, 0 updated, 0 removed, 0 unchanged, 3 skipped (2 passages)",
    ]
    hits = run("query", "Daqduq", "--json").json()
    assert sorted(h["source"] for h in hits) == ["in/mixed.pdf", "in/open.pdf"]


def test_pages_without_text_are_named_blank_pages_are_not() -> None:
    pages = [*makers.text_pages(["Daqduq text on the first page."]), makers.Page(),
             makers.Page().shape(54, 600, 400, 12).shape(54, 580, 380, 12),
             makers.Page().image(0, 0, 300, 300),
             *makers.text_pages(["Daqduq text on the last page."])]
    warnings: list[str] = []
    got = lines_of(makers.pdf(pages), warnings)
    assert [(p, n) for p, n, _t in got] == [(1, 1), (5, 1)]
    assert warnings == ["pages 3, 4: no text layer (scanned?): not indexed"]


def test_a_hyphenated_latin_pdf_and_a_title_that_is_a_doi() -> None:
    page = makers.Page()
    page.text(54, 700, "Phonology of Lebanese Arabic", 16, "bold")
    for k, line in enumerate(["The phonemic inventory of Lebanese Arabic is appro-",
                              "priately described in the comprehensive grammar of inter-",
                              "national scholars, a well-", "known fact, as al-",
                              "Musawi wrote."]):
        page.text(54, 670 - 12 * k, line, 10, "sans")
    data = makers.pdf([page], title="10.1016/j.lingua.2019.04.005")
    (raw,) = reader.read(data, "paper.pdf", print)
    doc = build(raw)
    assert doc.title == "Phonology of Lebanese Arabic"
    (body,) = doc.passages
    assert body.text == ("The phonemic inventory of Lebanese Arabic is appropriately described "
                         "in the comprehensive grammar of international scholars, a well-known "
                         "fact, as al-Musawi wrote.")
    assert (body.page, body.line_start, body.line_end) == (1, 2, 6)


def test_letter_spaced_latin_as_a_browser_saves_it() -> None:
    """Each letter drawn apart: PDFium adds a word space between letters (``Le tt e r``);
    the gaps tell letters from words."""
    got = [t for _p, _n, t in lines_of((FIXTURES / "latin-chrome.pdf").read_bytes())]
    assert got == ["The phonemic inventory of Lebanese Arabic is",
                   "appropriately described in the comprehensive", "grammar.",
                   "Letter spaced text about Hezbollah", "commanders and their organisation."]


def test_a_title_repeated_as_running_head_and_a_code_comment() -> None:
    """The title in large type on the first page, the same words in small type at the top
    of the others (a running head: not read); a ``# comment`` of a code listing is text,
    never a heading or the title."""
    pages = [makers.Page().text(54, 740, "Shared MIME-info Database", 20, "bold")
             .text(54, 700, "This is version 0.21 of the specification.", 10)]
    for topic in ("globs", "magic", "aliases"):
        pages.append(makers.Page().text(54, 760, "Shared MIME-info Database", 8)
                     .text(54, 700, f"The {topic} files are described here.", 10)
                     .text(54, 688, "# This file was automatically generated by the", 10)
                     .text(54, 676, f"# {topic} listing follows", 10))
    (raw,) = reader.read(makers.pdf(pages), "spec.pdf", print)
    doc = build(raw)
    assert doc.title == "Shared MIME-info Database"
    assert doc.sections == ()
    assert [p.page for p in doc.passages if "automatically generated" in p.text] == [2, 3, 4]
    assert not any(p.text.startswith("Shared MIME") for p in doc.passages)


@pytest.mark.parametrize("title", ["10.1016/j.lingua.2019.04.005", "doi:10.1000/182",
                                   "https://doi.org/10.1000/182", "38serv", "report.pdf",
                                   "www.example.org"])
def test_metadata_that_is_no_title(title: str) -> None:
    data = makers.pdf(makers.text_pages(["Body text of the paper."], title="Real Title"),
                      title=title)
    (raw,) = reader.read(data, "x.pdf", print)
    assert build(raw).title == "Real Title"


def test_a_pdf_named_txt_is_read_as_a_pdf(tmp_path: Path, run, monkeypatch) -> None:
    data = makers.pdf(makers.text_pages(["Ali Musa Daqduq was released in November 2012."]))
    assert detect("notes.txt", data[:4096]).name == "pdf"
    (tmp_path / "notes.txt").write_bytes(data)
    monkeypatch.chdir(tmp_path)
    assert run("index", "notes.txt").code == 0
    (hit,) = run("query", "Daqduq", "--json").json()
    assert (hit["source"], hit["page"], hit["line_start"]) == ("notes.txt", 1, 1)


def test_reader_raises_skipfile_on_bytes_that_are_no_pdf() -> None:
    with pytest.raises(SkipFile, match="not a readable PDF"):
        list(reader.read(b"%PDF-1.4\nnot really\n", "x.pdf", print))


def test_running_headers_and_page_numbers_are_not_read_but_counted() -> None:
    pages = makers.text_pages([f"Paragraph {k} about Daqduq, long enough to be a line." for k
                               in range(120)])
    assert len(pages) >= 3
    for number, page in enumerate(pages, 1):
        page.text(makers.MARGIN, makers.PAGE_H - 30, "Counter Extremism Project", 8, "sans")
        page.text(makers.PAGE_W / 2, 30, f"Page {number} of {len(pages)}", 8, "sans")
    got = lines_of(makers.pdf(pages))
    assert not any("Counter Extremism" in t or t.startswith("Page ") for _p, _n, t in got)
    assert got[0] == (1, 2, "Paragraph 0 about Daqduq, long enough to be a line.")  # line 1: the header


def test_a_pdf_is_read_up_to_its_character_budget(monkeypatch) -> None:
    """Pages past what a PDF is read for (a crafted file whose pages share one stream of
    millions of glyphs) are not read, in one line; the pages before are."""
    monkeypatch.setattr(reader, "MAX_CHARACTERS", 150)
    places = ["Basra", "Beirut", "Karbala", "Baghdad", "Damascus", "Tehran", "Najaf", "Sidon"]
    pages = [makers.Page().text(54, 700, f"Ali Musa Daqduq was seen in {place} that year.")
             for place in places]
    warnings: list[str] = []
    got = lines_of(makers.pdf(pages), warnings)
    assert [p for p, _n, _t in got] == [1, 2, 3]
    assert warnings == ["pages 4-8: past the 150 characters a PDF is read for, not read"]
