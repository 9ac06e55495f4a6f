"""Markdown front matter (readers/markdown.py) over tests/fixtures/markdown/: YAML and
TOML keys as the document's fields, `title`/`name` its title, `aliases` its stated names;
a front matter that does not parse stays text, with one warning line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from searchdoc.entities.extract import extract_names
from searchdoc.passages import build
from searchdoc.readers import read

FIXTURES = Path(__file__).parent.parent / "fixtures" / "markdown"


def doc_of(name: str, data: bytes | None = None):  # type: ignore[no-untyped-def]
    warnings: list[str] = []
    data = (FIXTURES / name).read_bytes() if data is None else data
    raw = next(read(name, data, warnings.append))
    return raw, build(raw), warnings


def test_yaml_front_matter() -> None:
    raw, doc, warnings = doc_of("nasrallah.md")
    assert warnings == []
    assert doc.title == "Hassan Nasrallah"
    assert [(f.key, f.value, f.line) for f in raw.fields] == [
        ("title", "Hassan Nasrallah", 2),
        ("aliases", "Sayyed Hassan; حسن نصر الله", 3),
        ("born", "1960-08-31", 6),
        ("tags", "hezbollah; lebanon", 7),
    ]
    assert [(n.name, n.line, n.how) for n in raw.names] == [
        ("Sayyed Hassan", 3, "front matter aliases"),
        ("حسن نصر الله", 3, "front matter aliases"),
    ]
    # the front matter is a fields passage; the body follows, its heading the title
    assert [(p.kind, p.line_start, p.line_end) for p in doc.passages] == [
        ("fields", 2, 7), ("prose", 12, 12)]


def test_toml_front_matter() -> None:
    raw, doc, warnings = doc_of("soleimani.md")
    assert warnings == []
    assert doc.title == "Qasem Soleimani"
    assert [(f.key, f.value, f.line) for f in raw.fields] == [
        ("name", "Qasem Soleimani", 2),
        ("aka", "Qassem Suleimani; Haj Qasem", 3),
        ("born", "1957", 4),
        ("source", "url: https://example.org/soleimani", 5),
    ]
    assert [(n.name, n.how) for n in raw.names] == [
        ("Qasem Soleimani", "front matter name"),
        ("Qassem Suleimani", "front matter aliases"),
        ("Haj Qasem", "front matter aliases"),
    ]


def test_front_matter_names_are_stated_once() -> None:
    """The aliases key is both a field and the stated names: each name is said once."""
    _raw, doc, _w = doc_of("nasrallah.md")
    assert [(n.name, n.how) for n in extract_names(doc)] == [
        ("Hassan Nasrallah", "title"),
        ("Sayyed Hassan", "front matter aliases"),
        ("حسن نصر الله", "front matter aliases"),
    ]


def test_a_front_matter_that_does_not_parse_stays_text() -> None:
    raw, doc, warnings = doc_of("broken.md")
    assert warnings == ["front matter (YAML) does not parse (found unexpected end of stream "
                        "at line 3): kept as text"]
    assert raw.fields == () and raw.names == ()
    assert "Abu Mahdi al-Muhandis" in doc.title + " ".join(p.text for p in doc.passages)
    assert any("led Kataib Hezbollah" in p.text for p in doc.passages)


def test_rules_around_a_paragraph_are_no_front_matter() -> None:
    raw, doc, warnings = doc_of("rules.md")
    assert warnings == [] and raw.fields == ()
    assert doc.title == "A paragraph between two rules is no front matter."


@pytest.mark.parametrize("front, fields", [
    (b"---\nname: Hassan Nasrallah\n...\n\nText.\n", [("name", "Hassan Nasrallah", 2)]),
    (b"---\ndate: 2024-09-27\nok: true\nnothing:\n---\nText.\n",
     [("date", "2024-09-27", 2), ("ok", "true", 3)]),
    (b"---\nnested:\n  a: 1\n  b: [x, y]\n---\nText.\n", [("nested", "a: 1, b: x; y", 2)]),
    # anchors repeated: the value is cut, never expanded without end
    (b"---\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
     b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
     b"---\nText.\n", None),
])
def test_front_matter_values(front: bytes, fields: list | None) -> None:
    raw, _doc, warnings = doc_of("x.md", front)
    assert warnings == []
    if fields is not None:
        assert [(f.key, f.value, f.line) for f in raw.fields] == fields
    else:
        assert max(len(f.value) for f in raw.fields) <= 10_000


def test_front_matter_through_the_cli(tmp_path: Path, monkeypatch, run) -> None:
    shutil.copytree(FIXTURES, tmp_path / "notes")
    monkeypatch.chdir(tmp_path)
    r = run("index", "notes")
    assert r.err.splitlines()[0] == ("searchdoc: notes/broken.md: front matter (YAML) does not "
                                     "parse (found unexpected end of stream at line 3): kept "
                                     "as text")
    people = run("aliases", "حسن نصر الله", "--json").json()
    assert [e["sources"] for e in people] == [["notes/nasrallah.md"]]
    assert {n["name"] for n in people[0]["names"]} == {
        "Hassan Nasrallah", "Sayyed Hassan", "حسن نصر الله"}
    top = run("query", "Haj Qasem", "--json").json()[0]
    assert (top["source"], top["kind"], top["line_start"]) == ("notes/soleimani.md", "fields", 2)


def test_flow_collections_nested_too_deep_are_refused_before_parsing(monkeypatch) -> None:
    """PyYAML parses nested flow collections by recursion: 5,000 of them cost it seconds
    before the interpreter's limit stopped it (and a loaded machine over the budget of a
    file). Nested deeper than a front matter ever is, the YAML is not parsed at all; as
    deep as a real one, it is."""
    import yaml

    calls: list[str] = []
    real = yaml.SafeLoader

    def loader(text: str):  # type: ignore[no-untyped-def]
        calls.append(text)
        return real(text)

    monkeypatch.setattr(yaml, "SafeLoader", loader)
    deep = ("---\nname: " + "[" * 5_000 + "]" * 5_000 + "\n---\n\n# Daqduq\n\nAli.\n").encode()
    _raw, doc, warnings = doc_of("deep.md", deep)
    assert warnings == ["front matter (YAML) does not parse (nested too deep): kept as text"]
    assert calls == []
    shallow = b"---\nname: Ali\nseen: [[1, [2]], {a: [3]}]\n---\n\n# Daqduq\n\nAli.\n"
    _raw, doc, warnings = doc_of("shallow.md", shallow)
    assert (warnings, len(calls), doc.title) == ([], 1, "Ali")
