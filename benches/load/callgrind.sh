#!/usr/bin/env bash
# Instructions per request (user space, valgrind's callgrind) for Jury or the bare comparison
# server of the load harness: repeatable on a busy machine, unlike req/s. Needs the release
# builds (`cargo build --release --bin jury`, `cargo bench --bench load --no-run`) and a
# database seeded in /tmp/cgdata (`JURY_DATA_DIR=/tmp/cgdata
# JURY_DATABASE_URL=sqlite:///tmp/cgdata/jury.db jury seed-demo --applications 200 --judges 20`).
#   benches/load/callgrind.sh jury|bare /healthz 2000
#   benches/load/callgrind.sh jury /api/v1/me 1000 "$token"     # a judge's access token
# JURY_LOG=warn measures without the access line. Counters are zeroed after start-up and three
# warm-up requests; the requests then go over one keep-alive connection.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
kind=$1 path=$2 n=$3 token=${4:-}
d=/tmp/cgdata; port=18$((RANDOM % 900 + 100))
out=/tmp/cg.$kind.$$.out
export JURY_DATA_DIR=$d JURY_DATABASE_URL=sqlite://$d/jury.db JURY_JWT_SECRET=load-harness-secret-0123456789abcdef0123456789 JURY_BIND=127.0.0.1:$port JURY_LOG=${JURY_LOG:-info}
if [ "$kind" = jury ]; then
  bin=${JURY_BIN:-$root/target/release/jury}; args=serve
else
  bin=$(ls -t $root/target/release/deps/load-* | grep -v '\.d$' | head -1); args=
  export JURY_BARE_BIND=127.0.0.1:$port JURY_BARE_DATABASE_URL=$JURY_DATABASE_URL
fi
valgrind --tool=callgrind --callgrind-out-file=$out $bin $args >/tmp/cg.$kind.log 2>&1 &
pid=$!
for i in $(seq 1 300); do curl -fs http://127.0.0.1:$port/healthz >/dev/null && break; sleep 0.5; done
hdr=(); [ -n "$token" ] && hdr=(-H "Authorization: Bearer $token")
# warm up
for i in 1 2 3; do curl -s "${hdr[@]}" http://127.0.0.1:$port$path >/dev/null; done
callgrind_control -z $pid >/dev/null
urls=(); for i in $(seq 1 $n); do urls+=(http://127.0.0.1:$port$path); done
curl -s "${hdr[@]}" "${urls[@]}" > /dev/null
callgrind_control -d $pid >/dev/null
sleep 1
kill $pid; wait $pid 2>/dev/null
f=$out.1
tot=$(grep -E "^(summary|totals):" $f | tail -1 | awk '{print $2}')
echo "$kind $path: $tot instr over $n requests = $((tot / n)) per request ($f)"
