"""Full-text search over proposals (title and body); see comuna.core.fulltext."""

from __future__ import annotations

from django.db.models import QuerySet

from comuna.core.fulltext import FullTextIndex, words_of

__all__ = ["search_proposals", "words_of", "ensure_sqlite_index"]

PROPOSALS = FullTextIndex("participation_proposal", ("title", "body"))

SQLITE_SETUP = PROPOSALS.sqlite_setup()
SQLITE_TEARDOWN = PROPOSALS.sqlite_teardown()
# A copy of the "simple" configuration that also folds accents (Fête = fete), so the index expression stays
# immutable. Needs the unaccent extension (shipped with PostgreSQL; creating it needs a superuser once). Every
# full-text index (proposals, policies) uses it.
POSTGRES_SETUP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION comuna_simple (COPY = simple)",
    "ALTER TEXT SEARCH CONFIGURATION comuna_simple ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple",
    *PROPOSALS.postgres_setup(),
]
POSTGRES_TEARDOWN = [
    *PROPOSALS.postgres_teardown(),
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS comuna_simple",
]


def search_proposals(queryset: QuerySet, text: str) -> QuerySet:
    """Proposals of `queryset` containing every word of `text` (as a word or the start of one)."""
    return PROPOSALS.filter(queryset, text)


ensure_sqlite_index = PROPOSALS.ensure_sqlite_index
