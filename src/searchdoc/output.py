"""Rendering hits: text for people, JSON Lines and TSV for pipelines."""

from __future__ import annotations

import json
import os
import shutil
import sys
import textwrap
import time
from typing import Any, TextIO

from searchdoc.models import Hit, Match, Passage
from searchdoc.search import HOW_LABEL, highlight_spans

_MARK_ON, _MARK_OFF = "\x01", "\x02"


def use_color(stream: TextIO) -> bool:
    """Colour only on a terminal; never under NO_COLOR; always under FORCE_COLOR."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def passage_json(p: Passage) -> dict[str, Any]:
    return {
        "source": p.source,
        "title": p.title,
        "section": p.section,
        "passage": p.id,
        **({"page": p.page} if p.page is not None else {}),
        **({"record": p.record} if p.record is not None else {}),
        "line_start": p.line_start,
        "line_end": p.line_end,
        "kind": p.kind,
        "text": p.text,
        "citations": [{"text": c.text, "url": c.url} for c in p.citations],
    }


def where(p: Passage) -> str:
    """Where a passage stands, as a user cites it: ``source:12-14``; a record of a list
    adds its position, ``sdn.csv:17 (record 16)``, and a record of a list written on one
    line is cited by its position alone, ``sdn.json record 3391``."""
    lines = f"{p.line_start}" + (f"-{p.line_end}" if p.line_end != p.line_start else "")
    if p.record is None:
        return f"{p.source}:{lines}"
    if p.line_start == p.line_end == 1:
        return f"{p.source} record {p.record}"
    return f"{p.source}:{lines} (record {p.record})"


def match_json(m: Match) -> dict[str, Any]:
    out: dict[str, Any] = {
        "query_term": m.query_term,
        "indexed_term": m.indexed_term,
        "field": m.field,
        "how": m.how,
    }
    for key in ("alias_of", "via", "stated_in"):
        if getattr(m, key):
            out[key] = getattr(m, key)
    return out


def hit_json(hit: Hit) -> str:
    obj = {"query": hit.query, "rank": hit.rank, "score": hit.score}
    obj.update(passage_json(hit.passage))
    obj["matched"] = [match_json(m) for m in hit.matched]
    return json.dumps(obj, ensure_ascii=False)


def hit_tsv(hit: Hit) -> str:
    def clean(s: str) -> str:
        return " ".join(s.replace("\t", " ").split())

    p = hit.passage
    source = p.source.translate(_TSV_BREAKS)  # a file name may hold a tab or a newline
    return "\t".join(
        [clean(hit.query), str(hit.rank), f"{hit.score:.4f}", source, str(p.line_start), clean(p.text)]
    )


_TSV_BREAKS = {ord(c): " " for c in "\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}


def match_line(m: Match) -> str:
    if m.how == "phrase":
        return f"“{m.query_term}” (phrase)"
    if m.how == "alias":
        return f"via alias “{m.via}” of {m.alias_of} (stated in {m.stated_in}): {m.indexed_term}"
    if m.how == "exact":
        return f"{m.query_term} (exact)"
    if m.how in ("folded", "variant"):
        return f"{m.query_term} ≈ {m.indexed_term} ({HOW_LABEL[m.how]})"
    return f"{m.query_term} ({HOW_LABEL.get(m.how, m.how)})"


class TextRenderer:
    def __init__(self, stream: TextIO, color: bool | None = None, width: int | None = None) -> None:
        self.color = use_color(stream) if color is None else color
        cols = width or shutil.get_terminal_size((100, 24)).columns
        self.width = max(40, min(cols, 100))

    def _style(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def _body(self, p: Passage, spans: list[tuple[int, int]] = ()) -> str:  # type: ignore[assignment]
        out, last = [], 0
        for a, b in spans:
            out.append(p.text[last:a] + _MARK_ON + p.text[a:b] + _MARK_OFF)
            last = b
        out.append(p.text[last:])
        marked = "".join(out)
        if p.kind in ("fields", "record"):  # one field per line, as in the document
            wrapped = "\n".join(
                textwrap.fill(line, self.width, initial_indent="    ", subsequent_indent="      ",
                              break_on_hyphens=False)
                for line in marked.splitlines()
            )
        else:
            wrapped = textwrap.fill(marked, self.width, initial_indent="    ",
                                    subsequent_indent="    ", break_on_hyphens=False)
        on, off = ("\x1b[1;33m", "\x1b[0m") if self.color else ("**", "**")
        return wrapped.replace(_MARK_ON, on).replace(_MARK_OFF, off)

    def hit(self, hit: Hit) -> str:
        p = hit.passage
        head = f"{hit.rank}. {self._style(p.title or p.source, '1')}"
        meta = f"   {self._style(where(p), '36')}"
        if p.section:
            meta += f"  § {p.section}"
        meta += f"  score {hit.score:.2f}  id {p.id}"
        lines = [head, meta, self._body(p, highlight_spans(hit))]
        if hit.matched:
            lines.append(self._style("    matched: " + "; ".join(match_line(m) for m in hit.matched), "2"))
        lines.extend(self.citations(p))
        return "\n".join(lines) + "\n"

    def citations(self, p: Passage) -> list[str]:
        out = []
        for i, c in enumerate(p.citations, 1):
            out.append(f"    [{i}] {c.text}" + (f" <{c.url}>" if c.url else ""))
        return out

    def passage(self, p: Passage, focus: bool = False) -> str:
        head = f"{'>' if focus else ' '} {self._style(p.id, '1' if focus else '2')}  {where(p)}"
        if p.section:
            head += f"  § {p.section}"
        return "\n".join([head, self._body(p), *self.citations(p)]) + "\n"


def entity_json(e: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": e["id"],
        "name": e["name"],
        "sources": e["sources"],
        "names": [{k: n[k] for k in ("name", "script", "stated_in")} for n in e["names"]],
        "merges": e["merges"],
    }


def entity_text(e: dict[str, Any]) -> str:
    lines = [f"{e['name']}  [{e['id']}]  {len(e['sources'])} source(s): {', '.join(e['sources'])}"]
    by_script: dict[str, list[dict[str, Any]]] = {}
    for n in e["names"]:
        by_script.setdefault(n["script"], []).append(n)
    for script in sorted(by_script, key=lambda s: (s != "Latin", s)):
        lines.append(f"  {script}:")
        for n in by_script[script]:
            where = "; ".join(f"{s['source']}:{s['line']} ({s['how']})" for s in n["stated_in"])
            lines.append(f"    {n['name']}  — {where}")
    for m in e["merges"]:
        lines.append(f"  merged: {m}")
    return "\n".join(lines) + "\n"


def write_line(stream: TextIO, line: str) -> None:
    stream.write(line + "\n")
    stream.flush()


def stderr(msg: str) -> None:
    sys.stderr.write(f"searchdoc: {msg}\n")
    sys.stderr.flush()


class ProgressBar:
    """A single line on stderr, redrawn in place, for index runs with many files to parse.

    Shown only when the stream is a terminal (never in pipes, logs or cron mail) and a stage
    has more than MIN_FILES files; `message` writes a report line above it.
    """

    MIN_FILES = 20
    _EVERY = 0.1  # seconds between redraws

    def __init__(self, stream=None) -> None:  # type: ignore[no-untyped-def]
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.shown = False
        self._last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or total <= self.MIN_FILES:
            return
        now = time.monotonic()
        if done < total and now - self._last < self._EVERY:
            return
        self._last = now
        cols = shutil.get_terminal_size((80, 24)).columns
        label = f"searchdoc: {stage:<8} "
        count = f" {done}/{total} files"
        width = max(10, min(40, cols - len(label) - len(count) - 3))
        filled = width * done // total
        line = f"{label}[{'#' * filled}{'.' * (width - filled)}]{count}"
        self.stream.write("\r" + line[: cols - 1] + "\x1b[K")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False

    def message(self, msg: str) -> None:
        self.clear()
        stderr(msg)
