"""readers/html.py: a saved web page is cited by the lines of the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchdoc.readers.html import html_lines, html_to_text

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Ali Musa Daqduq | Counter Extremism Project</title>
  <script>window.dataLayer = [];</script>
  <style>.nav { display: none }</style>
</head>
<body>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/groups">Groups</a></li></ul></nav>
  <header><h1>Ali Musa Daqduq</h1></header>
  <main>
    <table class="infobox">
      <tr><th>Born</th><td>between 1969 and 1972</td></tr>
      <tr><th>Group</th><td>Hezbollah</td></tr>
    </table>
    <h2>Capture</h2>
    <p>Coalition forces captured Daqduq and the al-Khazali brothers in Basra on
       March 20, 2007. Daqduq refused to speak for weeks following his capture,
       which led U.S. forces to give him the nickname
       <em>Hamid the Mute</em>.</p>
    <ul>
      <li>He passed a note to guards
          that he would confess.</li>
      <li>He confessed on May 1.</li>
    </ul>
  </main>
</body>
</html>
"""


def test_hit_lines_are_the_lines_of_the_file(tmp_path: Path, run, monkeypatch) -> None:
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("index", "page.html").code == 0
    (hit,) = run("query", "Hamid the Mute", "--json").json()
    lines = PAGE.split("\n")
    assert (hit["line_start"], hit["line_end"]) == (18, 25)
    assert "Coalition forces captured" in lines[hit["line_start"] - 1]
    assert "He confessed on May 1" in lines[hit["line_end"] - 1]
    assert hit["section"] == "Capture"
    assert hit["title"] == "Ali Musa Daqduq | Counter Extremism Project"
    (born,) = run("query", "Hezbollah", "--json").json()
    assert born["kind"] == "fields" and (born["line_start"], born["line_end"]) == (14, 15)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>one\ntwo</p>", [(1, "one"), (2, "two")]),
        ("<h2>A\nheading</h2>", [(1, "## A heading")]),  # a heading stays one line
        ("<ul>\n<li>\n  first</li>\n<li>second</li>\n</ul>", [(3, "- first"), (4, "- second")]),
        ("<table>\n<tr><td>Born</td>\n<td>1969</td></tr></table>", [(2, "- Born: 1969")]),
        ("<pre>a\n\nb</pre>", [(1, "a"), (1, ""), (3, "b")]),
        ("<title>T</title>\n<p>x</p>", [(1, "# T"), (1, ""), (2, "x")]),
    ],
)
def test_html_lines(html: str, expected: list[tuple[int, str]]) -> None:
    assert html_lines(html) == expected


def test_html_to_text_is_one_line_per_paragraph() -> None:
    assert html_to_text("<p>one\ntwo</p><p>three</p>") == "one two\n\nthree"
