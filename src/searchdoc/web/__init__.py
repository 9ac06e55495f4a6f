"""`searchdoc serve`: a local, read-only web page over the library calls the CLI makes.

Imported only by `searchdoc serve` (Starlette, uvicorn and Jinja2 are never loaded by a
query). See :mod:`searchdoc.web.app`.
"""
