"""Migration operations for what exists on PostgreSQL only."""

from django.db import migrations


def run_sql_on_postgresql(sql: str, reverse_sql: str) -> migrations.RunPython:
    """Run `sql` (and `reverse_sql` backwards) on PostgreSQL; nothing on SQLite,
    which has no triggers of this kind and no GIN or trigram indexes."""

    def run(statements):
        def operation(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(statements)

        return operation

    return migrations.RunPython(run(sql), run(reverse_sql))
