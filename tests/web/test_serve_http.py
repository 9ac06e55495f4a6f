"""`searchdoc serve` over HTTP: every route, the exports, and what keeps it safe (the Host
header, read-only, the token, the headers, sources served by id only, markup escaped)."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from html import unescape
from pathlib import Path
from urllib.parse import quote, unquote_plus

import pytest

from searchdoc.web.app import create_app
from searchdoc.web.present import source_id

ARABIC_QUERY = "حسن نصر الله"


def ids(html: str) -> list[str]:
    return [unquote_plus(unescape(m)) for m in re.findall(r'href="/passage\?id=([^"&]+)', html)]


def test_the_results_page_shows_marked_hits_with_where_and_why(client) -> None:
    r = client.get("/", params={"q": "Hamid the Mute"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    html = r.text
    assert "<mark>Hamid</mark> the <mark>Mute</mark>" in html
    assert "seeds/000_3b04a8e966365e08.txt:7" in html  # where it stands
    assert "Matched:" in html and "phrase" in html
    assert 'class="copy" data-citation=' in html
    assert re.search(r"<span class=\"count\">\d+</span> hits? for", html)


def test_a_cross_script_match_is_marked_by_searchdocs_spans(client) -> None:
    """"Dakdouk" is written nowhere: the words marked are the spellings that matched."""
    html = client.get("/", params={"q": "Dakdouk"}).text
    assert "<mark>Daqduq</mark>" in html
    assert "spelling variant" in html


def test_an_arabic_query_gives_right_to_left_passages(client) -> None:
    html = client.get("/", params={"q": ARABIC_QUERY}).text
    assert 'dir="rtl"' in html
    assert "<mark>نصر</mark>" in html or "<mark>حسن</mark>" in html
    assert 'lang="ar"' in html


def test_facets_count_and_filter(client) -> None:
    html = client.get("/", params={"q": "Daqduq"}).text
    folders = dict(re.findall(r'class="facet-value"[^>]*><bdi>([^<]+)</bdi></a> '
                              r'<span class="n">(\d+)</span>', html))
    assert {"seeds", "lists", "notes"} <= set(folders)
    narrowed = client.get("/", params={"q": "Daqduq", "folder": "lists"}).text
    assert "people.csv" in narrowed and "seeds/0" not in narrowed.split('class="results"')[1]
    assert 'class="chip"' in narrowed  # the filter shown, removable
    chip = re.search(r'class="chip" href="([^"]+)"', narrowed)
    assert chip is not None and "folder=" not in unescape(chip.group(1))


def test_pages_and_state_in_the_url(client) -> None:
    html = client.get("/", params={"q": "Daqduq", "page": "2"}).text
    assert "page 2 of" in html or "page 1 of 1" not in html
    assert client.get("/", params={"q": "Daqduq", "page": "x"}).status_code == 200


def test_the_exports_are_the_hits(client) -> None:
    page = client.get("/", params={"q": "Daqduq"}).text
    found = re.search(r"<span class=\"count\">(\d+)</span>", page)
    assert found is not None
    total = int(found.group(1))
    r = client.get("/export.csv", params={"q": "Daqduq"})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert len(rows) == total
    assert rows[0]["rank"] == "1" and rows[0]["source"] and rows[0]["where"]
    lines = client.get("/export.jsonl", params={"q": "Daqduq"}).text.splitlines()
    assert len(lines) == total
    first = json.loads(lines[0])
    assert first["query"] == "Daqduq" and "matched" in first and "name_score" in first
    filtered = client.get("/export.csv", params={"q": "Daqduq", "folder": "lists"}).text
    assert all(r["source"].startswith("lists/")
               for r in csv.DictReader(io.StringIO(filtered.lstrip("\ufeff"))))
    assert client.get("/export.exe", params={"q": "Daqduq"}).status_code == 404


def test_a_csv_cell_never_runs_as_a_formula(client) -> None:
    from searchdoc.web.present import csv_text

    assert csv_text([["=cmd|'/c calc'!A1", "@SUM(1)", "ok"]], ["a", "b", "c"]).splitlines()[1] \
        == "'=cmd|'/c calc'!A1,'@SUM(1),ok"


def test_the_document_view_numbers_lines_and_marks_the_hit(client) -> None:
    html = client.get("/", params={"q": "Hamid the Mute"}).text
    pid = ids(html)[0]
    r = client.get("/passage", params={"id": pid, "q": "Hamid the Mute"})
    assert r.status_code == 200
    assert 'class="block focus hit-here"' in r.text
    assert '<li value="7"><span class="ln" aria-hidden="true">7</span>' in r.text
    assert "<mark>Hamid</mark>" in r.text
    assert "next hit here" in r.text or "previous hit here" in r.text


def test_the_pdf_view_shows_the_page_and_opens_the_original_at_it(client) -> None:
    html = client.get("/", params={"q": ARABIC_QUERY, "format": "pdf"}).text
    pid = next(i for i in ids(html) if i.startswith("ar/nasrallah.pdf"))
    view = client.get("/passage", params={"id": pid, "q": ARABIC_QUERY}).text
    sid = source_id("ar/nasrallah.pdf")
    assert f'/page/{sid}/1.png' in view
    assert f'/original/{sid}#page=1' in view
    png = client.get(f"/page/{sid}/1.png")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.headers["content-type"] == "image/png"
    assert client.get(f"/page/{sid}/99.png").status_code == 404
    pdf = client.get(f"/original/{sid}")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"


def test_a_record_is_shown_as_a_table(client) -> None:
    html = client.get("/", params={"q": "Qays al-Khazali", "folder": "lists"}).text
    pid = next(i for i in ids(html) if i.startswith("lists/people.csv"))
    view = client.get("/passage", params={"id": pid, "q": "Qays al-Khazali"}).text
    assert '<table class="record">' in view and "AL-KHAZALI, Qays" in view


def test_the_person_page_lists_every_name_by_script(client) -> None:
    html = client.get("/person", params={"q": "Daqduq"}).text
    assert 'data-script="Latin"' in html and 'data-script="Arabic"' in html
    assert "Hamid the Mute" in html and "علي موسى دقدوق" in html
    assert "(nickname)" in html  # how the source states it
    assert "seeds/000_3b04a8e966365e08.txt:7" in html  # and where
    assert 'class="hit"' in html


def test_the_batch_table_and_its_csv(client) -> None:
    names = "Dakdouk\nHasan Nasrallah\nZzyzx Qwertyuiop"
    html = client.get("/batch", params={"names": names}).text
    assert html.count("<tr>") >= 3
    rows = list(csv.DictReader(io.StringIO(
        client.get("/batch.csv", params={"names": names}).text.lstrip("\ufeff"))))
    assert [r["name"] for r in rows] == names.splitlines()
    assert int(rows[0]["hits"]) > 0 and rows[0]["person"]
    assert rows[2]["hits"] == "0" and rows[2]["best_hit"] == ""


def test_markup_in_a_passage_is_text(client) -> None:
    html = client.get("/", params={"q": "Ali Musa Daqduq", "folder": "notes"}).text
    assert "&lt;script&gt;" in html
    assert "<script>document.title" not in html
    assert "<img src=x" not in html
    assert html.count("<script") == 1  # the page's own, from /static


def test_every_page_carries_the_security_headers(client) -> None:
    for path in ("/", "/?q=Daqduq", "/person?q=Daqduq", "/batch", "/static/app.js", "/nope"):
        h = client.get(path).headers
        csp = h["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "default-src 'none'" in csp
        assert h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"] == "no-referrer"


def test_a_foreign_host_header_gets_400(client) -> None:
    for host in ("evil.example", "evil.example:8765", "127.0.0.1.evil.example"):
        assert client.get("/", headers={"host": host}).status_code == 400
    assert client.get("/", headers={"host": "localhost:8765"}).status_code == 200
    assert client.get("/", headers={"host": "[::1]:8765"}).status_code == 200


def test_nothing_but_reading(client) -> None:
    for method in ("post", "put", "delete", "patch"):
        assert getattr(client, method)("/").status_code == 405


def test_only_indexed_sources_by_id(client, collection: Path) -> None:
    assert client.get("/original/" + "0" * 16).status_code == 404
    assert client.get("/original/../../etc/passwd").status_code == 404
    assert client.get("/original/" + quote("/etc/passwd", safe="")).status_code == 404
    assert client.get("/page/" + source_id("seeds/000_3b04a8e966365e08.txt") + "/1.png") \
        .status_code == 404  # not a PDF
    assert client.get("/passage", params={"id": "../../etc/passwd#0"}).status_code == 404


def test_an_indexed_html_page_is_never_served_inline(client) -> None:
    r = client.get("/original/" + source_id("notes/page.html"))
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/octet-stream"
    assert r.headers["content-disposition"].startswith("attachment")
    text = client.get("/original/" + source_id("notes/note.txt"))
    assert text.headers["content-type"].startswith("text/plain")
    assert "sandbox" in text.headers["content-security-policy"]


def test_an_address_other_than_loopback_needs_the_token(collection: Path) -> None:
    from starlette.testclient import TestClient

    app = create_app(collection, hosts={"10.0.0.5"}, token="s3cret")
    with TestClient(app, base_url="http://10.0.0.5:8765") as c:
        assert c.get("/").status_code == 403
        assert c.get("/", params={"token": "wrong"}).status_code == 403
        r = c.get("/", params={"token": "s3cret"})
        assert r.status_code == 200 and "searchdoc_token" in r.headers["set-cookie"]
        assert c.get("/?q=Daqduq").status_code == 200  # the cookie carries it


def test_a_new_generation_is_read(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from searchdoc.api import Index

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Notes\n\nQays al-Khazali was named.\n", encoding="utf-8")
    query = "Zubayr Mansouri"
    index = tmp_path / "index"
    Index(index, seeds=None).update([docs])
    with TestClient(create_app(index), base_url="http://127.0.0.1") as c:
        assert "No hit" in c.get("/", params={"q": query}).text
        (docs / "b.txt").write_text("Notes\n\nZubayr Mansouri was named.\n", encoding="utf-8")
        Index(index, seeds=None).update([docs])
        assert "b.txt" in c.get("/", params={"q": query}).text


def test_serve_without_an_index_is_one_line(tmp_path: Path, run) -> None:
    r = run("serve", "--index", str(tmp_path / "none"), "--port", "1")
    assert r.code == 2
    assert r.err.startswith("searchdoc: ") and r.err.count("\n") == 1


def test_a_query_loads_no_web_module(tmp_path: Path) -> None:
    """The cold `searchdoc query` stays within its budget: nothing of the web page."""
    code = ("import sys\nfrom searchdoc.cli import main\n"
            "try:\n    main(['query', 'Hamid the Mute', '--index', sys.argv[1]])\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('starlette', 'uvicorn', 'jinja2', 'httpx', 'anyio') or "
            "m.startswith('searchdoc.web')), file=sys.stderr)\n")
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path / "index")], cwd=tmp_path,
                       capture_output=True, text=True, env=None)
    assert r.stderr.strip().splitlines()[-1] == "[]", r.stderr[-500:]


def test_health_and_static(client) -> None:
    assert client.get("/health").text == "ok"
    assert "keydown" in client.get("/static/app.js").text
    assert client.get("/static/../app.py").status_code == 404


@pytest.mark.parametrize("path", ["/", "/person", "/batch", "/passage?id=nope%230"])
def test_the_pages_answer_without_a_query(client, path: str) -> None:
    assert client.get(path).status_code in (200, 404)
