"""`manage.py ensure_database`: create the PostgreSQL database DATABASE_URL names if it is missing.

`make run` runs it before `migrate`, so that a DATABASE_URL naming a database that does not exist
yet works on a server where only the `postgres` maintenance database does. It connects there with
DATABASE_URL's own user, password, host and port.
"""

import psycopg
from django.core.management.base import BaseCommand
from django.db import connection
from psycopg import sql


class Command(BaseCommand):
    help = "Create the PostgreSQL database DATABASE_URL names, if it does not exist yet."

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("SQLite creates its database file on first use.")
            return
        name = connection.settings_dict["NAME"]
        maintenance = {**connection.get_connection_params(), "dbname": "postgres"}
        with psycopg.connect(**maintenance, autocommit=True) as server:
            if server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                self.stdout.write(f"The database {name} exists.")
                return
            # CREATE DATABASE takes no parameters: the name goes in quoted as an identifier.
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self.stdout.write(f"Created the database {name}.")
