"""The precision set of benchmarks/names.py: a mixed collection of its own, in several
shapes and both scripts, where every passage knows whom it names.

People: a deterministic sample of the SDN individuals (their listed name, program and
remarks) and of the Arabic/Latin pairs (a name alone), and for some of the SDN people a
namesake: a made-up relative with the same family name and another person's given names
(the sibling an analyst must not be shown). Documents:

- a profile per person, about them (one passage; its shape cycles through a ``= Title =``
  heading, a ``Name:`` field block, a Markdown ``# `` heading, the name alone on the first
  line; Arabic-script profiles for the pairs);
- news articles, several paragraphs each, every paragraph naming one person in a sentence
  (Latin or Arabic script, as the person's name is written), and articles whose paragraphs
  name two people of one script each ("X met Y"): a query whose words are spread over the
  two names is neither;
- one CSV list of every SDN person and relative (name, program, remarks).

Each profile and news paragraph carries a number of its own (``Ref. 40213.``): a hit is
mapped to the people it names by the numbers in its text, or by its record of the list.

Queries, each in the ``tune`` or ``test`` half of its person: every person's name as a
user types it (natural order; for the pairs, the Latin spelling against the Arabic
documents, and, as kind ``in-arabic``, the Arabic spelling; ``named`` sums the others but
``in-arabic`` and ``arabic-full``: people of Arabic script with a name of two words, two
of them per family name, queried in Latin script);
names of people in no document (SDN people left out, other pairs) and made-up names, all
of which should find nothing.

Figures (per half): ``other_in_top10`` (the share of the first ten hits that name someone
else), ``count_inflation`` (hits counted by ``-c`` over the passages that truly name the
person: the mean, and the share of queries over 1.5), ``about_first`` (the first hit is the
person's profile or list record), ``mention_recall_50`` (the share of the passages naming
the person within the first 50 hits), ``absent_exit_1`` and ``made_up_exit_1`` (the share
of such queries with no hit: `searchdoc query` exits 1).
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import subprocess
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PEOPLE = 400  # SDN people in the collection
RELATIVES_EVERY = 3  # one SDN person in this many gets a namesake relative
PAIRS = 200  # Arabic-script people (from the pairs)
# ... and people of Arabic script with a name of two words, a given name and a family name
# from two more pairs, two of them per family (siblings: "Ruben GUPTA" beside "Atul GUPTA")
FULL_NAMES = 100
MENTIONS = 2  # news paragraphs naming each person
PER_ARTICLE = 4  # paragraphs of a news article
DEPTH = 50  # hits read per query

LATIN_FILLER = [
    "The report was published after a review of the available records and statements.",
    "Officials declined to comment on the details of the case when asked this week.",
    "According to the filing, the transfers took place over a period of several months.",
    "The inquiry is continuing, and further hearings are expected later in the year.",
    "Analysts said the decision could affect how similar cases are handled in future.",
    "Several of the documents were obtained through requests made under the law.",
    "The court heard that the payments had been routed through more than one account.",
    "Lawyers for the defence said they would study the ruling before deciding to appeal.",
]
ARABIC_FILLER = [
    "نشر التقرير بعد مراجعة السجلات والبيانات المتاحة.",
    "ورفض المسؤولون التعليق على تفاصيل القضية عند سؤالهم هذا الأسبوع.",
    "وبحسب الوثيقة فإن التحويلات جرت على مدى عدة أشهر.",
    "ولا يزال التحقيق مستمرا ومن المتوقع عقد جلسات أخرى في وقت لاحق من العام.",
    "وقال محللون إن القرار قد يؤثر على طريقة التعامل مع قضايا مماثلة في المستقبل.",
    "وقد تم الحصول على عدد من الوثائق بناء على طلبات رسمية.",
]
LATIN_LEADS = ["{name} was named in the filing.", "The statement said that {name} had travelled abroad.",
               "Investigators described {name} as a central figure in the network.",
               "A spokesman confirmed that {name} had been questioned."]
ARABIC_LEADS = ["وورد اسم {name} في الوثيقة.", "وقال البيان إن {name} سافر إلى الخارج.",
                "ووصف المحققون {name} بأنه شخصية محورية في الشبكة."]
JOINT_LATIN_LEADS = ["{a} met {b} in the capital last month.",
                     "The filing says {a} sent money to {b} twice.",
                     "Both {a} and {b} were questioned by investigators."]
JOINT_ARABIC_LEADS = ["والتقى {a} مع {b} في العاصمة الشهر الماضي.",
                      "وتقول الوثيقة إن {a} أرسل أموالا إلى {b} مرتين."]
SYLLABLES = ["zor", "vak", "qui", "tel", "lox", "bre", "mun", "dax", "yph", "kru", "wen", "fip",
             "glo", "trab", "snev", "plu", "crim", "drox"]
ARABIC_LETTERS = "ثخذضظغشصقكلمنهوي"
REF = re.compile(r"Ref\. (\d{5})|مرجع (\d{5})")
LINKED = re.compile(r";?\s*Linked To: [^;]*")  # another person's name: no remark of ours


def news_name(name: str) -> str:
    """A name as a newspaper writes it: "Sohayl TALEBI" -> "Sohayl Talebi"."""
    return " ".join(w.title() if w.isupper() and len(w) > 1 else w for w in name.split())


@dataclass
class Person:
    key: str  # "s1234" (SDN ent_num), "r1234" (a relative of s1234), "a17" (a pair)
    name: str  # as a user types it, natural order
    listing: str  # as a list or profile writes it
    half: str
    arabic: bool = False  # the documents write the name in Arabic script
    query: str = ""  # the query for this person (the Latin spelling for a pair)
    extra: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class MixedSet:
    files: dict[str, str]  # path -> content
    refs: dict[str, set[str]]  # "40213" -> the people the passage names
    records: dict[int, str]  # record of the list -> person
    about: dict[str, set[str]]  # person -> the refs of their profile
    truth: dict[str, int]  # person -> the passages that name them
    queries: list[tuple[str, str, str, str]]  # (text, person or "", kind, half)


def _sentence(rng: random.Random, pool: Sequence[str], n: int) -> str:
    return " ".join(rng.sample(list(pool), n))


def build(rows: list[dict[str, str]], pairs: Sequence[tuple[str, str]],
          absent_pairs: Sequence[tuple[str, str]], natural_order: Any, half_of: Any,
          seed: int = 7) -> MixedSet:
    """The collection and its queries. `rows`: SDN individuals; `pairs`: (Arabic, Latin)."""
    rng = random.Random(seed)
    order = list(range(len(rows)))
    rng.shuffle(order)
    chosen = [rows[i] for i in order[:PEOPLE]]
    left_out = [rows[i] for i in order[PEOPLE:PEOPLE + 300]]
    people: list[Person] = []
    for k, row in enumerate(chosen):
        ent = row["ent_num"].strip()
        listing = row["listing"].strip()
        extra = [(key, LINKED.sub("", (row.get(key) or "")).strip(" ;"))
                 for key in ("program", "remarks")]
        p = Person(f"s{ent}", natural_order(listing), listing, half_of(ent),
                   extra=[(a, b) for a, b in extra if b])
        people.append(p)
        family, _sep, given = listing.partition(", ")
        if k % RELATIVES_EVERY == 0 and given and family:
            donor = chosen[(k * 7 + 3) % len(chosen)]["listing"].partition(", ")[2]
            other_given = donor.split()[0] if donor.split() else ""
            if other_given and other_given.casefold() != given.split()[0].casefold():
                rel_listing = f"{family}, {other_given}"
                people.append(Person(f"r{ent}", natural_order(rel_listing), rel_listing,
                                     half_of(ent)))
    for j, (ar, lat) in enumerate(pairs[:PAIRS]):
        people.append(Person(f"a{j}", ar, ar, "tune" if j % 2 == 0 else "test", arabic=True,
                             query=" ".join(w[:1].upper() + w[1:] for w in lat.split())))
    for p in people:
        p.query = p.query or p.name

    files: dict[str, str] = {}
    refs: dict[str, set[str]] = {}
    about: dict[str, set[str]] = defaultdict(set)
    truth: dict[str, int] = defaultdict(int)
    numbers = iter(rng.sample(range(10000, 99999), 20 * len(people)))

    def ref(arabic: bool, who: str) -> str:
        number = str(next(numbers))
        refs[number] = {who}
        truth[who] += 1
        return f"مرجع {number}." if arabic else f"Ref. {number}."

    shapes = ("heading", "field", "markdown", "firstline")
    for i, p in enumerate(people):  # profiles: one passage each, about the person
        filler = ARABIC_FILLER if p.arabic else LATIN_FILLER
        body = " ".join(f"{v.rstrip('.')}." for _k, v in p.extra[:2]) or _sentence(rng, filler, 2)
        mark = ref(p.arabic, p.key)
        about[p.key].add(mark.split()[-1].rstrip("."))
        shape = shapes[i % len(shapes)]
        if shape == "heading":
            text, suffix = f"= {p.name} =\n\n{body} {mark}\n", ".txt"
        elif shape == "field":
            key = "الاسم" if p.arabic else "Name"
            text, suffix = f"{key}: {p.listing}\nNotes: {body} {mark}\n", ".txt"
        elif shape == "markdown":
            text, suffix = f"# {p.name}\n\n{body} {mark}\n", ".md"
        else:
            text, suffix = f"{p.listing}\n\n{body} {mark}\n", ".txt"
        files[f"profiles/{p.key}{suffix}"] = text
    mentions = [p for p in people for _m in range(MENTIONS)]
    rng.shuffle(mentions)
    for script in (False, True):  # news articles, Latin and Arabic apart
        mine = [p for p in mentions if p.arabic == script]
        for a in range(0, len(mine), PER_ARTICLE):
            paras = []
            for p in mine[a:a + PER_ARTICLE]:
                leads = ARABIC_LEADS if script else LATIN_LEADS
                filler = ARABIC_FILLER if script else LATIN_FILLER
                lead = rng.choice(leads).format(name=p.name if script else news_name(p.name))
                # over 40 words: a paragraph is a passage of its own
                paras.append(f"{lead} {_sentence(rng, filler, 5)} {ref(script, p.key)}")
            title = "تقرير" if script else "News report"
            files[f"news/{'ar' if script else 'en'}-{a // PER_ARTICLE:04d}.txt"] = (
                f"{title} {a // PER_ARTICLE + 1}\n\n" + "\n\n".join(paras) + "\n")
    # news paragraphs naming two people of one script each: a query whose words are
    # spread over their two names names neither ("Ali Khamenei met Hassan Rouhani" is no
    # "Ali Hassan"); drawn apart, the rest of the collection is as it was
    pair_rng = random.Random(seed + 1)
    for script in (False, True):
        mine = [p for p in people if p.arabic == script]
        pair_rng.shuffle(mine)
        paras = []
        for one, two in zip(mine[0::2], mine[1::2]):
            leads = JOINT_ARABIC_LEADS if script else JOINT_LATIN_LEADS
            filler = ARABIC_FILLER if script else LATIN_FILLER
            names = [p.name if script else news_name(p.name) for p in (one, two)]
            lead = pair_rng.choice(leads).format(a=names[0], b=names[1])
            mark = ref(script, one.key)
            refs[mark.split()[-1].rstrip(".")].add(two.key)
            truth[two.key] += 1
            paras.append(f"{lead} {_sentence(pair_rng, filler, 5)} {mark}")
        for k in range(0, len(paras), PER_ARTICLE):
            title = "لقاء" if script else "Meetings"
            files[f"news/{'ar' if script else 'en'}-joint-{k // PER_ARTICLE:04d}.txt"] = (
                f"{title} {k // PER_ARTICLE + 1}\n\n" + "\n\n".join(paras[k:k + PER_ARTICLE])
                + "\n")
    # people of Arabic script with a name of two words (kind "arabic-full", apart from
    # "named"): their documents drawn apart, the rest of the collection is as it was
    full_rng = random.Random(seed + 2)
    full: list[Person] = []
    for j in range(FULL_NAMES):
        (g_ar, g_lat), (f_ar, f_lat) = pairs[PAIRS + j], pairs[PAIRS + FULL_NAMES + j // 2]
        latin = " ".join(w[:1].upper() + w[1:] for w in f"{g_lat} {f_lat}".split())
        full.append(Person(f"f{j}", f"{g_ar} {f_ar}", f"{g_ar} {f_ar}",
                           "tune" if (j // 2) % 2 == 0 else "test", arabic=True, query=latin))
    for i, p in enumerate(full):
        body = _sentence(full_rng, ARABIC_FILLER, 2)
        mark = ref(True, p.key)
        about[p.key].add(mark.split()[-1].rstrip("."))
        shape = shapes[i % len(shapes)]
        files[f"profiles/{p.key}{'.md' if shape == 'markdown' else '.txt'}"] = (
            f"= {p.name} =\n\n{body} {mark}\n" if shape == "heading"
            else f"الاسم: {p.name}\nNotes: {body} {mark}\n" if shape == "field"
            else f"# {p.name}\n\n{body} {mark}\n" if shape == "markdown"
            else f"{p.name}\n\n{body} {mark}\n")
    full_mentions = [p for p in full for _m in range(MENTIONS)]
    full_rng.shuffle(full_mentions)
    for a in range(0, len(full_mentions), PER_ARTICLE):
        paras = [f"{full_rng.choice(ARABIC_LEADS).format(name=p.name)} "
                 f"{_sentence(full_rng, ARABIC_FILLER, 5)} {ref(True, p.key)}"
                 for p in full_mentions[a:a + PER_ARTICLE]]
        files[f"news/ar-full-{a // PER_ARTICLE:04d}.txt"] = (
            f"تقرير {a // PER_ARTICLE + 1}\n\n" + "\n\n".join(paras) + "\n")
    people += full

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "program", "remarks"])
    records: dict[int, str] = {}
    for p in people:
        if p.arabic:
            continue
        records[len(records) + 1] = p.key
        truth[p.key] += 1
        known = dict(p.extra)
        writer.writerow([p.listing, known.get("program", ""), known.get("remarks", "")])
    files["lists/people.csv"] = out.getvalue()

    queries = [(p.query, p.key, "arabic-full" if p.key.startswith("f") else "arabic"
                if p.arabic else ("relative" if p.key.startswith("r") else "person"), p.half)
               for p in people]
    # the pairs' people again, queried in Arabic script as their documents write them (kind
    # "in-arabic": apart from "named", whose figures stay those of the Latin queries)
    queries += [(p.name, p.key, "in-arabic", p.half) for p in people
                if p.arabic and not p.key.startswith("f")]
    for j, row in enumerate(left_out):
        queries.append((natural_order(row["listing"].strip()), "", "absent",
                        "tune" if j % 2 == 0 else "test"))
    for j, (_ar, lat) in enumerate(absent_pairs[:100]):
        queries.append((" ".join(w[:1].upper() + w[1:] for w in lat.split()), "", "absent",
                        "tune" if j % 2 == 0 else "test"))
    for j in range(200):
        if j % 4 == 3:  # in Arabic script
            name = " ".join("".join(rng.choice(ARABIC_LETTERS) for _ in range(rng.randint(3, 5)))
                            for _w in range(2))
        else:
            name = " ".join("".join(rng.sample(SYLLABLES, rng.randint(2, 3))).capitalize()
                            for _w in range(rng.randint(2, 3)))
        queries.append((name, "", "made-up", "tune" if j % 2 == 0 else "test"))
    return MixedSet(files, refs, records, dict(about), dict(truth), queries)


def write(mixed: MixedSet, folder: Path) -> None:
    for path, text in mixed.files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def labels(mixed: MixedSet, hit: dict[str, Any]) -> tuple[set[str], bool]:
    """The people a hit names, and whether it is one of their about-documents' passages:
    by the reference numbers in its text, or by its record of the list."""
    if hit.get("record") is not None and hit["source"].endswith("people.csv"):
        who = mixed.records.get(hit["record"])
        return ({who} if who else set()), True
    found = {a or b for a, b in REF.findall(hit.get("text", ""))}
    people = set().union(*(mixed.refs.get(n, set()) for n in found)) if found else set()
    is_about = any(n in mixed.about.get(p, ()) for p in people for n in found)
    return people, is_about


def run(exe: str, mixed: MixedSet, root: Path, problems: list[str],
        engine: Sequence[str] = ()) -> dict[str, Any]:
    """Index the collection, run the queries (`--json --limit DEPTH`, and `-c`), and give
    the figures per half and kind. `engine`: more options of every command (a cluster)."""
    folder = root / "mixed"
    write(mixed, folder)
    idx = root / "index-mixed"
    proc = subprocess.run([exe, "index", "mixed", "--index", str(idx), *engine], cwd=root,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"searchdoc index exited {proc.returncode}: {proc.stderr[-300:]}")
    texts = list(dict.fromkeys(q[0] for q in mixed.queries))
    stdin = "\n".join(texts) + "\n"
    hits_proc = subprocess.run([exe, "query", "-", "--json", "--limit", str(DEPTH), "--index",
                                str(idx), *engine], cwd=root, input=stdin, capture_output=True,
                               text=True)
    count_proc = subprocess.run([exe, "query", "-", "-c", "--index", str(idx), *engine], cwd=root,
                                input=stdin, capture_output=True, text=True)
    for p in (hits_proc, count_proc):
        if p.returncode not in (0, 1):
            raise RuntimeError(f"searchdoc query exited {p.returncode}: {p.stderr[-300:]}")
    hits: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in hits_proc.stdout.splitlines():
        if line.strip():
            hit = json.loads(line)
            hits[hit["query"]].append(hit)
    counts: dict[str, int] = {}
    for line in count_proc.stdout.splitlines():
        query, _tab, number = line.rpartition("\t")
        if query:
            counts[query] = int(number)
    if set(counts) != set(texts):
        problems.append(f"mixed: -c answered {len(counts)} of {len(texts)} queries")

    acc: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for text, who, kind, half in mixed.queries:
        for h in (half, "all"):
            for k in (kind, "named" if who else "unnamed")[
                    :1 if kind in ("in-arabic", "arabic-full") else 2]:
                a = acc[(h, k)]
                a["queries"] += 1
                found = hits.get(text, [])
                if not who:
                    a["exit_1"] += counts.get(text, 0) == 0
                    continue
                top = [labels(mixed, hit) for hit in found[:10]]
                a["top10_hits"] += len(top)
                a["top10_other"] += sum(1 for people, _about in top if who not in people)
                a["about_first"] += bool(top) and who in top[0][0] and top[0][1]
                naming = {i for i, hit in enumerate(found) if who in labels(mixed, hit)[0]}
                a["mention_recall_50"] += min(len(naming), mixed.truth[who]) / mixed.truth[who]
                ratio = counts.get(text, 0) / mixed.truth[who]
                a["count_ratio_sum"] += ratio
                a["count_over_1_5"] += ratio > 1.5
    out: dict[str, Any] = {}
    for (half, kind), a in sorted(acc.items()):
        n = max(a["queries"], 1.0)
        if kind in ("absent", "made-up", "unnamed"):
            fig = {"queries": int(n), "exit_1": round(a["exit_1"] / n, 3)}
        else:
            fig = {"queries": int(n),
                   "other_in_top10": round(a["top10_other"] / max(a["top10_hits"], 1), 3),
                   "count_inflation": round(a["count_ratio_sum"] / n, 2),
                   "count_over_1_5": round(a["count_over_1_5"] / n, 3),
                   "about_first": round(a["about_first"] / n, 3),
                   "mention_recall_50": round(a["mention_recall_50"] / n, 3)}
        out.setdefault(half, {})[kind] = fig
    return out


def table(figures: dict[str, Any], half: str) -> str:
    rows = [f"precision (mixed set, {half} half)",
            f"{'kind':10s} {'queries':>8s} {'other@10':>9s} {'count x':>8s} {'>1.5x':>7s} "
            f"{'about@1':>8s} {'recall@50':>10s} {'exit 1':>7s}"]
    for kind, f in figures.get(half, {}).items():
        if "exit_1" in f:
            rows.append(f"{kind:10s} {f['queries']:8d} {'':>9s} {'':>8s} {'':>7s} {'':>8s} "
                        f"{'':>10s} {f['exit_1']:7.3f}")
        else:
            rows.append(f"{kind:10s} {f['queries']:8d} {f['other_in_top10']:9.3f} "
                        f"{f['count_inflation']:8.2f} {f['count_over_1_5']:7.3f} "
                        f"{f['about_first']:8.3f} {f['mention_recall_50']:10.3f} {'':>7s}")
    return "\n".join(rows)
