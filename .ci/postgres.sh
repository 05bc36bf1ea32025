#!/usr/bin/env bash
# Starts the PostgreSQL cluster the store tests run against (Debian's
# postgresql package, installed by .ci/deps.sh), makes sure the test role
# and database exist, and prints the connection URL the tests read from
# NIANBAO_TEST_POSTGRES. Safe to run again: a running cluster is left as it
# is. Needs root (CI runs as root) or sudo.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
ver=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
if [ -z "$ver" ]; then
	echo "PostgreSQL 未安装（.ci/deps.sh 安装 Debian 的 postgresql 软件包）" >&2
	exit 1
fi
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$ver main"; then
	$SUDO pg_createcluster "$ver" main >/dev/null
fi
status=$(pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $4}')
if [ "$status" != "online" ]; then
	$SUDO pg_ctlcluster "$ver" main start >&2
fi
port=$(pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $3}')
for _ in $(seq 1 60); do
	pg_isready -q -h 127.0.0.1 -p "$port" && break
	sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$port"
if [ -z "$SUDO" ]; then AS_POSTGRES=(runuser -u postgres --); else AS_POSTGRES=(sudo -u postgres); fi
psql_admin() { (cd / && "${AS_POSTGRES[@]}" psql -p "$port" -v ON_ERROR_STOP=1 -tAc "$1"); }
if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = 'nianbao_test'")" != 1 ]; then
	psql_admin "CREATE ROLE nianbao_test LOGIN PASSWORD 'nianbao_test'" >/dev/null
fi
if [ "$(psql_admin "SELECT 1 FROM pg_database WHERE datname = 'nianbao_test'")" != 1 ]; then
	psql_admin "CREATE DATABASE nianbao_test OWNER nianbao_test" >/dev/null
fi
echo "postgres://nianbao_test:nianbao_test@127.0.0.1:$port/nianbao_test?sslmode=disable"
