"""Compares two implementations of the reference model in distribution: the
replication means of each result (and, given two time series, of each
series column at each day), with Welch's z statistic.

Usage (any Python 3; no packages needed):

    go run ./examples/simulation -scenario pcn -print-scenario > /tmp/pcn.json
    go run ./examples/simulation -scenario pcn -replications 200 -seed 3 -format json \\
        -series /tmp/go-series.csv > /tmp/go.jsonl
    /usr/bin/python3 examples/simulation/simpy/model.py /tmp/pcn.json --replications 200 --seed 3 \\
        --series /tmp/py-series.csv > /tmp/py.jsonl
    python3 examples/simulation/simpy/compare.py /tmp/go.jsonl /tmp/py.jsonl [/tmp/go-series.csv /tmp/py-series.csv]

It prints, for each result, both means and z; then the largest |z| over
the results (events aside: each implementation counts its own events) and
over the series points. With some 25 results and hundreds of series
points compared, a few |z| above 2 are expected by chance alone; one far
above 3, or many above 2 in the same direction, is a difference to look
into.
"""
import csv
import json
import math
import statistics
import sys


def z(a, b):
    se = math.sqrt(statistics.variance(a) / len(a) + statistics.variance(b) / len(b))
    d = statistics.mean(a) - statistics.mean(b)
    return d / se if se > 0 else (0.0 if d == 0 else math.inf)


def results(go_path, py_path):
    g = [json.loads(line) for line in open(go_path)]
    p = [json.loads(line) for line in open(py_path)]
    if list(g[0]) != list(p[0]):
        sys.exit("the result keys differ:\n%s\n%s" % (list(g[0]), list(p[0])))
    worst = 0.0
    for k in g[0]:
        if k in ("replication", "seed"):
            continue
        a, b = [x[k] for x in g], [x[k] for x in p]
        zk = z(a, b)
        print("%-30s %14.4f %14.4f  z %6.2f" % (k, statistics.mean(a), statistics.mean(b), zk))
        if k != "events":
            worst = max(worst, abs(zk))
    print("largest |z| over the results: %.2f (%d and %d replications)" % (worst, len(g), len(p)))


def series(go_path, py_path):
    def read(path):
        by = {}
        for row in csv.DictReader(open(path)):
            for k, v in row.items():
                if k not in ("replication", "day"):
                    by.setdefault((float(row["day"]), k), []).append(float(v))
        return by

    g, p = read(go_path), read(py_path)
    if set(g) != set(p):
        sys.exit("the series have different days or columns")
    worst, where = 0.0, None
    for key in sorted(g):
        if len(g[key]) > 1 and len(p[key]) > 1:
            zk = z(g[key], p[key])
            if abs(zk) > worst:
                worst, where = abs(zk), key
    print("largest |z| over %d series points: %.2f (day %g, %s)" % (len(g), worst, where[0], where[1])
          if where else "no series point varies")


if __name__ == "__main__":
    if len(sys.argv) not in (3, 5):
        sys.exit(__doc__)
    results(sys.argv[1], sys.argv[2])
    if len(sys.argv) == 5:
        series(sys.argv[3], sys.argv[4])
