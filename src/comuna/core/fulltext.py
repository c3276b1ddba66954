"""Full-text search over one text table, behind one object: an FTS5 table kept by triggers on SQLite, a GIN index
on PostgreSQL.

Content is written in many languages, so words are matched without language-specific stemming and without
accents (the "comuna_simple" configuration with unaccent on PostgreSQL, created by participation's search
migration; the unicode61 tokenizer removing diacritics on SQLite), each as a prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 12


def words_of(text: str) -> list[str]:
    return WORD.findall(text.lower())[:MAX_WORDS]


@dataclass(frozen=True)
class FullTextIndex:
    table: str  # the model's table, e.g. "participation_proposal"
    columns: tuple[str, ...]  # its text columns, e.g. ("title", "body")

    @property
    def index(self) -> str:
        return f"{self.table}_fts"

    def filter(self, queryset: QuerySet, text: str) -> QuerySet:
        """Rows of `queryset` containing every word of `text` (as a word or the start of one)."""
        words = words_of(text)
        if not words:
            return queryset
        if connection.vendor == "postgresql":
            query = " & ".join(f"{word}:*" for word in words)
            return queryset.filter(pk__in=RawSQL(
                f"SELECT id FROM {self.table} WHERE "
                f"to_tsvector('comuna_simple', {self._document()}) @@ to_tsquery('comuna_simple', %s)", [query]))
        match = " ".join(f'"{word}"*' for word in words)  # quoted: no FTS5 syntax can slip in
        return queryset.filter(pk__in=RawSQL(f"SELECT rowid FROM {self.index} WHERE {self.index} MATCH %s", [match]))

    def _document(self) -> str:
        return " || ' ' || ".join(self.columns)

    # -- the index itself (migrations and post_migrate) ------------------------------------------------------

    def sqlite_setup(self) -> list[str]:
        columns = ", ".join(self.columns)
        new = ", ".join(f"new.{c}" for c in self.columns)
        old = ", ".join(f"old.{c}" for c in self.columns)
        forget = f"INSERT INTO {self.index}({self.index}, rowid, {columns}) VALUES ('delete', old.id, {old});"
        remember = f"INSERT INTO {self.index}(rowid, {columns}) VALUES (new.id, {new});"
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.index} USING fts5({columns}, content='{self.table}', "
            f"content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
            f"CREATE TRIGGER IF NOT EXISTS {self.index}_insert AFTER INSERT ON {self.table} BEGIN {remember} END",
            f"CREATE TRIGGER IF NOT EXISTS {self.index}_delete AFTER DELETE ON {self.table} BEGIN {forget} END",
            f"CREATE TRIGGER IF NOT EXISTS {self.index}_update AFTER UPDATE OF {columns} ON {self.table} BEGIN "
            f"{forget} {remember} END",
            f"INSERT INTO {self.index}({self.index}) VALUES ('rebuild')",
        ]

    def sqlite_teardown(self) -> list[str]:
        return [*(f"DROP TRIGGER IF EXISTS {self.index}_{event}" for event in ("insert", "delete", "update")),
                f"DROP TABLE IF EXISTS {self.index}"]

    def postgres_setup(self) -> list[str]:
        return [f"CREATE INDEX {self.index} ON {self.table} USING gin (to_tsvector('comuna_simple', "
                f"{self._document()}))"]

    def postgres_teardown(self) -> list[str]:
        return [f"DROP INDEX IF EXISTS {self.index}"]

    def ensure_sqlite_index(self, db_connection) -> None:
        """SQLite rebuilds a table to alter it, dropping its triggers: after every migration, put them back (and
        re-index) if they are gone."""
        if db_connection.vendor != "sqlite":
            return
        with db_connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = %s", [self.table])
            if not cursor.fetchone()[0]:
                return
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                           [f"{self.index}_%"])
            if cursor.fetchone()[0] == 3:
                return
            for statement in self.sqlite_setup():
                cursor.execute(statement)
