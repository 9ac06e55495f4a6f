"""Excel workbooks (readers/xlsx.py): sheets read as CSV lists are, a record per row, by
the records code; workbooks written by tests/readers/makers.py."""

from __future__ import annotations

from pathlib import Path

import makers
import pytest
from test_records import records as records_of

from searchdoc.errors import SkipFile
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
