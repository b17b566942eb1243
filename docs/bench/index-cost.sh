#!/usr/bin/env bash
# What each index on `reading` costs the load: COPY of 1,000,000 readings (as the loader writes them:
# file after file, each file in time order, SITES sensors taking turns row by row) in 10 batches of 100,000 into
# an empty table, with the primary key only, plus the BRIN index on time, plus the B-tree on
# (site_id, measured_at), plus both, plus the B-tree on (measured_at, site_id) that is kept; and the
# former denormalised raw_sensor_data table for comparison. VARIANTS="key timesite" runs only those.
# Rounds are interleaved; prints each run and the median per variant, in seconds, and the table's size
# with its indexes (MB).
#
#   [SITES=50] docs/bench/index-cost.sh [rounds]     (PostgreSQL 15 binaries from Debian's postgresql-15)
# SITES=50 is the benchmark's generator (50 sensors); a Sofia monthly file has several hundred.
set -euo pipefail
rounds=${1:-5}
sites=${SITES:-50}
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
dir=$(mktemp -d)
port=$((20000 + RANDOM % 10000))
trap '"$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
# initdb and postgres refuse to run as root: run them as the owner of the scratch folder.
as=""
if [ "$(id -u)" = 0 ]; then
  chown nobody "$dir"; as="runuser -u nobody --"
fi
$as "$bin/initdb" -D "$dir/data" -U bench --auth=trust >/dev/null
$as "$bin/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c fsync=on -c synchronous_commit=on" -l "$dir/log" start >/dev/null
psql() { command psql -h "$dir" -p "$port" -U bench -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

# The batches, written once: the loader's COPY text format for each shape of table.
psql -c "COPY (SELECT 1 + i / 10000, 2 + i % 10000, 1 + i % $sites,
          TIMESTAMPTZ '2017-01-01 00:00:00+00' + i * INTERVAL '10 seconds', 940 + (i % 100) / 10.0, 20 + i % 7,
          50 + i % 11, NULL, NULL FROM generate_series(0, 999999) i) TO '$dir/reading.tsv'"
psql -c "COPY (SELECT 1 + i / 10000, 2 + i % 10000, 1000 + i % $sites, 5000 + i % $sites, 42 + (i % $sites) / 10000.0,
          23 + (i % $sites) / 10000.0, TIMESTAMPTZ '2017-01-01 00:00:00+00' + i * INTERVAL '10 seconds',
          940 + (i % 100) / 10.0, 20 + i % 7, 50 + i % 11, NULL, NULL FROM generate_series(0, 999999) i)
          TO '$dir/raw.tsv'"
for table in reading raw; do
  for b in $(seq 0 9); do
    sed -n "$((b * 100000 + 1)),$(((b + 1) * 100000))p" "$dir/$table.tsv" > "$dir/$table.$b.tsv"
  done
done

create() {
  psql -c "DROP TABLE IF EXISTS t"
  if [ "$1" = raw ]; then
    psql -c "CREATE TABLE t (file_id bigint NOT NULL, line_number bigint NOT NULL, sensor_id bigint NOT NULL,
      location_id bigint, lat double precision, lon double precision, measured_at timestamptz NOT NULL,
      pressure_hpa double precision, temperature_c double precision, humidity_pct double precision,
      pm10_ugm3 double precision, pm25_ugm3 double precision, PRIMARY KEY (file_id, line_number))"
    return
  fi
  psql -c "CREATE TABLE t (file_id bigint NOT NULL, line_number bigint NOT NULL, site_id bigint NOT NULL,
    measured_at timestamptz NOT NULL, pressure_hpa double precision, temperature_c double precision,
    humidity_pct double precision, pm10_ugm3 double precision, pm25_ugm3 double precision,
    PRIMARY KEY (file_id, line_number))"
  case $1 in
    brin) psql -c "CREATE INDEX ON t USING brin (measured_at)" ;;
    btree) psql -c "CREATE INDEX ON t (site_id, measured_at)" ;;
    both) psql -c "CREATE INDEX ON t USING brin (measured_at)"; psql -c "CREATE INDEX ON t (site_id, measured_at)" ;;
    timesite) psql -c "CREATE INDEX ON t (measured_at, site_id)" ;;
  esac
}

variants=${VARIANTS:-"raw key brin btree both timesite"}
declare -A times sizes
for r in $(seq 1 "$rounds"); do
  for v in $variants; do
    create "$v"
    psql -c "CHECKPOINT"
    file=reading; [ "$v" = raw ] && file=raw
    start=$(date +%s.%N)
    for b in $(seq 0 9); do
      psql -c "COPY t FROM '$dir/$file.$b.tsv'"
    done
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc)
    times[$v]="${times[$v]:-} $t"
    sizes[$v]=$(psql -c "SELECT pg_total_relation_size('t') / 1000000")
    echo "round $r $v ${t}s ${sizes[$v]} MB"
  done
done
echo
echo "variant median(s) MB all"
for v in $variants; do
  median=$(echo ${times[$v]} | tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')
  echo "$v $median ${sizes[$v]} ${times[$v]}"
done
