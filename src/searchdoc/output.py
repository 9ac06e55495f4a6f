"""Rendering hits: text for people, JSON Lines and TSV for pipelines."""

from __future__ import annotations

import json
import os
import shutil
import sys
import textwrap
import time
from typing import TYPE_CHECKING, Any, TextIO

from searchdoc.explain import HOW_LABEL, WHERE_LABEL, highlight_spans
from searchdoc.models import Hit, Match, Passage

if TYPE_CHECKING:
    from searchdoc.results import Count, Entity, Source, SourceMatch

_MARK_ON, _MARK_OFF = "\x01", "\x02"


def use_color(stream: TextIO) -> bool:
    """Colour only on a terminal; never under NO_COLOR; always under FORCE_COLOR."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty()


def jsonl(obj: Any) -> str:
    """One JSON line (a result's to_dict())."""
    return json.dumps(obj, ensure_ascii=False)


# Control characters a document or a file name may hold (ESC, BEL, CR, the C1 controls):
# printed as they are, they would drive the terminal (clear it, set its title, make
# links) or split a line. Text output shows them escaped (``\x1b``); JSON stays exact.
_CONTROLS = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]
             if c not in (0x09, 0x0A)}
_CONTROLS_AND_NEWLINES = {**_CONTROLS, 0x0A: "\\n", 0x09: "\\t"}


def safe(text: str, newlines: bool = False) -> str:
    """`text` with its control characters escaped (line breaks kept where `newlines`)."""
    return text.translate(_CONTROLS if newlines else _CONTROLS_AND_NEWLINES)


def hit_json(hit: Hit) -> str:
    return jsonl(hit.to_dict())


def _tsv_clean(s: str) -> str:
    return safe(" ".join(s.replace("\t", " ").split()))


def hit_tsv(hit: Hit) -> str:
    p = hit.passage
    source = safe(p.source.translate(_TSV_BREAKS))  # a file name may hold a tab or a newline
    return "\t".join(
        [_tsv_clean(hit.query), str(hit.rank), f"{hit.score:.4f}", source, str(p.line_start),
         _tsv_clean(p.text)]
    )


_TSV_BREAKS = {ord(c): " " for c in "\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"}


def location(p: Passage) -> str:
    """Where a passage stands, as a user cites it: ``report.txt:5-9``; in a paged document
    ``report.pdf p.12:5-9`` (lines of that page); a record of a list adds its position,
    ``sdn.csv:17 (record 16)``, and a record of a list written on one line is cited by its
    position alone, ``sdn.json record 3391``."""
    lines = f"{p.line_start}" + (f"-{p.line_end}" if p.line_end != p.line_start else "")
    source = safe(p.source)
    if p.page is not None:
        return f"{source} p.{p.page}:{lines}"
    if p.record is None:
        return f"{source}:{lines}"
    if p.line_start == p.line_end == 1:
        return f"{source} record {p.record}"
    return f"{source}:{lines} (record {p.record})"


def match_line(m: Match) -> str:
    return safe(_match_line(m))


def _match_line(m: Match) -> str:
    where = WHERE_LABEL.get(m.field)
    at = f", {where}" if where else ""
    if m.how == "phrase":
        return f"“{m.query_term}” (phrase)"
    if m.how == "alias":
        return f"via alias “{m.via}” of {m.alias_of} (stated in {m.stated_in}): {m.indexed_term}"
    if m.how == "exact":
        return f"{m.query_term} (exact{at})"
    if m.how in ("folded", "variant"):
        close = f", similarity {m.similarity:.2f}" if m.similarity is not None else ""
        return f"{m.query_term} ≈ {m.indexed_term} ({HOW_LABEL[m.how]}{close}{at})"
    return f"{m.query_term} ({HOW_LABEL.get(m.how, m.how)}{at})"


class TextRenderer:
    def __init__(self, stream: TextIO, color: bool | None = None, width: int | None = None) -> None:
        self.color = use_color(stream) if color is None else color
        cols = width or shutil.get_terminal_size((100, 24)).columns
        self.width = max(40, min(cols, 100))

    def _style(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def _body(self, p: Passage, spans: list[tuple[int, int]] = ()) -> str:  # type: ignore[assignment]
        out, last = [], 0
        text = p.text
        for a, b in spans:
            out.append(safe(text[last:a], True) + _MARK_ON + safe(text[a:b], True) + _MARK_OFF)
            last = b
        out.append(safe(text[last:], True))
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
        head = f"{hit.rank}. {self._style(safe(p.title or p.source), '1')}"
        meta = f"   {self._style(location(p), '36')}"
        if p.section:
            meta += f"  § {safe(p.section)}"
        meta += f"  score {hit.score:.2f}  name {hit.name_score:.2f}  id {safe(p.id)}"
        context = hit.before is not None or hit.after is not None
        lines = [head, meta]
        # with context: the passages around it as `show` prints them, the hit marked ">"
        lines.extend(self.passage(q).rstrip("\n") for q in hit.before or ())
        if context:
            lines.append(self._passage_head(p, focus=True))
        lines.append(self._body(p, highlight_spans(hit)))
        if hit.matched:
            lines.append(self._style("    matched: " + "; ".join(match_line(m) for m in hit.matched), "2"))
        lines.extend(self.citations(p))
        lines.extend(self.passage(q).rstrip("\n") for q in hit.after or ())
        return "\n".join(lines) + "\n"

    def citations(self, p: Passage) -> list[str]:
        out = []
        for i, c in enumerate(p.citations, 1):
            out.append(f"    [{i}] {safe(c.text)}" + (f" <{safe(c.url)}>" if c.url else ""))
        return out

    def passage(self, p: Passage, focus: bool = False) -> str:
        return "\n".join([self._passage_head(p, focus), self._body(p), *self.citations(p)]) + "\n"

    def _passage_head(self, p: Passage, focus: bool) -> str:
        head = (f"{'>' if focus else ' '} {self._style(safe(p.id), '1' if focus else '2')}  "
                f"{location(p)}")
        if p.section:
            head += f"  § {safe(p.section)}"
        return head


def entity_text(e: Entity) -> str:
    lines = [f"{e.name}  [{e.id}]  {len(e.sources)} source(s): {', '.join(e.sources)}"]
    by_script: dict[str, list[Any]] = {}
    for n in e.names:
        by_script.setdefault(n.script, []).append(n)
    for script in sorted(by_script, key=lambda s: (s != "Latin", s)):
        lines.append(f"  {script}:")
        for n in by_script[script]:
            where = "; ".join(f"{s.source}:{s.line} ({s.how})" for s in n.stated_in)
            lines.append(f"    {n.name}  — {where}")
    for m in e.merges:
        lines.append(f"  merged: {m}")
    return "\n".join(safe(line) for line in lines) + "\n"


def source_line(s: Source) -> str:
    """A source as `searchdoc sources` prints it: tab-separated."""
    return (f"{safe(s.source)}\t{s.status}\t{s.passages} passages\t{s.indexed}\t"
            f"{s.hash[:12]}\t{safe(s.title)}")


def count_line(c: Count, batch: bool) -> str:
    """`query --count`: the number; in batch mode the query (as --tsv prints it) first."""
    return f"{_tsv_clean(c.query)}\t{c.count}" if batch else str(c.count)


def source_match_line(m: SourceMatch) -> str:
    """`query --files-with-matches`: the source's name."""
    return safe(m.source)


def write_line(stream: TextIO, line: str) -> None:
    stream.write(line + "\n")
    stream.flush()


def stderr(msg: str) -> None:
    sys.stderr.write(f"searchdoc: {safe(msg)}\n")
    sys.stderr.flush()


class ProgressBar:
    """The progress of an index run on stderr, drawn by rich (which typer brings): one
    line per stage, redrawn in place, erased when the run ends.

    Shown only when the stream is a terminal (never in pipes, logs or cron mail) and a stage
    has more than MIN_FILES files; `message` writes a report line above it. rich is
    imported only then: a query never pays for it. No refresh thread (the bar is redrawn
    when called, at most every _EVERY seconds): the index forks writer processes.
    """

    MIN_FILES = 20
    _EVERY = 0.1  # seconds between redraws

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._progress: Any = None  # rich.progress.Progress, made when first shown
        self._tasks: dict[str, Any] = {}
        self._last = 0.0

    @property
    def shown(self) -> bool:
        return self._progress is not None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled or total <= self.MIN_FILES:
            return
        progress = self._progress or self._start()
        if stage not in self._tasks:
            for task in self._tasks.values():  # one stage at a time on the screen
                progress.update(task, visible=False)
            self._tasks[stage] = progress.add_task(stage, total=total)
        progress.update(self._tasks[stage], completed=done, total=total)
        now = time.monotonic()
        if done >= total or now - self._last >= self._EVERY:
            self._last = now
            progress.refresh()

    def _start(self) -> Any:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        console = Console(file=self.stream, highlight=False, emoji=False, markup=False,
                          soft_wrap=True)
        self._progress = Progress(
            TextColumn("searchdoc: {task.description:<8}"), BarColumn(bar_width=40),
            MofNCompleteColumn(), TextColumn("files"), TimeElapsedColumn(),
            console=console, auto_refresh=False, transient=True,
            redirect_stdout=False, redirect_stderr=False,
        )
        self._progress.start()
        return self._progress

    def clear(self) -> None:
        """Erase the bar (before the summary line)."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
            self._tasks.clear()

    def message(self, msg: str) -> None:
        """A report line, above the bar when it is shown."""
        if self._progress is not None:
            self._progress.console.print(f"searchdoc: {safe(msg)}", markup=False, highlight=False,
                                         soft_wrap=True)
            self._progress.refresh()
        else:
            stderr(msg)
