"""readers/docx.py: Word and OpenDocument files written here (tests/readers/makers.py)."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

import makers
import pytest

from searchdoc.errors import SkipFile
from searchdoc.passages import build
from searchdoc.readers import detect, read

SEED = Path(__file__).resolve().parent.parent.parent / "seeds" / "000_3b04a8e966365e08.txt"

PROFILE = [
    ("title", "Ali Musa Daqduq"),
    "Ali Musa Daqduq was a senior Hezbollah leader and adviser to Qais al-Khazali.",
    (1, "Profile"),
    [["Born", "between 1969 and 1972"], ["Alias:", "Hamid the Mute"]],
    [["Name", "Role", "Years"], ["Daqduq", "commander", "1983-2024"]],
    (2, "Capture"),
    "He was captured in Basra in March 2007.",
    ("quote", "“He refused to speak,” said a guard."),
    ("custom2", "Release"),
    "An Iraqi court ordered his release in 2012.",
]


def document(data: bytes, name: str = "a.docx"):  # type: ignore[no-untyped-def]
    (raw,) = read(name, data, print)
    return raw, build(raw)


@pytest.mark.parametrize("maker", [makers.docx, makers.odt])
def test_paragraphs_headings_and_tables(maker) -> None:  # type: ignore[no-untyped-def]
    name = "a.docx" if maker is makers.docx else "a.odt"
    raw, doc = document(maker(PROFILE), name)
    assert [(line.number, line.heading, line.text) for line in raw.lines if line.text] == [
        (1, 1, "Ali Musa Daqduq"),
        (2, -1, "Ali Musa Daqduq was a senior Hezbollah leader and adviser to Qais al-Khazali."),
        (3, 1, "Profile"),
        (4, -1, "- Born: between 1969 and 1972"),
        (5, -1, "- Alias: Hamid the Mute"),
        (6, -1, "Name | Role | Years"),
        (7, -1, "Daqduq | commander | 1983-2024"),
        (8, 2, "Capture"),
        (9, -1, "He was captured in Basra in March 2007."),
        (10, -1, "“He refused to speak,” said a guard."),
        # a style based on Heading 2 (in the .odt a plain paragraph, a heading by its looks)
        (11, 2 if maker is makers.docx else -1, "Release"),
        (12, -1, "An Iraqi court ordered his release in 2012."),
    ]
    assert doc.title == "Ali Musa Daqduq"
    assert doc.sections == ("Profile", "Capture", "Release")
    assert [(f.key, f.value, f.line) for f in doc.fields] == [
        ("Born", "between 1969 and 1972", 4), ("Alias", "Hamid the Mute", 5)]


@pytest.mark.parametrize("maker", [makers.docx, makers.odt])
def test_title_from_the_core_properties_else_the_first_heading(maker) -> None:  # type: ignore[no-untyped-def]
    _raw, doc = document(maker(PROFILE, title="Daqduq profile, 2024"),
                         "a.docx" if maker is makers.docx else "a.odt")
    assert doc.title == "Daqduq profile, 2024"
    assert doc.sections[0] == "Ali Musa Daqduq"  # no longer the title: a section
    _raw, doc = document(makers.docx(["A first paragraph.", (1, "Heading"), "More."]))
    assert doc.title == "Heading"


def test_the_seed_as_a_docx_finds_the_same_passage(tmp_path: Path, run, monkeypatch) -> None:
    paragraphs = [" ".join(p.split()) for p in SEED.read_text(encoding="utf-8").split("\n\n")
                  if p.strip()]
    (tmp_path / "seed.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "seed.docx").write_bytes(makers.docx([("title", paragraphs[0]), *paragraphs[1:]]))
    monkeypatch.chdir(tmp_path)
    assert run("index", "seed.txt", "seed.docx").code == 0
    hits = {h["source"]: h for h in run("query", "Hamid the Mute", "--json").json()
            if h["rank"] <= 2}
    sentence = ("Daqduq refused to speak for weeks following his capture, which led U.S. forces "
                "to give him the nickname Hamid the Mute.")
    assert sentence in hits["seed.txt"]["text"] and sentence in hits["seed.docx"]["text"]
    number = next(k for k, p in enumerate(paragraphs, 1) if "nickname Hamid" in p)
    docx = hits["seed.docx"]
    assert docx["line_start"] <= number <= docx["line_end"]  # paragraph numbers
    assert docx["title"] == "Ali Mussa Daqduq" and "page" not in docx


def test_tracked_deletions_field_codes_and_text_boxes() -> None:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = ("<w:p><w:r><w:t>Daqduq was </w:t></w:r><w:del><w:r><w:delText>never </w:delText>"
            "</w:r></w:del><w:ins><w:r><w:t>released</w:t></w:r></w:ins>"
            "<w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t xml:space=\"preserve\"> in"
            " 2012.</w:t></w:r><w:r><w:txbxContent><w:p><w:r><w:t>Boxed note.</w:t></w:r></w:p>"
            "</w:txbxContent></w:r></w:p>")
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", f"<w:document {w}><w:body>{body}</w:body></w:document>")
    raw, _doc = document(out.getvalue())
    assert [line.text for line in raw.lines if line.text] == [
        "Daqduq was released in 2012.", "Boxed note."]


@pytest.mark.parametrize(
    ("files", "reason"),
    [
        ({"ppt/presentation.xml": "<x/>"},
         "binary file (zip archive or office document), skipped"),
        ({"xl/workbook.xml": "<x/>"}, "no row in it, skipped"),  # a workbook: read as one
        ({"word/document.xml": "<w:document"}, "not a readable Word document (damaged XML"),
    ],
)
def test_other_zips_and_damaged_documents_are_skipped(files: dict[str, str], reason: str) -> None:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)
    with pytest.raises(SkipFile, match=reason.replace("(", r"\(").replace(")", r"\)")):
        document(out.getvalue())


def test_a_docx_is_known_by_its_content(tmp_path: Path, run, monkeypatch) -> None:
    data = makers.docx(PROFILE)
    assert detect("profile", data[:4096]).name == "word"
    (tmp_path / "profile").write_bytes(data)  # no extension
    (tmp_path / "broken.docx").write_bytes(data[:200])
    monkeypatch.chdir(tmp_path)
    r = run("index", "profile", "broken.docx")
    assert r.err.splitlines()[0] == ("searchdoc: broken.docx: not a readable Word document "
                                     "(damaged zip), skipped")
    hit = run("query", "Hamid the Mute", "--json").json()[0]
    assert (hit["source"], hit["kind"], hit["line_start"]) == ("profile", "fields", 4)
