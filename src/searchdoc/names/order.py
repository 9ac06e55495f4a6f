"""Names in natural order: a list writes "AL-MUSAWI, Ali Mussa Daqduq" (LAST, First), a
reader says "Ali Mussa Daqduq AL-MUSAWI"."""

from __future__ import annotations

from searchdoc.names.lexicon import ABD, ARTICLES, EUROPEAN_PARTICLES, KIN

_SUFFIXES = frozenset("jr sr ii iii iv phd md inc intl ltd llc co corp sa gmbh plc".split())
# Words that begin a family name of one word more: the particles of Arabic names (their
# articles as French writes them too: "Es Sayed", "Ed Din") and of European ones. Not
# "Abu": a kunya is a name of its own ("Abu Ahmad, Abu Muhammad" are two).
_LEADING = (ARTICLES | frozenset(k for k, v in KIN.items() if v != "abu") | ABD
            | frozenset("es ed ez er et ech abdul abdel abdal abdol".split()) | EUROPEAN_PARTICLES)


def natural_order(listing: str) -> str:
    """"AL-MUSAWI, Ali Mussa Daqduq" -> "Ali Mussa Daqduq AL-MUSAWI" (a surname in capitals
    before the comma)."""
    parts = [p.strip() for p in listing.split(",")]
    if len(parts) == 2 and parts[0] and parts[1] and parts[0].upper() == parts[0]:
        return f"{parts[1]} {parts[0]}"
    return listing


def listing_order(name: str) -> str:
    """A name as a list writes it, in natural order: "SOLEIMANI, Qasem" and "Soleimani,
    Qasem" -> "Qasem Soleimani" (a single word before the comma, after the particles that
    begin a family name: "Es Sayed, Kader", "Bin Al Shibh, Ramzi", "de la Cruz, Juan"; or
    a word in capitals)."""
    flipped = natural_order(name)
    if flipped != name:
        return flipped
    parts = [p.strip() for p in name.split(",")]
    if (len(parts) == 2 and _one_family_name(parts[0]) and 1 <= len(parts[1].split()) <= 3
            and parts[1][:1].isupper() and parts[1].rstrip(".").lower() not in _SUFFIXES):
        return f"{parts[1]} {parts[0]}"
    return name


def _one_family_name(part: str) -> bool:
    words = part.split()
    while len(words) > 1 and words[0].casefold() in _LEADING:
        words = words[1:]
    return len(words) == 1
