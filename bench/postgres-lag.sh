#!/bin/sh
# The comparison figure for bench/pipe.ts's lag section: PostgreSQL 15 logical replication of
# the same load (one row = 10 points, 100-row inserts every 10 ms for 10 s: 100,000 points/s)
# between two local clusters; lag = the apply time a trigger on the subscriber records,
# minus the insert time the publisher put in the row. Prints `name: value unit` lines.
# Needs PostgreSQL 15 (PG_BIN, default /usr/lib/postgresql/15/bin) and a `postgres` user
# to run it as when started by root. Not part of `npm run bench`.
set -eu
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
DIR=$(mktemp -d /tmp/pg-lag-XXXXXX)
AS=""
if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; AS="su postgres -c"; fi
run() { if [ -n "$AS" ]; then $AS "$1"; else sh -c "$1"; fi; }
q() { run "$PG_BIN/psql -h $DIR -p $1 -d postgres -qAt -c \"$2\""; }
cleanup() {
  run "$PG_BIN/pg_ctl -D $DIR/a stop -m fast" >/dev/null 2>&1 || true
  run "$PG_BIN/pg_ctl -D $DIR/b stop -m fast" >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
run "$PG_BIN/initdb -D $DIR/a -A trust" >/dev/null
run "$PG_BIN/initdb -D $DIR/b -A trust" >/dev/null
run "$PG_BIN/pg_ctl -D $DIR/a -o '-p 54331 -k $DIR -c listen_addresses=127.0.0.1 -c wal_level=logical' -l $DIR/a.log start" >/dev/null
run "$PG_BIN/pg_ctl -D $DIR/b -o '-p 54332 -k $DIR -c listen_addresses=127.0.0.1' -l $DIR/b.log start" >/dev/null
sleep 2
COLS="ts timestamptz not null, v0 float8, v1 float8, v2 float8, v3 float8, v4 float8, v5 float8, v6 float8, v7 float8, v8 float8, v9 float8"
q 54331 "create table t (id bigint primary key, $COLS); create publication p for table t;"
q 54332 "create table t (id bigint primary key, $COLS); create table lag (id bigint, applied timestamptz, ts timestamptz);"
# The apply worker runs with an empty search_path: the trigger names its schema.
q 54332 "create function stamp() returns trigger language plpgsql as \\\$\\\$ begin insert into public.lag values (new.id, clock_timestamp(), new.ts); return new; end \\\$\\\$; create trigger stamp after insert on t for each row execute function stamp(); alter table t enable always trigger stamp;"
q 54332 "create subscription s connection 'host=127.0.0.1 port=54331 dbname=postgres user=postgres' publication p with (copy_data = false)" 2>/dev/null
cat > "$DIR/writer.sql" <<'SQL'
do $$
declare
  start timestamptz := clock_timestamp();
  k int;
begin
  for k in 0..999 loop
    perform pg_sleep(greatest(0, extract(epoch from (start + make_interval(secs => k * 0.01) - clock_timestamp()))));
    insert into t select k * 100 + i, clock_timestamp(), random(), random(), random(), random(), random(),
      random(), random(), random(), random(), random() from generate_series(0, 99) i;
    commit;
  end loop;
end $$;
SQL
[ -n "$AS" ] && chown postgres "$DIR/writer.sql"
# A first run warms the subscription's apply worker; the second is measured.
run "$PG_BIN/psql -h $DIR -p 54331 -d postgres -qAt -f $DIR/writer.sql"
sleep 3
q 54331 "delete from t"
sleep 2
q 54332 "truncate lag"
echo "# load average $(cut -d' ' -f1-3 /proc/loadavg)"
run "$PG_BIN/psql -h $DIR -p 54331 -d postgres -qAt -f $DIR/writer.sql"
sleep 3
for p in 0.5 0.99; do
  v=$(q 54332 "select round(1000 * extract(epoch from percentile_cont($p) within group (order by applied - ts))::numeric, 2) from lag")
  echo "postgres logical replication lag p$(echo "$p" | sed 's/0\.//; s/^5$/50/'): $v ms"
done
