#!/usr/bin/env bash
# A private PostgreSQL + PostGIS server from Debian's packages, for the geometry
# tests (lakebridge_dagster_tests/bronze/test_geometry.py). Idempotent and quick
# when everything is already there; safe to run any number of times.
#
#   .ci/postgis.sh            start the server (packages must be installed)
#   .ci/postgis.sh --install  also apt-get install the packages if missing
#                             (done without the flag when CI=true)
#   .ci/postgis.sh --stop     stop the server (the data is kept)
#
# The server is its own cluster (never Debian's `main` one): data directory
# /var/lib/postgresql/lakebridge-gis-<major> (run as the postgres user) when
# run as root, ~/.local/share/lakebridge/postgis-<major> otherwise; it listens
# on 127.0.0.1 only, on port 54329 (the next free port up to 54399 when that one
# is taken), and on a Unix socket inside its data directory (owner only).
# It holds a database `lakebridge_gis` with `CREATE EXTENSION postgis`, owned by
# the role `lakebridge` (password auth). Its URL is written to
# .lakebridge/postgis_url (the tests read it, or $LAKEBRIDGE_POSTGIS_URL) and
# printed on stdout. Exit status 3: PostGIS is not installed and cannot be
# installed here (no --install, no apt-get, no root, no such package).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES_FOR() { echo "postgresql-$1 postgresql-$1-postgis-3"; }
PORT_FIRST=${LAKEBRIDGE_POSTGIS_PORT:-54329}
PORT_LAST=$((PORT_FIRST + 70))
DATABASE=lakebridge_gis
ROLE=lakebridge
URL_FILE=.lakebridge/postgis_url

install=false
stop=false
for arg in "$@"; do
  case $arg in
    --install) install=true ;;
    --stop) stop=true ;;
    *) echo "usage: $0 [--install | --stop]" >&2; exit 2 ;;
  esac
done
if [ "${CI:-}" = true ]; then install=true; fi

say() { echo "postgis.sh: $*" >&2; }
die() { say "$*"; exit 1; }
# Exit status 3: PostGIS is not installed and cannot be installed here (the tests skip).
cannot() { say "$*"; exit 3; }

# The PostgreSQL major version: one that already has PostGIS, else Debian's default.
major=${PG_MAJOR:-}
if [ -z "$major" ]; then
  for control in /usr/share/postgresql/*/extension/postgis.control; do
    if [ -e "$control" ]; then major=$(basename "$(dirname "$(dirname "$control")")"); fi
  done
fi
installed() {
  [ -n "$major" ] && [ -x "/usr/lib/postgresql/$major/bin/initdb" ] \
    && [ -e "/usr/share/postgresql/$major/extension/postgis.control" ]
}
if ! installed; then
  $install || cannot "PostgreSQL with PostGIS is not installed: run $0 --install"
  command -v apt-get >/dev/null || cannot "no apt-get here: install PostgreSQL with PostGIS yourself"
  sudo=
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || cannot "installing PostGIS needs root (or sudo)"
    sudo=sudo
  fi
  $sudo apt-get update -qq
  if [ -z "$major" ]; then
    depends=$(apt-cache depends postgresql 2>/dev/null || true)
    major=$(sed -n 's/.*Depends: postgresql-\([0-9][0-9]*\)$/\1/p' <<<"$depends" | sed -n 1p)
  fi
  [ -n "$major" ] || cannot "apt knows no postgresql package"
  for package in $(PACKAGES_FOR "$major"); do
    [[ $(apt-cache policy "$package") == *"Candidate: "[0-9]* ]] || cannot "apt knows no $package"
  done
  say "installing $(PACKAGES_FOR "$major")"
  # shellcheck disable=SC2046
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    $(PACKAGES_FOR "$major") >/dev/null
  installed || die "PostGIS is still missing after installing $(PACKAGES_FOR "$major")"
fi
bin=/usr/lib/postgresql/$major/bin

# Who runs the server, and where its data lives.
if [ "$(id -u)" = 0 ]; then
  data=${LAKEBRIDGE_POSTGIS_DATA:-/var/lib/postgresql/lakebridge-gis-$major}
  as_pg() { (cd / && runuser -u postgres -- "$@"); }
else
  data=${LAKEBRIDGE_POSTGIS_DATA:-${XDG_DATA_HOME:-$HOME/.local/share}/lakebridge/postgis-$major}
  as_pg() { (cd / && "$@"); }
fi
running() { as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

if $stop; then
  if running; then as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null; fi
  say "stopped ($data)"
  exit 0
fi

if [ ! -s "$data/PG_VERSION" ]; then
  say "creating the cluster in $data"
  if [ "$(id -u)" = 0 ]; then
    install -d -o postgres -g postgres -m 700 "$data"
  else
    mkdir -p -m 700 "$data"
  fi
  as_pg "$bin/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >/dev/null
  # TCP on 127.0.0.1 only; the Unix socket in the (mode 700) data directory.
  as_pg sh -c "cat >> '$data/postgresql.conf'" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$data'
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
fi

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if running; then
  port=$(sed -n 4p "$data/postmaster.pid")
else
  port=$PORT_FIRST
  while port_busy "$port"; do
    port=$((port + 1))
    [ "$port" -le "$PORT_LAST" ] || die "no free port in $PORT_FIRST-$PORT_LAST"
  done
  as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -o "-p $port" -w -t 60 start >/dev/null \
    || die "the server did not start; see $data/server.log"
fi

# The password: the one already handed out, else a new one; (re)set every run.
password=
if [ -s "$URL_FILE" ]; then
  password=$(sed -n 's|^postgresql://[^:]*:\([0-9a-f]*\)@.*|\1|p' "$URL_FILE")
fi
[ -n "$password" ] || password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')

psql_admin() {
  as_pg "$bin/psql" -h "$data" -p "$port" -U postgres -X -q -v ON_ERROR_STOP=1 "$@"
}
psql_admin -d postgres -v role="$ROLE" -v password="$password" -v db="$DATABASE" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role')
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" WITH LOGIN PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
psql_admin -d "$DATABASE" -c 'SET client_min_messages = warning' \
  -c 'CREATE EXTENSION IF NOT EXISTS postgis'

url="postgresql://$ROLE:$password@127.0.0.1:$port/$DATABASE"
mkdir -p "$(dirname "$URL_FILE")"
(umask 077 && printf '%s\n' "$url" >"$URL_FILE.tmp") && mv "$URL_FILE.tmp" "$URL_FILE"
say "PostGIS $(psql_admin -d "$DATABASE" -At -c 'SELECT postgis_lib_version()') on PostgreSQL $major at 127.0.0.1:$port; URL in $URL_FILE"
echo "$url"
