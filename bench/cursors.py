"""A cursor deep in the main feed, made as the server makes it, and the check that it is.

Following 10,000 `next` links to reach post 100,000 would take minutes. Instead this module,
run with the server's environment (its database and secret key), reads the page before that
post from the same rows the feed pages by cursor (`Feed.by_cursor`, published posts only), and
makes the `next` cursor of that page as DRF's CursorPagination does (the position of the last
post shown; an offset among the posts that share it), signed by core.cursors' own paginator.
Before the load, bench/run.py checks that the API answers it with the posts `?offset=` answers
an anonymous caller at the same depth (also published posts only, in the same order).
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT
from bench.server import http


def cursor_path(env, path, row):
    """The path of the page of the main feed by cursor (`path`: its first page) that starts at
    `row` (counted from 0), made in a process with the server's environment `env`."""
    result = subprocess.run(  # noqa: S603 (this module, with our own arguments)
        [sys.executable, __file__, path, str(row)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"making the cursor at row {row} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.splitlines()[-1])


def check_cursor_page(base_url, path, row):
    """Exit unless the page at `path` holds the posts that an anonymous caller's page at offset
    `row` holds, with as many of them."""
    query = urlsplit(path).query
    limit = next(part for part in query.split("&") if part.startswith("limit="))
    offset_path = f"{urlsplit(path).path}?offset={row}&{limit}"
    pages = {}
    for each in (path, offset_path):
        status, page = http(base_url, "GET", each)
        if status != 200:
            raise SystemExit(f"{each} answered {status}: {page}")
        pages[each] = [post["id"] for post in page["results"]]
    if not pages[path] or pages[path] != pages[offset_path]:
        raise SystemExit(
            f"the cursor made for row {row} is not the API's: its page holds {pages[path]}, "
            f"{offset_path} holds {pages[offset_path]}"
        )


def _made_by_the_server_code(path, row):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.http import QueryDict
    from rest_framework.pagination import Cursor

    from core.cursors import cursor_pages
    from posts.selectors import post_feed

    first = urlsplit(path)
    query = QueryDict(first.query)
    feed = post_feed(user=AnonymousUser(), filters=query)
    rows, ordering = feed.by_cursor()
    paginator = cursor_pages(*ordering)()
    limit = int(query.get("limit") or paginator.page_size)
    # The page before the one wanted, and the first post of the one wanted.
    before = list(rows.order_by(*ordering)[row - limit : row + 1])
    field = ordering[0].removeprefix("-")
    compare, offset = str(before.pop()[field]), 0
    for post in reversed(before):
        position = str(post[field])
        if position != compare:
            break
        offset += 1
    else:
        raise SystemExit(f"the {limit} posts before row {row} share one {field}: pick another")
    paginator.base_url = path
    cursor = Cursor(offset=offset, reverse=False, position=position)
    link = urlsplit(paginator.encode_cursor(cursor))
    return f"{link.path}?{link.query}"


if __name__ == "__main__":
    print(json.dumps(_made_by_the_server_code(sys.argv[1], int(sys.argv[2]))))
