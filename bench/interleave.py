#!/usr/bin/env python3
"""Interleaved timing of a few commands, for before/after checks on a shared machine.

    bench/interleave.py ROUNDS NAME=COMMAND@DIR[%PREP] ...

Each round runs every command once, in order (so background load hits them alike), under the
shell, in DIR, with stdout/stderr discarded; PREP (optional, a shell command run in DIR before
each timed run, not timed) restores whatever the run changes, e.g. a warm state:

    P='rm -rf state-pages out-pages && cp -a snap/state-pages snap/out-pages .'
    bench/interleave.py 20 "old=/tmp/old/feedwright -q -c pages.toml run --force@/w/A%$P" \\
        "new=target/release/feedwright -q -c pages.toml run --force@/w/B%$P" \\
        "rsspls=env XDG_CACHE_HOME=/w/cache rsspls -c rsspls.toml -o out-rsspls@/w"

Prints, per command, the mean / median / minimum wall time, mean and median CPU time (user +
system, from wait4) and the largest peak RSS (never below this script's own size, ~14 MB: the
child is forked from it before it execs).
"""
import os
import statistics
import subprocess
import sys
import time


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    rounds = int(sys.argv[1])
    specs = []
    for arg in sys.argv[2:]:
        name, rest = arg.split("=", 1)
        prep = None
        if "%" in rest:
            rest, prep = rest.split("%", 1)
        command, cwd = rest.rsplit("@", 1)
        specs.append((name, command, cwd, prep))
    results = {name: [] for name, _, _, _ in specs}
    for _ in range(rounds):
        for name, command, cwd, prep in specs:
            if prep:
                subprocess.run(prep, shell=True, cwd=cwd, check=True)
            started = time.perf_counter()
            child = subprocess.Popen(
                command, shell=True, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            _, status, usage = os.wait4(child.pid, 0)
            wall = time.perf_counter() - started
            results[name].append(
                (wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                 os.waitstatus_to_exitcode(status))
            )
    for name, runs in results.items():
        wall = [r[0] for r in runs]
        cpu = [r[1] for r in runs]
        print(
            f"{name:10s} n={len(runs)} wall mean {statistics.mean(wall):.3f} median "
            f"{statistics.median(wall):.3f} min {min(wall):.3f} | cpu mean {statistics.mean(cpu):.3f} "
            f"median {statistics.median(cpu):.3f} | rss max {max(r[2] for r in runs):.1f} MB | "
            f"exit {sorted({r[3] for r in runs})}"
        )


if __name__ == "__main__":
    main()
