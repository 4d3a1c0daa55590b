#!/usr/bin/env bash
# Start the local PostgreSQL cluster and make sure the role and database `zg` exist.
# Prints the DATABASE_URL to use, and nothing else, on stdout: what the PostgreSQL tools say
# (e.g. pg_ctlcluster's "Removed stale pid file." after an unclean shutdown) goes to stderr.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo -n"; fi
as_postgres() { $SUDO su postgres -s /bin/sh -c "$1"; }

version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
  $SUDO pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | awk '$1=="'"$version"'" && $2=="main" {print $4}' | grep -qx online; then
  $SUDO pg_ctlcluster "$version" main start >&2
fi
port=$(pg_lsclusters -h | awk '$1=="'"$version"'" && $2=="main" {print $3}')
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 1
done

if [ "$(as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='zg'\"")" != "1" ]; then
  as_postgres "psql -p $port -qc \"CREATE USER zg PASSWORD 'zg' CREATEDB\"" >&2
fi
if [ "$(as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname='zg'\"")" != "1" ]; then
  as_postgres "psql -p $port -qc \"CREATE DATABASE zg OWNER zg\"" >&2
fi
# Password log-in for zg over the Unix socket too (Debian allows only peer log-in there), ahead
# of the peer lines: on the same machine the socket saves a TCP exchange per query, which the
# gate benchmark reads from (postgres://zg:zg@%2Fvar%2Frun%2Fpostgresql/zg_bench).
hba=$(as_postgres "psql -p $port -tAc 'SHOW hba_file'")
if ! $SUDO grep -qE '^local[[:space:]]+all[[:space:]]+zg[[:space:]]' "$hba"; then
  line="local   all             zg                                      scram-sha-256"
  if $SUDO grep -q '^local' "$hba"; then
    $SUDO sed -i "0,/^local/s//$line\nlocal/" "$hba"
  else
    echo "$line" | $SUDO tee -a "$hba" >/dev/null
  fi
  $SUDO pg_ctlcluster "$version" main reload >&2
fi
echo "postgres://zg:zg@127.0.0.1:$port/zg"
