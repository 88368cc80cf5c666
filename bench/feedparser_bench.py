#!/usr/bin/env python3
"""Python feedparser on the benchmark's feeds: single-threaded CPU throughput.

usage: feedparser_bench.py FEED_DIR [N]
Parses every FEED_DIR/*.xml (the first N), pass after pass for at least BENCH_SECS (default 2)
seconds of process CPU time, and prints `feedparser<TAB>MB<TAB>seconds per pass<TAB>MB/s<TAB>docs/s`.
"""
import os
import sys
import time

import feedparser

def main():
    d = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else None
    names = sorted(x for x in os.listdir(d) if x.endswith(".xml"))[:n]
    docs = []
    for name in names:
        with open(os.path.join(d, name), "rb") as f:
            docs.append(f.read())
    total = sum(map(len, docs))
    min_secs = float(os.environ.get("BENCH_SECS", "2"))
    items = 0
    passes = 0
    start = time.process_time()
    while passes == 0 or time.process_time() - start < min_secs:
        for b in docs:
            items += len(feedparser.parse(b).entries)
        passes += 1
    per_pass = (time.process_time() - start) / passes
    mb = total / 1e6
    print(f"feedparser {feedparser.__version__} (items/pass {items // passes})\t{mb:.1f}\t{per_pass:.3f}\t{mb / per_pass:.2f}\t{len(docs) / per_pass:.1f}")

if __name__ == "__main__":
    main()
