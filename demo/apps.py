from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content for a first start (`manage.py seed_demo`): tooling, not a domain, so it sits
    above every product app and may write through each one's services."""

    name = "demo"
