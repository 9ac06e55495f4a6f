"""The Debian package descriptions corpus (from apt's lists) and the query sets drawn from a
corpus."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import CACHE_DIR, REPO_ROOT, BenchmarkError, Json, log

NAMES_TSV = REPO_ROOT.parent / "shared" / "data" / "sdn_aliases_dev.tsv"


APT_LISTS = Path("/var/lib/apt/lists")


APT_HELPER = Path("/usr/lib/apt/apt-helper")


CORPUS_FORMAT = 1  # bump when the generated corpus layout changes (invalidates the cache)


PACKAGES_PER_FILE = 30


WORD_RE = re.compile(r"[^\W\d_]{4,}")


PARAGRAPH_SPLIT_RE = re.compile(r"\n[ \t]*\n")


def corpus_files(corpus: Path) -> list[Path]:
    """The .txt/.md files of a folder, sorted by relative path."""
    files = [p for p in corpus.rglob("*") if p.suffix in (".txt", ".md") and p.is_file()]
    return sorted(files, key=lambda p: p.relative_to(corpus).as_posix())


def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks, stripped, empty ones dropped."""
    return [block.strip() for block in PARAGRAPH_SPLIT_RE.split(text) if block.strip()]


def apt_dumpavail() -> str:
    result = subprocess.run(["apt-cache", "dumpavail"], capture_output=True, text=True)
    return result.stdout if result.returncode == 0 else ""


def apt_update(allowed: bool) -> bool:
    """`apt-get update` with English translations, when allowed and running as root."""
    if not allowed or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return False
    log("apt-get update -o Acquire::Languages=en ...")
    cmd = ["apt-get", "update", "-qq", "-o", "Acquire::Languages=en"]
    return subprocess.run(cmd, capture_output=True).returncode == 0


def translation_files() -> list[Path]:
    return sorted(APT_LISTS.glob("*_i18n_Translation-en*"))


def read_apt_list(path: Path) -> str:
    """Decompressed text of an apt list file (apt-helper handles lz4/zstd/xz/gz)."""
    if APT_HELPER.exists():
        result = subprocess.run([str(APT_HELPER), "cat-file", str(path)], capture_output=True)
        if result.returncode == 0:
            return result.stdout.decode("utf-8", errors="replace")
    return read_text(path) if path.suffix not in (".lz4", ".zst", ".xz", ".gz") else ""


def stanzas(text: str) -> Iterable[dict[str, list[str]]]:
    """Deb822 stanzas: field name -> [first line, continuation lines without the space]."""
    for block in re.split(r"\n\s*\n", text):
        fields: dict[str, list[str]] = {}
        current: list[str] | None = None
        for line in block.splitlines():
            if line.startswith((" ", "\t")) and current is not None:
                current.append(line[1:])
            elif ":" in line:
                name, value = line.split(":", 1)
                current = fields[name] = [value.strip()]
        if fields:
            yield fields


def long_description(lines: list[str]) -> list[str]:
    """Paragraphs of a long description (" ." lines are paragraph breaks)."""
    paras: list[str] = []
    current: list[str] = []
    for line in lines:
        if line.strip() == ".":
            paras.append("\n".join(current))
            current = []
        else:
            current.append(line.rstrip())
    paras.append("\n".join(current))
    return [p for p in paras if p.strip()]


def load_translations(texts: Iterable[str]) -> dict[tuple[str, str], list[str]]:
    """(package, description md5) and (package, "") -> long description lines."""
    table: dict[tuple[str, str], list[str]] = {}
    for text in texts:
        for st in stanzas(text):
            desc = st.get("Description-en")
            if "Package" not in st or not desc:
                continue
            pkg, md5 = st["Package"][0], st.get("Description-md5", [""])[0]
            table[(pkg, md5)] = desc[1:]
            table.setdefault((pkg, ""), desc[1:])
    return table


def debian_packages(dump: str, translations: dict[tuple[str, str], list[str]]) -> list[Json]:
    """Packages sorted by name: name, synopsis, long-description paragraphs."""
    packages = {}
    for st in stanzas(dump):
        if "Package" not in st or "Description" not in st:
            continue
        name, desc = st["Package"][0], st["Description"]
        body = desc[1:]
        if not body:
            md5 = st.get("Description-md5", [""])[0]
            body = translations.get((name, md5)) or translations.get((name, ""), [])
        packages[name] = {"name": name, "synopsis": desc[0], "long": long_description(body)}
    return [packages[name] for name in sorted(packages)]


def render_debian_file(number: int, packages: list[Json]) -> str:
    """One corpus file: title, then per package a heading, synopsis and paragraphs."""
    blocks = [f"= Debian packages {number:04d} ="]
    for pkg in packages:
        blocks += [f"== {pkg['name']} ==", pkg["synopsis"], *pkg["long"]]
    return "\n\n".join(blocks) + "\n"


def write_debian_corpus(packages: list[Json], target: Path) -> None:
    """Write the files into target/corpus atomically (temp folder, then rename)."""
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=target.parent))
    (staging / "corpus").mkdir()
    for start in range(0, len(packages), PACKAGES_PER_FILE):
        number = start // PACKAGES_PER_FILE + 1
        group = packages[start : start + PACKAGES_PER_FILE]
        path = staging / "corpus" / f"debian-{number:04d}.txt"
        path.write_text(render_debian_file(number, group), encoding="utf-8")
    manifest = {
        "packages": len(packages),
        "with_long_description": sum(1 for p in packages if p["long"]),
        "files": -(-len(packages) // PACKAGES_PER_FILE),
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    if target.exists():
        shutil.rmtree(target)
    os.replace(staging, target)


def apt_sources(allow_update: bool) -> tuple[str, list[str]]:
    """dumpavail text and Translation-en texts, running apt-get update when needed."""
    updated = False
    if not translation_files():
        updated = apt_update(allow_update)
    dump = apt_dumpavail()
    if not dump.strip() and not updated:
        updated = apt_update(allow_update)
        dump = apt_dumpavail()
    if not dump.strip():
        raise BenchmarkError(
            "`apt-cache dumpavail` printed nothing (run `apt-get update` as root, "
            "or pass --corpus DIR with a folder of .txt/.md files)"
        )
    return dump, [read_apt_list(p) for p in translation_files()]


def debian_corpus(allow_update: bool) -> tuple[Path, Json]:
    """The cached Debian corpus folder (built when missing) and its description."""
    dump, translations = apt_sources(allow_update)
    digest = hashlib.sha256(f"format {CORPUS_FORMAT}\n".encode())
    for text in (dump, *translations):
        digest.update(text.encode("utf-8", errors="replace"))
    key = digest.hexdigest()[:16]
    target = CACHE_DIR / f"debian-{key}"
    cached = (target / "manifest.json").exists()
    if not cached:
        log("building the Debian corpus from apt-cache dumpavail ...")
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        write_debian_corpus(debian_packages(dump, load_translations(translations)), target)
        _drop_stale_caches(keep=target)
    meta = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    return target / "corpus", {"source": "debian", "cache_key": key, "cached": cached, **meta}


def _drop_stale_caches(keep: Path) -> None:
    for old in CACHE_DIR.glob("debian-*"):
        if old != keep and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)


@dataclass
class QuerySet:
    """All queries in order, with the name of the set each one came from."""

    queries: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set, repr=False)

    def add(self, query: str, kind: str) -> bool:
        """Append a whitespace-normalised query; False for an empty or repeated one."""
        query = " ".join(query.split())
        if not query or query in self._seen:
            return False
        self._seen.add(query)
        self.queries.append(query)
        self.kinds.append(kind)
        return True

    def counts(self) -> dict[str, int]:
        return dict(Counter(self.kinds))


def word_counts(files: list[Path]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for path in files:
        counts.update(w.lower() for w in WORD_RE.findall(read_text(path)))
    return counts


def word_queries(counts: Counter[str], n: int, qs: QuerySet) -> None:
    """n distinct queries of 1-3 words, drawn by frequency with random.Random(0)."""
    vocab = sorted(counts)
    if not vocab:
        return
    weights = [counts[w] for w in vocab]
    rng = random.Random(0)
    added = 0
    for _ in range(n * 50):
        if added == n:
            break
        words = rng.choices(vocab, weights=weights, k=rng.randint(1, 3))
        added += qs.add(" ".join(words), "words")


def name_queries(path: Path, qs: QuerySet) -> None:
    """The `query` column of the SDN aliases TSV."""
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            qs.add(row.get("query") or "", "names")


def build_queries(files: list[Path], n: int, with_names: bool) -> tuple[QuerySet, str]:
    """The query set and the single word used for cold queries and ripgrep."""
    counts = word_counts(files)
    qs = QuerySet()
    word_queries(counts, n, qs)
    if with_names and NAMES_TSV.exists():
        name_queries(NAMES_TSV, qs)
    if not qs.queries:
        raise BenchmarkError("no query could be drawn from the corpus")
    pairs = zip(qs.queries, qs.kinds, strict=True)
    word = next((q for q, k in pairs if k == "words" and " " not in q), qs.queries[0].split()[0])
    return qs, word


def write_queries(qs: QuerySet, path: Path) -> Path:
    path.write_text("".join(q + "\n" for q in qs.queries), encoding="utf-8")
    return path


def hit_stats(qs: QuerySet, hits: list[int]) -> Json:
    """hits_per_query and zero_hit_queries, overall and per query set."""

    def summary(values: list[int]) -> Json:
        return {
            "queries": len(values),
            "hits_per_query": round(statistics.fmean(values), 3) if values else None,
            "zero_hit_queries": sum(1 for v in values if v == 0),
        }

    by_set = {
        kind: summary([h for h, k in zip(hits, qs.kinds, strict=True) if k == kind])
        for kind in sorted(set(qs.kinds))
    }
    return {**summary(hits), "by_set": by_set}
