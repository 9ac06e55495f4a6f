"""Parse one decoded source file into a :class:`~searchdoc.models.Document`.

The steps, in the order :func:`parse_document` runs them:

1. **Format.** HTML is reduced to its visible text (:func:`html_to_text`): script, style,
   noscript, template, svg and nav are dropped, block elements become line breaks,
   ``<h1>``-``<h6>`` become ``#`` heading lines, two-cell table rows ``- Key: value`` lines,
   and ``<title>`` (else the first ``<h1>``) becomes the ``# Title`` line; with a
   ``<title>``, the first ``<h1>`` is dropped rather than repeated as a section.  Markdown
   is cleaned line by line (code fences, front matter, setext headings, links, emphasis), so
   line numbers are kept.  Line numbers of HTML documents are those of the extracted text.
2. **Title.** The first level-1 heading (``= Title =`` or ``# Title``), else a heading on the
   first non-empty line, else the first non-empty line itself (trailing ``,``/``:`` removed).
   A title line standing alone is consumed: it is neither a section nor a passage.
3. **Blocks and sections.** Lines are grouped into blank-line separated blocks.  Heading
   lines (``==H==``, ``## H``) split blocks and open a section; so does a block that is one
   short line (<= 6 words) without final ``. , ; ! ?``, e.g. ``  • Designations`` or
   ``Fact:``.
4. **Fields.** A block holding bulleted ``- Key: value`` lines, a run of >= 2 plain
   ``Key: value`` lines, or a scraped profile box (label lines ending in ``:``, each followed
   by its value line) becomes one ``"fields"`` passage; its other lines are captions.
5. **Prose.** Other blocks are joined into one paragraph.  Inline citation blocks (references
   glued without a space to the end of a sentence, each ending in a URL) are cut out into
   :class:`Citation` objects, and the prose is split into sentences without cutting at
   abbreviations such as ``U.S.``, ``Lt. Col.`` or initials.
6. **Passages.** Within each section, runs of paragraphs (fields passages interrupt a run)
   have tiny paragraphs (< 40 words) joined to the next one (the last one to the previous),
   then paragraphs over 250 words are cut at sentence ends into balanced chunks near 160
   words.  A single "sentence" over 250 words is the only thing ever cut inside.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import PurePath

from .models import Citation, Document, Field, Passage

__all__ = ["format_for", "html_to_text", "parse_document", "split_citations", "split_sentences"]

MAX_WORDS = 250  # a passage never holds more words than this (unless one sentence does)
TARGET_WORDS = 160  # long paragraphs are cut into chunks near this size
MIN_WORDS = 40  # paragraphs below this are joined to a neighbour
MAX_HEADING_WORDS = 6  # a standalone heading line has at most this many words
MAX_TITLE_WORDS = 15  # a plain first line this short, standing alone, is consumed as title
MAX_CITATION_CHARS = 500  # a citation's URL starts at most this far from its start
MAX_PROFILE_LINE_WORDS = 30  # lines of a label/value profile box are at most this long

_FORMATS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
_FORMAT_NAMES = frozenset({"text", "markdown", "html"})


def format_for(path: str) -> str:
    """The ``fmt`` for :func:`parse_document` from a file name's extension."""
    return _FORMATS.get(PurePath(path).suffix.lower(), "text")


def parse_document(text: str, source: str, fmt: str = "text") -> Document:
    """Parse decoded file content into title, fields, sections and passages.

    `fmt` is "text", "markdown" or "html" (see :func:`format_for`); `source` is stored as is.
    """
    if fmt not in _FORMAT_NAMES:
        raise ValueError(f"unknown format {fmt!r}; expected one of {sorted(_FORMAT_NAMES)}")
    if fmt == "html":
        text = html_to_text(text)
    lines = _split_lines(text)
    if fmt == "markdown":
        lines = _clean_markdown(lines)
    title, title_index = _find_title(lines)
    sections: list[str] = []
    units: list[tuple[str, _Unit]] = []
    section = ""
    for block in _scan_blocks(lines, skip=title_index):
        unit = block if isinstance(block, _Heading) else _classify_block(block)
        if isinstance(unit, _Heading):
            section = unit.text
            sections.append(section)
        elif unit is not None:
            units.append((section, unit))
    passages = _build_passages(units, source, title)
    fields = tuple(f for p in passages for f in p.fields)
    return Document(source, title, fields, tuple(sections), tuple(passages))


# --------------------------------------------------------------------------- internals


@dataclass(frozen=True)
class _Heading:
    text: str


@dataclass(frozen=True)
class _Sentence:
    text: str
    line_start: int
    line_end: int
    citations: tuple[Citation, ...] = ()

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class _Prose:
    sentences: tuple[_Sentence, ...]


@dataclass(frozen=True)
class _FieldsBlock:
    fields: tuple[Field, ...]
    captions: tuple[str, ...]
    line_start: int
    line_end: int


_Unit = _Prose | _FieldsBlock
_Line = tuple[int, str]  # (1-based line number, text)
_Block = list[_Line]


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _words(sentences: Iterable[_Sentence]) -> int:
    return sum(s.words for s in sentences)


# --------------------------------------------------------------------------- lines, title


_NEWLINE = re.compile(r"\r\n|\r|\n")
_WIKI_HEADING = re.compile(r"^\s*(=+)([^=].*?)=+\s*$")
_MD_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_BULLET = re.compile(r"^\s*[•\-*]\s+")
_LEADING_BULLETS = re.compile(r"^[\s•\-*]+")
_FINAL_PUNCTUATION = ".,;!?…؟"


def _split_lines(text: str) -> list[str]:
    return _NEWLINE.split(text.lstrip("\ufeff"))


def _heading_markup(line: str) -> tuple[int, str] | None:
    """(level, text) of a ``== Heading ==`` or ``## Heading`` line."""
    m = _WIKI_HEADING.match(line) or _MD_HEADING.match(line)
    if m is None:
        return None
    text = _normalise(m.group(2))
    return (len(m.group(1)), text) if text else None


def _find_title(lines: list[str]) -> tuple[str, int | None]:
    """The title and the index of the line to consume for it (None: keep the line)."""
    for i, line in enumerate(lines):
        heading = _heading_markup(line)
        if heading and heading[0] == 1:
            return heading[1], i
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return "", None
    heading = _heading_markup(lines[first])
    if heading:
        return heading[1], first
    title = _normalise(_LEADING_BULLETS.sub("", lines[first])).rstrip(",:").rstrip()
    alone = first + 1 == len(lines) or not lines[first + 1].strip()
    short = len(title.split()) <= MAX_TITLE_WORDS and not title.endswith(tuple(".;!?"))
    return title, (first if alone and short else None)


class _AfterHeading(list):  # type: ignore[type-arg]
    """A block that follows a heading line with no blank line between: its text, however
    short (a package's one-line synopsis under ``== name ==``), is never a heading."""


def _scan_blocks(lines: list[str], skip: int | None) -> Iterator[_Heading | _Block]:
    """Blank-line separated blocks, split by (and interleaved with) heading lines."""
    block: _Block = []
    after_heading = False
    for i, line in enumerate(lines):
        heading = None if i == skip else _heading_markup(line)
        if i == skip or not line.strip() or heading:
            if block:
                yield block
                block = []
            if heading:
                yield _Heading(heading[1])
            after_heading = bool(heading)
            continue
        if not block and after_heading:
            block = _AfterHeading()
        block.append((i + 1, line))
    if block:
        yield block


def _classify_block(block: _Block) -> _Heading | _Unit | None:
    fields = _fields_block(block)
    if fields is not None:
        return fields
    if len(block) == 1 and not isinstance(block, _AfterHeading):
        heading = _standalone_heading(block[0][1])
        if heading:
            return _Heading(heading)
    return _prose(block)


def _standalone_heading(line: str) -> str | None:
    """The heading text of a short line standing alone, e.g. ``  • Designations``."""
    text = _normalise(_LEADING_BULLETS.sub("", line))
    if text.endswith(":"):
        text = text[:-1].rstrip()
    if not text or text[-1] in _FINAL_PUNCTUATION or len(text.split()) > MAX_HEADING_WORDS:
        return None
    if not any(c.isalpha() for c in text) or _match_key(_PLAIN_FIELD, text):
        return None  # a lone `Key: value` line is prose, not a heading
    return text


# --------------------------------------------------------------------------- fields


_KEY = r"[^\W\d_][\w()'’/&\-]*(?:[ \t]+[\w()'’/&\-]+){0,4}"
_BULLETED_FIELD = re.compile(rf"^\s*[•\-*]\s+(?P<key>{_KEY})[ \t]*:\s+(?P<value>\S.*)$")
_PLAIN_FIELD = re.compile(rf"^\s*(?P<key>{_KEY})[ \t]*:\s+(?P<value>\S.*)$")
_LABEL = re.compile(rf"^\s*(?P<key>{_KEY})[ \t]*:\s*$")
_KEY_ONLY = re.compile(rf"^\s*(?P<key>{_KEY})\s*$")


def _match_key(pattern: re.Pattern[str], line: str) -> tuple[str, str] | None:
    """(key, value) if `line` matches `pattern` with a key starting with a capital."""
    m = pattern.match(line)
    if m is None or not m.group("key")[0].isupper():
        return None
    value = m.groupdict().get("value") or ""
    return _normalise(m.group("key")), _normalise(value)


def _fields_block(block: _Block) -> _FieldsBlock | None:
    found = _profile_box_fields(block) or _inline_fields(block)
    if found is None:
        return None
    fields, captions = found
    return _FieldsBlock(tuple(fields), tuple(captions), block[0][0], block[-1][0])


def _inline_fields(block: _Block) -> tuple[list[Field], list[str]] | None:
    """Bulleted ``- Key: value`` lines and runs of >= 2 plain ``Key: value`` lines."""
    plain = [_match_key(_PLAIN_FIELD, line) for _, line in block]
    is_plain = [p is not None for p in plain] + [False]  # is_plain[-1] is False: no wrap-around
    fields: list[Field] = []
    captions: list[str] = []
    for i, (number, line) in enumerate(block):
        in_run = is_plain[i] and (is_plain[i - 1] or is_plain[i + 1])
        pair = _match_key(_BULLETED_FIELD, line) or (plain[i] if in_run else None)
        if pair:
            fields.append(Field(pair[0], pair[1], number))
        else:
            captions.append(_normalise(_BULLET.sub("", line)))
    return (fields, captions) if fields else None


def _profile_box_fields(block: _Block) -> tuple[list[Field], list[str]] | None:
    """Scraped profile box: label lines ending in ``:``, each followed by a value line.

    An unlabelled pair of lines right before a label line (``Extremist entity`` /
    ``Hezbollah``) is a field too; any other line is a caption.
    """
    texts = [_normalise(_BULLET.sub("", line)) for _, line in block]
    if any(len(t.split()) > MAX_PROFILE_LINE_WORDS for t in texts):
        return None
    labels = [_match_key(_LABEL, t) for t in texts]
    n = len(texts)
    if sum(1 for i in range(n - 1) if labels[i] and not labels[i + 1]) < 2:
        return None
    fields: list[Field] = []
    captions: list[str] = []
    i = 0
    while i < n:
        number = block[i][0]
        label = labels[i]
        if i + 1 < n and not labels[i + 1]:
            if label:
                fields.append(Field(label[0], texts[i + 1], number))
                i += 2
                continue
            if i + 2 < n and labels[i + 2] and _match_key(_KEY_ONLY, texts[i]):
                fields.append(Field(texts[i], texts[i + 1], number))
                i += 2
                continue
        captions.append(texts[i])
        i += 1
    return fields, captions


# --------------------------------------------------------------------------- citations


_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"“”]+")
_CITATION_START = re.compile(r"[.?!][\"”’]?(?=[\"“‘]|[^\W\d_])")
_OPENING_QUOTES = "\"“‘"


def split_citations(text: str) -> tuple[str, tuple[Citation, ...]]:
    """Cut inline citation blocks out of `text`: (prose, citations in order, de-duplicated)."""
    segments = _citation_segments(text)
    prose = _normalise(" ".join(text[a:b] for a, b, _ in segments))
    return prose, _dedupe(c for _, _, cits in segments for c in cits)


def _dedupe(citations: Iterable[Citation]) -> tuple[Citation, ...]:
    return tuple(dict.fromkeys(citations))


def _citation_segments(text: str) -> list[tuple[int, int, tuple[Citation, ...]]]:
    """(start, end, citations): spans of prose, each with the citations cut out after it."""
    segments: list[tuple[int, int, tuple[Citation, ...]]] = []
    pos = 0
    for m in _CITATION_START.finditer(text):
        if m.start() < pos or not _after_sentence_word(text, m.start()):
            continue
        start = m.end()
        if m.group().endswith('"') and text.count('"', pos, m.start()) % 2 == 0:
            start -= 1  # an even number of quotes before: this one opens the citation
        if not (text[start].isupper() or text[start] in _OPENING_QUOTES):
            continue
        block = _parse_citation_block(text, start)
        if block is not None:
            end, citations = block
            segments.append((pos, start, citations))
            pos = end
    segments.append((pos, len(text), ()))
    return segments


def _after_sentence_word(text: str, i: int) -> bool:
    """Whether the end mark at `i` closes a sentence: after a lowercase word, digit, ) or quote.

    A period after a capital (``U.S.``, ``F.``) never starts a citation block.
    """
    if i < 2:
        return False
    last, before = text[i - 1], text[i - 2]
    if last.islower() and (before.isalpha() or before in "'’"):
        return True
    return last.isdigit() or last in ")”\"’"


def _parse_citation_block(text: str, start: int) -> tuple[int, tuple[Citation, ...]] | None:
    """(end, citations) of the ``; ``-separated references at `start`, each ending in a URL."""
    citations: list[Citation] = []
    pos = end = start
    while True:
        m = _URL.search(text, pos)
        if m is None or m.start() - pos > MAX_CITATION_CHARS:
            break
        body = text[pos : m.start()]
        if not citations and "," not in body:
            return None  # a reference names its source, date, ... separated by commas
        url = m.group().rstrip(".;,")
        citations.append(Citation(_normalise(body).rstrip(" ,;:"), url))
        end = m.end()
        if ";" not in m.group()[len(url) :]:
            break
        pos = end
    return (end, tuple(citations)) if citations else None


# --------------------------------------------------------------------------- sentences


_SENTENCE_END = re.compile(r"[.?!…؟]+[\"'”’»)\]]*(?=\s)")
_NEXT_START = re.compile(r"\s+[\"'“‘«(\[]*(\S)")
_INITIALS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr st lt col gen sgt capt cpt maj adm cmdr brig gov sen rep rev prof pres hon
    jr sr no nos vs etc inc ltd co corp dept fig approx ave mt ft cf pp vol al ca
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, never cut at abbreviations, initials or decimal numbers."""
    return [_normalise(text[a:b]) for a, b in _sentence_spans(text)]


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if _is_sentence_boundary(text, m):
            spans.append((start, m.end()))
            start = m.end()
    spans.append((start, len(text)))
    return [_trim(text, a, b) for a, b in spans if text[a:b].strip()]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _is_sentence_boundary(text: str, m: re.Match[str]) -> bool:
    nxt = _NEXT_START.match(text, m.end())
    if nxt is None:
        return False
    first = nxt.group(1)
    if not first.isalnum() or first.islower():
        return False  # the next sentence starts with a capital, a digit or a caseless letter
    if m.group().rstrip("\"'”’»)]") != ".":
        return True
    token = text[text.rfind(" ", 0, m.start()) + 1 : m.start()].lstrip("\"'“‘«([")
    token = re.split(r"[-–—/]", token)[-1]
    return token.lower() not in _ABBREVIATIONS and not _INITIALS.fullmatch(token)


# --------------------------------------------------------------------------- prose blocks


def _prose(block: _Block) -> _Prose | None:
    """One paragraph: the lines joined, citations cut out, split into sentences."""
    parts: list[str] = []
    offsets: list[int] = []
    numbers: list[int] = []
    pos = 0
    for number, line in block:
        part = _normalise(_BULLET.sub("", line))
        if any(c.isalnum() for c in part):  # a line of bare bullets or rules says nothing
            parts.append(part)
            offsets.append(pos)
            numbers.append(number)
            pos += len(part) + 1
    text = " ".join(parts)

    def line_at(offset: int) -> int:
        return numbers[bisect_right(offsets, offset) - 1]

    sentences: list[_Sentence] = []
    for start, end, citations in _citation_segments(text):
        spans = _sentence_spans(text[start:end])
        for k, (a, b) in enumerate(spans):
            cites = citations if k == len(spans) - 1 else ()
            sentence = _normalise(text[start + a : start + b])
            sentences.append(_Sentence(sentence, line_at(start + a), line_at(start + b - 1), cites))
        if not spans and citations and sentences:
            sentences[-1] = replace(sentences[-1], citations=sentences[-1].citations + citations)
    return _Prose(tuple(sentences)) if sentences else None


# --------------------------------------------------------------------------- passages


def _build_passages(units: list[tuple[str, _Unit]], source: str, title: str) -> list[Passage]:
    """Passages in order; prose is chunked per run (same section, no fields block between)."""
    passages: list[Passage] = []
    for section, run in _runs(units):
        if isinstance(run, _FieldsBlock):
            passages.append(_fields_passage(run, source, len(passages), title, section))
            continue
        for chunk in _chunk_run(run):
            passages.append(_prose_passage(chunk, source, len(passages), title, section))
    return passages


def _runs(units: list[tuple[str, _Unit]]) -> Iterator[tuple[str, _FieldsBlock | list[_Prose]]]:
    """Fields blocks one by one, and maximal runs of prose paragraphs of one section."""
    run: list[_Prose] = []
    run_section = ""
    for section, unit in units:
        if run and (section != run_section or isinstance(unit, _FieldsBlock)):
            yield run_section, run
            run = []
        if isinstance(unit, _FieldsBlock):
            yield section, unit
        else:
            run_section = section
            run.append(unit)
    if run:
        yield run_section, run


def _chunk_run(run: list[_Prose]) -> list[list[_Sentence]]:
    """Tiny paragraphs joined to a neighbour, then long ones split."""
    return [chunk for para in _join_tiny(run) for chunk in _split_long(para)]


def _join_tiny(run: list[_Prose]) -> list[list[_Sentence]]:
    """Join each paragraph under MIN_WORDS to the next; a tiny last one to the previous."""
    joined: list[list[_Sentence]] = []
    pending: list[_Sentence] = []
    for para in run:
        pending.extend(para.sentences)
        if _words(pending) >= MIN_WORDS:
            joined.append(pending)
            pending = []
    if pending and joined:
        joined[-1].extend(pending)
    elif pending:
        joined.append(pending)
    return joined


def _split_long(sentences: list[_Sentence]) -> list[list[_Sentence]]:
    """Cut a paragraph over MAX_WORDS at sentence ends into balanced chunks."""
    if _words(sentences) <= MAX_WORDS:
        return [sentences]
    pieces = [piece for s in sentences for piece in _explode(s)]
    sizes = [p.words for p in pieces]
    n = len(pieces)
    best = [0.0] + [math.inf] * n  # best[j]: cost of cutting pieces[:j] into chunks
    cut = [0] * (n + 1)
    for j in range(1, n + 1):
        size = 0
        for i in range(j - 1, -1, -1):
            size += sizes[i]
            if size > MAX_WORDS and i < j - 1:
                break
            cost = best[i] + (size - TARGET_WORDS) ** 2
            if cost < best[j]:
                best[j], cut[j] = cost, i
    chunks: list[list[_Sentence]] = []
    j = n
    while j > 0:
        chunks.append(pieces[cut[j] : j])
        j = cut[j]
    return chunks[::-1]


def _explode(sentence: _Sentence) -> list[_Sentence]:
    """A "sentence" over MAX_WORDS (a list, a run-on) cut into equal word slices."""
    words = sentence.text.split()
    if len(words) <= MAX_WORDS:
        return [sentence]
    count = math.ceil(len(words) / TARGET_WORDS)
    size = math.ceil(len(words) / count)
    slices = [words[k : k + size] for k in range(0, len(words), size)]
    last = len(slices) - 1
    return [
        replace(sentence, text=" ".join(s), citations=sentence.citations if k == last else ())
        for k, s in enumerate(slices)
    ]


def _prose_passage(
    sentences: list[_Sentence], source: str, ordinal: int, title: str, section: str
) -> Passage:
    return Passage(
        source=source,
        ordinal=ordinal,
        title=title,
        section=section,
        line_start=min(s.line_start for s in sentences),
        line_end=max(s.line_end for s in sentences),
        text=" ".join(s.text for s in sentences),
        citations=_dedupe(c for s in sentences for c in s.citations),
    )


def _fields_passage(
    block: _FieldsBlock, source: str, ordinal: int, title: str, section: str
) -> Passage:
    lines = [*block.captions, *(f"{f.key}: {f.value}" for f in block.fields)]
    return Passage(
        source=source,
        ordinal=ordinal,
        title=title,
        section=section,
        line_start=block.line_start,
        line_end=block.line_end,
        text="\n".join(line for line in lines if line),
        kind="fields",
        fields=block.fields,
    )


# --------------------------------------------------------------------------- markdown


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


def _clean_markdown(lines: list[str]) -> list[str]:
    """Markdown reduced to plain lines, one output line per input line."""
    lines = _drop_code_and_front_matter(lines)
    for i in range(1, len(lines)):
        above = lines[i - 1]
        if (
            _SETEXT_UNDERLINE.match(lines[i])
            and above.strip()
            and not _heading_markup(above)
            and not _BULLET.match(above)
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


# --------------------------------------------------------------------------- html


_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "nav"})
_BLOCK_TAGS = frozenset(
    """p div section article header footer main aside blockquote pre table ul ol dl
    figure figcaption form hr address fieldset details summary body""".split()
)
_LINE_TAGS = frozenset({"dt", "dd"})  # br, li and tr are handled on their own
_HEADING_TAGS = {f"h{n}": n for n in range(1, 7)}
_BARE_MARKER = re.compile(r"^(?:#+|[-•*])$")


def html_to_text(html: str) -> str:
    """The visible text of an HTML page, headings as ``#`` lines, title first as ``# Title``."""
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.out).split("\n")]
    title = _normalise(parser.title)
    if title:
        lines = [f"# {title}", "", *lines]
    out: list[str] = []
    for line in lines:
        if _BARE_MARKER.match(line):
            continue
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")


class _VisibleText(HTMLParser):
    """Collects visible text; block elements become line breaks, headings ``#`` lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False
        self._pre = 0
        self._in_heading = False
        self._seen_h1 = False
        self._dropping = False  # inside the first <h1> when a <title> gave the title
        self._row: list[list[str]] | None = None  # cells of the open table row

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif self._skip:
            return
        elif tag == "title":
            self._in_title = True
        elif tag in _HEADING_TAGS:
            self._open_heading(_HEADING_TAGS[tag])
        elif tag == "tr":
            self._flush_row()
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._row.append([])
        elif tag == "li":
            self._start_line("- ")
        elif tag == "br":
            self._emit(" " if self._in_heading else "\n")
        elif tag in _BLOCK_TAGS:
            self._emit("\n\n")
        elif tag in _LINE_TAGS:
            self._start_line("")
        if tag == "pre" and not self._skip:
            self._pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif self._skip:
            return
        elif tag == "title":
            self._in_title = False
        elif tag in _HEADING_TAGS:
            self._in_heading = self._dropping = False
            self._emit("\n\n")
        elif tag in ("tr", "table"):
            self._flush_row()
            self._emit("\n\n" if tag == "table" else "")
        elif tag in _BLOCK_TAGS:
            self._emit("\n\n")
        if tag == "pre" and self._pre:
            self._pre -= 1

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._in_title:
            self.title += data
            return
        if self._dropping:
            return
        if not self._pre:
            data = re.sub(r"\s+", " ", data)
            if data == " " and not self._row and (not self.out or self.out[-1].endswith("\n")):
                return  # whitespace between block elements would make a blank line
        self._emit(data)

    def close(self) -> None:
        super().close()
        self._flush_row()

    def _open_heading(self, level: int) -> None:
        """``<hN>`` opens a ``#``*N line; the first ``<h1>`` is dropped if ``<title>`` was seen."""
        self._in_heading = True
        if level == 1 and not self._seen_h1:
            self._seen_h1 = True
            self._dropping = bool(self.title.strip())
        if not self._dropping:
            self._emit("\n\n" + "#" * level + " ")

    def _emit(self, text: str) -> None:
        if self._row:
            self._row[-1].append(text)
        else:
            self.out.append(text)

    def _flush_row(self) -> None:
        """A two-cell row becomes a ``- Key: value`` line, any other row one line."""
        if self._row is None:
            return
        cells = [c for c in (_normalise("".join(cell)) for cell in self._row) if c]
        self._row = None
        if len(cells) == 2:
            self._start_line(f"- {cells[0].rstrip(':')}: {cells[1]}")
        elif cells:
            self._start_line(" ".join(cells))

    def _start_line(self, text: str) -> None:
        """`text` at the start of a line (without making a blank line)."""
        if self.out and not self.out[-1].endswith("\n"):
            self._emit("\n")
        self._emit(text)
