"""searchdoc: find every passage about a person, whatever the spelling, script or alias."""

__version__ = "0.1.0"
