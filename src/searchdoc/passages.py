"""Documents from what a reader found: title, fields, sections, citations, passages.

Every format goes through the same steps (:func:`build`), in this order, on the lines a
reader gives (:mod:`searchdoc.readers`):

1. **Title.** The title the format's metadata gives, else the first level-1 heading
   (``= Title =`` or ``# Title``), else a heading on the first non-empty line, else the
   first non-empty line itself (trailing ``,``/``:`` removed) when it is short (at most
   15 words and 100 characters: a name, a headline), else that line's first sentence when
   it is that short, else the first heading further on, else the file's name. A title line standing alone is consumed: it is neither a section
   nor a passage. A title is one line of about 100 characters at most, holding a letter.
2. **Blocks and sections.** Lines are grouped into blank-line separated blocks (a page
   of a PDF always ends one).  Heading lines (``==H==``, ``## H``, or marked by the
   format) split blocks and open a section; so does a block that is one short line
   (<= 6 words) without final ``. , ; ! ?``, e.g. ``  • Designations`` or ``Fact:``.
3. **Fields.** A block holding bulleted ``- Key: value`` lines, a run of >= 2 plain
   ``Key: value`` lines, or a scraped profile box (label lines ending in ``:``, each followed
   by its value line) becomes one ``"fields"`` passage; its other lines are captions. The
   fields the format's metadata gives (an e-mail's From and Date) are one more, first.
4. **Prose.** Other blocks are joined into one paragraph.  Inline citation blocks (references
   glued without a space to the end of a sentence, each ending in a URL) are cut out into
   :class:`Citation` objects, and the prose is split into sentences without cutting at
   abbreviations such as ``U.S.``, ``Lt. Col.`` or initials.
5. **Passages.** Within each section (and page), runs of paragraphs (fields passages
   interrupt a run) have tiny paragraphs (< 40 words) joined to the next one (the last one
   to the previous), then paragraphs over 250 words are cut at sentence ends into balanced
   chunks near 160 words.  A single "sentence" over 250 words is the only thing ever cut
   inside.

A record of a list (``kind="record"``) is one passage of its fields, titled by its name.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import groupby
from typing import TYPE_CHECKING

from searchdoc.models import Citation, Document, Field, Passage
from searchdoc.names.columns import is_name_key, join_name_parts, name_part
from searchdoc.readers.text import BULLET, heading_markup, squash_spaces

if TYPE_CHECKING:
    from searchdoc.readers.base import Line, RawDocument

__all__ = ["build", "split_citations", "split_sentences"]

MAX_WORDS = 250  # a passage never holds more words than this (unless one sentence does)
TARGET_WORDS = 160  # long paragraphs are cut into chunks near this size
MIN_WORDS = 40  # paragraphs below this are joined to a neighbour
MAX_HEADING_WORDS = 6  # a standalone heading line has at most this many words
MAX_TITLE_WORDS = 15  # a plain first line this short, standing alone, is consumed as title
MAX_TITLE_CHARS = 100  # a title is cut to about this many characters
MAX_CITATION_CHARS = 500  # a citation's URL starts at most this far from its start
MAX_PROFILE_LINE_WORDS = 30  # lines of a label/value profile box are at most this long
PARAGRAPH_LINE_CHARS = 100  # lines this long on average, each ending a sentence: paragraphs


def build(raw: RawDocument, first_ordinal: int = 0) -> Document:
    """The document of what a reader found; passages numbered from `first_ordinal` (the
    documents of one file share one numbering)."""
    if raw.kind == "record":
        return _record_document(raw, first_ordinal)
    lines, markers = _cut_markers(list(raw.lines))
    title, title_index = _find_title(lines, raw.title)
    title = _fit_title(title, raw.source)
    items = _items(lines, title_index)
    if title_index is not None and not any(isinstance(it[1], (_Prose, _FieldsBlock))
                                           for it in items):
        # the title is all the text: it is its passage too (without its heading markup)
        lines[title_index] = replace(lines[title_index], text=title, heading=0)
        items = _items(lines, None)
    sections: list[str] = []
    passages: list[Passage] = []
    if raw.fields:
        passages.append(_metadata_passage(raw, first_ordinal))
    section = ""
    for page, group in groupby(items, key=lambda it: it[0]):
        units: list[tuple[str, _Unit]] = []
        for _page, unit in group:
            if isinstance(unit, _Heading):
                section = unit.text
                sections.append(section)
            else:
                units.append((section, unit))
        passages.extend(_build_passages(units, raw.source, title, first_ordinal + len(passages),
                                        page))
    if markers:
        passages = _cite_markers(passages, markers)
    if raw.citations or raw.record is not None:
        passages = [replace(p, citations=_dedupe((*p.citations, *raw.citations)),
                            record=raw.record) for p in passages]
    fields = tuple(f for p in passages for f in p.fields)
    return Document(raw.source, title, fields, tuple(sections), tuple(passages), raw.names,
                    raw.record)


def _items(lines: list[Line], title_index: int | None
           ) -> list[tuple[int | None, _Heading | _Unit]]:
    """(page, heading or unit) of the lines in order, the title line left out.

    A short line standing alone is a heading only where the document shows it has such
    structure (two headings or more, of any kind, the title aside) and text follows it;
    otherwise it is text (the name line under a profile's title, the last line of a
    note)."""
    found: list[tuple[int | None, _Heading | _ShortLine | _Unit]] = []
    numbered = list(enumerate(lines))
    for page, group in groupby(numbered, key=lambda il: il[1].page):
        for block in _scan_blocks(list(group), skip=title_index):
            if isinstance(block, _Heading):
                found.append((page, block))
                continue
            for part in _paragraph_lines(block):
                classified = _classify_block(part)
                if classified is not None:
                    found.append((page, classified))
    structured = sum(isinstance(u, (_ShortLine, _Heading)) for _p, u in found) >= 2
    # whether text (not a short line or a heading) follows each item: one pass from the end
    text_after = [False] * (len(found) + 1)
    for i in range(len(found) - 1, -1, -1):
        unit = found[i][1]
        text_after[i] = text_after[i + 1] or not isinstance(unit, (_ShortLine, _Heading))
    out: list[tuple[int | None, _Heading | _Unit]] = []
    for i, (page, unit) in enumerate(found):
        if isinstance(unit, _ShortLine):
            # the next item that is not a short line or a heading: text under this one?
            if structured and text_after[i + 1]:
                out.append((page, _Heading(unit.text)))
                continue
            prose = _prose(unit.block)
            if prose is None:
                continue
            out.append((page, prose))
        else:
            out.append((page, unit))
    return out


def _paragraph_lines(block: _Block) -> list[_Block]:
    """A block whose lines are each a paragraph (text written with single line breaks
    between paragraphs: every line but the last ends a sentence, and lines are long) is
    read as one block per line, as blank lines would separate them; else the block."""
    if len(block) < 2 or isinstance(block, _AfterHeading):
        return [block]
    texts = [t.strip() for _n, t in block]
    long_lines = sum(len(t) for t in texts) / len(texts) >= PARAGRAPH_LINE_CHARS
    ends = all(t.endswith(_SENTENCE_FINAL) for t in texts[:-1] if len(t) >= PARAGRAPH_LINE_CHARS)
    short_heads = all(len(t) >= PARAGRAPH_LINE_CHARS or _standalone_heading(t) for t in texts)
    if not (long_lines and ends and short_heads):
        return [block]
    return [[line] for line in block]


def _metadata_passage(raw: RawDocument, ordinal: int) -> Passage:
    lines = [f.line for f in raw.fields]
    return Passage(raw.source, ordinal, raw.title or "", "", min(lines), max(lines),
                   "\n".join(f"{f.key}: {f.value}" for f in raw.fields), kind="fields",
                   fields=raw.fields, record=raw.record)


def _record_document(raw: RawDocument, ordinal: int) -> Document:
    """A record of a list: its lines (``Key: value``, one per column, names included) as
    one passage titled by its name; a record over MAX_WORDS words is cut between its lines
    (a line over MAX_WORDS into word slices) into several, each of this record alone.
    Nothing is cut out as a citation: a record says what it says."""
    from searchdoc.readers.base import Line

    lines = [line for line in raw.lines if line.text.strip()] or [
        Line(f.line, f"{f.key}: {f.value}") for f in raw.fields]
    title = squash_spaces(raw.title or "")
    numbers = [line.number for line in raw.lines] + [line.number for line in lines]
    if not lines:
        return Document(raw.source, title, raw.fields, (), (), raw.names, raw.record)
    pieces: list[tuple[int, str, int]] = []  # (line, text, words)
    for line in lines:
        words = line.text.split()
        if len(words) <= MAX_WORDS:
            pieces.append((line.number, squash_spaces(line.text), len(words)))
            continue
        size = math.ceil(len(words) / math.ceil(len(words) / TARGET_WORDS))
        pieces.extend((line.number, " ".join(words[k:k + size]), len(words[k:k + size]))
                      for k in range(0, len(words), size))
    chunks: list[list[tuple[int, str, int]]] = [[]]
    for piece in pieces:
        if chunks[-1] and sum(p[2] for p in chunks[-1]) + piece[2] > MAX_WORDS:
            chunks.append([])
        chunks[-1].append(piece)
    passages = []
    for k, chunk in enumerate(chunks):  # the first starts, the last ends, where the record does
        texts = {text for _n, text, _w in chunk}
        fields = tuple(f for f in raw.fields if f"{f.key}: {f.value}" in texts)
        start = min(numbers) if k == 0 else chunk[0][0]
        end = max(numbers) if k == len(chunks) - 1 else chunk[-1][0]
        passages.append(Passage(raw.source, ordinal + k, title, "", start, end,
                                "\n".join(p[1] for p in chunk), citations=raw.citations,
                                kind="record", fields=fields, record=raw.record))
    return Document(raw.source, title, raw.fields, (), tuple(passages), raw.names, raw.record)


# --------------------------------------------------------------------------- internals


@dataclass(frozen=True)
class _Heading:
    text: str


@dataclass(frozen=True)
class _ShortLine:
    """A short line standing alone: a heading where the document has such structure."""

    text: str
    block: list[tuple[int, str]]


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


def _words(sentences: Iterable[_Sentence]) -> int:
    return sum(s.words for s in sentences)


# --------------------------------------------------------------------------- lines, title


_LEADING_BULLETS = re.compile(r"^[\s•\-*]+")
_FINAL_PUNCTUATION = ".,;!?…؟،؛"
_SENTENCE_FINAL = tuple(".!?…؟:\"”’»)")


def _line_heading(line: Line) -> tuple[int, str] | None:
    """(level, text) of a line the format marks as a heading, or that is written as one."""
    if line.heading > 0:
        text = squash_spaces(line.text)
        return (line.heading, text) if text else None
    return heading_markup(line.text) if line.heading == 0 else None


def _find_title(lines: Sequence[Line], given: str | None = None) -> tuple[str, int | None]:
    """The title and the index of the line to consume for it (None: keep the line)."""
    if given:
        title = squash_spaces(given)
        first = next((i for i, line in enumerate(lines) if line.text.strip()), None)
        if first is not None:
            heading = _line_heading(lines[first])
            text = heading[1] if heading else squash_spaces(lines[first].text)
            if text.casefold() == title.casefold():
                return title, first
        return title, None
    for i, line in enumerate(lines):
        heading = _line_heading(line)
        if heading and heading[0] == 1:
            return heading[1], i
    filled = [i for i, line in enumerate(lines[:200]) if line.text.strip()]
    # a DOI, an address or a code on the first lines (a paper's running head) is no title
    first = next((i for i in filled[:4] if not _NOT_A_TITLE.match(lines[i].text.strip())),
                 filled[0] if filled else None)
    if first is None:
        return "", None
    heading = _line_heading(lines[first])
    if heading:
        return heading[1], first
    field = _field_of(lines[first].text)
    if field is not None and is_name_key(field[0]):
        return field[1], None  # "Name: X": the title is X; the line stays a field
    if field is not None and name_part(field[0]):
        # "Surname: SOLEIMANI", "Given names: Qasem": the title is the name they make
        parts = []
        for line in lines[first:]:
            pair = _field_of(line.text) if line.text.strip() else None
            if pair is None:
                break
            part = name_part(pair[0])
            if part is not None:
                parts.append((part, pair[1]))
        joined = join_name_parts(parts)
        if joined:
            return joined, None
    title = squash_spaces(_LEADING_BULLETS.sub("", lines[first].text)).rstrip(",:").rstrip()
    if len(title.split()) > MAX_TITLE_WORDS or len(title) > MAX_TITLE_CHARS:
        # a paragraph, not a title: its first sentence when that is short (a headline
        # written on the line of its text), else the first heading, else the file's name
        sentence = split_sentences(title[:2000])[:1]
        if sentence and len(sentence[0].split()) <= MAX_TITLE_WORDS and \
                len(sentence[0]) <= MAX_TITLE_CHARS:
            return sentence[0], None
        heading = next((h for line in lines[first + 1:] if (h := _line_heading(line))), None)
        return (heading[1] if heading else ""), None
    alone = first + 1 == len(lines) or not lines[first + 1].text.strip()
    short = not title.endswith(tuple(".;!?"))
    return title, (first if alone and short else None)


_NOT_A_TITLE = re.compile(
    r"^(?:(?:doi:?\s*|https?://(?:dx\.)?doi\.org/)?10\.\d{4,9}/\S+|https?://\S+|www\.\S+"
    r"|\S*\d\S*|(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?)$", re.IGNORECASE)


def _fit_title(title: str, source: str) -> str:
    """One line of at most about MAX_TITLE_CHARS characters (cut at a word, marked ``…``),
    holding a letter; else the file's name (``Ismail_Khan.odt``: ``Ismail Khan``)."""
    title = squash_spaces(_MARKER_RUN.sub(_unglue, title))
    if len(title) > MAX_TITLE_CHARS:
        cut = title[:MAX_TITLE_CHARS + 1].rsplit(" ", 1)[0]
        title = (cut if len(cut) >= MAX_TITLE_CHARS // 2 else title[:MAX_TITLE_CHARS]).rstrip(
            " ,;:") + "…"
    if any(c.isalpha() for c in title):
        return title
    name = source.rstrip("/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    return squash_spaces(stem.replace("_", " ")) or name


class _AfterHeading(list):  # type: ignore[type-arg]
    """A block that follows a heading line with no blank line between: its text, however
    short (a package's one-line synopsis under ``== name ==``), is never a heading."""


def _scan_blocks(lines: Sequence[tuple[int, Line]], skip: int | None
                 ) -> Iterator[_Heading | _Block]:
    """Blank-line separated blocks, split by (and interleaved with) heading lines.
    `lines`: (index in the document, line); `skip`: the index of the title line."""
    block: _Block = []
    after_heading = False
    for i, line in lines:
        heading = None if i == skip else _line_heading(line)
        if i == skip or not line.text.strip() or heading:
            if block:
                yield block
                block = []
            if heading:
                yield _Heading(heading[1])
            after_heading = bool(heading)
            continue
        if not block and after_heading:
            block = _AfterHeading()
        block.append((line.number, line.text))
    if block:
        yield block


def _classify_block(block: _Block) -> _ShortLine | _Unit | None:
    fields = _fields_block(block)
    if fields is not None:
        return fields
    if len(block) == 1 and not isinstance(block, _AfterHeading):
        heading = _standalone_heading(block[0][1])
        if heading:
            return _ShortLine(heading, block)
    return _prose(block)


def _standalone_heading(line: str) -> str | None:
    """The heading text of a short line standing alone, e.g. ``  • Designations``. A
    bulleted line is a heading only when written as one (its words capitalised, as a
    scraped page's menu is): ``- follow up next week`` in a message is an item."""
    text = squash_spaces(_LEADING_BULLETS.sub("", line))
    if BULLET.match(line) and not _title_cased(text):
        return None
    if text.endswith(":"):
        text = text[:-1].rstrip()
    if not text or text[-1] in _FINAL_PUNCTUATION or len(text.split()) > MAX_HEADING_WORDS:
        return None
    if not any(c.isalpha() for c in text) or _field_of(text):
        return None  # a lone `Key: value` line is prose, not a heading
    return text


def _title_cased(text: str) -> bool:
    """Every word of four letters or more starts with a capital (words of scripts without
    case pass)."""
    return all(not w[0].islower() for w in text.split() if len(w) >= 4)


# --------------------------------------------------------------------------- fields


_KEY = r"[^\W\d_][\w()'’/&\-\u200c]*(?:[ \t]+[\w()'’/&\-\u200c]+){0,4}"
_COLON = r"[ \t]*[:：﹕]"  # the colon, also as East Asian and small forms
_BULLETED_FIELD = re.compile(rf"^\s*[•\-*]\s+(?P<key>{_KEY}){_COLON}\s+(?P<value>\S.*)$")
_PLAIN_FIELD = re.compile(rf"^\s*(?P<key>{_KEY}){_COLON}\s+(?P<value>\S.*)$")
# A key and its value separated by a tab: an infobox or a two-column table pasted as text
# ("Native name<TAB>قاسم سلیمانی", "Born<TAB>11 March 1957").
_TAB_FIELD = re.compile(r"^\s*(?P<key>[^\W\d_][\w()'’/&\-\u200c]*(?: [\w()'’/&\-\u200c]+){0,4})"
                        r" *\t+\s*(?P<value>\S.*)$")
_LABEL = re.compile(rf"^\s*(?P<key>{_KEY}){_COLON}\s*$")
_KEY_ONLY = re.compile(rf"^\s*(?P<key>{_KEY})\s*$")


def _field_of(line: str) -> tuple[str, str] | None:
    """(key, value) of a ``Key: value`` line, or of a ``Key<TAB>value`` line."""
    return _match_key(_PLAIN_FIELD, line) or (
        _match_key(_TAB_FIELD, line) if "\t" in line else None)


def _match_key(pattern: re.Pattern[str], line: str) -> tuple[str, str] | None:
    """(key, value) if `line` matches `pattern` with a key starting with a capital (or
    with a letter of a script without case: ``الاسم: ...``)."""
    m = pattern.match(line)
    if m is None:
        return None
    first = m.group("key")[0]
    if not (first.isupper() or not first.islower()):
        return None
    value = m.groupdict().get("value") or ""
    return squash_spaces(m.group("key")), squash_spaces(value)


def _fields_block(block: _Block) -> _FieldsBlock | None:
    found = _profile_box_fields(block) or _inline_fields(block)
    if found is None:
        return None
    fields, captions = found
    return _FieldsBlock(tuple(fields), tuple(captions), block[0][0], block[-1][0])


def _inline_fields(block: _Block) -> tuple[list[Field], list[str]] | None:
    """Bulleted ``- Key: value`` lines, runs of >= 2 plain ``Key: value`` (or
    ``Key<TAB>value``) lines, and a ``Name: ...`` line (or a part of a name) on its own."""
    plain = [_field_of(line) for _, line in block]
    is_plain = [p is not None for p in plain] + [False]  # is_plain[-1] is False: no wrap-around
    fields: list[Field] = []
    captions: list[str] = []
    for i, (number, line) in enumerate(block):
        pair_here = plain[i]
        in_run = pair_here is not None and (is_plain[i - 1] or is_plain[i + 1]
                                            or is_name_key(pair_here[0])
                                            or name_part(pair_here[0]) is not None)
        pair = _match_key(_BULLETED_FIELD, line) or (plain[i] if in_run else None)
        if pair:
            fields.append(Field(pair[0], pair[1], number))
        else:
            captions.append(squash_spaces(BULLET.sub("", line)))
    return (fields, captions) if fields else None


def _profile_box_fields(block: _Block) -> tuple[list[Field], list[str]] | None:
    """Scraped profile box: label lines ending in ``:``, each followed by a value line.

    An unlabelled pair of lines right before a label line (``Extremist entity`` /
    ``Hezbollah``) is a field too; any other line is a caption.
    """
    texts = [squash_spaces(BULLET.sub("", line)) for _, line in block]
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

# Reference markers as encyclopedia articles write them: ``[3]``, ``[3][4]``, ``[a]``,
# ``[^3]`` (Markdown footnotes), ``[citation needed]`` (no reference: dropped).
_NEEDED = (r"citation needed|clarification needed|better source needed|failed verification|"
           r"dead link|page needed|verification needed|unreliable source\??|who\?|when\?|"
           r"which\?|where\?|by whom\?|according to whom\?|dubious(?: [–-] discuss)?|"
           r"original research\??|full citation needed|non-primary source needed|"
           r"bettersourceneeded|vague|update")
_MARKER = re.compile(rf"\[(?:\^?(?P<id>\d{{1,3}}|[a-z]{{1,2}}|note \d{{1,3}}|n \d{{1,3}})|"
                     rf"(?i:{_NEEDED}))\]")
_MARKER_RUN = re.compile(rf"(?:{_MARKER.pattern})+")
_REFERENCE_HEADINGS = frozenset({
    "references", "notes", "footnotes", "sources", "citations", "notes and references",
    "references and notes", "bibliography", "works cited", "endnotes", "المراجع", "مراجع",
    "المصادر", "مصادر", "الهوامش", "هوامش", "المصادر والمراجع", "منابع", "پانویس", "یادداشت‌ها"})
_REFERENCE_LINE = re.compile(
    r"^\s*(?:\[\^?(?P<bracket>\w{1,8})\]:?|(?P<number>\d{1,3})[.)]|(?=\^))\s*"
    r"(?:\^\s*(?:[a-z]{1,2}\s+)*)?(?P<text>\S.*)$")
_FOOTNOTE_DEFINITION = re.compile(r"^\s*\[\^(?P<bracket>\w{1,8})\]:\s*(?P<text>\S.*)$")


def _unglue(m: re.Match[str]) -> str:
    """What a run of markers leaves: nothing, or a space between two words it glued."""
    text = m.string
    before = text[m.start() - 1] if m.start() else " "
    after = text[m.end()] if m.end() < len(text) else " "
    return " " if before.isalnum() and after.isalnum() else ""


def _references(lines: Sequence[Line]) -> dict[str, Citation]:
    """The references the document lists, by marker (``3``, ``a``): the numbered lines of
    a section titled References, Notes, Sources, المراجع... (``1. ^ text``, ``[1] text``,
    ``^ text`` counted in order) and Markdown footnote definitions (``[^1]: text``)."""
    refs: dict[str, Citation] = {}
    inside = False
    count = 0
    for line in lines:
        heading = _line_heading(line)
        text = line.text.strip()
        if heading is None and text and len(text.split()) <= 3:
            bare = squash_spaces(_LEADING_BULLETS.sub("", text)).rstrip(":").casefold()
            if bare in _REFERENCE_HEADINGS:
                heading = (0, bare)
        if heading is not None:
            inside = heading[1].casefold() in _REFERENCE_HEADINGS
            count = 0
            continue
        m = _FOOTNOTE_DEFINITION.match(line.text) or (
            _REFERENCE_LINE.match(line.text) if inside else None)
        if m is None:
            continue
        count += 1
        key = m.groupdict().get("bracket") or m.groupdict().get("number") or str(count)
        body = squash_spaces(m.group("text"))
        url = _URL.search(body)
        refs.setdefault(key.lower(), Citation(body, url.group().rstrip(".,;)") if url else None))
    return refs


def _cut_markers(lines: list[Line]) -> tuple[list[Line], dict[tuple[int | None, int],
                                                                   tuple[Citation, ...]]]:
    """The lines without their reference markers (never glued to a word), and the
    citations the markers of each line (page, number) point to: the reference the
    document lists under that marker, else the marker itself (``[3]``)."""
    if not any("[" in line.text for line in lines):
        return lines, {}
    refs: dict[str, Citation] | None = None
    markers: dict[tuple[int | None, int], tuple[Citation, ...]] = {}
    out = list(lines)
    for i, line in enumerate(lines):
        if "[" not in line.text or _FOOTNOTE_DEFINITION.match(line.text):
            continue
        runs = list(_MARKER_RUN.finditer(line.text))
        if not runs:
            continue
        if refs is None:
            refs = _references(lines)
        found: list[Citation] = []
        for run in runs:
            for m in _MARKER.finditer(run.group()):
                key = m.group("id")
                if key is None:
                    continue  # [citation needed]: no reference
                key = key.lower().removeprefix("note ").removeprefix("n ")
                found.append(refs.get(key) or Citation(f"[{key}]"))
        out[i] = replace(line, text=_MARKER_RUN.sub(_unglue, line.text))
        if found:
            where = (line.page, line.number)
            markers[where] = _dedupe((*markers.get(where, ()), *found))
    return out, markers


def _cite_markers(passages: list[Passage], markers: dict[tuple[int | None, int],
                                                         tuple[Citation, ...]]) -> list[Passage]:
    """Each passage cites what the markers of its lines point to."""
    out = []
    for p in passages:
        found = [c for n in range(p.line_start, p.line_end + 1)
                 for c in markers.get((p.page, n), ())]
        out.append(replace(p, citations=_dedupe((*p.citations, *found))) if found else p)
    return out



_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"“”]+")
_CITATION_START = re.compile(r"[.?!][\"”’]?(?=[\"“‘]|[^\W\d_])")
_OPENING_QUOTES = "\"“‘"


def split_citations(text: str) -> tuple[str, tuple[Citation, ...]]:
    """Cut inline citation blocks out of `text`: (prose, citations in order, de-duplicated)."""
    segments = _citation_segments(text)
    prose = squash_spaces(" ".join(text[a:b] for a, b, _ in segments))
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
        citations.append(Citation(squash_spaces(body).rstrip(" ,;:"), url))
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
    return [squash_spaces(text[a:b]) for a, b in _sentence_spans(text)]


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
        part = squash_spaces(BULLET.sub("", line))
        if any(c.isalnum() for c in part):  # a line of bare bullets or rules says nothing
            joined = _line_end_hyphen(parts[-1], part) if parts else None
            if joined is not None:  # a word cut at the end of the line: one word again
                pos = offsets[-1] + len(joined)
                parts[-1] = joined
            elif parts:
                parts[-1] += " "
                pos += 1
            parts.append(part)
            offsets.append(pos)
            numbers.append(number)
            pos += len(part)
    text = "".join(parts)

    def line_at(offset: int) -> int:
        return numbers[bisect_right(offsets, offset) - 1]

    sentences: list[_Sentence] = []
    for start, end, citations in _citation_segments(text):
        spans = _sentence_spans(text[start:end])
        for k, (a, b) in enumerate(spans):
            cites = citations if k == len(spans) - 1 else ()
            sentence = squash_spaces(text[start + a : start + b])
            sentences.append(_Sentence(sentence, line_at(start + a), line_at(start + b - 1), cites))
        if not spans and citations and sentences:
            sentences[-1] = replace(sentences[-1], citations=sentences[-1].citations + citations)
    return _Prose(tuple(sentences)) if sentences else None


_CUT_WORD = re.compile(r"(?<![\w\-–—])([^\W\d_]+)-$")
_NEXT_WORD = re.compile(r"[^\W\d_]+")


def _line_end_hyphen(line: str, following: str) -> str | None:
    """`line` as it joins the next line when it ends in a word cut by a hyphen
    (``appro-`` / ``priate``, ``inter-`` / ``national``): without the hyphen, unless both
    pieces are words and the joined word is not one (``well-`` / ``known``,
    ``self-`` / ``determination``) or the next line starts with a capital (``al-`` /
    ``Musawi``). None where the line does not end so."""
    m = _CUT_WORD.search(line)
    if m is None:
        return None
    nxt = _NEXT_WORD.match(following)
    if nxt is None:
        return None
    if not following[0].islower():
        return line
    from searchdoc.names.lexicon import ordinary_words

    words = ordinary_words()
    head, tail = m.group(1).lower(), nxt.group().lower()
    if head in words and tail in words and head + tail not in words:
        return line
    return line[:-1]


# --------------------------------------------------------------------------- passages


def _build_passages(units: list[tuple[str, _Unit]], source: str, title: str, first: int,
                    page: int | None) -> list[Passage]:
    """Passages in order, numbered from `first`; prose is chunked per run (same section,
    no fields block between)."""
    passages: list[Passage] = []
    for section, run in _runs(units):
        if isinstance(run, _FieldsBlock):
            passages.append(_fields_passage(run, source, first + len(passages), title, section))
            continue
        for chunk in _chunk_run(run):
            passages.append(_prose_passage(chunk, source, first + len(passages), title, section))
    if page is not None:
        passages = [replace(p, page=page) for p in passages]
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
