"""SQLite's full-text index of the sections (FTS5): its table and the triggers that keep it in step
with articles_section. Made by migration 0012, and checked after every `migrate` (search_index_repair):
when Django rebuilds articles_section on SQLite (as it does for some field changes), the table's
triggers go with it, so they are made again and the index rebuilt."""

TABLE = """CREATE VIRTUAL TABLE IF NOT EXISTS articles_section_fts USING fts5(
    question, answer_text, content='articles_section', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2')"""
TRIGGERS = {
    "articles_section_fts_insert": """CREATE TRIGGER IF NOT EXISTS articles_section_fts_insert
    AFTER INSERT ON articles_section BEGIN
        INSERT INTO articles_section_fts(rowid, question, answer_text)
        VALUES (new.id, new.question, new.answer_text);
    END""",
    "articles_section_fts_delete": """CREATE TRIGGER IF NOT EXISTS articles_section_fts_delete
    AFTER DELETE ON articles_section BEGIN
        INSERT INTO articles_section_fts(articles_section_fts, rowid, question, answer_text)
        VALUES ('delete', old.id, old.question, old.answer_text);
    END""",
    "articles_section_fts_update": """CREATE TRIGGER IF NOT EXISTS articles_section_fts_update
    AFTER UPDATE OF question, answer_text ON articles_section BEGIN
        INSERT INTO articles_section_fts(articles_section_fts, rowid, question, answer_text)
        VALUES ('delete', old.id, old.question, old.answer_text);
        INSERT INTO articles_section_fts(rowid, question, answer_text)
        VALUES (new.id, new.question, new.answer_text);
    END""",
}
REBUILD = "INSERT INTO articles_section_fts(articles_section_fts) VALUES ('rebuild')"


def search_index_make(cursor) -> bool:
    """Make the index and whichever of its triggers are missing; when any was, rebuild the index
    from the sections. Returns whether anything was made."""
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s",
        ["articles_section_fts%"],
    )
    present = {name for (name,) in cursor.fetchall()}
    missing = [name for name in ("articles_section_fts", *TRIGGERS) if name not in present]
    if not missing:
        return False
    cursor.execute(TABLE)
    for sql in TRIGGERS.values():
        cursor.execute(sql)
    cursor.execute(REBUILD)
    return True
