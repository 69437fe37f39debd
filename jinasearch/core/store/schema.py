"""All SQL the store runs, in one place, with the schema's migrations in order."""

from __future__ import annotations

# Each entry upgrades the schema by one version; never edit a released entry, append a new one.
MIGRATIONS: tuple[str, ...] = (
    # 1: documents, their text, passages with vectors as float32 blobs, FTS5 over passages.
    """
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE folders (
        id INTEGER PRIMARY KEY,
        path TEXT UNIQUE NOT NULL,
        excludes TEXT NOT NULL DEFAULT '[]',
        added_at REAL NOT NULL
    );
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
        path TEXT UNIQUE NOT NULL,
        ext TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime REAL NOT NULL,
        hash TEXT,
        status TEXT NOT NULL CHECK (status IN ('indexed', 'failed')),
        error TEXT,
        n_passages INTEGER NOT NULL DEFAULT 0,
        updated_at REAL NOT NULL
    );
    CREATE INDEX documents_folder ON documents(folder_id);
    CREATE TABLE texts (
        doc_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        pages TEXT NOT NULL DEFAULT '[]'
    );
    -- AUTOINCREMENT: a passage id is never reused, so a cached FAISS entry can never point at
    -- a different passage than the one it was computed from.
    CREATE TABLE passages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        ord INTEGER NOT NULL,
        page INTEGER,
        char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL,
        text TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        vector BLOB
    );
    CREATE INDEX passages_doc ON passages(doc_id);
    CREATE INDEX passages_hash ON passages(text_hash);
    CREATE INDEX passages_pending ON passages(id) WHERE vector IS NULL;
    CREATE VIRTUAL TABLE passages_fts USING fts5(
        text, content='passages', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER passages_ai AFTER INSERT ON passages BEGIN
        INSERT INTO passages_fts(rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER passages_ad AFTER DELETE ON passages BEGIN
        INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    -- Only a change of text touches FTS: filling in a vector must not rewrite the keyword index.
    CREATE TRIGGER passages_au AFTER UPDATE OF text ON passages BEGIN
        INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO passages_fts(rowid, text) VALUES (new.id, new.text);
    END;
    """,
    # 2: a model switch embeds into staging, keyed by text hash (identical texts are embedded once and a
    # passage re-inserted with the same text finds its staged vector), while passages.vector keeps
    # serving the old model; one transaction swaps the staged vectors in (see core/reembed.py).
    """
    CREATE TABLE staged_vectors (text_hash TEXT PRIMARY KEY, vector BLOB NOT NULL);
    """,
    # 3: where a passage sits. Documents get their title and the version of the extraction that read
    # them (an older one is read again); passages their heading path (`section`) and a keyword
    # column of file name, title and heading path (`context`), which FTS indexes beside the text.
    # `text_hash` now hashes what the model embeds (place + text). A partly read document is
    # 'indexed' with the reason in `error`.
    """
    ALTER TABLE documents ADD COLUMN title TEXT NOT NULL DEFAULT '';
    ALTER TABLE documents ADD COLUMN reader INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE texts ADD COLUMN headings TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE passages ADD COLUMN section TEXT NOT NULL DEFAULT '';
    ALTER TABLE passages ADD COLUMN context TEXT NOT NULL DEFAULT '';
    DROP TRIGGER passages_ai;
    DROP TRIGGER passages_ad;
    DROP TRIGGER passages_au;
    DROP TABLE passages_fts;
    CREATE VIRTUAL TABLE passages_fts USING fts5(
        text, context, content='passages', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER passages_ai AFTER INSERT ON passages BEGIN
        INSERT INTO passages_fts(rowid, text, context) VALUES (new.id, new.text, new.context);
    END;
    CREATE TRIGGER passages_ad AFTER DELETE ON passages BEGIN
        INSERT INTO passages_fts(passages_fts, rowid, text, context) VALUES ('delete', old.id, old.text, old.context);
    END;
    CREATE TRIGGER passages_au AFTER UPDATE OF text, context ON passages BEGIN
        INSERT INTO passages_fts(passages_fts, rowid, text, context) VALUES ('delete', old.id, old.text, old.context);
        INSERT INTO passages_fts(rowid, text, context) VALUES (new.id, new.text, new.context);
    END;
    INSERT INTO passages_fts(passages_fts) VALUES ('rebuild');
    """,
    # 4: what the built-in exclusion rules (core/config.py) left out of each folder at its last scan,
    # with the rule, so `status` and the app can show it; replaced whole by every scan of the folder.
    """
    CREATE TABLE skipped (
        folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        rule TEXT NOT NULL,
        PRIMARY KEY (folder_id, path)
    );
    """,
    # 5: Chinese, Japanese and Korean found by substrings: the CJK runs of a passage's text and
    # context as overlapping bigrams (core/cjk.py) in two more FTS5 columns, empty for other text.
    # `cjk_grams` is that Python function, registered on every connection the Store opens.
    """
    ALTER TABLE passages ADD COLUMN cjk TEXT NOT NULL DEFAULT '';
    ALTER TABLE passages ADD COLUMN cjk_context TEXT NOT NULL DEFAULT '';
    DROP TRIGGER passages_ai;
    DROP TRIGGER passages_ad;
    DROP TRIGGER passages_au;
    DROP TABLE passages_fts;
    -- Only rows holding CJK are rewritten: the others (with their vectors) stay as they are.
    UPDATE passages SET cjk = cjk_grams(text), cjk_context = cjk_grams(context)
    WHERE cjk_grams(text) <> '' OR cjk_grams(context) <> '';
    CREATE VIRTUAL TABLE passages_fts USING fts5(
        text, context, cjk, cjk_context, content='passages', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER passages_ai AFTER INSERT ON passages BEGIN
        INSERT INTO passages_fts(rowid, text, context, cjk, cjk_context)
        VALUES (new.id, new.text, new.context, new.cjk, new.cjk_context);
    END;
    CREATE TRIGGER passages_ad AFTER DELETE ON passages BEGIN
        INSERT INTO passages_fts(passages_fts, rowid, text, context, cjk, cjk_context)
        VALUES ('delete', old.id, old.text, old.context, old.cjk, old.cjk_context);
    END;
    -- The bigram columns are written with the text (INSERT_PASSAGE); an update of the text alone
    -- keeps the old bigrams, which the store never does.
    CREATE TRIGGER passages_au AFTER UPDATE OF text, context, cjk, cjk_context ON passages BEGIN
        INSERT INTO passages_fts(passages_fts, rowid, text, context, cjk, cjk_context)
        VALUES ('delete', old.id, old.text, old.context, old.cjk, old.cjk_context);
        INSERT INTO passages_fts(rowid, text, context, cjk, cjk_context)
        VALUES (new.id, new.text, new.context, new.cjk, new.cjk_context);
    END;
    INSERT INTO passages_fts(passages_fts) VALUES ('rebuild');
    """,
    # 6: how many runs in a row a limit of this machine (time, memory, a lost worker) stopped a
    # document's reading, failed or partial; 0 when the last reading was not cut short by one. A
    # change detection reads such a file again, a bounded number of times (config.LIMIT_TRIES).
    """
    ALTER TABLE documents ADD COLUMN limit_tries INTEGER NOT NULL DEFAULT 0;
    """,
    # 7: what is worth embedding (core/textkind.py, indexing/budget.py). A document's `kind` is
    # 'prose' or 'data' (logs, tables, dumps), '' until a writer has classified it; a folder's
    # `embed_data` is the user's "also search data files by meaning"; a passage is `lexical` when it
    # is kept for keyword search only by choice (a data file, or past the cap of one long file), so
    # "waiting for a vector" (the pending index) and "keyword only by choice" are counted apart.
    """
    ALTER TABLE documents ADD COLUMN kind TEXT NOT NULL DEFAULT '' CHECK (kind IN ('', 'prose', 'data'));
    ALTER TABLE folders ADD COLUMN embed_data INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE passages ADD COLUMN lexical INTEGER NOT NULL DEFAULT 0;
    DROP INDEX passages_pending;
    CREATE INDEX passages_pending ON passages(id) WHERE vector IS NULL AND lexical = 0;
    CREATE INDEX passages_lexical ON passages(id) WHERE vector IS NULL AND lexical = 1;
    """,
    # 8: OCR (core/extract/scanned.py, indexing/ocr.py). A document's `ocr_waiting` counts its pages
    # without a text layer that OCR has not read yet (the OCR pass after the text layers reads them);
    # a folder's `ocr` is the user's switch for it. `ocr_pages` keeps what OCR read, by content hash,
    # so that a new extraction of the same bytes (a newer reader, a re-read) never runs OCR again.
    """
    ALTER TABLE documents ADD COLUMN ocr_waiting INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE folders ADD COLUMN ocr INTEGER NOT NULL DEFAULT 1;
    CREATE TABLE ocr_pages (hash TEXT NOT NULL, page INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (hash, page));
    CREATE INDEX documents_ocr_waiting ON documents(folder_id) WHERE ocr_waiting > 0;
    """,
    # 9: a mail file's messages (core/extract/mail.py), by number (the page their passages carry): what
    # `from:` and `subject:` filter on, and the date a date filter reads for them instead of the file's.
    """
    CREATE TABLE messages (
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        subject TEXT NOT NULL,
        sender TEXT NOT NULL,
        sent REAL,
        PRIMARY KEY (doc_id, number)
    );
    """,
    # 10: mail attachments as documents of their own (core/attached.py). `parent_id` is the mail file's
    # document (its attachments go with it), `message` the number of the message they came with: what
    # their `from:`, `subject:` and date filters read. A folder's scan lists only its files.
    """
    ALTER TABLE documents ADD COLUMN parent_id INTEGER REFERENCES documents(id) ON DELETE CASCADE;
    ALTER TABLE documents ADD COLUMN message INTEGER;
    CREATE INDEX documents_parent ON documents(parent_id) WHERE parent_id IS NOT NULL;
    """,
    # 11: the cut a re-cut gave a document's passages (indexing/recut.py: recut_key); NULL: as its
    # reading cut them. Topic cuts need the model, so they come after the reading (indexing/topic_pass.py),
    # and this is how a run knows which documents they have yet to visit without a model pass over each.
    """
    ALTER TABLE documents ADD COLUMN cut TEXT;
    """,
)

# Meta keys: the one list of what the index records about itself.
META_MODEL = "model"  # model_key of the model the vectors come from
META_DIM = "dim"  # their dimension; recorded with the first vector, so a run stopped before may switch freely
META_VECTORS_VERSION = "vectors_version"  # bumped by every write that changes which passages have vectors
META_STAGED_MODEL = "staged_model"  # a model switch under way: the model being staged
META_RECIPE = "recipe"  # how the vectors were made (core/embed/late.py: Recipe.key); none recorded: naive
META_STAGED_RECIPE = "staged_recipe"  # the recipe being staged beside META_STAGED_MODEL
META_STAGED_DIM = "staged_dim"
META_SERVER = "server"  # a served model's embedding server (its base URL), core/policy.py: SERVED
META_API = "server_api"  # the API it speaks ("ollama", "openai"; "": asked of the server)
META_RECUT_TO = "rechunk_to"  # a re-cut under way: the passage size it is for ("tokens/overlap")
META_EMBED_CAP = "embed_cap"  # the cap the passages' `lexical` flags were set for ("none": no cap)

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    # NORMAL is durable across application crashes in WAL mode; only power loss can drop the last commit.
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",
)
# A reader's: nothing that writes (journal_mode=WAL would), and query_only so a slip cannot write either.
READ_PRAGMAS = ("PRAGMA busy_timeout=10000", "PRAGMA query_only=1")

GET_META = "SELECT value FROM meta WHERE key = ?"
SET_META = "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
BUMP_VECTORS_VERSION = """
    INSERT INTO meta(key, value) VALUES ('vectors_version', '1')
    ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1
"""

SCHEMA_VERSION = "PRAGMA user_version"
TOUCH_SCHEMA = "SELECT count(*) FROM sqlite_master"
QUICK_CHECK = "PRAGMA quick_check(3)"
# Removing a folder hands its pages back to the file system: FTS5 keeps a deleted row's entries as
# tombstones until its segments are merged ('optimize', FTS5 docs section 6.8), VACUUM then rewrites
# the file without free pages (into the WAL first, hence the checkpoint).
VACUUM = (
    "INSERT INTO passages_fts(passages_fts) VALUES ('optimize')",
    "VACUUM",
    "PRAGMA wal_checkpoint(TRUNCATE)",
)

# Salvage (salvage.py): the ordinary tables to copy, parents first (FTS5 and its shadow tables are
# refilled by the insert triggers); then what is not whole is dropped.
SALVAGE_TABLES = r"""
    SELECT name FROM sqlite_master AS t
    WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'
      AND NOT EXISTS (
          SELECT 1 FROM sqlite_master AS v
          WHERE v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL TABLE%' AND t.name LIKE v.name || '\_%' ESCAPE '\'
      )
"""
SALVAGE_ORDER = ("meta", "folders", "documents", "texts", "passages", "staged_vectors")
SALVAGE_DROP_ORPHANS = (
    "DELETE FROM documents WHERE folder_id NOT IN (SELECT id FROM folders)",
    "DELETE FROM passages WHERE doc_id NOT IN (SELECT id FROM documents)",
    "DELETE FROM texts WHERE doc_id NOT IN (SELECT id FROM documents)",
    "DELETE FROM skipped WHERE folder_id NOT IN (SELECT id FROM folders)",
)
# A document that lost its text or a passage is read again by the next scan (a size no file has); what
# survived of it stays searchable meanwhile, and its passages' vectors pass by text hash to the new ones.
SALVAGE_MARK_BROKEN = """
    UPDATE documents SET size = -1, hash = NULL,
        n_passages = (SELECT count(*) FROM passages AS p WHERE p.doc_id = documents.id)
    WHERE status = 'indexed' AND (
        NOT EXISTS (SELECT 1 FROM texts AS t WHERE t.doc_id = documents.id)
        OR (SELECT count(DISTINCT p.ord) FROM passages AS p
            WHERE p.doc_id = documents.id AND p.ord >= 0 AND p.ord < documents.n_passages) != documents.n_passages
    )
"""
SALVAGE_BAD_VECTORS = "UPDATE passages SET vector = NULL WHERE vector IS NOT NULL AND length(vector) != ?"
SALVAGE_READ_SEQUENCE = "SELECT seq FROM sqlite_sequence WHERE name = 'passages'"
SALVAGE_KEEP_SEQUENCE = (
    "UPDATE sqlite_sequence SET seq = max(seq, :seq) WHERE name = 'passages'",
    "INSERT INTO sqlite_sequence(name, seq) SELECT 'passages', :seq "
    "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'passages')",
)
SALVAGE_FILL_CJK = """
    UPDATE passages SET cjk = cjk_grams(text), cjk_context = cjk_grams(context)
    WHERE cjk_grams(text) <> '' OR cjk_grams(context) <> ''
"""
SALVAGE_COUNT_VECTORS = "SELECT count(*) FROM passages WHERE vector IS NOT NULL"
# A new database starts its vectors_version at a clock value, not 0: a FAISS cache left over from a
# deleted or set-aside database can then never pass for this one's.
SEED_VECTORS_VERSION = "INSERT OR IGNORE INTO meta(key, value) VALUES ('vectors_version', '{now}');"

ADD_FOLDER = """
    INSERT INTO folders(path, excludes, added_at) VALUES (?, ?, ?)
    ON CONFLICT(path) DO UPDATE SET excludes = excluded.excludes
"""
FOLDERS = "SELECT id, path, excludes, added_at, embed_data FROM folders ORDER BY path"
SET_EMBED_DATA = "UPDATE folders SET embed_data = ? WHERE id = ? AND embed_data != ?"
SET_OCR = "UPDATE folders SET ocr = ? WHERE id = ? AND ocr != ?"
SET_OCR_WAITING = "UPDATE documents SET ocr_waiting = ? WHERE id = ?"
DELETE_MESSAGES = "DELETE FROM messages WHERE doc_id = ?"
INSERT_MESSAGE = "INSERT OR REPLACE INTO messages(doc_id, number, subject, sender, sent) VALUES (?, ?, ?, ?, ?)"
SAVE_OCR_PAGE = "INSERT OR REPLACE INTO ocr_pages(hash, page, text) VALUES (?, ?, ?)"
# Pages read by OCR for the bytes each document had when it was last read (the hash it records).
OCR_KNOWN_ALL = "SELECT d.path, d.hash, o.page, o.text FROM documents d JOIN ocr_pages o ON o.hash = d.hash"
# Documents with pages waiting for OCR, in folders where OCR is on (`where`: more conditions).
OCR_WAITING_DOCS = """
    SELECT d.path, d.size, d.mtime, d.hash, d.folder_id, d.ocr_waiting FROM documents d
    JOIN folders f ON f.id = d.folder_id
    WHERE d.ocr_waiting > 0 AND f.ocr = 1 AND d.status = 'indexed' {where} ORDER BY d.ocr_waiting, d.id
"""
OCR_COUNTS = """
    SELECT COUNT(*), COALESCE(SUM(d.ocr_waiting), 0), COALESCE(SUM(f.ocr = 0), 0) FROM documents d
    JOIN folders f ON f.id = d.folder_id WHERE d.ocr_waiting > 0
"""
OCR_PAGES_READ = "SELECT COUNT(*) FROM ocr_pages o WHERE o.text != '' AND o.hash IN (SELECT hash FROM documents)"
# What OCR read for bytes no document holds any more (a file changed or gone).
FORGET_OCR = "DELETE FROM ocr_pages WHERE hash NOT IN (SELECT hash FROM documents WHERE hash IS NOT NULL)"
FOLDER_STATS = """
    SELECT f.id, f.path,
           COALESCE(SUM(d.parent_id IS NULL), 0) AS files,
           COALESCE(SUM(d.error IS NOT NULL), 0) AS failed,
           COALESCE(SUM(d.n_passages), 0) AS passages,
           f.embed_data,
           COALESCE(SUM(d.kind = 'data'), 0) AS data_files,
           f.ocr,
           COALESCE(SUM(d.ocr_waiting), 0) AS ocr_waiting
    FROM folders f LEFT JOIN documents d ON d.folder_id = f.id
    GROUP BY f.id ORDER BY f.path
"""
# Through the partial indexes of passages without a vector: cheap while few wait, as after any
# finished run. (folder, passages waiting for a vector, passages keyword only by choice, files with some.)
PENDING_BY_FOLDER = """
    SELECT d.folder_id, SUM(p.lexical = 0), SUM(p.lexical = 1), COUNT(DISTINCT CASE WHEN p.lexical THEN d.id END)
    FROM passages p JOIN documents d ON d.id = p.doc_id
    WHERE p.vector IS NULL AND p.lexical IN (0, 1) GROUP BY d.folder_id
"""
DELETE_FOLDER = "DELETE FROM folders WHERE id = ?"
FOLDER_ID = "SELECT id FROM folders WHERE path = ?"
COUNT_DOCS_IN_FOLDER = "SELECT COUNT(*) FROM documents WHERE folder_id = ? AND parent_id IS NULL"

# A folder's files as its scan compares them (attachments are not files on disk: they go with their mail).
DOCS_IN_FOLDER = """
    SELECT id, path, size, mtime, hash, status, reader, limit_tries FROM documents
    WHERE folder_id = ? AND parent_id IS NULL
"""
# A mail file's attachments that a new reading no longer has (their paths are listed in json_each).
DELETE_ATTACHED_EXCEPT = """
    DELETE FROM documents WHERE parent_id = ? AND path NOT IN (SELECT value FROM json_each(?))
"""
DOC_BY_PATH = "SELECT id, size, mtime, hash, status, reader, limit_tries FROM documents WHERE path = ?"
UPSERT_DOC = """
    INSERT INTO documents(
        folder_id, path, ext, size, mtime, hash, status, error, n_passages, updated_at, title, reader, limit_tries,
        parent_id, message
    )
    VALUES (
        :folder_id, :path, :ext, :size, :mtime, :hash, :status, :error, :n_passages, :now, :title, :reader, :limited,
        :parent_id, :message
    )
    ON CONFLICT(path) DO UPDATE SET
        -- A write that does not name an attachment's mail keeps it (a re-cut leaves the row alone:
        -- Documents.recut_document).
        parent_id = COALESCE(excluded.parent_id, documents.parent_id),
        message = COALESCE(excluded.message, documents.message),
        folder_id = excluded.folder_id, ext = excluded.ext, size = excluded.size,
        mtime = excluded.mtime, hash = excluded.hash, status = excluded.status,
        error = excluded.error, n_passages = excluded.n_passages, updated_at = excluded.updated_at,
        title = excluded.title, reader = excluded.reader,
        cut = NULL,  -- a new reading is cut as the reading cuts (a topic pass visits it again)
        -- Counted while the same file keeps hitting a limit; a changed file starts counting again.
        limit_tries = CASE
            WHEN excluded.limit_tries = 0 THEN 0
            WHEN documents.size = excluded.size AND documents.mtime = excluded.mtime THEN documents.limit_tries + 1
            ELSE 1
        END
    RETURNING id
"""
TOUCH_DOC = "UPDATE documents SET size = ?, mtime = ? WHERE id = ?"
# A retry cut short again that read less of the same file than the reading stored: keep that one.
KEEP_BETTER_READING = """
    UPDATE documents SET limit_tries = limit_tries + 1
    WHERE path = :path AND status = 'indexed' AND size = :size AND mtime = :mtime AND n_passages > :n
    RETURNING id
"""
DELETE_DOC = "DELETE FROM documents WHERE id = ?"
DELETE_PASSAGES_OF_DOC = "DELETE FROM passages WHERE doc_id = ?"
MAX_PASSAGE_OF_DOC = "SELECT COALESCE(MAX(id), 0) FROM passages WHERE doc_id = ?"
# Ids only grow (AUTOINCREMENT), so "id <= the old maximum" is exactly the replaced passages.
DELETE_OLD_PASSAGES_OF_DOC = "DELETE FROM passages WHERE doc_id = ? AND id <= ?"
UPSERT_TEXT = """
    INSERT INTO texts(doc_id, text, pages, headings) VALUES (?, ?, ?, ?)
    ON CONFLICT(doc_id) DO UPDATE SET text = excluded.text, pages = excluded.pages, headings = excluded.headings
"""
DELETE_TEXT = "DELETE FROM texts WHERE doc_id = ?"
# Reuse a vector already computed for identical text: duplicated files and boilerplate embed once.
INSERT_PASSAGE = """
    INSERT INTO passages(
        doc_id, ord, page, char_start, char_end, text, text_hash, section, context, vector, cjk, cjk_context
    )
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,
            (SELECT vector FROM passages WHERE text_hash = ?7 AND vector IS NOT NULL LIMIT 1),
            cjk_grams(?6), cjk_grams(?9))
"""
# (id, text, text_hash, document title, section): the model embeds the passage with its place.
# Most useful first (indexing/budget.py, "Order"): prose before data a user chose to embed; then
# tiers of each document's passages, so every file's opening comes before the rest of one huge
# file; within a tier the folder added last, then the file changed last.
PENDING_ORDER = "d.kind = 'data', p.ord / {tier}, f.added_at DESC, d.mtime DESC, p.id"
PENDING = f"""
    SELECT p.id, p.text, p.text_hash, d.title, p.section, p.doc_id, p.ord
    FROM passages p JOIN documents d ON d.id = p.doc_id JOIN folders f ON f.id = d.folder_id
    WHERE p.vector IS NULL AND p.lexical = 0
    ORDER BY {PENDING_ORDER} LIMIT ?
"""
COUNT_PENDING = "SELECT COUNT(*) FROM passages WHERE vector IS NULL AND lexical = 0"
SET_VECTOR_BY_HASH = "UPDATE passages SET vector = ? WHERE text_hash = ? AND vector IS NULL"
ALL_IDS = "SELECT group_concat(id) FROM passages"
# Every passage without a vector, through both partial indexes (a bare "vector IS NULL" reads every blob).
PENDING_IDS = """
    SELECT group_concat(id) FROM (
        SELECT id FROM passages WHERE vector IS NULL AND lexical = 0
        UNION ALL SELECT id FROM passages WHERE vector IS NULL AND lexical = 1
    )
"""
# -- what is embedded (indexing/budget.py) ------------------------------------------------------
# A document's passages from ordinal `first` on are keyword only (-1: none); only rows that change are written.
LABEL_DOC = """
    UPDATE passages SET lexical = (?1 >= 0 AND ord >= ?1)
    WHERE doc_id = ?2 AND lexical != (?1 >= 0 AND ord >= ?1)
"""
SET_KIND = "UPDATE documents SET kind = ? WHERE id = ?"
# (id, folder, kind, suffix): every document, for labelling its passages again after a policy change.
DOCS_FOR_BUDGET = "SELECT id, folder_id, kind, ext FROM documents WHERE status = 'indexed' {where}"
# Documents an index from before schema 7 holds unclassified, with the start of their text.
UNCLASSIFIED = """
    SELECT d.id, d.ext, substr(t.text, 1, ?) FROM documents d JOIN texts t ON t.doc_id = d.id
    WHERE d.kind = '' AND d.status = 'indexed' AND d.id > ? ORDER BY d.id LIMIT ?
"""
VECTORS_PAGE = "SELECT id, vector FROM passages WHERE vector IS NOT NULL AND id > ? ORDER BY id LIMIT ?"
VECTORS_FOR = "SELECT id, vector FROM passages WHERE id IN ({ids}) AND vector IS NOT NULL"

# The text column counts fully, the context column (file name, title, heading path: the same for
# many passages of a document) at CONTEXT_WEIGHT (retrieval/keyword.py); their CJK bigrams likewise.
KEYWORD = """
    SELECT rowid, bm25(passages_fts, 1.0, {context_weight}, 1.0, {context_weight}) AS rank FROM passages_fts
    WHERE passages_fts MATCH ? {filter} ORDER BY rank LIMIT ?
"""
# How many passages hold a term (for idf), counted no further than a cap: past it a word is common.
DOC_FREQ = "SELECT COUNT(*) FROM (SELECT 1 FROM passages_fts WHERE passages_fts MATCH ? LIMIT ?)"
HITS_FOR = """
    SELECT p.id, p.doc_id, d.path, p.page, p.text, p.char_start, p.char_end, d.mtime, d.title, p.section, p.context,
           p.lexical
    FROM passages p JOIN documents d ON d.id = p.doc_id WHERE p.id IN ({ids})
"""
PASSAGE_COUNT = "SELECT COUNT(*) FROM passages"
# The passages next to each of some passages (h) in its document, in its section and on its page,
# with both vectors (retrieval/neighbours.py); {filter}: over the neighbour p, as reads.filter_sql
# writes it. A document's passages are written in one statement, in order (documents.py,
# _swap_passages), so its neighbours' ids are its own id +- 1: two primary-key reads a hit instead of
# a walk through a long document's rows (35 ms for 10 hits in a 1,482-passage manual); the doc_id and
# ord tests make sure they are.
NEIGHBOURS_OF = """
    SELECT h.id, h.vector, p.id, p.ord - h.ord, p.char_start, p.char_end, p.text, p.vector
    FROM passages h JOIN passages p ON p.id IN (h.id - 1, h.id + 1)
    WHERE h.id IN ({ids}) AND p.doc_id = h.doc_id AND p.ord = h.ord + (p.id - h.id)
        AND p.section = h.section AND p.page IS h.page AND h.vector IS NOT NULL AND p.vector IS NOT NULL
        AND {filter}
"""
DOCS_OF = "SELECT id, doc_id FROM passages WHERE id IN ({ids})"
# Other files holding a passage's exact text (the same hash: what the model embeds, its place included).
COPIES_OF = """
    SELECT DISTINCT p.id, d.path FROM passages p
    JOIN passages q ON q.text_hash = p.text_hash AND q.doc_id != p.doc_id
    JOIN documents d ON d.id = q.doc_id
    WHERE p.id IN ({ids}) ORDER BY p.id, d.path
"""
# The file types searches can find (a filter on any other finds nothing).
FILE_TYPES = "SELECT DISTINCT ext FROM documents WHERE n_passages > 0 AND ext != '' ORDER BY ext"
# Filter clauses, AND-ed into the queries below (on documents d).
FILTER_FOLDER = "substr(d.path, 1, ?) = ?"
FILTER_EXTS = "d.ext IN ({marks})"
# A mail message's own date where it has one, else the file's.
# A passage's message: its page in a mail file; for an attachment (core/attached.py), its mail's message.
_MESSAGE = "m.doc_id = COALESCE(d.parent_id, d.id) AND m.number = COALESCE(d.message, p.page)"
_WHEN = f"COALESCE((SELECT m.sent FROM messages m WHERE {_MESSAGE}), d.mtime)"
FILTER_AFTER = f"{_WHEN} >= ?"
FILTER_BEFORE = f"{_WHEN} <= ?"
# An index without mail: the file's date alone.
FILTER_FILE_AFTER = "d.mtime >= ?"
FILTER_FILE_BEFORE = "d.mtime <= ?"
HAS_MESSAGES = "SELECT EXISTS (SELECT 1 FROM messages)"
# Passages of mail messages whose sender or subject holds the text (instr on lower case: no LIKE
# wildcards to escape in what a person types).
FILTER_SENDER = f"EXISTS (SELECT 1 FROM messages m WHERE {_MESSAGE} AND instr(lower(m.sender), ?) > 0)"
FILTER_SUBJECT = f"EXISTS (SELECT 1 FROM messages m WHERE {_MESSAGE} AND instr(lower(m.subject), ?) > 0)"
# Passages (p) an FTS5 expression matches, or does not: a query's "exact phrase" and -word.
FILTER_HAS = "p.id IN (SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?)"
FILTER_LACKS = "p.id NOT IN (SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?)"
# `+rowid`: an expression, not a constraint FTS5 is offered (SQLite's "The SQLite Query Optimizer
# Overview", section "Disqualifying WHERE Clause Terms Using Unary-+"), so the MATCH runs once and its rows
# are tested against the list. Offered as `rowid IN`, FTS5 ran the whole MATCH once per listed id: 0.4-26 s
# instead of 3-34 ms on docs-dev's 16,181 passages for a type, a folder or an excluded word.
KEYWORD_FILTER = "AND +rowid IN (SELECT p.id FROM passages p JOIN documents d ON d.id = p.doc_id WHERE {where})"
FILTERED_IDS = "SELECT p.id FROM passages p JOIN documents d ON d.id = p.doc_id WHERE {where}"
DOC_TEXT = "SELECT t.text, t.pages, t.headings FROM texts t WHERE t.doc_id = ?"

COUNTS = """
    SELECT
        (SELECT COUNT(*) FROM folders) AS folders,
        (SELECT COUNT(*) FROM documents WHERE status = 'indexed' AND parent_id IS NULL) AS indexed,
        (SELECT COUNT(*) FROM documents WHERE status = 'failed') AS failed,
        (SELECT COUNT(*) FROM passages) AS passages,
        -- Counted as all minus pending: the pending count reads the small partial index, while
        -- "vector IS NOT NULL" would read every vector (0.2 s at 100k passages).
        (SELECT COUNT(*) FROM passages)
            - (SELECT COUNT(*) FROM passages WHERE vector IS NULL AND lexical = 0)
            - (SELECT COUNT(*) FROM passages WHERE vector IS NULL AND lexical = 1) AS embedded,
        (SELECT COUNT(*) FROM passages WHERE vector IS NULL AND lexical = 1) AS keyword_only
"""
# -- staged re-embedding (a model switch) --------------------------------------------------------
# Passages whose text has no staged vector yet, after a cursor (ids only grow, so one pass per run).
UNSTAGED = """
    SELECT p.id, p.text, p.text_hash, d.title, p.section, p.doc_id, p.ord
    FROM passages p JOIN documents d ON d.id = p.doc_id
    WHERE p.id > ? AND p.lexical = 0 AND NOT EXISTS (SELECT 1 FROM staged_vectors s WHERE s.text_hash = p.text_hash)
    ORDER BY p.id LIMIT ?
"""
# Distinct texts still to stage (keyword-only passages are not: after the swap they have no vector).
COUNT_UNSTAGED = """
    SELECT COUNT(DISTINCT p.text_hash) FROM passages p
    WHERE p.lexical = 0 AND NOT EXISTS (SELECT 1 FROM staged_vectors s WHERE s.text_hash = p.text_hash)
"""
COUNT_STAGED = "SELECT COUNT(*) FROM staged_vectors"
STAGE_VECTOR = "INSERT OR REPLACE INTO staged_vectors(text_hash, vector) VALUES (?, ?)"
SWAP_STAGED = (
    "UPDATE passages SET vector = (SELECT s.vector FROM staged_vectors s WHERE s.text_hash = passages.text_hash)"
)
CLEAR_STAGED = "DELETE FROM staged_vectors"
DELETE_META = "DELETE FROM meta WHERE key = ?"

# -- re-cutting passages to a new size (from the stored text) --------------------------------------
INDEXED_DOCS_AFTER = """
    SELECT id, folder_id, path, size, mtime, hash, title, reader, error, kind, ext FROM documents
    WHERE status = 'indexed' AND id > ? ORDER BY id LIMIT ?
"""
COUNT_INDEXED_DOCS = "SELECT COUNT(*) FROM documents WHERE status = 'indexed'"
# The same, for the documents whose passages another cut than `cut` made, leaving out data files
# outside the folders listed (json_each) whose data is embedded: they get no vectors (indexing/budget.py).
_UNCUT = """
    status = 'indexed' AND cut IS NOT :cut AND (kind != 'data' OR folder_id IN (SELECT value FROM json_each(:folders)))
"""
UNCUT_DOCS_AFTER = f"""
    SELECT id, folder_id, path, size, mtime, hash, title, reader, error, kind, ext FROM documents
    WHERE {_UNCUT} AND id > :after ORDER BY id LIMIT :limit
"""
COUNT_UNCUT_DOCS = f"SELECT COUNT(*) FROM documents WHERE {_UNCUT}"
DOC_HAS_VECTORS = "SELECT 1 FROM passages WHERE doc_id = ? AND vector IS NOT NULL LIMIT 1"
# A re-cut's new passage count and cut; the rest of the row is the reading's and stays.
SET_PASSAGE_COUNT = "UPDATE documents SET n_passages = ?, updated_at = ?, cut = ? WHERE id = ?"
MARK_CUT = "UPDATE documents SET cut = ? WHERE id = ?"
PASSAGE_HASHES_OF_DOC = "SELECT text_hash FROM passages WHERE doc_id = ? ORDER BY ord"
HAS_VECTOR = "SELECT 1 FROM passages WHERE text_hash = ? AND vector IS NOT NULL LIMIT 1"
# A stretch of one document's passages, as the model reads them: the context late chunking pools in.
PASSAGES_AROUND = """
    SELECT p.id, p.text, p.text_hash, d.title, p.section, p.doc_id, p.ord
    FROM passages p JOIN documents d ON d.id = p.doc_id
    WHERE p.doc_id = ? AND p.ord BETWEEN ? AND ? ORDER BY p.ord
"""

# Failed files, and files read only in part (indexed, with the reason in `error`).
FAILED_DOCS = "SELECT path, error FROM documents WHERE error IS NOT NULL {folder} ORDER BY path"

# What the built-in exclusion rules left out of each folder at its last scan (core/scan.py).
HAS_TABLE = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"
DELETE_SKIPPED_OF_FOLDER = "DELETE FROM skipped WHERE folder_id = ?"
INSERT_SKIPPED = "INSERT OR IGNORE INTO skipped(folder_id, path, rule) VALUES (?, ?, ?)"
SKIPPED = "SELECT path, rule FROM skipped ORDER BY path"
