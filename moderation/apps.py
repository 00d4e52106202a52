from django.apps import AppConfig


class ModerationConfig(AppConfig):
    """The Moderators group (its migration): what moderation in the admin needs, and nothing
    more. Above every product app, whose models it grants permissions on."""

    name = "moderation"
