"""Lists of records (readers/records.py): each format over tests/fixtures/records/, the
name-column spellings, FollowTheMoney entities, bad inputs, large lists read as streams,
and the whole OFAC SDN list of ../shared/data written as CSV, JSON, one-line JSON and
JSON Lines (skipped when ../shared/data is absent)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from conftest import SHARED_DATA
from searchdoc import ingest
from searchdoc.errors import SkipFile
from searchdoc.ingest import ReadFile, StreamedDocuments, read_file
from searchdoc.names.columns import column_key, column_role
from searchdoc.names.order import natural_order
from searchdoc.passages import build
from searchdoc.readers import detect, read

FIXTURES = Path(__file__).parent.parent / "fixtures" / "records"
SDN = SHARED_DATA / "sdn_individuals.tsv"
SDN_ALIASES = SHARED_DATA / "sdn_aliases_dev.tsv"


def records(name: str, data: bytes | None = None) -> tuple[list, list[str]]:
    """(record, title, (line_start, line_end) of each passage, names as (name, line, how))
    of each document of a fixture, and the warnings."""
    warnings: list[str] = []
    data = (FIXTURES / name).read_bytes() if data is None else data
    out = []
    for raw in read(name, data, warnings.append):
        doc = build(raw)
        out.append((raw.record, doc.title, [(p.line_start, p.line_end) for p in doc.passages],
                    [(n.name, n.line, n.how) for n in raw.names]))
    return out, warnings


def texts(name: str) -> list[str]:
    data = (FIXTURES / name).read_bytes()
    return [p.text for raw in read(name, data, lambda _w: None) for p in build(raw).passages]


# --------------------------------------------------------------------------- each format


def test_csv() -> None:
    found, warnings = records("people.csv")
    assert found == [
        (1, "AL-MUSAWI, Ali Mussa Daqduq", [(2, 3)], [
            ("Ali Mussa Daqduq AL-MUSAWI", 2, "name column"),
            ("Hamid Muhammad Jabur al-Lami", 2, "alias column"),
            ("Husayn Muhammad Jabur al-Musui", 2, "alias column")]),
        (2, "ABBAS, Abu", [(4, 4)], [("Abu ABBAS", 4, "name column"),
                                     ("ZAYDAN Muhammad", 4, "alias column")]),
        (3, "SOLEIMANI, Qasem", [(5, 5)], [("Qasem SOLEIMANI", 5, "name column"),
                                           ("Qassem Suleimani", 5, "alias column"),
                                           ("Ghasem Soleymani", 5, "alias column")]),
        (4, "SDGT", [(6, 6)], []),  # no name: titled by its first text column
    ]
    assert warnings == [
        "1 row(s) without the 6 columns of the header (lines 5): read as they are",
        "1 record(s) without a name (first: record 4): titled by another column",
    ]


def test_a_record_is_its_own_lines_and_nothing_is_cut_out_as_a_citation() -> None:
    first, _abbas, soleimani, _nameless = texts("people.csv")
    assert first == (
        "ent_num: 15584\n"
        "Name: AL-MUSAWI, Ali Mussa Daqduq\n"
        "A.K.A.: Hamid Muhammad Jabur al-Lami; Husayn Muhammad Jabur al-Musui\n"
        "Program: SDGT\n"
        "DOB: 01 Sep 1969\n"
        "Remarks: Hezbollah commander; see "
        "www.treasury.gov/press-center/press-releases/Pages/jl2147.aspx")
    assert soleimani.endswith("\ncolumn 7: extra cell")  # a ragged row loses nothing


def test_tsv_with_name_parts_and_an_arabic_name_column() -> None:
    found, warnings = records("people.tsv")
    assert found == [
        (1, "Hassan Nasrallah", [(2, 2)], [("Hassan Nasrallah", 2, "name columns"),
                                           ("حسن نصر الله", 2, "original script name")]),
        (2, "Qasem Soleimani", [(3, 3)], [("Qasem Soleimani", 3, "name columns"),
                                          ("قاسم سليماني", 3, "original script name")]),
    ]
    assert warnings == []


def test_json_array_each_object_its_lines() -> None:
    found, warnings = records("people.json")
    assert found == [
        (1, "Abu Mahdi al-Muhandis", [(2, 8)], [
            ("Abu Mahdi al-Muhandis", 4, "name column"),
            ("Jamal Jaafar Ibrahimi", 5, "alias column"),
            ("جمال جعفر محمد علي آل إبراهيم", 5, "alias column")]),
        (2, "Qais al-Khazali", [(9, 9)], [("Qais al-Khazali", 9, "name columns")]),
    ]
    raw = next(read("people.json", (FIXTURES / "people.json").read_bytes(), lambda _w: None))
    assert [(f.key, f.value, f.line) for f in raw.fields] == [
        ("uid", "P-1", 3), ("birth.date", "1954-07-01", 6), ("birth.place", "Basra", 6),
        ("nationality", "Iraq", 7)]
    assert warnings == []


def test_json_lines_a_bad_line_is_skipped_and_counted() -> None:
    found, warnings = records("people.jsonl")
    assert found == [
        (1, "Daqduq, Ali Musa", [(1, 1)], [("Ali Musa Daqduq", 1, "name column"),
                                           ("Hamid the Mute", 1, "alias column")]),
        (2, "Laith al-Khazali", [(2, 2)], [("Laith al-Khazali", 2, "name column")]),
        # the bad line is record 3 of the list: positions stay those of the file
        (4, "Qais al-Khazali", [(5, 5)], [("Qais al-Khazali", 5, "name column"),
                                          ("Qays al-Khazali", 5, "alias column")]),
    ]
    assert warnings == ["1 line(s) that are not JSON (lines 3), skipped"]


def test_followthemoney_entities_as_opensanctions_publishes_them() -> None:
    """entities.ftm.json: JSON Lines under a .json name; names from the properties."""
    found, warnings = records("opensanctions.ftm.json")
    assert found == [
        (1, "Abu Mahdi al-Muhandis", [(1, 1)], [
            ("Abu Mahdi al-Muhandis", 1, "name column"),
            ("Jamal Jaafar Ibrahimi", 1, "alias column"),
            ("Jamal Jafaar Mohammed Ali Al Ibrahim", 1, "previous name"),
            ("Abu Mahdi", 1, "weak alias")]),
        (2, "Sanction NK-def", [(2, 2)], []),  # an entity that names no one: no warning
        (3, "Hassan Nasrallah", [(3, 3)], [("Hassan Nasrallah", 3, "name columns")]),
    ]
    assert warnings == []
    first = texts("opensanctions.ftm.json")[0]
    assert first == (
        "id: NK-abc\nschema: Person\nname: Abu Mahdi al-Muhandis\nalias: Jamal Jaafar Ibrahimi\n"
        "weakAlias: Abu Mahdi\npreviousName: Jamal Jafaar Mohammed Ali Al Ibrahim\n"
        "birthDate: 1954-07-01\nnationality: iq\ntopics: sanction\ndatasets: us_ofac_sdn")
    # bookkeeping (caption, referents, first_seen, last_seen) is not the person's record
    assert "referents" not in first and "first_seen" not in first


@pytest.mark.parametrize("name, expected", [
    ("object_of_objects.json", [(1, "Hassan Nasrallah", [(2, 2)]),
                                (2, "Qasem Soleimani", [(3, 3)])]),
    ("wrapper.json", [(1, "Hassan Nasrallah", [(2, 2)]), (2, "Qasem Soleimani", [(3, 3)])]),
    ("oneline.json", [(1, "AL-MUSAWI, Ali Mussa Daqduq", [(1, 1)]),
                      (2, "SOLEIMANI, Qasem", [(1, 1)]), (3, "NASRALLAH, Hasan", [(1, 1)])]),
    ("lines.txt", [(1, "Hassan Nasrallah", [(1, 1)]), (2, "Naim Qassem", [(2, 2)])]),
])
def test_other_json_shapes(name: str, expected: list) -> None:
    found, warnings = records(name)
    assert [(r, t, spans) for r, t, spans, _n in found] == expected
    assert warnings == []


def test_an_object_of_objects_files_each_under_its_key() -> None:
    assert texts("object_of_objects.json")[1] == "id: Q456\nname: Qasem Soleimani\nborn: 1957"


@pytest.mark.parametrize("path, head, fmt", [
    ("a.csv", b"name\n", "csv"),
    ("a.TSV", b"name\n", "tsv"),
    ("a.json", b"[]", "json"),
    ("a.jsonl", b"{}", "jsonl"),
    ("a.ndjson", b"{}", "jsonl"),
    ("list.txt", b'{"name": "A B"}\n{"name": "C D"}\n', "jsonl"),  # JSON Lines named .txt
    ("export", b'[\n  {"name": "A B"}', "jsonl"),  # a JSON array without an extension
    ("notes.txt", b"{curly} notes\nmore\n", "text"),
    ("notes.txt", b"[1] A footnote.\n", "text"),
    ("notes.txt", b'{"name": "A B"} and prose after it\n', "text"),
])
def test_detection(path: str, head: bytes, fmt: str) -> None:
    assert detect(path, head).name == fmt


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize("header, role", [
    ("name", "name"), ("Name", "name"), ("NAME", "name"), ("full_name", "name"),
    ("FullName", "name"), ("Full Name", "name"), ("SDN_Name", "name"), ("caption", "name"),
    ("الاسم", "name"),
    ("first_name", "given"), ("FirstName", "given"), ("Given Names", "given"),
    ("forename", "given"), ("Prénom", "given"),
    ("middle_name", "middle"), ("MiddleName", "middle"),
    ("last_name", "family"), ("LastName", "family"), ("surname", "family"),
    ("Family Name", "family"), ("sur name", "family"),
    ("alias", "alias"), ("Aliases", "alias"), ("aka", "alias"), ("AKA", "alias"),
    ("a.k.a.", "alias"), ("A.K.A", "alias"), ("alt_names", "alias"), ("Other Names", "alias"),
    ("also known as", "alias"), ("nicknames", "alias"), ("الكنية", "alias"),
    ("weakAlias", "weak"), ("weak_aliases", "weak"), ("low quality aka", "weak"),
    ("previousName", "previous"), ("former names", "previous"),
    ("original_script_name", "script"), ("Original Script Name", "script"),
    ("native name", "script"), ("name_ar", "script"), ("nameAr", "script"),
    ("Arabic Name", "script"), ("name in Arabic", "script"), ("Name (Arabic)", "script"),
    ("name_fa", "script"), ("Persian name", "script"),
    ("id", "id"), ("ID", "id"), ("uid", "id"), ("ent_num", "id"), ("entity_id", "id"),
    ("EntityID", "id"), ("reference", "id"),
    ("program", None), ("remarks", None), ("nationality", None), ("date_of_birth", None),
    ("company name", None), ("father_name", None), ("title", None), ("named", None),
])
def test_name_column_spellings(header: str, role: str | None) -> None:
    assert column_role(header) == role


@pytest.mark.parametrize("header, key", [
    ("weakAlias", "weak alias"), ("A.K.A.", "a k a"), ("Prénom", "prenom"),
    ("name_ar", "name ar"), ("Name (Arabic)", "name arabic"), ("SDN_Name", "sdn name"),
])
def test_column_key(header: str, key: str) -> None:
    assert column_key(header) == key


def csv_names(header: str, row: str) -> list[tuple[str, str]]:
    data = f"{header}\n{row}\n".encode()
    raw = next(read("x.csv", data, lambda _w: None))
    return [(n.name, n.how) for n in raw.names]


@pytest.mark.parametrize("header, row, names", [
    # one name per piece of a multi-valued cell, each in natural order
    ("name,aliases", '"SOLEIMANI, Qasem","Qassem Suleimani; Ghasem Soleymani | قاسم سليماني"',
     [("Qasem SOLEIMANI", "name column"), ("Qassem Suleimani", "alias column"),
      ("Ghasem Soleymani", "alias column"), ("قاسم سليماني", "alias column")]),
    ("name,aka", '"Soleimani, Qasem","Abu Ahmad, Abu Muhammad"',
     [("Qasem Soleimani", "name column"), ("Abu Ahmad", "alias column"),
      ("Abu Muhammad", "alias column")]),
    ("name,aka", '"Daqduq, Ali Musa","DAQDUQ, Ali"',
     [("Ali Musa Daqduq", "name column"), ("Ali DAQDUQ", "alias column")]),
    # given names then family, whatever the order of the columns
    ("surname,middle_name,first_name", "Daqduq,Musa,Ali", [("Ali Musa Daqduq", "name columns")]),
    # a full name and its parts: the full name is the title, the parts one more name
    ("full_name,first_name,last_name", "Hassan Nasrallah,Hasan,Nasrallah",
     [("Hassan Nasrallah", "name column"), ("Hasan Nasrallah", "name columns")]),
    ("name,weak_alias,original_script_name", "Abu Mahdi al-Muhandis,Abu Mahdi,أبو مهدي المهندس",
     [("Abu Mahdi al-Muhandis", "name column"), ("أبو مهدي المهندس", "original script name"),
      ("Abu Mahdi", "weak alias")]),
    # LAST, First where the family name begins with a particle: one alias, not two (the
    # UN list's "Es Sayed, Kader" was "Es Sayed" and a "Kader" alone)
    ("name,aka", '"Abd El Kader Mahmoud Mohamed El Sayed","Es Sayed, Kader"',
     [("Abd El Kader Mahmoud Mohamed El Sayed", "name column"),
      ("Kader Es Sayed", "alias column")]),
    ("name,aka", '"Ramzi Mohamed Abdullah Binalshibh","Bin Al Shibh, Ramzi; de la Cruz, Juan"',
     [("Ramzi Mohamed Abdullah Binalshibh", "name column"),
      ("Ramzi Bin Al Shibh", "alias column"), ("Juan de la Cruz", "alias column")]),
    ("name,aka", '"Ahmad Al Tanzani","Al Taibah, Intl."',
     [("Ahmad Al Tanzani", "name column"), ("Al Taibah", "alias column"),
      ("Intl", "alias column")]),
    ("program,remarks", "SDGT,nothing about a name", []),
    ("name,aliases", '"Hassan Nasrallah","-"', [("Hassan Nasrallah", "name column")]),
])
def test_names_of_a_row(header: str, row: str, names: list[tuple[str, str]]) -> None:
    assert csv_names(header, row) == names


def test_a_list_without_a_header_row() -> None:
    """OFAC's sdn.csv has no header: a first row of data (a number) is a record too."""
    data = b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA"\n173,"ANGLO-CARIBBEAN CO., LTD.",-0- ,"CUBA"\n'
    found, warnings = records("sdn.csv", data)
    assert [(r, t) for r, t, _s, _n in found] == [(1, "AEROCARIBBEAN AIRLINES"),
                                                 (2, "ANGLO-CARIBBEAN CO., LTD.")]
    assert texts_of("sdn.csv", data)[0] == "id: 36\nname: AEROCARIBBEAN AIRLINES\ncolumn 4: CUBA"
    assert warnings == []


def texts_of(name: str, data: bytes) -> list[str]:
    return [p.text for raw in read(name, data, lambda _w: None) for p in build(raw).passages]


@pytest.mark.parametrize("data, delimiter", [
    (b"name;alias\nHassan Nasrallah;Sayyed Hassan\n", ";"),
    (b"name|alias\nHassan Nasrallah|Sayyed Hassan\n", "|"),
    (b"name\talias\nHassan Nasrallah\tSayyed Hassan\n", "\t"),
    (b'name,alias\n"Nasrallah, Hassan","Sayyed Hassan"\n', ","),
])
def test_the_delimiter_is_sniffed(data: bytes, delimiter: str) -> None:
    found, _w = records("list.csv", data)
    assert found[0][3][-1] == ("Sayyed Hassan", 2, "alias column")


# --------------------------------------------------------------------------- long records


def test_a_long_record_is_several_passages_of_that_record_alone() -> None:
    remarks = " ".join(f"word{i}" for i in range(600))
    data = (f'name,remarks\n"SOLEIMANI, Qasem","{remarks}"\n"NASRALLAH, Hasan",short\n').encode()
    docs = [build(raw, 0) for raw in read("long.csv", data, lambda _w: None)]
    long, short = docs
    assert len(long.passages) == 4 and len(short.passages) == 1
    assert all(p.record == 1 and p.title == "SOLEIMANI, Qasem" and p.kind == "record"
               and len(p.text.split()) <= 250 for p in long.passages)
    assert [(p.line_start, p.line_end) for p in long.passages] == [(2, 2)] * 4
    assert " ".join(p.text for p in long.passages).split()[-1] == "word599"
    assert "NASRALLAH" not in " ".join(p.text for p in long.passages)


# --------------------------------------------------------------------------- bad inputs


def test_a_json_file_that_does_not_parse_is_read_as_text() -> None:
    found, warnings = records("broken.json")
    assert warnings == ["not valid JSON (line 1: Expecting property name enclosed in double "
                        "quotes): read as text"]
    assert [(r, spans) for r, _t, spans, _n in found] == [(None, [(1, 2)])]
    assert "Notes about Hassan Nasrallah" in texts("broken.json")[0]


def test_a_json_list_broken_after_its_first_records_keeps_them() -> None:
    data = b'[{"name": "Hassan Nasrallah"},\n {"name": "Qasem Soleimani"},\n {"name": oops}]'
    found, warnings = records("cut.json", data)
    assert [(r, t) for r, t, _s, _n in found] == [(1, "Hassan Nasrallah"), (2, "Qasem Soleimani")]
    assert warnings == ["not valid JSON (line 3: Expecting value); the 2 record(s) before it "
                        "are indexed, the rest skipped"]


@pytest.mark.parametrize("name, data, reason", [
    ("a.csv", b"name\x00\x01\x02\x00", "binary file, skipped"),
    ("a.json", b"%PDF-1.4\n%\xe2\xe3", "not a readable PDF (damaged or truncated), skipped"),
    ("a.csv", b"  \n\n", "empty file, skipped"),
])
def test_files_that_are_no_list(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(SkipFile) as e:
        list(read(name, data, lambda _w: None))
    assert str(e.value) == reason


def test_a_json_file_without_objects_is_read_as_text() -> None:
    found, warnings = records("names.json", b'["Hassan Nasrallah", "Qasem Soleimani"]\n')
    assert warnings == ["a JSON array without objects: read as text"]
    assert [r for r, *_rest in found] == [None]


def test_undecodable_bytes_in_a_list_are_replaced_and_said_once() -> None:
    data = "name,city\nHassan Nasrallah,Beyrouth\nAli Daqduq,Qu\xe9bec\n".encode("latin-1")
    found, warnings = records("latin1.csv", data)
    assert [t for _r, t, _s, _n in found] == ["Hassan Nasrallah", "Ali Daqduq"]
    assert warnings == ["invalid UTF-8 at line 3; 1 undecodable byte sequence(s) replaced"]


def test_a_one_line_json_list_of_2_mb_is_read(tmp_path: Path) -> None:
    """The line limit of text (a million characters) is no limit for a list."""
    rows = [{"name": f"Person Number{i}", "ent_num": str(i), "remarks": "x" * 200}
            for i in range(8000)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    assert path.stat().st_size > 2_000_000 and path.read_bytes().count(b"\n") == 0
    got = read_file(path, "big.json", lambda _w: None)
    assert isinstance(got, ReadFile)
    assert len(got.documents) == 8000 and got.passages == 8000
    last = list(got.documents)[-1]
    assert (last.record, last.passages[0].line_start, last.title) == (8000, 1, "Person Number7999")


# --------------------------------------------------------------------------- streams


def write_sdn_like(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"r{i}", "schema": "Person", "properties": {
                "name": [f"Person Number{i} Testname"], "notes": ["y" * 100]}}) + "\n")


def test_a_large_list_is_streamed_from_its_file(tmp_path: Path, monkeypatch) -> None:
    """Over LIST_STREAM_BYTES, a list's documents are never held: they are read again from
    the file each time they are walked, with the same passage numbers."""
    path = tmp_path / "big.jsonl"
    write_sdn_like(path, 3000)
    whole = read_file(path, "big.jsonl", lambda _w: None)
    assert isinstance(whole, ReadFile) and isinstance(whole.documents, tuple)  # under the limit: read whole
    monkeypatch.setattr(ingest, "LIST_STREAM_BYTES", 100_000)
    monkeypatch.setattr(ingest, "read_bytes", lambda _p: pytest.fail("read whole"),
                        raising=False)
    streamed = read_file(path, "big.jsonl", lambda _w: None)
    assert isinstance(streamed, ReadFile)
    assert isinstance(streamed.documents, StreamedDocuments)
    assert streamed.digest == whole.digest and streamed.passages == whole.passages == 3000
    assert streamed.title == "list of 3,000 records"
    assert list(streamed.documents) == list(whole.documents)
    # a part of it, as a writer process indexes it: the same documents, the same numbers
    part = streamed.documents.part(1000, 1500)
    assert list(part) == list(whole.documents)[1000:1500]
    assert part.passages == 500


def test_a_list_changed_while_it_is_indexed_stops_the_run(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "big.jsonl"
    write_sdn_like(path, 2000)
    monkeypatch.setattr(ingest, "LIST_STREAM_BYTES", 100_000)
    streamed = read_file(path, "big.jsonl", lambda _w: None)
    assert isinstance(streamed, ReadFile)
    write_sdn_like(path, 2001)
    with pytest.raises(OSError, match=r"big\.jsonl changed while it was being indexed"):
        list(streamed.documents)


def test_a_large_list_is_indexed_by_two_processes(tmp_path: Path, monkeypatch, run) -> None:
    """One list of many records is cut into runs of records, one per writer process; the
    index answers as one built by one process."""
    import searchdoc.index.writers as index_mod
    from searchdoc import store
    from searchdoc.index.handle import open_index

    path = tmp_path / "big.jsonl"
    write_sdn_like(path, 3000)
    monkeypatch.setattr(ingest, "LIST_STREAM_BYTES", 100_000)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(index_mod, "PARALLEL_MIN_BYTES", 10)
    monkeypatch.setattr(index_mod, "cpu_count", lambda: 2)
    assert run("index", "big.jsonl", "--index", "two").code == 0
    # a writer process starts a new segment beyond MAX_SEGMENT_PASSAGES: its memory is
    # bounded whatever the length of the list
    monkeypatch.setattr(store, "MAX_SEGMENT_PASSAGES", 1000)
    assert run("index", "big.jsonl", "--index", "small-segments").code == 0
    monkeypatch.setattr(index_mod, "PARALLEL_MIN_BYTES", 10**12)
    assert run("index", "big.jsonl", "--index", "one").code == 0
    sizes = {}
    for name in ("two", "small-segments", "one"):
        with open_index(tmp_path / name) as handle:
            sizes[name] = handle.reader.segment_sizes()
    assert sizes == {"two": [1500, 1500], "small-segments": [1000, 500, 1000, 500],
                     "one": [1000, 1000, 1000]}
    for q in ("Number2999 Testname", "Person Number17"):
        a, b, c = (run("query", q, "--json", "--index", name).json()
                   for name in ("two", "small-segments", "one"))
        assert [(h["passage"], h["score"], h["record"]) for h in a] == \
            [(h["passage"], h["score"], h["record"]) for h in b] == \
            [(h["passage"], h["score"], h["record"]) for h in c]


# --------------------------------------------------------------------------- the CLI


@pytest.fixture
def lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run) -> Path:
    """The fixtures indexed (the working directory holds them)."""
    import shutil

    shutil.copytree(FIXTURES, tmp_path / "lists")
    monkeypatch.chdir(tmp_path)
    r = run("index", "lists")
    assert r.code == 0, r.err
    return tmp_path


def test_index_reports_one_line_per_kind_of_problem(lists: Path, run) -> None:
    r = run("index", "lists", "--rebuild")
    assert r.err.splitlines() == [
        "searchdoc: lists/broken.json: not valid JSON (line 1: Expecting property name "
        "enclosed in double quotes): read as text",
        "searchdoc: lists/people.csv: 1 row(s) without the 6 columns of the header (lines 5): "
        "read as they are",
        "searchdoc: lists/people.csv: 1 record(s) without a name (first: record 4): titled by "
        "another column",
        "searchdoc: lists/people.jsonl: 1 line(s) that are not JSON (lines 3), skipped",
        "searchdoc: indexed: 11 added, 0 updated, 0 removed, 0 unchanged, 0 skipped "
        "(27 passages)",
    ]


def test_a_query_finds_the_row_in_another_spelling_with_its_line(lists: Path, run) -> None:
    top = run("query", "Qassim Sulaymani", "--json", "--source", "people.csv").json()[0]
    assert (top["source"], top["record"], top["line_start"], top["line_end"], top["kind"]) == (
        "lists/people.csv", 3, 5, 5, "record")
    assert top["title"] == "SOLEIMANI, Qasem"
    assert "ABBAS" not in top["text"] and "Daqduq" not in top["text"]  # no neighbour in it


def test_a_record_of_a_one_line_list_is_cited_by_its_position(lists: Path, run) -> None:
    hits = run("query", "Hasan Nasrallah", "--json", "--source", "oneline.json").json()
    assert [(h["record"], h["line_start"]) for h in hits] == [(3, 1)]
    out = run("query", "Hasan Nasrallah", "--source", "oneline.json").out
    assert out.splitlines()[:2] == ["1. NASRALLAH, Hasan",
                                    "   lists/oneline.json record 3  score "
                                    f"{hits[0]['score']:.2f}  name "
                                    f"{hits[0]['name_score']:.2f}  id lists/oneline.json#2"]
    out = run("query", "Ghasem Soleymani", "--source", "people.csv").out
    assert "lists/people.csv:5 (record 3)" in out.splitlines()[1]
    assert out.splitlines()[2:5] == ["    ent_num: 10481", "    Name: SOLEIMANI, Qasem",
                                     "    A.K.A.: Qassem Suleimani|**Ghasem** **Soleymani**"]


def test_show_a_record_with_its_neighbours(lists: Path, run) -> None:
    shown = run("show", "lists/people.csv#1", "-C", "1", "--json").json()
    assert [(p["record"], p["focus"], p["line_start"]) for p in shown] == [
        (1, False, 2), (2, True, 4), (3, False, 5)]
    out = run("show", "lists/people.csv#1").out
    assert out.splitlines()[0] == "> lists/people.csv#1  lists/people.csv:4 (record 2)"


def test_each_record_is_its_own_person(lists: Path, run) -> None:
    r = run("aliases", "Ghasem Soleymani", "--json")
    assert r.code == 0
    people = r.json()
    csv_row = [e for e in people if "lists/people.csv" in e["sources"]]
    assert len(csv_row) == 1
    names = {n["name"] for n in csv_row[0]["names"]}
    assert {"Qasem SOLEIMANI", "Qassem Suleimani", "Ghasem Soleymani"} <= names
    assert not names & {"Abu ABBAS", "Ali Mussa Daqduq AL-MUSAWI", "ZAYDAN Muhammad"}
    stated = [s for n in csv_row[0]["names"] for s in n["stated_in"]
              if s["source"] == "lists/people.csv"]
    assert {(s["line"], s["record"]) for s in stated} == {(5, 3)}


# --------------------------------------------------------------------------- the SDN list


def sdn_rows() -> list[dict[str, str]]:
    with open(SDN, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def write_sdn(rows: list[dict[str, str]], fmt: str, folder: Path) -> Path:
    """The SDN individuals as a list: CSV, a pretty JSON array, a JSON array on one line,
    FollowTheMoney JSON Lines. Never their aliases: those are the other spellings
    queried."""
    folder.mkdir(parents=True, exist_ok=True)
    objects = [{"ent_num": r["ent_num"], "name": r["listing"], "program": r["program"],
                "title": r["title"], "remarks": r["remarks"]} for r in rows]
    if fmt == "csv":
        path = folder / "sdn.csv"
        with open(path, "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fieldnames=list(objects[0]))
            w.writeheader()
            w.writerows(objects)
    elif fmt == "json":
        path = folder / "sdn.json"
        path.write_text(json.dumps(objects, indent=2, ensure_ascii=False), encoding="utf-8")
    elif fmt == "oneline":
        path = folder / "sdn-oneline.json"
        path.write_text(json.dumps(objects, ensure_ascii=False), encoding="utf-8")
    elif fmt == "xml":  # as OFAC exports it (sdn.xml): names in parts, programs in a list
        from xml.sax.saxutils import escape

        path = folder / "sdn.xml"
        out = ['<?xml version="1.0" standalone="yes"?>',
               '<sdnList xmlns="http://tempuri.org/sdnList.xsd">']
        for r in rows:
            last, _sep, first = r["listing"].partition(", ")
            out += ["  <sdnEntry>", f"    <uid>{r['ent_num']}</uid>",
                    f"    <lastName>{escape(last)}</lastName>"]
            out += [f"    <firstName>{escape(first)}</firstName>"] if first else []
            out += [f"    <programList><program>{escape(r['program'])}</program></programList>",
                    f"    <remarks>{escape(r['remarks'])}</remarks>", "  </sdnEntry>"]
        out.append("</sdnList>")
        path.write_text("\n".join(out) + "\n", encoding="utf-8")
    else:
        path = folder / "sdn.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps({"id": f"ofac-{r['ent_num']}", "schema": "Person",
                                     "properties": {"name": [natural_order(r["listing"])],
                                                    "program": [r["program"]],
                                                    "notes": [r["remarks"]]}},
                                    ensure_ascii=False) + "\n")
    return path


SDN_FORMATS = ["csv", "json", "oneline", "jsonl", "xml"]


@pytest.fixture(scope="module", params=SDN_FORMATS)
def sdn_index(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """The whole SDN list in one format, indexed once per format."""
    if not SDN.exists():
        pytest.skip("../shared/data is not beside the repository")
    from searchdoc.index.update import update

    root = tmp_path_factory.mktemp(f"sdn-{request.param}")
    rows = sdn_rows()
    path = write_sdn(rows, request.param, root / "lists")
    summary = update(root / "index", [str(path)])
    assert summary.passages == len(rows) == 4643
    return request.param, root, rows


def ask(root: Path, run, monkeypatch, *args: str):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(root)
    return run(*args, "--index", str(root / "index"))


# Other spellings of listed names, and the same names in Arabic script: (query, ent_num).
# (قاسم سليماني finds QASEMI, Rostam first: his remarks say "Linked To: SOLEIMANI, Qasem",
# and a record's name, its title, does not yet count more than its remarks: issue [1/5].)
SPELLINGS = [
    ("Qassem Suleimani", "10481"),
    ("Ali Musa Daqduq al-Musawi", "15584"),
    ("Abu Mahdi al-Mohandes", "11461"),
    ("حسن نصر الله", "2686"),
    ("علي موسى دقدوق", "15584"),
]


@pytest.mark.parametrize("query, ent_num", SPELLINGS)
def test_sdn_another_spelling_finds_that_row_first(sdn_index, run, monkeypatch, query: str,
                                                   ent_num: str) -> None:
    fmt, root, rows = sdn_index
    position = next(i for i, r in enumerate(rows, 1) if r["ent_num"] == ent_num)
    top = ask(root, run, monkeypatch, "query", query, "--json").json()[0]
    assert top["record"] == position
    listing = rows[position - 1]["listing"]
    if fmt == "xml":  # the name in its parts, each on its line
        assert all(part in top["text"] for part in listing.split(", "))
    else:
        assert listing in top["text"] or natural_order(listing) in top["text"]
    # the row's own line: the header is line 1 of the CSV; a pretty JSON object spans lines
    expected_line = {"csv": position + 1, "oneline": 1, "jsonl": position}.get(fmt)
    if expected_line is not None:
        assert top["line_start"] == top["line_end"] == expected_line
    elif fmt == "xml":  # from the entry's start tag to its end tag
        lines = (root / "lists" / "sdn.xml").read_text(encoding="utf-8").splitlines()
        assert lines[top["line_start"] - 1].strip() == "<sdnEntry>"
        assert lines[top["line_end"] - 1].strip() == "</sdnEntry>"
    else:
        assert top["line_end"] - top["line_start"] == 6  # "{", five keys, "}"
    # nothing of its neighbours
    others = {rows[i]["ent_num"] for i in (position - 2, position) if 0 <= i < len(rows)}
    assert not any(f"ent_num: {e}\n" in top["text"] or f"ofac-{e}\n" in top["text"]
                   for e in others)
    assert top["text"].count("program: ") == 1


def test_sdn_variant_spellings_find_their_rows(sdn_index, monkeypatch) -> None:
    """The published aliases spelled unlike the listing (kind "variant"): their row first
    for most of them, as for one document per person (benchmarks/names.py)."""
    from searchdoc.index.handle import open_index
    from searchdoc.search import Searcher

    _fmt, root, rows = sdn_index
    position = {r["ent_num"]: i for i, r in enumerate(rows, 1)}
    with open(SDN_ALIASES, encoding="utf-8", newline="") as fh:
        cases = [(r["query"], position[r["ent_num"]]) for r in
                 csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
                 if r["kind"] == "variant" and r["ent_num"] in position]
    with open_index(root / "index") as handle, Searcher(handle.reader, handle.entity_index) as s:
        firsts = [s.search(q, limit=1) for q, _p in cases]
    right = sum(1 for hits, (_q, p) in zip(firsts, cases) if hits and hits[0].passage.record == p)
    assert len(cases) == 256 and right / len(cases) >= 0.75


def test_sdn_aliases_of_a_row_is_that_person_alone(sdn_index, run, monkeypatch) -> None:
    _fmt, root, rows = sdn_index
    for listing in ("AL-MUSAWI, Ali Mussa Daqduq", "SOLEIMANI, Qasem", "NASRALLAH, Hasan"):
        position = next(i for i, r in enumerate(rows, 1) if r["listing"] == listing)
        people = ask(root, run, monkeypatch, "aliases", natural_order(listing), "--json").json()
        assert len(people) == 1
        records = {s["record"] for n in people[0]["names"] for s in n["stated_in"]}
        assert records == {position}


def test_sdn_the_largest_entity_is_one_person(sdn_index, run, monkeypatch) -> None:
    _fmt, root, _rows = sdn_index
    everyone = ask(root, run, monkeypatch, "aliases", "--all", "--json").json()
    assert len(everyone) == 4643  # each row its own person: different ent_nums, one list
    largest = max(everyone, key=lambda e: len(e["names"]))
    assert len({s["record"] for n in largest["names"] for s in n["stated_in"]}) == 1


def test_a_json_lines_line_too_long_is_skipped_and_the_rest_read(monkeypatch) -> None:
    import searchdoc.readers.records as records_mod

    monkeypatch.setattr(records_mod, "MAX_VALUE_CHARS", 1000)
    monkeypatch.setattr(records_mod, "_CHUNK", 256)
    data = (b'{"name": "Hassan Nasrallah"}\n{"name": "' + b"x" * 5000 + b'"}\n'
            b'{"name": "Qasem Soleimani"}\n')
    found, warnings = records("long.jsonl", data)
    assert [(r, t, spans) for r, t, spans, _n in found] == [
        (1, "Hassan Nasrallah", [(1, 1)]), (3, "Qasem Soleimani", [(3, 3)])]
    assert warnings == ["1 line(s) that are not JSON (lines 2), skipped"]


# --------------------------------------------------------------------------- no header row

ALT = (  # OFAC's alt.csv as published: no header row, the first line is data
    '36,12,"aka","AL-NASER, Fahd ",-0- \n'
    '9639,7771,"aka","HANIYA, Ismail",-0- \n'
    '9639,7772,"aka","HANIYYA, Ismail",-0- \n'
    '9640,7773,"fka","ABU ALI, Hamid","Hamid the Mute" \n')
SDN_CSV = (  # OFAC's sdn.csv: no header, names, types, programs and remarks
    '306,"SOLEIMANI, Qasem","individual","SDGT] [IRGC",-0- ,-0- ,-0- ,"DOB 11 Mar 1957."\n'
    '7861,"DAQDUQ, Ali Musa","individual","SDGT",-0- ,-0- ,-0- ,"a.k.a. Hamid the Mute."\n'
    '9639,"HANIYA, Ismail","individual","SDGT",-0- ,-0- ,-0- ,"Gaza."\n')


@pytest.mark.parametrize(("text", "first_title", "key_line"), [
    (ALT, "AL-NASER, Fahd", "name: AL-NASER, Fahd"),
    (SDN_CSV, "SOLEIMANI, Qasem", "name: SOLEIMANI, Qasem"),
])
def test_a_list_without_a_header_row_names_its_columns(text: str, first_title: str, key_line: str) -> None:
    data = text.encode()
    found, warnings = records("list.csv", data)
    assert warnings == []
    assert len(found) == len(text.splitlines())  # the first record is not lost as a header
    assert found[0][:3] == (1, first_title, [(1, 1)])
    assert found[0][3][0][1:] == (1, "name column")
    first = build(next(iter(read("list.csv", data, print))))
    assert key_line in first.passages[0].text.splitlines()
    assert first.passages[0].text.splitlines()[0] in ("id: 36", "id: 306")


@pytest.mark.parametrize("row", [
    ["Name", "Aliases", "Program"], ["ent_num", "SDN_Name", "SDN_Type"],
    ["name", "aka", "dob"], ["الاسم", "الجنسية"]])
def test_a_header_row_is_a_header(row: list[str]) -> None:
    from searchdoc.readers.table import is_header

    assert is_header(row)


@pytest.mark.parametrize("row", [
    ["36", "12", "aka", "AL-NASER, Fahd"], ["HANIYA, Ismail", "Gaza"],
    ["Ali Musa Daqduq", "-0-", "Lebanon"], ["Qasem Soleimani", "1957-03-11"]])
def test_a_first_row_of_data_is_data(row: list[str]) -> None:
    from searchdoc.readers.table import is_header

    assert not is_header(row)


def test_a_lists_own_numbering_is_not_shown_twice() -> None:
    xml = (b'<list><entry number="1"><name>Ali Musa Daqduq</name><nationality>Lebanon'
           b'</nationality></entry><entry number="2"><name>Qasem Soleimani</name></entry></list>')
    texts = [build(raw).passages[0].text for raw in read("l.xml", xml, print)]
    assert texts == ["name: Ali Musa Daqduq\nnationality: Lebanon", "name: Qasem Soleimani"]
    csv_text = b"No.,Name,Children\n1,Ali Musa Daqduq,1\n2,Qasem Soleimani,4\n"
    texts = [build(raw).passages[0].text for raw in read("l.csv", csv_text, print)]
    assert texts == ["Name: Ali Musa Daqduq\nChildren: 1", "Name: Qasem Soleimani\nChildren: 4"]
    # a number column that is not the records' order stays
    other = b"No.,Name\n7,Ali Musa Daqduq\n9,Qasem Soleimani\n"
    assert [build(raw).passages[0].text.splitlines()[0]
            for raw in read("l.csv", other, print)] == ["No.: 7", "No.: 9"]


@pytest.mark.parametrize(("key", "role"), [
    ("nameAlias.wholeName", "alias"), ("akaName", "alias"), ("registeredName", "name"),
    ("Individual name (latin)", "name"), ("vessel name", None), ("file_name", None),
    ("name of father", None), ("Name6", "family"), ("Name 1", "given")])
def test_a_key_holding_the_word_name(key: str, role: str | None) -> None:
    assert column_role(key) == role


def test_the_uk_lists_name_parts() -> None:
    """HM Treasury's consolidated list writes a name in Name1 (forename) to Name6 (surname):
    no record is "without a name"."""
    xml = (b"<ArrayOfFinancialSanctionsTarget>"
           b"<FinancialSanctionsTarget><Name6>HANIYA</Name6><Name1>Ismail</Name1>"
           b"<Country>Gaza</Country></FinancialSanctionsTarget>"
           b"<FinancialSanctionsTarget><Name6>DAQDUQ</Name6><Name1>Ali</Name1><Name2>Musa</Name2>"
           b"</FinancialSanctionsTarget></ArrayOfFinancialSanctionsTarget>")
    found, warnings = records("con.xml", xml)
    assert warnings == []
    assert [(title, names) for _n, title, _l, names in found] == [
        ("Ismail HANIYA", [("Ismail HANIYA", 1, "name columns")]),
        ("Ali Musa DAQDUQ", [("Ali Musa DAQDUQ", 1, "name columns")])]


def test_a_list_whose_name_column_has_no_known_name() -> None:
    data = (b'Person,Country,Place of birth\nAli Musa Daqduq,Lebanon,Beirut City\n'
            b'"SOLEIMANI, Qasem",Iran,Qanat-e Malek\n')
    found, warnings = records("people.csv", data)
    assert warnings == []
    assert [(title, names) for _n, title, _l, names in found] == [
        ("Ali Musa Daqduq", [("Ali Musa Daqduq", 2, "name column")]),
        ("SOLEIMANI, Qasem", [("Qasem SOLEIMANI", 3, "name column")])]
