"""Markdown: cleaned line by line (code fences, front matter, setext headings, links,
emphasis) so that every line keeps its number; ``#`` headings are left for
:mod:`searchdoc.passages`, which reads them in every format."""

from __future__ import annotations

import re
from collections.abc import Iterator

from searchdoc.passages import BULLET, heading_markup
from searchdoc.readers.base import RawDocument, Warn, lines_of


def read(data: bytes, source: str, warn: Warn) -> Iterator[RawDocument]:
    from searchdoc.sources import decode

    text, warnings = decode(data)
    for w in warnings:
        warn(w)
    yield RawDocument(source, lines_of("\n".join(clean_markdown(text.split("\n")))))



_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(={2,}|-{2,})\s*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:\s*\1){2,}\s*$")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+")
_BLOCKQUOTE = re.compile(r"^\s*(?:>\s?)+")
_MARKDOWN_INLINE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # image -> alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [text](url) -> text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref] -> text
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),  # <autolink>
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),  # inline HTML tags
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # emphasis
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),
    (re.compile(r"`+([^`]*)`+"), r"\1"),  # code span
]


def clean_markdown(lines: list[str]) -> list[str]:
    """Markdown reduced to plain lines, one output line per input line."""
    lines = _drop_code_and_front_matter(lines)
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


def _drop_code_and_front_matter(lines: list[str]) -> list[str]:
    out = list(lines)
    if out and out[0].strip() == "---":
        end = next((i for i in range(1, len(out)) if out[i].strip() in ("---", "...")), None)
        if end is not None:
            out[: end + 1] = [""] * (end + 1)
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


