"""Names in natural order: a list writes "AL-MUSAWI, Ali Mussa Daqduq" (LAST, First), a
reader says "Ali Mussa Daqduq AL-MUSAWI"."""

from __future__ import annotations

_SUFFIXES = frozenset("jr sr ii iii iv phd md inc ltd llc co corp sa gmbh plc".split())


def natural_order(listing: str) -> str:
    """"AL-MUSAWI, Ali Mussa Daqduq" -> "Ali Mussa Daqduq AL-MUSAWI" (a surname in capitals
    before the comma)."""
    parts = [p.strip() for p in listing.split(",")]
    if len(parts) == 2 and parts[0] and parts[1] and parts[0].upper() == parts[0]:
        return f"{parts[1]} {parts[0]}"
    return listing


def listing_order(name: str) -> str:
    """A name as a list writes it, in natural order: "SOLEIMANI, Qasem" and "Soleimani,
    Qasem" -> "Qasem Soleimani" (a single word before the comma, or a word in capitals)."""
    flipped = natural_order(name)
    if flipped != name:
        return flipped
    parts = [p.strip() for p in name.split(",")]
    if (len(parts) == 2 and len(parts[0].split()) == 1 and 1 <= len(parts[1].split()) <= 3
            and parts[1][:1].isupper() and parts[1].rstrip(".").lower() not in _SUFFIXES):
        return f"{parts[1]} {parts[0]}"
    return name
