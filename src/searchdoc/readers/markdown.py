"""Markdown: cleaned line by line (code fences, setext headings, links, emphasis, pipe
tables: a two-column table's rows as ``Key: value`` fields) so that every line keeps its
number; ``#`` headings are left for :mod:`searchdoc.passages`, which reads them in every
format.

Front matter (YAML between ``---`` lines at the top, parsed by PyYAML; TOML between
``+++`` lines, parsed by tomllib) is the document's metadata: each key is one of its
fields, with the line it stands on; ``title`` (else ``name``) is its title; a key that
names a name column of a list (``name``, ``full_name``) or an alias column (``aliases``,
``aka``, ``also_known_as``, ``other_names``: the keys of data/name_keys.txt) gives names
it states for its subject. A front matter that does not parse is kept as text, with one
warning line.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from searchdoc.models import Field, StatedName
from searchdoc.names.columns import column_role
from searchdoc.readers.base import RawDocument, Warn, lines_of
from searchdoc.readers.text import BULLET, heading_markup, no_surrogates, squash_spaces


def read(data: bytes, source: str, warn: Warn) -> Iterator[RawDocument]:
    from searchdoc.sources import decode

    text, warnings = decode(data)
    for w in warnings:
        warn(w)
    lines = text.split("\n")
    meta = front_matter(lines, source, warn)
    if meta is not None:
        lines = [""] * meta.end + lines[meta.end:]
        yield RawDocument(source, lines_of("\n".join(clean_markdown(lines))), title=meta.title,
                          fields=meta.fields, names=meta.names)
    else:
        yield RawDocument(source, lines_of("\n".join(clean_markdown(lines))))


# --------------------------------------------------------------------------- front matter


@dataclass(frozen=True)
class FrontMatter:
    """What a document's front matter says; `end`: the number of lines it takes."""

    end: int
    title: str | None
    fields: tuple[Field, ...]
    names: tuple[StatedName, ...]


_FENCES = {"---": ("yaml", ("---", "...")), "+++": ("toml", ("+++",))}
_TITLE_KEYS = ("title", "name")
_MAX_VALUE_CHARS = 10_000  # a field's value is cut here (nested values, anchors repeated)
_KEY_LIKE = re.compile(r"^[\w\"'-][\w \"'.-]*\s*[:=]", re.MULTILINE)


def front_matter(lines: list[str], source: str, warn: Warn) -> FrontMatter | None:
    """The front matter at the top of a Markdown document, or None (there is none, or it
    does not parse: then its lines stay text, and a warning says so)."""
    if not lines or lines[0].strip() not in _FENCES:
        return None
    kind, closers = _FENCES[lines[0].strip()]
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in closers), None)
    if end is None:
        return None
    body = "\n".join(lines[1:end])
    try:
        data, key_lines = _parse_yaml(body) if kind == "yaml" else _parse_toml(body)
    except (ValueError, RecursionError, MemoryError) as e:
        if _KEY_LIKE.search(body):  # it was meant as front matter: say why it is text
            why = "nested too deep" if isinstance(e, RecursionError) else \
                "too large" if isinstance(e, MemoryError) else squash_spaces(str(e))[:200]
            warn(f"front matter ({kind.upper()}) does not parse ({why}): kept as text")
        return None
    if not isinstance(data, dict) or not data:
        return None  # text between two rules, not metadata
    fields: list[Field] = []
    names: list[StatedName] = []
    title: str | None = None
    for key, value in data.items():
        key = no_surrogates(str(key))
        line = key_lines.get(key, 0) + 2  # the front matter's first line is line 2
        text = _text(value)
        if not text:
            continue
        fields.append(Field(key, text, line))
        role = column_role(key)  # (the keys of a list's columns: data/name_keys.txt)
        if role == "name" and isinstance(value, str):
            names.append(StatedName(no_surrogates(squash_spaces(value)), source, line,
                                    "front matter name"))
        elif role == "alias":
            items = value if isinstance(value, list) else re.split(r"\s*[;|,]\s*", text)
            names.extend(StatedName(n, source, line, "front matter aliases")
                         for n in (squash_spaces(_text(v)) for v in items) if n)
    for want in _TITLE_KEYS:
        value = next((v for k, v in data.items() if str(k).casefold() == want), None)
        if isinstance(value, (str, int, float)) and _text(value):
            title = _text(value)
            break
    return FrontMatter(end + 1, title, tuple(fields), tuple(names))


def _parse_yaml(text: str) -> tuple[Any, dict[str, int]]:
    """The YAML mapping and the line (0-based) of each of its keys; ValueError when it
    does not parse."""
    import yaml

    if _flow_depth(text) > _MAX_FLOW_DEPTH:
        # (PyYAML parses nested flow collections by recursion: 5,000 of them cost it seconds
        # before the interpreter's limit stops it)
        raise RecursionError("nested too deep")
    try:
        loader = yaml.SafeLoader(text)  # (it reads the text: a form feed is refused here)
    except yaml.YAMLError as e:
        raise ValueError(" ".join(str(getattr(e, "reason", None) or e).split())) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        data = loader.construct_document(node)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(e, "problem", None) or type(e).__name__
        raise ValueError(f"{problem}{where}") from None
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _value in node.value:
            lines.setdefault(str(key_node.value), key_node.start_mark.line)
    return data, lines


_MAX_FLOW_DEPTH = 100  # flow collections ([...], {...}) nested deeper: no front matter
_FLOW = re.compile(r"""[\[\]{}]|"(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'""")


def _flow_depth(text: str) -> int:
    """How deep the flow collections of a YAML text nest (quoted strings aside)."""
    depth = deepest = 0
    for m in _FLOW.finditer(text):
        c = m.group()
        if c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}":
            depth = max(0, depth - 1)
    return deepest


def _parse_toml(text: str) -> tuple[Any, dict[str, int]]:
    try:
        import tomllib  # type: ignore[import-not-found]
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ValueError(str(e)) from None
    lines: dict[str, int] = {}
    for i, line in enumerate(text.split("\n")):
        m = re.match(r"\s*(?:\[\s*([\w.-]+|\"[^\"]+\")\s*\]|([\w-]+|\"[^\"]+\")\s*=)", line)
        if m:
            key = (m.group(1) or m.group(2)).strip('"').split(".")[0]
            lines.setdefault(key, i)
    return data, lines


def _text(value: Any, budget: int = _MAX_VALUE_CHARS) -> str:
    """A front-matter value as one line of text: lists joined with ``; ``, mappings as
    ``key: value`` pairs, dates in ISO form (at most `budget` characters)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for v in value:
            if budget <= 0:
                break
            t = _text(v, budget)
            budget -= len(t) + 2
            if t:
                out.append(t)
        return "; ".join(out)[:_MAX_VALUE_CHARS]
    if isinstance(value, dict):
        pairs: list[str] = []
        for k, v in value.items():
            if budget <= 0:
                break
            t = _text(v, budget)
            budget -= len(t) + 4
            if t:
                pairs.append(f"{k}: {t}")
        return ", ".join(pairs)[:_MAX_VALUE_CHARS]
    return no_surrogates(squash_spaces(str(value))[:budget])



_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(={2,}|-{2,})\s*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:\s*\1){2,}\s*$")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]^]+\]:\s*\S+")  # a footnote's ([^1]:) stays
_BLOCKQUOTE = re.compile(r"^\s*(?:>\s?)+")
_MARKDOWN_INLINE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # image -> alt text
    # a reference marker ([3](#cite-3), [^3]) stays a marker the passages take as citation
    (re.compile(r"\[\^?(\d{1,3})\]\([^)\s]*\)"), r"[\1]"),
    (re.compile(r"\[(?!\^?\d{1,3}\])([^\]]+)\]\([^)]*\)"), r"\1"),  # [text](url) -> text
    # [text][ref] -> text; never [3][4], two markers
    (re.compile(r"\[(?!\^?\d{1,3}\]|\^)([^\]]+)\]\[(?!\^?\d{1,3}\])[^\]]*\]"), r"\1"),
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),  # <autolink>
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),  # inline HTML tags
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # emphasis
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),
    (re.compile(r"`+([^`]*)`+"), r"\1"),  # code span
]


_TABLE_DELIMITER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")


def _cells(row: str) -> list[str]:
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", row)]


def _tables(lines: list[str]) -> list[str]:
    """Pipe tables: a two-column table's rows as ``Key: value`` fields (its header row
    dropped), a wider table's rows as ``cell | cell`` (as Word and HTML tables are read);
    the delimiter row blank."""
    out = list(lines)
    i = 1
    while i < len(out):
        if not (_TABLE_DELIMITER.match(out[i]) and "|" in out[i - 1]):
            i += 1
            continue
        width = len(_cells(out[i - 1]))
        out[i] = ""
        if width == 2:
            out[i - 1] = ""
        else:
            out[i - 1] = " | ".join(_cells(out[i - 1]))
        j = i + 1
        while j < len(out) and "|" in out[j] and out[j].strip():
            cells = _cells(out[j])
            if width == 2 and len(cells) == 2 and cells[0] and cells[1]:
                out[j] = f"{cells[0].rstrip(':')}: {cells[1]}"
            else:
                out[j] = " | ".join(c for c in cells if c)
            j += 1
        i = j
    return out


def clean_markdown(lines: list[str]) -> list[str]:
    """Markdown reduced to plain lines, one output line per input line."""
    lines = _tables(_drop_code(lines))
    for i in range(1, len(lines)):
        above = lines[i - 1]
        if (
            _SETEXT_UNDERLINE.match(lines[i])
            and above.strip()
            and not heading_markup(above)
            and not BULLET.match(above)
        ):
            level = "#" if "=" in lines[i] else "##"
            lines[i - 1], lines[i] = f"{level} {above.strip()}", ""
    return [_clean_markdown_line(line) for line in lines]


def _drop_code(lines: list[str]) -> list[str]:
    out = list(lines)
    fence: str | None = None
    for i, line in enumerate(out):
        m = _FENCE.match(line)
        if m and (fence is None or m.group(1) == fence):
            fence = m.group(1) if fence is None else None
            out[i] = ""
        elif fence is not None:
            out[i] = ""
    return out


def _clean_markdown_line(line: str) -> str:
    if _RULE.match(line) or _REFERENCE_DEFINITION.match(line):
        return ""
    line = _BLOCKQUOTE.sub("", line)
    for pattern, replacement in _MARKDOWN_INLINE:
        line = pattern.sub(replacement, line)
    return line


