#!/usr/bin/env python3
"""Reads ICS Graph exports back with NetworkX, as a researcher would.

Usage: read_exports.py FILE...   (.graphml or .gexf)

Prints one JSON object: for each file its node and edge counts, the set of
node ids and edge types, and for GEXF the time interval (start, end) of every
node and edge that has one, and the graph's mode and timeformat. Exits
non-zero when NetworkX cannot read a file.

NetworkX knows GEXF up to 1.2draft; GEXF 1.3 keeps the same elements under a
new namespace, so the 1.3 namespace is registered below and the file read
with version="1.3". A researcher can do the same (three lines), or open the
file in Gephi, which reads 1.3 natively.
"""
import json
import sys

import networkx as nx
from networkx.readwrite import gexf as nxgexf

nxgexf.GEXF.versions["1.3"] = {
    "NS_GEXF": "http://gexf.net/1.3",
    "NS_VIZ": "http://gexf.net/1.3/viz",
    "NS_XSI": "http://www.w3.org/2001/XMLSchema-instance",
    "SCHEMALOCATION": "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd",
    "VERSION": "1.3",
}


def summary(g):
    return {
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "directed": g.is_directed(),
        "node_ids": sorted(str(n) for n in g.nodes),
        "edge_types": sorted({str(d.get("type", d.get("label", ""))) for _, _, d in g.edges(data=True)}),
        "kinds": sorted({str(d.get("kind", "")) for _, d in g.nodes(data=True)}),
    }


def main(paths):
    out = {}
    for path in paths:
        if path.endswith(".graphml"):
            g = nx.read_graphml(path)
            out[path] = summary(g)
        elif path.endswith(".gexf"):
            g = nx.read_gexf(path, version="1.3")
            s = summary(g)
            s["mode"] = g.graph.get("mode")
            s["node_intervals"] = {
                str(n): [d.get("start"), d.get("end")]
                for n, d in g.nodes(data=True)
                if d.get("start") is not None or d.get("end") is not None
            }
            s["edge_intervals"] = {
                str(d.get("id")): [d.get("start"), d.get("end")]
                for _, _, d in g.edges(data=True)
                if d.get("start") is not None or d.get("end") is not None
            }
            out[path] = s
        else:
            raise SystemExit(f"unknown file type: {path}")
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
