"""The document of each post for the feed's full-text search (`q`), on PostgreSQL only.

A stored generated column: the title's words weighted A, the content's B (ts_rank then puts a
match in the title above one in the content), both with the `english` configuration that
posts.sql parses every query with. PostgreSQL computes it on every write, whichever path writes
the row (the ORM, COPY, psql); a GIN index serves `@@`. Adding the column rewrites the table
under an exclusive lock while every post's document is computed.

SQLite cannot compute a tsvector, so the column is not part of the model state: the model does
not declare it, and posts.sql names it where PostgreSQL reads it.
"""

from django.db import migrations

COLUMN = "search_vector"
INDEX_NAME = "posts_search_vector_idx"


def add_document(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE posts_post ADD COLUMN {COLUMN} tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('english'::regconfig, title), 'A') || "
        "setweight(to_tsvector('english'::regconfig, content), 'B')"
        ") STORED"
    )
    schema_editor.execute(f"CREATE INDEX {INDEX_NAME} ON posts_post USING gin ({COLUMN})")


def drop_document(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The index goes with its column.
    schema_editor.execute(f"ALTER TABLE posts_post DROP COLUMN IF EXISTS {COLUMN}")


class Migration(migrations.Migration):
    dependencies = [("posts", "0005_published_at_and_comments_count")]

    operations = [migrations.RunPython(add_document, drop_document, elidable=False)]
