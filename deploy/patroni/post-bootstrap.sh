#!/bin/sh
# Patroni runs this once, on the node that initialises the cluster, with a superuser
# connection string as its argument: Agora's role and database, from the same POSTGRES_USER,
# POSTGRES_PASSWORD and POSTGRES_DB as the single-database stack.
set -eu
: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
psql "$1" -v ON_ERROR_STOP=1 -v user="${POSTGRES_USER:-agora}" -v password="$POSTGRES_PASSWORD" \
  -v db="${POSTGRES_DB:-agora}" <<'SQL'
CREATE ROLE :"user" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"user";
SQL
