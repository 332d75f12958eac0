"""The newsroom's roles as groups: Reporter and Editor.

Reporters write and edit their own drafts and send them for review; editors do
everything with stories, people, races and tags, including publishing."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER = {
    "articles": [
        "add_article", "change_article", "view_article", "view_section",
        "add_mention", "change_mention", "delete_mention", "view_mention",
        "add_byline", "change_byline", "delete_byline", "view_byline",
    ],
    "people": [
        "add_person", "view_person", "add_alias", "view_alias",
        "view_race", "view_election", "view_candidacy",
    ],
    "taggit": ["add_tag", "view_tag"],
}  # fmt: skip
EDITOR_APPS = ["articles", "people", "taggit"]


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    reporter, _ = Group.objects.get_or_create(name="Reporter")
    for app_label, codenames in REPORTER.items():
        reporter.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        )
    editor, _ = Group.objects.get_or_create(name="Editor")
    editor.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=EDITOR_APPS)
    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Reporter", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_workflow"),
        ("people", "0003_mention_decisions"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
