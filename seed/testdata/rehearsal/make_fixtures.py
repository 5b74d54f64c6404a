# SYNTHETIC rehearsal fixtures: a made-up future release (2027-04-01) built
# from seed/data, for tests only (never loaded by `make run`). Run from the
# repository root: python3 seed/testdata/rehearsal/make_fixtures.py
# It writes, under seed/testdata/rehearsal, data/*.csv (rows that replace
# seed/data rows with the same key, or are added) and raw/ (a synthetic
# sub-ICB → ICB → region lookup and its manifest). Changes: two ICBs merge
# (QSL + QUY → SYN-ICB1), a county is replaced by two unitaries (E10000003),
# a sub-ICB location moves ICB, two trusts merge, a region is renamed (Y58).
import csv, hashlib, json, os

D, OUT, DATE = "seed/data/", "seed/testdata/rehearsal/", "2027-04-01"
SYN = "synthetic-rehearsal-2027"
def load(n):
    rows = list(csv.reader(open(D + n)))
    return rows[0], rows[1:]
tabs = {n: load(n) for n in ["organisations.csv", "names.csv", "relationships.csv", "successions.csv", "overlaps.csv",
                             "partners.csv", "icb_alliances.csv", "trusts.csv", "councils.csv", "sources.csv"]}
changed = {n: {} for n in tabs}   # file → key → row
def key(n, r):
    return tuple(r[:2]) if n in ("organisations.csv", "trusts.csv", "councils.csv", "sources.csv") else tuple(r)
def put(n, old, new):
    if old is not None:
        changed[n].pop(key(n, old), None)
        changed[n][key(n, old)] = new
    else:
        changed[n][("new",) + tuple(new)] = new
H = {n: tabs[n][0] for n in tabs}
col = lambda n, c: H[n].index(c)
org = {(r[0], r[1]): r for r in tabs["organisations.csv"][1]}

def close(kind, code):
    """End an organisation and its open relationships on DATE."""
    r = list(org[(kind, code)]); r[3] = DATE; put("organisations.csv", org[(kind, code)], r)
    for n, a, b, to in [("relationships.csv", (1, 2), (3, 4), 6), ("overlaps.csv", None, (1, 2), 4), ("partners.csv", (1, 2), (None, 0), 6), ("icb_alliances.csv", None, (None, 0), 3)]:
        for x in tabs[n][1]:
            hit = (a and (x[a[0]], x[a[1]]) == (kind, code)) or (b[0] is not None and (x[b[0]], x[b[1]]) == (kind, code)) \
                or (b[0] is None and kind == "ICS" and x[b[1]] == code) or (n == "overlaps.csv" and kind == "COUNCIL" and x[0] == code)
            if hit and x[to] == "":
                y = list(x); y[to] = DATE; put(n, x, y)
    if kind == "TRUST":
        for x in tabs["trusts.csv"][1]:
            if x[0] == code:
                y = list(x); y[4], y[5] = "2027-03-31", "CLOSED"; put("trusts.csv", x, y)

def new_org(kind, code, name, basis):
    put("organisations.csv", None, [kind, code, DATE, "", "SYNTHETIC: " + basis, SYN])
    put("names.csv", None, [kind, code, DATE, name, SYN])
def rel(typ, fk, fc, tk, tc):
    put("relationships.csv", None, [typ, fk, fc, tk, tc, DATE, "", SYN, "SYNTHETIC rehearsal"])
def succ(fk, fc, tk, tc, share="1.000000", weight=""):
    put("successions.csv", None, [fk, fc, tk, tc, DATE, share, weight, "SYNTHETIC rehearsal", SYN])

put("sources.csv", None, [SYN, "SYNTHETIC rehearsal release of 2027-04-01 (test fixtures only; never loaded by make run)", "ICS Graph tests", "", "", "", ""])
open_rels = [r for r in tabs["relationships.csv"][1] if r[6] == ""]
parent = lambda typ, fk, fc: next(r[4] for r in open_rels if r[0] == typ and r[1] == fk and r[2] == fc)
# 1. Two ICBs merge.
new_org("ICS", "SYN-ICB1", "SYNTHETIC Somerset and Bristol Integrated Care Board", "QSL and QUY merged")
region = parent("IN_REGION", "ICS", "QSL")
senate = parent("IN_CLINICAL_SENATE", "ICS", "QSL")
for icb in ["QSL", "QUY"]:
    subs = [r[2] for r in open_rels if r[0] == "PART_OF" and r[1] == "SUB_ICB_LOCATION" and r[4] == icb]
    trusts = [r[2] for r in open_rels if r[0] == "LOCATED_IN" and r[4] == icb]
    close("ICS", icb)
    for s in subs: rel("PART_OF", "SUB_ICB_LOCATION", s, "ICS", "SYN-ICB1")
    for t in trusts: rel("LOCATED_IN", "TRUST", t, "ICS", "SYN-ICB1")
    succ("ICS", icb, "ICS", "SYN-ICB1")
rel("IN_REGION", "ICS", "SYN-ICB1", "REGION", region)
rel("IN_CLINICAL_SENATE", "ICS", "SYN-ICB1", "CLINICAL_SENATE", senate)
# 2. A county replaced by two unitaries.
county = "E10000003"
districts = sorted(r[2] for r in open_rels if r[0] == "WITHIN" and r[4] == county)
halves = {"E06-SYN-NORTH": districts[:2], "E06-SYN-SOUTH": districts[2:]}
reg = next(r for r in tabs["councils.csv"][1] if r[0] == county)
for code, ds in halves.items():
    new_org("COUNCIL", code, "SYNTHETIC " + code, "replaces districts " + " ".join(ds))
    put("councils.csv", None, [code, "UNITARY", reg[2], reg[3], ""])
    for d in ds:
        close("COUNCIL", d); succ("COUNCIL", d, "COUNCIL", code)
    succ("COUNCIL", county, "COUNCIL", code, "0.500000", "residents2015")
close("COUNCIL", county)
# 3. A sub-ICB location moves ICB (the first of an ICB with two or more, to another ICB of its region).
by_icb = {}
for r in open_rels:
    if r[0] == "PART_OF" and r[1] == "SUB_ICB_LOCATION" and r[4] not in ("QSL", "QUY"):
        by_icb.setdefault(r[4], []).append(r)
icb, rows = next((i, rs) for i, rs in sorted(by_icb.items()) if len(rs) >= 2)
target = next(i for i in sorted(by_icb) if i != icb and parent("IN_REGION", "ICS", i) == parent("IN_REGION", "ICS", icb))
moved = sorted(rows)[0]
y = list(moved); y[6] = DATE; put("relationships.csv", moved, y)
rel("PART_OF", "SUB_ICB_LOCATION", moved[2], "ICS", target)
# 4. Two trusts merge (two open trusts of one ICB, not of the merging ones).
trusts = sorted(r for r in open_rels if r[0] == "LOCATED_IN" and r[4] not in ("QSL", "QUY"))
t1 = trusts[0]; t2 = next(r for r in trusts[1:] if r[4] == t1[4])
new_org("TRUST", "SYN-T1", "SYNTHETIC MERGED NHS TRUST", t1[2] + " and " + t2[2] + " merged")
tr = next(r for r in tabs["trusts.csv"][1] if r[0] == t1[2])
put("trusts.csv", None, ["SYN-T1", tr[1], tr[2], "2027-04-01", "", "OPEN", tr[6], tr[7], "SYNTHETIC: the type of " + t1[2]])
for t in (t1, t2):
    close("TRUST", t[2]); succ("TRUST", t[2], "TRUST", "SYN-T1")
rel("LOCATED_IN", "TRUST", "SYN-T1", "ICS", t1[4])
# 5. A region renamed.
put("names.csv", None, ["REGION", region, DATE, "SYNTHETIC South West and Wessex", SYN])

os.makedirs(OUT + "data", exist_ok=True)
for n, rows in changed.items():
    if rows:
        with open(OUT + "data/" + n, "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n"); w.writerow(H[n]); w.writerows(rows.values())
# The synthetic lookup of 2027-04-01 and its manifest row (with its counts).
subs = {}
for r in open_rels:
    if r[0] == "PART_OF" and r[1] == "SUB_ICB_LOCATION":
        subs[r[2]] = r[4]
for r in changed["relationships.csv"].values():
    if r[0] == "PART_OF" and r[1] == "SUB_ICB_LOCATION":
        if r[6] == "": subs[r[2]] = r[4]
regions = {}
for r in open_rels + [r for r in changed["relationships.csv"].values()]:
    if r[0] == "IN_REGION" and r[1] == "ICS" and r[6] == "": regions[r[2]] = r[4]
os.makedirs(OUT + "raw", exist_ok=True)
with open(OUT + "raw/syn_sicbl27_icb27_nhser27_lookup_apr2027.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n"); w.writerow(["SICBL27CDH", "ICB27CDH", "NHSER27CDH", "NOTE"])
    for s in sorted(subs): w.writerow([s, subs[s], regions[subs[s]], "SYNTHETIC"])
sha = hashlib.sha256(open(OUT + "raw/syn_sicbl27_icb27_nhser27_lookup_apr2027.csv", "rb").read()).hexdigest()
man = {"about": "SYNTHETIC rehearsal manifest (test fixtures only): the files of a made-up release of 2027-04-01.",
       "data_start": "2013-04-01", "release_since": DATE,
       "files": [{"id": "syn-sicbl27-icb27-nhser27-apr2027", "file": "syn_sicbl27_icb27_nhser27_lookup_apr2027.csv", "sha256": sha,
                  "publisher": "SYNTHETIC (ICS Graph tests)", "title": "SYNTHETIC sub-ICB location → ICB → region lookup of April 2027",
                  "released": DATE, "describes_from": DATE, "describes_from_basis": "SYNTHETIC: dated April 2027",
                  "roles": ["subicb-icb-region-lookup"], "format": "csv",
                  "columns": {"sub_ons": "SICBL27CDH", "sub_ods": "SICBL27CDH", "sub_name": "SICBL27CDH", "icb_ons": "ICB27CDH", "icb_ods": "ICB27CDH", "icb_name": "ICB27CDH", "region_ods": "NHSER27CDH"},
                  "counts": {"SUB_ICB_LOCATION": len(subs), "ICS": len(set(subs.values())), "REGION": len(set(regions[i] for i in set(subs.values())))},
                  "licence": "none (synthetic)", "url": "https://example.invalid/synthetic", "cite": False, "read": False}],
       "curated": []}
json.dump(man, open(OUT + "raw/manifest.json", "w"), indent=1); open(OUT + "raw/manifest.json", "a").write("\n")
print({n: len(r) for n, r in changed.items() if r}, man["files"][0]["counts"], "moved", moved[2], icb, "->", target, "trusts", t1[2], t2[2])
