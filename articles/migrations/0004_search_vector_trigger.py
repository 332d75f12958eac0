"""Full-text search on PostgreSQL: a trigger keeps `search_vector` (headline A, dek B,
body C with tags stripped) current on every insert and every change of those three
columns, and a GIN index serves `search_vector @@ query`. Nothing to do on SQLite."""

from django.db import migrations

from core.postgresql.operations import run_sql_on_postgresql

CREATE = """
CREATE FUNCTION articles_article_search_vector_update() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.headline, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(NEW.dek, '')), 'B') ||
        setweight(to_tsvector('english',
            regexp_replace(coalesce(NEW.body, ''), '<[^>]*>', ' ', 'g')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER articles_article_search_vector_trigger
    BEFORE INSERT OR UPDATE OF headline, dek, body, search_vector ON articles_article
    FOR EACH ROW EXECUTE FUNCTION articles_article_search_vector_update();

CREATE INDEX article_search_vector_idx ON articles_article USING GIN (search_vector);

UPDATE articles_article SET search_vector = NULL;
"""

DROP = """
DROP INDEX IF EXISTS article_search_vector_idx;
DROP TRIGGER IF EXISTS articles_article_search_vector_trigger ON articles_article;
DROP FUNCTION IF EXISTS articles_article_search_vector_update();
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_slug_history_and_search")]

    operations = [run_sql_on_postgresql(CREATE, DROP)]
