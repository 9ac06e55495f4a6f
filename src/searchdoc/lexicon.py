"""Word lists that say what a word is, kept in one place: general knowledge of how names
and documents are written (never a list of particular people). Every module that needs
one imports it from here.

Each list is written as folded forms (see :func:`searchdoc.normalize.fold`: lower case,
no diacritics; Arabic normalized: ا for every alef, ي for ى, ه for ة).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

# Given names so common that sharing them says nothing about identity, and that are never
# ordinary words however common their spelling is in English ("Said"): general
# onomastics, spelled once (their other spellings are the normalizer's business).
COMMON_GIVEN_NAMES = (
    "Muhammad Ahmad Ali Hasan Husayn Mahmud Mustafa Ibrahim Khalid Umar Uthman Yusuf "
    "Abdullah Abd Sayyid Salih Said Jamal Karim Rahman Hamid Hamad Ismail Musa Isa Yahya "
    "Abu Bin Muhammed Mohamed Ahmed Hassan Hussein Omar Osman Youssef Saleh Aziz Amir Nasir "
    "Fares Amin Hadi Nasser Bashir Rashid Habib Salem Malik Sami Adam"
).split()

# Month names (and their abbreviations): capitalized, but next to a number a date, not a
# name ("DOB 12 Nov 1960").
MONTHS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)

# Honorifics and titles written before a name: they are not part of the name, never match
# as a spelling variant, and a query word that is one counts only as written. (Not the
# titles that are also names: "al-Muhandis", "the engineer", is a man's name.)
HONORIFICS = frozenset(
    # English and general
    "mr mrs ms miss dr doctor prof professor sir dame lord lady rev reverend hon "
    "gen general col colonel lt lieutenant maj major capt captain cmdr commander brig "
    "brigadier adm admiral sgt sergeant cpl corporal pvt eng engr engineer "
    # Arabic, Persian, Turkish, South Asian titles in Latin script
    "shaykh shaikh sheikh sheik shaykha sheikha sayyid sayyed sayed seyyed syed "
    "sayyida sayeda haji hajji hadji hajj hajja hadj alhaji alhaj mullah mulla molla "
    "mullo mawlawi maulvi molvi moulvi mavlavi maulawi mawlana maulana moulana mowlana "
    "mufti imam emam ayatollah ayatullah hojatoleslam hujjat hojjatoleslam qari hafiz "
    "hafez ustadh ustaz ustad muallim mualim "
    # Arabic script (normalized): الشيخ is the article and شيخ
    "شيخ سيد السيد سيده حاج الحاج حاجي ملا مولوي مولانا مفتي امام الامام اية "
    "الدكتور دكتور د الاستاذ استاذ العميد اللواء العقيد الرائد النقيب "
    "الملازم الجنرال".split()
)

# Keys of a `Key: value` line whose value is a name of the document's subject, and keys
# whose value lists other names (aliases).
_NAME_KEY = r"(?:full |birth |native |real |legal |original )?names?|الاسم|اسم|الاسم الكامل|نام"
_ALIAS_KEY = (r"alias(?:es)?|a\.?k\.?a\.?|also known as|other names?|nicknames?|known as|"
              r"alternative names?|alt(?:ernate)?\.? names?|الاسماء الاخرى|اسماء اخرى|الكنية|"
              r"الملقب|اللقب|الشهرة")
NAME_KEY = re.compile(rf"^(?:{_NAME_KEY})$", re.IGNORECASE)
ALIAS_KEY = re.compile(rf"^(?:{_ALIAS_KEY}|{_NAME_KEY})$", re.IGNORECASE)


# The parts of one name written in several fields or columns ("Surname: SOLEIMANI" then
# "Given names: Qasem"; a list's first_name / last_name columns), as column_key writes a
# key; joined given, middle, family. The one table of them: a list's columns
# (readers/records.py) and a document's `Key: value` fields (passages, aliases) read it.
NAME_PART_KEYS: dict[str, tuple[str, ...]] = {
    "given": ("first name", "firstname", "first names", "first", "given name", "given names",
              "givenname", "forename", "forenames", "fore name", "fore names",
              "christian name", "christian names", "prenom", "prenoms", "nombres",
              "الاسم الاول", "نام کوچک"),
    "middle": ("middle name", "middle names", "middlename", "middle", "second name",
               "secondname", "third name", "thirdname", "fourth name", "fourthname",
               "patronymic"),  # (not a father's name: another man's, never merged on)
    "family": ("last name", "lastname", "last names", "last", "surname", "surnames",
               "family name", "familyname", "family names", "sur name", "nom de famille",
               "apellido", "apellidos", "اسم العائلة", "العائلة", "نام خانوادگی"),
}
NAME_PARTS = ("given", "middle", "family")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SEPARATORS = re.compile(r"[\s_\-.:/()\[\]]+")


def column_key(header: str) -> str:
    """A column name or a field's key as it is compared: camelCase split, lower case,
    accents and punctuation gone ("weakAlias" -> "weak alias", "A.K.A." -> "a k a",
    "Prénom" -> "prenom", "name_ar" -> "name ar")."""
    text = _CAMEL.sub(" ", header)
    text = "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))
    return _SEPARATORS.sub(" ", text.casefold()).strip()


_PART_OF = {column_key(key): part for part, keys in NAME_PART_KEYS.items() for key in keys}


@lru_cache(maxsize=4096)  # a collection's field keys repeat: "Package", "Version", ...
def name_part(key: str) -> str | None:
    """Which part of a name a field's key or a column says its value is ("First name":
    "given", "Surname": "family"), or None."""
    return _PART_OF.get(column_key(key))


def join_name_parts(parts: Sequence[tuple[str, str]]) -> str:
    """One name from (part, value) pairs in any order: given, middle, family names."""
    return " ".join(v for part in NAME_PARTS for p, v in parts if p == part and v)


def is_name_key(key: str) -> bool:
    """Whether a field's key says its value is the subject's name ("Name", "Full name",
    "الاسم")."""
    return NAME_KEY.match(key.strip().rstrip(":").strip()) is not None


_ORDINARY_FILE = Path(__file__).with_name("data") / "ordinary_words.txt"


@lru_cache(maxsize=1)
def ordinary_words() -> frozenset[str]:
    """The ordinary words of English that are not names ("south", "evaluation", "hague"),
    as data/ordinary_words.txt lists them (see scripts/ordinary_words.py): a capitalized
    one never matches a name by its spelling variants."""
    try:
        text = _ORDINARY_FILE.read_text(encoding="utf-8")
    except OSError:
        return frozenset()
    return frozenset(line for line in text.split("\n") if line and not line.startswith("#"))
