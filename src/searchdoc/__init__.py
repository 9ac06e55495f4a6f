"""searchdoc: find every passage about a person, whatever the spelling, script or alias.

The library (see the README's "Python API")::

    from searchdoc import Index

    with Index.open() as index:
        hits = index.search("Hamid the Mute")

Names are imported when first used (``import searchdoc`` alone imports nothing else), so
that a query pays only for what it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> the module that defines it
_EXPORTS = {
    "Index": "searchdoc.api",
    "Progress": "searchdoc.api",
    "Report": "searchdoc.api",
    "Citation": "searchdoc.models",
    "Context": "searchdoc.results",
    "Count": "searchdoc.results",
    "Entity": "searchdoc.results",
    "EntityName": "searchdoc.results",
    "Hit": "searchdoc.models",
    "Match": "searchdoc.models",
    "Passage": "searchdoc.models",
    "Source": "searchdoc.results",
    "SourceMatch": "searchdoc.results",
    "Statement": "searchdoc.results",
    "Update": "searchdoc.results",
    "SearchdocError": "searchdoc.errors",
    "InvalidArgument": "searchdoc.errors",
    "IndexMissing": "searchdoc.errors",
    "IndexIncompatible": "searchdoc.errors",
    "IndexDamaged": "searchdoc.errors",
    "IndexLocked": "searchdoc.errors",
    "IndexWriteFailed": "searchdoc.errors",
    "NothingIndexed": "searchdoc.errors",
    "PassageNotFound": "searchdoc.errors",
}

__all__ = [
    "Citation",
    "Context",
    "Count",
    "Entity",
    "EntityName",
    "Hit",
    "Index",
    "IndexDamaged",
    "IndexIncompatible",
    "IndexLocked",
    "IndexMissing",
    "IndexWriteFailed",
    "InvalidArgument",
    "Match",
    "NothingIndexed",
    "Passage",
    "PassageNotFound",
    "Progress",
    "Report",
    "SearchdocError",
    "Source",
    "SourceMatch",
    "Statement",
    "Update",
    "__version__",
]

if TYPE_CHECKING:
    from searchdoc.api import Index, Progress, Report
    from searchdoc.errors import (
        IndexDamaged,
        IndexIncompatible,
        IndexLocked,
        IndexMissing,
        IndexWriteFailed,
        InvalidArgument,
        NothingIndexed,
        PassageNotFound,
        SearchdocError,
    )
    from searchdoc.models import Citation, Hit, Match, Passage
    from searchdoc.results import (
        Context,
        Count,
        Entity,
        EntityName,
        Source,
        SourceMatch,
        Statement,
        Update,
    )


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'searchdoc' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module), name)
    globals()[name] = value  # once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
