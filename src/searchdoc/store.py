"""The store: the one module that speaks whoosh.

Everything searchdoc keeps in an index generation's folder besides its manifest goes
through here: the schema (which fields a passage has, what each indexes), writing
segments and merging them, deleting a source's passages, reading document frequencies,
postings, field lengths and stored fields, and the key-value file the entities are
looked up in. The rest of searchdoc sees only this interface:

- :func:`passage_record` (a passage as field values) and :func:`passage_from_stored`;
- :class:`Writer` (a new generation: delete sources, commit segments under the merge
  policy) and :class:`SegmentBuilder` (add passages, in this process or in a forked
  writer process; each segment is an opaque, picklable token);
- :class:`Reader` (a generation opened for reading: counts, document frequencies,
  :class:`Segment` postings and lengths, stored passages, the source of a document);
- :class:`TableWriter` and :class:`Table` (a key-value file);
- :func:`engine_problems`: what the installed whoosh3 lacks that this module needs.

What a field holds is decided by :mod:`searchdoc.analysis` (terms and their frequencies
from :mod:`searchdoc.names.keys`), never by the engine: another engine (a cluster such as
OpenSearch) would be given the same terms per field and asked the same questions.

whoosh3's private internals are read here and nowhere else: the block arrays of a
posting list (``W3LeafMatcher._read_ids``, ``_read_weights``, ``_ids``, ``_weights``,
``_next_block``), the length column of a segment (``W3PerDocReader._cached_reader``,
``NumericColumn.Reader._dbfile``, ``_basepos``, ``_count``, ``_typecode``), a segment's
term dictionary (``SegmentReader._terms``: its hash file's ``tables`` and ``hashfn``, its
``_fieldmap``, and ``filetables._pointer``/``_lengths``, ``W3TermInfo.from_bytes``, the
codec's ``postings_reader``: a term looked up through a memory map), and the
writer's ``SegmentWriter(_lk=False)`` and ``_finalize_segment`` (a segment written by a
forked process). pyproject.toml pins the whoosh3 minor version these were tested with;
``tests/test_store.py`` fails, naming what is missing, on one that lacks them, and each
read has a slower path through whoosh's public API.
"""

from __future__ import annotations

import math
import os
import shutil
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from whoosh.analysis import Analyzer, Token
from whoosh.fields import TEXT
from whoosh.system import pack_uint

from searchdoc.analysis import field_terms, field_tokens
from searchdoc.models import Passage

# The text fields of a passage and the form of its units each indexes (see
# searchdoc.analysis): "body", "folded" and "variant" the passage's words and its section
# heading as written, folded, and as spelling-variant keys; "names" every form of the
# document's title and of the names it states for its subject; "cites" its citations.
TEXT_FIELDS = {"body": "exact", "folded": "folded", "variant": "keys", "names": "names",
               "cites": "all"}
# Besides: "id" (the passage id, unique), "source" (its source, a column: the source of a
# document number) and "meta" (stored: what a Passage is rebuilt from).

WRITER_MB = 256  # whoosh's posting buffer of one writing process (shared out among them)
# A segment holds at most this many passages: a writer's memory grows with its segment
# (whoosh's terms and per-document data).
MAX_SEGMENT_PASSAGES = 150_000

# The merge policy (see merge_plan), applied at each commit.
MERGE_AT = 3  # segments of one tier merged into one once there are this many
TIER_BASE = 1000  # live documents of the smallest tier; each next tier 8 times more
TIER_FACTOR = 8
LARGE_SHARE = 0.25  # a segment this share of the largest one (or more) is large: never
# merged with others, rewritten alone when it holds too many deleted documents
MAX_DELETED_SHARE = 0.1


class StoreError(Exception):
    """The store cannot be read (missing, truncated or foreign files)."""


# --------------------------------------------------------------------------- pickles

# whoosh keeps its table of contents (the schema, the segments) and some posting blocks
# as pickles, and a pickle can run any code when it is read: an index folder from a
# stranger (a downloaded project's ./index) must be data. Every pickle whoosh reads goes
# through this unpickler, which admits the classes of whoosh and of this module and a few
# containers, and refuses anything else before it is called.
_PICKLE_BUILTINS = frozenset({
    ("builtins", n) for n in ("int", "float", "complex", "str", "bytes", "bytearray", "bool",
                              "list", "tuple", "dict", "set", "frozenset", "slice", "object")
} | {("collections", "defaultdict"), ("collections", "OrderedDict"), ("_codecs", "encode"),
     ("copyreg", "_reconstructor"), ("array", "array"), ("array", "_array_reconstructor")})


class RefusedPickle(Exception):
    """A pickle in the index names something that is not whoosh's or searchdoc's data."""


def _allowed(module: str, name: str) -> bool:
    if (module, name) in _PICKLE_BUILTINS:
        return True
    return (module == "searchdoc.store" or module == "whoosh"
            or module.startswith("whoosh.")) and "." not in name and not name.startswith("_")


_UNPICKLER: Any = None


def _restricted_unpickler(fh: Any) -> Any:
    global _UNPICKLER
    if _UNPICKLER is None:  # (made once: a class per pickle read would cost more than it)
        import pickle

        class Unpickler(pickle.Unpickler):
            def find_class(self, module: str, name: str) -> Any:
                if not _allowed(module, name):
                    raise RefusedPickle(f"it holds a pickle naming {module}.{name}, refused: "
                                        "an index holds data, never code")
                found = super().find_class(module, name)
                if (module, name) not in _PICKLE_BUILTINS and not isinstance(found, type):
                    raise RefusedPickle(f"it holds a pickle calling {module}.{name}, refused")
                return found

        _UNPICKLER = Unpickler
    return _UNPICKLER(fh)


def restricted_loads(data: bytes) -> Any:
    import io

    return _restricted_unpickler(io.BytesIO(data)).load()


def _restricted_load(fh: Any) -> Any:
    return _restricted_unpickler(fh).load()


_GUARDED = False


def guard_pickles() -> None:
    """Make every pickle whoosh reads go through the restricted unpickler (once)."""
    global _GUARDED
    if _GUARDED:
        return
    import pickle
    import types

    import whoosh.codec.whoosh3 as w3
    import whoosh.filedb.structfile as structfile
    import whoosh.index as whoosh_index

    shim = types.ModuleType("pickle")  # whoosh.index's `pickle`, loads restricted
    shim.__dict__.update(pickle.__dict__)
    setattr(shim, "loads", restricted_loads)  # noqa: B010 - (a module's attribute)
    setattr(shim, "load", _restricted_load)  # noqa: B010
    setattr(whoosh_index, "pickle", shim)  # noqa: B010
    setattr(w3, "loads", restricted_loads)  # noqa: B010
    setattr(structfile, "load", _restricted_load)  # noqa: B010
    _GUARDED = True


def _index_name() -> str:
    return "MAIN"


# ---------------------------------------------------------------------------------------
# Schema and records


def schema() -> Any:
    """The whoosh schema of a passage (see TEXT_FIELDS)."""
    from whoosh.fields import ID, STORED, Schema

    return Schema(
        id=ID(stored=True, unique=True),
        source=ID(stored=True, sortable=True),
        meta=STORED(),
        **{name: _unit_field(form) for name, form in TEXT_FIELDS.items()},
    )


def passage_record(p: Passage, names: Sequence[str] = ()) -> dict[str, Any]:
    """The field values of a passage; `names`: the names its document states."""
    cites = " ".join(f"{c.text} {c.url or ''}" for c in p.citations)
    searched = f"{p.text}\n{p.section}" if p.section else p.text
    stated = [n for n in names if n != p.title]
    return {
        "id": p.id,
        "source": p.source,
        "body": searched,
        "folded": searched,
        "variant": searched,
        "names": "\n".join([p.title, *stated]),
        "cites": cites,
        "meta": {
            "text": p.text,
            "ordinal": p.ordinal,
            "title": p.title,
            "section": p.section,
            "line_start": p.line_start,
            "line_end": p.line_end,
            "kind": p.kind,
            "citations": [[c.text, c.url] for c in p.citations],
            "fields": [[f.key, f.value, f.line] for f in p.fields],
            "page": p.page,
            "record": p.record,
            "names": stated,
        },
    }


def passage_from_stored(stored: dict[str, Any]) -> Passage:
    from searchdoc.models import Citation, Field

    m = stored["meta"]
    return Passage(
        source=stored["source"],
        ordinal=m["ordinal"],
        title=m["title"],
        section=m["section"],
        line_start=m["line_start"],
        line_end=m["line_end"],
        text=m["text"],
        citations=tuple(Citation(t, u) for t, u in m["citations"]),
        kind=m["kind"],
        fields=tuple(Field(k, v, line) for k, v, line in m["fields"]),
        page=m.get("page"),
        record=m.get("record"),
    )


def stated_names(stored: dict[str, Any]) -> list[str]:
    """The names the document of a stored passage states for its subject (besides its
    title)."""
    return list(stored["meta"].get("names", ()))


def _unit_field(form: str) -> UnitText:
    return UnitText(form)


class UnitAnalyzer(Analyzer):
    """The terms of searchdoc.analysis as whoosh tokens, for a UnitText field (whoosh
    asks for it only where it analyses text itself; indexing does not, see
    :meth:`UnitText.index`)."""

    def __init__(self, form: str) -> None:
        self.form = form

    def __repr__(self) -> str:
        return f"UnitAnalyzer({self.form!r})"

    def __call__(  # type: ignore[override]
        self, value: str, positions: bool = False, chars: bool = False,
        keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
        start_char: int = 0, mode: str = "", **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for term, unit in field_tokens(value, self.form):
            t.text = term
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = term  # type: ignore[attr-defined]  # (a Token takes any attribute)
            if positions:
                t.pos = start_pos + unit.pos
            if chars:
                t.startchar = start_char + unit.start
                t.endchar = start_char + unit.end
            yield t


class UnitText(TEXT):  # type: ignore[misc]
    """A text field indexing one form of the name units (frequencies, no positions):
    its terms come from searchdoc.analysis.field_terms, without whoosh's tokens."""

    def __init__(self, form: str) -> None:
        super().__init__(analyzer=UnitAnalyzer(form), phrase=False)
        self.form = form

    def index(  # type: ignore[override]  # (a list where whoosh makes a generator)
            self, value: Any, **kwargs: Any) -> list[tuple[bytes, int, float, bytes]]:
        """(term, frequency, weight, value) per distinct term, as whoosh's Frequency
        format makes them from the analyzer's tokens (the weight is the frequency)."""
        return [(t.encode("utf-8"), n, float(n), pack_uint(n))
                for t, n in field_terms(value, self.form).items()]


# ---------------------------------------------------------------------------------------
# Reading


class Segment:
    """One segment of a generation: documents `base` to `base + size - 1` of the reader
    that opened it, `deleted` (numbers within the segment) marked deleted."""

    def __init__(self, leaf: Any, base: int) -> None:
        self._leaf = leaf
        self.base = base
        self.size: int = leaf.doc_count_all()
        self.deleted: frozenset[int] = frozenset(leaf.deleted_docs_set) \
            if leaf.has_deletions() else frozenset()
        self._lengths: dict[str, bytes | None] = {}
        self._info: dict[tuple[str, str], Any] = {}
        self._terms = _term_index(leaf)

    def term_info(self, field: str, term: str) -> Any:
        """whoosh's information on a term in this segment (None: the segment lacks it),
        looked up once."""
        key = (field, term)
        try:
            return self._info[key]
        except KeyError:
            pass
        if self._terms is not None:
            info = self._terms.info(field, term)
        else:
            from whoosh.reading import TermNotFound

            try:
                info = self._leaf.term_info(field, term)
            except TermNotFound:
                info = None
        self._info[key] = info
        return info

    def doc_frequency(self, field: str, term: str) -> int:
        info = self.term_info(field, term)
        return info.doc_frequency() if info is not None else 0

    def postings(self, field: str, term: str) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
        """A term's postings in this segment, block by block: (document numbers within
        the segment, term frequencies); deleted documents included (see `deleted`)."""
        info = self.term_info(field, term)
        if info is None:
            return
        if info.is_inlined():
            ids, weights, _values = info.inlined_postings()
            yield ids, weights
            return
        if self._terms is not None:  # the matcher made from the term looked up already
            leaf = self._leaf
            m = leaf._codec.postings_reader(leaf._terms._postfile, info,
                                            leaf.schema[field].format)
        else:
            m = self._leaf.postings(field, term)
        yield from _matcher_blocks(m)

    def lengths(self, field: str) -> bytes | None:
        """The length code (one byte, see LENGTHS) of the field for each document of the
        segment, read whole once; None where the field stores no lengths."""
        if field not in self._lengths:
            self._lengths[field] = _length_bytes(self._leaf, field, self.size)
        return self._lengths[field]

    def close(self) -> None:
        self._leaf.close()
        if self._terms is not None:
            self._terms.close()


class _TermIndex:
    """A segment's term dictionary (whoosh's on-disk hash file, D. J. Bernstein's CDB
    layout) looked up through a memory map: a term costs a hash and a few slices of the
    map, where whoosh's own lookup goes through seven layers of calls and a seek and a
    read of the file for each piece (four times the time, and a query looks up dozens
    of terms in every segment)."""

    def __init__(self, leaf: Any) -> None:
        import mmap

        from whoosh.codec.whoosh3 import W3TermInfo
        from whoosh.filedb.filetables import _lengths, _pointer
        from whoosh.system import pack_ushort

        terms = leaf._terms
        tindex = terms._tindex
        name = getattr(tindex.dbfile.file, "name", "")
        if not (isinstance(name, str) and name.endswith(".trm")):
            # (a compound segment's terms are a piece of a larger file: not mapped)
            raise ValueError("the terms are not a file of their own")
        self.tables: list[tuple[int, int]] = tindex.tables
        self.hashfn: Callable[[bytes], int] = tindex.hashfn
        self.prefix = {name: pack_ushort(num) for name, num in terms._fieldmap.items()}
        self.map = mmap.mmap(tindex.dbfile.file.fileno(), 0, access=mmap.ACCESS_READ)
        self.from_bytes = W3TermInfo.from_bytes
        self.pointer, self.lengths = _pointer, _lengths

    def info(self, field: str, term: str) -> Any:
        """whoosh's TermInfo of a term, None when the segment lacks it."""
        prefix = self.prefix.get(field)
        if prefix is None:
            return None
        key = prefix + term.encode("utf-8")
        h = self.hashfn(key)
        start, slots = self.tables[h & 255]
        if not slots:
            return None
        mm, unpack_pointer, unpack_lengths = self.map, self.pointer.unpack_from, \
            self.lengths.unpack_from
        size = self.pointer.size
        end = start + slots * size
        slot = start + ((h >> 8) % slots) * size
        for _ in range(slots):
            slot_hash, pos = unpack_pointer(mm, slot)
            if not pos:
                return None
            if slot_hash == h:
                keylen, datalen = unpack_lengths(mm, pos)
                at = pos + self.lengths.size
                if keylen == len(key) and mm[at:at + keylen] == key:
                    return self.from_bytes(mm[at + keylen:at + keylen + datalen])
            slot += size
            if slot == end:
                slot = start
        return None

    def close(self) -> None:
        self.map.close()


def _term_index(leaf: Any) -> _TermIndex | None:
    """The fast lookup of a segment's terms (None: whoosh's own, where its reader is not
    the one this was written for, or the terms file cannot be mapped)."""
    if not _FAST_TERMS:
        return None
    try:
        return _TermIndex(leaf)
    except (AttributeError, ImportError, OSError, ValueError):
        return None


def _matcher_blocks(m: Any) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    from whoosh.codec.whoosh3 import W3LeafMatcher
    from whoosh.matching.wrappers import FilterMatcher

    if isinstance(m, FilterMatcher):  # the deleted documents: dropped by the caller
        m = m.child
    if isinstance(m, W3LeafMatcher) and _FAST_POSTINGS:  # a block at a time, as arrays
        while m.is_active():
            m._read_ids()
            m._read_weights()
            yield m._ids, m._weights
            m._next_block()
        return
    ids, weights = [], []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    yield ids, weights


_FAST_POSTINGS = True  # (tests turn the private paths off to check the public ones)
_FAST_LENGTHS = True
_FAST_TERMS = True


def _length_bytes(leaf: Any, field: str, size: int) -> bytes | None:
    """whoosh3's length column of a field, read whole (else document by document)."""
    from whoosh.util.numeric import length_to_byte

    try:
        if _FAST_LENGTHS:
            from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
            from whoosh.columns import NumericColumn

            col = leaf._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
            if col is None:  # no length stored: every posting counts as average
                return None
            if isinstance(col, NumericColumn.Reader) and col._typecode == "B":
                raw = bytes(col._dbfile.get(col._basepos, col._count))
                return raw + bytes(size - len(raw)) if len(raw) < size else raw
    except AttributeError:  # another codec: the public way below
        pass
    return bytes(length_to_byte(n) if (n := leaf.doc_field_length(d, field)) else 0
                 for d in range(size))


class _Lengths:
    """The length of each of whoosh's 256 length codes (computed when first asked)."""

    _table: tuple[int, ...] | None = None

    def __getitem__(self, code: int) -> int:
        if self._table is None:
            from whoosh.util.numeric import byte_to_length

            self._table = tuple(byte_to_length(n) for n in range(256))
        return self._table[code]


LENGTHS = _Lengths()  # LENGTHS[code]: the field length a length code stands for


def length_code(length: int) -> int:
    """The length code whoosh stores for a field of `length` terms (LENGTHS decodes it):
    another engine scores with the same lengths."""
    from whoosh.util.numeric import length_to_byte

    return int(length_to_byte(length))


class Reader:
    """A generation of the store opened for reading (one whoosh reader per segment; the
    table of contents read once)."""

    def __init__(self, gen: Path) -> None:
        from whoosh.filedb.filestore import FileStorage
        from whoosh.index import TOC
        from whoosh.reading import SegmentReader

        self.gen = gen
        guard_pickles()
        try:
            storage = FileStorage(str(gen), readonly=True)
            toc = TOC.read(storage, _index_name())
            self._schema = toc.schema
            self.segments: list[Segment] = []
            base = 0
            for seg in toc.segments:
                leaf = SegmentReader(storage, toc.schema, seg, generation=toc.generation)
                self.segments.append(Segment(leaf, base))
                base += self.segments[-1].size
        except Exception as e:  # noqa: BLE001 - whoosh raises many kinds for damaged files
            for s in getattr(self, "segments", []):
                s.close()
            if isinstance(e, RefusedPickle):
                raise StoreError(str(e)) from None
            raise StoreError(f"{type(e).__name__}: {e}") from None
        self._bases = [s.base for s in self.segments]
        self._total = base
        self._deleted: frozenset[int] | None = None
        self._df: dict[tuple[str, str], int] = {}
        self._columns: dict[int, Any] = {}

    def close(self) -> None:
        for s in self.segments:
            s.close()
        self.segments = []

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # counts -----------------------------------------------------------------------------

    def doc_count_all(self) -> int:
        """Documents, deleted ones included (until their segment is merged)."""
        return self._total

    def doc_count(self) -> int:
        return self._total - sum(len(s.deleted) for s in self.segments)

    def doc_frequency(self, field: str, term: str) -> int:
        """Documents holding the term (deleted ones included, as doc_count_all)."""
        key = (field, term)
        df = self._df.get(key)
        if df is None:
            df = self._df[key] = sum(s.doc_frequency(field, term) for s in self.segments)
        return df

    def field_length(self, field: str) -> int:
        """The summed length of a field over the documents."""
        return sum(s._leaf.field_length(field) for s in self.segments)

    @property
    def deleted(self) -> frozenset[int]:
        """The numbers of the documents marked deleted."""
        if self._deleted is None:
            self._deleted = frozenset(s.base + d for s in self.segments for d in s.deleted)
        return self._deleted

    def segment_sizes(self) -> list[int]:
        """Live documents per segment, in order."""
        return [s.size - len(s.deleted) for s in self.segments]

    # documents --------------------------------------------------------------------------

    def _segment_of(self, docnum: int) -> Segment:
        return self.segments[bisect_right(self._bases, docnum) - 1]

    def stored(self, docnum: int) -> dict[str, Any]:
        """The stored fields of a document (id, source, meta)."""
        s = self._segment_of(docnum)
        return s._leaf.stored_fields(docnum - s.base)

    def passage(self, docnum: int) -> Passage:
        return passage_from_stored(self.stored(docnum))

    def source_of(self) -> Callable[[int], str]:
        """docnum -> its source (the source column, opened once per segment and reader:
        whoosh reads the offsets of a column when it is opened)."""
        columns = self._columns

        def source(docnum: int) -> str:
            s = self._segment_of(docnum)
            col = columns.get(s.base)
            if col is None:
                col = columns[s.base] = s._leaf.column_reader("source")
            return col[docnum - s.base]  # type: ignore[no-any-return]
        return source

    def sources(self) -> list[str]:
        """Every source indexed, the documents inside files included (mail.eml/a.pdf)."""
        found: set[str] = set()
        for s in self.segments:
            found.update(t.decode("utf-8") if isinstance(t, bytes) else t
                         for t in s._leaf.lexicon("source"))
        return sorted(found)

    def docs_of_source(self, source: str) -> list[int]:
        """The live documents of a source."""
        out: list[int] = []
        for s in self.segments:
            for ids, _w in s.postings("source", source):
                out.extend(s.base + d for d in ids if d not in s.deleted)
        return out

    def docnum_of(self, passage_id: str) -> int | None:
        """The document of a passage id (None: no such passage)."""
        for s in self.segments:
            for ids, _w in s.postings("id", passage_id):
                for d in ids:
                    if d not in s.deleted:
                        return s.base + d
        return None

    def passages_of(self, source: str) -> list[Passage]:
        """Every passage of one source, in document order."""
        return sorted((self.passage(d) for d in self.docs_of_source(source)),
                      key=lambda p: p.ordinal)

    def all_stored(self) -> Iterator[dict[str, Any]]:
        """The stored fields of every live document, in document order."""
        for s in self.segments:
            for d in range(s.size):
                if d not in s.deleted:
                    yield s._leaf.stored_fields(d)


def check(gen: Path) -> None:
    """StoreError unless every segment of the generation opens."""
    Reader(gen).close()


# ---------------------------------------------------------------------------------------
# Writing


def link_files(base: Path, gen: Path, skip: Iterable[str] = (),
               only: Iterable[str] | None = None) -> None:
    """The files of generation `base` (but `skip`; or `only` those) in `gen`: hard links,
    as they are never written again once written (a copy where links cannot be made)."""
    skipped = set(skip)
    names = None if only is None else set(only)
    for f in base.iterdir():
        if f.name in skipped or (names is not None and f.name not in names) \
                or f.name.startswith(".") or f.name.endswith("LOCK") or not f.is_file():
            continue
        try:
            os.link(f, gen / f.name)
        except OSError:
            shutil.copy2(f, gen / f.name)


class Writer:
    """Changes to a new generation `gen`: made from the store files of `base` (linked),
    or empty. Sources are deleted here; passages are added by SegmentBuilders (here or
    in forked processes); :meth:`commit` puts their segments after the existing ones and
    applies the merge policy."""

    def __init__(self, gen: Path, base: Path | None, skip: Iterable[str] = ()) -> None:
        from whoosh.index import create_in, open_dir

        guard_pickles()
        if base is not None:
            link_files(base, gen, skip)
            self._ix = open_dir(str(gen))
        else:
            self._ix = create_in(str(gen), schema())
        self.gen = gen
        self._writer = self._ix.writer(limitmb=32, compound=False)

    def builder(self, memory_mb: int = WRITER_MB) -> SegmentBuilder:
        """A builder of new segments for this generation (usable after a fork), each of
        at most MAX_SEGMENT_PASSAGES passages."""
        return SegmentBuilder(self._ix, memory_mb, MAX_SEGMENT_PASSAGES)

    def delete_source(self, source: str) -> None:
        """Delete the passages of a source, and of the documents found inside it (a
        message's attachments: mail.eml/a.pdf)."""
        from whoosh.query import Prefix

        self._writer.delete_by_term("source", source)
        self._writer.delete_by_query(Prefix("source", source + "/"))

    def commit(self, segments: Sequence[Any] = (), merge: bool = True) -> None:
        """Write the generation: the existing segments (less what was deleted), then the
        new `segments` in order; the merge policy (:func:`merge_plan`; `merge` False: none)
        merges some of them into one more segment at the end."""
        from whoosh.reading import SegmentReader

        added = list(segments)
        w = self._writer

        def policy(writer: Any, existing: list[Any]) -> list[Any]:
            every = list(existing) + added
            sizes = [(s.doc_count_all(), s.deleted_count()) for s in every]
            merging = set(merge_plan(sizes)) if merge else set()
            for i in sorted(merging):
                seg = every[i]
                if seg.doc_count_all() > seg.deleted_count():
                    reader = SegmentReader(writer.storage, writer.schema, seg)
                    writer.add_reader(reader)
                    reader.close()
            return [s for i, s in enumerate(every) if i not in merging]

        w.commit(mergetype=policy)
        self._ix.close()

    def cancel(self) -> None:
        """Give up the changes; harmless after commit or cancel. (What was written stays
        in the generation's folder, which the caller removes.)"""
        try:
            if not getattr(self._writer, "is_closed", True):
                self._writer.cancel()
        except Exception:  # noqa: BLE001 - cancelling after a failure: best effort
            pass
        finally:
            self._ix.close()


def merge_plan(sizes: Sequence[tuple[int, int]]) -> list[int]:
    """Which segments (given as (documents, deleted documents), in order) a commit merges
    into one: an empty one (dropped); one with more than MAX_DELETED_SHARE of its documents
    deleted (its deleted documents are dropped); and the small ones of any tier holding
    MERGE_AT segments or more. A segment's tier is its live documents in powers of
    TIER_FACTOR from TIER_BASE; a large segment (LARGE_SHARE of the largest, or more) is in
    no tier. The number of segments stays about logarithmic in the documents added by
    updates, and each document is merged again only a few times."""
    live = [n - d for n, d in sizes]
    largest = max(live, default=0)
    merge: set[int] = set()
    tiers: dict[int, list[int]] = {}
    for i, ((n, deleted), alive) in enumerate(zip(sizes, live)):
        if alive <= 0 or (n and deleted / n > MAX_DELETED_SHARE):
            merge.add(i)
        elif alive < LARGE_SHARE * largest or largest < TIER_BASE:
            tier = 0 if alive < TIER_BASE else 1 + int(math.log(alive / TIER_BASE, TIER_FACTOR))
            tiers.setdefault(tier, []).append(i)
    for members in tiers.values():
        if len(members) >= MERGE_AT:
            merge.update(members)
    return sorted(merge)


class SegmentBuilder:
    """Writes passages into new segments of a generation, a new one every
    `max_passages`; :meth:`finish` returns the segments (tokens for
    :meth:`Writer.commit`). Made by :meth:`Writer.builder`; works in a forked process."""

    def __init__(self, ix: Any, memory_mb: int, max_passages: int) -> None:
        self._ix = ix
        self._memory_mb = memory_mb
        self._max = max_passages
        self._writer: Any = None
        self._count = 0
        self._done: list[Any] = []

    def add(self, p: Passage, names: Sequence[str] = ()) -> None:
        if self._writer is None:
            from whoosh.writing import SegmentWriter

            self._writer = SegmentWriter(self._ix, _lk=False, limitmb=self._memory_mb,
                                         compound=False)
            self._count = 0
        self._writer.add_document(**passage_record(p, names))
        self._count += 1
        if self._count >= self._max:
            self.cut()

    def cut(self) -> None:
        """End the segment being written (the next passage starts another)."""
        if self._writer is not None:
            self._done.append(self._writer._finalize_segment())
            self._writer = None

    def finish(self) -> list[Any]:
        self.cut()
        done, self._done = self._done, []
        return done

    def cancel(self) -> None:
        """Give up the segment being written. (Its files stay in the generation's folder,
        which the caller removes: whoosh's own cancel would remove the temporary folder
        the other writers of the generation share.)"""
        self._writer = None


# ---------------------------------------------------------------------------------------
# Key-value tables (the entities' lookup file)


class TableWriter:
    """A file of (key, value) byte strings, read by key with :class:`Table`."""

    def __init__(self, path: Path) -> None:
        from whoosh.filedb.filetables import HashWriter
        from whoosh.filedb.structfile import StructFile

        self._writer = HashWriter(StructFile(open(path, "wb")))

    def add(self, key: bytes, value: bytes) -> None:
        self._writer.add(key, value)

    def close(self) -> None:
        self._writer.close()


class Table:
    """A key-value file written by :class:`TableWriter`."""

    def __init__(self, path: Path) -> None:
        from whoosh.filedb.filetables import HashReader
        from whoosh.filedb.structfile import StructFile

        self._reader = HashReader(StructFile(open(path, "rb")), path.stat().st_size)

    def get(self, key: bytes, default: bytes | None = None) -> bytes | None:
        return self._reader.get(key, default)  # type: ignore[no-any-return]

    def items(self) -> Iterator[tuple[bytes, bytes]]:
        """Every (key, value), in the file's order."""
        yield from self._reader.items()


# ---------------------------------------------------------------------------------------
# What this module needs of whoosh3


def engine_problems() -> list[str]:
    """What the installed whoosh3 lacks of what this module uses (empty: nothing)."""
    import importlib

    needs = {
        "whoosh.codec.whoosh3": ["W3LeafMatcher", "LENGTHS_COLUMN", "_lenfield",
                                 "W3PerDocReader", "W3TermInfo"],
        "whoosh.columns": ["NumericColumn"],
        "whoosh.fields": ["TEXT", "ID", "STORED", "Schema"],
        "whoosh.filedb.filestore": ["FileStorage"],
        "whoosh.filedb.filetables": ["HashWriter", "HashReader", "_lengths", "_pointer"],
        "whoosh.filedb.structfile": ["StructFile"],
        "whoosh.index": ["TOC", "create_in", "open_dir"],
        "whoosh.matching.wrappers": ["FilterMatcher"],
        "whoosh.query": ["Prefix"],
        "whoosh.reading": ["SegmentReader", "TermNotFound"],
        "whoosh.system": ["pack_uint", "pack_ushort"],
        "whoosh.util.numeric": ["byte_to_length", "length_to_byte"],
        "whoosh.writing": ["SegmentWriter"],
        "whoosh.analysis": ["Analyzer", "Token"],
    }
    members = {
        ("whoosh.codec.whoosh3", "W3LeafMatcher"): ["_read_ids", "_read_weights",
                                                    "_next_block", "is_active"],
        ("whoosh.codec.whoosh3", "W3PerDocReader"): ["_cached_reader"],
        ("whoosh.writing", "SegmentWriter"): ["_finalize_segment", "add_reader",
                                              "delete_by_term", "delete_by_query"],
        ("whoosh.reading", "SegmentReader"): ["term_info", "postings", "lexicon",
                                              "column_reader", "deleted_docs_set",
                                              "stored_fields", "field_length"],
        ("whoosh.columns", "NumericColumn"): ["Reader"],
        ("whoosh.codec.whoosh3", "W3TermInfo"): ["from_bytes", "inlined_postings"],
    }
    problems = []
    for module, names in needs.items():
        try:
            mod = importlib.import_module(module)
        except ImportError as e:
            problems.append(f"{module} ({e})")
            continue
        for name in names:
            obj = getattr(mod, name, None)
            if obj is None:
                problems.append(f"{module}.{name}")
                continue
            for attr in members.get((module, name), ()):
                if not hasattr(obj, attr):
                    problems.append(f"{module}.{name}.{attr}")
    return problems
