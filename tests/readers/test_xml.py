"""Lists of people in XML (readers/xmllist.py): the UN Consolidated List's, OFAC's and the
EU's export shapes over tests/fixtures/xml/, an XML file that is no list, broken XML,
a large XML list read as a stream, and the CLI end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_records import records as records_of

from searchdoc import ingest
from searchdoc.errors import SkipFile
from searchdoc.ingest import ReadFile, StreamedDocuments, read_file
from searchdoc.passages import build
from searchdoc.readers import detect, read

FIXTURES = Path(__file__).parent.parent / "fixtures" / "xml"


def records(name: str, data: bytes | None = None) -> tuple[list, list[str]]:
    """(record, title, passage lines, names) of each document, and the warnings (as in
    test_records.py, over this folder's fixtures)."""
    return records_of(name, (FIXTURES / name).read_bytes() if data is None else data)


def passage_texts(name: str) -> list[str]:
    data = (FIXTURES / name).read_bytes()
    return [p.text for raw in read(name, data, lambda _w: None) for p in build(raw).passages]


def test_xml_is_a_format_of_its_own() -> None:
    assert detect("consolidated.xml").name == "xml"


def test_un_consolidated_list() -> None:
    found, warnings = records("un_consolidated.xml")
    assert warnings == []
    assert found == [
        (1, "HAJJAJ BIN FAHD AL AJMI", [(4, 17)], [
            ("HAJJAJ BIN FAHD AL AJMI", 7, "name columns"),  # FIRST_, SECOND_, THIRD_NAME
            ("Hajjaj Fahd Al Ajmi", 15, "alias column"),
            ("حجاج بن فهد العجمي", 13, "original script name"),
            ("Abu Abd al-Rahman", 16, "weak alias")]),  # QUALITY Low
        (2, "SHAFI SULTAN MOHAMMED AL-AJMI", [(18, 25)], [
            ("SHAFI SULTAN MOHAMMED AL-AJMI", 20, "name columns"),
            ("Shafi al-Ajmi", 24, "alias column"),
            ("شافي سلطان محمد العجمي", 23, "original script name")]),
        # ENTITIES/ENTITY: records at the same level as INDIVIDUALS/INDIVIDUAL
        (3, "AL-FURQAN FOUNDATION WELFARE TRUST", [(28, 33)], [
            ("AL-FURQAN FOUNDATION WELFARE TRUST", 30, "name columns"),
            ("Al-Furqan", 32, "alias column")]),
        (4, "AL-HARAMAIN FOUNDATION", [(34, 38)], [("AL-HARAMAIN FOUNDATION", 36, "name columns")]),
    ]
    first = passage_texts("un_consolidated.xml")[0]
    assert "REFERENCE_NUMBER: QDi.327" in first and "COMMENTS1: Kuwait-based facilitator." in first
    assert "INDIVIDUAL_ALIAS (weak): Abu Abd al-Rahman" in first
    assert "<" not in first


def test_an_alias_written_last_first_is_one_name() -> None:
    """The UN list writes some aliases LAST, First, the family name beginning with a
    particle ("Es Sayed, Kader"): one name in natural order, not "Es Sayed" and a "Kader"
    alone (a one-word alias that found every Kader of a folder for the person)."""
    data = (b"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>\n"
            b"<FIRST_NAME>ABD EL KADER</FIRST_NAME>\n"
            b"<SECOND_NAME>MAHMOUD MOHAMED EL SAYED</SECOND_NAME>\n"
            b"<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY>\n"
            b"<ALIAS_NAME>Es Sayed, Kader</ALIAS_NAME></INDIVIDUAL_ALIAS>\n"
            b"<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY>\n"
            b"<ALIAS_NAME>Bin Al Shibh, Ramzi</ALIAS_NAME></INDIVIDUAL_ALIAS>\n"
            b"</INDIVIDUAL>\n<INDIVIDUAL><FIRST_NAME>HAJJAJ</FIRST_NAME></INDIVIDUAL>\n"
            b"</INDIVIDUALS></CONSOLIDATED_LIST>\n")
    found, warnings = records("un.xml", data)
    assert warnings == []
    assert [(name, how) for name, _line, how in found[0][3]] == [
        ("ABD EL KADER MAHMOUD MOHAMED EL SAYED", "name columns"),
        ("Kader Es Sayed", "alias column"), ("Ramzi Bin Al Shibh", "alias column")]


def test_ofac_sdn_xml() -> None:
    found, warnings = records("ofac_sdn.xml")
    assert warnings == []
    # the namespace is no part of a tag; publshInformation does not repeat: no record
    assert found == [
        (1, "Ali Mussa Daqduq AL-MUSAWI", [(7, 36)], [
            ("Ali Mussa Daqduq AL-MUSAWI", 9, "name columns"),
            ("Hamid Muhammad Jabur AL-LAMI", 16, "alias column"),  # an aka's parts, joined
            ("Hamid the Mute", 23, "weak alias")]),  # category weak
        (2, "Qasem SOLEIMANI", [(37, 46)], [("Qasem SOLEIMANI", 39, "name columns")]),
    ]
    second = passage_texts("ofac_sdn.xml")[1]
    assert "program: SDGT; IRGC" in second  # a repeated element: one column, two values


def test_eu_list_names_in_attributes() -> None:
    found, warnings = records("eu_fsf.xml")
    assert warnings == []
    assert found == [
        (1, "Hajjaj bin Fahd Al Ajmi", [(3, 9)], [
            ("Hajjaj bin Fahd Al Ajmi", 6, "alias column"),
            ("حجاج بن فهد العجمي", 7, "alias column"),
            ("Abu Abd al-Rahman", 8, "weak alias")]),  # strong="false"
        (2, "Shafi Sultan Mohammed Al-Ajmi", [(10, 13)], [
            ("Shafi Sultan Mohammed Al-Ajmi", 12, "alias column")]),
    ]
    assert "programme: AQL" in passage_texts("eu_fsf.xml")[0]


def test_xml_that_is_no_list_is_read_as_text_without_its_markup() -> None:
    found, warnings = records("feed.xml")
    assert warnings == []
    assert found == [(None, "Court filings", [(4, 6)], [])]  # the lines of the file
    (text,) = passage_texts("feed.xml")
    assert "The hearing of Ali Musa Daqduq was adjourned." in text and "<" not in text


def test_broken_xml_keeps_the_records_before_the_break() -> None:
    found, warnings = records("broken.xml")
    assert [f[1] for f in found] == ["AL-MUSAWI, Ali Mussa Daqduq", "SOLEIMANI, Qasem"]
    assert warnings == ["not well-formed XML at line 6; the 2 record(s) before it are "
                        "indexed, the rest skipped"]


def test_a_binary_file_named_xml_is_skipped() -> None:
    with pytest.raises(SkipFile):
        records("bad.xml", b"\x00\x01\x02\xff" * 64)


def test_xml_broken_and_no_list_is_text_with_a_warning() -> None:
    found, warnings = records("note.xml", b"<note>\n<body>Daqduq was seen in Basra.\n</note>\n")
    assert warnings == ["not well-formed XML at line 3: read as text"]
    assert found[0][1] == "Daqduq was seen in Basra."


def test_entities_are_not_expanded_from_outside() -> None:
    data = (b'<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
            b"<l>\n<p><name>A One</name><n>&x;</n></p>\n<p><name>B Two</name></p>\n</l>\n")
    found, _w = records("l.xml", data)
    assert [f[1] for f in found] == ["A One", "B Two"]
    assert all("root:" not in t for t in passage_texts_of("l.xml", data))


def passage_texts_of(name: str, data: bytes) -> list[str]:
    return [p.text for raw in read(name, data, lambda _w: None) for p in build(raw).passages]


def write_big(path: Path, n: int) -> None:
    rows = "".join(f"  <person>\n    <name>NAME{i:05d}, Person</name>\n"
                   f"    <alias>Alias {i:05d}</alias>\n  </person>\n" for i in range(n))
    path.write_text(f"<people>\n{rows}</people>\n", encoding="utf-8")


def test_a_large_xml_list_is_read_as_a_stream(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "big.xml"
    write_big(path, 2000)
    whole = read_file(path, "big.xml", lambda _w: None)
    assert isinstance(whole, ReadFile) and isinstance(whole.documents, tuple)
    monkeypatch.setattr(ingest, "LIST_STREAM_BYTES", 50_000)
    streamed = read_file(path, "big.xml", lambda _w: None)
    assert isinstance(streamed, ReadFile)
    assert isinstance(streamed.documents, StreamedDocuments)
    assert streamed.passages == whole.passages == 2000
    assert list(streamed.documents) == list(whole.documents)
    assert list(streamed.documents.part(500, 700)) == list(whole.documents)[500:700]


def test_cli_finds_an_xml_record_by_its_arabic_name(tmp_path: Path, run, monkeypatch) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "consolidated.xml").write_bytes((FIXTURES / "un_consolidated.xml").read_bytes())
    monkeypatch.chdir(tmp_path)
    r = run("index", "lists")
    assert r.code == 0, r.err
    (top, *_rest) = run("query", "شافي العجمي", "--json").json()
    assert (top["title"], top["record"], top["line_start"], top["line_end"]) == (
        "SHAFI SULTAN MOHAMMED AL-AJMI", 2, 18, 25)
    out = run("query", "Hajaj al-Ajmi").out
    assert "lists/consolidated.xml:4-17 (record 1)" in out
    aliases = run("aliases", "Hajjaj bin Fahd al-Ajmi").out
    assert "حجاج بن فهد العجمي" in aliases and "Abu Abd al-Rahman" in aliases


def test_entities_out_of_proportion_are_said_so() -> None:
    """A "billion laughs" file: expat refuses it, and the line says why (not merely "not
    well-formed")."""
    from searchdoc.readers import read

    levels = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{k} "{"".join(f"&l{k - 1};" for _ in range(10))}">' for k in range(1, 8)]
    data = (f'<?xml version="1.0"?><!DOCTYPE x [{"".join(levels)}]><list><p><name>Ali</name>'
            "</p><p><name>&l7;</name></p></list>").encode()
    warnings: list[str] = []
    list(read("l.xml", data, warnings.append))
    assert len(warnings) == 1
    assert warnings[0].startswith("XML entities expanding out of proportion at line 1 (")
