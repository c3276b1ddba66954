"""Full-text search over the policy library (each policy's `search_text`); see comuna.core.fulltext. The
PostgreSQL configuration it uses is created by participation's search migration."""

from __future__ import annotations

from django.db.models import QuerySet

from comuna.core.fulltext import FullTextIndex

POLICIES = FullTextIndex("intercity_policy", ("search_text",))

SQLITE_SETUP = POLICIES.sqlite_setup()
SQLITE_TEARDOWN = POLICIES.sqlite_teardown()
POSTGRES_SETUP = POLICIES.postgres_setup()
POSTGRES_TEARDOWN = POLICIES.postgres_teardown()


def search_policies(queryset: QuerySet, text: str) -> QuerySet:
    """Policies of `queryset` containing every word of `text` (as a word or the start of one)."""
    return POLICIES.filter(queryset, text)


ensure_sqlite_index = POLICIES.ensure_sqlite_index
