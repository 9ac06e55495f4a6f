"""E-mail: a message (.eml, a Maildir file) or every message of a mailbox (.mbox).

Read with the standard library's :mod:`email` parser and its modern policy:

- **Headers** decoded (RFC 2047 encoded words, RFC 2231 file names): the Subject is the
  title; From, To, Cc and Date are fields, each cited by the line of the file where the
  header stands.
- **Body**: the text/plain part, else the visible text of the text/html part (read as
  :mod:`searchdoc.readers.html` reads a page), with quoted-printable, base64 and the
  charset decoded. Line numbers are lines of the file: for a body that is not
  transfer-encoded, the line each line stands on; for quoted-printable, the line of the
  file where each decoded line starts (soft line breaks joined); for base64, whose lines
  cannot be matched, the lines of the decoded text counted from the line of the file
  where the encoded body starts.
- **Attachments** that searchdoc reads (text, Markdown, HTML, PDF, Word, e-mail, and any
  format of :mod:`searchdoc.readers`) are documents of their own, named
  ``mail.eml/name.pdf`` (``box.mbox/message-3/name.pdf`` in a mailbox), every passage
  citing the message (Subject, From, Date). Others (images) are passed over.
- **Mailbox**: each message (from its ``From`` line) is read the same way, its lines the
  lines of the mailbox file.
"""

from __future__ import annotations

import binascii
import re
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from itertools import pairwise

from searchdoc.errors import SkipFile
from searchdoc.models import Citation, Field
from searchdoc.readers.base import Line, RawDocument, Warn
from searchdoc.readers.text import squash_spaces

FIELDS = ("From", "To", "Cc", "Date")
MAX_DEPTH = 5  # messages attached to messages, at most this deep
_MBOX_FROM = re.compile(rb"^From \S", re.MULTILINE)
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\]+")


def read(data: bytes, source: str, warn: Warn) -> Iterator[RawDocument]:
    yield from _read(data, source, warn, 0)


def _read(data: bytes, source: str, warn: Warn, depth: int) -> Iterator[RawDocument]:
    data = data.removeprefix(b"\xef\xbb\xbf")
    if not data.strip():
        raise SkipFile("empty file, skipped")
    if _MBOX_FROM.match(data):  # (not "From  : a header written loosely")
        messages = list(_mbox(data))
        read_any = False
        for k, (first_line, raw) in enumerate(messages, 1):
            name = f"{source}/message-{k}" if len(messages) > 1 else source
            try:
                docs = list(_message(raw, source, name, first_line, warn, depth))
            except SkipFile as e:  # one bad message of a mailbox: the others are read
                warn(f"message {k} (line {first_line}): {e}")
                continue
            except Exception as e:  # noqa: BLE001 - whatever one message holds, not the box
                warn(f"message {k} (line {first_line}) could not be read "
                     f"({type(e).__name__}), skipped")
                continue
            read_any = True
            yield from docs
        if not read_any:
            raise SkipFile("no message in this mailbox could be read, skipped")
    else:
        yield from _message(data, source, source, 1, warn, depth)


def _mbox(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(line of the file where the message's headers start, its bytes) for each message
    of a mailbox: each starts at a line beginning ``From `` (as Python's mailbox reads
    mboxo and mboxrd; the ``>From`` lines of a body unescaped)."""
    starts = [m.start() for m in _MBOX_FROM.finditer(data)]
    starts.append(len(data))
    for a, b in pairwise(starts):
        end_of_from = data.find(b"\n", a, b)
        if end_of_from < 0:
            continue
        body = data[end_of_from + 1: b]
        yield data.count(b"\n", 0, end_of_from + 1) + 1, _ESCAPED_FROM.sub(rb"\1", body)


def _message(raw: bytes, source: str, name: str, first_line: int, warn: Warn, depth: int
             ) -> Iterator[RawDocument]:
    """The documents of one message: its body, then its readable attachments."""
    raw = _bounded_headers(raw, warn)
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    if not isinstance(msg, EmailMessage) or not _has_headers(msg):
        raise SkipFile("not an e-mail message (no headers), skipped")
    header_lines = _header_lines(raw, first_line)
    subject = _header(msg, "Subject")
    fields = tuple(Field(key, value, header_lines.get(key.lower(), first_line))
                   for key in FIELDS if (value := _header(msg, key)))
    body_part = _body_part(msg)
    lines: tuple[Line, ...] = ()
    if body_part is not None:
        lines = tuple(_body_lines(body_part, raw, first_line, warn))
    yield RawDocument(source, lines, title=subject or None, fields=fields)
    cite = Citation(", ".join(x for x in (subject or "(no subject)", _header(msg, "From"),
                                          _header(msg, "Date")) if x))
    yield from _attachments(msg, body_part, name, cite, warn, depth)


MAX_HEADER_BYTES = 16 * 1024  # a header is cut here (60,000 encoded words: gigabytes parsed)


def _bounded_headers(raw: bytes, warn: Warn) -> bytes:
    """The message with each header (its folded lines together) cut at MAX_HEADER_BYTES;
    the standard parser's cost grows far faster than a header's length."""
    end = re.search(rb"\r?\n\r?\n", raw)
    head_end = end.start() if end else len(raw)
    if head_end <= MAX_HEADER_BYTES:
        return raw
    out: list[bytes] = []
    cut: dict[str, None] = {}  # the names of the headers cut, in order
    name, size = "", 0
    for line in raw[:head_end].split(b"\n"):
        if line[:1] not in (b" ", b"\t"):  # a header starts; its folded lines follow it
            name, size = line.split(b":", 1)[0][:40].decode("ascii", "replace"), 0
        size += len(line) + 1
        if size > MAX_HEADER_BYTES:
            cut[name] = None
            if size == len(line) + 1:  # its first line alone is too long: its start kept
                out.append(line[:MAX_HEADER_BYTES])
            continue
        out.append(line)
    if cut:
        warn(f"header {', '.join(cut)} longer than {MAX_HEADER_BYTES // 1024} KB, cut")
    return b"\n".join(out) + raw[head_end:]


def _has_headers(msg: EmailMessage) -> bool:
    return any(msg.get(h) is not None for h in ("From", "To", "Subject", "Date", "Message-ID",
                                                 "Received", "Return-Path", "Delivered-To"))


def _header(msg: EmailMessage, key: str) -> str:
    try:
        value = msg.get(key)
    except Exception:  # noqa: BLE001 - a malformed header loses its value, not the message
        return ""
    return squash_spaces(str(value)) if value is not None else ""


def _header_lines(raw: bytes, first_line: int) -> dict[str, int]:
    """The line of the file where each header (its first occurrence) stands."""
    out: dict[str, int] = {}
    for k, line in enumerate(raw.split(b"\n")):
        if not line.strip():
            break
        if line[:1] in (b" ", b"\t"):
            continue
        key = line.split(b":", 1)[0].strip().decode("ascii", "replace").lower()
        out.setdefault(key, first_line + k)
    return out


def _body_part(msg: EmailMessage) -> EmailMessage | None:
    try:
        part = msg.get_body(preferencelist=("plain", "html"))
    except Exception:  # noqa: BLE001 - a malformed structure: no body, the headers stay
        return None
    if part is None and msg.get_content_maintype() == "text" and not msg.is_multipart():
        part = msg
    return part  # type: ignore[return-value]


def _charset(part: EmailMessage) -> str:
    charset = part.get_content_charset() or "utf-8"
    try:
        import codecs

        codecs.lookup(charset)
    except LookupError:
        return "utf-8"
    return charset


def _body_lines(part: EmailMessage, raw: bytes, first_line: int, warn: Warn) -> Iterator[Line]:
    """The lines of a text part, numbered by the lines of the file (see the module)."""
    charset = _charset(part)
    encoded = _raw_payload(part, charset)
    at = raw.find(encoded) if encoded.strip() else -1
    start = first_line + (raw.count(b"\n", 0, at) if at >= 0 else _body_offset(raw))
    cte = str(part.get("Content-Transfer-Encoding", "7bit")).strip().lower()
    numbered: list[tuple[int, str]]
    if cte == "quoted-printable":
        numbered = [(start + k, text) for k, text in _quoted_printable(encoded, charset)]
    elif cte == "base64":
        try:
            text = binascii.a2b_base64(encoded).decode(charset, "replace")
        except (binascii.Error, ValueError):
            warn("a base64 body that cannot be decoded: read as it is")
            text = encoded.decode("ascii", "replace")
        numbered = [(start + k, t) for k, t in enumerate(_split(text))]
    else:
        text = encoded.decode(charset, "replace")
        numbered = [(start + k, t) for k, t in enumerate(_split(text))]
    if part.get_content_subtype() == "html":
        from searchdoc.readers.html import html_lines, numbered_lines

        html_numbers = [n for n, _t in numbered]
        html = "\n".join(t for _n, t in numbered)
        for line in numbered_lines(html_lines(html)):
            number = html_numbers[min(line.number, len(html_numbers)) - 1]
            yield Line(number, line.text)
        return
    for n, text in numbered:
        yield Line(n, text)


def _raw_payload(part: EmailMessage, charset: str) -> bytes:
    """The body's bytes as the file holds them (still transfer-encoded). The parser gives
    a body of 8-bit bytes (``8bit``, ``binary``, or none declared) already decoded by its
    charset: it is encoded back by that charset to stand beside the file's bytes."""
    payload = part.get_payload()
    if not isinstance(payload, str):
        return b""
    try:
        return payload.encode("ascii", "surrogateescape")
    except UnicodeEncodeError:
        return payload.encode(charset, "replace")


def _body_offset(raw: bytes) -> int:
    end = re.search(rb"\r?\n\r?\n", raw)
    return raw.count(b"\n", 0, end.end()) if end else 0


def _split(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _quoted_printable(encoded: bytes, charset: str) -> Iterator[tuple[int, str]]:
    """(index of the encoded line where it starts, text) of each decoded line; a line
    continued by soft line breaks is cut where a break falls between words, so that each
    piece keeps the line of the file it stands on."""
    pieces: list[tuple[int, bytes]] = []
    for k, line in enumerate(encoded.split(b"\n")):
        stripped = line.rstrip(b"\r").rstrip(b" \t")
        if stripped.endswith(b"="):  # a soft line break: the line goes on
            pieces.append((k, binascii.a2b_qp(stripped[:-1])))
            continue
        pieces.append((k, binascii.a2b_qp(stripped)))
        yield from _joined(pieces, charset)
        pieces = []
    yield from _joined(pieces, charset)


def _joined(pieces: list[tuple[int, bytes]], charset: str) -> Iterator[tuple[int, str]]:
    """Pieces of one decoded line, joined where the break fell inside a word."""
    if not pieces:
        return
    runs: list[tuple[int, bytes]] = [pieces[0]]
    for k, piece in pieces[1:]:
        if runs[-1][1][-1:].isspace() or piece[:1].isspace():
            runs.append((k, piece))
        else:
            runs[-1] = (runs[-1][0], runs[-1][1] + piece)
    if len(runs) > 1:
        runs = [(k, piece) for k, piece in runs if piece.strip()] or runs[:1]
    for k, piece in runs:
        yield k, piece.decode(charset, "replace")


def _attachments(msg: EmailMessage, body: EmailMessage | None, name: str, cite: Citation,
                 warn: Warn, depth: int) -> Iterator[RawDocument]:
    from searchdoc.readers import detect
    from searchdoc.readers import read as read_file

    taken: dict[str, int] = {}
    for k, part in enumerate(msg.walk(), 1):
        if part is msg or part is body or part.is_multipart():
            continue
        disposition = part.get_content_disposition()
        filename = _filename(part)
        if disposition != "attachment" and not filename and part.get_content_type() != \
                "message/rfc822":
            continue  # an inline part of the body (the HTML of a plain-text body)
        filename = filename or f"part-{k}{_extension(part)}"
        count = taken.get(filename, 0)
        taken[filename] = count + 1
        if count:
            stem, dot, ext = filename.rpartition(".")
            filename = (f"{stem} ({count + 1}).{ext}" if dot and stem
                        else f"{filename} ({count + 1})")
        source = f"{name}/{filename}"
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            first = inner[0] if isinstance(inner, list) and inner else None
            data = first.as_bytes() if isinstance(first, Message) else b""
        else:
            try:
                payload = part.get_payload(decode=True)
                data = payload if isinstance(payload, bytes) else b""
            except Exception:  # noqa: BLE001 - an attachment that cannot be decoded is passed over
                data = b""
        if not data.strip():
            continue
        fmt = detect(filename, data[:4096])
        if fmt.name == "text" and not (part.get_content_maintype() == "text"
                                       or filename.lower().endswith((".txt", ".text"))):
            continue  # an image, an archive, a program: nothing searchdoc reads
        if fmt.name == "email" and depth >= MAX_DEPTH:
            continue

        def note(w: str, f: str = filename) -> None:
            warn(f"attachment {f}: {w}")

        try:
            if fmt.name == "email":
                docs = list(_read(data, source, note, depth + 1))
            else:
                docs = list(read_file(source, data, note, fmt))
        except SkipFile as e:
            note(str(e))
            continue
        for doc in docs:
            yield RawDocument(doc.source, doc.lines, doc.title, doc.fields, doc.names,
                              doc.record, doc.kind, (*doc.citations, cite))


def _filename(part: EmailMessage) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:  # noqa: BLE001 - a malformed name: the part is named by its position
        name = ""
    name = _UNSAFE_NAME.sub("_", name.strip()).strip(". ")
    return name[-120:]


def _extension(part: EmailMessage) -> str:
    return {"text/plain": ".txt", "text/html": ".html", "application/pdf": ".pdf",
            "message/rfc822": ".eml", "text/markdown": ".md",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
            "application/vnd.oasis.opendocument.text": ".odt"}.get(part.get_content_type(), "")
