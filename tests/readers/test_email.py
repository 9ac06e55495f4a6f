"""readers/email.py: messages built here with the standard library's email package."""

from __future__ import annotations

import quopri
from email import policy
from email.message import EmailMessage
from pathlib import Path

import makers
import pytest

from searchdoc.passages import build
from searchdoc.readers import detect, read

SUBJECT = "تقرير عن علي موسى دقدوق"
BODY = ("مرحبا،\n"
        "هذا تقرير عن علي موسى دقدوق، القيادي في حزب الله الذي اعتقل في البصرة.\n"
        "Ali Musa Daqduq was released in 2012 by an Iraqi court, a line long enough to be "
        "cut by quoted-printable.\n")
ATTACHED = ("The attached report names Hamid the Mute, also known as Ali Musa Daqduq, a "
            "Hezbollah commander captured in Basra.")


def message() -> bytes:
    m = EmailMessage(policy=policy.default)
    m["From"] = "Analyst <analyst@example.org>"
    m["To"] = "desk@example.org"
    m["Cc"] = "Editor <editor@example.org>"
    m["Date"] = "Mon, 03 Jun 2024 10:00:00 +0000"
    m["Subject"] = SUBJECT
    m.set_content(BODY, charset="utf-8", cte="quoted-printable")
    report = makers.pdf(makers.text_pages([ATTACHED]), title="Attached report")
    m.add_attachment(report, maintype="application", subtype="pdf", filename="report.pdf")
    m.add_attachment(b"\x89PNG\r\n\x1a\n\x00\x00", maintype="image", subtype="png",
                     filename="photo.png")
    return m.as_bytes()


def line_of(data: bytes, needle: bytes) -> int:
    return next(k for k, line in enumerate(data.split(b"\n"), 1) if needle in line)


def test_a_quoted_printable_message_with_an_arabic_subject(tmp_path: Path, run,
                                                           monkeypatch) -> None:
    data = message()
    assert b"=?utf-8?" in data and b"Content-Transfer-Encoding: quoted-printable" in data
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "mail.eml").write_bytes(data)
    monkeypatch.chdir(tmp_path)
    r = run("index", "in")
    assert r.err.splitlines() == [  # the photo is passed over without a word
        "searchdoc: indexed: 1 added, 0 updated, 0 removed, 0 unchanged, 0 skipped (3 passages)"]
    hits = run("query", "البصرة", "--json").json()
    body = next(h for h in hits if h["kind"] == "prose")
    assert body["source"] == "in/mail.eml" and body["title"] == SUBJECT
    assert "علي موسى دقدوق، القيادي في حزب الله" in body["text"]
    # lines of the file: where the quoted-printable text of the body stands
    first = quopri.encodestring("مرحبا،".encode()).split(b"\n")[0][:20]
    assert body["line_start"] == line_of(data, first)
    lines = data.split(b"\n")
    last = line_of(data, b"Content-Disposition: attachment; filename=\"report.pdf\"")
    while not lines[last - 1].strip() or lines[last - 1].startswith((b"--", b"Content-")):
        last -= 1
    assert body["line_end"] == last  # the last line of the body, where its text ends
    fields = run("query", "analyst", "--json").json()[0]
    assert fields["kind"] == "fields" and fields["line_start"] == 1 and fields["line_end"] == 4
    assert fields["text"] == ("From: Analyst <analyst@example.org>\nTo: desk@example.org\n"
                              "Cc: Editor <editor@example.org>\n"
                              "Date: Mon, 03 Jun 2024 10:00:00 +0000")
    (attached,) = run("query", "Hamid the Mute", "--json").json()
    assert attached["source"] == "in/mail.eml/report.pdf" and attached["page"] == 1
    assert attached["title"] == "Attached report"
    assert attached["citations"] == [
        {"text": f"{SUBJECT}, Analyst <analyst@example.org>, Mon, 03 Jun 2024 10:00:00 +0000",
         "url": None}]
    assert "in/mail.eml/report.pdf p.1:1-2" in run("query", "Hamid the Mute").out
    # the message gone, its attachment goes with it
    (tmp_path / "in" / "mail.eml").unlink()
    assert run("index").code == 0
    assert run("query", "Hamid the Mute").code == 1
    assert run("aliases", "Attached report").code == 1


def mbox() -> bytes:
    first = EmailMessage(policy=policy.default)
    first["From"] = "a@example.org"
    first["Date"] = "Tue, 04 Jun 2024 09:00:00 +0000"
    first["Subject"] = "Daqduq release"
    first.set_content("Daqduq was released in November 2012.\nFrom the court records.\n",
                      cte="8bit")
    second = EmailMessage(policy=policy.default)
    second["From"] = "b@example.org"
    second["Date"] = "Wed, 05 Jun 2024 09:00:00 +0000"
    second["Subject"] = "Golan network"
    second.set_content("<html><body><h2>Report</h2>\n<p>Hezbollah set up the Golan "
                       "Project network.</p></body></html>", subtype="html", cte="base64")
    out = b""
    for m in (first, second):
        raw = m.as_bytes().replace(b"\nFrom the", b"\n>From the")  # as mboxo escapes it
        out += b"From MAILER-DAEMON Thu Jun  6 10:00:00 2024\n" + raw + b"\n"
    return out


def test_every_message_of_a_mailbox() -> None:
    data = mbox()
    assert detect("box", data[:4096]).name == "email"
    docs = [build(raw) for raw in read("box.mbox", data, print)]
    assert [d.title for d in docs] == ["Daqduq release", "Golan network"]
    release, golan = (next(p for p in d.passages if p.kind == "prose") for d in docs)
    assert release.text == "Daqduq was released in November 2012. From the court records."
    assert (release.line_start, release.line_end) == (
        line_of(data, b"Daqduq was released"), line_of(data, b"court records"))
    assert golan.section == "Report"
    assert golan.text == "Hezbollah set up the Golan Project network."
    # base64: the lines of the decoded text, counted from where the encoded body starts
    lines = data.split(b"\n")
    start = next(k for k in range(line_of(data, b"Subject: Golan"), len(lines))
                 if not lines[k - 1].strip()) + 1
    assert golan.line_start == start + 1
    assert docs[1].fields[0].line == line_of(data, b"From: b@example.org")


def test_a_maildir_message_without_extension(tmp_path: Path, run, monkeypatch) -> None:
    cur = tmp_path / "Maildir" / "cur"
    cur.mkdir(parents=True)
    (cur / "1717400000.M1P2.host:2,S").write_bytes(message())
    monkeypatch.chdir(tmp_path)
    assert run("index", "Maildir").code == 0
    sources = {h["source"] for h in run("query", "Daqduq", "--json").json()}
    assert sources == {"Maildir/cur/1717400000.M1P2.host:2,S",
                       "Maildir/cur/1717400000.M1P2.host:2,S/report.pdf"}


@pytest.mark.parametrize(
    ("head", "is_mail"),
    [
        (b"Return-Path: <a@b.org>\nFrom: A <a@b.org>\nTo: c@d.org\nSubject: x\n\nbody", True),
        (b"From a@b.org Mon Jan  1 00:00:00 2024\nFrom: a@b.org\nDate: x\n\nbody", True),
        (b"From: me\nNote: a memo\n\ntext", False),  # From alone is not a message
        (b"Ali Musa Daqduq\n\nFrom: the archives", False),
        (b"Subject: x\nFrom: a@b.org\n  folded\nDate: y\n\nbody", True),
    ],
)
def test_a_message_is_known_by_its_headers(head: bytes, is_mail: bool) -> None:
    assert (detect("noext", head).name == "email") is is_mail


def mixed_mailbox() -> bytes:
    """Three messages as real mailboxes hold them: a UTF-8 body sent as ``8bit`` (Arabic
    and Latin), a base64 one, and one whose only body is HTML."""
    eight = EmailMessage(policy=policy.default)
    eight["From"] = "Reporter <r@example.org>"
    eight["Date"] = "Tue, 04 Jun 2024 09:00:00 +0000"
    eight["Subject"] = "حسن نصر الله في بيروت"
    eight.set_content("خطب حسن نصر الله في بيروت مساء أمس.\nNasrallah spoke in Beirut, "
                      "said the café owner.\n", charset="utf-8", cte="8bit")
    b64 = EmailMessage(policy=policy.default)
    b64["From"] = "b@example.org"
    b64["Subject"] = "Daqduq"
    b64["Date"] = "Wed, 05 Jun 2024 09:00:00 +0000"
    b64.set_content("Ali Musa Daqduq was released in November 2012.\n", charset="utf-8",
                    cte="base64")
    html = EmailMessage(policy=policy.default)
    html["From"] = "c@example.org"
    html["Subject"] = "Golan"
    html["Date"] = "Thu, 06 Jun 2024 09:00:00 +0000"
    html.set_content("<p>Hezbollah set up the <b>Golan Project</b>.</p>", subtype="html",
                     charset="utf-8", cte="quoted-printable")
    out = b""
    for m in (eight, b64, html):
        out += b"From MAILER-DAEMON Thu Jun  6 10:00:00 2024\n" + m.as_bytes() + b"\n"
    return out


def test_a_mailbox_with_8bit_base64_and_html_only_messages(tmp_path: Path, run,
                                                           monkeypatch) -> None:
    data = mixed_mailbox()
    assert b"Content-Transfer-Encoding: 8bit" in data and "نصر".encode() in data
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "box.mbox").write_bytes(data)
    monkeypatch.chdir(tmp_path)
    r = run("index", "in")
    assert r.code == 0 and "0 skipped" in r.err and "could not" not in r.err
    (arabic,) = [h for h in run("query", "حسن نصر الله", "--json").json()
                 if h["kind"] == "prose"]
    assert arabic["source"] == "in/box.mbox"
    assert arabic["title"] == "حسن نصر الله في بيروت"
    assert arabic["text"] == ("خطب حسن نصر الله في بيروت مساء أمس. Nasrallah spoke in Beirut, "
                              "said the café owner.")
    assert arabic["line_start"] == line_of(data, "خطب حسن".encode())
    assert arabic["line_end"] == line_of(data, "café".encode())
    assert {h["title"] for h in run("query", "Daqduq", "--json").json()} == {"Daqduq"}
    golan = run("query", "Golan Project", "--json").json()
    assert [h["title"] for h in golan] == ["Golan"]
    assert golan[0]["text"] == "Hezbollah set up the Golan Project."


def test_a_message_that_cannot_be_read_costs_itself_alone(monkeypatch) -> None:
    import searchdoc.readers.email as reader

    real = reader._message

    def fails_on_second(raw: bytes, *args, **kwargs):
        if b"Subject: Daqduq" in raw:
            raise LookupError("a codec the parser cannot find")
        return real(raw, *args, **kwargs)

    monkeypatch.setattr(reader, "_message", fails_on_second)
    warnings: list[str] = []
    docs = list(read("box.mbox", mixed_mailbox(), warnings.append))
    assert [d.title for d in docs] == ["حسن نصر الله في بيروت", "Golan"]
    assert len(warnings) == 1 and warnings[0].startswith("message 2 (line ")
    assert "could not be read (LookupError), skipped" in warnings[0]
