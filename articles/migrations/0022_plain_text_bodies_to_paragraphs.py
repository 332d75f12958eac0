"""Bodies stored as plain text (no block tags, paragraphs at blank lines) become
paragraphs, and the social embeds' leftovers in any body embed blocks: readers
saw each such story as one block of text, and the leftovers as stray lines."""

from django.db import migrations

from articles.sanitizer import clean_body


def bodies_to_paragraphs(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    stories = Article.objects.exclude(body="").only("id", "body").order_by("id")
    for article in stories.iterator(chunk_size=500):
        body = clean_body(article.body)
        if body != article.body:
            # update(): no save(), so neither the edit time nor "Updated" moves.
            Article.objects.filter(pk=article.pk).update(body=body)


class Migration(migrations.Migration):
    dependencies = [("articles", "0021_article_revised_at_correction")]

    operations = [
        migrations.RunPython(bodies_to_paragraphs, migrations.RunPython.noop),
    ]
