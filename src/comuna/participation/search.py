"""Full-text search over proposals, behind one function: SQLite FTS5 or PostgreSQL's text search.

Content is written in many languages, so words are matched without language-specific stemming and without
accents (a "simple" configuration with unaccent on PostgreSQL, the unicode61 tokenizer removing diacritics on
SQLite), each as a prefix.
"""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 12


def words_of(text: str) -> list[str]:
    return WORD.findall(text.lower())[:MAX_WORDS]


def search_proposals(queryset: QuerySet, text: str) -> QuerySet:
    """Proposals of `queryset` containing every word of `text` (as a word or the start of one)."""
    words = words_of(text)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        query = " & ".join(f"{word}:*" for word in words)
        return queryset.filter(pk__in=RawSQL(
            "SELECT id FROM participation_proposal WHERE "
            "to_tsvector('comuna_simple', title || ' ' || body) @@ to_tsquery('comuna_simple', %s)", [query]))
    match = " ".join(f'"{word}"*' for word in words)  # quoted: no FTS5 syntax can slip in
    return queryset.filter(pk__in=RawSQL(
        "SELECT rowid FROM participation_proposal_fts WHERE participation_proposal_fts MATCH %s", [match]))


SQLITE_SETUP = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS participation_proposal_fts USING fts5(
        title, body, content='participation_proposal', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER IF NOT EXISTS participation_proposal_fts_insert AFTER INSERT ON participation_proposal BEGIN
        INSERT INTO participation_proposal_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END""",
    """CREATE TRIGGER IF NOT EXISTS participation_proposal_fts_delete AFTER DELETE ON participation_proposal BEGIN
        INSERT INTO participation_proposal_fts(participation_proposal_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body); END""",
    """CREATE TRIGGER IF NOT EXISTS participation_proposal_fts_update AFTER UPDATE OF title, body ON participation_proposal BEGIN
        INSERT INTO participation_proposal_fts(participation_proposal_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO participation_proposal_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END""",
    "INSERT INTO participation_proposal_fts(participation_proposal_fts) VALUES ('rebuild')",
]
SQLITE_TEARDOWN = [
    "DROP TRIGGER IF EXISTS participation_proposal_fts_insert",
    "DROP TRIGGER IF EXISTS participation_proposal_fts_delete",
    "DROP TRIGGER IF EXISTS participation_proposal_fts_update",
    "DROP TABLE IF EXISTS participation_proposal_fts",
]
# A copy of the "simple" configuration that also folds accents (Fête = fete), so the index expression stays
# immutable. Needs the unaccent extension (shipped with PostgreSQL; creating it needs a superuser once).
POSTGRES_SETUP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION comuna_simple (COPY = simple)",
    "ALTER TEXT SEARCH CONFIGURATION comuna_simple ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple",
    "CREATE INDEX participation_proposal_fts ON participation_proposal "
    "USING gin (to_tsvector('comuna_simple', title || ' ' || body))",
]
POSTGRES_TEARDOWN = [
    "DROP INDEX IF EXISTS participation_proposal_fts",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS comuna_simple",
]


def ensure_sqlite_index(connection) -> None:
    """SQLite rebuilds a table to alter it, dropping its triggers: after every migration, put them back (and
    re-index) if they are gone."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE "
                       "'participation_proposal_fts_%'")
        if cursor.fetchone()[0] == 3:
            return
        for statement in SQLITE_SETUP:
            cursor.execute(statement)
