"""The newsroom's groups may record relationships: editors everything, reporters
the relationships their own stories report (as they link people to them)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = {
    "articles": [
        "add_relationshipsource", "change_relationshipsource",
        "delete_relationshipsource", "view_relationshipsource",
    ],
    "people": [
        "add_relationship", "change_relationship", "delete_relationship",
        "view_relationship",
    ],
}  # fmt: skip
REPORTER = {
    "articles": [
        "add_relationshipsource", "change_relationshipsource",
        "delete_relationshipsource", "view_relationshipsource",
    ],
    "people": ["add_relationship", "view_relationship"],
}  # fmt: skip


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, granted in (("Editor", EDITOR), ("Reporter", REPORTER)):
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for app_label, codenames in granted.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0023_relationship_sources"),
        ("people", "0009_relationships"),
        ("articles", "0008_newsroom_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
