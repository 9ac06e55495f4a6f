"""What every reader gives: the lines of a document and what its format says about them.

A reader turns the bytes of one file into one or more :class:`RawDocument` (a text file
is one document; a list of people is one per record; a mailbox one per message, and one
per readable attachment). :func:`searchdoc.passages.build` turns each into a
:class:`~searchdoc.models.Document` the same way whatever the format: title, fields,
sections, citations, sentences, passages. So a reader only says what the format knows
(where a line stands, which lines are headings, the title its metadata gives) and never
builds passages itself.

A reader is a module with one function::

    def read(data: bytes, source: str, warn: Warn) -> Iterator[RawDocument]

`source` is the name the file is cited by; `warn` takes one line for the user (an
undecodable byte, a part of a message that could not be read), and the reader goes on.
A file that cannot be read at all raises :class:`~searchdoc.errors.SkipFile` with the
reason.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from xml.etree import ElementTree as ET

from searchdoc.errors import SkipFile
from searchdoc.models import Citation, Field, StatedName

Warn = Callable[[str], None]


@dataclass(frozen=True)
class Line:
    """One line of a document as the user finds it in the file.

    `number`: 1-based, the line of the file (text, Markdown, HTML, records, e-mail), the
    paragraph of a Word file, or the line of the page `page` of a PDF. `heading`: the level
    when the format marks the line as a heading (``<h2>``, a Word "Heading 2" style), 0
    otherwise (then heading syntax in the text itself, ``== H ==`` or ``## H``, still
    counts), -1 for a line of a format that marks its headings itself (PDF, Word): its
    text is text, a ``# comment`` of a code listing no heading.
    """

    number: int
    text: str
    page: int | None = None
    heading: int = 0


@dataclass(frozen=True)
class RawDocument:
    """One document as a reader found it, before passages are made.

    `title`: what the format's metadata gives (``<title>``, the PDF's Title, a message's
    Subject, a record's name), else None and the text decides. `fields`: what the
    metadata says beyond the text (From, To, Date; the columns of a record; front matter),
    searchable and shown as a fields passage. `names`: names the structure states for the
    document's subject (a record's name and alias columns, front matter `aliases`).
    `record`: the 1-based position of a record in its list. `kind`: "text" (lines parsed
    into prose, fields and sections) or "record" (one record: its fields are its passage).
    `citations`: references that hold for every passage (an attachment cites its message).
    """

    source: str
    lines: tuple[Line, ...]
    title: str | None = None
    fields: tuple[Field, ...] = ()
    names: tuple[StatedName, ...] = ()
    record: int | None = None
    kind: str = "text"
    citations: tuple[Citation, ...] = ()


def lines_of(text: str, first: int = 1, page: int | None = None) -> tuple[Line, ...]:
    """The lines of a decoded text, numbered from `first`."""
    return tuple(Line(n, t, page) for n, t in enumerate(text.split("\n"), first))


# --------------------------------------------------------------- office files (zip of XML)


def open_zip(data: bytes, what: str) -> tuple[zipfile.ZipFile, set[str]]:
    """An office file's zip archive and the names of its parts (`what`: "Word document",
    "Excel workbook", for the line that says it cannot be read)."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        return archive, set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise SkipFile(f"not a readable {what} (damaged zip), skipped") from None


@contextmanager
def office_errors(what: str) -> Iterator[None]:
    """Reading the parts of an office file: damaged XML or a damaged or encrypted zip
    member is one SkipFile line."""
    try:
        yield
    except ET.ParseError as e:
        raise SkipFile(f"not a readable {what} (damaged XML: {e}), skipped") from None
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, RuntimeError) as e:
        if isinstance(e, RuntimeError) and "encrypted" not in str(e):
            raise
        raise SkipFile(f"not a readable {what} (damaged zip), skipped") from None


def read_part(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A part of a zip archive, inflated at most `limit` bytes, counted as it is read (the
    sizes a zip's headers state are not trusted: a part that inflates past them, or past
    `limit`, is refused with SkipFile before it is held)."""
    chunks: list[bytes] = []
    size = 0
    with archive.open(name) as fh:
        while chunk := fh.read(1 << 20):
            size += len(chunk)
            if size > limit:
                raise SkipFile(f"{name} unpacks to more than {limit // (1024 * 1024) or 1} MB: "
                               "too large, skipped")
            chunks.append(chunk)
    return b"".join(chunks)
