from django.contrib.auth.management import create_permissions
from django.db import migrations

from moderation.permissions import GROUP, PERMISSIONS


def create_moderators(apps, schema_editor):
    """The group, with exactly PERMISSIONS. Permissions are made after every migration has run
    (post_migrate): on a new database they are made here first, for the apps this names."""
    for label in {label for label, _ in PERMISSIONS}:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.set(
        [
            Permission.objects.get(content_type__app_label=label, codename=codename)
            for label, codename in PERMISSIONS
        ]
    )


def remove_moderators(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("accounts", "0007_moderate_user_permission"),
        ("posts", "0006_full_text_search_document"),
        ("comments", "0001_initial"),
        ("votes", "0004_likes_in_the_admin"),
        ("relationships", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_moderators, remove_moderators)]
