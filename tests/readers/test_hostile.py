"""One hostile file among good ones: the good files are indexed, the hostile one costs at
most one line (or is read), never a traceback nor the run. (What each costs in time and
memory, before and after, is benchmarks/hostile.py's to measure.)"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import makers
import pytest

_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _zip(parts: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


def _xlsx(rows: str, sheets: int = 1) -> bytes:
    entries = "".join(f'<sheet name="S{i}" sheetId="{i}" r:id="rId1"/>' for i in range(sheets))
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    return _zip({
        "[Content_Types].xml": "<Types/>",
        "xl/workbook.xml": f"<workbook {_MAIN} {rel}><sheets>{entries}</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": f"<worksheet {_MAIN}><sheetData>{rows}</sheetData></worksheet>",
    })


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _pdf_shared_stream(pages: int, lines: int) -> bytes:
    body = b"BT /F1 1 Tf 14 TL 20 780 Td " + b"(Daqduq seen in Basra) Tj T* " * lines + b"ET"
    stream = zlib.compress(body)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (5 + k) for k in range(pages))
               + b"] /Count %d >>" % pages,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
               + b"\nendstream"]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                b"/Resources << /Font << /F1 3 0 R >> >> >>"] * pages
    return makers.pdf_file(objects, 1)


def _lying_docx() -> bytes:
    """A .docx whose zip headers say its document is 1,000 bytes: it inflates to 60 MB."""
    import struct

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = (f'<w:document xmlns:w="{w}"><w:body><w:p><w:r><w:t>Daqduq</w:t></w:r></w:p>'
            + "<w:p/>" * 10_000_000 + "</w:body></w:document>")
    data = bytearray(_zip({"[Content_Types].xml": "<Types/>", "word/document.xml": body}))
    name = b"word/document.xml"
    for signature, name_at, size_at, length_at in ((b"PK\x03\x04", 30, 22, 26),
                                                   (b"PK\x01\x02", 46, 24, 28)):
        i = data.find(signature)
        while i >= 0:
            n = struct.unpack_from("<H", data, i + length_at)[0]
            if data[i + name_at:i + name_at + n] == name:
                struct.pack_into("<I", data, i + size_at, 1000)
            i = data.find(signature, i + 4)
    return bytes(data)


HOSTILE: dict[str, tuple[str, Callable[[], bytes]]] = {
    "docx-lying-zip-header": ("lying.docx", _lying_docx),
    "xlsx-huge-column-reference": ("ref.xlsx", lambda: _xlsx(
        f'<row r="1">{_cell("A1", "Name")}{_cell("ZZZZZZ1", "x")}</row>'
        f'<row r="2">{_cell("A2", "Ali Musa Daqduq")}{_cell("ZZZZZZZZ2", "y")}</row>')),
    "xlsx-500-sheets-one-part": ("sheets.xlsx", lambda: _xlsx(
        f'<row r="1">{_cell("A1", "Name")}</row><row r="2">{_cell("A2", "Ali Musa Daqduq")}'
        "</row>", sheets=500)),
    "odt-2-billion-spaces": ("spaces.odt", lambda: _zip({
        "mimetype": "application/vnd.oasis.opendocument.text",
        "content.xml": ('<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:'
                        'xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:'
                        'text:1.0"><office:body><office:text><text:p>Daqduq<text:s text:c="'
                        '2147483648"/>Basra</text:p></office:text></office:body>'
                        "</office:document-content>")})),
    "xml-nested-20000": ("deep.xml", lambda: (
        "<list>" + "<item><name>Ali Musa Daqduq</name></item>" * 2
        + "<item><name>Qasem</name>" + "<a>" * 20_000 + "x" + "</a>" * 20_000 + "</item>"
        + "</list>").encode()),
    "xml-256000-lt": ("lt.xml", lambda: ("<doc>Daqduq " + "<" * 256_000 + "</doc>").encode()),
    "mail-60000-encoded-words": ("words.eml", lambda: (
        "From: a@example.org\nSubject: " + " ".join(["=?utf-8?q?Daqduq?="] * 60_000)
        + "\nDate: Tue, 04 Jun 2024 09:00:00 +0000\n\nAli Musa Daqduq was released.\n").encode()),
    "html-cdata": ("cdata.html", lambda: b"<html><body><p>Ali Musa Daqduq</p><![CDATAx[ x"
                   b"</body></html>"),
    "html-80000-b": ("b.html", lambda: ("<html><body><p>Daqduq</p>" + "<b> " * 80_000
                                       + "</body></html>").encode()),
    "csv-over-long-field": ("field.csv", lambda: b"name,notes\nAli Musa Daqduq,short\n"
                            b"Qasem Soleimani," + b"x" * 21_000_000 + b"\nHassan,ok\n"),
    "csv-sniffer-head": ("sniff.csv", lambda: ('"Daqduq",' + '"b' * 3000 + "\n").encode() * 3),
    "jsonl-deep-and-long-number": ("lines.jsonl", lambda: (
        '{"name": "Ali Musa Daqduq"}\n{"name": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
        '{"name": "Qasem", "n": ' + "9" * 5_000 + '}\n{"name": "Hassan Nasrallah"}\n').encode()),
    "markdown-deep-front-matter": ("deep.md", lambda: (
        "---\nname: " + "[" * 5_000 + "]" * 5_000 + "\n---\n\n# Daqduq\n\nAli Musa Daqduq.\n"
    ).encode()),
    "markdown-front-matter-form-feed": ("ff.md", lambda: (
        b"---\nname: Ali\x0c Musa\n---\n\n# Daqduq\n\nAli Musa Daqduq.\n")),
    "json-lone-surrogate": ("people.json", lambda: b'[{"name": "Ali \\ud800 Daqduq"}, '
                            b'{"name": "Qasem Soleimani"}]'),
    "pdf-shared-glyph-stream": ("shared.pdf", lambda: _pdf_shared_stream(400, 3_000)),
}


# (the read's budget may first fire inside a gc callback hypothesis installs in this
# process: swallowed there, reported by pytest, and the next firing stops the read)
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_file_among_good_ones(case: str, tmp_path: Path, run, monkeypatch) -> None:
    name, make = HOSTILE[case]
    folder = tmp_path / "in"
    folder.mkdir()
    for k in range(3):
        (folder / f"good{k}.txt").write_text(f"Report {k}\n\nHamid the Mute, report {k}.\n")
    (folder / name).write_bytes(make())
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SEARCHDOC_FILE_SECONDS", "3")  # (the budget of one file, made short)
    r = run("index", "in")
    assert r.code == 0, r.err
    assert "Traceback" not in r.err
    assert len([line for line in r.err.splitlines() if name in line]) <= 1, r.err
    found = {Path(line).name for line in run("query", "Hamid the Mute", "-l").out.splitlines()}
    assert found == {f"good{k}.txt" for k in range(3)}
    if case not in ("pdf-shared-glyph-stream", "docx-lying-zip-header"):  # (skipped) the rest
        # is read
        assert name in {Path(line).name for line in run("query", "Daqduq", "-l").out.split("\n")}
    for line in r.err.splitlines():
        assert line.startswith("searchdoc: ") and "\\n" not in line


@pytest.mark.skipif(not __import__("sys").platform.startswith("linux"), reason="RLIMIT_AS")
def test_a_file_past_its_memory_budget_is_one_line(tmp_path: Path) -> None:
    """A file whose reading would take more memory than its budget (SEARCHDOC_FILE_MB)
    ends in one line; the good files are indexed."""
    import os
    import subprocess
    import sys

    exe = str(Path(sys.executable).parent / "searchdoc")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text("Report\n\nHamid the Mute was released.\n")
    (tmp_path / "in" / "big.txt").write_text(
        "".join(f"Short line number {n} about Daqduq.\n\n" for n in range(150_000)))
    r = subprocess.run([exe, "index", "in"], cwd=tmp_path, capture_output=True, text=True,
                       timeout=120, env={**os.environ, "SEARCHDOC_FILE_MB": "30"})
    assert r.returncode == 0, r.stderr
    assert r.stderr.splitlines()[0] == ("searchdoc: in/big.txt: needed more than 30 MB to read "
                                        "(the budget of a file: SEARCHDOC_FILE_MB), skipped")
    found = subprocess.run([exe, "query", "Hamid the Mute", "-l"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=60)
    assert found.stdout.splitlines() == ["in/good.txt"]
