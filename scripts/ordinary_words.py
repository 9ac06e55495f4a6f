#!/usr/bin/env python3
"""Write src/searchdoc/data/ordinary_words.txt: the ordinary words of English that are not
names, and src/searchdoc/data/ordinary_words_arabic.txt: the common words of Arabic and
Persian, from the word frequencies of the `wordfreq` package (pip install -e '.[data]').

A word is ordinary when it is common in English (Zipf frequency >= MIN_ZIPF, about once in
a million words or more) and much more common in English than in the other languages of
the list (its English frequency at least GAP above the median of theirs, on the Zipf scale:
ten times as common for GAP = 1). Names of people travel across languages: "Hassan", "Ali",
"Lopez" are about as frequent in French, Turkish or Indonesian text as in English, while
"South", "Evaluation", "Amenities" or "Hague" are English words. Common given names that
are also English words ("Said", "Fares") are kept out: data/given_names.txt; the script
prints them (searchdoc.names.lexicon.ENGLISH_GIVEN_NAMES).

Arabic script has no such test: its names are common words too (جميل "beautiful", سعيد
"happy", the lion of الأسد) and its words travel with the language (بيانات "data" is as
common in Persian). The second list holds every word of Arabic or Persian text at least as
common (Zipf >= MIN_ZIPF), as written but its marks (searchdoc.names.keys.arabic_as_written:
والبيانات "and the data" is common, فالانا is a name and no "and the I"; إلسي, "Elsie",
is no السي, "the C"), but the function words (no name already) and the common
given names with whatever particle (data/given_names_arabic.txt: they are the name). It
is read when hits are judged, not as a list of non-names: a word of it in a text is a
Latin name only where spelled as closely as a name of one word asks
(searchdoc.names.similarity).

The lists are data derived from wordfreq (Robyn Speer; code Apache-2.0, data CC-BY-SA 4.0):
see the header of the file it writes. Run again to refresh it when wordfreq changes.
"""

from __future__ import annotations

import math
import statistics
import sys
from pathlib import Path
from typing import Any

MIN_ZIPF = 3.5
GAP = 1.0
OTHER_LANGUAGES = ("fr", "es", "it", "pt", "nl", "de", "tr", "id", "pl", "sv")
ARABIC_LANGUAGES = ("ar", "fa")
OUT = Path(__file__).resolve().parent.parent / "src" / "searchdoc" / "data" / "ordinary_words.txt"
OUT_ARABIC = OUT.with_name("ordinary_words_arabic.txt")


def zipf(freq: float) -> float:
    return math.log10(freq * 1e9) if freq > 0 else 0.0


def main() -> int:
    try:
        import wordfreq
    except ImportError:
        print("needs wordfreq: pip install -e '.[data]'", file=sys.stderr)
        return 2
    sys.path.insert(0, str(OUT.parent.parent.parent))
    from searchdoc.names.keys import fold
    from searchdoc.names.lexicon import COMMON_GIVEN_NAMES

    english = {w: zipf(f) for w, f in wordfreq.get_frequency_dict("en").items()
               if zipf(f) >= MIN_ZIPF and w.isalpha() and w.isascii() and len(w) > 1}
    others: dict[str, list[float]] = {w: [] for w in english}
    for lang in OTHER_LANGUAGES:  # one language at a time: each list is tens of MB
        freqs = wordfreq.get_frequency_dict(lang)
        for w, values in others.items():
            values.append(zipf(freqs.get(w, 0.0)))
        del freqs
    names = {fold(n) for n in COMMON_GIVEN_NAMES}
    english_only = {w for w, z in english.items() if z - statistics.median(others[w]) >= GAP}
    words = sorted(w for w in english_only if fold(w) not in names)
    # the given names spelled as an English word: searchdoc.names.lexicon.ENGLISH_GIVEN_NAMES
    print("given names that are English words:",
          " ".join(sorted(w for w in english_only if fold(w) in names)), file=sys.stderr)
    header = [
        f"# Ordinary words of English, not names: {len(words)} words. Written by",
        "# scripts/ordinary_words.py from the word frequencies of wordfreq "
        f"{getattr(wordfreq, '__version__', '')}".rstrip(),
        "# (https://github.com/rspeer/wordfreq; its data: CC-BY-SA 4.0, Robyn Speer and",
        "# contributors). A word is listed when its Zipf frequency in English is at least",
        f"# {MIN_ZIPF} and at least {GAP} above the median of {', '.join(OTHER_LANGUAGES)}.",
    ]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("\n".join(header + words) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(words)} words", file=sys.stderr)
    write_arabic(wordfreq)
    return 0


def write_arabic(wordfreq: Any) -> None:
    """Write OUT_ARABIC (see the module docstring)."""
    from searchdoc.names.keys import arabic_as_written, exact_form, fold, is_arabic, units
    from searchdoc.names.lexicon import ARABIC_GIVEN_NAMES, function_words

    given, function = set(ARABIC_GIVEN_NAMES), function_words()
    words: set[str] = set()
    for lang in ARABIC_LANGUAGES:
        for token, freq in wordfreq.get_frequency_dict(lang).items():
            if zipf(freq) < MIN_ZIPF or not token.isalpha() or not is_arabic(token):
                continue
            found = units(token)
            if len(found) == 1 and found[0].keys and found[0].folded[0] not in given \
                    and len(fold(token)) > 1 and fold(token) not in function:
                words.add(arabic_as_written(exact_form(token)))
    header = [
        f"# Common words of Arabic and Persian, as written: {len(words)} words.",
        "# Written by scripts/ordinary_words.py from the word frequencies of wordfreq "
        f"{getattr(wordfreq, '__version__', '')}".rstrip(),
        "# (https://github.com/rspeer/wordfreq; its data: CC-BY-SA 4.0, Robyn Speer and",
        f"# contributors). A word is listed when its Zipf frequency in {' or '.join(ARABIC_LANGUAGES)}",
        f"# is at least {MIN_ZIPF}, but the function words and the common given names.",
    ]
    OUT_ARABIC.write_text("\n".join(header + sorted(words)) + "\n", encoding="utf-8")
    print(f"{OUT_ARABIC}: {len(words)} words", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
