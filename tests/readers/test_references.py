"""Reference markers of encyclopedia articles ([3], [3][4], [a], [^3], [citation needed],
<sup> in HTML): cut out of the text, never glued to a word, kept as the passage's
citations with the reference text the document lists."""

from __future__ import annotations

import pytest

from searchdoc.models import Citation
from searchdoc.passages import build
from searchdoc.readers import detect, read

BBC = Citation('"Nasrallah profile". BBC News. https://www.bbc.com/news/x',
               "https://www.bbc.com/news/x")
SMITH = Citation("Smith, J. (2006). Hezbollah.")
JONES = Citation("Jones, K. (2008). The Party of God.")

MARKDOWN = """# Hassan Nasrallah

Hassan Nasrallah was born in Beirut, Lebanon.[1][2] He led Hezbollah from 1992.[1][2][3][5]
His speeches were widely covered.[citation needed]

## Early life

He studied in Najaf[3] and returned[^4] to Lebanon in 1978.[a]

## References

1. ^ "Nasrallah profile". BBC News. https://www.bbc.com/news/x
2. ^ a b Smith, J. (2006). Hezbollah.
3. ^ Jones, K. (2008). The Party of God.

[^4]: Footnote: returned after the expulsion of clerics.
"""

HTML = """<html><head><title>Hassan Nasrallah</title></head><body>
<p>Hassan Nasrallah was born in Beirut, Lebanon.<sup class="reference"><a href="#cite_note-1">[1]</a></sup><sup class="reference"><a href="#cite_note-2">[2]</a></sup>
He led Hezbollah from 1992.<sup><a href="#cite_note-3">3</a></sup><sup>[citation needed]</sup></p>
<p>The 19<sup>th</sup> party congress and E = mc<sup>2</sup> stay text.</p>
<h2>References</h2>
<ol class="references">
<li id="cite_note-1"><a href="#cite_ref-1">^</a> "Nasrallah profile". BBC News. <a href="https://www.bbc.com/news/x">https://www.bbc.com/news/x</a></li>
<li id="cite_note-2"><a href="#cite_ref-2">^</a> Smith, J. (2006). Hezbollah.</li>
<li id="cite_note-3"><a href="#cite_ref-3">^</a> Jones, K. (2008). The Party of God.</li>
</ol></body></html>
"""


def documents(name: str, text: str):
    data = text.encode()
    return [build(raw) for raw in read(name, data, print, detect(name, data))]


@pytest.mark.parametrize("name", ["nasrallah.md", "nasrallah.txt"])
def test_markers_in_markdown_and_text(name: str) -> None:
    (doc,) = documents(name, MARKDOWN)
    first, early = doc.passages[0], doc.passages[1]
    assert first.text == ("Hassan Nasrallah was born in Beirut, Lebanon. He led Hezbollah from "
                          "1992. His speeches were widely covered.")
    assert first.citations == (BBC, SMITH, JONES, Citation("[5]"))
    assert early.section == "Early life"
    assert early.text == "He studied in Najaf and returned to Lebanon in 1978."
    assert early.citations == (
        JONES, Citation("Footnote: returned after the expulsion of clerics."), Citation("[a]"))
    assert "[" not in " ".join(p.text for p in doc.passages if p.section != "References")


def test_markers_in_html_superscripts() -> None:
    (doc,) = documents("nasrallah.html", HTML)
    first = doc.passages[0]
    assert first.text == ("Hassan Nasrallah was born in Beirut, Lebanon. He led Hezbollah from "
                          "1992. The 19th party congress and E = mc2 stay text.")
    assert first.citations == (BBC, SMITH, JONES)
    refs = next(p for p in doc.passages if p.section == "References")
    assert refs.text.startswith('1. ^ "Nasrallah profile". BBC News.')


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("Lebanon.[3][4] He left.", "Lebanon. He left."),
        ("Beirut[3]Lebanon", "Beirut Lebanon"),  # never glued
        ("1992.[1][2][3][4][5] Then", "1992. Then"),
        ("as [2004] said", "as [2004] said"),  # a year in brackets is text
        ("the list [A] stays", "the list [A] stays"),
    ],
)
def test_markers_never_glue_words(text: str, clean: str) -> None:
    (doc,) = documents("a.txt", f"Title\n\n{text}\n")
    assert doc.passages[0].text == clean


def test_a_title_loses_its_markers() -> None:
    (doc,) = documents("a.md", "# Hassan Nasrallah[1]\n\nBody text.\n")
    assert doc.title == "Hassan Nasrallah"
