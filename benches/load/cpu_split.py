#!/usr/bin/env python3
"""CPU time per process name, once a second, read from /proc/PID/stat (utime + stime, in
clock ticks: 100 a second per core). Run it beside the load harness to see how a run's CPU
splits between Jury, the bare server (the harness binary), PostgreSQL and the kernel threads:

    python3 benches/load/cpu_split.py 60
"""
import collections
import os
import sys
import time


def snapshot():
    out = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        out[pid] = (name, int(fields[11]) + int(fields[12]))
    return out


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 60
    previous, started = snapshot(), time.time()
    while time.time() - started < seconds:
        time.sleep(1)
        current = snapshot()
        ticks = collections.Counter()
        for pid, (name, total) in current.items():
            if pid in previous:  # a process that started this second has no baseline
                ticks[name[:15]] += total - previous[pid][1]
        previous = current
        busiest = " ".join(f"{n}={t}" for n, t in ticks.most_common(5) if t > 0)
        print(f"{time.time() - started:5.0f}s {busiest}", flush=True)


if __name__ == "__main__":
    main()
