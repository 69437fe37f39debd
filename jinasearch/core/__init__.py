"""The Qt-free engine: scan -> extract -> chunk -> embed -> store -> search.

Front ends (the app in `jinasearch/gui`, the command line in `jinasearch/cli.py`) use only the
modules named in PUBLIC; everything else is a stage behind one of those facades (a test holds the
app to it: tests/gui/test_boundary.py).
"""

PUBLIC: tuple[str, ...] = (
    "config",  # Settings and every default
    "control",  # cancel and pause for a running job
    "errors",  # what a person can act on, as exception types
    "models",  # the records that cross the boundary: Hit, Filters, SearchNote, Mode, ...
    "run_records",  # an indexing run's and a status view's records: Progress, RunOutcome, FailedFile, Skipped, ...
    "policy",  # which model is current
    "indexer",  # the indexing facade
    "search",  # the search facade
    "library",  # status, a document's text, removing a folder
    "jobs",  # the app's job queue, without Qt
    "watch",  # folder watching
    "scan",  # paths as records hold them (non-UTF-8 names)
    "exclusions",  # the person's exclusion globs: what makes one unusable, and the holder a running job reads
    "context",  # where a hit sits, as a breadcrumb
    "embed",  # loading a model
    "extract",  # the formats the app knows, and the sandboxed runner
    "ask",  # the command line asks the running app (its server and client)
    "heap",  # a long-running process gives freed memory back
    "pages",  # a PDF page as an image, the passage and the query's words boxed on it
    "attached",  # a mail attachment's place in the index, and a copy of it written out to open
)
