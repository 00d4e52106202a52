#!/bin/sh
# Like the public image: drop to user redis for redis-server, protected mode off (appended, so
# that a configuration file may still come first).
set -eu
if [ "${1:-}" = redis-server ]; then
  shift
  exec setpriv --reuid=redis --regid=redis --init-groups redis-server "$@" --protected-mode no
fi
exec "$@"
