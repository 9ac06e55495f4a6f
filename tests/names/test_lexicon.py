"""The word lists are plain files read by one loader (searchdoc.data); their fingerprint is
part of the index format, so editing one rebuilds the indexes built before."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from searchdoc import data
from searchdoc.index.generations import INDEX_FORMAT
from searchdoc.names.columns import column_role, name_part
from searchdoc.names.lexicon import ARABIC_KIN, HONORIFICS, KIN, MONTHS


def test_the_lists_are_read_as_written() -> None:
    assert {"sheikh", "الشيخ".removeprefix("ال"), "dr", "commander"} <= HONORIFICS
    assert {"nov", "september"} <= MONTHS
    assert KIN["ibn"] == "bin" and KIN["abou"] == "abu" and ARABIC_KIN["ابو"] == "abu"
    assert column_role("Surname") == "family" and name_part("Given names") == "given"
    assert column_role("weakAlias") == "weak" and column_role("ent_num") == "id"


def test_sections_and_pairs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "x.txt").write_text("# a comment\n[one]\na b\nc\n\n[two]\nd = e\n")
    monkeypatch.setattr(data, "FOLDER", tmp_path)
    data._lines.cache_clear()
    try:
        assert data.sections("x.txt") == {"one": ("a b", "c"), "two": ("d = e",)}
        assert data.pairs(data.sections("x.txt")["two"]) == {"d": "e"}
        assert data.words("x.txt") == ("a", "b", "c", "d", "=", "e")
    finally:
        data._lines.cache_clear()


def test_editing_a_list_changes_the_index_format(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    assert INDEX_FORMAT.endswith("." + data.fingerprint())
    copy = tmp_path / "data"
    shutil.copytree(data.FOLDER, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setattr(data, "FOLDER", copy)
    data.fingerprint.cache_clear()
    try:
        same = data.fingerprint()
        with open(copy / "honorifics.txt", "a", encoding="utf-8") as fh:
            fh.write("grandmaster\n")
        data.fingerprint.cache_clear()
        assert same == INDEX_FORMAT.rsplit(".", 1)[1] != data.fingerprint()
    finally:
        data.fingerprint.cache_clear()


@pytest.mark.parametrize(("word", "common"), [
    ("حسن", True), ("محمد", True), ("عبدالله", True), ("علي", True), ("موسى", True),
    ("نصرالله", False), ("دقدوق", False), ("سليماني", False), ("مشعل", False),
    ("أندريف", False),  # Andreev, a family name: the list's Andrey is no name of Arabic
])
def test_a_common_given_name_is_known_in_arabic_script(word: str, common: bool) -> None:
    """The list of common given names is written in Latin script; a word in Arabic script
    is one of them where it is as close to one as one script asks."""
    from searchdoc.names.agree import common_in_arabic
    from searchdoc.names.keys import units

    (u,) = units(word)
    assert common_in_arabic(u.folded[0], frozenset(u.keys) | frozenset(u.folded)) is common


def test_a_list_read_only_at_query_time_is_not_part_of_the_index_format(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The words that make a name an organization's judge hits, never what an index holds:
    editing them rebuilds no index. The common given names and words of Arabic script say
    which words are a particle and a name written joined (ونتنياهو has the keys of
    نتنياهو, بسام none of سام): editing them rebuilds every index."""
    assert data.QUERY_ONLY and all((data.FOLDER / n).exists() for n in data.QUERY_ONLY)
    copy = tmp_path / "data"
    shutil.copytree(data.FOLDER, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setattr(data, "FOLDER", copy)
    data.fingerprint.cache_clear()
    try:
        with open(copy / "organization_words.txt", "a", encoding="utf-8") as fh:
            fh.write("syndicate\n")
        assert data.fingerprint() == INDEX_FORMAT.rsplit(".", 1)[1]
        for name, line in (("given_names_arabic.txt", "زيد = Zayd\n"),
                           ("ordinary_words_arabic.txt", "وزيد\n")):
            data.fingerprint.cache_clear()
            before = data.fingerprint()
            with open(copy / name, "a", encoding="utf-8") as fh:
                fh.write(line)
            data.fingerprint.cache_clear()
            assert data.fingerprint() != before, name
    finally:
        data.fingerprint.cache_clear()


@pytest.mark.parametrize(("word", "common"), [
    ("Muhammad", True), ("Mohamed", True), ("Luis", True), ("محمد", True),
    ("Zawahiri", False), ("Daqduq", False), ("Amezcua", False),
])
def test_a_common_given_name_is_told_by_its_spelling(word: str, common: bool) -> None:
    """`common_given`: the rule "a common given name alone is no hit" (and ceiling.py's
    count of the aliases that share nothing more with their listing) reads it."""
    from searchdoc.names.agree import common_given
    from searchdoc.names.keys import query_units

    assert common_given(query_units(word)[0]) is common
