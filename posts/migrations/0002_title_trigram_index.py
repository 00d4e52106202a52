"""A trigram index for the feed's title search, on PostgreSQL only.

Django compiles `title__icontains` to `UPPER("title"::text) LIKE UPPER(%s)`, which a trigram
index on the bare column cannot serve; this one is on the same expression. Other databases
skip it. The index is not part of the model state (SQLite cannot build it), so it lives here.
"""

from django.db import migrations

INDEX_NAME = "posts_title_upper_trgm_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} "
        "ON posts_post USING gin ((UPPER(title::text)) gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [("posts", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
