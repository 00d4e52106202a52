from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Plumbing shared by every API app: strict fields, errors, health, schema helpers."""

    name = "core"
