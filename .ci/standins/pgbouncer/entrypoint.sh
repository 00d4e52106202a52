#!/bin/sh
# The part of edoburu/pgbouncer's entrypoint that Agora's compose.pgbouncer.yml relies on: the
# DB_USER / DB_PASSWORD pair is appended to the auth file (the password in clear for AUTH_TYPE
# plain or scram-sha-256, else as md5), and a mounted pgbouncer.ini is used as it is.
set -eu
auth_file=${AUTH_FILE:-/etc/pgbouncer/userlist.txt}
[ -e "$auth_file" ] || touch "$auth_file"
if [ -n "${DB_USER:-}" ] && [ -n "${DB_PASSWORD:-}" ] && ! grep -q "^\"$DB_USER\"" "$auth_file"; then
  case "${AUTH_TYPE:-md5}" in
    plain | scram-sha-256) pass=$DB_PASSWORD ;;
    *) pass="md5$(printf '%s' "$DB_PASSWORD$DB_USER" | md5sum | cut -d' ' -f1)" ;;
  esac
  printf '"%s" "%s"\n' "$DB_USER" "$pass" >>"$auth_file"
  echo "Wrote authentication credentials to $auth_file"
fi
if [ ! -f /etc/pgbouncer/pgbouncer.ini ]; then
  echo "pgbouncer stand-in: mount /etc/pgbouncer/pgbouncer.ini (the generated one is not mimicked)" >&2
  exit 1
fi
exec "$@"
