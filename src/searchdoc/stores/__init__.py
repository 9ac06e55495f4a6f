"""Engines other than the embedded one (:mod:`searchdoc.store`, whoosh).

:mod:`.opensearch` speaks to an OpenSearch cluster (HTTP, the indexes and their
settings); :mod:`.remote` reads it as :class:`searchdoc.store.Reader` reads a
generation; :mod:`.publish` brings it to the embedded index's live generation. The
analysis is searchdoc's own on both engines (:mod:`searchdoc.analysis`): the cluster
stores the terms of each field as they are given and scores them with the same formula.
"""
