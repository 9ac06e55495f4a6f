"""Query text -> per query word, the terms that match it, each weighted -> ranked,
explained hits.

Each query unit (see :mod:`searchdoc.names.keys`, the same code the index used) is
looked for in several forms: the word as written in the passage text, its folded form,
its spelling-variant keys, and the title, section and citation fields. Each term is
boosted by how close a match it is (exact beats folded beats a variant key; the key with
vowels beats the consonant skeleton, which beats the loose one) times its IDF, and
scored by BM25's term-frequency and length factor (:func:`_rank`): a passage scores the
sum, over the query's words, of the best evidence it holds for each. The postings are
read from the store (:mod:`searchdoc.store`) and scored here, term by term, in one pass. A passage that
holds the whole query as a phrase is raised by PHRASE_FACTOR. Ordinary words (frequent
in the collection) are searched in the text only, and variant keys shared by very many
passages not at all. Only the hits returned are explained word by word (which word of
the passage each query word matched).
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as _field
from functools import cached_property, lru_cache
from itertools import combinations, pairwise, repeat
from operator import neg
from typing import Any

from searchdoc.entities.lookup import AliasName, EntityIndex, Expansion
from searchdoc.explain import MAX_QUERY_UNITS, PHRASE_GLUE, query_keys
from searchdoc.models import Hit, Match, Passage
from searchdoc.names.keys import (
    LOOSE_PREFIX,
    PARTICLES,
    Unit,
    arabic_as_written,
    capitalized,
    exact_words,
    fold,
    is_arabic,
    iter_units,
    joined,
    name_units,
    query_units,
    rest_keys,
    surname_honorific,
    units,
    variant_key,
    word_spans,
    word_unit,
    word_units,
)
from searchdoc.names.lexicon import (
    ARABIC_KIN,
    ARABIC_KIN_WORDS,
    ARABIC_NAME_CUES,
    EUROPEAN_PARTICLES,
    HONORIFICS,
    KIN,
    KIN_WORDS,
    PATRONYMIC,
    arabic_ordinary_words,
    english_words,
    ordinary_words,
    organization_words,
)
from searchdoc.names.order import listing_order
from searchdoc.store import LENGTHS, Reader, passage_from_stored, stated_names

ALIAS_WEIGHT = 0.5
ALIAS_SOURCE_DECAY = 0.8  # each further alias hit of one source counts this much less

# How much a query word counts towards the match quality, by how it matched (wherever
# in the document: the text, a heading, the title, a name the document states).
QUALITY = {
    "exact": 1.0,
    "folded": 0.85,
    "variant": 0.8,
    "citation": 0.3,
}
# Variant keys by kind (see names.keys.variant_keys): the key with vowels says more than
# the consonant skeleton, the loose skeleton least.
Q_SOUND_KEY = 0.85
Q_LOOSE_KEY = 0.6


# A query word whose exact form is in more passages than this is an ordinary word, not
# a name: its spelling variants are not searched (they would only add noise and time).
COMMON_DF_FRACTION = 0.01
COMMON_DF_MIN = 1000
# Words that may stand between the words of a phrase: stop words and name particles.
PHRASE_FACTOR = 1.5
# Variant keys shared by more passages than this share of `common` are not searched.
VARIANT_DF_SHARE = 0.5
# Loose keys and keys of two letters: a smaller share (they say less, and cost as much).
WEAK_KEY_DF_SHARE = 0.1
# ... but in a query of several words, a key over these shares and in no more than this
# share of the passages is searched gated: it counts only in a passage that holds a term
# of another word of the query, and never brings a passage alone. A common name's key in
# a large collection (HLD of Khaled and خالد, SL of Saleh and صالح in a year of Arabic
# news) is the only way its Latin spelling reaches the Arabic text, and beside the
# family name's it says much.
GATED_DF_SHARE = 0.2
# (the commonest words of Arabic text: a collection in which none is has no text in Arabic
# script, and the loose keys of a Latin word are not searched gated there)
ARABIC_PROBES = ("\u0641\u064a", "\u0645\u0646", "\u0645\u062d\u0645\u062f")  # في من محمد
# ... and a passage word found by gated keys only stands within this many words of a word
# of another query word (a name's words stand together; one common name's key alone in
# a long text is a preposition, a prayer, "instead": على, الصلاة, بدلا)
NEXT_TO = 2
# BM25's term-frequency saturation and length normalization (the IDF is in the boosts).
BM25_K1 = 0.3
BM25_B = 0.1
# How many hits are ranked and judged, per hit asked for (the phrase bonus can
# reorder them).
DEPTH_FACTOR = 3
DEPTH_MIN = 30
# ... and when candidates were set aside (namesakes, look-alikes), up to this many times
# four times deeper
MAX_DEEPER = 1
TIERS = ("exact", "folded", "variant", "citation")
_VARIANT = TIERS.index("variant")
_NO_TIER = len(TIERS)
# A document whose title or stated names hold the query is about that name: what its
# names field matches counts this much again.
ABOUT_WEIGHT = 0.5
# ... and a document one of whose names agrees with the query (its names hold every query
# word, in a close spelling or another script, and the query most of that name) is about
# that person: its passages rank above passages that only mention the name, as a phrase
# (PHRASE_FACTOR) included.
ABOUT_FACTOR = 2.0
# ... and one whose name begins with the query's first word and ends with its last (a
# longer full name of the person) above a namesake's whose name holds them elsewhere
ALIGNED_FACTOR = 1.25
# ... and a document one of whose names is the query's name, with no word of its own,
# above one whose agreeing name adds a word (the son's "Ali Barzan Ibrahim Hasan
# AL-TIKRITI", whose record says "son of Barzan Ibrahim Hasan al-Tikriti", below the
# father's "AL-TIKRITI, Barzan Ibrahim Hassan")
NAMED_FACTOR = 2.0
# A passage that holds every word of a name of several words (in any spelling or script)
# ranks above one that holds part of it as written, whatever their lengths
COMPLETE_FACTOR = 1.25
# A hit holds at least this share of the evidence a document holding every query word as
# written would hold (each word weighed by its IDF in the text or in the names, where it
# is in more passages: a list writes its names in its records' names, not their text; a
# word of no document as rare as can be; see QueryPlan.coverage): one common given name of
# a full name is not a hit.
MIN_COVERAGE = 0.3
COVERAGE_POWER = 1.0  # a word weighs its IDF to this power: rare words say who is meant
# ... or at least this share of one of its document's names (every word of the name)
MIN_NAME_COVERAGE = 0.75
MAX_NAMES_JUDGED = 8
# A hit holding only some of the query's words, every one in another spelling, holds at
# least this name score (half the name, in close spellings): else it is a look-alike of a
# part of the name ("Arin" for "Iran", a made-up word for an Arabic one), no hit.
MIN_LOOSE_SCORE = 0.4
# ... half the name, when every word found is in the other script (a made-up "Telmun" is
# تعلمون "you know" at 0.95: Arabic script writes no short vowel, more words read alike)
MIN_LOOSE_SCORE_ACROSS = 0.5
# A hit for a query of names (every word that is not optional capitalized, or in Arabic
# script) holds at least this name score: one word of a name of six is not the person
# ("WALI, Mohammad" for "Mohammed Qasim Mir Wali Khudai Rahim")
MIN_NAME_SCORE = 0.2
STORED_KEPT = 256  # documents whose stored fields a query keeps while it judges them
NAME_SCORE_FOLDED = 0.95  # a word matched by the same letters (case, accents) in a name score
NAME_SCORE_ALIAS = 0.5  # a hit found through another name of the person the query names
# A word of the query answered in the other script: no more than this less closely than
# the closest answer of it in the other script (see _closest_across)
ACROSS_MARGIN = 0.15
_TEXT_FIELDS = frozenset({"body", "folded", "variant"})


@dataclass(frozen=True)
class _Candidate:
    passage: Passage
    score: float
    quality: float
    tiers: tuple[str, ...]  # per query unit, how it matched ("" when it did not)
    phrase: bool = False
    alias: AliasName | None = None
    wheres: tuple[str, ...] = ()  # per query unit, where it matched: "text", "names", "cites"
    names: tuple[str, ...] = ()  # the names the passage's document states
    name_score: float = 1.0  # how well the query's words matched (QueryPlan.name_score)
    sims: dict[int, float] = _field(default_factory=dict)  # per unit: a variant's similarity


@dataclass
class QueryPlan:
    """A query, analysed once: its units, its weighted terms, and per unit and per way of
    matching, the (field, term) pairs that count as that way of matching."""

    text: str
    units: list[Unit]
    # per unit, its (field, term, boost) clauses: a passage scores the best of them
    clauses: list[list[tuple[str, str, float]]]
    tier_terms: list[dict[str, set[tuple[str, str]]]]
    phrase: tuple[str, ...] | None  # the words a passage holds in a row to hold the phrase
    # per unit, the unit and the spellings of it joined with a neighbour ("Pour
    # Naghshband" as "Pournaghshband"): what a passage may hold for it
    forms: list[tuple[Unit, ...]]
    # per unit, how much it weighs in the coverage of a match: the IDF of the word as
    # written, in the text or the names, where it is in more passages (a word of no
    # document: as rare as can be); 0 for an optional unit
    weights: list[float]
    # per unit, whether it is optional: a title or honorific among other words ("Dr.",
    # "commander"): it counts where it matches as written, and need not match
    optional: tuple[bool, ...] = ()
    # the stored fields of the documents this query read, by docnum (each rule of the
    # judging reads them again; at most STORED_KEPT kept)
    docs: dict[int, dict[str, Any]] = _field(default_factory=dict)
    # the (field, term) pairs of the clauses that count only beside another unit's term
    # (GATED_DF_SHARE)
    gated: frozenset[tuple[str, str]] = frozenset()

    def judge(self, matched: set[tuple[str, str]], not_variants: Collection[int] = (),
              unanswered: Collection[int] = ()) -> tuple[float, tuple[str, ...]]:
        """(quality, tiers) of a document that holds the `matched` terms: per query word,
        the best way it matched (its tier, "" when it did not); quality is the mean
        weight of the tiers of the words that are not optional. `not_variants`: words no
        spelling variant answers (a term they share with another word is that word's);
        `unanswered`: words nothing answers (a word the query repeats, which the passage
        writes fewer times)."""
        best: dict[int, int] = {}  # per query word, its best tier's place in TIERS
        for pair in matched:
            for i, k, _quality in self._pair_tiers.get(pair, ()):
                if k < best.get(i, _NO_TIER) and not (k == _VARIANT and i in not_variants):
                    best[i] = k
        tiers = tuple("" if i in unanswered or i not in best else TIERS[best[i]]
                      for i in range(len(self.tier_terms)))
        needed = [t for t, opt in zip(tiers, self.optional or (False,) * len(tiers))
                  if not opt] or list(tiers)
        quality = sum(QUALITY[t] for t in needed if t) / len(needed)
        return quality, tiers

    def repeated(self) -> list[list[int]]:
        """The words the query repeats ("Viviana GOMEZ GOMEZ"), each as the indices of
        its units: a passage answers as many of them as it writes the word."""
        groups: dict[str, list[int]] = {}
        for i, (u, opt) in enumerate(zip(self.units, self.optional or (False,) * len(self.units))):
            if not opt:
                groups.setdefault(u.folded[0], []).append(i)
        return [g for g in groups.values() if len(g) > 1]

    def cased(self) -> list[int]:
        """The words a passage answers only where it writes them as a name: the Latin
        words the query capitalizes that are also English words ("Said", "Major", "Song").
        In English text in lower case, "said" is the verb."""
        english = english_words()
        return [i for i, (u, opt) in enumerate(zip(self.units, self.optional
                                                   or (False,) * len(self.units)))
                if not opt and u.name_like and u.folded[0] in english
                and not is_arabic(u.folded[0])]

    @cached_property
    def kin(self) -> frozenset[int]:
        """The query words written with a particle of kinship ("bin Salman", "Abu Bakr",
        أبو بكر): a passage in Arabic script answers them only where it writes the
        particle too (سلمان alone is his father's name, بكر another's than أبو بكر). (Not
        in Latin script, whose lists write a "ben" or "bin" of a family name or leave it
        out: AMDOUNI, Mehrez, a.k.a. "Meherez ben Ahdoud ben Amdouni".)"""
        return frozenset(i for i in self.needed() if _particle_attached(self.units[i]))

    @cached_property
    def ali(self) -> tuple[int, ...]:
        """The query words written علي (Ali), as على ("on") folds: a passage answers them
        only where it writes the name, not the preposition."""
        return tuple(i for i in self.needed() if self.units[i].folded[0] == _ALI
                     and _ON.fullmatch(arabic_as_written(self.units[i].exact[0])) is None)

    @cached_property
    def surnamed(self) -> tuple[int, ...]:
        """The honorifics the query writes as a surname, after a name ("Sayyed" of "Jamil
        Sayyed", :func:`searchdoc.names.keys.query_units`): a passage answers them only
        where it writes the word as a name, not as a title before one ("Sheikh Omar")."""
        last = len(self.units) - 1
        return (last,) if last in self.needed() and self.units[last].keys \
            and surname_honorific(self.units) else ()

    def needed(self) -> list[int]:
        """The indices of the query words that are not optional."""
        return [i for i, opt in enumerate(self.optional or (False,) * len(self.units))
                if not opt]

    def of_names(self) -> bool:
        """Whether every word of the query that is not optional is written as a name
        (capitalized, or in a script without case): a query of names, not of words."""
        return all(self.units[i].name_like for i in self.needed())

    def short(self) -> list[int]:
        """The Latin words of two or three letters of a query of several words ("Un" of
        "Kim Jong Un", "Uk" of "Won Uk Pae"): a passage answers them by an acronym only
        beside another word of the query or in a name it states ("UN List" is none)."""
        needed = self.needed()
        if len(needed) < 2:
            return []
        return [i for i in needed if 2 <= len(self.units[i].folded[0]) <= 3
                and not is_arabic(self.units[i].folded[0])]

    def name_score(self, tiers: Sequence[str], sims: dict[int, float]) -> float:
        """How well the query matched, in [0, 1]: per word that is not optional, 1 as
        written, NAME_SCORE_FOLDED by the same letters, the graded similarity of the
        closest spelling for a variant (`sims`), little in a citation, 0 where it did not
        match; their mean."""
        per = [1.0 if t == "exact" else NAME_SCORE_FOLDED if t == "folded"
               else sims.get(i, QUALITY["variant"]) if t == "variant"
               else QUALITY["citation"] if t == "citation" else 0.0
               for i, (t, opt) in enumerate(zip(tiers, self.optional or (False,) * len(tiers)))
               if not opt]
        return sum(per) / len(per) if per else 0.0

    def closeness(self, sims: dict[int, float]) -> float:
        """The mean over the words that are not optional of the graded similarity of those
        a spelling variant answered (`sims`), 1 for the others."""
        per = [sims.get(i, 1.0)
               for i, opt in enumerate(self.optional or (False,) * len(self.units)) if not opt]
        return sum(per) / len(per) if per else 1.0

    def complete(self, tiers: Sequence[str]) -> bool:
        """Whether every word that is not optional matched (in the text or the names)."""
        return all(t and t != "citation"
                   for t, opt in zip(tiers, self.optional or (False,) * len(tiers)) if not opt)

    def given_names_only(self, tiers: Sequence[str]) -> int:
        """How many query words matched, when all that matched are common given names and
        say nothing of who: one of them alone ("Mohamed" for "Mohamed Atta"; "Musa" for
        "Said Musa", a name of two common given names), or several where a word that is no
        common given name did not match ("Muhammad Sa'id" of "Muhammad Sa'id Izadi"); 0
        otherwise. (A given name with its particle, the kunya "Abu Yahya", "Bin Ali", is
        more than a common given name; a patronymic inside a name of three words or more,
        "Sergeyevich" of "Aleksei Sergeyevich Morenets", is one; an honorific the query
        writes as a surname, "Sheikh" of "Omar Saeed Sheikh", is one where it matched.)"""
        matched, missing = self._given_words(tiers)
        if matched and all(matched) and (len(matched) == 1 or not all(missing)):
            return len(matched)
        return 0

    def only_given_matched(self, tiers: Sequence[str]) -> bool:
        """Whether every query word that matched is a common given name (as
        :meth:`given_names_only` reads them), whatever did not, and the last (the family
        name, in the natural order of a name) did not: "Muhammad Ibrahim" of "Muhammad
        Ibrahim Said", a name of given names only; not "Abdullah Saleh" of "Ali Abdullah
        Saleh", a shorter form of the name."""
        needed = self.needed()
        matched, missing = self._given_words(tiers)
        return bool(matched) and bool(missing) and all(matched) and bool(needed) \
            and not tiers[needed[-1]]

    def _given_words(self, tiers: Sequence[str]) -> tuple[list[bool], list[bool]]:
        """Of the query words that are not optional, per word that matched and per word
        that did not, whether it is a common given name (see :meth:`given_names_only`)."""
        surnamed = self.surnamed
        matched: list[bool] = []
        missing: list[bool] = []
        optional = self.optional or (False,) * len(tiers)
        inner = [i for i, opt in enumerate(optional) if not opt][1:-1]
        for i, (u, t, opt) in enumerate(zip(self.units, tiers, optional)):
            if not opt:
                given = (_common_given(u)
                         or (i in inner and PATRONYMIC.search(u.folded[0]) is not None)
                         ) and not (len(u.folded) > 1 and u.folded[1].endswith(u.folded[0])
                           and u.folded[1] != u.folded[0])  # (a particle before it)
                if t:  # (an honorific as a surname, "Sheikh": many have it; missing, it is
                    # the name's word that says who)
                    matched.append(given or i in surnamed)
                else:
                    missing.append(given)
        return matched, missing

    def given_names_apart(self, tiers: Sequence[str], stored: dict[str, Any]) -> bool:
        """Whether, of a name of three words or more, every one a common given name, two
        or more matched and all that matched stand apart in the passage (no two side by
        side, as the index made its units) and in no name the document states: given
        names of other people ("تعيين عثمان بن صالح ... وتعيين فهد بن عبدالله ... وتعيين
        علي بن محمد" for "علي عبدالله صالح": lists of appointees name many), not the name
        nor a shorter form of it ("عبدالله صالح")."""
        needed = self.needed()
        found = [i for i in needed if tiers[i] and tiers[i] != "citation"]
        if len(needed) < 3 or len(found) < 2 \
                or not all(_common_given(self.units[i]) for i in needed) \
                or _names_hold(self, stored, found, titles=False):
            return False
        meta = stored["meta"]
        for place in (meta["title"], meta["section"], meta["text"]):
            # (the units as the index made them, a particle attached, and two adjacent
            # ones joined: "عبد الله" written apart is عبدالله)
            at = sorted((w.start, w.end, answers) for w in (_place_pairs(place) if place else ())
                        if (answers := frozenset(i for i in found if any(
                            _same_name(q, w) for q in self.forms[i]))))
            for (_s, end, a), (start, _e, b) in combinations(at, 2):
                if len(a | b) > 1 and end <= start and not place[end:start].strip(" -"):
                    return False
        return True

    def across_only(self, tiers: Sequence[str], across: set[int]) -> bool:
        """Whether every word that is not optional and matched, matched a word of the other
        script (`across`: their indexes)."""
        found = [i for i, (t, opt) in enumerate(zip(tiers, self.optional or (False,) * len(tiers)))
                 if t and not opt]
        return bool(found) and all(i in across for i in found)

    def half_in_arabic(self, tiers: Sequence[str], across: set[int]) -> bool:
        """Whether, of a query of two words or more that are not optional, half or fewer
        matched, each a word of Arabic script in the passage (a word of an Arabic query in
        its script, of a Latin one across: `across`). Arabic script has no capitals to
        tell a name from a word: a given name (جواد, "horse"; رجب, a month) or a family
        name (الأسد, "the lion"; البغدادي, a district; عبدالعزيز, King Abdulaziz of a
        hospital's name for "سلمان بن عبدالعزيز") alone is a mention only where the
        document names the person whole. In Latin script the capital tells a name, and a
        list gives aliases that share only a given name with the listed one (tried on
        Latin text too: the SDN `overlap` recall@10 .928 -> .852). A Latin query's words
        across are judged so where the family name matched: a given name alone there is
        a hit as before (its family name in another spelling than the keys reach, "Brad
        Sayed" for براد سيد)."""
        needed = self.needed()
        found = [i for i in needed if tiers[i] and tiers[i] != "citation"]
        return len(needed) >= 2 and 2 * len(found) <= len(needed) and bool(found) and all(
            is_arabic(self.units[i].folded[0]) != (i in across) for i in found) and (
            self.last_found(tiers) or all(is_arabic(self.units[i].folded[0]) for i in needed))

    def last_found(self, tiers: Sequence[str]) -> bool:
        """Whether the last word that is not optional (the family name) matched."""
        needed = self.needed()
        return bool(needed) and bool(tiers[needed[-1]]) and tiers[needed[-1]] != "citation"

    @cached_property
    def last_absent(self) -> bool:
        """Whether, of a query of names of two words or more that are not optional, the
        last (the family name) is in no passage in any spelling: the first word alone in a
        text is then another's ("Jason" of "Jason Robinson" for "Jason Zorvakian", the
        Qwerty keyboard for a made-up "Qwerty Blorpson"), unless a word beside it is close
        to the last (:func:`_family_beside`). (In a title or a name a document states, it
        may be the person's name in a list under another family name: tried there too,
        SDN `overlap` recall@10 fell from .93 to .72 on the tune half. A query in lower case
        asks for its words.)"""
        needed = self.needed()
        return len(needed) >= 2 and self.of_names() \
            and not any(self.tier_terms[needed[-1]].values())

    def first_only(self, tiers: Sequence[str]) -> bool:
        """Whether, of the words that are not optional, only the first matched."""
        needed = self.needed()
        return bool(tiers[needed[0]]) and not any(tiers[i] for i in needed[1:])

    def vouched_by_none(self, tiers: Sequence[str], sims: dict[int, float],
                        across: set[int]) -> bool:
        """Whether, of a query of two words or more that are not optional, one only
        matched, in the query's script and less closely than a name of one word asks
        (THRESHOLD_ALONE): no other word of the name vouches for the spelling (سليمان, 0.82,
        is a name of its own, not سليماني of "قاسم سليماني"; a nisba). Also in a name of the
        document: a headline in Arabic script may read as one, and in a list (tried with
        Latin names exempted: the SDN absent names with a hit .577 -> .588, a record under
        a looser family name, "KRADUMPORN, Varee" for "Wari Kradumphon", found again)."""
        from searchdoc.names.similarity import THRESHOLD_ALONE

        needed = self.needed()
        found = [i for i in needed if tiers[i] and tiers[i] != "citation"]
        return len(needed) >= 2 and len(found) == 1 and found[0] not in across \
            and sims.get(found[0], 1.0) < THRESHOLD_ALONE

    def written(self, tiers: Sequence[str]) -> bool:
        """Whether a word that is not optional matched as written (or in the same letters)."""
        return any(t in ("exact", "folded")
                   for t, opt in zip(tiers, self.optional or (False,) * len(tiers)) if not opt)

    def decisive(self, tiers: Sequence[str]) -> bool:
        """Whether a word that is not optional matched."""
        return any(t for t, opt in zip(tiers, self.optional or (False,) * len(tiers))
                   if not opt)

    def coverage(self, matched: set[tuple[str, str]]) -> float:
        """The share of a perfect match that a document holding the `matched` terms holds:
        per query word, the quality of its best term (exact 1, a loose spelling 0.6, none
        0), weighed by the word's IDF."""
        best: dict[int, float] = {}
        for pair in matched:
            for i, _k, quality in self._pair_tiers.get(pair, ()):
                if quality > best.get(i, 0.0):
                    best[i] = quality
        got = 0.0
        for i, weight in enumerate(self.weights):  # (summed in the words' order)
            got += weight * best.get(i, 0.0)
        total = self._total_weight
        return got / total if total else 1.0

    @cached_property
    def _pair_tiers(self) -> dict[tuple[str, str], list[tuple[int, int, float]]]:
        """Per (field, term) pair of the plan, the query words it answers, each with the
        tier's place in TIERS and the term's quality (:func:`_term_quality`): what a
        candidate's matched pairs are looked up by, once each."""
        out: dict[tuple[str, str], list[tuple[int, int, float]]] = {}
        for i, terms in enumerate(self.tier_terms):
            for tier, pairs in terms.items():
                k = TIERS.index(tier)
                for pair in pairs:
                    out.setdefault(pair, []).append((i, k, _term_quality(tier, pair[1])))
        return out

    @cached_property
    def _total_weight(self) -> float:
        return sum(self.weights)

    def names_hold_query(self, matched: set[tuple[str, str]]) -> bool:
        """Whether every query word matched the document's title or a name it states, as
        written or by a close spelling (not the loose skeleton)."""
        optional = self.optional or (False,) * len(self.tier_terms)
        return all(any(f == "names" and _term_quality(tier, t) >= QUALITY["variant"]
                       for tier, pairs in terms.items() for f, t in pairs & matched)
                   for terms, opt in zip(self.tier_terms, optional) if not opt)

    def wheres(self, matched: set[tuple[str, str]], tiers: Sequence[str]) -> tuple[str, ...]:
        """Per query word, where its best match stands: "text" (the passage or its
        heading), "names" (the title or a stated name), "cites"; "" when it did not."""
        out = []
        for terms, tier in zip(self.tier_terms, tiers):
            fields = {f for f, _t in terms[tier] & matched} if tier else set()
            out.append("text" if fields & _TEXT_FIELDS else "names" if "names" in fields
                       else "cites" if fields else "")
        return tuple(out)


def _unit_terms(u: Unit, ordinary: bool) -> dict[str, set[tuple[str, str]]]:
    """The (field, term) pairs of a query unit per way of matching. An ordinary word
    (frequent in the text) is searched in the text only: its spelling variants, and the
    citations that hold it, would add time and no evidence (the titles and names that
    hold it are added where they are few: :func:`_make_plan`)."""
    words = list(dict.fromkeys(u.exact + u.folded))
    if ordinary:
        return {"exact": {("body", e) for e in u.exact},
                "folded": {("body", f) for f in u.folded} | {("folded", f) for f in u.folded},
                "variant": set(), "citation": set()}
    return {
        "exact": {("body", e) for e in u.exact} | {("names", e) for e in u.exact},
        "folded": ({("body", f) for f in u.folded} | {("folded", f) for f in u.folded}
                   | {("names", f) for f in u.folded}),
        "variant": ({("variant", k) for k in query_keys(u)}
                    | {("names", k) for k in query_keys(u)}),
        "citation": {("cites", w) for w in words},
    }


def _term_quality(tier: str, term: str) -> float:
    """How much one matching term says, before its IDF: by tier, and for variant keys by
    the kind of key (the sound key is closest, the loose key the loosest)."""
    if tier == "variant":
        if term.startswith(LOOSE_PREFIX):
            return Q_LOOSE_KEY
        if term != term.upper():
            return Q_SOUND_KEY
        return QUALITY["variant"]
    return QUALITY[tier]


def _make_plan(text: str, qunits: Sequence[Unit], reader: Reader, join: bool = True) -> QueryPlan:
    """The plan of a text: per query unit, its (field, term) pairs, each boosted by its
    quality times its IDF (:func:`_rank` scores a passage by the best of them per unit
    and sums the units). `join`: adjacent units may be one word in a passage (not for
    units of different names)."""
    if len(qunits) > 1:  # initials ("Luis C. Contreras") match everything and say nothing
        qunits = [u for u in qunits if len(u.folded[0]) > 1] or list(qunits)
    # Titles and honorifics ("Dr.", "Mullah", "commander") are optional among other words:
    # they count where they match as written, never decide a hit, and stay in the phrase
    # unless they stand first, before a name.
    optional = tuple(_honorific(u) for u in qunits)
    if all(optional):
        optional = (False,) * len(qunits)

    # document frequencies count deleted documents until segments merge: so does n_docs
    n_docs = max(reader.doc_count_all(), 1)
    common = max(COMMON_DF_MIN, int(n_docs * COMMON_DF_FRACTION))
    seen_df: dict[tuple[str, str], int] = {}

    def doc_frequency(field: str, term: str) -> int:  # each term looked up once per query
        if (field, term) not in seen_df:
            seen_df[(field, term)] = reader.doc_frequency(field, term)
        return seen_df[(field, term)]

    # a cluster is asked for many frequencies in one request (the embedded store has none)
    prefetch = getattr(reader, "prefetch", None)
    if prefetch is not None:  # every term the plan may ask about, in one request
        prefetch([("body", e) for u in qunits for e in u.exact]
                 + [p for u in qunits for plain in (False, True)
                    for pairs in _unit_terms(u, plain).values() for p in pairs])
    ordinary = [any(doc_frequency("body", e) > common for e in u.exact) for u in qunits]
    # Two adjacent name words may be one word in a passage: the joined spelling counts
    # for both.
    forms: list[tuple[Unit, ...]] = [(u,) for u in qunits]
    for k in range(len(qunits) - 1):
        if join and not (ordinary[k] or ordinary[k + 1] or optional[k] or optional[k + 1]):
            j = joined(qunits[k], qunits[k + 1])
            if j is not None:
                forms[k] += (j,)
                forms[k + 1] += (j,)
    per_unit, tier_terms = [], []
    unit_terms = []
    gated: set[tuple[str, str]] = set()
    for u, plain, alts in zip(qunits, ordinary, forms):
        terms = _unit_terms(u, plain)
        for alt in alts[1:]:
            for tier, pairs in _unit_terms(alt, False).items():
                terms[tier] |= pairs
        if plain:
            # (an ordinary word is also a name's, "SAID" of "Mahmoud IBRAHIM SAID": the
            # titles and stated names that hold it say so where they are few)
            for tier, spellings in (("exact", u.exact), ("folded", u.folded)):
                terms[tier] |= {("names", f) for f in spellings if 0 < doc_frequency(
                    "names", f) <= common * VARIANT_DF_SHARE}
        unit_terms.append(terms)
    if prefetch is not None:
        prefetch([p for terms in unit_terms for pairs in terms.values() for p in pairs])
    for u, terms in zip(qunits, unit_terms):
        if terms["variant"]:  # a key shared by very many words costs time and says little
            kept = {t for t in terms["variant"] if doc_frequency(*t) <= common * (
                WEAK_KEY_DF_SHARE if t[1].startswith(LOOSE_PREFIX) or len(t[1]) <= 2
                else VARIANT_DF_SHARE)}
            if not any(doc_frequency(*t) for t in kept):
                # ... but a word all of whose keys are that common keeps its rarest key of
                # three letters or more, up to an ordinary word's frequency (حسن has one
                # key, HSN: Arabic writes no short vowel, and without it no Latin Hasan)
                strict = [t for t in terms["variant"] if not t[1].startswith(LOOSE_PREFIX)
                          and len(t[1]) > 2 and 0 < doc_frequency(*t) <= common]
                if strict:
                    rarest = min(strict, key=lambda t: doc_frequency(*t))[1]
                    kept |= {t for t in terms["variant"] if t[1] == rarest}
            over = [t for t in terms["variant"] - kept
                    if doc_frequency(*t) <= n_docs * GATED_DF_SHARE]
            if len(unit_terms) > 1 and over:
                # (a loose key or one of two letters of a Latin word reaches a spelling of
                # Arabic script, which writes fewer letters: SL of Saleh, صالح; none in a
                # collection without Arabic text)
                loose = is_arabic(u.folded[0]) or any(
                    doc_frequency("body", w) for w in ARABIC_PROBES)
                more = {t for t in over
                        if loose or not (t[1].startswith(LOOSE_PREFIX) or len(t[1]) <= 2)}
                gated |= more
                kept |= more
            terms["variant"] = kept
        clauses: dict[tuple[str, str], float] = {}
        for tier, pairs in terms.items():
            terms[tier] = pairs = {p for p in pairs if doc_frequency(*p)}
            for field, term in pairs:
                boost = _term_quality(tier, term) * _idf(n_docs, doc_frequency(field, term))
                clauses[(field, term)] = max(clauses.get((field, term), 0.0), boost)
        if clauses:
            per_unit.append([(f, t, b) for (f, t), b in clauses.items()])
        tier_terms.append(terms)
    if gated and len(per_unit) < 2:
        # (a gated term counts beside another word's term: with one word in the index,
        # never; its postings are not read)
        per_unit = [rest for unit in per_unit
                    if (rest := [c for c in unit if (c[0], c[1]) not in gated])]
        for terms in tier_terms:
            terms["variant"] -= gated
        gated = set()
    words = tuple(w for k, u in enumerate(qunits) for w in re.split(r"[-\s]+", u.exact[0])
                  if w and (w not in PHRASE_GLUE or (optional[k] and k > 0)))
    phrase = words if len(qunits) > 1 and len(words) > 1 else None
    weights = [0.0 if opt else
               _idf(n_docs, max(1, max(doc_frequency(f, e) for e in u.exact
                                       for f in ("body", "names"))))
               ** COVERAGE_POWER for u, opt in zip(qunits, optional)]
    return QueryPlan(text, list(qunits), per_unit, tier_terms, phrase, forms, weights,
                     optional, gated=frozenset(gated))


def _rank(reader: Reader, clauses: list[list[tuple[str, str, float]]], limit: int,
          allowed: set[int] | None = None, cache: dict[Any, Any] | None = None,
          gated: Collection[tuple[str, str]] = frozenset(),
          ) -> list[tuple[float, int, set[tuple[str, str]]]]:
    """The `limit` best documents for the clauses, as (score, docnum, the (field, term)
    pairs the document holds), best first.

    A document scores, per unit, the best of the unit's terms it holds (a disjunction
    max), summed over the units. A term scores its boost times BM25's term-frequency and
    length factor (1.0 for a word found once in a field of average length; the IDF is
    in the boost). Every posting of every term is read, term by term, into one score
    per document: for these short queries of many rare terms that is several times
    faster than whoosh's tree of matchers, and the order is exact, not pruned. `allowed`:
    the only documents that may be returned; `cache`: kept by the caller between calls
    with the same reader (BM25 factors). What the ``names`` field (title, stated names)
    matches counts ABOUT_WEIGHT again. A `gated` term scores only in a document that holds
    a term of another unit (:data:`GATED_DF_SHARE`); the pairs a document holds are
    returned whether they scored or not."""
    remote = getattr(reader, "rank", None)
    if remote is not None:  # a cluster scores the same clauses the same way
        return remote(  # type: ignore[no-any-return]
            clauses, limit, allowed, ABOUT_WEIGHT, gated)
    k1 = BM25_K1
    cache = {} if cache is None else cache
    totals: dict[int, float] = {}
    ids_of: dict[tuple[str, str], list[int]] = {}
    deleted = reader.deleted
    segments = reader.segments
    about: dict[int, float] = {}
    in_text: set[int] = set()  # documents that hold a term outside the names field
    per_unit: list[tuple[dict[int, float], ...]] = []
    for unit in clauses:
        # per unit, each document's best score, and in the names field; then the same of
        # its gated terms
        tables: tuple[dict[int, float], ...] = ({}, {}, {}, {})
        per_unit.append(tables)
        # (the term with the most documents first: a term's documents are new to an empty
        # table, which takes them whole, in C; the next terms keep the better score)
        for field, term, boost in sorted(unit, key=lambda c: -reader.doc_frequency(c[0], c[1])):
            in_names = field == "names"
            texts = None if in_names else in_text
            denominators = _denominators(reader, field, cache)
            kb = boost * (k1 + 1)
            ids = ids_of.setdefault((field, term), [])
            best, best_names = tables[2:] if (field, term) in gated else tables[:2]
            fresh, fresh_names = not best, not best_names
            for segment in segments:
                if not segment.doc_frequency(field, term):
                    continue
                base = segment.base
                lengths = segment.lengths(field)
                for block_ids, weights in segment.postings(field, term):
                    dens = (map(denominators.__getitem__, map(lengths.__getitem__, block_ids))
                            if lengths is not None else repeat(k1))
                    scores = [kb * tf / (tf + den) for tf, den in zip(weights, dens)]
                    docs = block_ids if not base else [d + base for d in block_ids]
                    _keep_best(best, docs, scores, fresh)
                    if in_names:
                        _keep_best(best_names, docs, scores, fresh_names)
                    ids.extend(docs)
                    if texts is not None:
                        texts.update(docs)
    if gated:
        _ungate(per_unit)
    for best, best_names, _g, _gn in per_unit:
        for d, s in best.items():
            totals[d] = totals.get(d, 0.0) + s
        for d, s in best_names.items():
            about[d] = about.get(d, 0.0) + s
    for d, s in about.items():
        totals[d] += ABOUT_WEIGHT * s
    if deleted or allowed is not None:
        totals = {d: s for d, s in totals.items()
                  if d not in deleted and (allowed is None or d in allowed)}
    if about:
        _one_per_source(reader, totals, in_text)
    # (the best scores, the lower docnum first among equals: compared as tuples in C)
    top = [(-nd, s) for s, nd in heapq.nlargest(limit, zip(totals.values(), map(neg, totals)))]
    found: dict[int, set[tuple[str, str]]] = {d: set() for d, _s in top}
    wanted = set(found)
    for pair, ids in ids_of.items():
        for d in wanted.intersection(ids):
            found[d].add(pair)
    return [(s, d, found[d]) for d, s in top]


def _ungate(per_unit: list[tuple[dict[int, float], ...]]) -> None:
    """The scores of each unit's gated terms, (best, names, gated best, gated names), kept
    for the documents that hold a term of another unit (the names' are in best's)."""
    for i, (best, best_names, gated_best, gated_names) in enumerate(per_unit):
        others = [t for j, (b, _n, g, _gn) in enumerate(per_unit) if j != i for t in (b, g) if t]
        for table, scores in ((best, gated_best), (best_names, gated_names)):
            get = table.get
            for d, s in scores.items():
                if s > get(d, 0.0) and any(d in t for t in others):
                    table[d] = s


def _keep_best(best: dict[int, float], docs: Sequence[int], scores: list[float],
               fresh: bool) -> None:
    """Each document's better score: `fresh`, the documents are not in the table yet."""
    if fresh:
        best.update(zip(docs, scores))
        return
    get = best.get
    for d, s in zip(docs, scores):
        if s > get(d, 0.0):
            best[d] = s


def _one_per_source(reader: Reader, totals: dict[int, float], in_text: set[int]) -> None:
    """Of the passages that match only through their document's title and stated names,
    keep one per source (the best, else the first), and none for a source with a passage
    that holds the query's words itself: the document is found once for the name it is
    about, and its passages that hold the name stand for it."""
    only_names = [d for d in totals if d not in in_text]
    if not only_names:
        return
    source_of = reader.source_of()
    by_source: dict[str, list[int]] = {}
    for d in sorted(only_names):
        by_source.setdefault(source_of(d), []).append(d)
    # (the sources of the passages holding the query's words, or whether the passages of
    # these few sources hold them: whichever reads fewer documents)
    if sum(reader.doc_frequency("source", src) for src in by_source) \
            < len(totals) - len(only_names):
        with_text = {src for src in by_source if any(
            d in in_text and d in totals for d in reader.docs_of_source(src))}
    else:
        with_text = {source_of(d) for d in totals if d in in_text}
    for src, docs in by_source.items():
        # (the best passage, the first among equals)
        best = None if src in with_text else max(docs, key=lambda d: (totals[d], -d))
        for d in docs:
            if d != best:
                del totals[d]


def _denominators(reader: Reader, field: str, cache: dict[Any, Any]) -> list[float]:
    """BM25's denominator term K1 * (1 - B + B * length / average length) of a field, for
    each of the store's 256 length codes (once per reader and field)."""
    key = ("denominators", field)
    if key not in cache:
        k1, b = BM25_K1, BM25_B
        avgfl = reader.field_length(field) / (reader.doc_count_all() or 1) or 1.0
        cache[key] = [k1 * ((1 - b) + b * max(LENGTHS[n], 1) / avgfl) for n in range(256)]
    return cache[key]


def _idf(n_docs: int, df: int) -> float:
    return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5)) if df else 0.0


class Searcher:
    """Searches one open index; reuse it for a batch of queries."""

    def __init__(self, reader: Reader, entities: Callable[[], EntityIndex],
                 aliases: bool = True) -> None:
        """`reader`: the store's (its owner closes it); `entities`: gives the people of
        the index when an expansion needs them (loaded once, by the caller)."""
        self.reader = reader
        self.entities = entities
        self.aliases = aliases
        self._cache: dict[Any, Any] = {}  # per reader: BM25 factors

    def close(self) -> None:
        pass  # the reader is its owner's

    def __enter__(self) -> Searcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -----------------------------------------------------------------------------------

    def evidence(self, text: str) -> Iterator[tuple[str, tuple[str, ...]]]:
        """Every passage that matches a word of `text`, unranked: its source and, per query
        word, how its best match there matched ("exact", "folded", "variant", "title",
        "section", "citation"; "" for none). The evidence the ranking orders by, for
        diagnostics (benchmarks/ceiling.py)."""
        qunits = query_units(text)[:MAX_QUERY_UNITS]
        if not qunits:
            return
        plan = _make_plan(text, qunits, self.reader)
        for _score, docnum, matched in _rank(self.reader, plan.clauses,
                                             self.reader.doc_count_all(), None, self._cache,
                                             plan.gated):
            _quality, tiers = plan.judge(matched)
            yield self.reader.stored(docnum)["source"], tuple(tiers)

    def search(self, text: str, limit: int = 10, source: str | None = None,
               min_score: float = 0.0) -> list[Hit]:
        """The best `limit` hits for `text` whose name score is `min_score` or more."""
        qunits = query_units(text)[:MAX_QUERY_UNITS]
        if not qunits or limit <= 0:
            return []
        flt = self._source_filter(source)
        if flt is not None and not flt:
            return []
        plan = _make_plan(text, qunits, self.reader)
        depth = max(limit * DEPTH_FACTOR, DEPTH_MIN)
        # ranked once, deep enough for the rounds below (scoring every posting is the cost;
        # the top list a little longer is not)
        ranked = _rank(self.reader, plan.clauses, depth * 4 ** MAX_DEEPER, flt, self._cache,
                       plan.gated)
        found: list[tuple[Any, ...]] = []
        namesakes: dict[int, bool] = {}  # per document judged, whether a namesake's
        scattered: dict[int, int] = {}  # ... whether it holds the query in others' names
        mention_only: set[int] = set()
        family: set[int] = set()  # ... of them, those holding the family name
        # ... or unless a name of it holds them (tiers, the passage words answering)
        loose: dict[int, tuple[tuple[str, ...], frozenset[str] | None]] = {}
        named: dict[int, bool] = {}  # (per document judged so, whether it does)
        referred: dict[int, bool] = {}  # ... whether its part of the name is another's
        full_names: dict[str, set[int]] = {}  # per source, what the names it gives are
        done = 0
        while True:
            more, set_aside = self._judged(plan, ranked[done:depth], min_score, mention_only,
                                           loose, family)
            found += more
            done = min(depth, len(ranked))
            judged = self._referred(plan, self._mentions(plan, self._without_namesakes(
                plan, found, namesakes, scattered, 2 * limit), mention_only, loose, named,
                2 * limit, family), referred, full_names, 2 * limit)
            # (half a name in another spelling of the query's script, in none of the
            # document's names, is a look-alike the rank orders below what holds more of
            # the name: set aside, it is no reason to judge deeper ones)
            alike = sum(1 for j in found if j[4] in loose and not named.get(j[4], True))
            if len(judged) >= limit or done >= len(ranked) or not (
                    set_aside or len(judged) < len(found) - alike):
                break
            # candidates set aside (namesakes, look-alikes, a given name alone) left room:
            # the next ones are judged too
            depth *= 4
        judged = _closest_across(plan, judged)
        judged.sort(key=lambda j: -j[0])  # stable: the order of _rank among equals
        candidates = []
        for rank, (score, quality, tiers, wheres, docnum, name_score, sims, _across) \
                in enumerate(judged):
            # Stored text is read only where it can change the order: the first hits, and
            # the passages that may hold the query as a phrase (every word exact).
            may_phrase = plan.phrase is not None and all(t == "exact" for t in tiers)
            if rank >= 2 * limit and not may_phrase:
                continue
            stored = self._stored(plan, docnum)
            passage = passage_from_stored(stored)
            phrase = may_phrase and _holds_phrase(passage.text, plan.phrase)  # type: ignore[arg-type]
            score *= PHRASE_FACTOR if phrase else 1.0
            candidates.append(_Candidate(passage, score, quality, tiers, phrase, wheres=wheres,
                                         names=tuple(stated_names(stored)),
                                         name_score=name_score, sims=sims))
        if self.aliases and min_score <= NAME_SCORE_ALIAS:
            candidates.extend(self._through_aliases(plan, candidates, depth, flt))
        candidates.sort(key=lambda c: (-c.score, c.passage.source, c.passage.ordinal))
        return [
            Hit(text, rank, round(c.score, 4), c.passage, _explain(plan, c),
                name_score=round(c.name_score, 3))
            for rank, c in enumerate(candidates[:limit], 1)
        ]

    def _stored(self, plan: QueryPlan, docnum: int) -> dict[str, Any]:
        """The stored fields of a document, read once per query."""
        found = plan.docs.get(docnum)
        if found is None:
            found = self.reader.stored(docnum)
            if len(plan.docs) < STORED_KEPT:
                plan.docs[docnum] = found
        return found

    def _judged(self, plan: QueryPlan, ranked: list[tuple[float, int, set[tuple[str, str]]]],
                min_score: float, mention_only: set[int],
                loose: dict[int, tuple[tuple[str, ...], frozenset[str] | None]],
                family: set[int]) -> tuple[list[tuple[Any, ...]], int]:
        """The ranked candidates that are hits, each as (score, quality, tiers, wheres,
        docnum, name score, similarities), judged by the graded similarity, the share of
        the query they hold and look-alikes; and how many were set aside as a given name
        alone (which the rank may order above hits: look-alikes it orders below).
        `mention_only` gets the hits that hold half the name or less, in other spellings
        only, in the other script: hits only in a document that names the person whole
        (:meth:`_mentions`); `loose` those in the query's script, with their tiers: the
        same unless a name of the document holds them (judged there, as late as can be);
        `family` those of `mention_only` holding the family name (shown where no document
        names the person whole)."""
        judged = []
        set_aside = 0
        repeated = plan.repeated()
        cased = plan.cased()
        short = plan.short()
        surnamed = plan.surnamed
        ali = plan.ali
        kin = plan.kin
        for score, docnum, matched in ranked:
            quality, tiers = plan.judge(matched)
            sims: dict[int, float] = {}
            across: set[int] = set()
            failed: list[int] = []
            spelled: frozenset[str] | None = None
            if "variant" in tiers and (any(f == "names" for f, _t in matched)
                                       or plan.coverage(matched) >= MIN_COVERAGE):
                # keys found it; a graded similarity decides (not for what is no hit anyway)
                graded, sims, across, failed, spelled = _graded(
                    plan, self._stored(plan, docnum), matched, tiers)
                if graded != matched or failed:
                    matched = graded
                    before, (quality, tiers) = quality, plan.judge(matched, failed)
                    score *= quality / max(before, 1e-9)  # (0: only optional words)
            unanswered = (_unrepeated(repeated, plan, tiers, self._stored(plan, docnum))
                          if repeated else set())
            if cased and any(tiers[i] for i in cased):
                unanswered |= _lower_case_only(cased, plan, tiers, self._stored(plan, docnum))
            if short and any(tiers[i] in ("exact", "folded") for i in short):
                unanswered |= _acronyms_only(short, plan, tiers, self._stored(plan, docnum))
            if surnamed and any(tiers[i] in ("exact", "folded") for i in surnamed):
                unanswered |= _titles_only(surnamed, plan, tiers, self._stored(plan, docnum))
            if ali and any(tiers[i] in ("exact", "folded") for i in ali):
                unanswered |= _prepositions_only(ali, plan, tiers, self._stored(plan, docnum))
            if kin and any(tiers[i] in ("exact", "folded") for i in kin):
                unanswered |= _particles_missing(kin, plan, tiers, self._stored(plan, docnum))
            if unanswered:
                before, (quality, tiers) = quality, plan.judge(matched, failed, unanswered)
                score *= quality / max(before, 1e-9)
            if not plan.decisive(tiers) or (
                    plan.last_absent and plan.first_only(tiers)
                    and not any(f == "names" for f, _t in matched)
                    and not _family_beside(plan, self._stored(plan, docnum)["meta"]["text"])):
                continue  # (see QueryPlan.last_absent)
            covered = plan.coverage(matched) >= MIN_COVERAGE
            holds_query = plan.names_hold_query(matched)
            # the names of a document that matched none of its names field can agree with
            # nothing of the query: they are not read
            share, whole = (self._names_coverage(plan, self._stored(plan, docnum))
                            if (holds_query or not covered)
                            and any(f == "names" for f, _t in matched) else (0.0, False))
            agree = share >= MIN_NAME_COVERAGE
            if not (covered or agree):
                continue  # no hit: too little of the query, and of any of its names
            if agree and holds_query:
                score *= ABOUT_FACTOR  # the query and one of its names agree
                if whole:
                    score *= NAMED_FACTOR  # ... and that name has no word of its own
            elif len(plan.units) > 1 and any(f == "names" for f, _t in matched) \
                    and self._name_aligned(plan, self._stored(plan, docnum)):
                score *= ALIGNED_FACTOR  # his own name, not his son's: first and last words
            if len(plan.units) > 1 and plan.complete(tiers):
                score *= COMPLETE_FACTOR
            name_score = plan.name_score(tiers, sims)
            if sims:
                # the keys say little of how close, in either script: the closer spelling
                # first (Kadafi: QADDAFI, 1.0, above GADDAFI, 0.89, whatever its key's IDF)
                score *= plan.closeness(sims)
            if name_score < min_score or (name_score < MIN_NAME_SCORE and plan.of_names()):
                continue
            if not plan.complete(tiers) and not plan.written(tiers):
                if name_score < MIN_LOOSE_SCORE:
                    continue  # part of the name, in other spellings only: a look-alike
                if name_score < MIN_LOOSE_SCORE_ACROSS:
                    # ... in the other script, or in the same but in no name of the
                    # document nor beside words like the rest of the name (Python for
                    # "Vladimir Putin" in a README): a mention where the document names
                    # the person whole (it may rank above a hit, a word of a text in
                    # Arabic repeated: the next ones are judged)
                    if plan.across_only(tiers, across) \
                            or plan.vouched_by_none(tiers, sims, across):
                        mention_only.add(docnum)
                        set_aside += 1
                    else:
                        loose[docnum] = (tiers, spelled)
                elif not agree and plan.half_in_arabic(tiers, across) \
                        and not self._stated(plan, docnum, matched, tiers):
                    mention_only.add(docnum)  # (see below)
                    if plan.last_found(tiers):
                        family.add(docnum)
                    set_aside += 1
            elif not agree and plan.half_in_arabic(tiers, across) \
                    and not self._stated(plan, docnum, matched, tiers):
                # half the name or less, in Arabic script, in no name the document states
                # (a list's record "BA'ASYIR, Abu Bakar" is one): a given name, a month
                # (رجب of "رجب طيب أردوغان"), a word, another's name, where the document
                # does not name the person whole; where it does, the family name a news
                # text names a person by ("عباس" for "محمود عباس"; where no document does,
                # any: see _mentions)
                mention_only.add(docnum)
                if plan.last_found(tiers):
                    family.add(docnum)
                set_aside += 1
            given = 0 if plan.complete(tiers) else plan.given_names_only(tiers)
            if not given and not agree \
                    and plan.given_names_apart(tiers, self._stored(plan, docnum)):
                set_aside += 1
                continue  # (common given names of other people)
            if given == 1 or (given > 1 and not (agree or (
                    any(f == "names" for f, _t in matched) and self._names_coverage(
                        plan, self._stored(plan, docnum))[0] >= MIN_NAME_COVERAGE))):
                # only the common given names of a full name ("Mohamed" of "Mohamed Atta";
                # "Muhammad Saeed" of "Muhammad Sa'id Izadi", unless they are the whole of
                # a name of the document), ranked above hits that hold more
                set_aside += 1
                continue

            judged.append((score, quality, tiers, plan.wheres(matched, tiers), docnum,
                           name_score, sims, frozenset(across)))
        return judged, set_aside

    def _stated(self, plan: QueryPlan, docnum: int, matched: set[tuple[str, str]],
                tiers: Sequence[str]) -> bool:
        """Whether a name the document states (not its title) holds the query words the
        passage matched."""
        return any(f == "names" for f, _t in matched) and _names_hold(
            plan, self._stored(plan, docnum), [i for i, t in enumerate(tiers) if t],
            titles=False)

    def _mentions(self, plan: QueryPlan, judged: list[tuple[Any, ...]],
                  mention_only: set[int],
                  loose: dict[int, tuple[tuple[str, ...], frozenset[str] | None]],
                  named: dict[int, bool], shown: int,
                  family: set[int]) -> list[tuple[Any, ...]]:
        """Of the hits holding half the name or less in other spellings only, in the other
        script (سليماني for "Qassem Soleimani") or in the same but in none of the
        document's names ("Python" for "Vladimir Putin", 0.85 of Putin, in a README), those
        of a document that names the person whole elsewhere: a mention of him. Elsewhere
        such a word is too often another (تعلمون "you know" for a made-up "Telmun", قسم
        "section" for Qassem: Arabic writes no short vowel); a record of a list is about
        its own person, and no other record makes it a mention. The
        whole name counts where every word of it is as close as one script asks (THRESHOLD):
        two look-alikes across scripts (قسمة "division" 0.88 and سيعلمون "they will know"
        0.68 in one verse) do not name him, nor make every Solomon of the file his mention.
        Those in the query's script (`loose`) whose document's names hold them, or a run of
        name words beside words like the rest of the name (:func:`_names_hold`,
        :func:`_near_name`), are hits: judged in the order of the score, for the first
        `shown` hits kept (`named` keeps each verdict)."""
        from searchdoc.names.similarity import THRESHOLD

        if not mention_only and not loose:
            return judged
        source = self.reader.source_of()
        whole = {source(j[4]) for j in judged if j[4] not in mention_only and j[4] not in loose
                 and plan.complete(j[2]) and all(v >= THRESHOLD for v in j[6].values())}
        dropped: set[int] = set()
        kept = 0
        for j in sorted(judged, key=lambda j: -j[0]):
            d = j[4]
            if d in loose and (d in named or kept < shown):
                if d not in named:
                    stored = self._stored(plan, d)
                    tiers, spelled = loose[d]
                    named[d] = _names_hold(plan, stored, [i for i, t in enumerate(tiers)
                                                          if t == "variant"]) \
                        or _near_name(plan, stored, tiers, spelled)
                if named[d]:
                    kept += 1
                    continue
            if d in family and not whole:
                kept += 1  # (the family name, where no document names the person whole)
                continue
            if (d in loose or d in mention_only) and not (
                    source(d) in whole
                    # (a list's record is about its own person: another record naming
                    # him whole makes it no mention)
                    and self._stored(plan, d)["meta"].get("kind") != "record"):
                dropped.add(d)
            else:
                kept += 1
        return [j for j in judged if j[4] not in dropped] if dropped else judged

    def _referred(self, plan: QueryPlan, judged: list[tuple[Any, ...]],
                  verdicts: dict[int, bool], mentions: dict[str, set[int]],
                  shown: int) -> list[tuple[Any, ...]]:
        """Of the hits of a query of names holding part of a name of several words in their
        text (not in a name the document states for its subject, nor in a list's record),
        or every word of it in several names, those whose part refers to another person:
        every name of Latin script holding it is another's, in the passage, or in its
        document, which never gives the query's name in full ("Mr Howard" in a report that
        names Michael Howard, for "John Howard"; "J Kelly" in a team's line-up for "Kelly
        Holmes"; "Mr Howard ... John Major's"); or the part is the query's first word without
        its last, in a document that does not name the person whole ("Sir Alan", "the
        Bill" for "Alan Milburn", "Bill Gates": a given name alone is another's, or a
        word). A document that names the person whole keeps its passages that name him in
        part, and one that gives no such name in full decides nothing of a family name.
        Only where a hit holds the whole name, each word as closely as a name of one word
        asks (THRESHOLD_ALONE: "Sa'id AL-JAMAL" is 0.80 and 0.83 of "Jamil El Sayed", whose
        record "Jamil SAYYED" stays): without it, the person may be named under a given
        name the graded similarity does not answer ("Konstantin Kulyk" for
        "Kostyantyn Kulyk", "Dzmitry" for "Dmitri"; tried without, SDN `overlap` recall@10
        in prose fell from .92 to .70 on the tune half). Judged in the order of the score,
        for the first `shown` hits kept (`verdicts` keeps each verdict, `mentions` what the
        names each document gives are)."""
        from searchdoc.names.similarity import THRESHOLD_ALONE

        source = self.reader.source_of()
        whole = {source(j[4]) for j in judged if plan.complete(j[2])
                 and all(v >= THRESHOLD_ALONE for v in j[6].values())}
        if len(plan.needed()) < 2 or not whole or not plan.of_names():
            return judged  # (see above; a query in lower case asks for the words)
        ordered = sorted(judged, key=lambda j: -j[0])
        prefetch = getattr(self.reader, "prefetch_sources", None)
        if prefetch is not None:  # (a cluster reads their documents in a few requests)
            prefetch(source(j[4]) for j in ordered[:2 * shown] if j[4] not in verdicts
                     and "names" not in j[3])
        dropped: set[int] = set()
        kept = 0
        for j in ordered:
            if kept >= shown:
                break
            d = j[4]
            complete = plan.complete(j[2])
            if "names" not in j[3] and (not complete or all(
                    j[2][i] in ("exact", "folded") for i in plan.needed())):
                if d not in verdicts:  # (the whole name in close spellings: see below)
                    verdicts[d] = self._refers_to_other(
                        plan, self._stored(plan, d), mentions, complete,
                        plan.first_only(j[2]) and source(d) not in whole)
                if verdicts[d]:
                    dropped.add(d)
                    continue
            kept += 1
        return [j for j in judged if j[4] not in dropped] if dropped else judged

    def _refers_to_other(self, plan: QueryPlan, stored: dict[str, Any],
                         mentions: dict[str, set[int]], complete: bool, given: bool) -> bool:
        """Whether the part of the query a passage holds refers to another person (see
        :meth:`_referred`); `complete`: it holds every word, which may stand in several
        names of its text, its first word another's given name ("Mr Howard ... John
        Major's"; not "Reuters ... Leon Panetta" for "Reuters Panetta"; judged so only
        where its text writes every word as the query does: the runs of names are read by
        a word's spellings as one script asks, and a close spelling, a compound written
        apart, the judging took may be read another's, "Husam Muhammad LOUKA" for "Houssam
        Louca", "Abdul Fatah QUDSIYAH" for "Abd-al-Fatah Qudsiyah"; tried with them, SDN
        `variant` recall@10 in `prose` fell from .906 to .875 on the tune half); `given`: the
        part is the query's first word, without its last, in a document no hit of which
        holds the whole name: another's unless its text names the person whole in Latin
        script."""
        meta = stored["meta"]
        if meta.get("kind") == "record":
            return False  # (a list's record is about its own person)
        if complete:
            written = {f for w in word_units(meta["text"]) for f in w.folded}
            if not all(written.intersection(plan.units[i].folded) for i in plan.needed()) \
                    or _query_names(plan, meta["text"], first_only=True) != {_OTHERS}:
                return False  # (a word of it joined or split, in a title: read as judged;
                # its first word not another's given name: "Reuters ... Leon Panetta")
        own = _query_names(plan, meta["text"])
        if _PERSON in own or (complete and not own):
            return False  # (the whole name in one, or the words outside names of Latin script)
        if own == {_OTHERS}:
            return True  # (every name holding it is another's; see _namesake)
        source = stored["source"]
        if source not in mentions:  # (the document read only where the passage is not enough)
            mentions[source] = self._full_names(plan, source)
        full = mentions[source]
        return full == {_OTHERS} or (given and _PERSON not in full)

    def _full_names(self, plan: QueryPlan, source: str) -> set[int]:
        """What the names a document gives in full in its text that hold a query word are:
        the query's name (_PERSON), another person's holding part of it (_OTHERS). Nothing
        for a document of more than FULL_NAMES_READ passages (it decides nothing)."""
        docs = self.reader.docs_of_source(source)
        if len(docs) > FULL_NAMES_READ:
            return set()
        found: set[int] = set()
        for d in docs:
            found |= _query_names(plan, self.reader.stored(d)["meta"]["text"])
            if _PERSON in found:
                break
        return found - {_BARE}

    def _without_namesakes(self, plan: QueryPlan, judged: list[tuple[Any, ...]],
                           seen: dict[int, bool], scattered: dict[int, int], shown: int,
                           ) -> list[tuple[Any, ...]]:
        """A passage that holds every word of the query, each in another person's name
        and no more than half of them in one ("Both Mohammad Ali Mirzaei and Hussein
        Arnous" for "Muhammad Husayn"), is no hit. Beside a passage that holds every word
        of the query in one name, one that holds some of them as part of another person's
        name (the sibling "Akram SAAB CERTAIN" for "Shadi Nain Saab Certain") is none
        either, nor one whose own name holds some and another name the rest (a record of
        "OMAR SABAWI IBRAHIM HASAN" whose remarks name an Ali, for "Ali Hassan"; without
        the whole name found, it may be the person under a name it does not state), nor,
        beside it, one holding only common given names of the query, not its last word
        ("SAEED, Muhammad" for "Muhammad Sa'id Izadi", "Muhammad Ibrahim" for "Muhammad
        Ibrahim Said": without the whole name found, a record of such a name is kept, the
        person perhaps under a shorter name). Judged in the order of the score, for the
        first `shown` hits kept: the others can only be shown holding the query as a
        phrase, in one name."""
        needed = plan.needed()
        if len(needed) < 2 or not any(plan.complete(j[2]) for j in judged):
            return judged

        def spread(j: tuple[Any, ...]) -> int:  # (each document read once, whatever the
            if j[4] not in scattered:  # rounds)
                stored = self._stored(plan, j[4])
                scattered[j[4]] = 0 if not (_scattered(plan, needed, stored, j[2])
                                            and self._namesake(plan, stored)) \
                    else OWN_NAME if _states_part(plan, needed, stored) else OTHERS_NAMES
            return scattered[j[4]]

        ordered = sorted(judged, key=lambda j: -j[0])  # (stable: the order of _rank)
        whole = any(plan.complete(j[2]) and not spread(j) for j in ordered)
        out: list[tuple[Any, ...]] = []
        for j in ordered:
            if len(out) < shown:
                if plan.complete(j[2]):
                    if spread(j) == OTHERS_NAMES or (whole and spread(j)):
                        continue
                elif whole:
                    if plan.only_given_matched(j[2]):
                        continue  # (another's name of the query's given names: see above)
                    if j[4] not in seen:
                        seen[j[4]] = self._namesake(plan, self._stored(plan, j[4]))
                    if seen[j[4]]:
                        continue
            out.append(j)
        return out

    def _namesake(self, plan: QueryPlan, stored: dict[str, Any]) -> bool:
        """Whether a passage holds the query words it matched only within other people's
        names: every run of name words holding one (in its text, heading, title or stated
        names) holds a name word the query does not have ("Akram Saab Certain",
        "SOLTANI, Mohammad" for "Mohammad Bagheri"), where the query has words it does
        not. A run that holds nothing but the query's words ("Saab Certain said") is a
        mention of the person by part of the name: the passage stays. The names the
        document states for its subject (a record's name column, a ``Name:`` field) say it
        first, and a record's title, its name: every word of them is a name ("KIM, Jong Man"
        is not Kim Jong Un). In its text, a title or a possessive ends a run ("Brown's
        Britain, Mr Blair" is no name of another Blair)."""
        meta = stored["meta"]
        forms = [q for alts in plan.forms for q in alts]
        # (the parts of a query word the index made one are none: "U'n" of "U'n-so'ng")
        parts = {p for q in forms for e in q.exact for p in _PARTS.split(e)}

        def verdicts(places: Iterable[str], stated: bool, running: bool = False) -> list[bool]:
            out = []
            for place in places:
                for run in _runs(place, False) if running else _name_runs(place):
                    hits = [k for k, w in enumerate(run)
                            if any(_same_name(q, w) for q in forms)]
                    if len(hits) == 1 and not stated and _acronym(place, run[hits[0]]):
                        continue  # (no name: "UN" of "UN List", see _acronyms_only)
                    if hits:
                        out.append(any(self._other_name_word(run, k, hits, stated, place)
                                       for k in range(len(run))
                                       if k not in hits and run[k].exact[0] not in parts)
                                   or _relatives_name(plan, place, run, hits))
            return out

        found = verdicts(_subject_names(stored), True)
        if not found:
            found = verdicts((meta["text"],), False, True) \
                + verdicts((meta["section"], meta["title"]), False)
        return all(found)  # (no run holds them: a word in lower case, a label: no name)

    def _other_name_word(self, run: Sequence[Unit], k: int, hits: Sequence[int],
                         stated: bool = False, place: str | None = None) -> bool:
        """Whether word `k` of a run of name words (`hits`: the ones the query matched) is
        a name word of someone else's: a capitalized Latin word that is no particle or
        title, nor an ordinary English word unless the run is a name the document states,
        a word that makes it an organization's ("AMAN HOLDING COMPANY" for "Mohammad
        Aman Akhund") or, in the text of `place`, a word capitalized inside a sentence
        written in lower case ("described Man Bagheri as", "met Song Hong": given names
        that are also words); an Arabic word beside a matched one that the index knows as
        a word of a name (Arabic script has no capitals to tell a name from a verb)."""
        w = run[k]
        f = w.folded[0]
        if f in organization_words() or _APOSTROPHE_NAME.search(w.exact[0]):
            return True
        if len(f) < 2 or f in PHRASE_GLUE or _honorific(w):
            return False
        if is_arabic(f):
            # (على, "on", folds as علي, Ali: as written, with ى, the preposition that
            # follows a name in a news text, "قرارات العبادي على", no name of another's)
            return (stated or any(abs(k - h) == 1 for h in hits)) \
                and _ON.fullmatch(arabic_as_written(w.exact[0])) is None and any(
                    self.reader.doc_frequency("names", t) for t in w.folded + w.exact)
        return stated or f not in ordinary_words() or (
            place is not None and _capitalized_inside(place, w))

    def _name_aligned(self, plan: QueryPlan, stored: dict[str, Any]) -> bool:
        """Whether a name of the document begins with the query's first word and ends with
        its last (titles aside), in natural order: "Muammar Muhammed Abu Minyar QADHAFI" for
        "Moammar Kadafi", not his son "Mohammed Muammar QADHAFI"."""
        needed = plan.needed()
        if len(needed) < 2:
            return False
        first, last = plan.forms[needed[0]], plan.forms[needed[-1]]
        for name in [stored["meta"]["title"], *stated_names(stored)][:MAX_NAMES_JUDGED]:
            words = [t for t in units(listing_order(name))
                     if len(t.folded[0]) > 1 and not _honorific(t)]
            if len(words) >= 2 and any(_match_quality(q, words[0]) for q in first) \
                    and any(_match_quality(q, words[-1]) for q in last):
                return True
        return False

    def _names_coverage(self, plan: QueryPlan, stored: dict[str, Any]) -> tuple[float, bool]:
        """How much of a name of the document (its title, a name it states) the query
        holds, at best: the mean over the words of the name of how closely a query word
        matches each (every word of a name counts: "Muhammad" in "SURI, Muhammad" is as
        much that man's name as "Suri"). A query that adds words to a document's name (a
        middle name, a second surname) still names that document's subject. And whether
        the query holds every word of one of its names: the name is the query's, with
        no word of its own (the son's "Ali Barzan Ibrahim Hasan" has one). A patronymic
        no query word answers, in a name of three words or more, is no word of the name's
        own: it names the father, which lists write and queries leave out ("GUBAREV,
        Pavel Yuryevich" is "Pavel Gubarev", as "KUBAREV, Pavel" is not)."""
        best, whole = 0.0, False
        named = [units(n) for n in [stored["meta"]["title"], *stated_names(stored)]
                 [:MAX_NAMES_JUDGED]]
        for name in named:
            words = [t for t in name[:MAX_QUERY_UNITS]
                     if len(t.folded[0]) > 1 and not _honorific(t)]
            scores = [max((_graded_quality(q, t) for alts in plan.forms for q in alts),
                          default=0.0) for t in words]
            if len(words) >= 3:
                scores = [v for v, t in zip(scores, words, strict=True)
                          if v or t is words[0] or PATRONYMIC.search(t.folded[0]) is None]
            if scores:
                best = max(best, sum(scores) / len(scores))
                whole = whole or all(scores)
        return best, whole

    def _through_aliases(self, plan: QueryPlan, direct: list[_Candidate], depth: int,
                         flt: Any) -> list[_Candidate]:
        """Passages that name the person the query names by their other names; ranked
        below the direct hits (score scaled by ALIAS_WEIGHT and capped under the weakest
        good direct hit) and marked with the alias that found them.

        Bounded whatever the number of names and entities (:func:`_alias_words`): nothing
        is done when the good direct hits fill every place an alias hit could take; at
        most ALIAS_WORDS words of the other names are searched, in the text only (their
        distinctive keys: :func:`_distinctive_keys`); the entity lookup reads only the
        entities that hold the query's words; stored passages are read only for hits that
        can be shown. A record of a list that is another person's (a namesake sharing a
        word) is no alias hit."""
        entities = self.entities()
        if not len(entities):
            return []
        good = [c.score for c in direct if c.quality >= 0.5]
        room = max(depth // DEPTH_FACTOR, 1) - len(good)  # depth // 3 >= the hits asked for
        if room <= 0:
            return []  # an alias hit ranks below every good direct hit: none could be shown
        expansion = entities.expansion(plan.text)
        if expansion is None:
            return []
        clauses, by_word = _alias_terms(self.reader, expansion, plan.units)
        if not clauses:
            return []
        seen = {c.passage.id for c in direct}
        ceiling = min(good, default=None)
        out: list[_Candidate] = []
        results = _rank(self.reader, clauses, room + len(direct), flt, self._cache)
        best = max((score for score, _d, _m in results), default=0.0) or 1.0
        reads = room + ALIAS_EXTRA_READS  # passages read to find at most `room` alias hits
        for r_score, docnum, matched in results:
            alias = _alias_found(expansion, by_word, matched)
            if alias is None:
                continue
            if reads == 0:
                break
            reads -= 1
            fields = self.reader.stored(docnum)
            if fields["id"] in seen:
                continue
            record = fields["meta"].get("record")
            if record is not None and entities.entity_of_record(
                    fields["source"], record) not in (None, expansion.entity["id"]):
                continue  # a record about another person who shares a word of a name
            if not self._alias_named(plan, expansion, fields):
                continue  # a look-alike of a word, a given name alone, another person's
            # Another name of the person, in the passage, says who it is about (one word
            # of it found it, :meth:`_alias_named` judged it): scored from the best direct
            # hit of the name, times ALIAS_WEIGHT, a little more where more of that name is
            # there; below every good direct hit.
            strength = 0.75 + 0.25 * r_score / best
            score = (max(good) if good else r_score) * ALIAS_WEIGHT * strength
            if ceiling is not None:
                score = min(score, ceiling * 0.99)
            out.append(_Candidate(passage_from_stored(fields), score, QUALITY["variant"],
                                  (), alias=alias, name_score=NAME_SCORE_ALIAS))
            if len(out) >= room:
                break
        # Other documents first: each further passage of a source (one with a direct hit
        # has had one) counts a little less.
        shown = Counter(c.passage.source for c in direct)
        out.sort(key=lambda c: -c.score)
        for i, c in enumerate(out):
            out[i] = replace(c, score=c.score * ALIAS_SOURCE_DECAY ** shown[c.passage.source])
            shown[c.passage.source] += 1
        return out

    def _alias_named(self, plan: QueryPlan, expansion: Expansion,
                     stored: dict[str, Any]) -> bool:
        """Whether a passage the keys of another name of the person found names him by
        it: it spells (:func:`_same_name`) every word of that name (of three letters or
        more, particles aside) within the span of one name, or its last word as written
        where that is distinctive (a family name: "Daqduq" of "Ali Musa Daqduq"; "Blank" is
        another spelling of "Blanc" of "AIGLE BLANC", and no mention of him); a given
        name alone ("Yves" of "Yves Andoul Karim", فضل "credit" of "فضل رحيم") or the son's
        name of a kunya without its "Abu" (اثر "effect" for "Abu al-Athir") says nothing of
        who. Words written as names only (not "meteor" for "Matiur", "user" for "Asir"); in
        the other script, only as closely as one script asks (THRESHOLD), and whole; not a
        title nor a common word of Arabic (السيد "Mr." and قادر "able" of an Arabic text
        are no "Kader Es Sayed"). And a
        run of name words holding them holds no name word of someone else's ("Yves
        Arrouye", "Barry Warsaw" in a copyright file)."""
        from searchdoc.names.similarity import THRESHOLD, similarity

        def spells(u: Unit, w: Unit) -> bool:
            return _same_name(u, w) and (is_arabic(u.folded[0]) == is_arabic(w.folded[0])
                                         or similarity(u, w) >= THRESHOLD)

        distinctive = {u.folded[0] for u in expansion.search_units()}
        known = [u for a in expansion.aliases for u in (*units(a.name), *word_units(a.name))
                 ] + list(plan.units)  # (compounds as one word and as two: "Abdel Salam")
        meta = stored["meta"]
        places = [p for p in (meta["title"], meta["section"], meta["text"], *stated_names(stored))
                  if p]
        words = [w for p in places for w in (*_as_names(p), *(
            u for u in units(p) if len(u.folded) > 1 and (is_arabic(u.folded[0]) or u.name_like)))
                 if not _honorific(w) and (w.folded[0] not in english_words()
                                           if not is_arabic(w.folded[0])
                                           else not _ordinary_arabic(w))]
        for alias in expansion.aliases:
            own = [u for u in units(alias.name)
                   if len(u.folded[0]) >= 3 and u.folded[0] not in PHRASE_GLUE]
            if not any(u.folded[0] in distinctive for u in own):
                continue
            written = tuple(exact_words(alias.name))
            if written and written[0] in _KUNYA:  # (the whole kunya, as the list writes it)
                if any(_holds_phrase(p, written) for p in places):
                    return True
                continue
            found = [u for u in own if any(spells(u, w) for w in words)]
            if len(found) < len(own):
                last = own[-1]
                if len(own) < 2 or last.folded[0] not in distinctive or not any(
                        set(last.folded) & set(w.folded) for w in words):
                    continue
                found = [last]
            wide = len(own) + NAME_SPAN_EXTRA
            for place in places:
                for run in _name_runs(place):
                    hits = [k for k, w in enumerate(run) if any(spells(u, w) for u in found)]
                    if hits and hits[-1] - hits[0] < wide and all(
                            any(spells(u, run[k]) for k in hits) for u in found) and not any(
                            self._other_name_word(run, k, hits) for k in range(len(run))
                            if k not in hits and not any(_same_name(q, run[k]) for q in known)):
                        return True
        return False

    def _source_filter(self, pattern: str | None) -> set[int] | None:
        """The documents of the sources a pattern names (None: no pattern; an empty set:
        no source matches)."""
        if not pattern:
            return None
        # every source indexed, the documents inside files included (mail.eml/a.pdf)
        names = [s for s in self.reader.sources() if source_matches(s, pattern)]
        docs: set[int] = set()
        for n in names:
            docs.update(self.reader.docs_of_source(n))
        return docs

    def passage(self, pid: str) -> Passage | None:
        docnum = self.reader.docnum_of(pid)
        return None if docnum is None else passage_from_stored(self.reader.stored(docnum))


def source_matches(source: str, pattern: str) -> bool:
    """Whether an indexed source (``in/mail/box.mbox/report.pdf``) is one `--source`
    names: a run of whole path components (``mail``, ``in/mail``, ``box.mbox``; never
    ``Ismail_Khan.odt`` for ``mail``), each of which may be a glob (``*.pdf``,
    ``2024-*``), or a glob over the whole path whose ``*`` crosses folders
    (``in/*/report.pdf``)."""
    import fnmatch

    pattern = pattern.strip()
    while pattern.startswith("./"):
        pattern = pattern[2:]
    pattern = pattern.strip("/")
    if not pattern:
        return False
    wanted = pattern.split("/")
    parts = source.split("/")
    for i in range(len(parts) - len(wanted) + 1):
        if all(fnmatch.fnmatchcase(parts[i + k], w) for k, w in enumerate(wanted)):
            return True
    return any(ch in pattern for ch in "*?[") and fnmatch.fnmatchcase(source, pattern)


def _closest_across(plan: QueryPlan, judged: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Where a hit answers a word of the query in the other script as closely as a name of
    one word asks in one (THRESHOLD_ALONE), a hit answering that word in the other script
    ACROSS_MARGIN or more less closely is no hit: Arabic script writes no short vowel, and
    one Latin spelling reads as several words of it (لينغز is "Lings", 0.93; كالينيكوس,
    Kalinikos, 0.63, is another name where the collection holds the closer one; ظريف is
    Zarif, 0.88, and ظروف, "circumstances", 0.71, no word of "Mohammad Javad Zarif")."""
    from searchdoc.names.similarity import THRESHOLD_ALONE

    best: dict[int, float] = {}
    for j in judged:
        for i in j[7]:
            best[i] = max(best.get(i, 0.0), j[6].get(i, 0.0))
    needed = set(plan.needed())
    far = {i: b - ACROSS_MARGIN for i, b in best.items() if b >= THRESHOLD_ALONE and i in needed}
    if not far:
        return judged
    return [j for j in judged if not any(j[6].get(i, 0.0) < far[i] for i in j[7] if i in far)]


def _common_given(u: Unit) -> bool:
    """Whether a query unit is a common given name (:func:`searchdoc.names.agree.common_given`)."""
    from searchdoc.names.agree import common_given

    return common_given(u)


def _honorific(u: Unit) -> bool:
    """An honorific standing alone ("Dr.", "Shaykh"): not "al-Sayyid", a name."""
    return not u.keys and u.folded[0] in HONORIFICS


def _graded(plan: QueryPlan, stored: dict[str, Any], matched: set[tuple[str, str]],
            tiers: Sequence[str],
            ) -> tuple[set[tuple[str, str]], dict[int, float], set[int], list[int],
                       frozenset[str]]:
    """`matched` without the spelling-variant matches of the query words that no word of
    the passage spells closely enough (:func:`searchdoc.names.similarity.similarity` under
    its threshold): in its text or heading for the ``variant`` field, in its title or
    stated names for ``names``. One passage word (by its letters: a title repeats the
    name the text gives) answers one query word: the closest pairs are taken first. A word-by-word scan first; for a query word it does not answer,
    the units as the index made them (a particle attached) and two adjacent ones joined
    ("Walijan", ولی جان). Also the similarity of each query word answered, by index, the
    query words answered by a word of the other script, those no word answers, and the
    passage words (folded) that answer."""
    from searchdoc.names.similarity import (
        THRESHOLD,
        THRESHOLD_ALONE,
        attached_similarity,
        similarity,
        threshold,
    )

    places = _word_places(stored)
    subject = _subject_names(stored)
    judged = [i for i, tier in enumerate(tiers) if tier == "variant"]
    latin = {i for i in judged if not is_arabic(plan.forms[i][0].folded[0])}
    alone = sum(not o for o in plan.optional or (False,) * len(plan.units)) == 1
    # per query word, the other words of the name (not the optional ones)
    others = [[u for j, u in enumerate(plan.units)
               if j != i and not (plan.optional and plan.optional[j])]
              for i in range(len(plan.units))]
    answered: dict[int, float] = {}
    spelled: dict[int, str] = {}  # ... and the passage word (folded) answering each
    across: set[int] = set()  # query words answered by a word of the other script
    # the passage words answering, by form (a title repeats a name), each with the joined
    # spelling of two query words it answers (it answers both: "Shamsuddin", شمس الدين)
    used: dict[str, int] = {}  # (the query word it answers)
    carried: set[int] = set()  # query words whose keys a single word carries
    kin = plan.kin
    # (a name of one word the collection holds as typed: an answer of the other script is
    # judged as closely as one of its own, "Khanjar" at 0.63 no هينر where هينر is written)
    typed = {i for i in judged if alone and plan.tier_terms[i]["exact"]}
    for joined_words in (False, True):
        options: list[tuple[float, int, str, Unit | None]] = []
        for i in judged:
            if i in answered or (joined_words and i in carried):
                continue  # (a word that carries the key and is no close spelling: no match)
            pairs = plan.tier_terms[i]["variant"] & matched
            keys = {t for _f, t in pairs}
            for field in sorted({f for f, _t in pairs}):
                # (found in this field by gated keys only, a common name's: the word stands
                # beside another of the query's, or it is no match)
                beside = others[i] if all(p in plan.gated for p in pairs if p[0] == field) \
                    else None
                for place in places.get(field, ()):
                    words = _place_pairs(place) if joined_words else _place_units(place)
                    for w in words if place else ():
                        if not keys.isdisjoint(w.keys) or not keys.isdisjoint(w.folded):
                            if i in kin and is_arabic(w.folded[0]) and not _with_particle(w) \
                                    and not _PARTICLE_BEFORE.search(
                                        place, max(0, w.start - 12), w.start):
                                continue  # (its particle not written: another's name)
                            carried.add(i)
                            # (for a Latin query word, a word of Arabic script in a name of
                            # the document, or after a title or a word that introduces a
                            # name, is a name, whatever else it is: see similarity)
                            named = i in latin and is_arabic(w.folded[0]) and (
                                (field == "names" and (place in subject
                                                       or _title_is_name(place)))
                                or _introduced(place, w.start))
                            # (two query words run together are judged where the
                            # passage word carries a key of theirs: keys find, the
                            # similarity decides; "Chol Man" is not Hellman)
                            attached = bool(through := rest_keys(w)) and not keys.intersection(
                                w.folded) and keys.intersection(w.keys) <= through
                            if attached:
                                # (found by the keys of the name after a particle joined
                                # to it only: that name, or no match)
                                sim, q = attached_similarity(plan.forms[i][0], w, named), \
                                    plan.forms[i][0]
                            else:
                                sim, q = max(((similarity(q, w, named)
                                               if q is plan.forms[i][0]
                                               else _joined_answer(q, w, plan.units), q)
                                              for q in plan.forms[i]
                                              if q is plan.forms[i][0] or _shares_key(q, w)),
                                             key=lambda sq: sq[0])
                            least = threshold(plan.forms[i][0].folded[0], w.folded[0])
                            if alone and (least == THRESHOLD or i in typed):
                                least = THRESHOLD_ALONE
                            if sim < least and not named and i in latin and others[i] \
                                    and q is plan.forms[i][0] and is_arabic(w.folded[0]) \
                                    and (read := (attached_similarity if attached
                                                  else similarity)(q, w, True)) >= least \
                                    and _next_to(place, w, others[i]):
                                # (a common word of Arabic beside a word spelling another of
                                # the query's is a name: معمر, "aged", of معمر القذافي)
                                sim = read
                            if sim < least or (q is not plan.forms[i][0] and sim < THRESHOLD):
                                # (two query words as one: a long word, judged as in one
                                # script: "Mahmoud Abbas" is not معذبش at 0.65)
                                continue
                            if beside is not None and not _next_to(place, w, beside):
                                continue
                            options.append((sim, i, w.folded[0],
                                            None if q is plan.forms[i][0] else q))
        options.sort(key=lambda o: -o[0])
        for sim, i, word, via in options:
            if i not in answered and (word not in used or (
                    via is not None and any(via is f for f in plan.forms[used[word]]))):
                answered[i] = sim
                spelled[i] = word
                used.setdefault(word, i)
                if is_arabic(word) != is_arabic(plan.forms[i][0].folded[0]):
                    across.add(i)
        if len(answered) == len(judged) or carried >= set(judged) - set(answered):
            break
    failed = [i for i in judged if i not in answered]
    keep = set().union(*(plan.tier_terms[i]["variant"] for i in answered)) if answered \
        else set()
    drop = set().union(*(plan.tier_terms[i]["variant"] for i in failed)) - keep
    return matched - drop, answered, across, failed, frozenset(spelled.values())


# (not "bu", a syllable of a Korean name too: "Bu-il")
_KIN_PARTICLES = (frozenset(KIN) | frozenset(ARABIC_KIN)) - {"bu"}
# a particle of kinship ending the text before a word (bin, ibn, abu; بن، ابن، أبو)
_PARTICLE_BEFORE = re.compile(
    r"(?:^|[^\w])(?:" + "|".join(sorted(
        _KIN_PARTICLES | {"أبو", "إبن", "أبي", "أبا"}, key=len, reverse=True))
    + r")[\s\-\u2010\u2011]*$", re.IGNORECASE)


def _particle_attached(u: Unit) -> bool:
    """Whether a unit is a name with a particle of kinship the index attached to it
    ("bin-salman", أبو-بكر)."""
    first = u.folded[0]
    return any(f != first and f.endswith(first) and f[:-len(first)] in _KIN_PARTICLES
               for f in u.folded)


def _with_particle(u: Unit) -> bool:
    """Whether a passage's unit is a name with a particle of kinship, attached or written
    as one word with it (أبوبكر, بنلادن)."""
    first = u.folded[0]
    return _particle_attached(u) or any(
        first.startswith(k) and len(first) > len(k) + 2 for k in ("ابو", "بن"))


def _joined_answer(q: Unit, w: Unit, parts: Sequence[Unit]) -> float:
    """How close passage word `w` is to two query words run together (`q`): a single word
    as :func:`searchdoc.names.similarity.joined_similarity` says ("Shamsuddin"), but 0 where
    one of the query's words spells it as closely alone (محمد is 0.78 of "محمد عطا" run
    together, and answers no عطا); a word the index joined with the next one
    ("Mohammad-Ali") word by word, as closely as its worse word ("محمد ولي" is no "محمد
    علي": ولي is 0.6 of علي)."""
    from searchdoc.names.similarity import THRESHOLD, joined_similarity, similarity

    if len(w.folded) == 1 or not any(f.startswith(w.folded[0]) for f in w.folded[1:]):
        sim = joined_similarity(q, w)
        if sim < THRESHOLD:
            return sim  # (no answer anyway)
        alone = [a for u in parts if (a := _word_alone(u.folded[0])) is not None]
        return 0.0 if any(_same_name(u, w) and similarity(u, w) >= sim for u in alone) \
            else sim
    first = w.folded[0]
    head = _word_alone(first)
    for a, b in pairwise(parts):
        if head is not None and a.folded[0] + b.folded[0] in q.folded:
            for form in w.folded[1:]:
                rest = _word_alone(form[len(first):]) if form.startswith(first) else None
                if rest is not None:
                    return min(similarity(a, head), similarity(b, rest))
    return joined_similarity(q, w)


# على, "on", as written (with و or ف before it); علي (Ali), as على folds
_ON = re.compile("[\u0648\u0641]?\u0639\u0644\u0649")
_ALI = "\u0639\u0644\u064a"


def _ordinary_arabic(u: Unit) -> bool:
    """Whether a word of Arabic script is a common word of Arabic or Persian as written
    (data/ordinary_words_arabic.txt: no common given name is)."""
    return arabic_as_written(u.exact[0]) in arabic_ordinary_words()


@lru_cache(maxsize=1024)
def _word_alone(folded: str) -> Unit | None:
    """A word as a unit of its own (without the spelling joined with the next one)."""
    found = units(folded)
    return found[0] if found else None


def _word_places(stored: dict[str, Any]) -> dict[str, list[str]]:
    """Where a passage writes the words a query word may match, by the field that indexes
    them: its text and its heading (``variant``), its title and each name its document
    states (``names``); each a place of its own (a title repeats the name the text
    gives)."""
    meta = stored["meta"]
    return {"variant": [meta["text"], meta["section"]],
            "names": [meta["title"], *stated_names(stored)]}


def _unrepeated(repeated: list[list[int]], plan: QueryPlan, tiers: Sequence[str],
                stored: dict[str, Any]) -> set[int]:
    """The query words a passage does not answer because the query repeats them: a word
    written once ("GOMEZ, Juan") answers one "GOMEZ" of "Viviana GOMEZ GOMEZ", the last
    ones are left. Counted a place at a time (:func:`_word_places`)."""
    places = [place for field in _word_places(stored).values() for place in field]
    left: set[int] = set()
    for group in repeated:
        answered = [i for i in group if tiers[i]]
        if len(answered) < 2:
            continue
        q = plan.units[answered[0]]
        most = max((sum(1 for w in word_units(place) if _same_name(q, w))
                    for place in places if place), default=0)
        left.update(answered[max(most, 1):])
    return left


def _titles_only(surnamed: Sequence[int], plan: QueryPlan, tiers: Sequence[str],
                 stored: dict[str, Any]) -> set[int]:
    """The query words (of `surnamed`: :attr:`QueryPlan.surnamed`) a passage writes only
    as a title: before a name, after none ("Sheikh Omar", "ABU UBAIDAH, Sheikh Ahmed"), not
    as a name ("SHEIKH, Umair", "Khalid Sheikh Mohammed", "Omar Sheikh said"). "Sheikh" as
    a title does not answer the surname of "Omar Saeed Sheikh"."""
    places = [p for field in _word_places(stored).values() for p in field if p]
    left: set[int] = set()
    for i in surnamed:
        if tiers[i] not in ("exact", "folded"):
            continue  # (a spelling variant has keys: a title has none)
        word = _whole_word(plan.units[i].folded[0])
        if not any(not _title_at(p, m.start(), m.end()) for p in places
                   for m in word.finditer(p)):
            left.add(i)
    return left


# a name word right after a word (a title before it), and a name word right before one
_NAME_AFTER = re.compile(r"[ \t]+[^\W\d_]")
_NAME_BEFORE = re.compile(r"[^\W\d_][\w'’.-]*[ \t]+$")


def _title_at(text: str, start: int, end: int) -> bool:
    """Whether the word at `start`:`end` of `text` is a title: a name word (capitalized, or
    of a script without case) after it, none before it (another title may be: "Dr.")."""
    after = _NAME_AFTER.match(text, end)
    if after is None or not capitalized(text[after.end() - 1]):
        return False
    before = _NAME_BEFORE.search(text, max(0, start - 40), start)
    return before is None or not capitalized(text[before.start()]) \
        or before.group().strip().rstrip(".").casefold() in HONORIFICS


def _lower_case_only(cased: list[int], plan: QueryPlan, tiers: Sequence[str],
                     stored: dict[str, Any]) -> set[int]:
    """The query words (of `cased`: :meth:`QueryPlan.cased`) a passage writes only in
    lower case where it writes names with capitals: "said" in "Daniel Frosch said" does
    not answer the "Said" of "Said Frosch". A name the document states answers in any
    case, and so does a place with no capital at all (a title made of a file name, a
    text in lower case)."""
    places = _word_places(stored)
    title, *stated = places["names"]  # (the title is cased as the text is)
    cased_places = [p for p in (*places["variant"], title) if p]
    ordinary = ordinary_words()
    left: set[int] = set()
    for i in cased:
        if tiers[i] not in ("exact", "folded"):
            continue  # (a spelling variant is written as a name: it has keys)
        q = plan.units[i]
        # (an English word a query of names made a name, "Grin" of "Viktor Grin", is no
        # name-like word in a text: there, capitalized is written as a name, "GRIN")
        english = len(q.exact) == 1 and q.exact[0] in ordinary
        if not any(_same_name(q, w) for p in stated for w in word_units(p)) \
                and not any(_same_name(q, w) for p in cased_places
                            for w in _as_names(p, english)):
            left.add(i)
    return left


def _as_written(which: Iterable[int], plan: QueryPlan, tiers: Sequence[str],
                stored: dict[str, Any]) -> Iterator[tuple[int, list[tuple[str, Unit]]]]:
    """For each query word of `which` a passage matched as written (or in the same
    letters), the words of its text, heading, title and stated names that spell it, each
    with the place that writes it."""
    places = _word_places(stored)
    for i in which:
        if tiers[i] in ("exact", "folded"):
            q = plan.units[i]
            yield i, [(p, w) for field in ("variant", "names") for p in places[field] if p
                      for w in word_units(p) if set(q.folded) & set(w.folded)]


def _prepositions_only(ali: Sequence[int], plan: QueryPlan, tiers: Sequence[str],
                       stored: dict[str, Any]) -> set[int]:
    """The query words written علي (`ali`: :attr:`QueryPlan.ali`) a passage writes only as
    على ("on", the most common word of an Arabic text), which folds as the name does: the
    preposition answers no name, but in a name the document states, a record's (an
    Egyptian spelling writes Ali so: "على السيد محمد مصطفى بكري"), it is the name. (In
    a text, the other words of the name still find such a spelling.)"""
    subject = _subject_names(stored)
    return {i for i, found in _as_written(ali, plan, tiers, stored)
            if found and all(p not in subject and _ON.fullmatch(arabic_as_written(w.exact[0]))
                             for p, w in found)}


def _particles_missing(kin: Collection[int], plan: QueryPlan, tiers: Sequence[str],
                       stored: dict[str, Any]) -> set[int]:
    """The query words written with a particle of kinship (`kin`: :attr:`QueryPlan.kin`)
    a passage writes as they are, without it: "الملك سلمان", King Salman, and a محمد
    elsewhere are no "محمد بن سلمان", his son."""
    left: set[int] = set()
    for i, found in _as_written(kin, plan, tiers, stored):
        bare = [(p, w) for p, w in found if is_arabic(w.folded[0])]
        if bare and not any(_with_particle(w) or _PARTICLE_BEFORE.search(
                p, max(0, w.start - 12), w.start) for p, w in bare):
            left.add(i)
    return left


def _acronyms_only(short: list[int], plan: QueryPlan, tiers: Sequence[str],
                   stored: dict[str, Any]) -> set[int]:
    """The query words (of `short`: :meth:`QueryPlan.short`) a passage writes only as an
    acronym (in capitals, no comma after: not "RI, Thae Chol"), in none of the names the
    document states nor its title, and beside no other word of the query: "UN" of "UN
    List" in a record of Kim Jong Sik does not answer the "Un" of "Kim Jong Un", nor the
    "UK" of a profile the "Uk" of "Won Uk Pae"."""
    places = _word_places(stored)
    if all(p.isupper() for p in places["variant"] if p):
        return set()  # (a text all in capitals writes its names so too)
    left: set[int] = set()
    for i in short:
        if tiers[i] not in ("exact", "folded"):
            continue  # (a spelling variant has keys: an acronym has none)
        q = plan.units[i]
        word = _whole_word(q.folded[0])
        # where the passage writes it: found by its letters (read word by word where
        # written with others, accents: "JÓ" for "Jo")
        written = [(p, m.start(), m.end()) for p in places["variant"] if p
                   for m in word.finditer(p)] or [
            (p, w.start, w.end) for p in places["variant"] if p
            for w in word_units(p) if set(q.folded) & set(w.folded)]
        if any(not p[a:b].isupper() or p.startswith(",", b) for p, a, b in written):
            continue  # (as a name, or before a comma: "RI, Thae Chol")
        if any(_same_name(q, w) for p in places["names"] if p for w in word_units(p)):
            continue
        others = [f for k, alts in enumerate(plan.forms) if k != i for f in alts]
        if not any(_beside(p, a, others) for p, a, _b in written):
            left.add(i)
    return left


def _acronym(text: str, w: Unit) -> bool:
    """Whether a word of two or three letters of `text` is written as an acronym: in
    capitals, no comma after ("UN List"; not "RI, Thae Chol"), in a text not all in
    capitals, and not the whole value of a field ("Surname: KIM")."""
    if not (2 <= len(w.folded[0]) <= 3 and text[w.start:w.end].isupper()
            and not text.startswith(",", w.end) and not text.isupper()):
        return False
    line_start = text.rfind("\n", 0, w.start) + 1
    line_end = text.find("\n", w.end)
    line = text[line_start:len(text) if line_end < 0 else line_end]
    return _FIELD_VALUE.fullmatch(line, w.start - line_start) is None \
        or _LABEL_BEFORE.search(line, 0, w.start - line_start) is None


# what stands after a field's label when the word is its whole value, and the label
_FIELD_VALUE = re.compile(r"\w+[ \t]*")
_LABEL_BEFORE = re.compile(r"^[^:\n]{1,40}:[ \t]*$")


@lru_cache(maxsize=256)
def _whole_word(folded: str) -> re.Pattern[str]:
    """A word as a whole word, in any case."""
    return re.compile(r"(?<![^\W_])" + re.escape(folded) + r"(?![^\W_])", re.IGNORECASE)


_AROUND = 160  # characters either side of a word read for the run of names it stands in


def _beside(text: str, start: int, others: Sequence[Unit]) -> bool:
    """Whether the word of `text` at `start` stands in a run of name words beside a word
    spelling one of `others` (the other words of the query: "KIM Jong UN"): read in the
    words around it (a run of names is short)."""
    begin = max(0, start - _AROUND)
    text, start = text[begin:start + _AROUND], start - begin
    for run in _name_runs(text):
        if any(w.start == start for w in run):
            return any(_same_name(o, v) for v in run if v.start != start for o in others)
    return False


def _next_to(text: str, w: Unit, others: Sequence[Unit]) -> bool:
    """Whether the word `w` of `text` stands within NEXT_TO words of a word spelling one of
    `others`, or of two adjacent words joined that spell one ("عبد الله", Abdullah)."""
    found = units(text)
    at = next((k for k, u in enumerate(found) if u.start <= w.start < u.end), None)
    if at is None:
        return False
    lo, hi = max(0, at - NEXT_TO), min(len(found), at + NEXT_TO + 1)
    near = [found[k] for k in range(lo, hi) if k != at]
    near += [j for k in range(lo, hi - 1) if at not in (k, k + 1)
             and (j := joined(found[k], found[k + 1])) is not None]
    # (a word beside one carrying the key of another word of the query stands where a
    # name does: معمر, "aged", beside القذافي)
    return any(_same_name(o, v, True) for v in near for o in others)


def _as_names(place: str, capitalized: bool = False) -> Iterator[Unit]:
    """The words of a place that may be names: in a place with capitals, the words
    written with one (or in a script without case; `capitalized`: whether name-like or
    not, an ordinary word of English too); in one without, every word."""
    if not any(c.isupper() for c in place):
        yield from word_units(place)
    else:
        yield from (w for w in word_units(place, names_only=True) if w.name_like or capitalized)


_LABEL = re.compile(r"[ \t]*:")
# Words in lower case that stand between the words of a name (beside the Arabic particles)
_NAME_GLUE = EUROPEAN_PARTICLES | frozenset("y e bin ibn bint ben abu".split())
_RUN_GAP = re.compile(r"[ \t\u00a0\-\u2010\u2011\u2013'’]*,?[ \t\u00a0]*")
_INITIAL_GAP = re.compile(r"\.[ \t\u00a0]*")  # after an initial ("Fahad Shabib A. ALBALAWI")


@lru_cache(maxsize=1024)
def _name_runs(text: str) -> tuple[tuple[Unit, ...], ...]:
    """The runs of name words of a text: words written as names (capitalized, or in
    Arabic script), the particles between them and the parts after a hyphen, apart only by
    spaces, hyphens or one comma ("SAAB CERTAIN, Akram"; "Maria del Rosario Garcia";
    "CHOE, Chun-sik"), or the period of an initial ("Fahad Shabib A. Albalawi")."""
    runs: list[tuple[Unit, ...]] = []
    run: list[Unit] = []
    end = 0
    for start, stop in word_spans(text):
        # (capitalized, or a script without case; not a field's label: "Name:", "الاسم:")
        written = not text[start].islower() and not _LABEL.match(text, stop)
        if not written and not run:
            end = stop  # (a word in lower case outside a name: nothing to make of it)
            continue
        w = word_unit(text, start, stop)
        # a particle ("de", "bin") or the part after a hyphen ("Chun-sik") within a name
        inside = w.folded[0] in PARTICLES or w.folded[0] in _NAME_GLUE \
            or (w.start > 0 and text[w.start - 1] in "-\u2010\u2011")
        if (written or (inside and run)) and run and (
                _RUN_GAP.fullmatch(text, end, w.start)
                or (run[-1].end - run[-1].start == 1 and text[run[-1].start].isupper()
                    and _INITIAL_GAP.fullmatch(text, end, w.start))):
            run.append(w)
        else:
            if run:
                runs.append(tuple(run))
            run = [w] if written else []
        end = w.end
    if run:
        runs.append(tuple(run))
    return tuple(runs)


_LOWER_BEFORE = re.compile(r"[a-z\u00df-\u00ff][ \t]+$")


def _capitalized_inside(text: str, w: Unit) -> bool:
    """Whether a word of `text` is capitalized (not all capitals) after a word in lower
    case, one space apart: a name inside a sentence, whatever else it spells ("described
    Man Bagheri", "and Song Hong"); not the first word of a sentence, nor a word of a
    heading in title case."""
    written = text[w.start:w.end]
    return written[:1].isupper() and not written.isupper() and w.start > 0 \
        and _LOWER_BEFORE.search(text, max(0, w.start - 24), w.start) is not None


# How a passage holding every query word spreads them (Searcher._without_namesakes): its
# own name holds some, another person's the rest; or other people's names hold them all
OWN_NAME, OTHERS_NAMES = 1, 2
# The words of a name stand within this many words more than the name has (a middle name,
# a patronymic between: "Ali Barzan Ibrahim Hasan" for "Ali Hasan")
NAME_SPAN_EXTRA = 3


# What a name holding a query word is (Searcher._referred): the query's name
# in full, another person's name holding part of it, or the part alone ("Mr Howard")
_PERSON, _OTHERS, _BARE = 0, 1, 2
# A document of more passages than this is not read for the names it gives in full
FULL_NAMES_READ = 400
# A word after the query's first word at least this close to its last word, which is in no
# passage, is that word in a spelling the variant keys do not reach (_family_beside)
FAMILY_BESIDE = 0.5


def _query_names(plan: QueryPlan, text: str, first_only: bool = False) -> set[int]:
    """What the names of running text of Latin script holding a query word that is not
    optional are: the query's name, its first word and another at least (_PERSON: "Dr.
    Ibrahim 'Awwad Ibrahim 'Ali AL-BADRI" for "Ibrahim Awwad Ibrahim Al-Samarra'i"; not
    "Akram Saab Certain" for "Shadi Nain Saab Certain"); another person's, the query's family
    name right after or its given name right before a word of a person's name of its own
    (:func:`_persons_word`, not an acronym; after the given name, a word capitalized
    inside a sentence too, "in John Major's government": "Michael Howard", "Gordon D'Arcy" for "John
    Howard", "Gordon Strachan"; an initial of none of its given names: "M Blair" for "Tony
    Blair": _OTHERS); the query's words alone ("Mr Howard": _BARE). A name holding a query
    word elsewhere ("Howard Flight" for "Michael Howard", "Sacked MP Howard Flight") is
    none of them. The names are the runs of name words cut where a comma, a title or a
    possessive ends a name ("Brown's Britain, Mr Blair" is no Britain Blair). `first_only`:
    only the names holding the query's first word."""
    needed = plan.needed()
    first, last = needed[0], needed[-1]
    initials = {plan.units[i].folded[0][:1] for i in needed[:-1]}
    out = set()
    for run in _runs(text, True):
        of = [set() if is_arabic(w.folded[0]) else
              {i for i in needed if any(_same_name(q, w) for q in plan.forms[i])}
              for w in run]
        if not any(of) or (first_only and not any(first in w for w in of)):
            continue
        found = set().union(*of)
        if first in found and len(found) > 1:
            out.add(_PERSON)  # (its first word and another in one name: his)
            continue
        own = {k for k in range(len(run)) if not of[k] and _another_word(plan, text, run[k],
                                                                       initials)}
        if any((last in of[k] and k - 1 in own) or (first in of[k] and k + 1 < len(run) and (
                k + 1 in own or (not of[k + 1] and _name_inside(text, run[k], run[k + 1])
                                 and not _short_of(plan, run[k + 1]))))
               for k in range(len(run))):
            out.add(_OTHERS)
        elif not own:
            out.add(_BARE)
    return out


def _another_word(plan: QueryPlan, text: str, w: Unit, initials: Collection[str]) -> bool:
    """Whether a word of a name in `text` that answers no query word is a word of another
    person's name: an initial of none of the query's given names, or a person's word
    (:func:`_persons_word`) that is no acronym nor a short or long form of a query word."""
    if _other_initial(w, initials):
        return True
    return _persons_word(w) and not _acronym(text, w) and not _short_of(plan, w)


def _short_of(plan: QueryPlan, w: Unit) -> bool:
    """Whether a word begins as a query word does (:func:`_short_form`)."""
    return any(_short_form(q, w) for alts in plan.forms for q in alts)


def _name_inside(text: str, given: Unit, w: Unit) -> bool:
    """Whether a given name capitalized inside a sentence is followed by a word capitalized
    (not in capitals): a name, whatever English word or title it spells ("in John Major's
    government": a title stands before a name, not after it)."""
    written = text[w.start:w.end]
    return _capitalized_inside(text, given) and written[:1].isupper() \
        and not written.isupper()


def _family_beside(plan: QueryPlan, text: str) -> bool:
    """Whether a name-like word of a text answering the query's first word is followed
    right after, one or two words on, by a word (or two written as one) at least
    FAMILY_BESIDE as close to its
    last word, which no variant key reached (ماتيراتزي for "Materazzi", 0.86; "Malekouti
    Pour" for "Malakotipour"): the person's name, not another's with that given name
    ("Jason Robinson" for "Jason Zorvakian", 0.06)."""
    from searchdoc.names.similarity import similarity

    needed = plan.needed()
    first, last = plan.forms[needed[0]], plan.units[needed[-1]]
    words = _place_units(text)  # (name-like words: the judging has read them)
    for k, w in enumerate(words):
        if any(_same_name(q, w) for q in first):
            after: list[Unit] = []
            for a in words[k + 1:k + 3]:
                if a.start - (after[-1] if after else w).end > 2:
                    break  # (the words of a name stand together)
                after.append(a)
            if len(after) == 2 and (both := joined(after[0], after[1])) is not None:
                after.append(both)
            if any(similarity(last, a) >= FAMILY_BESIDE for a in after):
                return True
    return False


def _persons_word(w: Unit) -> bool:
    """Whether a word of a run of names of Latin script is a word of a person's name: no
    ordinary English word ("President" of "President Bush" is none), particle, title or
    organization's word."""
    f = w.folded[0]
    return len(f) > 1 and not (is_arabic(f) or f in ordinary_words()
                               or f in organization_words() or f in PHRASE_GLUE
                               or f in _NAME_GLUE or _honorific(w))


def _other_initial(w: Unit, initials: Collection[str]) -> bool:
    """Whether a word is a Latin initial that is none of the query's given names' ("M
    Blair" of a team's line-up for "Tony Blair"; not the words "A" and "I": "A Blair
    spokesman said")."""
    f = w.folded[0]
    return len(f) == 1 and f.isascii() and f.isalpha() and f not in initials \
        and f not in "ai"


def _short_form(q: Unit, w: Unit) -> bool:
    """Whether two Latin words begin alike, three letters or more: a given name and its
    short form or a longer one ("Bernie" and "Bernard", "Andy" and "Andrew", "Ken" and
    "Kenneth"; Michelle and Michael alike, which only leaves a name undecided)."""
    a, b = q.folded[0], w.folded[0]
    return len(a) > 2 and len(b) > 2 and a[:3] == b[:3] and not is_arabic(a)


def _runs(text: str, commas: bool) -> Iterator[tuple[Unit, ...]]:
    """The runs of name words of running text (:func:`_name_runs`) cut where a title or a
    possessive ends a name, and (`commas`) a comma ("Makelele, Lampard, Robben" is three
    names, but a list's remarks write "POB Tecpan de Galeana,Guerrero"; not a name in a
    list's order, :func:`_listing_order`). Not in Arabic script, whose runs are words
    without capitals between marks."""
    for run in _name_runs(text) if text else ():
        if is_arabic(run[0].folded[0]):
            yield run
            continue
        start = 0
        for k in range(1, len(run)):
            before = text[run[k - 1].start:run[k - 1].end]
            if (commas and "," in text[run[k - 1].end:run[k].start]
                    and not _listing_order(text, run[start:k], run[k])) \
                    or _title_before(text, run, k) or before[-2:] in ("'s", "\u2019s"):
                yield run[start:k]
                start = k
        yield run[start:]


def _title_before(text: str, run: Sequence[Unit], k: int) -> bool:
    """Whether word `k` of a run of names is a title before a name ("Mr Blair"), not a
    family name that is also one, last or with its article ("Muhammad Al-Shaykh")."""
    w = run[k]
    return k + 1 < len(run) and _honorific(w) and "-" not in text[w.start:w.end] \
        and text[w.start - 1:w.start] not in ("-", "\u2010", "\u2011")


def _listing_order(text: str, before: Sequence[Unit], after: Unit) -> bool:
    """Whether words before a comma, all in capitals, and a word after it that is not
    are one name written as a list writes it ("ALMADANI, Mustafa Mohammed M.")."""
    return all(text[w.start:w.end].isupper() for w in before) \
        and not text[after.start:after.end].isupper()


def _states_part(plan: QueryPlan, needed: Sequence[int], stored: dict[str, Any]) -> bool:
    """Whether a name the document states for its subject (a record's title is one) holds
    a `needed` query word."""
    return any(_same_name(q, w) for name in _subject_names(stored) for w in word_units(name)
               for i in needed for q in plan.forms[i])


def _subject_names(stored: dict[str, Any]) -> list[str]:
    """The names a document states for its subject, a record's title among them."""
    meta = stored["meta"]
    return stated_names(stored) + ([meta["title"]] if meta.get("kind") == "record" else [])


def _names_hold(plan: QueryPlan, stored: dict[str, Any], which: Sequence[int],
                titles: bool = True) -> bool:
    """Whether a name of the document holds a spelling of one of the query words `which`:
    a name it states, a record's title, or (`titles`) a title that is a name (one run of
    name words, none an ordinary English word: "SALAVATI, Abolghassem", not "Python and
    bindings"; a headline in Arabic script, which has no capitals, may read as one)."""
    names = _subject_names(stored)
    title = stored["meta"]["title"]
    if titles and title and title not in names and _title_is_name(title):
        names = [*names, title]
    return any(_same_name(q, w) for name in names for w in word_units(name)
               for i in which for q in plan.forms[i])


_LAST_WORD = re.compile(r"(\w+)\W{0,3}$")


# A word with an apostrophe between its letters, no English contraction: a transliterated
# name ("U'n-so'ng", "Sa'id", "O'Brien"), whatever word of English its letters spell
# ("song"; "un", a particle of French)
_APOSTROPHE_NAME = re.compile(r"\w['’](?!(?:s|t|re|ll|ve|d|m)$)\w")
_PARTS = re.compile(r"[-\u2010\u2011]")
_KIN_BEFORE = re.compile(r"(\w+)[ \t]+of[ \t]+(?:the[ \t]+late[ \t]+)?$", re.IGNORECASE)


def _relatives_name(plan: QueryPlan, text: str, run: Sequence[Unit], hits: Sequence[int],
                    ) -> bool:
    """Whether a run of name words of `text` holding query words (at `hits`) names a
    relative, by a word of kinship before them ("daughter of Saddam Hussein al-Tikriti",
    "ابنة صدام حسين": KIN_WORDS, ARABIC_KIN_WORDS), without the query's first name word:
    then it is another person's name (for "Raghad Saddam Hussein AL-TIKRITI", her
    father's, in her sister's profile). With it, a shorter name of the person ("son of
    Saddam Hussein" for "Saddam Hussein al-Tikriti")."""
    needed = plan.needed()
    if len(needed) < 2:
        return False
    first = hits[0]
    if first > 0:
        if run[first - 1].folded[0] not in ARABIC_KIN_WORDS:
            return False
    else:
        m = _KIN_BEFORE.search(text, max(0, run[0].start - 40), run[0].start)
        if m is None or m.group(1).casefold() not in KIN_WORDS:
            return False
    return not any(_same_name(q, w) for q in plan.forms[needed[0]] for w in run)


def _introduced(text: str, start: int) -> bool:
    """Whether the word of `text` at `start` follows a title ("السيد", "الشيخ") or a
    word of Arabic that introduces a name ("اسم", "المدعو": ARABIC_NAME_CUES): what a
    common word of Arabic is read as a name after (see _graded)."""
    m = _LAST_WORD.search(text, max(0, start - 24), start)
    if m is None:
        return False
    word = fold(m.group(1))
    return word in ARABIC_NAME_CUES or word in HONORIFICS or (
        word.startswith("ال") and word[2:] in HONORIFICS)


@lru_cache(maxsize=4096)
def _title_is_name(title: str) -> bool:
    """Whether a document's title is a name: one run of name words, none an ordinary word
    of English ("SALAVATI, Abolghassem", فرنسا; not "Python and bindings")."""
    runs = _name_runs(title)
    return len(runs) == 1 and len(runs[0]) == sum(1 for _w in word_units(title)) and not any(
        w.folded[0] in ordinary_words() for w in runs[0])


# The first words of a kunya ("Abu Yahya", "Umm Ali"): the name is the whole of it
_KUNYA = frozenset({"abu", "abou", "umm", "ابو", "أبو", "ام", "أم"})
# A word of a run of name words this close to a query word the passage does not answer
# (under the threshold: no match) makes the run that name in a looser spelling
NEAR_SIMILARITY = 0.5


def _near_name(plan: QueryPlan, stored: dict[str, Any], tiers: Sequence[str],
               spelled: frozenset[str] | None = None) -> bool:
    """Whether a run of name words of the passage (:func:`_name_runs`) holding a query word
    it answers holds, within the span of one name, a word at least NEAR_SIMILARITY of
    each other query word: the whole name in a looser spelling ("The register lists
    Abolghassem Salavati" for the alias "Abughasem Salevati", 0.86: the two given names
    share no key), not a look-alike of one word alone ("Python" for "Vladimir Putin"); or
    a run of two name words or more, each answering a query word: the name whole, the
    query adding words of its own ("Ashraf Al-Qizani" for "Achraf Ben Fathi Ben Mabrouk
    Guizani"). `spelled`: the passage words (folded) that answer query words, where the
    graded similarity found them."""
    from searchdoc.names.similarity import similarity

    needed = plan.needed()
    answered = [q for i in needed if tiers[i] for q in plan.forms[i]]
    missing = [i for i in needed if not tiers[i]]
    wide = len(needed) + NAME_SPAN_EXTRA
    meta = stored["meta"]

    def answers(w: Unit) -> bool:
        if spelled is not None:
            return w.folded[0] in spelled or any(_same_name(q, w) for q in answered
                                                 if not set(q.folded).isdisjoint(w.folded))
        return any(_same_name(q, w) for q in answered)

    for place in (meta["title"], meta["section"], meta["text"]):
        for run in _name_runs(place) if place else ():
            at = [k for k, w in enumerate(run) if answers(w)]
            if not at:
                continue
            words = [w for w in run if w.folded[0] not in PHRASE_GLUE and not _honorific(w)]
            if len(words) > 1 and all(answers(w) for w in words):
                return True
            # (the words within the span of a name of one that answers, each once)
            near = {v.folded[0]: v for k in at for v in run[max(0, k - wide):k + wide + 1]}
            if all(any(similarity(q, v) >= NEAR_SIMILARITY for v in near.values()
                       for q in plan.forms[i]) for i in missing):
                return True
    return False


@lru_cache(maxsize=1024)
def _word_pattern(forms: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(rf"(?<!\w){re.escape(f)}(?!\w)" for f in forms), re.IGNORECASE)


def _written_as_name(forms: tuple[str, ...], stated: Sequence[str], places: Sequence[str],
                     cased: Sequence[bool]) -> bool:
    """Whether a word (its exact `forms`) is in a stated name or a place without capitals
    (`cased`: per place, whether it has some), or written with a capital (or in a script
    without case) in one of `places`."""
    pattern = _word_pattern(forms)
    return any(pattern.search(name) for name in stated) or any(
        not (has_case and m.group(0)[0].islower())
        for place, has_case in zip(places, cased) for m in pattern.finditer(place))


def _scattered(plan: QueryPlan, needed: Sequence[int], stored: dict[str, Any],
               tiers: Sequence[str]) -> bool:
    """Whether a passage holds every `needed` query word in its names (each name it
    states, whole; the runs of name words of its title, heading and text,
    :func:`_name_runs`, or the words of such a place with no capital) and no name holds
    more than half of them: Arabic script has no capitals to end a run of names, there
    a name's words stand within the span of one name."""
    meta = stored["meta"]
    stated = stated_names(stored)
    places = [p for p in (meta["title"], meta["section"], meta["text"]) if p]
    cased = [any(c.isupper() or is_arabic(c) for c in p) for p in places]
    if any(tiers[i] == "exact" and not _written_as_name(plan.units[i].exact, stated,
                                                        places, cased) for i in needed):
        return False  # (a word matched as written, in lower case only: in no name)
    found: set[int] = set()
    most = 0
    wide = len(needed) + NAME_SPAN_EXTRA
    for n, place in enumerate((*stated, *places)):
        runs = (tuple(word_units(place)),) if n < len(stated) or not cased[n - len(stated)] \
            else _name_runs(place)
        for run in runs:
            at = sorted((k, i) for k, w in enumerate(run) for i in needed
                        if any(_same_name(q, w) for q in plan.forms[i]))
            found.update(i for _k, i in at)
            for a, (k, _i) in enumerate(at):
                most = max(most, len({i for m, i in at[a:] if m - k < wide
                                      or not is_arabic(run[m].folded[0])}))
                if 2 * most > len(needed):
                    return False
    return len(found) == len(needed)


def _shares_key(q: Unit, w: Unit) -> bool:
    """Whether passage word `w` has the letters of query word `q` or a key it looks for."""
    return bool(set(q.folded) & set(w.folded)) or bool(query_keys(q) & set(w.keys))


def _same_name(q: Unit, w: Unit, named: bool = False) -> bool:
    """Whether passage word `w` spells query word `q`: the same letters, or a variant key
    they share and a graded similarity over the threshold (`named`: `w` stands where a
    name does, see similarity)."""
    from searchdoc.names.similarity import similarity, threshold

    if set(q.folded) & set(w.folded):
        return True
    return bool(w.keys) and bool(query_keys(q) & set(w.keys)) \
        and similarity(q, w, named) >= threshold(q.folded[0], w.folded[0])


@lru_cache(maxsize=4096)
def _place_units(text: str) -> tuple[Unit, ...]:
    """The name-like words of a passage's text, heading, title or stated name, each a unit
    of its own (a word-by-word scan: the words are analysed once, whatever the passage);
    not the letters of a code written against a number ("TAi.078", a UN list's reference
    number, is no spelling of عطا, Atta)."""
    found = name_units(text)
    if _DIGIT.search(text) is None:
        return tuple(found)
    return tuple(u for u in found if not _in_code(text, u))


def _in_code(text: str, u: Unit) -> bool:
    return bool(_CODE_AFTER.match(text, u.end)
                or _CODE_BEFORE.search(text, max(0, u.start - 2), u.start))


_DIGIT = re.compile(r"\d")
# A number written against a word by a dot, a hyphen or a slash, after it or before it
_CODE_AFTER = re.compile(r"[.\-/]?\d")
_CODE_BEFORE = re.compile(r"\d[.\-/]?$")


@lru_cache(maxsize=1024)
def _place_pairs(text: str) -> tuple[Unit, ...]:
    """The units of a text as the index made them (particles attached: عبد المنان), and
    each two adjacent ones joined into one word where they can be: what a query word no
    single word answers may be. Two words written as names, as the index joins them: not
    a function word (إلى, "to": "النصر إلى", the club Al-Nassr "to", read Nasrali, is no
    Nasrallah), nor على ("on") as written."""
    digits = _DIGIT.search(text) is not None
    found = [u for u in units(text) if not (digits and _in_code(text, u))]
    on = [is_arabic(u.folded[0]) and _ON.fullmatch(arabic_as_written(u.exact[0])) is not None
          for u in found]
    for k, (a, b) in enumerate(pairwise(found)):
        if on[k + 1] and len(a.folded) > 1:  # (the index's joined form with على too)
            found[k] = a._replace(folded=tuple(f for f in a.folded
                                               if f != a.folded[0] + b.folded[0]))
    return (*found, *(j for k, (a, b) in enumerate(pairwise(found))
                      if a.name_like and b.name_like and not on[k + 1]
                      and (j := joined(a, b)) is not None))


def _match_quality(q: Unit, t: Unit) -> float:
    """How closely query unit `q` matches unit `t` of a name: as written 1, the same
    letters, or the best spelling-variant key they share (0 when none)."""
    if set(q.exact) & set(t.exact):
        return QUALITY["exact"]
    if set(q.folded) & set(t.folded + t.exact):
        return QUALITY["folded"]
    return max((_term_quality("variant", k) for k in query_keys(q) & set(t.keys)),
               default=0.0)


def _graded_quality(q: Unit, t: Unit) -> float:
    """:func:`_match_quality`, a spelling variant counted only where the graded similarity
    says it is one ("Givenaa" shares a key with "Khan", and is no spelling of it)."""
    quality = _match_quality(q, t)
    if 0 < quality < QUALITY["folded"]:
        from searchdoc.names.similarity import similarity, threshold

        if similarity(q, t) < threshold(q.folded[0], t.folded[0]):
            return 0.0
    return quality


# Alias expansion: the words of the person's other names searched for one query, at most
# (in the text: a record's names are in its text).
ALIAS_WORDS = 3
ALIAS_EXTRA_READS = 5  # passages read beyond the alias hits wanted (direct hits, namesakes)


def _alias_terms(reader: Reader, expansion: Expansion, query: Sequence[Unit]
                 ) -> tuple[list[list[tuple[str, str, float]]], dict[str, dict[str, set[tuple[str, str]]]]]:
    """The clauses that search the person's other names, and per word its (field, term)
    pairs by way of matching (for :func:`_alias_found`).

    The words searched: one per word up to its spelling (words sharing a matching key are
    one word), none the query already says, none a common given name or an ordinary word
    of the collection; the ALIAS_WORDS rarest in the collection (those say best that a
    passage is about this person), each by its folded form and its strict keys (a loose
    key finds too much, and costs as much)."""
    n_docs = max(reader.doc_count_all(), 1)
    common = max(COMMON_DF_MIN, int(n_docs * COMMON_DF_FRACTION))
    taken = [frozenset(u.keys) | frozenset(u.folded) for u in query]
    words: list[tuple[int, int, Unit]] = []
    prefetch = getattr(reader, "prefetch", None)
    if prefetch is not None:
        prefetch([("folded", u.folded[0]) for u in expansion.search_units()])
    for u in expansion.search_units():
        keys = frozenset(u.keys) | frozenset(u.folded)
        if any(keys & t for t in taken):
            continue
        taken.append(keys)
        df = reader.doc_frequency("folded", u.folded[0])
        if df <= common:
            words.append((df or common, len(words), u))
    clauses: list[list[tuple[str, str, float]]] = []
    by_word: dict[str, dict[str, set[tuple[str, str]]]] = {}
    if prefetch is not None:
        prefetch([("variant", k) for _df, _n, u in sorted(words)[:ALIAS_WORDS]
                  for k in _distinctive_keys(u)])
    for _df, _n, u in sorted(words)[:ALIAS_WORDS]:
        unit: list[tuple[str, str, float]] = []
        tiers: dict[str, set[tuple[str, str]]] = {"exact": set(), "folded": set(),
                                                  "variant": set()}
        for tier, field, term in [("folded", "folded", u.folded[0])] + [
                ("variant", "variant", k) for k in _distinctive_keys(u)]:
            df = reader.doc_frequency(field, term)
            if df and (tier == "folded" or df <= common * VARIANT_DF_SHARE):
                unit.append((field, term, _term_quality(tier, term) * _idf(n_docs, df)))
                tiers[tier].add((field, term))
        if unit:
            clauses.append(unit)
            by_word[u.folded[0]] = tiers
    return clauses, by_word


def _distinctive_keys(u: Unit) -> list[str]:
    """The keys of a word of another name that say a passage is about that person: the
    usual reading of each of its spellings and the sound keys, of three letters or more
    (not the other readings of its ambiguous letters, nor a two-letter skeleton: "Ajmi"
    read with j as y is "AM", which the Arabic word for "year" has)."""
    usual = {variant_key(f) for f in u.folded}
    return [k for k in u.keys if not k.startswith(LOOSE_PREFIX) and len(k) >= 3
            and (k in usual or not k.isupper())]


def _alias_found(expansion: Expansion, by_word: dict[str, dict[str, set[tuple[str, str]]]],
                 matched: set[tuple[str, str]]) -> AliasName | None:
    """The alias of the expansion with most of its distinctive words among `matched`."""
    best: tuple[int, AliasName | None] = (0, None)
    for alias in expansion.aliases:
        n = sum(1 for f, _k in alias.units
                if f in by_word and any(by_word[f][t] & matched for t in ("exact", "folded", "variant")))
        if n > best[0]:
            best = (n, alias)
    return best[1]


def _explain(plan: QueryPlan, c: _Candidate) -> tuple[Match, ...]:
    """Why a hit matched: per query word, the word of the passage it matched and how."""
    text = c.passage.text
    if c.alias is not None:
        a = c.alias
        word = next((w for w in (_find(text, f) for f, _k in a.units) if w), a.name)
        return (Match(plan.text.strip(), word, "text", "alias", alias_of=a.entity,
                      via=a.name, stated_in=a.stated_in),)
    matches: list[Match] = []
    if c.phrase:
        matches.append(Match(plan.text.strip(), plan.text.strip(), "text", "phrase"))
    # The passage is analysed only as far as the words looked for: word by word first,
    # then, for a word found only with its particle ("Alkhazali"), as the index did.
    words = _Lazy(word_units(text))
    body = _Lazy(iter_units(text))
    wheres = c.wheres or ("text",) * len(c.tiers)
    for i, (u, alts, how, where) in enumerate(zip(plan.units, plan.forms, c.tiers, wheres)):
        qword = plan.text[u.start:u.end]
        sim = round(c.sims[i], 3) if how == "variant" and i in c.sims else None
        if not how:
            continue
        if how == "citation":
            matches.append(Match(qword, qword, "citation", how))
            continue
        found = None
        places = ([("text", text, words, body), ("section", c.passage.section, None, None)]
                  if where == "text" else
                  [("title", c.passage.title, None, None)] + [("name", n, None, None)
                                                              for n in c.names])
        for field, place, scan, stream in places:
            if not place:
                continue
            found = _surface_in(place, alts, how, scan, stream)
            if found is not None:
                matches.append(Match(qword, found, field, how, similarity=sim))
                break
        if found is None:
            matches.append(Match(qword, qword, "title" if where == "names" else "text", how,
                                 similarity=sim))
    return tuple(matches)


def _surface_in(text: str, alts: Sequence[Unit], how: str, words: Iterable[Unit] | None,
                body: Iterable[Unit] | None) -> str | None:
    """The word of `text` a query word (in any of its joined spellings `alts`) matched
    `how`: word by word first, then with particles attached as the index did."""
    word = next((w for a in alts if (w := _find(text, a.exact[0]))), None) \
        if how == "exact" else None
    if word is not None:
        return word
    words = words if words is not None else _Lazy(word_units(text))
    body = body if body is not None else _Lazy(iter_units(text))
    return (next((w for a in alts if (w := _surface(text, words, a, how))), None)
            or next((w for a in alts if (w := _surface(text, body, a, how))), None))


def _holds_phrase(text: str, phrase: tuple[str, ...]) -> bool:
    """Whether the text holds the words in a row, punctuation, stop words and name
    particles between them aside ("Hamid the Mute", "Qays al-Khazali")."""
    words = [w for w in exact_words(text) if w not in PHRASE_GLUE or w in phrase]
    n = len(phrase)
    first = phrase[0]
    return any(words[i] == first and tuple(words[i:i + n]) == phrase
               for i in range(len(words) - n + 1))


class _Lazy:
    """An iterable over an iterator's items that can be walked again: each item is made
    once, and only when a walk gets that far."""

    def __init__(self, it: Iterator[Unit]) -> None:
        self._it = it
        self._seen: list[Unit] = []

    def __iter__(self) -> Iterator[Unit]:
        yield from self._seen
        for u in self._it:
            self._seen.append(u)
            yield u


def _find(text: str, word: str) -> str | None:
    m = re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", text, re.IGNORECASE)
    return m.group() if m else None


def _surface(text: str, body: Iterable[Unit], q: Unit, how: str) -> str | None:
    """The first word of `text` that `q` matches `how`; for a spelling variant, of the
    words carrying a key of it the closest (the word the judging took, not a look-alike
    before it that carries the key: بشار for Bashar, not بسوريا)."""
    if how == "variant":
        from searchdoc.names.similarity import similarity

        keys = query_keys(q)
        found = [b for b in body if b.name_like and not keys.isdisjoint(b.keys)]
        if not found:
            return None
        b = max(found, key=lambda b: similarity(q, b))  # (the first among equals)
        return text[b.start:b.end]
    for b in body:
        if (how == "exact" and set(q.exact) & set(b.exact)) or (
                how == "folded" and set(q.folded) & set(b.folded + b.exact)):
            return text[b.start:b.end]
    return None
