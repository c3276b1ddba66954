"""The full-text index of policies: an FTS5 table kept by triggers on SQLite, a GIN index on PostgreSQL (using the
comuna_simple configuration that participation's search migration creates)."""

from django.db import migrations

from comuna.intercity import search


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("intercity", "0001_initial"), ("participation", "0002_proposal_search")]
    operations = [
        migrations.RunPython(
            run({"sqlite": search.SQLITE_SETUP, "postgresql": search.POSTGRES_SETUP}),
            run({"sqlite": search.SQLITE_TEARDOWN, "postgresql": search.POSTGRES_TEARDOWN}),
        )
    ]
