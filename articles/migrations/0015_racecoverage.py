"""`Article.races` gets a through model, `RaceCoverage`, on the table Django made for
it, with the story's publish time copied onto each link (as tags and mentions have)
and an index (race, publish time, story) for a race's newest coverage."""

import django.db.models.deletion
from django.db import migrations, models


def copy_publish_times(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    RaceCoverage = apps.get_model("articles", "RaceCoverage")
    published = Article.objects.filter(
        pk=models.OuterRef("article_id"), status="published"
    )
    RaceCoverage.objects.update(
        published_at=models.Subquery(published.values("published_at")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_article_section_idx"),
        ("people", "0005_name_trigram_indexes"),
    ]

    operations = [
        # The table, its columns and constraints are there already: only Django's
        # picture of them changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="RaceCoverage",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "article",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="race_links",
                                to="articles.article",
                            ),
                        ),
                        (
                            "race",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="story_links",
                                to="people.race",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "race covered",
                        "verbose_name_plural": "races covered",
                        "db_table": "articles_article_races",
                        "unique_together": {("article", "race")},
                    },
                ),
                migrations.AlterField(
                    model_name="article",
                    name="races",
                    field=models.ManyToManyField(
                        blank=True,
                        help_text="The races this story covers.",
                        related_name="articles",
                        through="articles.RaceCoverage",
                        to="people.race",
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="racecoverage",
            name="published_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="racecoverage",
            index=models.Index(
                fields=["race", "-published_at", "-article"],
                name="racecoverage_race_pub_idx",
            ),
        ),
        migrations.RunPython(copy_publish_times, migrations.RunPython.noop),
    ]
