"""The normalizer: tables of real variant pairs in both scripts, and pairs that must not match."""

from __future__ import annotations

import pytest

from searchdoc.names.keys import (
    LOOSE_PREFIX,
    MAX_KEYS,
    across_scripts,
    fold,
    joined,
    name_units,
    normalize_arabic,
    query_units,
    units,
    variant_key,
    variant_keys,
    word_spans,
    word_unit,
    word_units,
)


def keys(text: str) -> set[str]:
    return {k for u in units(text) for k in u.keys}


def folded(text: str) -> list[tuple[str, ...]]:
    return [u.folded for u in units(text)]


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Daqduq", "daqduq"),
        ("Asa'ib", "asaib"),
        ("Asa’ib", "asaib"),
        ("ʿAbd", "abd"),
        ("Ba'athist", "baathist"),
        ("Londoño", "londono"),
        ("Müller", "muller"),
        ("ＤＡＱＤＵＱ", "daqduq"),  # full-width letters (NFKC)
        ("Мухаммед", "mukhammed"),  # Cyrillic: unidecode
        ("مُوسَى", "موسي"),  # tashkeel removed, ى to ي; never romanized
        ("أحمد", "احمد"),
        ("إبراهيم", "ابراهيم"),
        ("فاطمة", "فاطمه"),
        ("مسـؤول", "مسوول"),  # tatweel removed, ؤ to و
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_normalize_arabic_alef_forms() -> None:
    assert normalize_arabic("أ إ آ ٱ") == "ا ا ا ا"


# Spellings of one name: each pair must share a variant key.
SAME_NAME = [
    ("Daqduq", "Dakdouk"),
    ("Daqduq", "Daqdouq"),
    ("Daqduq", "Duqduq"),
    ("Daqduq", "دقدوق"),
    ("Musa", "Mussa"),
    ("Musa", "Mousa"),
    ("Musa", "موسى"),
    ("Ali", "علي"),
    ("Qais", "Qays"),
    ("Khazali", "الخزعلي"),
    ("Hezbollah", "Hizballah"),
    ("Hezbollah", "Hizbullah"),
    ("Hezbollah", "حزب الله"),
    ("Nasrallah", "Nasrullah"),
    ("Nasrallah", "نصر الله"),
    ("Asa'ib", "Asaib"),
    ("Asa'ib", "Asaeb"),
    ("Asaib", "عصائب"),
    ("Ahl", "أهل"),
    ("al-Haq", "الحق"),
    ("Hassan", "Hasan"),
    ("Hussein", "Husayn"),
    ("Muhammad", "Mohammed"),
    ("Muhammad", "محمد"),
    ("Ahmad", "أحمد"),
    ("Abd al-Rahman", "Abdurrahman"),
    ("Abd al-Rahman", "عبد الرحمن"),
    ("Abdelkarim", "Abdul Karim"),
    ("Abdullah", "عبد الله"),
    ("Umar", "Omar"),
    ("Yusuf", "Youssef"),
    ("Khalid", "خالد"),
    ("Fatima", "فاطمة"),
    ("Dakdouk", "Daqdouq"),
    ("Dakdouk", "دقدوق"),
    ("Hizballah", "Hizbullah"),
    ("Hizballah", "حزب الله"),
    ("Asaeb", "عصائب"),
    ("Nasrullah", "نصر الله"),
    # Latin spellings of one name from different languages
    ("Zimovsky", "Zimousky"),  # v, w and Belarusian u
    ("Zimowski", "Zimovsky"),
    ("Dzmitry", "Dmitry"),  # Belarusian dz
    ("Vadzim", "Vadim"),
    ("Mikhajlavich", "Mikhailovich"),  # j as y
    ("Nikolaj", "Nikolay"),
    ("Turgeman", "Turjuman"),  # g as j
    ("Katrangi", "Katranji"),
    ("Dawoud", "Daoud"),  # a vowel between two d's keeps both
    ("Uthman", "Osman"),  # th as s
    # Arabic spellings of foreign names
    ("Adams", "أدامز"),  # final s as z
    ("Eisenberg", "آيزينبيرغ"),  # s between vowels as z, g as غ
    ("Archipenko", "آرتشيبنكو"),  # ch as تش
    ("Abacha", "أباتشا"),
    ("Adjani", "أدجاني"),  # dj as دج
    ("Jensen", "ينسين"),  # j as y
    ("Angerer", "آنجرير"),  # g as ج
    ("Arce", "آرسي"),  # soft c
    ("Ablyazov", "أبليازوف"),  # v as ف
    ("Gagnon", "غانيون"),  # gn as ny
    ("Falco", "فالكو"),  # not the article with "and"
    ("Calafat", "كالافات"),
    ("Belaventsev", "Belavencev"),  # ts as one sound, as c (ц)
    ("Iurii", "Yuriy"),  # initial i before a vowel as y (Ukrainian romanization)
    ("Ishaq", "إسحاق"),  # a digraph between vowels as two sounds: s and h
    ("Adham", "أدهم"),  # d and h
    ("Fathallah", "فتح الله"),  # t and h
    ("Mashhadani", "Meshedani"),  # the h after a digraph not written (مشهداني)
    ("Ishhaq", "Ishaq"),
    ("Christopher", "كريستوفر"),  # ch before a consonant as k (Greek)
    ("Mascheroni", "ماسكيروني"),  # sch before e as sk (Italian)
    ("Iakov", "Yakov"),
    ("ALCHWIKI", "Chwiki"),  # the article written joined to the name (SDN)
    ("Alhosseini", "Husaini"),
    ("ElBaradei", "al-Baradei"),
    ("Alsaied", "Al-Sayed"),
    ("Al-Abdulkarim", "العبدالكريم"),  # the article before abd, either script
    ("Alabdulkarim", "عبدالكريم"),
    # one consonant and two vowels after it: the sound key (the strict one is one letter)
    ("Goya", "غويا"),
    ("Tao", "داو"),
    ("Chua", "Choua"),
    # a word of one syllable (of a Korean or Chinese name): initial ch also j
    ("Chong", "Jong"), ("Chin", "Jin"), ("Chang", "Zhang"), ("Chol", "Jol"),
]


@pytest.mark.parametrize("a, b", SAME_NAME)
def test_variants_share_a_key(a: str, b: str) -> None:
    assert keys(a) & keys(b), (a, keys(a), b, keys(b))


# Different names: they differ by a consonant, or "Al" at the start is no article, and
# must not share a key.
DIFFERENT_NAMES = [
    ("Hamid", "Majid"),
    ("Karim", "Rahim"),
    ("Nasser", "Nasrallah"),
    ("Hamid", "Hamza"),
    ("Said", "Zaid"),
    ("Khalid", "Walid"),
    ("Daqduq", "Dawud"),
    ("Yasser", "Nasser"),
    ("Alexander", "Xander"),  # a vowel after "Al": no article
    ("Allah", "Lah"),
    ("Alina", "Ina"),  # the rest too short to be a name
    ("Elmer", "Mer"),
    ("Shami", "Sahim"),  # sh at the start of a word is one sound
    ("Ali", "إلى"),  # "to": a word of one consonant after a vowel has no sound key
    ("Li", "لي"),  # "to me": nor one of one consonant and one vowel
    ("Chalabi", "Jalabi"),  # ch is also j in a word of one syllable only
    ("Shong", "Jong"),  # ... and sh is not
]


@pytest.mark.parametrize("a, b", DIFFERENT_NAMES)
def test_different_names_do_not_share_a_key(a: str, b: str) -> None:
    assert not keys(a) & keys(b), (a, keys(a), b, keys(b))


# Names of several words, Latin and Arabic: the units pair up and each pair shares a key.
SAME_FULL_NAME = [
    ("Ali Mousa Dakdouk", "Ali Musa Daqduq"),
    ("Ali Mousa Dakdouk", "علي موسى دقدوق"),
    ("Ali Mussa Daqduq", "علي موسى دقدوق"),
    ("Qays al-Khazali", "Qais al-Khazali"),
    ("Qays al-Khazali", "قيس الخزعلي"),
    ("Asaeb Ahl al Haq", "Asa'ib Ahl al-Haq"),
    ("Asaeb Ahl al Haq", "عصائب أهل الحق"),
    ("Hasan Nasrullah", "Hassan Nasrallah"),
    ("Hasan Nasrullah", "حسن نصر الله"),
    ("Hizballah", "Hezbollah"),
]


@pytest.mark.parametrize("a, b", SAME_FULL_NAME)
def test_full_names_pair_up_across_spellings_and_scripts(a: str, b: str) -> None:
    ua, ub = units(a), units(b)
    assert len(ua) == len(ub), (folded(a), folded(b))
    for x, y in zip(ua, ub):
        assert set(x.keys) & set(y.keys), (a[x.start:x.end], x.keys, b[y.start:y.end], y.keys)


def test_closer_spellings_share_more_keys() -> None:
    # the keys rank the closest spelling first: more of them are shared
    def shared(a: str, b: str) -> int:
        return len(keys(a) & keys(b))

    assert shared("Hassan", "Hasan") > shared("Hassan", "Husayn") > 0
    assert shared("Husain", "Husayn") > shared("Husain", "Hasan") > 0
    assert shared("مولود", "Mouloud") > shared("مولود", "Mallet") > 0


@pytest.mark.parametrize(("query", "word", "match"), [
    ("Amdouni", "حمدوني", True),  # the loose key: h dropped, across scripts
    ("Hamdouni", "أمدوني", True),
    ("Muhandis", "Mendez", False),  # one script: the loose skeleton alone is no match
    ("Muhandis", "Amenities", False),
])
def test_loose_keys_bridge_two_scripts_only(query: str, word: str, match: bool) -> None:
    looked_for = {across_scripts(k) for k in units(query)[0].keys}
    assert bool(looked_for & set(units(word)[0].keys)) == match


def test_key_kinds() -> None:
    ks = variant_keys("dakdouk")
    assert ks[0] == variant_key("dakdouk") == "DKDK"  # the usual reading first
    assert "~lDKDK" in ks  # the loose key, of a Latin word
    assert "~aDKDK" in variant_keys("دقدوق")  # of an Arabic one
    assert across_scripts("~lDKDK") == "~aDKDK"  # what a query looks for: the other script
    assert "DaKDuK" in ks  # the reading with its vowels
    assert len(variant_keys("vladimirovich")) <= MAX_KEYS + 2
    # short words get no loose key: it would match far too much
    assert not any(k.startswith("~") for k in variant_keys("ali") + variant_keys("hamid"))


def test_conjunction_before_the_arabic_article() -> None:
    # "والخزعلي" is "and al-Khazali"; "فالكو" may be the name Falco: both readings are kept
    assert folded("والخزعلي") == [("خزعلي", "الخزعلي", "والخزعلي")]
    assert "فالكو" in folded("فالكو")[0]


@pytest.mark.parametrize(
    "text, expected",
    [
        # particles join the name they belong to and never stand alone
        ("al-Khazali", [("khazali", "alkhazali")]),
        ("el-Khazali", [("khazali", "alkhazali")]),
        ("Al Zawahiri", [("zawahiri", "alzawahiri")]),
        ("الخزعلي", [("خزعلي", "الخزعلي")]),
        ("bin Laden", [("laden", "binladen")]),
        ("ibn Laden", [("laden", "binladen")]),
        ("Abu Abbas", [("abbas", "abuabbas")]),
        ("Abu-Abbas", [("abbas", "abuabbas")]),
        # ... not across a line, a comma or a sign: a list's "JARAMILLO, Abu" then a label
        ("JARAMILLO, Abu\nNotes: x", [("jaramillo",), ("notes",), ("x",)]),
        ("Abu; Abbas", [("abbas",)]),
        ("Abd al-Karim", [("abdkarim",)]),
        ("Abdul Karim", [("abdkarim",)]),
        ("Abdelkarim", [("abdkarim",)]),
        ("عبد الكريم", [("عبدكريم",)]),
        # the article before abd: the family of Abd al-Muhsin is named by his name
        ("Al-Abdulmohsen", [("abdmohsen",)]),
        ("Alabdulmohsen", [("abdmohsen",)]),
        ("Alabdurrahman", [("abdrahman",)]),  # (abd's article at a sun letter, as Abdurrahman)
        ("al-Abdul Mohsen", [("abdmohsen",)]),
        ("Al-Abd al-Muhsin", [("abdmuhsin",)]),
        ("AL-'ABD-AL-MUHSIN", [("abdmuhsin",)]),
        ("Al-Abd", [("abd", "alabd")]),  # no name after it: the name Abd
        ("العبدالكريم", [("عبدكريم",)]),  # ... and in Arabic script
        ("Nasr Allah", [("nasrallah",)]),
        # hyphenated words: split, and also kept joined
        ("Iran-backed", [("iran", "iranbacked"), ("backed",)]),
        # stop words take no position
        ("Hamid the Mute", [("hamid",), ("mute",)]),
        # English possessive
        ("Daqduq’s", [("daqduq",)]),
    ],
)
def test_units(text: str, expected: list[tuple[str, ...]]) -> None:
    assert folded(text) == expected


def test_particles_alone_give_nothing() -> None:
    assert units("al") == [] or all("al" not in u.folded for u in units("al"))
    assert [u.folded for u in units("the al- of")] == []


def test_positions_skip_stop_words() -> None:
    assert [u.pos for u in units("Hamid the Mute")] == [0, 1]


def test_spans_point_into_the_text() -> None:
    text = "Qais al-Khazali and علي موسى"
    assert [text[u.start:u.end] for u in units(text)] == ["Qais", "al-Khazali", "علي", "موسى"]


def test_variant_key_examples() -> None:
    assert variant_key("daqduq") == variant_key("دقدوق") == "DKDK"
    assert variant_key("") == ""
    assert variant_key("2012") == ""


def test_unidecode_is_never_the_key_for_arabic() -> None:
    # unidecode gives "mws~" for موسى; the key is computed from the Arabic letters.
    assert variant_key(fold("موسى")) == variant_key("musa")


def test_a_month_next_to_a_number_is_a_date_not_a_name() -> None:
    dob = {u.exact[0]: u for u in units("DOB 12 Nov 1960; POB Giza")}
    assert not dob["nov"].name_like  # "12 Nov 1960": no keys indexed for it
    assert dob["giza"].name_like
    naway = {u.exact[0]: u for u in units("Nov Naway")}
    assert naway["nov"].name_like  # no number beside it: it may be a name


@pytest.mark.parametrize("words, one_word", [
    ("Pour Naghshband", "POURNAGHSHBAND"),
    ("Pur Naghshband", "Pournaghshband"),  # and in another spelling (the sound key)
    ("Gul Agha", "Gulagha"),
    ("Abed Rabboh", "Abd-Rabbuh"),  # abd as spoken, a word apart (عبد ربه)
    ("Abed Rabbo", "Abdrabbo"),
])
def test_two_query_words_joined_match_the_word_written_as_one(words: str, one_word: str) -> None:
    a, b = units(words)
    j = joined(a, b)
    assert j is not None and (j.start, j.end) == (0, len(words))
    (w,) = units(one_word)
    assert set(j.folded) & set(w.folded) or set(j.keys) & set(w.keys), (j, w)


def test_two_query_words_joined_have_no_loose_key() -> None:
    """Two names run together match as strictly as one word: by their letters or the
    sound key, not the loose skeleton ("Alhaj Qari" run together had the loose key of
    الكواري)."""
    a, b = units("Alhaj Qari")
    j = joined(a, b)
    assert j is not None and j.keys and not any(k.startswith(LOOSE_PREFIX) for k in j.keys)


def test_joined_pairs_words_of_one_script_only() -> None:
    a, b = units("ولی جان")
    both = joined(a, b)
    assert both is not None and "وليجان" in both.folded
    c, d = units("Hossein پور")
    assert joined(c, d) is None


@pytest.mark.parametrize(("word", "is_name"), [
    ("عند", False), ("إلى", False), ("كان", False), ("وقال", False), ("عليه", False),
    ("از", False), ("است", False),
    # names that a word list of grammar would hold: they keep their keys
    ("على", True), ("علي", True), ("خلف", True), ("والي", True), ("آنا", True),
])
def test_function_words_of_arabic_and_persian_are_no_names(word: str, is_name: bool) -> None:
    """A preposition, a pronoun, an auxiliary verb gets no spelling-variant keys: no
    name in another spelling or script matches it ("Indi" is not عند, "at")."""
    (unit,) = units(word)
    assert bool(unit.keys) is is_name and unit.name_like is is_name


@pytest.mark.parametrize("text", [
    "d'Artagnan met 'Ali and abc’Def, O'Brien and al-Zarqawi; l'Hôpital",
    "Daniel Frosch said: éclair Éric ʿAli ʾabd x`Y 9Ab Ab9 _Ab",
    "علي موسى دقدوق وقال الشيخ عَلِيّ ـعلي mixed عليAli aliعلي",
    "KONY, ALI; kony, ali; ǅemal ŉame",
])
def test_a_scan_for_names_passes_over_the_words_in_lower_case_only(text: str) -> None:
    """The scan for names finds the words the word-by-word scan finds, but those whose
    first letter is a Latin letter in lower case: whole words (never a word's inside after
    an apostrophe), at the same places."""
    every = list(word_units(text))
    assert list(word_units(text, names_only=True)) == [
        u for u in every if not ("a" <= text[u.start] <= "z")]


@pytest.mark.parametrize("text", [
    "d'Artagnan met 'Ali and abc’Def, O'Brien and al-Zarqawi; l'Hôpital",
    "An IED was found near the CID office, said Ali Kony.",
    "KONY, ALI; IED CID ABU; kony, ali",
    "علي موسى دقدوق وقال الشيخ عَلِيّ ـعلي mixed عليAli aliعلي",
    "Ab9 UN 1OK, Dr. Ayman AL ZAWAHIRI",
])
def test_the_scans_of_the_judging_make_the_units_the_general_scan_makes(text: str) -> None:
    """The name-like words with keys (name_units, the scan judging every candidate) and a
    word's unit at its place (word_unit) are the units word_units makes: a word of two or
    three capitals is an acronym in a text not written in capitals and a name in one that
    is ("IED" has no keys beside "Ali Kony"; "ALI" and "ABU" of a list in capitals do)."""
    every = list(word_units(text))
    assert name_units(text) == [u for u in word_units(text, names_only=True) if u.keys]
    assert [word_unit(text, s, e) for s, e in word_spans(text)] == every
    found = {text[u.start:u.end]: bool(u.keys) for u in every}
    if "IED was" in text:
        assert found["IED"] is False and found["CID"] is False and found["Ali"] is True
    if text.startswith("KONY"):
        assert found["ALI"] is True and found["IED"] is True


@pytest.mark.parametrize(("query", "names"), [
    ("Isam Ahmad Sad", ["sad"]),  # سعد, "Saad": a name among names
    ("Abd-al-Latif Sad", ["sad"]),
    ("Dr. Sad Ahmad", ["sad"]),  # (a title aside)
])
def test_an_english_word_in_a_query_of_names_is_a_name(query: str, names: list[str]) -> None:
    found = {u.exact[0]: u for u in query_units(query)}
    for word in names:
        assert found[word].keys and found[word].name_like, found[word]
        assert not {u.exact[0]: u for u in units(query)}[word].keys  # in a text, no name
    assert set(found["sad"].keys) & set(units("SAAD")[0].keys)


@pytest.mark.parametrize("query", [
    "Sad",  # one word: a word
    "Climate Change",  # no name in it
    "Sad met Ahmad",  # a word in lower case: a query of words
    "Ahmad Sad 2020",
    "Daw Than Than New",  # more English words than names
])
def test_a_query_of_words_keeps_its_english_words_words(query: str) -> None:
    assert [u.keys for u in query_units(query)] == [u.keys for u in units(query)]


@pytest.mark.parametrize(("text", "word", "name"), [
    ("SAYYED, Jamil", "sayyed", True),  # a list's surname, before its comma
    ("SHEIKH, Muhammad Naeem", "sheikh", True),
    ("Sayyed Jamil spoke.", "sayyed", False),  # a title before the name
    ("Sheikh Omar Bakri", "sheikh", False),
    ("AL ZAWAHIRI, Dr. Ayman", "dr", False),
])
def test_an_honorific_before_a_comma_is_a_list_s_surname(text: str, word: str,
                                                        name: bool) -> None:
    found = {u.exact[0]: u for u in units(text)}[word]
    assert bool(found.keys) == name and found.name_like == name, found


@pytest.mark.parametrize(("query", "word", "name"), [
    ("Jamil Sayyed", "sayyed", True),  # an honorific ending a query of names: a surname
    ("Mohammad Nayeem Sheikh", "sheikh", True),
    ("Sayyed Jamil", "sayyed", False),  # before the name: a title
    ("Sheikh Mohammad Nayeem", "sheikh", False),
    ("Ayman Dr", "dr", False),  # (an abbreviation)
    ("Hezbollah commander", "commander", False),  # a word of English
    ("Sayyed", "sayyed", False),  # one word: no name around it
])
def test_an_honorific_ending_a_query_of_names_is_a_surname(query: str, word: str,
                                                          name: bool) -> None:
    found = {u.exact[0]: u for u in query_units(query)}[word]
    assert bool(found.keys) == name, found
    if name:
        assert set(found.keys) & set(units("SAYYED, Jamil")[0].keys) or word != "sayyed"
