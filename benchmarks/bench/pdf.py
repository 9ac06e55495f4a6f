"""--pdf: the corpus text set in PDFs (tests' makers.py writer) against the same text as .txt
files."""

from __future__ import annotations

import sys
from pathlib import Path

from bench.common import (
    MIB,
    REPO_ROOT,
    BenchmarkError,
    Json,
    Searchdoc,
    dir_size,
    log,
    passages_in_index,
    per_second,
    ratio,
    seconds_of,
)
from bench.corpus import paragraphs, read_text

PDF_PAGES_PER_FILE = 20


def write_pdf_corpus(files: list[Path], pages: int, target: Path) -> tuple[Path, Path, int]:
    """`pages` pages of the corpus paragraphs in PDFs under target/pdf, and the same
    paragraphs in .txt files under target/text; returns both folders and the file count."""
    sys.path.insert(0, str(REPO_ROOT / "tests" / "readers"))
    import makers  # the tests' PDF writer (standard library only)

    pdf_dir, text_dir = target / "pdf", target / "text"
    pdf_dir.mkdir(parents=True)
    text_dir.mkdir(parents=True)
    source = [p for f in files for p in paragraphs(read_text(f))]
    if not source:
        raise BenchmarkError("--pdf: no paragraph in the corpus")
    written = n_files = k = 0
    while written < pages:
        count = min(PDF_PAGES_PER_FILE, pages - written)
        chunk: list[str] = []
        while True:  # paragraphs until they fill `count` pages
            chunk.append(" ".join(source[k % len(source)].split()))
            k += 1
            laid = makers.text_pages(chunk)
            if len(laid) > count:
                chunk.pop()
                k -= 1
                laid = makers.text_pages(chunk)
                break
        n_files += 1
        (pdf_dir / f"doc-{n_files:04d}.pdf").write_bytes(makers.pdf(laid))
        (text_dir / f"doc-{n_files:04d}.txt").write_text("\n\n".join(chunk) + "\n",
                                                         encoding="utf-8")
        written += len(laid)
    return pdf_dir, text_dir, n_files


def measure_pdf(sd: Searchdoc, files: list[Path], pages: int, work: Path) -> Json:
    log(f"pdf: writing {pages} pages of the corpus text as PDFs ...")
    pdf_dir, text_dir, n_files = write_pdf_corpus(files, pages, work / "pdf-corpus")
    out: Json = {"pages": pages, "files": n_files,
                 "pdf_mb": round(dir_size(pdf_dir) / MIB, 2)}
    for tag, folder in (("pdf", pdf_dir), ("text", text_dir)):
        log(f"pdf: searchdoc index --rebuild of {folder} ...")
        index_dir = work / f"pdf-index-{tag}"
        run = sd.run("index", str(folder), "--index", str(index_dir), "--rebuild")
        seconds = seconds_of(run)
        if tag == "pdf":
            out.update(seconds=seconds, pages_per_s=per_second(pages, seconds),
                       passages=passages_in_index(sd, index_dir, run) if seconds else None)
        else:
            out["text_seconds"] = seconds
    out["pdf_over_text"] = ratio(out.get("seconds"), out.get("text_seconds"))
    return out
