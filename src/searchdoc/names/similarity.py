"""How close two spellings of one word are, in [0, 1]: the second stage of name matching.

The variant keys (:mod:`searchdoc.names.keys`) find candidates, loosely on purpose; this
decides whether a candidate word is the query word. Both words are compared in one
romanized form, their sound keys (consonant classes in capitals, vowels in lower case;
Arabic script writes only its long vowels), aligned by rapidfuzz's Levenshtein edit
operations, and the operations weighed: a consonant counts over a vowel; a short vowel
missing from Arabic script costs little; a final vowel added or dropped costs much (a
nisba: Sulaimani is not Sulaiman, nor سليمان; a Latin final i, o or u is a letter Arabic
script writes, and two final letters of it are two names: سالي, سالو); an initial إ is
i (إيمان is not Ayman); h is a weak consonant (Mihdhar, Midhar); a final h after a vowel
is the vowel (Haniyeh, Haniya); z and d are two readings of one letter (الظواهري,
Zawahiri), as are g and j (جمال, Gamal; but a Latin j is no ك: Jubeir is not كبير). Then
the classes are read finer: t is not d, k not g (Omid is not إيميت), and in two Latin
spellings a is not i (y between consonants is i: Sylla is not Salah), nor a diphthong a
single vowel (Ammar is not Amir, Hussein not Hassan: ا, ي).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from searchdoc.names.keys import (
    ATTACHED,
    LOOSE_PREFIX,
    ONE_SYLLABLE_CH,
    Unit,
    abd_joined,
    arabic_as_written,
    attached_rest,
    fine_consonants,
    is_arabic,
    slavic_form,
    sound_key,
    unit_keys,
    variant_keys,
)
from searchdoc.names.lexicon import arabic_ordinary_words

# Below this, a candidate word found by a variant key is not the query word: in one
# script (Mahmud is not Muhammad, Vadim not Fatima, Manal not Manila), and across Latin and
# Arabic script, which writes no short vowel (more readings of one spelling).
THRESHOLD = 0.75
THRESHOLD_ACROSS = 0.62
# ... in one script, for a name of one word: nothing else of the query says who is meant
# (Manal is not Manuel, 0.76, nor Randa Rwanda, 0.82; Gaddafi is Qaddafi, 0.89)
THRESHOLD_ALONE = 0.85


# A Latin word that is a spelling data/given_names_arabic.txt gives of a common given name
# of Arabic script is that name at least this closely (Saleh, صالح; Abdullah, عبدالله:
# their sound forms alone read them 0.79 and 0.81)
LISTED_SPELLING = 0.95


def threshold(a: str, b: str) -> float:
    """The threshold of two folded forms: one script or two."""
    return THRESHOLD_ACROSS if is_arabic(a) != is_arabic(b) else THRESHOLD

_VOWEL_CHANGE = 0.3  # a vowel written another way (Soleimani, Suleimani)
_LONG_VOWEL_CHANGE = 0.6  # ... against a long vowel Arabic script writes (Ayman, أمين)
_SHORT_VOWEL_CROSS = 0.25  # a short vowel Arabic script does not write
# ... and a long vowel it writes inside a word (ا و ي) where the Latin spelling writes no
# vowel: a letter of the name (كانوت, Kanut, is 0.88 of Kante, below كانتي); not ا before
# ي or و, a diphthong a Latin i or y may write alone (تايلر, Tyler; هايد, Hyde)
_LONG_VOWEL_CROSS = 0.5
_FINAL_VOWEL_CROSS = 0.5  # ... at the end (ة read as a vowel or not: Hamzah, حمزة)
# ... but a Latin final i, y, o or u Arabic script writes (ي, و): Arabic script that does
# not is another word, as in one script (Soleimani is not سليمان, Sami not سام)
_LATIN_FINAL_WRITTEN = frozenset("iyou")
# A final vowel Arabic script writes (ى ي و ا) and the Latin spelling does not: another
# word (a nisba, a feminine: Hamdi, Bushra), judged as strictly as within one script
# (a final vowel there costs 1 against a threshold of 0.75; across, 0.62); and in two
# spellings of Arabic script, two final letters (ي against و or ة: حمدي is not حمدة)
_FINAL_WRITTEN_CROSS = 1.25
# ... and a final vowel it writes that the Latin one is not: و (u) for a final a, i, e or
# y; ي (i, or ى: a) for a final u or o; ا (or ة, ى read a) for a final i or y. Each
# another name (سالو, Salu, is not Sally; ميليونيكو, Milioniko, not Malonga; نورا, Noura,
# not Nouri). (Not ي for a final a: Egyptian script writes a final ى as ي, مصطفي.)
_OTHER_FINAL = frozenset({("u", "a"), ("u", "i"), ("u", "e"), ("u", "y"), ("i", "u"),
                          ("i", "o"), ("a", "i"), ("a", "y")})
_VOWEL_SAME_SCRIPT = 0.8  # a vowel more or less in one script (Husayn, Hassan: a diphthong)
_FINAL_VOWEL = 1.0  # a final vowel more or less in one script: as much as a consonant
# ... an i or y after a vowel and before none, more or less in one script: the glide of a
# diphthong, ي of an Arabic name (Husayn is not Hassan): as much as a consonant
_GLIDE = 1.0
_WEAK = 0.5  # h more or less; two readings of a letter within one script
# Two readings of one letter (s and z; g and j; v, w and f; sch, ch, kh and k): cheap
# across scripts (ز, ج, ف, ش, خ), weak within one (Gamal, Jamal; Valed, Walid)
_READINGS = frozenset(frozenset(p) for p in ("SZ", "KJ", "WF", "SX", "KX", "HK", "DS", "ZD"))
_READING = 0.3
# A consonant of one class read as another sound (t and d, k and g): within one script
# a variant still (Ahmet, Ahmed), across scripts what a letter never stands for
_FINE_COST = 0.5
_FINE_COST_CROSS = 1.0
_LATIN_VOWELS = frozenset("aeiouy")
# ... and, in two Latin spellings, a vowel between the same consonants written a in one and
# i in the other, or a diphthong against a single vowel (ا against ي): as much
_VOWEL_FINE_COST = 0.5
# the class of a Latin consonant letter, to align two words' consonants
_LATIN_CLASS = {**{c: "B" for c in "bp"}, **{c: "D" for c in "dt"}, **{c: "K" for c in "cgkqx"},
                **{c: "S" for c in "sz"}, **{c: "F" for c in "fvw"}}


def unit_sounds(u: Unit) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The romanized forms a unit is compared by, with the folded form each reads: its
    sound keys (mixed case), else its strict keys, and for a Latin word its letters
    (consonants in capitals, doubles as one); a final h after a vowel read as that vowel.
    The word joined with the next one (two Arabic names side by side, a hyphenated
    compound) is compared as itself, by its own keys, and lends none to the word: من
    ("from") joined with the next word carries the consonants MNSK, and is no "Minsky".
    A final ى (alef maqsura, folded as ي: i) and a final ة (ta marbuta, folded as ه: h)
    are also read a, as written: هدى is Huda, موسى Musa, حمزة Hamza; a final يه (ه, not ة)
    also i, the é of a French or Spanish name: رينيه is René. A name ending in الله is
    also read as Latin script writes it (:func:`_read_allah`). A word that is abd joined
    to a name with its article is also read without the article, as the index folds it
    (:func:`searchdoc.names.keys.abd_joined`: Abdulaziz and عبدالعزيز as abdaziz, عبدعزيز).
    """
    sounds = _sounds(u.folded, tuple(u.keys))
    if u.exact[0][-1:] >= "\u0629" and (m := _FINAL_A.search(u.exact[0])) is not None:
        sounds = _read_final_a(sounds, "i" if m.group(1) == "\u0649" else "H")
    elif _FINAL_E_WRITTEN.search(u.exact[0]):
        sounds = _read_final_e_written(sounds)
    elif len(u.folded[0]) > 4 and u.folded[0].endswith("\u0627\u0644\u0644\u0647"):
        sounds = _read_allah(sounds)
    if (canon := abd_joined(u.folded[0])) is not None:
        return _with_abd_joined(sounds, canon)
    return sounds


@lru_cache(maxsize=1 << 12)
def _with_abd_joined(sounds: tuple[tuple[str, tuple[str, ...]], ...], canon: str,
                     ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return (*sounds, (canon, _forms(canon, _form_keys(canon))))


@lru_cache(maxsize=1 << 12)
def _read_allah(sounds: tuple[tuple[str, tuple[str, ...]], ...],
                ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A name ending in الله also read as Latin script writes it: the article's alef a
    short vowel it writes as it is spoken, u, o, a or e, and the final ه the vowel before
    it (نصرالله: Nasrallah, Nasrullah, Nasrollah; حبيب الله: Habibullah)."""
    (first, forms), *rest = sounds
    read = tuple(f[:-3] + "La" for f in forms if f.endswith("aLH"))
    return ((first, tuple(dict.fromkeys(forms + read))), *rest)


# a final ى or ة, and the marks that may follow it
_FINAL_A = re.compile("([\u0649\u0629])[\u064b-\u065f\u0670]*$")
# a final يه (ه, not ة): also the é of a French or Spanish name (René, رينيه; José)
_FINAL_E_WRITTEN = re.compile("\u064a\u0647[\u064b-\u065f\u0670]*$")


@lru_cache(maxsize=1 << 12)
def _read_final_e_written(sounds: tuple[tuple[str, tuple[str, ...]], ...],
                          ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    (first, forms), *rest = sounds
    read_e = tuple(f[:-1] for f in forms if f.endswith("ia"))
    return ((first, tuple(dict.fromkeys(forms + read_e))), *rest)


@lru_cache(maxsize=1 << 12)
def _read_final_a(sounds: tuple[tuple[str, tuple[str, ...]], ...], folded_as: str,
                  ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    (first, forms), *rest = sounds
    read_a = tuple(f[:-1] + "a" for f in forms if f.endswith(folded_as))
    return ((first, tuple(dict.fromkeys(forms + read_a))), *rest)


@lru_cache(maxsize=1 << 14)
def _sounds(folded: tuple[str, ...], all_keys: tuple[str, ...],
            ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    first = folded[0]
    slavic = slavic_form(first)
    if slavic is not None:
        # (the keys of its form in the Russian system find candidates; the form itself is
        # compared apart, letter by letter: Hubaryev is Gubarev, not Kubarev)
        own = frozenset(_form_keys(first))
        all_keys = tuple(k for k in all_keys if k in own or k not in _form_keys(slavic))
    # the word as written, where an attached و ب ف ك and the article were taken off
    # (فالانا is Falana, or "and the I"): as itself
    whole = tuple((f, _forms(f, _form_keys(f))) for f in folded[1:]
                  if len(f) > len(first) + 2 and f.endswith(first) and is_arabic(f))
    joined = [f for f in folded[1:] if len(f) > len(first) and f.startswith(first)]
    if not joined:
        return ((first, _forms(first, (*all_keys, sound_key(first)))), *whole)
    theirs = {k for f in joined for k in _form_keys(f)}
    mine = {k for f in folded if f not in joined for k in _form_keys(f)}
    keys = tuple(k for k in all_keys if k in mine or k not in theirs)
    return ((first, _forms(first, (*keys, sound_key(first)))), *whole,
            *((f, _forms(f, _form_keys(f))) for f in joined))


@lru_cache(maxsize=1 << 14)
def _form_keys(folded: str) -> tuple[str, ...]:
    return (*(k for k in variant_keys(folded) if len(k) >= 2), sound_key(folded))


@lru_cache(maxsize=1 << 14)
def _forms(folded: str, all_keys: tuple[str, ...]) -> tuple[str, ...]:
    # (not a folded form given among the keys, nor the key of the word joined with the
    # next one: longer than the word)
    keys = [k for k in all_keys if not k.startswith(LOOSE_PREFIX)
            and any(c.isupper() for c in k) and len(k) <= len(folded) + 2]
    sound = [k for k in keys if any(c.islower() for c in k)] or keys
    if is_arabic(folded):
        # (Arabic script writes each consonant: a reading that merges two letters into
        # one, ث read as s beside ص, is no reading of the word: صثصصك is not "Sik")
        least = sum(c.isupper() for c in sound_key(folded))
        sound = [k for k in sound if sum(c.isupper() for c in k) >= least] or sound
    if folded.isascii() and folded.isalpha():
        letters = "".join(c if c in _LATIN_VOWELS else c.upper() for c in folded)
        sound.append("".join(c for i, c in enumerate(letters) if i == 0 or c != letters[i - 1]))
    out = []
    for k in sound:
        if len(k) > 1 and k[-1] == "H" and k[-2].islower():
            k = k[:-1] if k[-2] == "a" else k[:-1] + "a"
        out.append(k)
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=1 << 14)
def _weight(s: str) -> float:
    return sum(0.5 if c.islower() else 1.0 for c in s)


@lru_cache(maxsize=1 << 16)
def form_similarity(a: str, b: str, cross: bool, a_arabic: bool = False) -> float:
    """The similarity of two sound forms, `a` the query's, `b` the document's; `cross`:
    they come from two scripts (`a_arabic`: `a` is the Arabic one; in one script, both
    are). The same either
    way: of the two alignments rapidfuzz
    gives (from `a` to `b`, from `b` to `a`: among alignments of as many edits it takes
    one, and a cheap reading, الظواهري and Zawahiri's d and z, may be in the other), the
    cheaper."""
    if a == b:
        return 1.0
    cost = min(_cost(a, b, cross, a_arabic), _cost(b, a, cross, a_arabic != cross))
    return max(0.0, 1.0 - cost / max(_weight(a), _weight(b), 1.0))


def _cost(a: str, b: str, cross: bool, a_arabic: bool) -> float:
    """What the edits of rapidfuzz's alignment from `a` to `b` cost."""
    from rapidfuzz.distance import Levenshtein  # (imported when a variant is judged)

    cost = 0.0
    for op in Levenshtein.editops(a, b):
        if op.tag == "replace":
            x, y = a[op.src_pos], b[op.dest_pos]
            final = op.src_pos == len(a) - 1 and op.dest_pos == len(b) - 1
            # (across scripts, the Arabic form's letter and the Latin one's)
            ar, lat = (x, y) if a_arabic else (y, x)
            if x.islower() and y.islower():
                edge = op.src_pos in (0, len(a) - 1) or op.dest_pos in (0, len(b) - 1)
                if final and ((cross and (ar, lat) in _OTHER_FINAL) or (a_arabic and not cross)):
                    # (a final vowel Arabic writes against another: Salu, سالو, is not
                    # Sally; and two final letters of Arabic script, سالي and سالو)
                    cost += _FINAL_WRITTEN_CROSS
                else:
                    cost += _LONG_VOWEL_CHANGE if cross and not edge else _VOWEL_CHANGE
            elif frozenset((x, y)) in _READINGS:
                # (ج is j and g, never a Latin j ك or ق: Jubeir is not كبير, "big")
                cost += (1.0 if lat == "J" and "K" in (x, y) else _READING) if cross else _WEAK
            elif "H" in (x, y):
                # (a final ة or ه is no Latin final i, y, o or u: نورة, Noura, is not Nouri;
                # nor a final vowel letter of Arabic script, حمدة no حمدي)
                if final and ((cross and ar == "H" and lat in _LATIN_FINAL_WRITTEN)
                              or (a_arabic and not cross and (x.islower() or y.islower()))):
                    cost += _FINAL_WRITTEN_CROSS
                else:
                    cost += _WEAK
            else:
                cost += 1.0
            continue
        if op.tag == "delete":
            word, pos, written = a, op.src_pos, a_arabic
        else:
            word, pos, written = b, op.dest_pos, not a_arabic
        ch, last = word[pos], pos == len(word) - 1
        if ch.islower():
            if not cross and ch in "iy" and pos and word[pos - 1] in _LATIN_VOWELS \
                    and word[pos + 1:pos + 2] not in _LATIN_VOWELS:
                cost += _GLIDE
            elif cross:
                # (a final vowel Arabic script writes, ى ي و ا, is a letter of the name:
                # Bushra, بشرى, is not Bashar)
                cost += (_FINAL_WRITTEN_CROSS if written or ch in _LATIN_FINAL_WRITTEN
                         else _FINAL_VOWEL_CROSS) if last \
                    else _LONG_VOWEL_CROSS if written and pos and word[pos + 1] not in "iu" \
                    else _SHORT_VOWEL_CROSS
            else:
                cost += _FINAL_VOWEL if last else _VOWEL_SAME_SCRIPT
        elif ch == "H":
            cost += _WEAK
        else:
            cost += 1.0
    return cost


@lru_cache(maxsize=1 << 16)
def fine_differences(a: str, b: str) -> int:
    """How many consonants of one class the two folded words read as different sounds
    (t and d, k and g: Dalal is not طلال, Heidari not هوتارو), their consonants aligned
    by class."""
    from rapidfuzz.distance import Levenshtein

    both = is_arabic(a) and is_arabic(b)
    fa, fb = fine_consonants(a, both), fine_consonants(b, both)
    differ = 0
    for op in Levenshtein.opcodes("".join(c for c, _f in fa), "".join(c for c, _f in fb)):
        if op.tag == "equal":
            for (_c, x), (_d, y) in zip(fa[op.src_start:op.src_end],
                                        fb[op.dest_start:op.dest_end]):
                differ += x is not None and y is not None and not x & y
    return differ


_LATIN_SYLLABLES = re.compile(r"[aeiou]+|[^aeiou]+")
_CH = re.compile(r"[st]?ch")
_GLIDE_Y = re.compile(r"(?<=[aeou])y(?![aeiou])")  # y closing a diphthong: Husayn, Husain
_VOWEL_Y = re.compile(r"(?<=[^aeiouy])y(?=[^aeiouy])")  # y between consonants: i (Sylla)


@lru_cache(maxsize=1 << 14)
def _latin_frame(folded: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A Latin word's consonant groups (each as the classes of its letters, a letter
    written twice as one) and the vowel groups between them (not before the first nor
    after the last)."""
    parts = _LATIN_SYLLABLES.findall(_VOWEL_Y.sub("i", _GLIDE_Y.sub("i", folded)))
    if parts and parts[0][0] in "aeiou":
        parts = parts[1:]
    cons, vowels = [], []
    for k, part in enumerate(parts):
        if part[0] in "aeiou":
            if k + 1 < len(parts):
                vowels.append(part)
        else:  # (ch as sh, as French and Arabic in French write it: Michel, Aicha; tch)
            cls = "".join(_LATIN_CLASS.get(c, c) for c in _CH.sub("sh", part))
            cons.append("".join(c for i, c in enumerate(cls) if i == 0 or c != cls[i - 1]))
    return tuple(cons), tuple(vowels)


def _vowel_class(group: str) -> str:
    """a, a written long ("A": aa), i (ee), a diphthong ("d": ai, ei, oi), another single
    vowel ("o": o, u), e (which writes a and i alike) or "" (other groups)."""
    if set(group) == {"a"}:
        return "a" if len(group) == 1 else "A"
    if set(group) == {"i"} or group == "ee":
        return "i"
    if len(group) == 2 and group[0] in "aeo" and group[1] == "i":
        return "d"
    return "o" if group in ("o", "u", "oo", "ou") else "e" if group == "e" else ""


# vowel classes that are two letters of Arabic script: ا against ي, a diphthong (its
# glide ي) against a single vowel; and a written long (ا, or the ayn of Meshaal, مشعل)
# against e, which writes no long vowel (Michel)
_OTHER_VOWELS = frozenset(frozenset(p) for p in (
    ("a", "i"), ("d", "a"), ("d", "o"), ("A", "i"), ("d", "A"), ("A", "e")))


_FINAL_VOWELS = re.compile(r"(?<=[^aeiouy])y$|[aeiou]+(?=h?$)")


def _final_vowel(folded: str) -> str:
    """The class of a Latin word's final vowel: "a" (a, aa, ah), "i" (i, y after a
    consonant, ee, ai), "o" (o, u, ou); "" for e (Hamzeh is Hamza, Marie Maria) and a
    final consonant."""
    m = _FINAL_VOWELS.search(folded)
    if m is None or m.start() == 0:
        return ""
    last = m.group()[-1]
    return "i" if last in "iy" else "o" if last in "ou" else "a" if last == "a" else ""


@lru_cache(maxsize=1 << 16)
def vowel_differences(a: str, b: str) -> int:
    """How many vowels inside two Latin words are a against i (ا against ي in an Arabic
    name: Jamil is not Jamal, Amir not Ammar), or a diphthong against a single vowel but i
    (its glide is ي: Hussein is not Hassan, Faisal not Fasal), their consonant groups
    aligned; e is a and i alike and counts for nothing. And whether one final vowel is i and
    the other a or o (ي against ا, ة or و at the end of an Arabic name: Sally is not Salah,
    Shukri not Shukria; not a against o, which Belarusian writes for a Russian o:
    PAULICHENKA, Pavliuchenko)."""
    from rapidfuzz.distance import Levenshtein

    fa, fb = _final_vowel(a), _final_vowel(b)
    differ = int(fa != fb and "i" in (fa, fb) and "" not in (fa, fb))
    (ca, va), (cb, vb) = _latin_frame(a), _latin_frame(b)
    if not va or not vb:
        return differ
    for op in Levenshtein.opcodes(list(ca), list(cb)):
        if op.tag == "equal":
            for i, j in zip(range(op.src_start, op.src_end), range(op.dest_start, op.dest_end)):
                if i < len(va) and j < len(vb):
                    x, y = _vowel_class(va[i]), _vowel_class(vb[j])
                    differ += frozenset((x, y)) in _OTHER_VOWELS
    return differ


def syllable_j(a: str, b: str) -> tuple[str, str] | None:
    """Two folded Latin words of one syllable, one starting with ch and the other with j
    or zh (Chong and Jong, Chang and Zhang: one syllable of a Korean or Chinese name in two
    romanizations), each written with j, and eo and eu as o and u (the Revised
    Romanization's Jeong is McCune-Reischauer's Chong): ("jong", "jong"); else None."""
    m = ONE_SYLLABLE_CH.fullmatch(a)
    n = ONE_SYLLABLE_CH.fullmatch(b) if m else None
    if m is None or n is None or (m.group(1) == "ch") == (n.group(1) == "ch"):
        return None
    return ("j" + _KOREAN_VOWELS.sub(r"\1", m.group(2)),
            "j" + _KOREAN_VOWELS.sub(r"\1", n.group(2)))


_KOREAN_VOWELS = re.compile(r"e([ou])")


@lru_cache(maxsize=1 << 16)
def _best(a: str, b: str, forms_a: tuple[str, ...], forms_b: tuple[str, ...]) -> float:
    """The best similarity of two folded words' forms, less what their consonants of one
    class that differ in sound cost. Two syllables of a Korean or Chinese name whose
    initial one romanization writes ch and the other j (:func:`syllable_j`) and whose
    vowels agree are compared with j, less a weak consonant's cost: Chong is Jong (0.86),
    Chin Jin (0.8), but not as closely as a name of one word asks alone (THRESHOLD_ALONE:
    Chan is not Jan); Chong is not Jang (정, 장)."""
    alike = syllable_j(a, b)
    own = _best_forms(a, b, forms_a, forms_b)
    if alike is None:
        return own
    ja, jb = alike
    read = _best_forms(ja, jb, _forms(ja, _form_keys(ja)), _forms(jb, _form_keys(jb)))
    if read < _SYLLABLE_SAME:
        return own
    return max(own, read - _WEAK / max(_weight(sound_key(ja)), 1.0))


# ... as close as two spellings of one syllable are, written with j (Jong, Jung: o and u
# are one vowel of Latin script; not Jong, Jang)
_SYLLABLE_SAME = 0.95


def _best_forms(a: str, b: str, forms_a: tuple[str, ...], forms_b: tuple[str, ...]) -> float:
    cross = is_arabic(a) != is_arabic(b)
    best, weight = _closest_forms(forms_a, forms_b, cross, is_arabic(a) and is_arabic(b) != cross)
    e_a = cross and _FINAL_E.search(a) is not None
    e_b = cross and not e_a and _FINAL_E.search(b) is not None
    if e_a or e_b:
        # (a Latin final e read as é: in a reading of its own, a little less close, and
        # only where it makes a close spelling: it rescues no loose one, Buthe, البيضاوي)
        sim, w = _closest_forms(_read_final_e(forms_a) if e_a else forms_a,
                                _read_final_e(forms_b) if e_b else forms_b, cross, is_arabic(a))
        if sim - _E_READ > max(best, THRESHOLD - 1e-9):
            best, weight = sim - _E_READ, w
    if best <= 0.0:
        return 0.0
    differ = fine_differences(a, b) * (_FINE_COST_CROSS if cross else _FINE_COST)
    if not cross and a.isascii() and b.isascii():
        differ += vowel_differences(a, b) * _VOWEL_FINE_COST
    return max(0.0, best - differ / weight) if differ else best


def _closest_forms(forms_a: tuple[str, ...], forms_b: tuple[str, ...], cross: bool,
                   a_arabic: bool) -> tuple[float, float]:
    """The best similarity of two words' forms, and the weight of the pair that gave it."""
    best, weight = 0.0, 1.0
    for x in forms_a:
        for y in forms_b:
            sim = form_similarity(x, y, cross, a_arabic)
            if sim > best:
                best, weight = sim, max(_weight(x), _weight(y), 1.0)
    return best, weight


# a Latin word's final e after a consonant: silent (Anne, آن) or é (Kante, كانتي)
_FINAL_E = re.compile(r"[^aeiouy]e$")
_E_READ = 0.1  # ... what reading it é costs


def _read_final_e(forms: tuple[str, ...]) -> tuple[str, ...]:
    """The forms of a Latin word ending in a consonant and e, each with that e read i
    where its sound form dropped it (KaND: KaNDi): Arabic script writes the é of a French
    or Spanish name (Kanté, René, José) as ي or يه."""
    return tuple(f + "i" for f in forms if f[-1:].isupper() and f + "i" not in forms)


def key_similarity(a: tuple[str, Iterable[str]], b: tuple[str, Iterable[str]]) -> float:
    """:func:`similarity` of two name units given as (folded form, keys), as the entities
    keep them (searchdoc.names.agree)."""
    (fa, ka), (fb, kb) = a, b
    if fa == fb:
        return 1.0
    return _best(fa, fb, _forms(fa, tuple(sorted(ka))), _forms(fb, tuple(sorted(kb))))


def similarity(a: Unit, b: Unit, named: bool = False) -> float:
    """:func:`_read_similarity` of a query word `a` and a document's word `b`, or, where
    `b` is a word of Arabic script with a particle written joined to it (و "and", ف, ب,
    ل: ونتنياهو, لأوباما; :func:`searchdoc.names.keys.attached_rest`), of `a` and the name
    after the particle, a little less close (ATTACHED_COST), where that is as close as a
    name of one word asks (THRESHOLD_ALONE: one reading more makes more words alike,
    بيفان no "Iofan"): whichever is closer."""
    sim = _read_similarity(a, b, named)
    if sim < 1.0 and b.exact[0][:1] in ATTACHED and (rest := _attached(b)) is not None \
            and not (is_arabic(a.folded[0]) and a.folded[0][:1] == b.folded[0][:1]):
        read = _read_similarity(a, rest, named)
        if read >= THRESHOLD_ALONE:
            sim = max(sim, read - ATTACHED_COST)
    return sim


def attached_similarity(a: Unit, b: Unit, named: bool = False) -> float:
    """How close a query word `a` is to the name after a particle joined to `b` (0 where
    `b` has none, or where it is not as close as a name of one word asks): for a word of
    a document found only by the keys of that name (بيفان for "Iofan" by يفان's: as a
    word of its own, 0.69, it would pass the threshold across scripts it was not found by)."""
    rest = _attached(b)
    if rest is None:
        return 0.0
    read = _read_similarity(a, rest, named)
    return read - ATTACHED_COST if read >= THRESHOLD_ALONE else 0.0


# what reading a name after a particle joined to it costs: the name written alone first
ATTACHED_COST = 0.02


def _attached(b: Unit) -> Unit | None:
    rest = attached_rest(b.exact[0], b.folded[0])
    return None if rest is None else _rest_unit(rest)


@lru_cache(maxsize=1 << 12)
def _rest_unit(rest: str) -> Unit | None:
    from searchdoc.names.keys import units

    found = units(rest)
    return found[0] if len(found) == 1 else None


def _read_similarity(a: Unit, b: Unit, named: bool = False) -> float:
    """:func:`_read_similarity_of` the two units' forms and keys (all it reads of them:
    a word met again, at another place or in another passage, is not compared again)."""
    return _read_similarity_of((a.exact, a.folded, a.keys), (b.exact, b.folded, b.keys), named)


# a unit's exact forms, folded forms and keys
_Forms = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]


@lru_cache(maxsize=1 << 14)
def _read_similarity_of(a_forms: _Forms, b_forms: _Forms, named: bool) -> float:
    """How close a query word `a` and a document's word `b` (units) are as spellings of one
    name, in [0, 1]: the best of their romanized forms, less the consonants of one class
    they read as different sounds; 1 for the same folded form. Across scripts, a word of
    Arabic script that is a common given name (data/given_names_arabic.txt) is that name:
    a Latin word that spells none of its Latin spellings as closely as one script asks
    (THRESHOLD) is not it (حسين is Husayn, 0.79 of "Hasan" by its sound, and "Hasan" is
    0.60 of Husayn; محمد is Muhammad, and "Mahmoud" 0.745 of Muhammad), and is then as
    close to it as to that name, on the scale of the threshold across scripts; a Latin word
    that is one of those spellings is it at least LISTED_SPELLING closely. A document's
    word of Arabic script that is a common word of Arabic or Persian
    (data/ordinary_words_arabic.txt: والبيانات "and the data", ارسل "sent", كلف "cost") is
    that word: a Latin query word is it only where as close as a name of one word in one
    script asks (THRESHOLD_ALONE: "Bennett" is 0.81 of بيانات), on the same scale; unless
    the document states or introduces it as a name (`named`: a record's name, a stated
    name, a title that is a name, the word after a title or اسم: "France", فرنسا)."""
    a = Unit(0, 0, 0, a_forms[0], a_forms[1], a_forms[2], True)
    b = Unit(0, 0, 0, b_forms[0], b_forms[1], b_forms[2], True)
    if set(a.folded) & set(b.folded):
        return 1.0
    if is_arabic(a.folded[0]) != is_arabic(b.folded[0]) and (
            _PLURAL_NISBA.search(a.folded[0]) or _PLURAL_NISBA.search(b.folded[0])):
        # (a plural of a nisba is no name: الحوثيين, "the Houthis", is 0.93 of Hussein by
        # its sound, ث read s)
        return 0.0
    sim = _similarity(a, b)
    if sim < 1.0 and a.folded[0].isascii() and b.folded[0].isascii():
        # (an East Slavic name written by two Latin systems: each in the Russian one's form)
        sa, sb = slavic_form(a.folded[0]), slavic_form(b.folded[0])
        if sa or sb:
            sim = max(sim, _similarity(_plain(sa or a.folded[0]), _plain(sb or b.folded[0])))
    if sim > 0.0 and a.folded[0].count(_AYN) != b.folded[0].count(_AYN) \
            and is_arabic(a.folded[0]) and is_arabic(b.folded[0]):
        # (the romanized forms drop ع, which Latin script often does not write: Abadi,
        # العبادي; Arabic script writes it, and a word without it is another: بادي)
        sim = max(0.0, sim - 1.0 / max(_weight(sound_key(a.folded[0])),
                                       _weight(sound_key(b.folded[0])), 1.0))
    if sim >= THRESHOLD_ACROSS and is_arabic(a.folded[0]) != is_arabic(b.folded[0]):
        arabic, latin = (a, b) if is_arabic(a.folded[0]) else (b, a)
        if latin.folded[0][:1] == "a" and _HAMZA_BELOW.match(arabic.exact[0]):
            # (إ writes i: إيمان, "faith", Iman, is not Ayman, nor إياد Ayad)
            sim = max(0.0, sim - 1.0 / _weight(sound_key(latin.folded[0])))
        unwritten = _unwritten_ya(latin.folded[0], arabic.exact[0])
        if unwritten > 0:
            # (a Latin y before a vowel, a diphthong's glide and ee are ي: جوبر, Jobar, is
            # not Jubeir, الجبير; حانة, "tavern", not Haniyeh, هنية; سلمان not Sulaiman)
            sim = max(0.0, sim - unwritten / _weight(sound_key(latin.folded[0])))
        names = [n for f in arabic.folded for n in _arabic_given_names().get(f, ())]
        if names and any(set(n.folded) & set(latin.folded) for n in names):
            return max(sim, LISTED_SPELLING)
        if names:
            own = max(_similarity(latin, n) for n in names)
            if own < THRESHOLD:
                return min(sim, own * THRESHOLD_ACROSS / THRESHOLD)
        elif not names and arabic is b and not named and sim < THRESHOLD_ALONE \
                and arabic_as_written(b.exact[0]) in arabic_ordinary_words():
            return sim * THRESHOLD_ACROSS / THRESHOLD_ALONE
    return sim


_AYN = "\u0639"
# a word of Arabic script ending in يين (three letters before it at least): the plural of
# a nisba, "the Syrians", "the Houthis" (السوريين، الحوثيين), never a name
_PLURAL_NISBA = re.compile("^[\u0621-\u064a]{3,}\u064a\u064a\u0646$")
# an initial إ (its article and the letters attached before it aside): a vowel i, never a
_HAMZA_BELOW = re.compile("(?:[\u0648\u0641]?[\u0628\u0643\u0644]?(?:\u0627\u0644)?|[\u0648\u0641]?\u0644\u0644)\u0625")


# The letters of a Latin word Arabic script writes ي: a y before a vowel (Yasser, Maryam,
# Haniyeh, Sayyid: one) and ee (Hameed, حميد; Hamid is also حامد), and the glide of a
# diphthong, ai, ay, ei or ey before no vowel (Husayn, Jubeir, Khamenei; not oi, French
# "wa": Francois, فرانسوا, nor the French endings aine, aint: Verlaine, فرلان)
_LATIN_YA = re.compile(r"(y+(?=[aeiou])|ee)|(?<=[ae])[iy](?![aeiouy]|n(?:e|ts?)$)")
_ARABIC_YA = frozenset("\u064a\u0649\u0626\u06cc\u06d0\u06cd\u06d2")  # ي ى ئ ی, as written
# ... the glide also the ayn or hamza a Latin ai may stand for (القاعدة, al-Qaida; تعز, Taiz)
_ARABIC_GLIDE = frozenset("\u0639\u0621")


def _unwritten_ya(latin: str, written: str) -> int:
    """How many letters of a Latin word that Arabic script writes ي (_LATIN_YA) the
    word of Arabic script, as written, has no letter for."""
    consonants, glides = _latin_ya(latin)
    if not consonants and not glides:
        return 0
    ya = sum(c in _ARABIC_YA for c in written)
    other = sum(c in _ARABIC_GLIDE for c in written)
    return max(0, consonants - ya, consonants + glides - ya - other)


@lru_cache(maxsize=1 << 14)
def _latin_ya(folded: str) -> tuple[int, int]:
    if not folded.isascii():
        return 0, 0
    found = [m.group(1) is not None for m in _LATIN_YA.finditer(folded)]
    return sum(found), len(found) - sum(found)


def joined_similarity(q: Unit, w: Unit) -> float:
    """How close a passage word `w` is to two query words run together (`q`: "Shamsuddin"
    for "Shams al-Din"): compared with the spellings of `w` joined with the next word where
    it has them (a compound, "Mohammad-Ali"), else with `w` itself. (Not with the first
    word of a compound alone: محمد of "محمد ولي" is 0.87 of "محمد علي" run together.)"""
    sounds = unit_sounds(w)
    if len(sounds) > 1:
        first = sounds[0][0]
        joined = [(y, fy) for y, fy in sounds[1:] if y.startswith(first)]
        if joined:
            return max(_best(x, y, fx, fy) for x, fx in unit_sounds(q) for y, fy in joined)
    return similarity(q, w)


@lru_cache(maxsize=1 << 12)
def _plain(folded: str) -> Unit:
    """A unit of one folded Latin form and its keys."""
    return Unit(0, 0, 0, (folded,), (folded,), unit_keys((folded,)), True)


def _similarity(a: Unit, b: Unit) -> float:
    return max(_best(x, y, fx, fy) for x, fx in unit_sounds(a) for y, fy in unit_sounds(b))


@lru_cache(maxsize=1)
def _arabic_given_names() -> dict[str, tuple[Unit, ...]]:
    """The common given names as Arabic script writes them (folded as a unit is), each
    with the units of its Latin spellings."""
    from searchdoc.names.keys import units
    from searchdoc.names.lexicon import ARABIC_GIVEN_NAMES

    out: dict[str, tuple[Unit, ...]] = {}
    for arabic, latin in ARABIC_GIVEN_NAMES.items():
        found = units(arabic)
        if found:
            out[found[0].folded[0]] = tuple(u for name in latin.split() for u in units(name)[:1])
    return out
