"""The index: its generations and their lock (:mod:`.generations`), an open generation
for reading (:mod:`.handle`), the update (:mod:`.update`) and the processes that read the
changed files into the store (:mod:`.writers`). A query imports only the handle.

An update never writes into the live generation: it hard-links the live generation's
store files (immutable once written) into a new folder, applies the changes there,
commits, writes the manifest, and only then points CURRENT at it. A run that is
interrupted or killed leaves CURRENT, and so the previous index, untouched; its half-built
folder is removed by the next run.
"""
