"""Fuzzing: mutated bytes of small valid files of every format, read as `searchdoc index`
reads a file. Each either gives documents or one reason to skip it (SkipFile); never
another exception, never a warning of two lines, never text that cannot be written as
UTF-8; and each costs bounded time. Then the CLI's arguments: queries, sources and passage
ids a user can type, each ending in 0, 1 or 2 with one-line messages."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

import makers
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchdoc.errors import SkipFile
from searchdoc.ingest import ReadFile, read_file

SEED_TEXT = ("Ali Musa Daqduq (علي موسى دقدوق), also known as Hamid the Mute, was captured in "
             "Basra on 20 March 2007.[1]")


def _samples() -> dict[str, bytes]:
    from email import policy
    from email.message import EmailMessage

    m = EmailMessage(policy=policy.default)
    m["From"], m["Subject"] = "a@example.org", "دقدوق"
    m["Date"] = "Tue, 04 Jun 2024 09:00:00 +0000"
    m.set_content(SEED_TEXT, charset="utf-8", cte="8bit")
    mail = m.as_bytes()
    return {
        "a.txt": f"Title\n\n{SEED_TEXT}\n\nReferences\n\n1. ^ A source.\n".encode(),
        "a.md": f"---\nname: Ali Musa Daqduq\naliases: [Hamid the Mute]\n---\n\n# Daqduq\n\n"
                f"{SEED_TEXT}\n\n[^1]: A note.\n".encode(),
        "a.html": (f"<html><head><title>Daqduq</title></head><body><h2>Life</h2><p>{SEED_TEXT}"
                   "<sup><a href='#n1'>[1]</a></sup></p><ol><li id='n1'>A source</li></ol>"
                   "<table><tr><td>Born</td><td>1969</td></tr></table></body></html>").encode(),
        "a.eml": mail,
        "a.mbox": b"From x Thu Jun  6 10:00:00 2024\n" + mail + b"\nFrom y Thu Jun  6 10:00:00 "
                  b"2024\n" + mail,
        "a.csv": b"name,aliases,dob\nAli Musa Daqduq,Hamid the Mute,1969\n\"SOLEIMANI, Qasem\","
                 b"Haj Qasem,1957-03-11\n",
        "alt.csv": b'9639,9150,"aka","HANIYA, Ismail",-0- \n9639,9151,"aka","HANIYYA, I",-0- \n',
        "a.json": '[{"name": "Ali Musa Daqduq", "aliases": ["Hamid the Mute"]}, {"name": "قاسم"}]'
                  .encode(),
        "a.jsonl": b'{"name": "Ali Musa Daqduq"}\n{"name": "Qasem Soleimani", "dob": "1957"}\n',
        "a.ftm.json": b'{"id": "x", "schema": "Person", "caption": "Ali Musa Daqduq", '
                      b'"properties": {"name": ["Ali Musa Daqduq"], "alias": ["Hamid"]}}\n',
        "a.xml": (b"<list><entry><name>Ali Musa Daqduq</name><aka><firstName>Hamid</firstName>"
                  b"</aka></entry><entry><name>Qasem Soleimani</name></entry></list>"),
        "a.xlsx": makers.xlsx({"People": [["Name", "Born"], ["Ali Musa Daqduq", 1969],
                                          ["Qasem Soleimani", 1957]]}),
        "a.docx": makers.docx([(1, "Ali Musa Daqduq"), SEED_TEXT]),
        "a.odt": makers.odt([(1, "Ali Musa Daqduq"), SEED_TEXT]),
        "a.pdf": makers.pdf(makers.text_pages([SEED_TEXT.split(" (")[0] + " was captured."]),
                            title="Daqduq"),
    }


def _mutations(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        what = rng.random()
        at = rng.randrange(len(out) + 1)
        if what < 0.3 and out:  # flip a byte
            out[min(at, len(out) - 1)] = rng.randrange(256)
        elif what < 0.5:  # insert bytes that parsers mind
            out[at:at] = rng.choice([b"\x00", b"\xff\xfe", b"<", b"[[[[", b"\"", b"\r\n", b"-->",
                                     b"\\ud800", b"=?utf-8?q?", b"%PDF", b"\x1b[2J", b"9" * 50])
        elif what < 0.7:  # cut
            del out[at:at + rng.randint(1, 64)]
        elif what < 0.85 and out:  # repeat a piece
            b = min(len(out), at + rng.randint(1, 32))
            out[at:at] = out[at:b] * rng.randint(2, 20)
        else:  # truncate
            del out[at:]
    return bytes(out)


@pytest.mark.parametrize("name", sorted(_samples()))
def test_mutated_files_are_read_or_skipped_with_one_line(name: str, tmp_path: Path) -> None:
    rng = random.Random(name)
    data = _samples()[name]
    path = tmp_path / name
    started = time.monotonic()
    for k in range(200):  # a few seconds a format
        path.write_bytes(_mutations(data, rng) if k else data)
        warnings: list[str] = []
        try:
            got = read_file(path, name, warnings.append)
        except SkipFile as e:
            assert "\n" not in str(e) and str(e), (name, k)
        else:
            assert isinstance(got, ReadFile)
            for doc in got.documents:
                for p in doc.passages:
                    (p.text + p.title + p.section + p.source).encode("utf-8")
                for n in doc.names:
                    n.name.encode("utf-8")
        for w in warnings:
            assert "\n" not in w and w, (name, k, w)
    assert time.monotonic() - started < 120  # (bounded: a run of its own would say more)


FAST = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
TYPED = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40)


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from searchdoc.index.update import update

    where = tmp_path_factory.mktemp("fuzz")
    (where / "in").mkdir()
    (where / "in" / "a.txt").write_text(f"Daqduq\n\n{SEED_TEXT}\n", encoding="utf-8")
    update(where / "index", [str(where / "in")])
    return where / "index"


def _cli(args: list[str]) -> tuple[int, str]:
    import contextlib
    import io

    from searchdoc.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, err.getvalue()


@FAST
@given(query=TYPED, source=st.one_of(st.none(), TYPED), pid=TYPED,
       mode=st.sampled_from([[], ["--json"], ["--tsv"], ["-l"], ["-c"], ["--min-score", "0.9"]]))
def test_the_cli_takes_any_query_source_and_id(small_index: Path, query: str,
                                               source: str | None, pid: str,
                                               mode: list[str]) -> None:
    checks: list[tuple[list[str], Callable[[int], bool]]] = [
        (["query", "--index", str(small_index), *mode, *(["--source", source] if source
                                                          is not None else []), "--", query],
         lambda c: c in (0, 1, 2)),
        (["show", "--index", str(small_index), "--", pid], lambda c: c in (0, 1)),
        (["aliases", "--index", str(small_index), "--", query], lambda c: c in (0, 1, 2)),
    ]
    for args, ok in checks:
        code, err = _cli(args)
        assert ok(code), (args, code, err)
        assert "Traceback" not in err
        for line in err.splitlines():
            assert line.startswith("searchdoc: "), (args, err)
