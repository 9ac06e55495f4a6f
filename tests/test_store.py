"""The store (the one module that speaks whoosh): what it needs of the installed whoosh3,
its fast paths against whoosh's public ones, the field terms, and the merge policy."""

from __future__ import annotations

from pathlib import Path

import pytest

from searchdoc import store
from searchdoc.analysis import field_terms
from searchdoc.models import Citation, Passage

TEXTS = [
    "Ali Musa Daqduq al-Musawi, known as Hamid the Mute, was held in Basra.",
    "علي موسى دقدوق الموسوي",
    "QAIS AL-KHAZALI and Laith al-Khazali led the attack; Abu Mahdi al-Muhandis.",
    "the the the report report says",
    "",
]


def test_the_installed_whoosh3_has_what_the_store_needs() -> None:
    import whoosh

    missing = store.engine_problems()
    assert missing == [], (
        f"the installed whoosh3 {whoosh.versionstring()} lacks {', '.join(missing)}, which "
        "src/searchdoc/store.py uses: install the version pyproject.toml pins "
        "(pip install -e .), or adapt the store to this one")


def _passages(n: int, source: str = "doc.txt") -> list[Passage]:
    return [Passage(source, i, "Report on Daqduq", "Capture" if i % 2 else "", i + 1, i + 1,
                    TEXTS[i % len(TEXTS)] or "filler words " * (i % 7 + 1),
                    (Citation("CNN, 2007", "http://cnn.com/x"),) if i % 3 == 0 else ())
            for i in range(n)]


def _store(tmp_path: Path, passages: list[Passage], segments: int = 1) -> Path:
    gen = tmp_path / "gen"
    gen.mkdir()
    writer = store.Writer(gen, None)
    builder = writer.builder()
    size = -(-len(passages) // segments)
    for k in range(0, len(passages), size):
        for p in passages[k:k + size]:
            builder.add(p, ["Hamid the Mute"])
        builder.cut()
    writer.commit(builder.finish(), merge=False)
    return gen


def _read_everything(gen: Path) -> dict[str, object]:
    """Every term's postings and every length, as the store reads them."""
    terms = {(f, t) for p in _passages(300) for f, v in store.passage_record(p).items()
             if f in store.TEXT_FIELDS for t in field_terms(v, store.TEXT_FIELDS[f])}
    with store.Reader(gen) as r:
        return {
            "postings": {(f, t): [(s.base, [d for ids, _w in s.postings(f, t) for d in ids],
                                   [x for _ids, w in s.postings(f, t) for x in w])
                                  for s in r.segments] for f, t in sorted(terms)},
            "blocks": max(sum(1 for _b in s.postings(f, t)) for s in r.segments
                          for f, t in terms),
            "df": {(f, t): r.doc_frequency(f, t) for f, t in sorted(terms)},
            "lengths": {(s.base, f): s.lengths(f) for s in r.segments for f in store.TEXT_FIELDS},
        }


def test_the_fast_paths_read_what_whoosh_public_api_reads(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    # 300 passages in 2 segments: postings of several blocks (whoosh's are 128 long)
    gen = _store(tmp_path, _passages(300), segments=2)
    with store.Reader(gen) as r:
        assert all(s._terms is not None for s in r.segments), "whoosh's own term lookups"
        assert r.segment_sizes() == [150, 150]
    fast = _read_everything(gen)
    assert int(fast.pop("blocks")) > 1  # type: ignore[call-overload]  # a term of several blocks in a segment
    for flag in ("_FAST_POSTINGS", "_FAST_LENGTHS", "_FAST_TERMS"):
        monkeypatch.setattr(store, flag, False)
    public = _read_everything(gen)
    assert public.pop("blocks") == 1  # (whoosh's public matcher: one posting at a time)
    assert public == fast


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("field", sorted(store.TEXT_FIELDS))
def test_a_field_indexes_what_whoosh_makes_of_its_analyzer_tokens(text: str, field: str) -> None:
    from whoosh.fields import FieldType

    f = store.schema()[field]
    generic = sorted(FieldType.index(f, text))  # whoosh's way: tokens, counted by its format
    assert sorted(f.index(text)) == generic


def test_stored_passages_come_back_whole(tmp_path: Path) -> None:
    passages = _passages(7)
    gen = _store(tmp_path, passages)
    with store.Reader(gen) as r:
        assert r.passages_of("doc.txt") == passages
        assert r.docnum_of("doc.txt#3") == 3 and r.docnum_of("doc.txt#99") is None
        assert r.sources() == ["doc.txt"]
        assert [r.source_of()(d) for d in range(7)] == ["doc.txt"] * 7


@pytest.mark.parametrize("sizes, merged", [
    # (documents, deleted) per segment -> the segments merged into one
    ([(36_000, 0), (36_000, 0)], []),  # a fresh build of two writers
    ([(36_000, 0), (36_000, 0), (70, 0), (70, 0)], []),  # two small updates
    ([(36_000, 0), (36_000, 0), (70, 0), (70, 0), (70, 0)], [2, 3, 4]),  # a third: merged
    ([(36_000, 0), (36_000, 0), (700, 0), (70, 0), (70, 0)], [2, 3, 4]),  # one tier: < 1000
    ([(36_000, 0), (36_000, 0), (5_000, 0), (70, 0), (70, 0)], []),  # tiers 1 and 0
    ([(36_000, 0), (36_000, 4_000), (70, 0)], [1]),  # 11% deleted: rewritten
    ([(36_000, 0), (36_000, 3_000), (70, 0)], []),  # 8% deleted: kept
    ([(36_000, 0), (70, 70), (70, 0)], [1]),  # every document deleted: dropped
    ([(150_000, 0)] * 8 + [(5_700, 0)] * 2, []),  # 16 copies, after 1% changed
    ([(150_000, 0)] * 8 + [(5_700, 0)] * 3, [8, 9, 10]),  # ... and another 1%
    ([(20, 0), (20, 0)], []),  # a small index by two writers
    ([(10, 0)] * 4, [0, 1, 2, 3]),  # by four
])
def test_merge_plan(sizes: list[tuple[int, int]], merged: list[int]) -> None:
    assert store.merge_plan(sizes) == merged


def test_a_key_value_table(tmp_path: Path) -> None:
    writer = store.TableWriter(tmp_path / "t.hsh")
    writer.add(b"k:one", b"1")
    writer.add("k:عربي".encode(), b"2")
    writer.close()
    table = store.Table(tmp_path / "t.hsh")
    assert table.get(b"k:one") == b"1" and table.get("k:عربي".encode()) == b"2"
    assert table.get(b"absent") is None and table.get(b"absent", b"x") == b"x"


def test_a_compound_segment_is_read_through_whoosh_own_lookups(tmp_path: Path) -> None:
    # a segment whose files are pieces of one file (whoosh's compound segments, which the
    # store never writes) must not be memory-mapped as if its terms were a file
    from whoosh.index import create_in

    gen = tmp_path / "gen"
    gen.mkdir()
    ix = create_in(str(gen), store.schema(), indexname=store._index_name())
    writer = ix.writer(compound=True)
    for p in _passages(40):
        writer.add_document(**store.passage_record(p, ["Hamid the Mute"]))
    writer.commit()
    with store.Reader(gen) as r:
        assert [s._terms for s in r.segments] == [None]
        daqduq = [d for s in r.segments for ids, _w in s.postings("body", "daqduq") for d in ids]
        assert daqduq and r.doc_frequency("body", "daqduq") == len(daqduq)
        assert r.passages_of("doc.txt") == _passages(40)
