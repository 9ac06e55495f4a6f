"""Aliases: extraction, entities across sources, query expansion, the `aliases` command."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from conftest import SHARED_DATA, THINK_TANK, WIKI
from searchdoc.entities.cluster import cluster
from searchdoc.entities.extract import SourceNames, extract_names
from searchdoc.ingest import parse_document
from searchdoc.models import StatedName
from searchdoc.names.agree import name_units, names_agree
from searchdoc.names.keys import units
from searchdoc.names.order import natural_order

FIXTURES = Path(__file__).parent.parent / "fixtures"


def sdn_record(row: dict[str, str]) -> str:
    """An SDN-style record: the listing as published, then its fields."""
    return (
        f"= {row['listing']} =\n\n"
        f"Name: {natural_order(row['listing'])}\n"
        f"Program: {row['program']}\n"
        f"Title: {row['title'] or '-'}\n"
        f"Remarks: {row['remarks'] or '-'}\n"
    )


def sdn_rows(path: Path) -> list[dict[str, str]]:
    names = ["ent_num", "listing", "program", "title", "remarks"]
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, fieldnames=names, delimiter="\t"))
    return [r for r in rows if r["ent_num"] != "ent_num"]


def seed_names(name: str) -> list[tuple[str, str]]:
    text = (Path(__file__).parent.parent.parent / name).read_text(encoding="utf-8")
    return [(n.name, n.how) for n in extract_names(parse_document(text, name))]


def test_extraction_from_the_wikipedia_seed() -> None:
    names = seed_names(WIKI)
    assert ("Ali Musa Daqduq", "title") in names
    assert ("Ali Mussa Daqduq al-Musawi", "alias field") in names
    assert ("Hamid Muhammad Jabur al-Lami", "alias field") in names
    assert ("Husayn Muhammad Jabur al-Musui", "alias field") in names
    assert ("علي موسى دقدوق", "in parentheses") in names


def test_extraction_from_the_think_tank_seed() -> None:
    names = seed_names(THINK_TANK)
    assert ("Ali Mussa Daqduq", "title") in names
    assert ("Hamid the Mute", "nickname") in names
    assert ("Ali Mussa Daqduq al-Musawi", "designated") in names
    # nothing else is taken for a name of his
    assert len(names) == 3


@pytest.mark.parametrize(
    "text, expected",
    [
        ("He was known as “The Engineer” in Gaza.", "The Engineer"),
        ("Yahya Ayyash, nicknamed The Engineer, was killed.", "The Engineer"),
        ("Ilich Ramírez Sánchez, a.k.a. Carlos the Jackal, was convicted.", "Carlos the Jackal"),
        ("Imad Mughniyeh (nom de guerre Hajj Radwan) led the unit.", "Hajj Radwan"),
        ("Treasury designated Qais al-Khazali in 2019.", "Qais al-Khazali"),
    ],
)
def test_nicknames_and_designations_in_prose(text: str, expected: str) -> None:
    doc = parse_document(f"Some Person\n\n{text}\n", "x.txt")
    assert expected in [n.name for n in extract_names(doc)]


def test_designated_as_a_category_is_not_a_name() -> None:
    doc = parse_document("Some Person\n\nThe US added him to its list of Specially Designated "
                         "Global Terrorists and he was designated as a terrorist.\n", "x.txt")
    assert [n.how for n in extract_names(doc)] == ["title"]


@pytest.mark.parametrize(
    "a, b, same",
    [
        ("Ali Musa Daqduq", "Ali Mussa Daqduq", True),
        ("Ali Mussa Daqduq al-Musawi", "Ali Mussa Daqduq AL-MUSAWI", True),
        ("Ali Musa Daqduq", "علي موسى دقدوق", True),
        ("Qais al-Khazali", "Qays al-Khazali", True),  # one letter apart
        ("Muhammad Ali", "Mohamed Ali", False),  # only common given names
        ("Saddam Hussein al-Tikriti", "Qusay Saddam Hussein al-Tikriti", False),  # his son
        ("Ramon Eduardo Arellano Felix", "Eduardo Ramon Arellano Felix", False),  # brothers
        ("Zoran Petrovic", "Zoran Petric", False),  # a different surname
        ("Ahmad Zarifah", "Ahmad Zerfaoui", False),
        ("Ali Musa Daqduq", "Daqduq", False),  # a surname alone
        ("Ali al-Musawi", "Husayn al-Musawi", False),
        # siblings: a consonant skeleton (BXR) alone never merges, in one script or two
        ("Bashar al-Assad", "Bushra al-Assad", False),
        ("Bashar al-Assad", "بشرى الأسد", False),
        ("Bashar al-Assad", "بشار الأسد", True),
        ("Mohamed Atta", "Muhammad Ata", True),  # a common given name, spelled otherwise
        ("Ismail Haniyeh", "إسماعيل هنية", True),
        # the given names of the other languages are compared as any word, one edit apart
        # (a list of the real folder writes Andrei and Andrey GURZHY, Aleksandr and
        # Oleksandr KHRYAKOV): they are common given names of a query, not of an entity
        ("Andrei Anatolievich Gurzhy", "Andrey Anatolievich Gurzhy", True),
        ("Aleksandr Khryakov", "Oleksandr Khryakov", True),
    ],
)
def test_names_agree(a: str, b: str, same: bool) -> None:
    assert names_agree(name_units(a), name_units(b)) is same


def test_hamid_muhammad_jabur_al_lami_reaches_the_other_source(built: Path, run) -> None:
    hits = run("query", "Hamid Muhammad Jabur al-Lami", "--json").json()
    top = hits[0]
    assert top["source"] == WIKI and "Hamid Muhammad Jabur al-Lami" in top["text"]
    assert all(m["how"] != "alias" for m in top["matched"])
    via_alias = [h for h in hits[:5] if h["source"] == THINK_TANK
                 and any(m["how"] == "alias" for m in h["matched"])]
    assert via_alias, [(h["source"], h["matched"]) for h in hits[:5]]
    m = next(m for m in via_alias[0]["matched"] if m["how"] == "alias")
    assert "Hamid Muhammad Jabur al-Lami" not in via_alias[0]["text"]
    assert m["alias_of"] in ("Ali Musa Daqduq", "Ali Mussa Daqduq")
    assert m["via"] and m["stated_in"].startswith("seeds/")
    # alias hits rank below the direct one
    assert via_alias[0]["score"] < top["score"]


def test_no_aliases_turns_expansion_off(built: Path, run) -> None:
    hits = run("query", "Hamid Muhammad Jabur al-Lami", "--json", "--no-aliases").json()
    assert all(m["how"] != "alias" for h in hits for m in h["matched"])


def test_text_output_says_via_alias(built: Path, run) -> None:
    out = run("query", "Hamid Muhammad Jabur al-Lami").out
    assert "via alias" in out


def test_aliases_command(built: Path, run) -> None:
    r = run("aliases", "Dakdouk", "--json")
    assert r.code == 0
    entities = r.json()
    assert len(entities) == 1
    e = entities[0]
    assert set(e["sources"]) == {WIKI, THINK_TANK}
    names = {n["name"]: n for n in e["names"]}
    for expected in ("علي موسى دقدوق", "Hamid the Mute", "Ali Mussa Daqduq al-Musawi",
                     "Hamid Muhammad Jabur al-Lami"):
        assert expected in names
    assert names["علي موسى دقدوق"]["script"] == "Arabic"
    both = {s["source"] for s in names["Ali Mussa Daqduq al-Musawi"]["stated_in"]}
    assert both == {WIKI, THINK_TANK}
    assert e["merges"]


def test_aliases_text_groups_names_by_script(built: Path, run) -> None:
    out = run("aliases", "Hamid the Mute").out
    assert "Latin:" in out and "Arabic:" in out
    assert out.index("Latin:") < out.index("Arabic:")


def test_aliases_of_nobody_exits_1(built: Path, run) -> None:
    assert run("aliases", "Yasser Arafat").code == 1
    assert run("aliases", "Ali").code == 1  # a common given name names nobody in particular


def test_aliases_all(built: Path, run) -> None:
    r = run("aliases", "--all", "--json")
    assert r.code == 0 and len(r.json()) == 1


def _add_sdn(workdir: Path, ent_num: str) -> None:
    row = next(r for r in sdn_rows(FIXTURES / "sdn_two.tsv") if r["ent_num"] == ent_num)
    (workdir / "seeds" / f"sdn_{ent_num}.txt").write_text(sdn_record(row), encoding="utf-8")


def test_a_third_source_about_the_same_man_merges(workdir: Path, run) -> None:
    assert run("index").code == 0
    _add_sdn(workdir, "15584")
    assert run("index").code == 0
    e = run("aliases", "Dakdouk", "--json").json()
    assert len(e) == 1
    assert "seeds/sdn_15584.txt" in e[0]["sources"] and len(e[0]["sources"]) == 3
    assert any("sdn_15584" in m for m in e[0]["merges"])


def test_a_source_about_someone_else_makes_a_new_entity(workdir: Path, run) -> None:
    assert run("index").code == 0
    _add_sdn(workdir, "2674")
    assert run("index").code == 0
    everyone = run("aliases", "--all", "--json").json()
    assert len(everyone) == 2
    abbas = [e for e in everyone if "seeds/sdn_2674.txt" in e["sources"]]
    assert len(abbas) == 1 and abbas[0]["sources"] == ["seeds/sdn_2674.txt"]
    # and removing it removes the entity
    (workdir / "seeds" / "sdn_2674.txt").unlink()
    assert run("index").code == 0
    assert len(run("aliases", "--all", "--json").json()) == 1


@pytest.mark.skipif(not (SHARED_DATA / "sdn_individuals.tsv").exists(),
                    reason="../shared/data is not beside the repository")
def test_sdn_people_merge_only_when_their_names_truly_agree() -> None:
    rows = sdn_rows(SHARED_DATA / "sdn_individuals.tsv")
    assert len(rows) == 4643
    listing = {f"sdn/{r['ent_num']}.txt": r["listing"] for r in rows}
    extracted = {src: SourceNames.of(parse_document(sdn_record(r), src))
                 for src, r in zip(listing, rows)}
    entities = cluster(extracted)
    for e in entities:
        if len(e.sources) < 2:
            continue
        # different ent_nums in one entity: their listed names are one name, word for word
        folded = {tuple(f for f, _k in name_units(natural_order(listing[s]))) for s in e.sources}
        assert len(folded) == 1, (e.sources, [listing[s] for s in e.sources])
    assert len(entities) > 4600


# ---------------------------------------------------------------------------------------
# Lists: entities per record, never per file


def listed(name: str, record: int, ident: str | None, *, source: str = "list.csv",
           aliases: tuple[str, ...] = (), years: tuple[int, ...] = (),
           weak: tuple[str, ...] = ()) -> SourceNames:
    names = [StatedName(name, source, record + 1, "name column")]
    names += [StatedName(a, source, record + 1, "alias column") for a in aliases]
    names += [StatedName(w, source, record + 1, "weak alias") for w in weak]
    return SourceNames(tuple(names), years, record, ident)


def people(entities) -> list[set[tuple[str, int | None]]]:  # type: ignore[no-untyped-def]
    """Each entity as the set of (source, record) it holds."""
    return sorted(({(s.source, s.record) for st in e.names.values() for s in st}
                   for e in entities), key=sorted)


def test_records_of_one_list_with_different_ids_are_different_people() -> None:
    """Two rows "Muhammad Ali Hassan" of one list: namesakes, since their ids differ."""
    entities = cluster({"list.csv": [listed("Qasem Soleimani", 1, "10481"),
                                     listed("Qasem Soleimani", 2, "99999"),
                                     listed("Hassan Nasrallah", 3, "2686")]})
    assert people(entities) == [{("list.csv", 1)}, {("list.csv", 2)}, {("list.csv", 3)}]


def test_rows_of_one_list_with_the_same_id_are_one_person() -> None:
    """One row per name with the person's id repeated (OFAC's alt.csv does so)."""
    entities = cluster({"alt.csv": [listed("Ali Mussa Daqduq", 1, "15584", source="alt.csv"),
                                    listed("Hamid Muhammad Jabur al-Lami", 2, "15584",
                                           source="alt.csv"),
                                    listed("Abu Abbas", 3, "2674", source="alt.csv")]})
    assert people(entities) == [{("alt.csv", 1), ("alt.csv", 2)}, {("alt.csv", 3)}]
    merged = next(e for e in entities if len(e.names) == 2)
    assert merged.merges == ["same '15584' in alt.csv (records 1 and 2)"]


@pytest.mark.parametrize(("ids", "people_"), [
    (["147", "147a", "147b", "148", "148a"], [{1, 2, 3}, {4, 5}]),  # Australia's list
    (["QDi.001", "QDi.002"], [{1}, {2}]),
    (["2674", "2674-3"], [{1}, {2}]),  # another id, not an alias row of 2674
])
def test_rows_sharing_a_base_reference_are_one_person(ids: list[str],
                                                      people_: list[set[int]]) -> None:
    """A list writing one row per name of a person, the alias rows numbered after the
    primary one (147, 147a, 147b), gives one person; the names need not agree."""
    names_ = ["Ismail Haniyeh", "Ismail Haniya", "Abu al-Abd", "Abdel Salam Haniyeh",
              "Abdel Salam Haniya"]
    entities = cluster({"dfat.csv": [listed(names_[i], i + 1, ref, source="dfat.csv")
                                     for i, ref in enumerate(ids)]})
    assert people(entities) == [{("dfat.csv", r) for r in group} for group in people_]


def test_records_without_ids_merge_by_their_names() -> None:
    entities = cluster({"list.csv": [listed("Qasem Soleimani", 1, None, years=(1957,)),
                                     listed("Qassem Soleimani", 2, None, years=(1957,)),
                                     listed("Qasem Soleimani", 3, None, years=(1990,))]})
    assert people(entities) == [{("list.csv", 1), ("list.csv", 2)}, {("list.csv", 3)}]


def test_a_third_document_never_joins_two_ids_of_one_list() -> None:
    """A profile agrees with two rows of a list that have different ids: it joins one of
    them, and the two rows stay two people."""
    profile = SourceNames((StatedName("Qasem Soleimani", "profile.txt", 1, "title"),), ())
    entities = cluster({"list.csv": [listed("Qasem Soleimani", 1, "A"),
                                     listed("Qasem Soleimani", 2, "B")],
                        "profile.txt": profile})
    assert len(entities) == 2
    assert all(len({r for src, r in p if src == "list.csv"}) == 1 for p in people(entities))


def test_the_same_person_in_two_lists_is_one_entity() -> None:
    entities = cluster({"ofac.csv": [listed("Qasem Soleimani", 1, "10481", source="ofac.csv",
                                            years=(1957,))],
                        "un.json": [listed("Qassem Soleimani", 7, "IRi.039", source="un.json",
                                           years=(1957,))]})
    assert people(entities) == [{("ofac.csv", 1), ("un.json", 7)}]


def test_weak_aliases_are_listed_but_never_merged_on() -> None:
    entities = cluster({"a.jsonl": [listed("Abu Mahdi al-Muhandis", 1, "x", source="a.jsonl",
                                           weak=("Abu Mahdi Hajji",))],
                        "b.txt": SourceNames((StatedName("Abu Mahdi Hajji", "b.txt", 1, "title"),))})
    assert len(entities) == 2
    first = next(e for e in entities if e.sources == ["a.jsonl"])
    assert [s.how for st in first.names.values() for s in st] == ["name column", "weak alias"]


def test_a_list_with_ids_is_never_compared_pair_by_pair(monkeypatch) -> None:
    """Bucketed comparisons: 3,000 namesakes of one list with ids cost no comparison."""
    import searchdoc.entities.cluster as aliases_mod

    calls = []
    real = aliases_mod._agreement
    monkeypatch.setattr(aliases_mod, "_agreement", lambda *a: calls.append(a) or real(*a))  # type: ignore[func-returns-value]
    rows = [listed("Rostam Qasemi Testname", i, f"id{i}") for i in range(1, 3001)]
    assert len(cluster({"list.csv": rows})) == 3000
    assert calls == []


def test_entities_are_looked_up_in_the_stored_file(tmp_path: Path) -> None:
    """Only the entities holding the query's words are read."""
    from searchdoc.entities.lookup import EntityIndex
    from searchdoc.entities.persist import write_entities
    from searchdoc.passages import build
    from searchdoc.readers import read

    data = (FIXTURES / "records" / "probe.csv").read_bytes()
    docs = [build(raw, n) for n, raw in enumerate(read("probe.csv", data, lambda _w: None))]
    write_entities(tmp_path, None, iter(docs), [])
    index = EntityIndex.load(tmp_path)
    assert len(index) == 3
    found = index.lookup("Ghasem Soleymani")
    assert [e["name"] for e in found] == ["Qasem SOLEIMANI"]
    assert len(index._loaded) == 1  # the other two were never read
    assert index.entity_of_record("probe.csv", 2) == found[0]["id"]
    assert index.entity_of_record("probe.csv", 9) is None
    assert [e["id"] for e in index.entities] == ["e1", "e2", "e3"]
    # other spellings of the query are no other names; a longer name is
    assert index.expansion("Qasem Soleimani") is None
    expansion = index.expansion("Hassan Nasrallah")
    assert expansion is not None
    assert [(a.name, a.stated_in) for a in expansion.aliases] == [
        ("Hasan Abd-al-Karim Nasrallah", "probe.csv:2 (record 1)")]


def test_entities_of_an_index_of_the_previous_version_are_read(tmp_path: Path) -> None:
    """entities.json version 1 (one document per source): an update keeps its sources."""
    import json

    from searchdoc.entities.persist import load_extracted

    (tmp_path / "entities.json").write_text(json.dumps({"version": 1, "extracted": {
        "a.txt": {"names": [{"name": "Ali Musa Daqduq", "source": "a.txt", "line": 1,
                             "how": "title"}], "born": [1968, 1969, 1970]}}}))
    got = load_extracted(tmp_path)
    assert list(got) == ["a.txt"] and len(got["a.txt"]) == 1
    assert got["a.txt"][0].names[0] == StatedName("Ali Musa Daqduq", "a.txt", 1, "title")
    assert 1969 in got["a.txt"][0].born


def test_alias_expansion_is_bounded_whatever_the_names() -> None:
    """A person with 60 other names: at most ALIAS_WORDS words of them are searched, none
    a word the query already says (in any spelling)."""
    from searchdoc.entities.lookup import AliasName, Expansion
    from searchdoc.search import ALIAS_WORDS, _alias_terms

    class Reader:
        def doc_count_all(self) -> int:
            return 100_000

        def doc_frequency(self, field: str, term: str) -> int:
            return 3

    names = [f"Qasem Soleimani Alias{i}word" for i in range(60)] + ["Qassem Suleimani"]
    expansion = Expansion({"id": "e1", "name": "Qasem Soleimani"},
                          tuple(AliasName(n, "Qasem Soleimani", "x:1", ()) for n in names))
    reader: Any = Reader()  # (the two counts _alias_terms reads)
    clauses, by_word = _alias_terms(reader, expansion, units("Qasem Soleimani"))
    assert len(clauses) == len(by_word) == ALIAS_WORDS == 3
    assert not {"qasem", "soleimani", "qassem", "suleimani"} & set(by_word)
    assert all(not t.startswith("~") for unit in clauses for _f, t, _b in unit)


PROBE = FIXTURES / "records" / "probe.csv"


@pytest.fixture
def probe(workdir: Path, run) -> Path:
    """The seeds and a list holding rows for Nasrallah, Soleimani and Daqduq."""
    (workdir / "seeds" / "probe.csv").write_bytes(PROBE.read_bytes())
    assert run("index").code == 0
    return workdir


def test_probe_an_entity_for_each_with_only_their_names(probe: Path, run) -> None:
    everyone = run("aliases", "--all", "--json").json()
    assert len(everyone) == 3
    by_name = {e["name"]: {n["name"] for n in e["names"]} for e in everyone}
    assert by_name["Hasan NASRALLAH"] == {"Hasan NASRALLAH", "Hassan Nasrallah",
                                          "Hasan Abd-al-Karim Nasrallah", "حسن نصر الله"}
    assert by_name["Qasem SOLEIMANI"] == {"Qasem SOLEIMANI", "Qassem Soleimani",
                                          "Ghasem Soleymani", "قاسم سليماني"}
    daqduq = next(e for e in everyone if "seeds/probe.csv" in e["sources"]
                  and len(e["sources"]) == 3)
    assert {n["name"] for n in daqduq["names"]} >= {"Ali Musa Daqduq", "Hamid the Mute",
                                                    "Ali Mussa Daqduq al-Musawi"}
    row = next(n for n in daqduq["names"] if n["name"] == "Ali Mussa Daqduq al-Musawi")
    assert {"source": "seeds/probe.csv", "line": 4, "how": "name column", "record": 3} in \
        row["stated_in"]
    assert not {n["name"] for n in daqduq["names"]} & (by_name["Hasan NASRALLAH"]
                                                       | by_name["Qasem SOLEIMANI"])


def test_probe_aliases_of_a_listed_name(probe: Path, run) -> None:
    r = run("aliases", "Qassem Soleimani")
    assert r.code == 0
    assert r.out.splitlines()[0] == "Qasem SOLEIMANI  [e3]  1 source(s): seeds/probe.csv"
    assert "    Ghasem Soleymani  — seeds/probe.csv:3 (alias column)" in r.out.splitlines()


def test_probe_query_finds_the_row_of_the_person_and_no_other(probe: Path, run) -> None:
    """"Hamid the Mute" is said by the think-tank seed only: the person's row in the list
    comes up, and no other person's row."""
    hits = run("query", "Hamid the Mute", "--json").json()
    assert [h["record"] for h in hits if h["source"] == "seeds/probe.csv"] == [3]


def test_a_records_title_name_is_cited_at_its_row() -> None:
    """A list without a header row (OFAC's sdn.csv): its name column is told by what it
    holds, each name stated on its own row; "a.k.a. 'LAST, First'" in its remarks is one
    name."""
    from searchdoc.passages import build
    from searchdoc.readers import read

    data = (b'36,"SOLEIMANI, Qasem",individual,SDGT,-0- ,"a.k.a. \'SULEIMANI, Qassem\'; '
            b'a.k.a. \'HAJJ QASEM\'; DOB 11 Mar 1957."\n'
            b'37,"ABBAS, Abu",individual,SDGT,-0- ,"DOB 10 Dec 1948; Designated Terrorist."\n')
    docs = [build(raw) for raw in read("sdn.csv", data, lambda _w: None)]
    assert [[(n.name, n.line, n.how) for n in extract_names(d)] for d in docs] == [
        [("Qasem SOLEIMANI", 1, "name column"), ("Qassem SULEIMANI", 1, "a.k.a."),
         ("HAJJ QASEM", 1, "a.k.a.")],
        [("Abu ABBAS", 2, "name column")],  # "Designated Terrorist" is no name in a record
    ]


@pytest.mark.parametrize("query, found", [
    ("Qasem Soleimani", ["Qasem Soleimani"]),
    ("Qassem Suleimani", ["Qasem Soleimani"]),
    ("Zaidan Jassim", ["Zaidan Jassim"]),
    ("Saidan Kassem", []),  # ZAIDAN ~ SAIDAN, JASSIM ~ KASSEM by their loose keys only
])
def test_lookup_compares_strict_keys(query: str, found: list[str]) -> None:
    """A loose key (~SDN, ~KSM) finds other people once there are thousands of them."""
    from searchdoc.entities.lookup import EntityIndex

    entities = cluster({"a.csv": [listed("Qasem Soleimani", 1, "1", source="a.csv"),
                                  listed("Zaidan Jassim", 2, "2", source="a.csv")]})
    index = EntityIndex([e.to_json() for e in entities])
    assert [e["name"] for e in index.lookup(query)] == found


def test_an_index_of_the_previous_version_keeps_its_aliases(tmp_path: Path) -> None:
    """Its generation has entities.json version 1 (the entities in it), no entities.hsh."""
    import json

    from searchdoc.entities.lookup import EntityIndex

    entity = cluster({"a.txt": SourceNames((StatedName("Ali Musa Daqduq", "a.txt", 1, "title"),
                                            StatedName("Hamid the Mute", "a.txt", 3, "nickname")))})[0]
    (tmp_path / "entities.json").write_text(json.dumps(
        {"version": 1, "extracted": {}, "entities": [entity.to_json()]}), encoding="utf-8")
    index = EntityIndex.load(tmp_path)
    assert [e["name"] for e in index.lookup("Dakdouk")] == ["Ali Musa Daqduq"]


def test_an_alias_hit_needs_a_distinctive_spelling_of_another_name(tmp_path: Path, run,
                                                                     monkeypatch) -> None:
    """The other names of a person are searched by their usual readings, not by a
    two-letter skeleton: "Ajmi" read with j as y ("AM") is not the Arabic word for "year"
    (عام), nor "al-Lami". The family name of another name is a hit; its given name alone
    ("Hajjaj" of "Hajjaj Fahd Al Ajmi") says nothing of who."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "list.csv").write_text(
        'name,alias,weak alias\n"AL AJMI, Hajjaj bin Fahd",Hajjaj Fahd Al Ajmi,'
        'Abu Abd al-Rahman\n', encoding="utf-8")
    (docs / "profile.txt").write_text("إسحاق العامري\n\nشوهد في الموصل عام ٢٠١٤.\n",
                                      encoding="utf-8")
    (docs / "other.txt").write_text("= Hamid al-Lami =\n\nHe was seen in Basra.\n",
                                    encoding="utf-8")
    (docs / "tip.txt").write_text("= Tip =\n\nAl-Ajmi was seen with the courier in Kuwait.\n",
                                  encoding="utf-8")
    (docs / "note.txt").write_text("= Note =\n\nHajjaj was seen in Basra.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run("index", "docs").code == 0
    hits = run("query", "Abu Abd al-Rahman", "--json").json()
    assert [h["source"] for h in hits] == ["docs/list.csv", "docs/tip.txt"]
    assert [m["how"] for m in hits[1]["matched"]] == ["alias"]  # "Al-Ajmi", another name


def test_a_list_of_one_row_per_name_gives_one_person_per_reference(tmp_path: Path,
                                                                    run) -> None:
    """Australia's consolidated list writes a row per name of a person, the alias rows
    numbered after the primary one (147, 147a, 147b), its names in "Name of Individual or
    Entity": one person per reference, named by that column."""
    (tmp_path / "dfat.csv").write_text(
        "Reference,Name of Individual or Entity,Type,Name Type,Date of Birth,Citizenship\n"
        '147,"HANIYEH, Ismail",Individual,Primary Name,1962,Palestinian\n'
        '147a,"HANIYA, Ismail",Individual,Alias,,\n'
        '147b,"Abu al-Abd",Individual,Alias,,\n'
        '148,"HANIYEH, Abdel Salam",Individual,Primary Name,1985,Palestinian\n'
        '148a,"HANIYA, Abdel Salam",Individual,Alias,,\n', encoding="utf-8")
    idx = tmp_path / "idx"
    assert run("index", str(tmp_path / "dfat.csv"), "--index", str(idx)).code == 0
    entities = run("aliases", "--all", "--json", "--index", str(idx)).json()
    assert sorted(e["name"] for e in entities) == ["Abdel Salam HANIYEH", "Ismail HANIYEH"]
    ismail = next(e for e in entities if e["name"] == "Ismail HANIYEH")
    assert {n["name"] for n in ismail["names"]} == {"Ismail HANIYEH", "Ismail HANIYA",
                                                    "Abu al-Abd"}


def test_an_alias_hit_is_the_person_named_not_a_word_like_a_name_of_his(tmp_path: Path,
                                                                         run) -> None:
    """Through another name of a person, a passage is a hit where it names him by it: not
    by another person's name that holds one of its words ("Jean Bahati" of a copyright
    file for "Ali BAHATI"), nor an English word in
    another spelling ("Blank lines" for "AIGLE BLANC"), nor a name the list calls weak
    ("Abu Asim"), nor the son's name of a kunya without its "Abu" (in a real folder, 199
    passages of README, copyright and TeX files for "Khawa Panga Mandro"). His family
    name as written ("Bahati said") and a nickname whole ("Aigle Blanc") are."""
    found, _idx = _hows(tmp_path, run, "Khawa Panga Mandro", {
        "un.csv": 'name,alias,weak alias\n"MANDRO, Khawa Panga","Ali BAHATI; AIGLE BLANC",'
                  "Abu Asim\n",
        "copyright.txt": "Copyright\n\nCopyright (C) 1995, 1996, Jean Bahati.\n",
        "manual.txt": "Manual\n\nBlank lines are ignored by the reader.\n",
        "quran.txt": "Notes\n\nThe reading of Asim is the one most printed.\n",
        "report.txt": "Report\n\nThe militia leader Bahati said the road was closed.\n",
        "news.txt": "News\n\nThe commander known as Aigle Blanc fled to Uganda.\n",
    })
    assert found == {"un.csv": ["exact", "exact", "exact"], "report.txt": ["alias"],
                     "news.txt": ["alias"]}, found


def _hows(tmp_path: Path, run, query: str, files: dict[str, str]) -> tuple[dict, Path]:
    """Per file holding a hit for `query` in an index of `files`, how its words matched;
    and the index."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in files.items():
        (docs / name).write_text(text, encoding="utf-8")
    idx = tmp_path / "idx"
    assert run("index", str(docs), "--index", str(idx)).code == 0
    hits = run("query", query, "--json", "--index", str(idx)).json()
    return {h["source"].rsplit("/", 1)[-1]: [m["how"] for m in h["matched"]] for h in hits}, idx


def test_an_alias_hit_is_no_common_word_of_arabic(tmp_path: Path, run) -> None:
    """Through another name of a person, a word of Arabic script that is a common word
    (قادر "able", in a text on Unicode) is no spelling of it: "Kader Es Sayed" (the UN
    list's "Es Sayed, Kader") is found where written, not in every Arabic text that says
    "able" (on a folder of real files, 15 passages of Arabic and Persian PDFs); and part
    of an alias its column states is no alias of its own."""
    found, idx = _hows(tmp_path, run, "Abd El Kader Mahmoud Mohamed", {
        "un.csv": 'name,alias\n"ABD EL KADER MAHMOUD MOHAMED EL SAYED","Es Sayed, Kader"\n',
        "unicode.txt": "ترميز\n\nلم يكن هناك ترميز واحد قادر على استيعاب جميع الأحرف.\n",
        "news.txt": "News\n\nKader Es Sayed was seen in Milan in 1995.\n",
    })
    assert found == {"un.csv": ["phrase", "exact", "exact", "exact"], "news.txt": ["alias"]}, \
        found
    # (the record's text, "alias: Es Sayed, Kader", read again, gives no "Es Sayed" either)
    person = run("aliases", "Kader Es Sayed", "--json", "--index", str(idx)).json()[0]
    assert {n["name"] for n in person["names"]} == {"ABD EL KADER MAHMOUD MOHAMED EL SAYED",
                                                    "Kader Es Sayed"}
