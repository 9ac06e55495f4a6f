"""Excel workbooks (readers/xlsx.py): sheets read as CSV lists are, a record per row, by
the records code; workbooks written by tests/readers/makers.py."""

from __future__ import annotations

from pathlib import Path

import makers
import pytest
from test_records import records as records_of

from searchdoc.errors import SkipFile
from searchdoc.passages import build
from searchdoc.readers import detect, read

PEOPLE: list[list[object]] = [
    ["Name", "Aliases", "Name (Arabic)", "Program", "Born"],
    ["AL-MUSAWI, Ali Mussa Daqduq", "Hamid the Mute; Hamid Muhammad Jabur al-Lami",
     "علي موسى دقدوق", "SDGT", 1969],
    [None, None, None, None, None],  # an empty row: no record
    ["SOLEIMANI, Qasem", "Qassem Suleimani", "قاسم سليماني", "IRGC", 1957],
]


def test_an_xlsx_file_is_an_excel_workbook() -> None:
    data = makers.xlsx({"People": PEOPLE})
    assert detect("people.xlsx", data[:4096]).name == "excel"
    assert detect("report.docx", data[:4096]).name == "word"  # a zip: its name says which


@pytest.mark.parametrize("shared", [True, False])
def test_rows_are_records(shared: bool) -> None:
    found, warnings = records_of("people.xlsx", makers.xlsx({"People": PEOPLE}, shared=shared))
    assert warnings == []
    assert found == [
        (1, "AL-MUSAWI, Ali Mussa Daqduq", [(2, 2)], [
            ("Ali Mussa Daqduq AL-MUSAWI", 2, "name column"),
            ("Hamid the Mute", 2, "alias column"),
            ("Hamid Muhammad Jabur al-Lami", 2, "alias column"),
            ("علي موسى دقدوق", 2, "original script name")]),
        (2, "SOLEIMANI, Qasem", [(4, 4)], [
            ("Qasem SOLEIMANI", 4, "name column"),
            ("Qassem Suleimani", 4, "alias column"),
            ("قاسم سليماني", 4, "original script name")]),
    ]


def test_several_sheets_each_record_says_its_sheet() -> None:
    data = makers.xlsx({"Iraq": [["Name"], ["Qais al-Khazali"]],
                        "Lebanon": [["Name", "Born"], ["Hassan Nasrallah", 1960]]})
    docs = list(read("lists.xlsx", data, lambda _w: None))
    assert [(d.record, d.title) for d in docs] == [(1, "Qais al-Khazali"),
                                                   (2, "Hassan Nasrallah")]
    assert [line.text for line in docs[1].lines if line.text] == [
        "sheet: Lebanon", "Name: Hassan Nasrallah", "Born: 1960"]


def test_a_broken_workbook_is_skipped_with_one_line() -> None:
    data = makers.xlsx({"People": PEOPLE})
    with pytest.raises(SkipFile, match="not a readable Excel workbook"):
        list(read("people.xlsx", data[: len(data) // 2], lambda _w: None))
    with pytest.raises(SkipFile, match="no row in it"):
        list(read("empty.xlsx", makers.xlsx({"Empty": []}), lambda _w: None))


def test_cli_finds_a_row_of_a_workbook(tmp_path: Path, run, monkeypatch) -> None:
    (tmp_path / "people.xlsx").write_bytes(makers.xlsx({"People": PEOPLE}))
    monkeypatch.chdir(tmp_path)
    r = run("index", ".")
    assert r.code == 0, r.err
    (top, *_rest) = run("query", "Ghasem Soleimani", "--json").json()
    assert (top["source"], top["record"], top["line_start"]) == ("people.xlsx", 2, 4)
    assert "people.xlsx:4 (record 2)" in run("query", "قاسم سليماني").out


def test_dates_are_iso_dates() -> None:
    import datetime

    rows: list[list[object]] = [
        ["Name", "Date of Birth", "Listed on", "Count"],
        ["DAQDUQ, Ali Musa", datetime.date(1969, 7, 9), datetime.datetime(2012, 11, 16, 14, 30),
         25394],
        ["SOLEIMANI, Qasem", datetime.date(1900, 1, 1), datetime.date(1957, 3, 11), 3],
    ]
    data = makers.xlsx({"People": rows})
    texts = [p.text for raw in read("people.xlsx", data, print) for p in build(raw).passages]
    assert texts == [
        "Name: DAQDUQ, Ali Musa\nDate of Birth: 1969-07-09\nListed on: 2012-11-16 14:30\n"
        "Count: 25394",
        "Name: SOLEIMANI, Qasem\nDate of Birth: 1900-01-01\nListed on: 1957-03-11\nCount: 3",
    ]  # a number without a date format stays a number


@pytest.mark.parametrize(
    ("code", "is_date"),
    [("dd/mm/yyyy", True), ("[$-409]mmmm d, yyyy;@", True), ("h:mm AM/PM", True),
     ('"Day" 0.00', False), ("0.00%", False), ("#,##0", False), ("[Red]0.0", False),
     ("General", False)],
)
def test_a_format_of_the_workbook_is_a_date_by_its_codes(code: str, is_date: bool) -> None:
    from searchdoc.readers.xlsx import _is_date_format

    assert _is_date_format(code) is is_date


def test_a_sheet_without_a_header_row() -> None:
    rows: list[list[object]] = [
        [36, 12, "aka", "AL-NASER, Fahd"],
        [9639, 7771, "aka", "HANIYA, Ismail"],
        [9639, 7772, "fka", "HANIYYA, Ismail"],
    ]
    found, warnings = records_of("alt.xlsx", makers.xlsx({"alt": rows}))
    assert warnings == []
    assert [(n, title, lines) for n, title, lines, _names in found] == [
        (1, "AL-NASER, Fahd", [(1, 1)]), (2, "HANIYA, Ismail", [(2, 2)]),
        (3, "HANIYYA, Ismail", [(3, 3)])]
    assert found[1][3] == [("Ismail HANIYA", 2, "name column")]
