#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# pgRouting side of the peer benchmark (benchmarks/peers/README.md). Run as root: starts a
# private PostgreSQL 15 cluster on 127.0.0.1:55432 as the postgres user in a scratch folder it
# owns (PEERS.md §5), loads peer_cc's graph and facilities (ids + 1: pgRouting ids are 1-based
# here), times pgr_drivingDistance(..., 1200) from the 1,000 facility nodes (catchments) and
# with equicost => true (nearest), checks both against carecircle's answers with
# peer_pgr_check.py, stops the cluster and removes the scratch folder.
#
#   peer_pgr.sh DIR [RUNS]     prints key=value lines
set -euo pipefail
DIR=$(cd "$1" && pwd)
RUNS=${2:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
B=/usr/lib/postgresql/15/bin
PORT=55432
D=$(mktemp -d /tmp/peers-pg.XXXXXX)
chown postgres "$D"
chmod 755 "$D"
asp() { runuser -u postgres -- "$@"; }
cleanup() {
    asp "$B/pg_ctl" -D "$D/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$D"
}
trap cleanup EXIT
asp "$B/initdb" -D "$D/data" -A trust -U postgres >"$D/initdb.log" 2>&1
asp "$B/pg_ctl" -D "$D/data" -l "$D/pg.log" \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $D -c work_mem=256MB -c shared_buffers=256MB" \
    -w start >/dev/null
PSQL=(runuser -u postgres -- psql -X -q -h 127.0.0.1 -p $PORT -U postgres -d postgres -v ON_ERROR_STOP=1)
# input files must be readable by postgres: copy them into the scratch folder
cp "$DIR/edges.csv" "$DIR/facilities.csv" "$D/"
chown postgres "$D"/*.csv
"${PSQL[@]}" <<EOF
CREATE EXTENSION postgis;
CREATE EXTENSION pgrouting;
CREATE TABLE e0 (id int, source int, target int, cost float8, reverse_cost float8);
\copy e0 FROM '$D/edges.csv' CSV HEADER
CREATE TABLE edges AS SELECT id + 1 AS id, source + 1 AS source, target + 1 AS target, cost, reverse_cost FROM e0;
CREATE TABLE f0 (fac int, node int, x float8, y float8);
\copy f0 FROM '$D/facilities.csv' CSV HEADER
CREATE TABLE fac AS SELECT fac, node + 1 AS vid FROM f0;
ANALYZE;
EOF
echo "pgr_version=$("${PSQL[@]}" -tA -c 'SELECT pgr_version()')"
echo "postgres_version=$("${PSQL[@]}" -tA -c 'SHOW server_version')"
DD="pgr_drivingDistance('SELECT id, source, target, cost, reverse_cost FROM edges', (SELECT array_agg(vid ORDER BY fac) FROM fac), 1200, directed => true"
# time each query inside the server (clock_timestamp around it), count(*) so that the 1.75 M
# rows are produced but not shipped to the client
timeit() { # $1 = extra args
    "${PSQL[@]}" -tA -c "DO \$\$ DECLARE t0 timestamptz; n bigint; BEGIN t0 := clock_timestamp();
      SELECT count(*) INTO n FROM $DD $1); RAISE NOTICE 'T % %', extract(epoch FROM clock_timestamp() - t0), n; END \$\$;" 2>&1 |
        sed -n 's/.*NOTICE:  T \([0-9.]*\) \([0-9]*\).*/\1 \2/p'
}
stats() { # reads "secs rows" lines; prints median min rows
    sort -n | awk '{t[NR]=$1; r=$2} END {m = NR%2 ? t[(NR+1)/2] : (t[NR/2]+t[NR/2+1])/2; print m, t[1], r}'
}
read -r med min rows < <(for _ in $(seq "$RUNS"); do timeit ""; done | stats)
echo "pgr_catch_median_s=$med"
echo "pgr_catch_min_s=$min"
echo "pgr_catch_rows=$rows"
read -r med min rows < <(for _ in $(seq "$RUNS"); do timeit ", equicost => true"; done | stats)
echo "pgr_near_median_s=$med"
echo "pgr_near_min_s=$min"
echo "pgr_near_rows=$rows"
# answers for the check (3.4 returns from_v, node, agg_cost: the root is from_v)
"${PSQL[@]}" -c "\copy (SELECT from_v - 1, node - 1, agg_cost FROM $DD)) TO '$D/pgr_catch.csv' CSV"
"${PSQL[@]}" -c "\copy (SELECT from_v - 1, node - 1, agg_cost FROM $DD, equicost => true)) TO '$D/pgr_near.csv' CSV"
/usr/bin/python3 "$HERE/peer_pgr_check.py" "$DIR" "$D/pgr_catch.csv" "$D/pgr_near.csv"
