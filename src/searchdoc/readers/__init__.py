"""The formats searchdoc reads, and the reader of each.

One row per format (:data:`FORMATS`): its name, the file name extensions that announce
it, the bytes its files start with, and the module that reads it (imported only when a
file of that format is read: a query imports none of them). :func:`detect` chooses by
content first (a PDF named ``.txt`` is a PDF; an e-mail without an extension is an
e-mail), then by extension, and plain text otherwise. :func:`read` runs the reader.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePath

from searchdoc.errors import SkipFile
from searchdoc.readers.base import Line, RawDocument, Warn

__all__ = ["FORMATS", "Format", "Line", "RawDocument", "Warn", "detect", "read"]


@dataclass(frozen=True)
class Format:
    name: str
    extensions: tuple[str, ...]
    module: str  # searchdoc.readers.<module>, with read(data, source, warn)
    magic: tuple[bytes, ...] = ()  # the file starts with one of these
    sniff: Callable[[bytes], bool] | None = None  # the start of a text file says it is one
    over_text: bool = False  # the sniff wins over a plain-text extension (.txt)


_HTML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]",
                         re.IGNORECASE | re.DOTALL)


def _looks_like_html(head: bytes) -> bool:
    return _HTML_START.match(head) is not None


_HEADER = re.compile(rb"^[!-9;-~]+:[ \t]*\S?[^\r\n]*$")
_MAIL_HEADERS = frozenset(b"""from to cc subject date message-id received return-path
    mime-version delivered-to reply-to sender in-reply-to references x-mailer""".split())


def _looks_like_email(head: bytes) -> bool:
    """A message (RFC 5322) or a mailbox: header lines first (after an mbox "From "
    line), among them From and one of Date, Subject, Message-ID, Received."""
    lines = head.lstrip(b"\xef\xbb\xbf").splitlines()
    if lines and lines[0].startswith(b"From "):
        lines = lines[1:]
    names: set[bytes] = set()
    for line in lines[:60]:
        if not line.strip():
            break
        if line[:1] in (b" ", b"\t") and names:
            continue  # a folded header goes on
        if not _HEADER.match(line):
            return False
        names.add(line.split(b":", 1)[0].lower())
    known = names & _MAIL_HEADERS
    return b"from" in known and len(known) >= 2


def _looks_like_json_records(head: bytes) -> bool:
    from searchdoc.readers.records import looks_like_json_records

    return looks_like_json_records(head)


FORMATS: tuple[Format, ...] = (
    Format("pdf", (".pdf",), "pdf", magic=(b"%PDF-",)),
    # any zip: the reader takes Word (.docx) and OpenDocument text (.odt), skips others;
    # a zip named .xlsx is an Excel workbook, read as a list (readers/xlsx.py)
    Format("word", (".docx", ".docm", ".dotx", ".odt", ".ott"), "docx", magic=(b"PK\x03\x04",)),
    Format("excel", (".xlsx", ".xlsm"), "xlsx", magic=(b"PK\x03\x04",)),
    Format("email", (".eml", ".mbox", ".mbx", ".mail"), "email", sniff=_looks_like_email),
    Format("markdown", (".md", ".markdown", ".mdown", ".mkd"), "markdown"),
    Format("html", (".html", ".htm", ".xhtml"), "html", sniff=_looks_like_html),
    # Lists of records (readers/records.py). JSON Lines, or a JSON array of objects, is
    # recognised by its content in a file named .txt or without an extension too.
    Format("csv", (".csv",), "records"),
    Format("tsv", (".tsv", ".tab"), "records"),
    Format("json", (".json",), "records"),
    Format("jsonl", (".jsonl", ".ndjson", ".jsonlines", ".ldjson"), "records",
           sniff=_looks_like_json_records, over_text=True),
    # XML: a list of people when its elements repeat one per person (sanctions exports),
    # else read as text (readers/xmllist.py)
    Format("xml", (".xml",), "xmllist"),
    Format("text", (".txt", ".text", ""), "text"),
)
_BY_NAME = {f.name: f for f in FORMATS}
_TEXT = _BY_NAME["text"]


def format_named(name: str) -> Format:
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ValueError(f"unknown format {name!r}; expected one of {sorted(_BY_NAME)}") from None


def detect(name: str, head: bytes = b"") -> Format:
    """The format of a file from its name and its first bytes (content first)."""
    suffix = PurePath(name).suffix.lower()
    by_magic = [f for f in FORMATS if f.magic and head.startswith(f.magic)]
    if by_magic:  # a zip is Word or Excel: its name says which
        return next((f for f in by_magic if suffix and suffix in f.extensions), by_magic[0])
    by_extension = next((f for f in FORMATS if suffix and suffix in f.extensions), None)
    if by_extension is not None and by_extension is not _TEXT:
        return by_extension
    for f in FORMATS:
        if f.sniff is not None and (by_extension is None or f.over_text) and f.sniff(head):
            return f
    return _TEXT


def read(name: str, data: bytes, warn: Warn, fmt: Format | None = None) -> Iterator[RawDocument]:
    """The documents of a file's bytes (`name`: what it is cited by). SkipFile when the
    file cannot be read at all."""
    fmt = fmt or detect(name, data[:4096])
    module = importlib.import_module(f"searchdoc.readers.{fmt.module}")
    try:
        yield from module.read(data, name, warn)
    except SkipFile:
        raise
    except RecursionError:
        raise SkipFile("too deeply nested to parse, skipped") from None
