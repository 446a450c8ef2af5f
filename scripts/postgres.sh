#!/usr/bin/env bash
# Starts the local PostgreSQL server (Debian's cluster) and makes a role and database for the tests.
# Prints the Npgsql connection string on stdout. Only 127.0.0.1 is used.
set -euo pipefail
cluster=$(pg_lsclusters --no-header 2>/dev/null | awk 'NR==1{print $1" "$2}')
if [ -z "$cluster" ]; then
  ver=$(ls /usr/lib/postgresql | sort -V | tail -1)
  pg_createcluster "$ver" main >/dev/null
  cluster="$ver main"
fi
read -r ver name <<<"$cluster"
pg_ctlcluster "$ver" "$name" start >/dev/null 2>&1 || true
port=$(pg_lsclusters --no-header | awk -v v="$ver" -v n="$name" '$1==v && $2==n {print $3}')
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p "$port" && break; sleep 1; done
as_pg() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "$1"; else sudo -u postgres bash -c "$1"; fi; }
as_pg "psql -q -p $port -tc \"SELECT 1 FROM pg_roles WHERE rolname='ogactors'\" | grep -q 1 || psql -q -p $port -c \"CREATE ROLE ogactors LOGIN CREATEDB PASSWORD 'ogactors'\"" >/dev/null
as_pg "psql -q -p $port -tc \"SELECT 1 FROM pg_database WHERE datname='ogactors_test'\" | grep -q 1 || createdb -p $port -O ogactors ogactors_test" >/dev/null
echo "Host=127.0.0.1;Port=$port;Username=ogactors;Password=ogactors;Database=ogactors_test"
