"""Hostile files: each in a folder of good files, `searchdoc index` on the folder; its
time, peak memory (the summed RSS of the run's processes), exit code and the lines it
said about the hostile file.

    python benchmarks/hostile.py [--only NAME,NAME] [--timeout SECONDS] [--out FILE]

Each case is a file a careless or hostile source can hold (a text of 65,000 short lines,
a 1 KB workbook whose cell reference claims column 2 billion, XML nested 20,000 deep,
60,000 encoded words in one mail header, a PDF whose pages share one 4-million-glyph
stream...). The run passes when the good files are indexed, the hostile file costs one
line (or is read), and the run stays within --timeout seconds (60) and 1 GB. A run over
the timeout is stopped and reported as such.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench.common import Searchdoc, find_searchdoc, log, run_measured

GOOD = {f"good{k}.txt": f"Report {k}\n\nAli Musa Daqduq was seen in Basra, report {k}.\n"
        for k in range(5)}


def _zip(parts: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _xlsx(sheet_xml: str, sheets: int = 1) -> bytes:
    entries = "".join(f'<sheet name="S{i}" sheetId="{i}" r:id="rId1"/>' for i in range(sheets))
    return _zip({
        "[Content_Types].xml": "<Types/>",
        "xl/workbook.xml": f'<workbook {_MAIN} {_REL}><sheets>{entries}</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": f"<worksheet {_MAIN}><sheetData>{sheet_xml}</sheetData>"
                                    "</worksheet>",
    })


def _docx(body_xml: str) -> bytes:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    return _zip({
        "[Content_Types].xml": "<Types/>",
        "word/document.xml": f'<w:document xmlns:w="{w}"><w:body>{body_xml}</w:body></w:document>',
    })


def _odt(content: str) -> bytes:
    return _zip({
        "mimetype": "application/vnd.oasis.opendocument.text",
        "content.xml": (
            '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
            'office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
            f"<office:body><office:text>{content}</office:text></office:body>"
            "</office:document-content>"),
    })


def _pdf_shared_stream(pages: int, glyphs: int) -> bytes:
    """`pages` pages that all draw one content stream of `glyphs` glyphs."""
    line = b"(Daqduq was seen in Basra by the court and the press) Tj T* "
    per = 44
    body = b"BT /F1 1 Tf 14 TL 20 780 Td " + line * (glyphs // per) + b"ET"
    stream = zlib.compress(body, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (5 + k) for k in range(pages))
        + b"] /Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
        + b"\nendstream",
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
                b"/Resources << /Font << /F1 3 0 R >> >> >>"] * pages
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def _mail_rfc2047(words: int) -> bytes:
    subject = " ".join("=?utf-8?q?Daqduq?=" for _ in range(words))
    return (f"From: a@example.org\nTo: b@example.org\nSubject: {subject}\n"
            "Date: Tue, 04 Jun 2024 09:00:00 +0000\n\nAli Musa Daqduq was released.\n").encode()


CASES: dict[str, tuple[str, Callable[[], bytes]]] = {
    "text-65000-short-lines": ("items.txt", lambda: "".join(
        f"Item number {n}\n" for n in range(65_000)).encode()),
    "text-short-paragraphs": ("paras.txt", lambda: "".join(
        f"Short paragraph {n}\n\n" for n in range(4_000)).encode()),
    "docx-many-paragraphs": ("big.docx", lambda: _docx("".join(
        f"<w:p><w:r><w:t>Item {n}</w:t></w:r></w:p>" for n in range(120_000)))),
    "xlsx-huge-column-reference": ("ref.xlsx", lambda: _xlsx(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c>'
        '<c r="ZZZZZZ1" t="inlineStr"><is><t>x</t></is></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Ali Musa Daqduq</t></is></c></row>')),
    "xlsx-row-of-200000-cells": ("wide.xlsx", lambda: _xlsx(
        '<row r="1"><c t="inlineStr"><is><t>Name</t></is></c></row><row r="2">'
        + "".join(f'<c t="inlineStr"><is><t>v{n}</t></is></c>' for n in range(200_000))
        + "</row>")),
    "xlsx-500-sheets-one-part": ("sheets.xlsx", lambda: _xlsx(
        '<row r="1"><c t="inlineStr"><is><t>Name</t></is></c></row>' + "".join(
            f'<row r="{n}"><c t="inlineStr"><is><t>Person {n} Daqduq</t></is></c></row>'
            for n in range(2, 2_000)), sheets=500)),
    "xlsx-250-mb-sheet": ("bomb.xlsx", lambda: _xlsx(
        '<row r="1"><c t="inlineStr"><is><t>' + " " * 250_000_000 + "</t></is></c></row>")),
    "odt-2-billion-spaces": ("spaces.odt", lambda: _odt(
        '<text:p>Daqduq<text:s text:c="2147483648"/>Basra</text:p>')),
    "xml-nested-20000": ("deep.xml", lambda: (
        "<list>" + "<item><name>Ali Musa Daqduq</name></item>" * 2 + "<a>" * 20_000
        + "x" + "</a>" * 20_000 + "</list>").encode()),
    "xml-256000-lt": ("lt.xml", lambda: ("<doc>Daqduq " + "<" * 256_000 + "</doc>").encode()),
    "mail-60000-encoded-words": ("words.eml", lambda: _mail_rfc2047(60_000)),
    "html-80000-b": ("b.html", lambda: ("<html><body>" + "<b> " * 80_000
                                       + "</body></html>").encode()),
    "html-unclosed-tag": ("open.html", lambda: ("<html><body><p>Daqduq <b"
                                               + " x=1" * 200_000).encode()),
    "pdf-shared-4m-glyph-stream": ("shared.pdf", lambda: _pdf_shared_stream(50, 80_000)),
    "csv-sniffer-head": ("sniff.csv", lambda: ('"' + "a" * 30 + '",' + '"b' * 3000
                                              + "\n").encode() * 3),
    "csv-100-mb-field": ("field.csv", lambda: b"name,notes\nAli Musa Daqduq,short\n"
                         b"Qasem Soleimani," + b"x" * 100_000_000 + b"\nHassan Nasrallah,ok\n"),
    "jsonl-deep-and-long-number": ("lines.jsonl", lambda: (
        '{"name": "Ali Musa Daqduq"}\n' + '{"name": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
        + '{"name": "Qasem", "n": ' + "9" * 5_000 + "}\n"
        + '{"name": "Hassan Nasrallah"}\n').encode()),
    "markdown-deep-front-matter": ("deep.md", lambda: (
        "---\nname: " + "[" * 5_000 + "]" * 5_000 + "\n---\n\n# Daqduq\n\nAli Musa Daqduq.\n"
    ).encode()),
    "html-cdata": ("cdata.html", lambda: b"<html><body><p>Ali Musa Daqduq</p><![CDATAx[ x"
                   b"</body></html>"),
    "json-lone-surrogate": ("people.json", lambda: b'[{"name": "Ali \\ud800 Daqduq"}, '
                            b'{"name": "Qasem Soleimani"}]'),
}


def run_case(sd: Searchdoc, name: str, work: Path, timeout: float) -> dict[str, object]:
    filename, make = CASES[name]
    folder = work / name
    folder.mkdir(parents=True)
    for good, text in GOOD.items():
        (folder / good).write_text(text, encoding="utf-8")
    data = make()
    (folder / filename).write_bytes(data)
    size = len(data)
    del data
    log(f"{name}: {size:,} bytes ...")
    run = run_measured([str(sd.exe), "index", str(folder), "--index", str(work / f"{name}.ix")],
                       work / "logs", timeout=timeout)
    err = run.stderr.read_text(encoding="utf-8", errors="replace").splitlines()
    said = [line for line in err if filename in line]
    found = run_measured([str(sd.exe), "query", "Daqduq", "-l", "-n", "100", "--index",
                          str(work / f"{name}.ix")], work / "logs", timeout=60)
    goods = sum(1 for line in found.out_text().splitlines() if Path(line).name in GOOD)
    stopped = run.seconds >= timeout
    # (the sampled memory of the run's processes: wait4's peak of a child forked from this
    # process counts what this process held before the exec, the 250 MB it just wrote)
    memory = run.tree_rss_kb if run.tree_rss_kb is not None else (run.peak_rss_kb or 0)
    return {"bytes": size, "seconds": round(run.seconds, 2), "stopped": stopped,
            "peak_mb": round(memory / 1024, 1), "exit_code": run.exit_code,
            "lines": said[:3], "traceback": any("Traceback" in line for line in err),
            "good_files_found": goods,
            "ok": (not stopped and run.exit_code == 0 and goods == len(GOOD)
                   and run.seconds < 60 and memory < 1024 * 1024 and len(said) <= 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="", help="comma-separated case names")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="stop a run after this many seconds (120)")
    parser.add_argument("--out", metavar="FILE", help="also write the JSON report to FILE")
    args = parser.parse_args(argv)
    names = [n for n in args.only.split(",") if n] or list(CASES)
    sd = Searchdoc(find_searchdoc(), Path(tempfile.mkdtemp()) / "logs", [])
    report: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="searchdoc-hostile-") as tmp:
        for name in names:
            report[name] = run_case(sd, name, Path(tmp), args.timeout)
            log(f"{name}: {json.dumps(report[name], ensure_ascii=False)}")
    text = json.dumps(report, indent=1, ensure_ascii=False)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
