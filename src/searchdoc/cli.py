"""The command line: parse options, call the library, print, pick the exit code.

Exit codes, as grep: 0 something found (or done), 1 nothing found, 2 error. Every error a
user can cause is one line on stderr, never a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from searchdoc.errors import EXIT_ERROR, EXIT_FOUND, EXIT_NOT_FOUND, SearchdocError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Search documents about people by any spelling, script or alias of their names.",
)

IndexOption = Annotated[
    Optional[Path],
    typer.Option(
        "--index",
        envvar="SEARCHDOC_INDEX",
        help="Index folder (default: ./index, or $SEARCHDOC_INDEX).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="JSON Lines: one object per line.")]


def _stderr(msg: str) -> None:
    sys.stderr.write(f"searchdoc: {msg}\n")
    sys.stderr.flush()


def _index_dir(index: Path | None) -> Path:
    from searchdoc.index import default_index_dir

    return index if index is not None else default_index_dir()


@app.command("index")
def index_cmd(
    paths: Annotated[
        Optional[list[str]],
        typer.Argument(help="Files and folders to index (default: the folders already "
                       "indexed, or ./seeds for a new index).", show_default=False),
    ] = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Start over from an empty index.")] = False,
    wait: Annotated[float, typer.Option("--wait", help="Seconds to wait for another "
                                        "index run to finish.", min=0)] = 0.0,
    index: IndexOption = None,
) -> None:
    """Index files and folders (incremental: only new, changed and removed files)."""
    from searchdoc.index import update
    from searchdoc.output import ProgressBar

    root = _index_dir(index)
    bar = ProgressBar(sys.stderr)
    try:
        summary = update(root, paths or None, rebuild=rebuild, wait=wait, report=bar.message,
                         progress=bar if bar.enabled else None)
    finally:
        bar.clear()
    _stderr(summary.line())
    raise typer.Exit(EXIT_FOUND)


def _open_for_query(root: Path):  # type: ignore[no-untyped-def]
    """Open the index; build it from ./seeds on first use."""
    from searchdoc.index import DEFAULT_SOURCES, exists, open_index, update

    if not exists(root) and Path(DEFAULT_SOURCES).is_dir():
        _stderr(f"no index at {root}; building it from {DEFAULT_SOURCES}/ (first use)")
        summary = update(root, [DEFAULT_SOURCES], report=_stderr)
        _stderr(summary.line())
    return open_index(root)


@app.command("query")
def query_cmd(
    text: Annotated[str, typer.Argument(help="What to search for; '-' reads one query per "
                                        "line from stdin.", show_default=False)],
    limit: Annotated[int, typer.Option("--limit", "-n", help="Hits per query.", min=1)] = 10,
    json_out: JsonOption = False,
    tsv: Annotated[bool, typer.Option("--tsv", help="One line per hit: query, rank, score, "
                                      "source, line_start, text.")] = False,
    source: Annotated[Optional[str], typer.Option("--source", help="Only sources whose path "
                                                  "matches this glob (or contains this text).")] = None,
    no_aliases: Annotated[bool, typer.Option("--no-aliases", help="Do not also search the "
                                             "other names of the person the query names.")] = False,
    index: IndexOption = None,
) -> None:
    """Search the index; print passages with their sources."""
    from searchdoc.output import TextRenderer, hit_json, hit_tsv, write_line
    from searchdoc.search import Searcher

    out = sys.stdout
    renderer = TextRenderer(out) if not (json_out or tsv) else None
    found = False
    with _open_for_query(_index_dir(index)) as handle, Searcher(handle, aliases=not no_aliases) as searcher:
        queries = _stdin_queries() if text == "-" else iter([text])
        batch = text == "-"
        for q in queries:
            hits = searcher.search(q, limit=limit, source=source)
            found = found or bool(hits)
            if renderer is not None:
                if batch:
                    write_line(out, f"== {q}")
                if not hits and batch:
                    write_line(out, "   (no match)\n")
                for h in hits:
                    write_line(out, renderer.hit(h))
            else:
                for h in hits:
                    write_line(out, hit_json(h) if json_out else hit_tsv(h))
            out.flush()
    raise typer.Exit(EXIT_FOUND if found else EXIT_NOT_FOUND)


def _stdin_queries():  # type: ignore[no-untyped-def]
    for line in sys.stdin:
        q = line.rstrip("\n").rstrip("\r")
        if q.strip():
            yield q


@app.command("show")
def show_cmd(
    passage: Annotated[str, typer.Argument(help="A passage id, as printed with a hit.",
                                           show_default=False)],
    context: Annotated[int, typer.Option("--context", "-C", help="Passages to show before "
                                         "and after it.", min=0)] = 0,
    json_out: JsonOption = False,
    index: IndexOption = None,
) -> None:
    """Print one passage in full (a PDF's: its whole page), with passages around it from
    the same document."""
    import json

    from searchdoc.errors import PassageNotFound
    from searchdoc.index import document_passages
    from searchdoc.output import TextRenderer, passage_json, write_line

    with _open_for_query(_index_dir(index)) as handle:
        from searchdoc.search import Searcher

        with Searcher(handle) as searcher:
            target = searcher.passage(passage)
        if target is None:
            raise PassageNotFound(f"no passage {passage!r} in the index (ids come from query hits)")
        around = _around(document_passages(handle, target.source), target, context)
    renderer = TextRenderer(sys.stdout)
    for p in around:
        if json_out:
            obj = passage_json(p)
            obj["focus"] = p.ordinal == target.ordinal
            write_line(sys.stdout, json.dumps(obj, ensure_ascii=False))
        else:
            write_line(sys.stdout, renderer.passage(p, focus=p.ordinal == target.ordinal))
    raise typer.Exit(EXIT_FOUND)


def _around(passages, target, context: int):  # type: ignore[no-untyped-def]
    """The passages `show` prints: the target (every passage of its page, in a paged
    document) and `context` passages before and after."""
    same = [p.ordinal for p in passages if p.page is not None and p.page == target.page]
    first, last = min(same, default=target.ordinal), max(same, default=target.ordinal)
    return [p for p in passages if first - context <= p.ordinal <= last + context]


@app.command("aliases")
def aliases_cmd(
    name: Annotated[Optional[str], typer.Argument(help="A name, in any spelling or script.",
                                                  show_default=False)] = None,
    all_entities: Annotated[bool, typer.Option("--all", help="List every entity.")] = False,
    json_out: JsonOption = False,
    index: IndexOption = None,
) -> None:
    """Show the person a name belongs to: all their names, by script, with their sources."""
    import json

    from searchdoc.output import entity_json, entity_text, write_line

    if not name and not all_entities:
        raise typer.BadParameter("give a NAME, or --all")
    with _open_for_query(_index_dir(index)) as handle:
        entities = handle.entity_index()
        found = entities.entities if all_entities else entities.lookup(name or "")
    for e in found:
        write_line(sys.stdout, json.dumps(entity_json(e), ensure_ascii=False) if json_out
                   else entity_text(e))
    raise typer.Exit(EXIT_FOUND if found else EXIT_NOT_FOUND)


@app.command("sources")
def sources_cmd(json_out: JsonOption = False, index: IndexOption = None) -> None:
    """List the indexed sources and whether each has changed since it was indexed."""
    import json

    from searchdoc.index import sources
    from searchdoc.output import write_line

    rows = sources(_index_dir(index))
    for r in rows:
        if json_out:
            write_line(sys.stdout, json.dumps(
                {k: r[k] for k in ("source", "path", "title", "passages", "hash", "indexed", "status")},
                ensure_ascii=False))
        else:
            write_line(sys.stdout, f"{r['source']}\t{r['status']}\t{r['passages']} passages\t"
                                   f"{r['indexed']}\t{r['hash'][:12]}\t{r['title']}")
    raise typer.Exit(EXIT_FOUND if rows else EXIT_NOT_FOUND)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, turn every user error into one line and an exit code."""
    from typer.main import get_command

    args = sys.argv[1:] if argv is None else argv
    command = get_command(app)
    _forgiving_stdio()
    try:
        rv = command.main(args=args, prog_name="searchdoc", standalone_mode=False)
        code = rv if isinstance(rv, int) else EXIT_FOUND
        if code == 130:  # typer turns Ctrl-C into a silent exit 130
            _stderr("interrupted")
    except SystemExit as e:
        # typer ends a command whose stdout was closed (`| head -1`) with exit 1, after
        # wrapping stdout to hush it: end quietly with 0 instead, as grep does.
        if type(sys.stdout).__name__ == "PacifyFlushWrapper":
            code = _broken_pipe()
        else:
            code = e.code if isinstance(e.code, int) else EXIT_ERROR
    except typer.Exit as e:
        code = e.exit_code
    except SearchdocError as e:
        _stderr(str(e))
        code = e.exit_code
    except typer.TyperException as e:  # usage errors: bad option, missing argument
        _stderr(f"{e.format_message()} (see `searchdoc --help`)")
        code = EXIT_ERROR
    except (KeyboardInterrupt, typer.Abort):
        _stderr("interrupted")
        code = 130
    except BrokenPipeError:
        code = _broken_pipe()
    except OSError as e:  # the system refused something (disk, permissions): one line
        where = f"{e.filename}: " if e.filename else ""
        _stderr(f"{where}{e.strerror or e}")
        code = EXIT_ERROR
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = _broken_pipe()
    return code


def _forgiving_stdio() -> None:
    """Undecodable bytes on stdin and characters the terminal's encoding lacks are replaced
    rather than ending the run with a traceback (a Latin-1 terminal, a stray byte in a
    batch of queries)."""
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            pass


def _broken_pipe() -> int:
    # The reader went away (`| head -1`): end quietly, as grep does.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_FOUND


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
