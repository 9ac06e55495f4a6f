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
    Latin and from Arabic script (the bridge between scripts): a consonant skeleton with
    phonetic classes, see :func:`variant_key`.

The steps, in order, for one text:

1. find words (letters, digits and combining marks; apostrophes inside a word; hyphens join
   words into one compound);
2. per word (memoized): the exact, folded and key forms;
3. drop English stop words (they take no position, so "Hamid the Mute" is a phrase of two);
4. attach particles: ``al- el- ad- ar- as- ash- at- az- an- ul- ud-`` (and the Arabic article
   ال with an attached و ب ف ك ل) to the following name; ``bin ibn ben bint ould abu abou`` to
   the following name; ``abd al X``, ``abdul X``, ``Abdelkarim`` into one ``abd`` + name term;
   ``Allah`` (``الله``) onto the name before it (``Nasr Allah`` = ``Nasrallah``). A particle
   yields no term of its own; the unit yields the bare name and the name joined with its
   canonical particle ("khazali" and "alkhazali", whatever "al-", "el " or "ال" was written);
5. split hyphenated compounds into their parts and also keep them joined.

Bump :data:`NORMALIZER_VERSION` whenever any of this changes the terms of a text: an index
built with another version is rebuilt, never silently mismatched.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from unidecode import unidecode

NORMALIZER_VERSION = 1

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
_HYPHENS = frozenset("-‐‑–")  # hyphen, Unicode hyphen, non-breaking hyphen, en dash

_ARABIC_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_ARABIC_TASHKEEL_RE = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
        "ک": "ك", "ی": "ي", "ہ": "ه", "ۀ": "ه", "ھ": "ه",
    }
)

# Particles that attach to the following name. Hyphenated, any of them; separated by a
# space, only those that are not also common English words.
_AL = frozenset("al el ad ar as ash at az an ul ud ur us uz un ut".split())
_AL_SPACED = frozenset(["al", "el"])
_KIN = {"bin": "bin", "ibn": "bin", "ben": "bin", "bint": "bint", "ould": "ould",
        "abu": "abu", "abou": "abu", "abo": "abu", "bu": "abu"}
_ABD = frozenset(["abd", "abdu", "abdou"])
_ABD_JOINED = re.compile(r"^abd(?:oul|ul|el|al|ol|u|ou)?(?:r|s|sh|n|z|d|t)?$")
# "Abdelkarim", "Abdulaziz", "Abdurrahman" (sun letters: the article's l becomes the
# consonant that follows), "Abdussalam": the prefix to remove to leave the name.
_ABD_PREFIX = re.compile(
    r"^abd(?:oul|ul|el|al|ol|[uae](?:r(?=r)|s(?=s)|n(?=n)|z(?=z)|d(?=d)|t(?=t)|sh(?=sh)))"
    r"(?=[a-z]{3,})"
)
_ALLAH = frozenset(["allah", "ullah", "ollah", "illah", "lah", "الله", "لله"])
_AR_PARTICLES = {"بن": "bin", "ابن": "bin", "بنت": "bint", "ابو": "abu", "ابي": "abu", "ابا": "abu"}
_AR_ABD = "عبد"
_LONE_PARTICLES = _AL_SPACED | set(_KIN) | _ABD | set(_AR_PARTICLES) | {_AR_ABD, "ال"}
_AR_ARTICLE_RE = re.compile(r"^(?:[وفبك]?ال|لل)(?=..)")


@dataclass(frozen=True)
class WordForms:
    exact: str
    folded: str
    key: str
    arabic: bool


@dataclass(frozen=True)
class Unit:
    """One name unit of a text: what a field indexes at one position."""

    pos: int
    start: int
    end: int
    exact: tuple[str, ...]
    folded: tuple[str, ...]
    keys: tuple[str, ...]
    name_like: bool  # capitalized, or in a script without case

    @property
    def surface_span(self) -> tuple[int, int]:
        return self.start, self.end


# ---------------------------------------------------------------------------------------
# Word forms


def is_arabic(text: str) -> bool:
    return _ARABIC_RE.search(text) is not None


def normalize_arabic(text: str) -> str:
    """Tashkeel and tatweel removed, alef forms to ا, ى to ي, ة to ه, ؤ and ئ folded."""
    return _ARABIC_TASHKEEL_RE.sub("", text).translate(_ARABIC_FOLD)


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
    return WordForms(exact, folded, variant_key(folded), arabic)


# ---------------------------------------------------------------------------------------
# Spelling-variant keys

# Latin: digraphs first (longest first), then single letters. Classes: K (q k c g gh),
# H (h kh), D (d t dh th), S (s), X (sh ch sch), F (f ph), B (b p), W (w v), Y, J (j dj zh),
# Z, L, M, N, R. Vowels are "" (kept only as the initial "A").
_LATIN_DIGRAPHS = (
    ("tsch", "X"), ("sch", "X"), ("tch", "X"), ("dsch", "J"),
    ("sh", "X"), ("ch", "X"), ("kh", "H"), ("gh", "K"), ("dh", "D"), ("th", "D"),
    ("ph", "F"), ("dj", "J"), ("zh", "J"), ("ck", "K"), ("qu", "K"), ("ks", "KS"),
)
_LATIN_LETTERS = {
    "a": "", "e": "", "i": "", "o": "", "u": "", "y": "Y", "w": "W", "v": "W",
    "b": "B", "p": "B", "c": "K", "k": "K", "q": "K", "g": "K", "x": "KS",
    "d": "D", "t": "D", "f": "F", "h": "H", "j": "J", "l": "L", "m": "M",
    "n": "N", "r": "R", "s": "S", "z": "Z",
}
_ARABIC_LETTERS = {
    "ا": "", "ى": "", "ء": "", "ع": "", "أ": "", "إ": "", "آ": "", "ؤ": "", "ئ": "",
    "و": "W", "ي": "Y", "ب": "B", "پ": "B", "ت": "D", "ث": "D", "ج": "J", "چ": "X",
    "ح": "H", "خ": "H", "د": "D", "ذ": "D", "ر": "R", "ز": "Z", "ژ": "J", "س": "S",
    "ش": "X", "ص": "S", "ض": "D", "ط": "D", "ظ": "D", "غ": "K", "ف": "F", "ق": "K",
    "ك": "K", "گ": "K", "ل": "L", "م": "M", "ن": "N", "ه": "H", "ة": "H",
}
_INITIAL_VOWELS_LATIN = frozenset("aeiou")
_INITIAL_VOWELS_ARABIC = frozenset("اأإآعء")


def _latin_classes(word: str) -> list[str]:
    out: list[str] = []
    i, n = 0, len(word)
    while i < n:
        for dg, cls in _LATIN_DIGRAPHS:
            if word.startswith(dg, i):
                out.extend(cls)
                i += len(dg)
                break
        else:
            cls = _LATIN_LETTERS.get(word[i])
            if cls is None:  # digits and anything else: no key for this word
                return []
            out.append(cls if cls else "V")
            i += 1
    return out


def _arabic_classes(word: str) -> list[str]:
    out: list[str] = []
    for ch in word:
        cls = _ARABIC_LETTERS.get(ch)
        if cls is None:
            return []
        out.append(cls if cls else "V")
    return out


def variant_key(folded: str) -> str:
    """The spelling-variant key of one folded word, from Latin or Arabic script.

    Letters to phonetic classes; an initial vowel (or alef, ayn, hamza) becomes "A" and
    other vowels go; w and y are consonants only at the start; doubled classes collapse;
    a final h goes. "Daqduq", "Dakdouk", "Duqduq" and "دقدوق" all give "DKDK".
    """
    if not folded:
        return ""
    if is_arabic(folded):
        classes = _arabic_classes(folded)
        initial_vowel = folded[0] in _INITIAL_VOWELS_ARABIC
    else:
        classes = _latin_classes(folded)
        initial_vowel = folded[0] in _INITIAL_VOWELS_LATIN
    if not classes:
        return ""
    key: list[str] = ["A"] if initial_vowel else []
    for i, cls in enumerate(classes):
        if cls == "V" or (cls in ("W", "Y") and i > 0):
            continue
        if key and key[-1] == cls:
            continue
        key.append(cls)
    if len(key) > 1 and key[-1] == "H":
        key.pop()
    return "".join(key)


# ---------------------------------------------------------------------------------------
# Units


@dataclass
class _Word:
    text: str
    start: int
    end: int
    forms: WordForms
    hyphen_before: bool


def _words(text: str) -> list[_Word]:
    words: list[_Word] = []
    prev_end = -1
    for m in _WORD_RE.finditer(text):
        start = m.start()
        hyphen = prev_end >= 0 and start - prev_end == 1 and text[prev_end] in _HYPHENS
        words.append(_Word(m.group(), start, m.end(), word_forms(m.group()), hyphen))
        prev_end = m.end()
    return words


def _name_like(word: _Word) -> bool:
    c = word.text[0]
    return c.isupper() or (c.isalpha() and not c.islower())


def _canonical_particle(word: _Word, nxt: _Word | None) -> str | None:
    """The canonical particle this word is, before the next word, or None."""
    if nxt is None or nxt.forms.folded in STOP_WORDS or not nxt.forms.folded:
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


def _particle_spelling(canon: str, arabic: bool) -> str:
    if not arabic:
        return canon
    return {"al": "ال", "bin": "بن", "bint": "بنت", "abu": "ابو", "abd": "عبد"}.get(canon, canon)


def _strip_article(folded: str) -> tuple[str, bool]:
    """("خزعلي", True) for "الخزعلي"; Latin words are returned unchanged."""
    m = _AR_ARTICLE_RE.match(folded)
    if m and folded not in _ALLAH:
        return folded[m.end():], True
    return folded, False


def units(text: str) -> list[Unit]:
    """The name units of a text, in order, with positions that skip stop words."""
    return list(_units_cached(text)) if len(text) < 4096 else _compute_units(text)


@lru_cache(maxsize=512)
def _units_cached(text: str) -> tuple[Unit, ...]:
    return tuple(_compute_units(text))


def _compute_units(text: str) -> list[Unit]:
    words = _words(text)
    out: list[Unit] = []
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
        elif not w.forms.arabic and _ABD_PREFIX.match(f):
            canon = "abd"
        elif f in _LONE_PARTICLES:
            i += 1  # a particle with no name after it matches nothing on its own
            continue
        unit = _make_unit(words, first, i, canon, exact_prefix, pos)
        i += 1
        # "Nasr Allah", "نصر الله": Allah joins the name before it.
        if i < n and words[i].forms.folded in _ALLAH and canon != "abd":
            unit = _join_allah(unit, words[i])
            i += 1
        out.append(unit)
        pos += 1
    return _split_compounds(out, words)


def _make_unit(words: list[_Word], first: int, last: int, canon: str | None,
               exact_prefix: str, pos: int) -> Unit:
    w = words[last]
    forms = w.forms
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
    keys = tuple(dict.fromkeys(k for k in (variant_key(t) for t in folded) if len(k) >= 2))
    return Unit(
        pos=pos,
        start=words[first].start,
        end=w.end,
        exact=tuple(dict.fromkeys(exact)),
        folded=tuple(dict.fromkeys(folded)),
        keys=keys,
        name_like=_name_like(w) or _name_like(words[first]),
    )


def _abd_name(folded: str, separate: str) -> str:
    """The name after "abd": "karim" for "al-Karim" or "Abdelkarim", "lah" for "Allah"."""
    if folded in _ALLAH:
        return "له" if is_arabic(folded) else "lah"
    if is_arabic(folded):
        return _strip_article(folded)[0]
    if not separate and (m := _ABD_PREFIX.match(folded)):
        rest = folded[m.end():]
        return "lah" if rest in ("lah", "llah") else rest
    return folded


def _join_allah(unit: Unit, allah: _Word) -> Unit:
    arabic = allah.forms.arabic
    suffix = "الله" if arabic else "allah"
    folded = tuple(dict.fromkeys(f + suffix for f in unit.folded))
    keys = tuple(dict.fromkeys(k for k in (variant_key(t) for t in folded) if len(k) >= 2))
    exact = tuple(dict.fromkeys((unit.exact[0] + " " + allah.forms.exact,
                                 *(e + allah.forms.exact for e in unit.exact))))
    return Unit(unit.pos, unit.start, allah.end, exact, folded, keys, unit.name_like)


def _split_compounds(out: list[Unit], words: list[_Word]) -> list[Unit]:
    """Hyphenated compounds without particles ("Iran-backed") are already separate words;
    add the joined form to the first part so "iranbacked" matches too."""
    if len(out) < 2:
        return out
    by_start = {w.start: w for w in words}
    result = list(out)
    for k in range(len(out) - 1):
        a, b = out[k], out[k + 1]
        wb = by_start.get(b.start)
        if wb is None or not wb.hyphen_before or b.start - a.end != 1:
            continue
        joined = a.folded[0] + b.folded[0]
        if joined in a.folded:
            continue
        key = variant_key(joined)
        result[k] = Unit(a.pos, a.start, a.end, a.exact, a.folded + (joined,),
                         a.keys + ((key,) if len(key) >= 2 and key not in a.keys else ()),
                         a.name_like)
    return result


def query_units(text: str) -> list[Unit]:
    """Units of a query: the same code as for documents (the one rule above the others)."""
    return units(text)
