#!/usr/bin/env python3
"""Markdown report of a benchmark run (bench/run.sh): reads BENCH_DIR/results-N.tsv and
BENCH_DIR/parse-N.txt and prints the tables, the ratios (ours / theirs) and the targets of issue 8."""
import glob
import os
import platform
import re
import statistics
import subprocess
import sys

D = sys.argv[1]
COLS = ["n", "tool", "phase", "pinned", "wall", "user", "sys", "rss_kb", "requests", "exit",
        "rewritten", "files", "round"]


def aggregate(rows):
    """One row per (N, tool, phase, pinned) from its rounds: medians of wall, CPU, peak RSS and
    requests; the worst exit status and the most files rewritten; the per-round walls and CPUs
    kept (in round order) for the spread and the paired ratios."""
    rows = sorted(rows, key=lambda r: r["round"])
    r = dict(rows[-1])
    for k in ("wall", "cpu", "rss_mb"):
        r[k] = statistics.median(x[k] for x in rows)
    r["requests"] = str(int(statistics.median(int(x["requests"] or 0) for x in rows)))
    r["exit"] = next((x["exit"] for x in rows if x["exit"] != "0"), "0")
    rewritten = [x["rewritten"] for x in rows if x["rewritten"] != "-"]
    r["rewritten"] = str(max(int(x) for x in rewritten)) if rewritten else "-"
    r["walls"] = [x["wall"] for x in rows]
    r["cpus"] = [x["cpu"] for x in rows]
    r["rounds"] = len(rows)
    return r


def load_runs():
    runs, grouped = {}, {}
    for path in glob.glob(os.path.join(D, "results-*.tsv")):
        delay = "0s" if "-delay0s" in path else ""
        for line in open(path):
            f = line.rstrip("\n").split("\t")
            if len(f) == len(COLS) - 1:
                f.append("1")  # written before rounds existed: one round
            if len(f) != len(COLS):
                continue
            r = dict(zip(COLS, f))
            for k in ("wall", "user", "sys"):
                r[k] = float(r[k] or "nan")
            r["cpu"] = r["user"] + r["sys"]
            r["rss_mb"] = int(r["rss_kb"] or 0) / 1024
            r["round"] = int(r["round"])
            key = (int(r["n"]), r["tool"], r["phase"], r["pinned"])
            grouped.setdefault((delay, key), []).append(r)
    for (delay, key), rows in grouped.items():
        (scaling if delay else runs)[key] = aggregate(rows)
    return runs


def spread(values):
    """`min–max` of a list of seconds, or '' for one value."""
    return f"{min(values):.2f}–{max(values):.2f}" if len(values) > 1 else ""


def paired(a, b, key):
    """Round-by-round ratios a/b (the tools ran in turn within each round): `min–max`, or ''."""
    xs, ys = a[key + "s"], b[key + "s"]
    if len(xs) < 2 or len(xs) != len(ys):
        return ""
    rs = [x / max(y, 1e-9) for x, y in zip(xs, ys)]
    return f"{min(rs):.2f}–{max(rs):.2f}×"


def load_parse():
    out = {}
    for path in glob.glob(os.path.join(D, "parse-*.txt")):
        n = int(re.search(r"parse-(\d+)", path).group(1))
        rows = {}
        for line in open(path):
            if line.startswith("#"):
                continue
            f = line.rstrip("\n").split("\t")
            if len(f) == 5:
                rows[f[0]] = {"mb": float(f[1]), "secs": float(f[2]), "mbps": float(f[3]),
                              "docs": float(f[4])}
        out[n] = rows
    return out


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def ok(flag):
    return "met" if flag else "**not met**"


scaling = {}
runs = load_runs()
parse = load_parse()
ns = sorted({k[0] for k in runs} | set(parse))
ns = ns or sorted({k[0] for k in scaling})
sns = sorted({k[0] for k in scaling})
main_n = 500 if 500 in ns else (max(ns) if ns else None)
LOAD = open("/proc/loadavg").read().split()[0]
cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
print("# feedwright benchmark results\n")
print(f"Written by `bench/run.sh` (bench/report.py). Machine: {os.cpu_count()} cores, {cpu}; "
      f"{platform.system()} {platform.release()}. feedwright {sh('git rev-parse --short HEAD')}"
      f"{' (dirty tree)' if sh('git status --porcelain -- src Cargo.toml') else ''}; "
      f"{sh(os.path.join(D, 'rsspls/bin/rsspls') + ' --version') or 'rsspls not installed'}; "
      f"nginx pinned to CPU 1; `pinned` runs under `taskset -c 0`. Load average when reported: "
      f"{LOAD} (other sessions share this machine).\n")
print("Wall and CPU (user+sys) in seconds, peak RSS in MB (`/usr/bin/time -v`), requests = nginx "
      "access-log lines during the run, rewritten = output files whose mtime changed in the warm "
      "run. `fw-feeds`: feedwright on N RSS feeds; `fw-pages`: feedwright on N list pages "
      "(`kind = \"html\"`); `rsspls`: rsspls on the same N list pages. Every run is "
      "`run --force` (all sources, conditional GET). Each row is the **median of its rounds** "
      "(`rounds`; the tools take turns within a round, so load from elsewhere hits them alike), "
      "with the range of the walls beside it; ratios are medians over medians, with the range of "
      "the round-by-round ratios. Rewritten is the most in any warm round.\n")

if main_n is not None:
    print(f"## Runs, N = {main_n}\n")
    print("| tool | phase | pinned | rounds | wall s | wall range | CPU s | peak RSS MB | requests | exit | rewritten | out files |")
    print("|---|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|")
    for (n, tool, phase, pinned), r in sorted(runs.items(), key=lambda kv: (kv[0][0], kv[0][3], kv[0][1], ["cold", "warm", "changed"].index(kv[0][2]))):
        if n != main_n:
            continue
        print(f"| {tool} | {phase} | {'yes' if pinned == '1' else 'no'} | {r['rounds']} | {r['wall']:.2f} | {spread(r['walls'])} | {r['cpu']:.2f} | "
              f"{r['rss_mb']:.1f} | {r['requests']} | {r['exit']} | {r['rewritten']} | {r['files']} |")
    print()

    if any(k[1] == "rsspls" and k[0] == main_n for k in runs):
        print(f"## Ratios, list pages: feedwright / rsspls, N = {main_n}\n")
        print("| phase | pinned | wall | wall, round by round | CPU | CPU, round by round | peak RSS | feedwright exit |")
        print("|---|---|---:|---|---:|---|---:|---:|")
        for pinned in ("0", "1"):
            for phase in ("cold", "warm", "changed"):
                a = runs.get((main_n, "fw-pages", phase, pinned))
                b = runs.get((main_n, "rsspls", phase, pinned))
                if not a or not b:
                    continue
                print(f"| {phase} | {'yes' if pinned == '1' else 'no'} | {a['wall'] / b['wall']:.2f}× | {paired(a, b, 'wall')} | "
                      f"{a['cpu'] / max(b['cpu'], 1e-9):.2f}× | {paired(a, b, 'cpu')} | {a['rss_mb'] / max(b['rss_mb'], 1e-9):.2f}× | {a['exit']} |")
        print()

p = parse.get(main_n) or (parse[max(parse)] if parse else {})
if p:
    print(f"## Single-threaded parse throughput (pinned to CPU 0), N = {main_n if main_n in parse else max(parse)}\n")
    pf = os.path.join(D, f"parse-{main_n if main_n in parse else max(parse)}.txt")
    when = sh(f"date -u -r {pf} '+%Y-%m-%d %H:%M UTC'")
    print(f"From `{os.path.basename(pf)}`, written {when} (`--no-parse` and `--quick` runs keep "
          "the last one).\n")
    print("| measurement | MB | s per pass | MB/s | docs/s |")
    print("|---|---:|---:|---:|---:|")
    for name, r in p.items():
        print(f"| {name} | {r['mb']:.1f} | {r['secs']:.3f} | {r['mbps']:.1f} | {r['docs']:.0f} |")
    print()
    # Measured in one pipeline with sanitising skipped; older parse-N.txt only have the derived.
    ours = (p.get("feeds: parse + normalise without sanitising (measured)")
            or p.get("feeds: parse + normalise without sanitising (derived)"))
    qx = p.get("feeds: quick-xml events (raw tokenizer)")
    fp = next((r for k, r in p.items() if k.startswith("feedparser")), None)
    print("| ratio | value | target |")
    print("|---|---:|---|")
    if ours and fp:
        v = ours["mbps"] / fp["mbps"]
        print(f"| feeds parse+normalise / feedparser | {v:.1f}× | ≥ 60× ({ok(v >= 60)}) |")
    if ours and qx:
        v = ours["mbps"] / qx["mbps"]
        print(f"| feeds parse+normalise / quick-xml events | {100 * v:.1f} % | ≥ 30 % ({ok(v >= 0.30)}) |")
    full = p.get("feeds: read_feed + normalise_feed (incl. sanitising)")
    if full and fp:
        print(f"| feeds parse+normalise incl. sanitising / feedparser | {full['mbps'] / fp['mbps']:.1f}× | (for reference) |")
    print()

if main_n is not None:
    print(f"## Targets (issue 8, item 3), N = {main_n}\n")
    print("| target | measured | |")
    print("|---|---|---|")
    a = runs.get((main_n, "fw-pages", "cold", "0"))
    b = runs.get((main_n, "rsspls", "cold", "0"))
    if a and b:
        failed = a["exit"] != "0"
        note = " (feedwright exit ≠ 0: pages not read, not comparable)" if failed else ""
        print(f"| list pages cold wall ≤ 0.8× rsspls | {a['wall'] / b['wall']:.2f}× (median of {a['rounds']}; rounds {paired(a, b, 'wall') or '-'}){note} | {ok(not failed and a['wall'] / b['wall'] <= 0.8)} |")
        print(f"| list pages cold CPU ≤ 1.0× rsspls | {a['cpu'] / max(b['cpu'], 1e-9):.2f}×{note} | {ok(not failed and a['cpu'] <= b['cpu'])} |")
    if a:
        print(f"| list pages cold peak RSS ≤ 60 MB | {a['rss_mb']:.1f} MB | {ok(a['exit'] == '0' and a['rss_mb'] <= 60)} |")
    aw = runs.get((main_n, "fw-pages", "warm", "0"))
    bw = runs.get((main_n, "rsspls", "warm", "0"))
    if aw and bw:
        print(f"| list pages warm wall ≤ 1.0× rsspls | {aw['wall'] / bw['wall']:.2f}× (median of {aw['rounds']}; rounds {paired(aw, bw, 'wall') or '-'}) | {ok(aw['exit'] == '0' and aw['wall'] <= bw['wall'])} |")
    for tool in ("fw-feeds", "fw-pages"):
        w = runs.get((main_n, tool, "warm", "0"))
        if w:
            print(f"| {tool} warm: no output file rewritten | {w['rewritten']} rewritten | {ok(w['rewritten'] == '0')} |")
    big = max(sns) if sns else 0
    if big >= 5000:
        for tool in ("fw-feeds", "fw-pages"):
            r = scaling.get((big, tool, "cold", "0"))
            if r:
                print(f"| {big} sources cold ({tool}): peak RSS ≤ 150 MB | {r['rss_mb']:.1f} MB | {ok(r['exit'] == '0' and r['rss_mb'] <= 150)} |")
    print()

if sns:
    print("## Scaling (unpinned, `host_delay = \"0s\"`)\n")
    print("`bench/run.sh --scaling`: the same workload at each N, with `host_delay = \"0s\"` (kept "
          "from before the politeness delay stopped holding slots, so the rows stay comparable).\n")
    print("| N | tool | cold wall s | cold CPU s | cold RSS MB | warm wall s | warm CPU s | warm RSS MB | changed wall s | cold CPU ms / source |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sns:
        for tool in ("fw-feeds", "fw-pages", "rsspls"):
            c = scaling.get((n, tool, "cold", "0"))
            w = scaling.get((n, tool, "warm", "0"))
            ch = scaling.get((n, tool, "changed", "0"))
            if not c:
                continue
            print(f"| {n} | {tool} | {c['wall']:.2f} | {c['cpu']:.2f} | {c['rss_mb']:.1f} | "
                  f"{w['wall'] if w else float('nan'):.2f} | {w['cpu'] if w else float('nan'):.2f} | {w['rss_mb'] if w else float('nan'):.1f} | "
                  f"{ch['wall'] if ch else float('nan'):.2f} | {1000 * c['cpu'] / n:.2f} |")
    print()
