"""`.env.example` lists every variable the settings, gunicorn and the compose files read, and
no other."""

import re

from django.conf import settings

# Read by gunicorn itself, not by our files.
GUNICORN_OWN = {"GUNICORN_CMD_ARGS"}


def names(pattern, *patterns):
    files = [path for glob in patterns for path in sorted(settings.BASE_DIR.glob(glob))]
    return {name for path in files for name in re.findall(pattern, path.read_text(), re.MULTILINE)}


def test_env_example_lists_exactly_the_variables_read():
    secrets = names(r"env_secret\(\s*\"([A-Z][A-Z0-9_]*)\"", "config/settings.py")
    read = (
        secrets
        | {f"{name}_FILE" for name in secrets}
        | names(r"(?:env\.\w+|throttle_rate)\(\s*\"([A-Z][A-Z0-9_]*)\"", "config/settings.py")
        | names(
            r"os\.environ\.get\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']",
            "gunicorn.conf.py",
            "config/settings.py",
        )
        | names(r"\$\{([A-Z][A-Z0-9_]*)", "docker-compose.yml", "compose.*.yml")
        | GUNICORN_OWN
    )
    listed = names(r"^#?\s?([A-Z][A-Z0-9_]*)=", ".env.example")

    assert read - listed == set(), "read but missing from .env.example"
    assert listed - read == set(), "in .env.example but read by nothing"


def test_secret_key_is_not_filled_in():
    example = (settings.BASE_DIR / ".env.example").read_text()

    assert re.search(r"^DJANGO_SECRET_KEY=$", example, re.MULTILINE)
