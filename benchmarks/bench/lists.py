"""--lists: the list corpus (SDN records as CSV, JSON, FollowTheMoney, XML, Excel and
prose files)."""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import json
import random
import shutil
import statistics
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from bench.common import (
    LIMIT,
    MIB,
    REPO_ROOT,
    BenchmarkError,
    Json,
    Searchdoc,
    find_searchdoc,
    log,
    ratio,
    seconds_of,
)
from bench.corpus import NAMES_TSV, QuerySet, hit_stats, write_queries
from bench.report import machine_info
from bench.runs import batch_hits, searchdoc_build

SDN_TSV = REPO_ROOT.parent / "shared" / "data" / "sdn_individuals.tsv"


LIST_FORMATS = ("csv", "json", "ftm", "xml", "xlsx", "prose")


LIST_QUERIES = 500


ALIASES_RUNS = 20


@dataclass
class ListRecord:
    """One person of the list corpus."""

    id: str
    listing: str  # as the SDN list writes it: "AL-MUSAWI, Ali Mussa Daqduq"
    program: str
    title: str
    remarks: str
    aliases: list[str]

    def natural(self, name: str | None = None) -> str:
        last, sep, first = (name or self.listing).partition(", ")
        return f"{first} {last}" if sep else (name or self.listing)


def sdn_list(total: int) -> tuple[list[ListRecord], int]:
    """The SDN individuals (with the published aliases of the even ent_nums), then copies
    until `total` records: copy k of a person keeps their given names, remarks and
    program, takes the surname of another person (a new person with a plausible name,
    as a real list has many who share a given name or a surname), and has an id of its
    own. Returns the records and how many are originals."""
    with open(SDN_TSV, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    aliases: dict[str, list[str]] = {}
    if NAMES_TSV.exists():
        with open(NAMES_TSV, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                aliases.setdefault(row["ent_num"], []).append(row["alias"])
    people = [ListRecord(r["ent_num"], r["listing"], r["program"], r["title"], r["remarks"],
                         aliases.get(r["ent_num"], [])) for r in rows]
    out = list(people[:total])
    n, k = len(people), 1
    while len(out) < total:
        for i, p in enumerate(people):
            if len(out) == total:
                break
            other = people[(i + k * 7919) % n]
            _surname, sep, given = p.listing.partition(", ")
            listing = f"{other.listing.partition(', ')[0]}, {given}" if sep else p.listing
            out.append(ListRecord(f"{p.id}-{k}", listing, p.program, p.title, p.remarks, []))
        k += 1
    return out, min(n, total)


def write_list(records: list[ListRecord], fmt: str, target: Path) -> Path:
    """The list written in one format under `target`: a file (a folder for prose)."""
    target.mkdir(parents=True, exist_ok=True)
    if fmt == "csv":
        path = target / "sdn.csv"
        with open(path, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["ent_num", "name", "aliases", "program", "title", "remarks"])
            for r in records:
                w.writerow([r.id, r.listing, "; ".join(r.aliases), r.program, r.title, r.remarks])
        return path
    if fmt == "json":  # an array of objects, each over several lines
        path = target / "sdn.json"
        rows = [{"ent_num": r.id, "name": r.listing, "aliases": r.aliases, "program": r.program,
                 "title": r.title, "remarks": r.remarks} for r in records]
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
        return path
    if fmt == "ftm":  # FollowTheMoney entities as OpenSanctions publishes them
        path = target / "sdn.ftm.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for r in records:
                props = {"name": [r.natural()], "alias": [r.natural(a) for a in r.aliases],
                         "program": [r.program], "notes": [r.remarks], "position": [r.title]}
                entity = {"id": f"ofac-{r.id}", "schema": "Person", "caption": r.natural(),
                          "properties": {k: [v for v in vs if v] for k, vs in props.items()
                                         if any(vs)}, "datasets": ["us_ofac_sdn"]}
                fh.write(json.dumps(entity, ensure_ascii=False) + "\n")
        return path
    if fmt == "xml":  # as OFAC publishes sdn.xml: names in parts, an akaList, a programList
        path = target / "sdn.xml"
        with open(path, "w", encoding="utf-8") as fh:
            fh.write('<?xml version="1.0" encoding="UTF-8"?>\n<sdnList>\n')
            for r in records:
                akas = "".join(
                    f"<aka><uid>{r.id}{k}</uid><type>a.k.a.</type><category>strong</category>"
                    f"{_xml_name(a)}</aka>" for k, a in enumerate(r.aliases))
                fh.write(f"<sdnEntry>\n<uid>{_esc(r.id)}</uid>{_xml_name(r.listing)}"
                         f"<title>{_esc(r.title)}</title><sdnType>Individual</sdnType>\n"
                         f"<programList><program>{_esc(r.program)}</program></programList>\n"
                         f"<akaList>{akas}</akaList>\n<remarks>{_esc(r.remarks)}</remarks>\n"
                         "</sdnEntry>\n")
            fh.write("</sdnList>\n")
        return path
    if fmt == "xlsx":  # one sheet, a header row, strings inline, streamed into the zip
        path = target / "sdn.xlsx"
        write_xlsx(path, ["ent_num", "name", "aliases", "program", "title", "remarks"],
                   ([r.id, r.listing, "; ".join(r.aliases), r.program, r.title, r.remarks]
                    for r in records))
        return path
    folder = target / "prose"  # one small text file per record, 1,000 to a folder
    for i, r in enumerate(records):
        sub = folder / f"{i // 1000:03d}"
        if i % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        lines = [f"= {r.listing} =", "", f"Name: {r.natural()}"]
        if r.aliases:
            lines.append(f"Aliases: {'; '.join(r.natural(a) for a in r.aliases)}")
        lines += [f"Program: {r.program}", f"Title: {r.title or '-'}",
                  f"Remarks: {r.remarks or '-'}", f"ID: {r.id}", ""]
        (sub / f"{r.id}.txt").write_text("\n".join(lines), encoding="utf-8")
    return folder


def _esc(text: str) -> str:
    return xml_escape(text, {'"': "&quot;"})


def _xml_name(listing: str) -> str:
    last, sep, first = listing.partition(", ")
    return (f"<lastName>{_esc(last)}</lastName>" + (f"<firstName>{_esc(first)}</firstName>"
                                                     if sep else ""))


def _column_letters(n: int) -> str:
    out = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def write_xlsx(path: Path, header: list[str], rows: Iterable[list[str]]) -> None:
    """A one-sheet workbook (what Excel needs to open it, strings inline)."""
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="application'
            '/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
            '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        z.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {main} {rel_ns}><sheets><sheet '
            'name="SDN" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        z.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
            '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'))
        with z.open("xl/worksheets/sheet1.xml", "w") as raw:
            fh = io.TextIOWrapper(raw, encoding="utf-8")
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {main}><sheetData>')
            for n, row in enumerate(itertools.chain([header], rows), 1):
                cells = "".join(
                    f'<c r="{_column_letters(k)}{n}" t="inlineStr"><is><t>{_esc(v)}</t></is></c>'
                    for k, v in enumerate(row) if v)
                fh.write(f'<row r="{n}">{cells}</row>')
            fh.write("</sheetData></worksheet>")
            fh.flush()
            fh.detach()


def list_queries(records: list[ListRecord], originals: int, n: int) -> QuerySet:
    """n name queries about the original people: half listed names in natural order,
    half their published aliases (random.Random(0))."""
    rng = random.Random(0)
    people = records[:originals]
    named = [p.natural() for p in rng.sample(people, min(len(people), n))]
    aliased = [p.natural(a) for p in people for a in p.aliases]
    rng.shuffle(aliased)
    qs = QuerySet()
    for listed, alias in zip(named, aliased + [""] * len(named)):
        if len(qs.queries) < n:
            qs.add(listed, "listed")
        if alias and len(qs.queries) < n:
            qs.add(alias, "alias")
    return qs


def list_batch(sd: Searchdoc, index_dir: Path, qs: QuerySet, qfile: Path, *extra: str) -> Json:
    log(f"searchdoc: {len(qs.queries)} list queries {' '.join(extra)} ...")
    args = ("query", "-", "--json", "--index", str(index_dir), "--limit", str(LIMIT), *extra)
    run = sd.run(*args, stdin=qfile, ok=(0, 1))
    hits = batch_hits(sd, qs, run.out_text())
    seconds = seconds_of(run, ok=(0, 1))
    alias_hits = sum(1 for line in run.out_text().splitlines()
                     if '"how": "alias"' in line)
    return {"seconds": seconds,
            "ms_per_query": None if seconds is None else round(1000 * seconds / len(qs.queries), 3),
            "alias_hits": alias_hits, **hit_stats(qs, hits)}


def list_aliases(sd: Searchdoc, index_dir: Path, qs: QuerySet) -> Json:
    """`searchdoc aliases NAME` for ALIASES_RUNS names (one process each), and the size of
    the largest entity of `aliases --all`."""
    names = [q for q, k in zip(qs.queries, qs.kinds) if k == "listed"][:ALIASES_RUNS]
    log(f"searchdoc: aliases for {len(names)} names, and --all ...")
    runs = [sd.run("aliases", name, "--json", "--index", str(index_dir), ok=(0, 1))
            for name in names]
    found = [json.loads(line) for r in runs for line in r.out_text().splitlines() if line]
    every = sd.run("aliases", "--all", "--json", "--index", str(index_dir), ok=(0, 1))
    sizes = [len(json.loads(line)["names"]) for line in every.out_text().splitlines() if line]
    return {"median_seconds": round(statistics.median(r.seconds for r in runs), 4),
            "resolved": sum(1 for r in runs if r.exit_code == 0),
            "names_per_entity_found": round(statistics.fmean(len(e["names"]) for e in found), 2)
            if found else None,
            "all_seconds": round(every.seconds, 3), "entities": len(sizes),
            "largest_entity_names": max(sizes, default=0)}


def write_big_ftm(records: list[ListRecord], megabytes: int, path: Path) -> int:
    """FollowTheMoney JSON Lines of about `megabytes` MB, with entities about the size
    OpenSanctions publishes (~1.4 kB: sources, referents, datasets, dates), the records
    repeated with new ids and surnames as needed. Returns the number of entities."""
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        while fh.tell() < megabytes * MIB:
            r = records[n % len(records)]
            k = n // len(records)
            surname = records[(n * 7919) % len(records)].listing.partition(", ")[0]
            listing = f"{surname}, {r.listing.partition(', ')[2]}" if k else r.listing
            name = ListRecord(r.id, listing, "", "", "", []).natural()
            entity = {
                "id": f"NK-{n:08d}", "caption": name, "schema": "Person",
                "properties": {
                    "name": [name], "alias": [r.natural(a) for a in r.aliases] if not k else [],
                    "notes": [r.remarks], "position": [r.title] if r.title else [],
                    "program": [r.program], "topics": ["sanction"], "gender": ["male"],
                    "sourceUrl": [f"https://sanctionssearch.ofac.treas.gov/Details.aspx?id={r.id}"],
                    "country": ["ir", "iq", "lb"][n % 3:n % 3 + 1],
                    "createdAt": ["2019-04-15"], "modifiedAt": ["2024-02-01"]},
                "referents": [f"ofac-{r.id}-{k}", f"eu-fsf-eu-{n}-{k}", f"gb-hmt-{n + 13}",
                              f"un-sc-sanctions-{n % 997}", f"ca-dfatd-{n}"],
                "datasets": ["us_ofac_sdn", "eu_fsf", "gb_hmt_sanctions", "sanctions"],
                "first_seen": "2019-04-15T00:00:00", "last_seen": "2026-11-20T00:00:00",
                "last_change": "2024-02-01T00:00:00", "target": True}
            fh.write(json.dumps(entity, ensure_ascii=False) + "\n")
            n += 1
    return n


def run_stream(args: argparse.Namespace, work: Path, sd: Searchdoc) -> Json:
    """`--lists --stream-mb N`: index one FollowTheMoney JSON Lines file of N MB; its
    build time and memory (the peak summed PSS of the build's processes)."""
    records, _originals = sdn_list(4643)
    path = work / "big" / "entities.ftm.jsonl"
    path.parent.mkdir(parents=True)
    log(f"list: writing {args.stream_mb} MB of FollowTheMoney JSON Lines ...")
    entities = write_big_ftm(records, args.stream_mb, path)
    build = searchdoc_build(sd, path, work / "index-big", 1)
    build["bytes"], build["entities"] = path.stat().st_size, entities
    return {"machine": machine_info(sd), "stream": build, "problems": sd.problems}


def run_lists(args: argparse.Namespace, work: Path) -> Json:
    if not SDN_TSV.exists():
        raise BenchmarkError(f"{SDN_TSV} not found (../shared/data beside the repository)")
    problems: list[str] = []
    sd = Searchdoc(find_searchdoc(), work / "logs", problems)
    if args.stream_mb:
        return run_stream(args, work, sd)
    records, originals = sdn_list(args.list_records)
    qs = list_queries(records, originals, LIST_QUERIES)
    qfile = write_queries(qs, work / "list-queries.txt")
    formats = [f for f in args.list_formats.split(",") if f]
    report: Json = {"machine": machine_info(sd), "records": len(records),
                    "original_people": originals, "queries": qs.counts(), "formats": {}}
    for fmt in formats:
        if fmt not in LIST_FORMATS:
            raise BenchmarkError(f"--list-formats: unknown format {fmt!r}")
        log(f"list: writing {len(records):,} records as {fmt} ...")
        corpus = write_list(records, fmt, work / f"list-{fmt}")
        index_dir = work / f"index-{fmt}"
        build = searchdoc_build(sd, corpus, index_dir, 1 if corpus.is_file() else len(records))
        build["bytes"] = (corpus.stat().st_size if corpus.is_file()
                          else sum(p.stat().st_size for p in corpus.rglob("*.txt")))
        build["records_per_s"] = (round(len(records) / build["seconds"], 1)
                                  if build.get("seconds") else None)
        with_aliases = list_batch(sd, index_dir, qs, qfile)
        without = list_batch(sd, index_dir, qs, qfile, "--no-aliases")
        report["formats"][fmt] = {
            "build": build,
            "query_batch": with_aliases,
            "query_batch_no_aliases": without,
            "alias_ratio": ratio(with_aliases["seconds"], without["seconds"]),
            "aliases": list_aliases(sd, index_dir, qs),
        }
        if not args.keep:
            shutil.rmtree(corpus, ignore_errors=True)
            shutil.rmtree(index_dir, ignore_errors=True)
    prose = report["formats"].get("prose", {}).get("build", {}).get("passages_per_s")
    for figures in report["formats"].values():
        figures["build_rate_vs_prose"] = ratio(figures["build"]["passages_per_s"], prose)
    report["problems"] = problems
    return report
