"""What a word is, from the word lists of :mod:`searchdoc.data`: common given names,
months, honorifics, particles, ordinary English words and the function words of Arabic
and Persian. Every module that needs one imports it from here.

Each list is written as folded forms (see :func:`searchdoc.names.keys.fold`: lower case,
no diacritics; Arabic normalized: ا for every alef, ي for ى, ه for ة).
"""

from __future__ import annotations

import re
from functools import lru_cache

from searchdoc import data

# Given names so common that sharing them says nothing about identity (data/given_names.txt).
COMMON_GIVEN_NAMES = data.words("given_names.txt")
# ... of them, the names of the Arabic and Persian speaking worlds: a word in Arabic script
# is one of the common given names when it is one of these (its [arabic] section)
ARABIC_WORLD_GIVEN_NAMES = tuple(w for line in data.sections("given_names.txt").get("arabic", ())
                                 for w in line.split())

# A patronymic of the East Slavic languages (folded): "Sergeyevich", "Ivanovna", "Ivanovych",
# "Ivanivna", "Uladzimiravich", the father's given name: as common as a given name, where a
# name of three words or more has it inside ("Aleksei Sergeyevich Morenets"; last, it is a
# family name: "Roman Abramovich"). Read at query time only.
PATRONYMIC = re.compile(r"(?:[oae]v|[ey]ev|iev)(?:ich|ych|na)$|ivna$")

# ... as Arabic script writes them (folded), each with its Latin spellings
# (data/given_names_arabic.txt: a name after و, "and", has the keys of the name at index
# time, keys.attached_rest).
ARABIC_GIVEN_NAMES = data.pairs(data.lines("given_names_arabic.txt"))

# Month names and their abbreviations: next to a number a date, not a name.
MONTHS = frozenset(data.words("months.txt"))

# Honorifics and titles written before a name: never part of it (data/honorifics.txt).
HONORIFICS = frozenset(data.words("honorifics.txt"))

# Particles of names (data/particles.txt).
_PARTICLES = data.sections("particles.txt")
ARTICLES = frozenset(w for line in _PARTICLES.get("article", ()) for w in line.split())
SPACED_ARTICLES = frozenset(w for line in _PARTICLES.get("spaced article", ())
                            for w in line.split())
KIN = data.pairs(_PARTICLES.get("kin", ()))
ABD = frozenset(w for line in _PARTICLES.get("abd", ()) for w in line.split())
# The particles of European names, in lower case between their words ("Maria del Rosario
# Garcia", "Juan de la Cruz", "van der Berg"): read when names are run together and put in
# natural order, never made keys (no index depends on them).
EUROPEAN_PARTICLES = frozenset(
    "de da do dos das del della di du la le van von der den ter ten".split())
ALLAH = frozenset(w for line in _PARTICLES.get("allah", ()) for w in line.split())
ARABIC_KIN = data.pairs(_PARTICLES.get("arabic kin", ()))


@lru_cache(maxsize=1)
def ordinary_words() -> frozenset[str]:
    """The ordinary words of English that are not names ("south", "evaluation", "hague"),
    as data/ordinary_words.txt lists them (see scripts/ordinary_words.py): a capitalized
    one never matches a name by its spelling variants."""
    return frozenset(data.words("ordinary_words.txt"))


@lru_cache(maxsize=1)
def organization_words() -> frozenset[str]:
    """The words that make a run of name words an organization's name ("AMAN HOLDING
    COMPANY"), as data/organization_words.txt lists them. Read at query time only."""
    return frozenset(data.words("organization_words.txt"))


# The common given names whose spelling is also an ordinary English word: the ones
# scripts/ordinary_words.py leaves out of data/ordinary_words.txt only because they are
# given names (it prints them). Read at query time only: no index depends on it.
ENGLISH_GIVEN_NAMES = frozenset({"said", "fares"})


# Words of Arabic that introduce a name (folded): "name", "in the name of", "the so-called",
# "is called", "nicknamed". The word after one, as after a title, is a name: "ورد اسم كيسي"
# (the name Casey), whatever else the word is (كيسي, "my bag"). Read at query time only.
ARABIC_NAME_CUES = frozenset({"اسم", "باسم", "المدعو", "المدعوه", "يدعي", "تدعي",
                              "الملقب", "الملقبه"})

# Words of kinship: the name after one is a relative's ("daughter of Saddam Hussein
# al-Tikriti"; "ابنة صدام حسين"): English ones before "of", Arabic ones (folded: daughter,
# son, wife, widow, brother, sister, father, mother, grandson) before the name. Read at
# query time only.
KIN_WORDS = frozenset(
    "son sons daughter daughters wife wives husband widow widower brother brothers sister "
    "sisters father mother parent parents nephew niece cousin uncle aunt child children "
    "grandson granddaughter grandfather grandmother stepson stepdaughter".split())
ARABIC_KIN_WORDS = frozenset({"ابنه", "نجل", "نجله", "زوجه", "ارمله", "شقيق", "شقيقه", "والد",
                              "والده", "اخت", "حفيد", "حفيده"})


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The words that, written in lower case in English text, are the English word and
    not a name: the ordinary words, and the given names spelled as one ("said" is the
    verb in "Khaled Mashal said", however much "Said" is a name)."""
    return ordinary_words() | ENGLISH_GIVEN_NAMES


@lru_cache(maxsize=1)
def arabic_ordinary_words() -> frozenset[str]:
    """The common words of Arabic and Persian (والبيانات "and the data", ارسل "sent", لاتين
    "Latin"), as written but their marks (searchdoc.names.keys.arabic_as_written), as
    data/ordinary_words_arabic.txt lists them (see
    scripts/ordinary_words.py). Many are names too (the lion of الأسد): a word of them in
    a text is a Latin name only where spelled as closely as a name of one word asks
    (searchdoc.names.similarity). Read when hits are judged only."""
    return frozenset(data.words("ordinary_words_arabic.txt"))


@lru_cache(maxsize=1)
def function_words() -> frozenset[str]:
    """The function words of Arabic and Persian (عند "at", إلى "to", كان "was", از
    "from"), folded, as data/function_words.txt lists them: never a name, they get no
    spelling-variant keys."""
    return frozenset(data.words("function_words.txt"))
