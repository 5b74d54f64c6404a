#!/usr/bin/env python3
"""Writes the SYNTHETIC next-year measure fixture (test fixtures only).

A made-up measure, residents mid-2024 (`residents2024`), declared by one row
of measures.csv, with made-up figures for a few organisations (their mid-2022
figure in seed/data times 1.01, rounded: not real data) and its synthetic
source. Run from the repository root: python3 seed/testdata/next_measure/make_fixture.py
"""
import csv
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "data")
SRC = "synthetic-measure-residents-mid2024"
CODES = {("ICS", "D7T5G"), ("ICS", "QE1"), ("SUB_ICB_LOCATION", "00L")}


def main():
    with open(os.path.join(HERE, "sources.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["id", "title", "publisher", "released", "file", "url", "licence"])
        w.writerow([SRC, "SYNTHETIC residents, mid-2024 (test fixture only; never loaded by make run)", "ICS Graph tests", "", "", "", ""])
    with open(os.path.join(HERE, "measures.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["property", "family", "vintage", "date", "source", "derived", "description"])
        w.writerow(["residents2024", "RESIDENTS", "mid-2024", "2024-06-30", SRC, "true",
                    "SYNTHETIC residents, mid-2024 (test fixture: the mid-2022 figure times 1.01; not real data)"])
    rows = []
    with open(os.path.join(DATA, "populations.csv"), newline="") as f:
        for r in csv.DictReader(f):
            if (r["kind"], r["code"]) in CODES and r["measure"] == "residents2022":
                rows.append([r["kind"], r["code"], "residents2024", round(int(r["value"]) * 1.01), SRC,
                             "SYNTHETIC: the mid-2022 figure times 1.01 (test fixture)"])
    with open(os.path.join(HERE, "populations.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["kind", "code", "measure", "value", "source", "derived"])
        w.writerows(sorted(rows))


if __name__ == "__main__":
    main()
