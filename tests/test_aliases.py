"""Aliases: extraction, entities across sources, query expansion, the `aliases` command."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import SHARED_DATA, THINK_TANK, WIKI
from searchdoc.aliases import (
    SourceNames,
    cluster,
    extract_names,
    name_units,
    names_agree,
    natural_order,
)
from searchdoc.passages import parse_document

FIXTURES = Path(__file__).parent / "fixtures"


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
    text = (Path(__file__).parent.parent / name).read_text(encoding="utf-8")
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
