#!/bin/sh
# Run by the postgres image once, when its volume is first initialised (/docker-entrypoint-initdb.d). Keyring gets
# two roles, neither of them a superuser (POSTGRES_USER, the superuser, is for the DBA and never given to Keyring):
#   keyring_owner  owns the keyring database and its schema; applies migrations (the `migrate` service)
#   keyring_app    what the Keyring servers connect as; after each migration run the owner grants it reads and
#                  writes on the tables, but only SELECT and INSERT on audit_events. Owning nothing, it cannot
#                  ALTER TABLE … DISABLE TRIGGER; not a superuser, it cannot SET session_replication_role.
# `npm run topology` runs this here-document too, through node (tools/topology/compose.mjs): keep one psql call with
# `-v name="$VAR"` variables and the SQL between <<'SQL' and SQL.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v db="$POSTGRES_DB" -v owner_password="$KEYRING_DB_OWNER_PASSWORD" -v app_password="$KEYRING_DB_APP_PASSWORD" <<'SQL'
CREATE ROLE keyring_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE keyring_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
ALTER DATABASE :"db" OWNER TO keyring_owner;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO keyring_app;
SQL
