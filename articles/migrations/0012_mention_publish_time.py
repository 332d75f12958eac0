from django.db import migrations, models


def copy_publish_times(apps, schema_editor):
    """Give existing mentions their story's publish time (published stories only)."""
    Article = apps.get_model("articles", "Article")
    Mention = apps.get_model("articles", "Mention")
    published = Article.objects.filter(
        pk=models.OuterRef("article_id"), status="published"
    )
    Mention.objects.update(
        published_at=models.Subquery(published.values("published_at")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_tag_link_publish_time"),
    ]

    operations = [
        migrations.AddField(
            model_name="mention",
            name="published_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(copy_publish_times, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="mention",
            index=models.Index(
                fields=["person", "-published_at", "-article"],
                name="mention_person_pub_idx",
            ),
        ),
    ]
