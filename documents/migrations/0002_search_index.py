"""GIN index on the full-text vector (PostgreSQL only; SQLite searches with icontains).

The vector column is a plain tsvector filled by the services with the `norwegian` configuration
(title weighted A, body B); the index makes `search_vector @@ query` an index scan.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS docversion_search_gin "
    "ON documents_documentversion USING gin (search_vector)"
)
DROP = "DROP INDEX IF EXISTS docversion_search_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
