from django.apps import AppConfig
from django.core.signals import request_started
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    """Plumbing shared by every API app: strict fields, errors, health, schema helpers."""

    name = "core"

    def ready(self):
        from core.db import close_connections_the_server_closed, fold_case_in_sqlite_like

        connection_created.connect(fold_case_in_sqlite_like, dispatch_uid="core.sqlite_like")
        request_started.connect(
            close_connections_the_server_closed, dispatch_uid="core.closed_connections"
        )
