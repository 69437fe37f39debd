"""The stages of a search. Only the facade, `core/search.py`, imports these.

keyword     FTS5 BM25 candidates on their own thread and connection, and the query's word statistics
binding     the index's model as search uses it: embedder, FAISS cache, sentence vectors, last query
fusion      cosine + lexical evidence + one round of feedback: the hybrid ranking
grouping    the per-file cap on the ranked list
growth      the pool that grows while one long document fills it: the last round adds other files only
highlight   why a passage matched: the query's words and its closest sentence, as spans
query_syntax  "exact phrase", -word, word*, type: and in: read out of the query, or nothing where none is meant
command_options  where a -word is a command's option (find -name), which query_syntax keeps as text
"""
