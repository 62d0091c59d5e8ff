"""Granting the Editors group an app's permissions, from that app's data migration."""

from django.contrib.auth.management import create_permissions


def grant_to_editors(app_label, codenames):
    """A RunPython pair (grant, revoke) for these permission codenames of one app."""

    def grant(apps, schema_editor):
        # Permissions are normally made after all migrations; make them now.
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        group, _ = Group.objects.get_or_create(name="Editors")
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )

    def revoke(apps, schema_editor):
        Permission = apps.get_model("auth", "Permission")
        group = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )

    return grant, revoke
