"""Every text transformation used for matching names, at index time and at query time.

One entry point, :func:`units`, turns any text into *name units*: the words of the text
with name particles attached to the name they belong to. Each unit carries three kinds of
matching term, one per index field:

``exact``
    the word as written: NFKC, case-folded, English possessive removed.
``folded``
    diacritics removed, apostrophes and the signs for ayn and hamza removed, other scripts
    romanized with unidecode; Arabic is *normalized* (never romanized): tashkeel and tatweel
    removed, alef forms to ا, ى to ي, ة to ه, ؤ to و, ئ to ي.
``keys``
    spelling-variant keys shared by two spellings of one name, computed the same way from
    Latin and from Arabic script (the bridge between scripts), see :func:`variant_keys`:
    a consonant skeleton with phonetic classes for each reading of the word's ambiguous
    letters (Latin "g" as ق/غ or as ج), a loose skeleton for long words (marked with its
    script: it bridges two scripts, never two Latin spellings, see :func:`across_scripts`),
    and the reading with its vowels, which closer spellings share.

The steps, in order, for one text:

1. find words (letters, digits and combining marks; apostrophes inside a word; hyphens join
   words into one compound);
2. per word (memoized): the exact and folded forms;
3. drop English stop words (they take no position, so "Hamid the Mute" is a phrase of two);
4. attach particles: ``al- el- ad- ar- as- ash- at- az- an- ul- ud-`` (and the Arabic article
   ال with an attached و ب ف ك ل) to the following name; ``bin ibn ben bint ould abu abou`` to
   the following name; ``abd al X``, ``abdul X``, ``Abdelkarim`` into one ``abd`` + name term;
   ``Allah`` (``الله``) onto the name before it (``Nasr Allah`` = ``Nasrallah``). A particle
   yields no term of its own; the unit yields the bare name and the name joined with its
   canonical particle ("khazali" and "alkhazali", whatever "al-", "el " or "ال" was written);
   an Arabic word that begins with و ب ف ك + ال also keeps its whole spelling ("فالكو" may
   be "and the ..." or the name Falco); an Arabic word that begins with و ف ب ل written
   joined to a name, without the article, also has the keys of the name (ونتنياهو,
   لأوباما: :func:`attached_rest`);
5. words that are no names get no keys and are not name-like: honorifics ("Dr.",
   "Mullah", "الشيخ"), acronyms (two or three capitals in a text not written in capitals),
   ordinary English words (:func:`searchdoc.names.lexicon.ordinary_words`) and the function
   words of Arabic and Persian (:func:`searchdoc.names.lexicon.function_words`: عند, إلى,
   كان); a month beside a number is a date;
6. compounds: hyphenated compounds are split into their parts and also kept joined; a name
   and the article-name after it ("Shams al-Din", "شمس الدين") also give the joined form
   without the article ("shamsdin"), as one word with the article inside does
   ("Shamsuddin"); two Arabic names side by side also give their joined form's long keys;
7. the keys of each folded form of a unit (memoized per word), keys of one letter dropped;
   a Latin word that ends as an East Slavic name or spells a Belarusian dz also has the keys
   of its form in the Russian system (:func:`slavic_form`: "Hubaryev", "Gubaryev").

Bump :data:`NORMALIZER_VERSION` whenever any of this changes the terms of a text: an index
built with another version is rebuilt, never silently mismatched.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import NamedTuple

from unidecode import unidecode

from searchdoc.names.lexicon import (
    ABD,
    ALLAH,
    ARABIC_KIN,
    ARTICLES,
    HONORIFICS,
    KIN,
    MONTHS,
    SPACED_ARTICLES,
    arabic_ordinary_words,
    function_words,
    ordinary_words,
)

NORMALIZER_VERSION = 22

# English stop words: whoosh's list (kept here so queries need not import whoosh.analysis).
STOP_WORDS = frozenset(
    "a an and are as at be by can for from have if in is it may not of on or tbd that the "
    "this to us we when will with yet you your".split()
)

# Arabic letters, marks and the tatweel; Latin combining marks.
_MARKS = "\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_WORD_CHAR = rf"[^\W_]|[{_MARKS}\u0640]"
_APOSTROPHES = "'’‘ʿʾʼ`´"
_WORD_RE = re.compile(rf"(?:{_WORD_CHAR})+(?:[{_APOSTROPHES}](?:{_WORD_CHAR})+)*")
# The same words but those whose first letter is a Latin letter in lower case (found by
# the regex engine, not looked at one by one): a word starts where no word goes on
_NAME_WORD_RE = re.compile(rf"(?<!{_WORD_CHAR})(?<!(?:{_WORD_CHAR})[{_APOSTROPHES}])(?![a-z])"
                           + _WORD_RE.pattern)
_HYPHENS = frozenset("-‐‑–")  # hyphen, Unicode hyphen, non-breaking hyphen, en dash

_ARABIC_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# Arabic normalization (:func:`normalize_arabic`): one translation table made from
# pyarabic's character classes when the first Arabic word is seen (a Latin query never
# imports pyarabic). Hand-written here: only the Persian and Urdu letter forms, which
# pyarabic does not name.
_ARABIC_FOLD: dict[int, str | None] = {}
_ARABIC_WRITTEN: dict[int, str | None] = {}
_PERSIAN_FOLD = {"ک": "ك", "ی": "ي", "ہ": "ه", "ۀ": "ه", "ھ": "ه"}


# Particles that attach to the following name. Hyphenated, any of them; separated by a
# space, only those that are not also common English words.
# (data/particles.txt, read by searchdoc.names.lexicon)
_AL = ARTICLES
_AL_SPACED = SPACED_ARTICLES
_KIN = KIN
_ABD = ABD
_ABD_JOINED = re.compile(r"^abd(?:oul|ul|el|al|ol|u|ou)?(?:r|s|sh|n|z|d|t)?$")
# "Abdelkarim", "Abdulaziz", "Abdurrahman" (sun letters: the article's l becomes the
# consonant that follows), "Abdussalam": the prefix to remove to leave the name.
_ABD_PREFIX = re.compile(
    r"^abd(?:oul|ul|el|al|ol|[uae](?:r(?=r)|s(?=s)|n(?=n)|z(?=z)|d(?=d)|t(?=t)|sh(?=sh)))"
    r"(?=[a-z]{3,})"
)
# abd as it is spoken before a name, a word apart ("Abed Rabbo"): also the name عابد, so
# not a particle; the two words run together are abd and the name.
_ABD_SPOKEN = frozenset({"abed"})
# "عبدالمنان", "عبدالله": abd and the article written joined to the name.
_AR_ABD_JOINED = re.compile(r"^عبدال(?=..)")
_ALLAH = ALLAH
_AR_PARTICLES = ARABIC_KIN
_AR_ABD = "عبد"
# Every Latin particle spelling (what may stand between the words of a name).
PARTICLES = _AL | set(_KIN) | _ABD
_LONE_PARTICLES = _AL_SPACED | set(_KIN) | _ABD | set(_AR_PARTICLES) | {_AR_ABD, "ال"}
_AR_ARTICLE_RE = re.compile(r"^(?:[وفبك]?ال|لل)(?=..)")
# In Latin script: al/el joined to a name of four letters or more that starts with one to
# three consonants and a vowel ("Alchwiki", "Alhosseini"; not "Alexander", "Ali", "Allah").
_GLUED_AL = re.compile(r"^(?:[ae]l(?=[b-df-hj-np-tv-z]{1,3}[aeiouy][a-z]{2})"
                       # or assimilated to the sun letter that follows: "Eddine", "Uddin"
                       r"|[aeu]([dtrszn])(?=\1[aeiouy][a-z]))")
# The article inside a name written as one word, between its two parts: "Shamsuddin"
# (Shams ad-Din), "Nooreddine", "Habiburrahman", "Inamulhaq" (Inam ul-Haq).
_INFIX_ARTICLE = re.compile(
    r"^([a-z]{3,}?)(?:[aeiou]l(?=[b-df-hj-np-tv-z])|[aeiou]([dtrszn])(?=\2))([a-z]{3,})$")
# A text whose cased letters are at least this share capitals is written in capitals.
CAPITALS_SHARE = 0.6


@dataclass(frozen=True)
class WordForms:
    exact: str
    folded: str
    arabic: bool


class Unit(NamedTuple):
    """One name unit of a text: what a field indexes at one position (a named tuple: units
    are made per token at index time, and a tuple is several times cheaper to make)."""

    pos: int
    start: int
    end: int
    exact: tuple[str, ...]
    folded: tuple[str, ...]
    keys: tuple[str, ...]
    name_like: bool  # capitalized, or in a script without case


# ---------------------------------------------------------------------------------------
# Word forms


def is_arabic(text: str) -> bool:
    return _ARABIC_RE.search(text) is not None


def normalize_arabic(text: str) -> str:
    """Tashkeel, Quranic marks, small letters and tatweel removed, alef forms to ا, ى to
    ي, ة to ه, ؤ to و, ئ to ي (pyarabic.araby's strip_diacritics, strip_small,
    strip_tatweel, normalize_hamza "tasheel" and normalize_teh, in one pass)."""
    return text.translate(_ARABIC_FOLD or _arabic_fold())


def _arabic_fold() -> dict[int, str | None]:
    """The table of :func:`normalize_arabic`. pyarabic's functions do the same, each a
    chain of str.replace over its characters: five times slower per word than one
    str.translate over their characters (benchmarks/normalize_check.py)."""
    from pyarabic import araby

    table = _marks_table()
    for alef in (araby.ALEF_MADDA, araby.ALEF_HAMZA_ABOVE, araby.ALEF_HAMZA_BELOW):
        table[alef] = araby.ALEF
    table[araby.ALEF_MAKSURA] = araby.YEH
    table[araby.TEH_MARBUTA] = araby.HEH
    table[araby.WAW_HAMZA] = araby.WAW
    table[araby.YEH_HAMZA] = araby.YEH
    _ARABIC_FOLD.update(str.maketrans(table))
    return _ARABIC_FOLD


def _marks_table() -> dict[str, str | None]:
    """What both tables do: tashkeel, Quranic marks, small letters and tatweel removed,
    alef wasla (a mark of the Quran's spelling, no hamza) as alef, Persian letters as
    Arabic writes them."""
    from pyarabic import araby

    table: dict[str, str | None] = dict.fromkeys(
        [*araby.DIACRITICS, *araby.SMALL, araby.TATWEEL], None)
    table[araby.ALEF_WASLA] = araby.ALEF
    table.update(_PERSIAN_FOLD)
    return table


def arabic_as_written(text: str) -> str:
    """A word of Arabic script as written, its marks aside: tashkeel, small letters and
    tatweel removed, alef wasla as alef, Persian letters as Arabic writes them; the hamza
    forms, ى and ة kept (إلسي, "Elsie", is not السي, "the C", as folding makes them)."""
    return text.translate(_ARABIC_WRITTEN or _arabic_written())


def _arabic_written() -> dict[int, str | None]:
    _ARABIC_WRITTEN.update(str.maketrans(_marks_table()))
    return _ARABIC_WRITTEN


def exact_form(word: str) -> str:
    """The word as written, for the exact field: NFKC, case-folded, possessive removed."""
    w = unicodedata.normalize("NFKC", word).casefold()
    for a in _APOSTROPHES[1:]:
        w = w.replace(a, "'")
    if w.endswith("'s") and len(w) > 3:
        w = w[:-2]
    return w.replace("\u0640", "")


def fold(text: str) -> str:
    """Fold a word or a text for matching (see the module docstring)."""
    w = unicodedata.normalize("NFKC", text).casefold()
    if is_arabic(w):
        w = normalize_arabic(w)
        return "".join(c for c in w if c.isalnum() or c.isspace())
    w = unicodedata.normalize("NFD", w)
    w = "".join(c for c in w if not unicodedata.combining(c))
    if not w.isascii():
        w = unidecode(w).lower()
    return "".join(c for c in w if c.isalnum() or c.isspace())


@lru_cache(maxsize=200_000)
def word_forms(word: str) -> WordForms:
    exact = exact_form(word)
    folded = fold(exact[:-2] if exact.endswith("'s") else exact)
    arabic = is_arabic(folded)
    return WordForms(exact, folded, arabic)


# An East Slavic name in Latin script is written by several systems: Ukrainian and
# Belarusian write h where Russian writes g (Hubaryev, Gubarev; Hennadiy, Gennadiy), German
# and Polish write j for y, w for v and sch for sh (Jurij, Rjauzow, Schewtschenko),
# Belarusian -au for -ov (Naumau, Naumov). A Latin word with an ending of such a name has
# also the form the Russian system gives, for its keys and its similarity.
_SLAVIC_END = re.compile(
    r"(?:[oe]v|[oe]va|yev|yov|enk[oa]|[cs]huk|[iy]uk|vy?ch|wi[cz]z?|witsch|ovna|evna"
    r"|ivna|ovych|evych|sk[iy]j?|skyi|[^aeiou](?:[iy][jy]|iy|yi|ej)|[^aeiouy]au)$")
# ... or -ow, -ew (-owa, -ewa) in a word written by the German or Polish system elsewhere too
# (Gorbatschow, Scharapowa, Rjauzow, Medwedew; not Andrew, Matthew, Barlow, Shadowcrew,
# Touchwindow)
_SLAVIC_OW = re.compile(r"(?=.*sch|.+(?<!d)j|.+[bcdfkmnprstz]w[aeiouy])(?:.*[oe]wa?)$")
# h alone (not of kh, ch, sh, zh, th, gh, ph), not between a vowel and a consonant: the
# h of Arabic and Persian names (Ahmedov, Rahmonov: Akhmedov in the Russian system)
_SLAVIC_H = re.compile(r"(?<![kcszgtp])h")
_VOWELS = frozenset("aeiouy")
# j of German and Polish spelling: after a vowel or consonant, or first in a word that
# spells so elsewhere (Jurij, Jewgenij; not Jamalov, Dzhamalov in the Russian system)
_SLAVIC_J = re.compile(r"(?<=[a-z])(?<!d)j")
# the Belarusian dz of a soft d (Uladzimir, Vadzim, Dzmitry: Vladimir, Vadim, Dmitry),
# whatever the word's ending (not the Georgian -dze); such a word's initial u before a
# consonant is ў, v
_BELARUSIAN_DZ = re.compile(r"dz(?=[iy]|m)")


@lru_cache(maxsize=1 << 14)
def slavic_form(folded: str) -> str | None:
    """The form the Russian system of romanization gives a folded Latin word that ends as
    an East Slavic name (_SLAVIC_END) or spells a Belarusian dz, and is written by another
    system, or None."""
    if len(folded) < 5 or not folded.isascii():
        return None
    if _BELARUSIAN_DZ.search(folded):
        folded_as = _BELARUSIAN_DZ.sub("d", folded)
        if re.match(r"u[b-df-hj-np-tv-z]", folded_as):
            folded_as = "v" + folded_as[1:]
        return slavic_form(folded_as) or folded_as
    if not _SLAVIC_END.search(folded) and not _SLAVIC_OW.match(folded):
        return None
    german = "w" in folded or "sch" in folded or _SLAVIC_J.search(folded) is not None
    out = folded.replace("tsch", "ch").replace("sch", "sh")
    if german:
        out = out.replace("w", "v")
        out = _SLAVIC_J.sub("y", out)
        if out.startswith("j") and out[1:2] in ("a", "e", "o", "u"):
            out = "y" + out[1:]
    out = _SLAVIC_H.sub(lambda m: "h" if 0 < m.start() < len(out) - 1
                        and out[m.start() - 1] in _VOWELS
                        and out[m.start() + 1] not in _VOWELS else "g", out)
    if re.search(r"[^aeiouy]au$", out):
        out = out[:-2] + "ov"
    return out if out != folded else None


# ---------------------------------------------------------------------------------------
# Spelling-variant keys
#
# A word is read as a sequence of *slots*, one per sound. A slot holds the classes its
# letters may stand for, the usual one first: Latin "g" is ("K", "J") (ق or غ, or ج as in
# "Gamal", "Angela"). Consonant classes: K (q k c g gh ق ك غ), H (h kh ch ح خ ه),
# D (d t dh th ت ث د ذ ض ط ظ), S (s c ث س ص), Z (z ز), X (sh ch ش تش), J (j dj zh ج),
# F (f ph v ف), B (b p ب), W (w و), Y (y ي), L, M, N, R, and DS (German z). Vowels are
# lower case: "a", "i" (e i y ي), "u" (o u و); ayn and hamza are "". Lower case and ""
# keep two consonants apart and are not part of a strict key. Every rule below is one of
# spelling (Latin c, s, j, v, w read several ways across languages) or of how Arabic
# writes foreign sounds (تش, دج, final ز for s), never a list of names.

_Slot = tuple[str, ...]
# Latin letter groups, longest first; the single letters below handle the rest.
_LATIN_GROUPS: tuple[tuple[str, tuple[_Slot, ...]], ...] = (
    ("tsch", (("X",),)), ("dsch", (("J",),)), ("sch", (("X",),)), ("tch", (("X",),)),
    ("dzh", (("J",),)), ("sh", (("X",),)), ("ch", (("X", "H"),)), ("kh", (("H", "K"),)),
    ("gh", (("K",),)), ("dh", (("D", "Z"),)), ("th", (("D", "S"),)), ("ph", (("F",),)),
    ("dj", (("J",),)), ("zh", (("J",),)), ("dz", (("D",),)), ("ck", (("K",),)),
    ("ts", (("D", "S"), ("S",))),  # also one sound, as c (Slavic ц: Belaventsev, Belavencev)
    ("wh", (("W",),)), ("gn", (("K", "N"), ("N",))),  # gn: also ny (Gagnon, Montaigne)
)
_LATIN_LETTERS: dict[str, tuple[_Slot, ...]] = {
    "a": (("a",),), "e": (("i",),), "i": (("i",),), "o": (("u",),), "u": (("u",),),
    "b": (("B",),), "p": (("B",),), "c": (("K",),), "d": (("D",),), "t": (("D",),),
    "f": (("F",),), "v": (("F", "W"),), "g": (("K", "J"),), "h": (("H",),),
    "j": (("J", "Y"),), "k": (("K",),), "q": (("K",),), "l": (("L",),), "m": (("M",),),
    "n": (("N",),), "r": (("R",),), "s": (("S",),), "x": (("K",), ("S",)), "z": (("Z", "DS"),),
    "w": (("W", "F"),), "y": (("Y",),),
}
_LATIN_GROUPS_AT = {c: tuple(g for g in _LATIN_GROUPS if g[0][0] == c) for c in "cdgkpstwz"}
# A digraph between vowels may be two sounds, a consonant and an h (its other reading, as
# one class sequence): "Ishaq" is إسحاق, "Adham" أدهم, "Fathi" فتحي.
_TWO_SOUNDS = {"sh": "SH", "dh": "DH", "th": "DH"}
# An h before one of these is often not written, the digraph's h standing for both:
# "Mihdhar" (محضار) and "Midhar", "Bahdhi" and "Badhi".
_H_DIGRAPHS = frozenset(("dh", "th", "kh", "gh", "sh"))
# ch (sch) before e, i or a consonant may be hard: "Christopher" كريستوفر, "Marchisio",
# "Mascheroni" ماسكيروني.
_HARD_BEFORE = {"ch": "K", "sch": "SK"}
# A word of one syllable is a syllable of a Korean or Chinese name, where ch at the start is
# also j: McCune-Reischauer writes Chong, Chin what the Revised Romanization writes Jong, Jin
# (정, 진), Wade-Giles Chang what pinyin writes Zhang (张). Compared by
# :func:`searchdoc.names.similarity.syllable_j`.
ONE_SYLLABLE_CH = re.compile(r"(ch|zh|j)(w?[aeiou]+[^aeiouy]*)")
_LATIN_VOWELS = frozenset("aeiouy")
_ARABIC_GROUPS: tuple[tuple[str, tuple[_Slot, ...]], ...] = (
    ("تش", (("X",),)),  # how Arabic writes "ch" (Archipenko, Abacha)
    ("دج", (("J",),)),  # and "dj" (Adjani)
)
_ARABIC_LETTERS: dict[str, tuple[_Slot, ...]] = {
    **{c: (("a",),) for c in "اىأإآ"}, **{c: (("",),) for c in "ءعؤئ"},
    "و": (("W",),), "ي": (("Y",),), "ب": (("B",),), "پ": (("B",),), "ت": (("D",),),
    "ث": (("D", "S", "Z"),), "ج": (("J",),), "چ": (("X",),), "ح": (("H",),), "خ": (("H",),),
    "د": (("D",),), "ذ": (("D", "Z"),), "ر": (("R",),), "ز": (("Z",),), "ژ": (("J",),),
    "س": (("S",),), "ش": (("X",),), "ص": (("S",),), "ض": (("D",),), "ط": (("D",),),
    "ظ": (("D", "Z"),), "غ": (("K",),), "ف": (("F",),), "ق": (("K",),), "ك": (("K",),),
    "گ": (("K",),), "ل": (("L",),), "م": (("M",),), "ن": (("N",),), "ه": (("H",),),
    "ة": (("H",),),
}
_INITIAL_VOWELS_LATIN = frozenset("aeiou")
_INITIAL_VOWELS_ARABIC = frozenset("اأإآعء")
MAX_KEYS = 4  # strict keys per word: the usual reading and up to three others
_MAX_READINGS = 64  # readings tried per word to find them
# The loose key: classes merged, h, w, y and vowels dropped, repeats collapsed even across
# vowels; only words whose loose key has at least LOOSE_MIN_LENGTH consonants get one.
_LOOSE = {"J": "K", "X": "S", "Z": "S", "H": "", "W": "", "Y": ""}
LOOSE_MIN_LENGTH = 3
LOOSE_PREFIX = "~"
LOOSE_LATIN, LOOSE_ARABIC = "l", "a"  # the script of the word, after the prefix


def _latin_slots(word: str, letters: list[str] | None = None) -> list[_Slot] | None:
    """The slots of a folded Latin word, or None when it holds digits or other signs
    (`letters`: given, gets the letters each slot was read from)."""
    out: list[_Slot] = []
    i, n = 0, len(word)
    while i < n:
        for group, slots in _LATIN_GROUPS_AT.get(word[i], ()):
            if word.startswith(group, i):
                nxt = word[i + len(group)] if i + len(group) < n else ""
                if group in _TWO_SOUNDS and 0 < i and word[i - 1] in _LATIN_VOWELS \
                        and nxt in _LATIN_VOWELS:
                    # between vowels, also a consonant and an h: "Ishaq" (إسحاق), "Adham"
                    slots = ((*slots[0], _TWO_SOUNDS[group]),)
                elif group in _HARD_BEFORE and nxt and (
                        nxt in "eiy" or nxt not in _LATIN_VOWELS):
                    # before e, i or a consonant, also k: "Christopher", "Marchisio",
                    # "Mascheroni" (Greek and Italian spellings)
                    slots = ((*slots[0], _HARD_BEFORE[group]),)
                if group == "ch" and i == 0 and ONE_SYLLABLE_CH.fullmatch(word):
                    slots = ((*slots[0], "J"),)  # (Chong: also Jong)
                out.extend(slots)
                if letters is not None:
                    letters.extend([group] * len(slots))
                i += len(group)
                break
        else:
            ch = word[i]
            letter = _LATIN_LETTERS.get(ch)
            if letter is None:
                return None
            slots = letter
            nxt = word[i + 1] if i + 1 < n else ""
            if ch == "i" and i == 0 and nxt and nxt in "aeou":  # also y (Ukrainian Iurii: Yuriy)
                slots = (("i", "Y"),)
            elif ch == "c" and not nxt:  # final: also ć (Slavic -ic: Rakitic, راكيتيتش)
                slots = (("K", "X"),)
            elif ch == "c" and nxt in "eiy":  # soft (Arce; Italian ci, ce: Nocerino)
                slots = (("S", "X"),)
            elif ch == "h" and i > 0 and word[i - 1] in _LATIN_VOWELS \
                    and word[i + 1:i + 3] in _H_DIGRAPHS:
                slots = (("H", ""),)  # before a digraph of its own h, may go: Mihdhar, Midhar
            elif ch == "h" and i >= 2 and word[i - 2:i] in _H_DIGRAPHS:
                slots = (("H", ""),)  # ... and after one: Mashhadani (مشهداني), Meshedani
            elif ch == "s" and i > 0 and (not nxt or (
                    word[i - 1] in _LATIN_VOWELS and nxt in _LATIN_VOWELS)):
                slots = (("S", "Z"),)  # final, or between vowels: also z (Adams, Eisen)
            out.extend(slots)
            if letters is not None:
                letters.extend([ch] * len(slots))
            i += 1
    return out


def _arabic_slots(word: str, letters: list[str] | None = None) -> list[_Slot] | None:
    out: list[_Slot] = []
    i, n = 0, len(word)
    while i < n:
        for group, slots in _ARABIC_GROUPS:
            if word.startswith(group, i):
                out.extend(slots)
                if letters is not None:
                    letters.extend([group] * len(slots))
                i += len(group)
                break
        else:
            letter = _ARABIC_LETTERS.get(word[i])
            if letter is None:
                return None
            slots = letter
            out.extend(slots)
            if letters is not None:
                letters.extend([word[i]] * len(slots))
            i += 1
    return out


def _slots(folded: str) -> tuple[tuple[_Slot, ...], bool]:
    """The slots of a folded word in either script, and whether it starts with a vowel."""
    if not folded:
        return (), False
    if is_arabic(folded):
        slots = _arabic_slots(folded)
        initial_vowel = folded[0] in _INITIAL_VOWELS_ARABIC
    else:
        slots = _latin_slots(folded)
        initial_vowel = folded[0] in _INITIAL_VOWELS_LATIN
    if not slots:
        return (), False
    inside = {"W": "u", "Y": "i"}  # w and y inside a word are vowels
    return (slots[0], *(tuple(inside.get(c, c) for c in s) for s in slots[1:])), initial_vowel


# Which sound a letter of the classes D and K stands for, finer than its class: two
# spellings of one name agree on it (Daqduq, Dakdouk: k and q are one letter, ق; Ahmad,
# Ahmed), two names differ (Heidari is not هوتارو, Omid not إيميت). An Arabic letter
# has the readings Latin script gives it; a Latin letter its own sound.
_FINE: dict[str, frozenset[str]] = {
    k: frozenset(v.split()) for k, v in {
        "t": "t", "d": "d", "th": "t th dh", "dh": "d dh", "dz": "d", "ts": "t",
        "k": "k", "c": "k", "ck": "k", "q": "k g", "x": "k", "ch": "k", "g": "g", "gh": "g",
        "ت": "t", "ط": "t", "د": "d", "ض": "d dh", "ذ": "d dh z", "ث": "t th s",
        "ظ": "d dh z", "ك": "k", "ق": "k g", "غ": "g", "گ": "g",
    }.items()}
# Two spellings in Arabic script differ in these letters only where one is often written
# for the other (ض and ظ; ذ for د or ز as spoken): Arabic against Arabic, by letter.
_FINE_ARABIC: dict[str, frozenset[str]] = {
    k: frozenset(v.split()) for k, v in {
        "ت": "ت", "ط": "ط", "د": "د ذ", "ذ": "ذ د ز ظ", "ض": "ض ظ", "ظ": "ظ ض ذ",
        "ث": "ث", "ك": "ك", "ق": "ق", "غ": "غ", "گ": "گ",
    }.items()}


@lru_cache(maxsize=1 << 14)
def fine_consonants(folded: str, by_letter: bool = False,
                    ) -> tuple[tuple[str, frozenset[str] | None], ...]:
    """The consonants of a word's usual reading, each as (class, the finer sounds its
    letters may stand for, None where the class says all): "Daqduq" gives D {d}, K {k},
    D {d}, K {k}. A letter written twice is one consonant, as in the keys. `by_letter`:
    an Arabic word's letters as Arabic script spells them (to compare with another)."""
    if not folded:
        return ()
    letters: list[str] = []
    arabic = is_arabic(folded)
    fine = _FINE_ARABIC if arabic and by_letter else _FINE
    slots = (_arabic_slots if arabic else _latin_slots)(folded, letters)
    out: list[tuple[str, frozenset[str] | None]] = []
    last = ""
    for i, (slot, letter) in enumerate(zip(slots or (), letters)):
        cls = slot[0]
        if cls.isupper() and not (i and cls in "WY"):  # (w and y inside a word: vowels)
            if not (out and cls == out[-1][0] and letter == last):
                out.append((cls, fine.get(letter) if cls in "DK" else None))
        last = letter
    return tuple(out)


def _key(classes: Sequence[str], initial_vowel: bool) -> str:
    key: list[str] = ["A"] if initial_vowel and not classes[0].isupper() else []
    last = ""
    for cls in classes:
        if cls.isupper() and cls != last:
            key.append(cls)
        last = cls
    if len(key) > 1 and key[-1] == "H":
        key.pop()
    return "".join(key)


def _loose_key(classes: Sequence[str], arabic: bool) -> str:
    key: list[str] = []
    for cls in classes:
        cls = _LOOSE.get(cls, cls)
        if cls.isupper() and (not key or key[-1] != cls):
            key.append(cls)
    if len(key) < LOOSE_MIN_LENGTH:
        return ""
    return LOOSE_PREFIX + (LOOSE_ARABIC if arabic else LOOSE_LATIN) + "".join(key)


def across_scripts(key: str) -> str:
    """The key a word of the other script must have to match `key` loosely: a loose key
    bridges two scripts, never two spellings in one ("Muhandis" and "Mendez" share a
    loose skeleton; "Muhandis" and "مهندس" may). Other keys are returned as they are."""
    if not key.startswith(LOOSE_PREFIX):
        return key
    marker = LOOSE_LATIN if key[1:2] == LOOSE_ARABIC else LOOSE_ARABIC
    return LOOSE_PREFIX + marker + key[2:]


@lru_cache(maxsize=200_000)
def variant_keys(folded: str) -> tuple[str, ...]:
    """The spelling-variant keys of one folded word, from Latin or Arabic script.

    Strict keys: letters to classes (see above); an initial vowel (or alef, ayn, hamza)
    becomes "A" and other vowels go; w and y are consonants only at the start; a class
    repeated by adjacent letters counts once ("mm", "ss"), a vowel between keeps both
    ("Dawud": "DD"); a final h goes. "Daqduq", "Dakdouk", "Duqduq" and "دقدوق" all give
    "DKDK". The key of the usual reading comes first, then those of other readings of the
    ambiguous letters (fewest changes first, at most :data:`MAX_KEYS` in all).

    Then the loose key ("~DKDK"), for long words only: the usual reading with K/J, S/Z/X
    merged, h, w, y and all vowels dropped, repeats collapsed across vowels. It catches
    what the strict keys miss ("Amdouni" and "Hamdouni": "~MDN").

    Last the sound key ("DaKDuK"): the usual reading with its vowels (a, i, u), for words
    of two consonants or more, or of one and two vowels after it ("Kuia": Goya, غويا,
    whose strict key, one letter, says too little; not "aLi": Ali would be إلى, "to").
    Two spellings that share it are closer than two that share only the other keys
    ("Mouloud" and "مولود", not "Mallet"), so they match on one term more and rank above.
    """
    slots, initial_vowel = _slots(folded)
    if not slots:
        return ()
    usual = [s[0] for s in slots]
    keys = {_key(usual, initial_vowel): None}
    ambiguous = [(i, alt) for i, s in enumerate(slots) for alt in s[1:]]
    tried = 0
    for changes in range(1, len(ambiguous) + 1):
        if len(keys) >= MAX_KEYS or tried >= _MAX_READINGS:
            break
        for combo in combinations(ambiguous, changes):
            if len({i for i, _alt in combo}) < changes:
                continue  # two readings of one slot
            classes = list(usual)
            for i, alt in combo:
                classes[i] = alt
            keys.setdefault(_key(classes, initial_vowel), None)
            tried += 1
            if len(keys) >= MAX_KEYS or tried >= _MAX_READINGS:
                break
    loose = _loose_key(usual, is_arabic(folded))
    if loose:
        keys[loose] = None
    sound = _sound(_spoken(folded, slots))
    consonants = sum(c.isupper() for c in sound)
    if consonants >= 2 or (consonants == 1 and len(sound) >= 3 and sound[0].isupper()):
        keys[sound] = None
    return tuple(keys)


def _spoken(folded: str, slots: Sequence[_Slot]) -> Sequence[_Slot]:
    if len(folded) > 3 and folded[-1] == "e" and folded[-2] not in _LATIN_VOWELS:
        return slots[:-1]  # a final e after a consonant is silent: "Eddine", "Amine"
    return slots


@lru_cache(maxsize=1 << 14)
def sound_key(folded: str) -> str:
    """The usual reading of a folded word with its vowels, as the sound key of
    :func:`variant_keys`, also for a word of one consonant and one vowel ("Li"), which
    gets no such key (it would match too many words): what the graded similarity
    compares ("" when the word has no consonant)."""
    slots, _initial_vowel = _slots(folded)
    sound = _sound(_spoken(folded, slots)) if slots else ""
    return sound if any(c.isupper() for c in sound) else ""


def variant_key(folded: str) -> str:
    """The key of the usual reading of a folded word ("" when it has none)."""
    keys = variant_keys(folded)
    return keys[0] if keys else ""


def _sound(slots: Sequence[_Slot]) -> str:
    """The usual reading of a word with its vowels, repeats collapsed ("DaKDuK")."""
    out: list[str] = []
    for s in slots:
        if s[0] and (not out or out[-1] != s[0]):
            out.append(s[0])
    if len(out) > 2 and out[-1] == "H" and out[-2] in ("a", "i", "u"):
        # a final h after a vowel writes that vowel: Haniyeh, Haniya, Haniyah ("HaNia")
        out[-1:] = [] if out[-2] == "a" else ["a"]
    return "".join(out)


# ---------------------------------------------------------------------------------------
# Units


@dataclass
class _Word:
    text: str
    start: int
    end: int
    forms: WordForms
    hyphen_before: bool
    comma_after: bool = False
    apart_from_next: bool = False  # a line break or a sign (not a hyphen) before the next


def _words(text: str) -> list[_Word]:
    words: list[_Word] = []
    prev_end = -1
    for m in _WORD_RE.finditer(text):
        start, end = m.span()
        hyphen = prev_end >= 0 and start - prev_end == 1 and text[prev_end] in _HYPHENS
        if words and text[prev_end:start].strip(" \t-\u2010\u2011"):
            words[-1].apart_from_next = True
        words.append(_Word(m.group(), start, end, word_forms(m.group()), hyphen,
                           text.startswith(",", end)))
        prev_end = end
    return words


@lru_cache(maxsize=32)  # (the texts of the passage judged: several rules scan them)
def _mostly_capitals(text: str) -> bool:
    """Whether a text is written in capitals (a list's "KONY, ALI"; a heading): then a
    short word in capitals is a name, not an acronym."""
    upper = sum(map(str.isupper, text))  # (each letter looked at in C: texts are long)
    lower = sum(map(str.islower, text))
    return upper >= CAPITALS_SHARE * (upper + lower)


def _plain_word(unit: Unit, word: _Word, capitals: bool) -> Unit:
    """A unit of one word that is no name however it is written gets no spelling-variant
    keys and is not name-like: an honorific or title ("Dr.", "Mullah", "الشيخ"; not
    before a comma, the surname of a list's "LAST, First": "SAYYED, Jamil"), an
    acronym (a word of two or three capitals in a text that is not in capitals: "IED",
    "CID"; not the surname of "KONY, Ali"), an ordinary word of English ("South",
    "Evaluation", "Hague": :func:`searchdoc.names.lexicon.ordinary_words`), or a function
    word of Arabic or Persian (عند "at", كان "was": :func:`searchdoc.names.lexicon.function_words`)."""
    f = word.forms.folded
    if word.forms.arabic and f in function_words():
        # (also a word too short for keys, في or لا: never joined to the word before it as
        # a name's part, "النصر في" read "Nasrfi")
        return unit._replace(keys=(), name_like=False)
    if not unit.keys:
        return unit
    if word.forms.arabic:
        not_a_name = _strip_article(f)[0] in HONORIFICS or f in function_words()
    else:
        not_a_name = (f in HONORIFICS and not word.comma_after) \
            or word.forms.exact in ordinary_words() or (
            not capitals and not word.comma_after and 2 <= len(word.text) <= 3
            and word.text.isupper() and word.text.isalpha())
    return unit._replace(keys=(), name_like=False) if not_a_name else unit


def word_spans(text: str) -> Iterator[tuple[int, int]]:
    """Where each word of a text stands (start, end), as :func:`word_units` finds them."""
    return (m.span() for m in _WORD_RE.finditer(text))


def word_unit(text: str, start: int, end: int) -> Unit:
    """The unit :func:`word_units` makes of the word of `text` at `start`:`end`."""
    return Unit(0, start, end, *_word_in(text, text[start:end], end))


def _word_in(text: str, w: str, end: int,
             ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], bool]:
    """:func:`_word_unit` of the word `w` of `text` ending at `end`. Whether the text is
    written in capitals changes the unit of a word of two or three capitals only, an
    acronym or a name (:func:`_plain_word`): for any other word the text is not looked at."""
    return _word_unit(w, len(w) <= 3 and w.isupper() and _mostly_capitals(text),
                      text.startswith(",", end))


def word_units(text: str, names_only: bool = False) -> Iterator[Unit]:
    """Each word of a text as a unit of its own, one at a time (no particle attached, stop
    words kept, positions 0): a cheap scan for the word a query word matched. Words that
    are not name-like get no keys (the index holds none for them); `names_only`: they are
    passed over (a word in lower case, in Latin script, is not looked at)."""
    for m in (_NAME_WORD_RE if names_only else _WORD_RE).finditer(text):
        start, end = m.span()
        yield Unit(0, start, end, *_word_in(text, m.group(), end))


def name_units(text: str) -> list[Unit]:
    """The words of a text :func:`word_units` gives with `names_only` that have keys (a
    name-like word, what a spelling variant can answer), in order: the same units, made
    only for these (the scan the judging of every candidate passage runs)."""
    out = []
    for m in _NAME_WORD_RE.finditer(text):
        end = m.end()
        exact, folded, keys, name_like = _word_in(text, m.group(), end)
        if keys:
            out.append(Unit(0, m.start(), end, exact, folded, keys, name_like))
    return out


@lru_cache(maxsize=1 << 16)
def _word_unit(w: str, capitals: bool, comma_after: bool,
               ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], bool]:
    """What :func:`word_units` makes of a word (its forms, keys and whether it is
    name-like), whatever its place: a word is analysed once."""
    forms = word_forms(w)
    word = _Word(w, 0, len(w), forms, False, comma_after)
    if forms.arabic:
        u = _plain_word(_make_unit([word], 0, 0, None, "", 0), word, capitals)
    elif capitalized(w):
        u = _plain_word(Unit(0, 0, len(w), *_plain_unit(w)), word, capitals)
    else:
        return (forms.exact,), (forms.folded,), (), False
    return u.exact, u.folded, u.keys, u.name_like


def exact_words(text: str) -> list[str]:
    """The exact form of every word of a text, in order (hyphenated parts apart)."""
    return [word_forms(m.group()).exact for m in _WORD_RE.finditer(text)]


def _name_like(word: _Word) -> bool:
    return capitalized(word.text)


def capitalized(text: str) -> bool:
    """Capitalized, or in a script without case (Arabic): written as a name would be."""
    c = text[0]
    return c.isupper() or (c.isalpha() and not c.islower())


def _canonical_particle(word: _Word, nxt: _Word | None) -> str | None:
    """The canonical particle this word is, before the next word, or None."""
    if nxt is None or nxt.forms.folded in STOP_WORDS or not nxt.forms.folded \
            or word.apart_from_next:  # ("Abu" ending a line is not the next line's word)
        return None
    f = word.forms.folded
    if word.forms.arabic:
        if f == _AR_ABD:
            return "abd"
        return _AR_PARTICLES.get(f)
    if f in _AL and (nxt.hyphen_before or f in _AL_SPACED):
        return "al"
    if f in _KIN:
        return _KIN[f]
    if f in _ABD or _ABD_JOINED.match(f):
        return "abd"
    return None


def _abd_word(word: _Word, nxt: _Word | None) -> bool:
    """Whether a Latin word is abd before the next word, or abd joined to a name
    ("Abd al-Muhsin", "Abdul Mohsen", "Abdulmohsen")."""
    return _canonical_particle(word, nxt) == "abd" or bool(_ABD_PREFIX.match(word.forms.folded))


def _particle_spelling(canon: str, arabic: bool) -> str:
    if not arabic:
        return canon
    return {"al": "ال", "bin": "بن", "bint": "بنت", "abu": "ابو", "abd": "عبد"}.get(canon, canon)


def _strip_article(folded: str) -> tuple[str, bool]:
    """The name without the article written joined to it, and whether it had one:
    ("خزعلي", True) for "الخزعلي", ("chwiki", True) for "alchwiki"; ("allah", False)."""
    m = _AR_ARTICLE_RE.match(folded) or _GLUED_AL.match(folded)
    if m and folded not in _ALLAH:
        return folded[m.end():], True
    return folded, False


def units(text: str) -> list[Unit]:
    """The name units of a text, in order, with positions that skip stop words."""
    return list(_units_cached(text)) if len(text) < 4096 else _compute_units(text)


def query_units(text: str) -> list[Unit]:
    """The units of a query, as :func:`units` makes them, but for a capitalized word of
    English in a query of names ("Isam Ahmad Sad", سعد; "Abd-al-Latif Sad"): there it is a
    name, with the keys of one (a text's "a sad day" has none, and the index holds no keys
    of it; the query's keys find the names spelled otherwise, "Saad"). A query of names:
    its words are names and such words (titles and initials aside), the names at least as
    many as these; a word in lower case or a number makes it a query of words. An
    honorific that ends a query after a name is a name too, as a list's surname is
    ("Jamil Sayyed": SAYYED, Jamil; "Naeem Sheikh"): titles come before the name (but a
    word of English: "Hezbollah commander")."""
    found = [_as_typed(u) for u in units(text)]
    if len(found) < 2:
        return found
    last = found[-1]
    if not last.keys and surname_honorific(found):
        found[-1] = Unit(last.pos, last.start, last.end, *_plain_unit(text[last.start:last.end]))
    ordinary = ordinary_words()
    named = 0
    english: list[int] = []
    for i, u in enumerate(found):
        written = text[u.start:u.end]
        if u.name_like and u.keys:
            named += 1
        elif (not u.keys and len(u.exact) == 1 and u.exact[0] in ordinary
              and written.isalpha() and capitalized(written)):
            english.append(i)
        elif not (u.exact[0] in HONORIFICS or len(u.folded[0]) == 1):
            return found
    if not english or named < len(english):
        return found
    return [Unit(u.pos, u.start, u.end, *_plain_unit(text[u.start:u.end]))
            if i in english else u for i, u in enumerate(found)]


def _as_typed(u: Unit) -> Unit:
    """A query unit without the keys of the name after a particle joined to it (a
    document's ونتنياهو has those of نتنياهو): a query names the person; فرانتز is Frantz,
    no "and Rantz"."""
    extra = rest_keys(u)
    return u._replace(keys=tuple(k for k in u.keys if k not in extra)) if extra else u


def rest_keys(u: Unit) -> frozenset[str]:
    """The keys a unit has only as the name after a particle joined to it (ونتنياهو:
    NDN, NDNiaHu; :func:`attached_rest`); none for most."""
    if u.exact[0][:1] not in ATTACHED or not is_arabic(u.folded[0]):
        return frozenset()
    rest = attached_rest(u.exact[0], u.folded[0])
    return frozenset() if rest is None else _rest_only(tuple(u.folded), rest)


@lru_cache(maxsize=1 << 14)
def _rest_only(folded: tuple[str, ...], rest: str) -> frozenset[str]:
    return frozenset(_unit_keys((rest,))) - frozenset(_unit_keys(folded))


def surname_honorific(found: Sequence[Unit]) -> bool:
    """Whether the last of a query's units is an honorific it writes as a surname, after
    a name ("Sayyed" of "Jamil Sayyed"; not "Dr", nor a word of English: "Hezbollah
    commander"; "al-Sayyid" with its article is a name anyway)."""
    if len(found) < 2 or not found[-2].keys:
        return False
    last = found[-1]
    return len(last.exact) == 1 and last.exact[0] in HONORIFICS \
        and len(last.folded[0]) >= 4 and last.exact[0] not in ordinary_words()


@lru_cache(maxsize=512)
def _units_cached(text: str) -> tuple[Unit, ...]:
    return tuple(_compute_units(text))


def iter_units(text: str) -> Iterator[Unit]:
    """The units of a text one at a time, as :func:`units` makes them but without the
    joined form of hyphenated compounds: to find where a query word matched without
    analysing the whole text (nothing is done until the first unit is asked for)."""
    yield from _unit_stream(_words(text), _mostly_capitals(text))


def _compute_units(text: str) -> list[Unit]:
    words = _words(text)
    return _split_compounds(list(_unit_stream(words, _mostly_capitals(text))), words)


def _unit_stream(words: list[_Word], capitals: bool = False) -> Iterator[Unit]:
    pos = 0
    i, n = 0, len(words)
    while i < n:
        w = words[i]
        f = w.forms.folded
        if not f or (f in STOP_WORDS and not w.hyphen_before and not (
            i + 1 < n and words[i + 1].hyphen_before)):
            i += 1
            continue
        nxt = words[i + 1] if i + 1 < n else None
        canon = _canonical_particle(w, nxt)
        if canon == "al" and nxt is not None and not nxt.forms.arabic and _abd_word(
                nxt, words[i + 2] if i + 2 < n else None):
            # "Al-Abdulmohsen", "al-Abd al-Muhsin": the family of Abd al-Muhsin is named
            # by his name, as "AL-'ABD-AL-MUHSIN" and "Abdulmohsen" give it
            i += 1
            continue
        first = i
        exact_prefix = ""
        if canon is not None and nxt is not None:
            exact_prefix = w.forms.exact + "-"
            i += 1
            if canon == "abd" and i + 1 < n:
                # abd al-X / abd el X / عبد ال...: skip the article as well.
                art = words[i].forms.folded
                if art in _AL and not words[i].forms.arabic:
                    exact_prefix += words[i].forms.exact + "-"
                    i += 1
            w = words[i]
        elif _ABD_PREFIX.match(f) or _AR_ABD_JOINED.match(f) or _article_before_abd(f):
            canon = "abd"
        elif f in _LONE_PARTICLES:
            i += 1  # a particle with no name after it matches nothing on its own
            continue
        unit = _make_unit(words, first, i, canon, exact_prefix, pos)
        if canon is None:
            unit = _plain_word(unit, w, capitals)
            if unit.name_like and f in MONTHS and _next_to_number(words, i):
                unit = unit._replace(name_like=False)
        i += 1
        # "Nasr Allah", "نصر الله": Allah joins the name before it.
        if i < n and words[i].forms.folded in _ALLAH and canon != "abd":
            unit = _join_allah(unit, words[i])
            i += 1
        yield unit
        pos += 1


def _next_to_number(words: list[_Word], i: int) -> bool:
    return any(0 <= j < len(words) and words[j].text.isdigit() for j in (i - 1, i + 1))


def _make_unit(words: list[_Word], first: int, last: int, canon: str | None,
               exact_prefix: str, pos: int) -> Unit:
    w = words[last]
    forms = w.forms
    if canon is None and first == last and not forms.arabic:  # most words: memoized
        return Unit(pos, w.start, w.end, *_plain_unit(w.text))
    bare, had_article = _strip_article(forms.folded) if forms.arabic else (forms.folded, False)
    exact: list[str] = [forms.exact]
    folded: list[str] = []
    if canon == "abd":
        folded.append(_particle_spelling("abd", forms.arabic) + _abd_name(forms.folded, exact_prefix))
        if exact_prefix:
            exact = [exact_prefix + forms.exact]
    else:
        folded.append(bare)
        if canon is not None:
            folded.append(_particle_spelling(canon, forms.arabic) + bare)
            exact.append(exact_prefix + forms.exact)
        elif had_article:
            folded.append(_particle_spelling("al", True) + bare)
            # "فالكو" is "and the ..." or the name Falco: keep the word whole as well.
            folded.append(forms.folded)
    keys = _unit_keys(tuple(folded))
    if forms.arabic and canon is None and not had_article \
            and (rest := attached_rest(forms.exact, forms.folded)) is not None:
        keys = tuple(dict.fromkeys(keys + _unit_keys((rest,))))
    return Unit(
        pos=pos,
        start=words[first].start,
        end=w.end,
        exact=tuple(dict.fromkeys(exact)),
        folded=tuple(dict.fromkeys(folded)),
        keys=keys,
        name_like=_name_like(w) or _name_like(words[first]),
    )


# The particles Arabic script writes joined to the next word without the article (و
# "and", ف, ب, ل; not ك "as", the first letter of many names: كريم, كامل)
ATTACHED = frozenset("\u0648\u0641\u0628\u0644")


@lru_cache(maxsize=1 << 14)
def attached_rest(exact: str, folded: str) -> str | None:
    """The folded name after a particle written joined to a word of Arabic script
    (ونتنياهو: نتنياهو; لأوباما: اوباما), or None: a word of three letters or fewer after
    it, or an alef without hamza (ال; the Hadrami "Ba" of باجبير, Bajubair); a common given
    name as written (وليد is Walid, no "and Lid"); a common word of Arabic (بسام, فريد;
    وسلم, "and peace be upon him"; لصالح, "in favor of"), but for و, "and", before a common
    given name (ومحمد, وحسن: frequent as written). `exact`, `folded`: the word's forms."""
    from searchdoc.names.lexicon import ARABIC_GIVEN_NAMES

    written = arabic_as_written(exact)
    if len(written) < 5 or written[0] not in ATTACHED or written[1] in ("\u0627", written[0]) \
            or not is_arabic(written) or folded[:1] != written[0] or folded in ARABIC_GIVEN_NAMES:
        return None
    rest = folded[1:]
    if written in arabic_ordinary_words() and not (
            written[0] == "\u0648" and rest in ARABIC_GIVEN_NAMES):
        return None
    return rest


@lru_cache(maxsize=200_000)
def _plain_unit(word: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], bool]:
    """exact, folded, keys and name_like of a Latin word that stands alone. A name with
    the article written joined to it ("Alchwiki", "ElBaradei") has the keys of the name
    without it as well, as "Al-Chwiki" has; one with the article inside ("Shamsuddin")
    those of its two parts run together ("shamsdin", as "Shams al-Din" gives)."""
    forms = word_forms(word)
    name_like = capitalized(word)
    folded = (forms.folded,)
    keyed: tuple[str, ...] = folded
    if name_like:
        bare, had_article = _strip_article(forms.folded)
        keyed += (bare,) if had_article else ()
        m = _INFIX_ARTICLE.match(forms.folded)
        if m:  # "Shamsuddin" also has the keys of "Shams" and "Din" run together
            keyed += (m.group(1) + m.group(3),)
        # ("Hubaryev" also has the keys of "Gubaryev"; not a word in camel case, "IntelliJ")
        slavic = slavic_form(forms.folded) if word[1:].islower() or word.isupper() else None
        if slavic is not None:
            keyed += (slavic,)
    return (forms.exact,), folded, _unit_keys(keyed), name_like


@lru_cache(maxsize=200_000)
def _unit_keys(folded: Sequence[str]) -> tuple[str, ...]:
    """:func:`unit_keys`, memoized for the units of words."""
    return unit_keys(folded)


def unit_keys(folded: Sequence[str]) -> tuple[str, ...]:
    """The variant keys of the folded forms of a unit; keys of one letter are too loose."""
    return tuple(dict.fromkeys(k for t in folded for k in variant_keys(t) if len(k) >= 2))


def _abd_name(folded: str, separate: str) -> str:
    """The name after "abd": "karim" for "al-Karim" or "Abdelkarim", "lah" for "Allah"."""
    if folded in _ALLAH:
        return "له" if is_arabic(folded) else "lah"
    if not separate and (bare := _article_before_abd(folded)):
        folded = bare  # ("Alabdulmohsen", "العبدالكريم")
    if not separate and (m := _AR_ABD_JOINED.match(folded)):  # "عبدالمنان": "منان"
        return folded[m.end():]
    if is_arabic(folded):
        return _strip_article(folded)[0]
    if not separate and (m := _ABD_PREFIX.match(folded)):
        rest = folded[m.end():]
        return "lah" if rest in ("lah", "llah") else rest
    return folded


@lru_cache(maxsize=1 << 14)
def abd_joined(folded: str) -> str | None:
    """A word that is abd joined to a name with its article ("Abdulaziz", "Abdelkader",
    عبدالعزيز) folded as the index folds the name after "abd" (abdaziz, عبدعزيز), where
    that differs from the word: a word-by-word scan keeps the article, which Latin script
    writes u, e or a (Abdul, Abdel) and Arabic script ال, and the judging compares the two
    readings as well."""
    if not (_ABD_PREFIX.match(folded) or _AR_ABD_JOINED.match(folded)):
        return None
    canon = _particle_spelling("abd", is_arabic(folded)) + _abd_name(folded, "")
    return canon if canon != folded else None


def _article_before_abd(folded: str) -> str | None:
    """The word without its article where the article is written joined to abd joined to
    a name (the family of Abd al-Karim: "Alabdulkarim", "العبدالكريم"), else None."""
    if is_arabic(folded):
        bare, article = _strip_article(folded)
        return bare if article and _AR_ABD_JOINED.match(bare) else None
    return folded[2:] if folded[:2] in ("al", "el") and _ABD_PREFIX.match(folded[2:]) else None


def _join_allah(unit: Unit, allah: _Word) -> Unit:
    arabic = allah.forms.arabic
    suffix = "الله" if arabic else "allah"
    folded = tuple(dict.fromkeys(f + suffix for f in unit.folded))
    keys = _unit_keys(folded)
    exact = tuple(dict.fromkeys((unit.exact[0] + " " + allah.forms.exact,
                                 *(e + allah.forms.exact for e in unit.exact))))
    return Unit(unit.pos, unit.start, allah.end, exact, folded, keys, unit.name_like)


def _split_compounds(out: list[Unit], words: list[_Word]) -> list[Unit]:
    """Names written in two words that are also written as one: the joined form is added
    to the first part. Hyphenated compounds without particles ("Iran-backed":
    "iranbacked"); a name and the article-name after it ("Shams al-Din", "Nour Eddine",
    "شمس الدين": "shamsdin", without the article, as "Shamsuddin" gives it); and in Arabic
    script, two names side by side ("ولی جان" as "Walijan", whose spelling-variant keys it
    then shares)."""
    if len(out) < 2:
        return out
    by_start = {w.start: w for w in words}
    result = list(out)
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        wb = by_start.get(b.start)
        gap = b.start - a.end
        hyphenated = wb is not None and wb.hyphen_before and gap == 1
        if not hyphenated and not (a.name_like and b.name_like and 0 < gap <= 2):
            continue
        bare, article = _bare_of(b)
        arabic = is_arabic(a.folded[0]) and is_arabic(bare)
        if hyphenated and not article:
            joined = a.folded[0] + b.folded[0]
        elif article or arabic:
            joined = a.folded[0] + bare
        else:
            continue
        if joined in a.folded:
            continue
        new_keys = _unit_keys((joined,))
        if arabic and not article:  # two names: only long consonant keys say enough
            new_keys = tuple(key for key in new_keys if key.isupper() and len(key) >= 4)
        keys = tuple(dict.fromkeys(a.keys + new_keys))
        result[k] = Unit(a.pos, a.start, a.end, a.exact, a.folded + (joined,), keys,
                         a.name_like)
    return result


def _bare_of(u: Unit) -> tuple[str, bool]:
    """A unit's name without its article, and whether it had one ("al-Din", "Eddine",
    "الدين": "din", "dine", "دين")."""
    first = u.folded[0]
    for prefix in ("al", "ال"):
        if prefix + first in u.folded[1:]:
            return first, True
    return _strip_article(first)


def joined(a: Unit, b: Unit) -> Unit | None:
    """Two adjacent words of a query written as one word ("Pour Naghshband" as
    "Pournaghshband", "Pur Naghshband" too; "ولی جان" as "Walijan"): a unit spanning
    both, with the terms of the joined spelling (the first word, then each folded form of
    the second), or None when `b` does not follow `a` or the two are in different
    scripts."""
    if a.start >= b.start or is_arabic(a.folded[0]) != is_arabic(b.folded[0]):
        return None
    first = a.folded[0]
    folded = tuple(dict.fromkeys(first + f for f in b.folded))
    # "Abed Rabbo" is عبد ربه: run together, "Abdrabbo" (a spelling variant: its keys)
    spoken = tuple("abd" + f for f in b.folded) if first in _ABD_SPOKEN else ()
    exact = tuple(dict.fromkeys(a.exact[0] + e.replace("-", "") for e in b.exact))
    # Of the keys, the sound key (with vowels): consonant skeletons of two names run
    # together match too many other long names. Arabic script writes no short vowels, so
    # its sound key says no more than the skeleton: there, skeletons of four classes or
    # more, which are what a Latin spelling of the name as one word shares, and the loose
    # skeleton (the article's l aside: سعد الدين, "Saduddin"). Not the loose skeleton of
    # Latin words run together: "Alhaj Qari" would be الكواري.
    arabic = is_arabic(first)
    keys = tuple(k for k in _unit_keys(folded + spoken)
                 if (arabic and (len(k) >= 4 or not k.isupper()))
                 or (not k.isupper() and not k.startswith(LOOSE_PREFIX)))
    return Unit(a.pos, a.start, b.end, exact, folded, keys, a.name_like or b.name_like)
