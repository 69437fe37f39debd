"""The stages of an indexing run. Only the facade, `core/indexer.py`, imports these.

changes     which scanned files need reading, which are gone (scan -> diff with the store)
commit      one batch of extraction results into SQLite, in one transaction
embedding   the one embedding loop: distinct texts, sorted by length, batched, sliced for pause/cancel
background  embedding on a helper thread while extraction goes on (keyword results first)
reembed     a model switch: stage the new model's vectors, then swap them in at once
recut       re-cutting stored documents to a new passage size
session     the writer's lock, damage check and disk-error translation around a run
tally       the counts of a run and its summary
"""
