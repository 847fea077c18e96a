#!/usr/bin/python3
"""Map sieve.stats.json onto oracle_stats' dict shape and compare field by field.

compare(oracle, sieve) -> list of mismatches (field, oracle_value, sieve_value).

Rules:
- validity must agree; when both say invalid nothing else is compared.
- integer fields (cycles, computes, reads/fills/updates, actual/gated/skipped, partition,
  tile sizes, data occupancy, instances, scalar accesses, metadata counts) are exact. The oracle prints
  integers; a fractional sieve value matches its floor or ceil (the printout cannot tell).
- floats (energies, leakage, bandwidth throttling) match within max(REL_TOL*|x|, the half unit of
  the oracle's last printed digit, scaled where the figure is derived) + 1e-9.
- per-rank metadata lists: an oracle ": 0" (empty list) equals any all-zero sieve list.

Usage: compare.py ref.stats.txt sieve.stats.json
"""
import json
import math
import sys

REL_TOL = 1e-4

INT_DS_FIELDS = ["partition", "tile_size", "instances", "occupancy", "reads", "fills", "updates",
                 "actual_reads", "gated_reads", "skipped_reads",
                 "actual_fills", "gated_fills", "skipped_fills",
                 "actual_updates", "gated_updates", "skipped_updates"]
FLOAT_DS_FIELDS = ["energy_pj"]
RANK_DS_FIELDS = ["metadata_reads", "metadata_fills", "metadata_updates", "metadata_occupancy"]


def sieve_to_dict(j):
    """sieve.stats.json (parsed) -> oracle_stats dict shape."""
    out = {"valid": bool(j.get("valid")), "invalid_reason": j.get("invalid_reason", ""),
           "levels": {}, "precision": {}}
    if not out["valid"]:
        return out
    out["cycles"] = j["cycles"]
    out["energy_pj"] = j["energy_pj"]
    c = j.get("computes", {})
    out["computes"] = {k: c.get(k, 0) for k in ("actual", "gated", "skipped", "algorithmic")}
    cl = j.get("compute", {})
    out["compute_level"] = {"name": cl.get("name"), "energy_pj": cl.get("energy_pj"),
                            "used_instances": cl.get("used_instances")}
    order = []
    for lv in j.get("levels", []):
        name = lv["name"]
        order.append(name)
        d = {"cycles": lv.get("cycles"), "energy_pj": lv.get("energy_pj"),
             "scalar_accesses": lv.get("scalar_accesses"), "leakage_pj": lv.get("leakage_pj"),
             "bandwidth_throttle": lv.get("bandwidth_throttle"), "dataspaces": {}}
        for dn, ds in lv.get("dataspaces", {}).items():
            e = {k: ds.get(k) for k in INT_DS_FIELDS if k in ds}
            e["energy_pj"] = ds.get("energy_pj")
            occ = ds.get("occupancy_words", {})
            if isinstance(occ, dict):
                e["occupancy"] = occ.get("data")
                e["metadata_occupancy"] = occ.get("metadata", [])
            for k in ("metadata_reads", "metadata_fills", "metadata_updates"):
                e[k] = ds.get(k, [])
            e["representation_format"] = ds.get("representation_format")
            d["dataspaces"][dn] = e
        out["levels"][name] = d
    out["level_order"] = order
    return out


def _int_eq(o, s):
    if o is None or s is None:
        return o is None and s is None
    if abs(o - s) < 1e-6:
        return True
    if isinstance(s, float) and abs(s - round(s)) > 1e-6:
        return o in (math.floor(s), math.ceil(s))
    return False


def _float_eq(o, s, abs_tol):
    if o is None or s is None:
        return o is None and s is None
    if isinstance(o, float) and math.isnan(o):
        return isinstance(s, float) and math.isnan(s)
    tol = max(REL_TOL * max(abs(o), abs(s)), abs_tol or 0.0) + 1e-9
    return abs(o - s) <= tol


def _ranks_zero(lst):
    return all(abs(x) < 1e-9 for pair in (lst or []) for x in pair)


def _ranks_eq(o, s):
    o, s = o or [], s or []
    if not o:
        return _ranks_zero(s)
    if not s:
        return _ranks_zero(o)
    if len(o) != len(s):
        # the oracle may print fewer ranks; compare the common top-aligned part and require
        # the rest to be zero
        return False
    return all(_int_eq(a, b) for po, ps in zip(o, s) for a, b in zip(po, ps))


def compare(oracle, sieve):
    mm = []

    def add(field, o, s):
        mm.append((field, o, s))

    if oracle.get("valid") != sieve.get("valid"):
        add("valid", oracle.get("valid"), sieve.get("valid"))
        return mm
    if not oracle.get("valid"):
        return mm
    prec = oracle.get("precision", {})
    if not _int_eq(oracle["cycles"], sieve["cycles"]):
        add("cycles", oracle["cycles"], sieve["cycles"])
    if not _float_eq(oracle["energy_pj"], sieve["energy_pj"], prec.get("energy_pj")):
        add("energy_pj", oracle["energy_pj"], sieve["energy_pj"])
    for k in ("actual", "gated", "skipped", "algorithmic"):
        o, s = oracle["computes"].get(k, 0), sieve["computes"].get(k, 0)
        if not _int_eq(o, s):
            add("computes." + k, o, s)
    oc, sc = oracle.get("compute_level", {}), sieve.get("compute_level", {})
    if "energy_pj" in oc and not _float_eq(oc["energy_pj"], sc.get("energy_pj"), prec.get("compute_level.energy_pj")):
        add("compute.energy_pj", oc["energy_pj"], sc.get("energy_pj"))
    if "used_instances" in oc and not _int_eq(oc["used_instances"], sc.get("used_instances")):
        add("compute.used_instances", oc["used_instances"], sc.get("used_instances"))

    for name, ol in oracle["levels"].items():
        sl = sieve["levels"].get(name)
        if sl is None:
            if ol["dataspaces"] or ol.get("scalar_accesses"):
                add("levels.%s" % name, "present", "missing")
            continue
        base = "levels.%s." % name
        for k in ("cycles", "scalar_accesses"):
            if k in ol and not _int_eq(ol[k], sl.get(k)):
                add(base + k, ol[k], sl.get(k))
        if "energy_pj" in ol and not _float_eq(ol["energy_pj"], sl.get("energy_pj"), prec.get(base + "energy_pj")):
            add(base + "energy_pj", ol["energy_pj"], sl.get("energy_pj"))
        if "leakage_pj" in ol and not _float_eq(ol["leakage_pj"], sl.get("leakage_pj"), prec.get(base + "leakage_pj")):
            add(base + "leakage_pj", ol["leakage_pj"], sl.get("leakage_pj"))
        if "bandwidth_throttle" in ol and not _float_eq(ol["bandwidth_throttle"], sl.get("bandwidth_throttle"),
                                                        prec.get(base + "bandwidth_throttle")):
            add(base + "bandwidth_throttle", ol["bandwidth_throttle"], sl.get("bandwidth_throttle"))
        for dn, od in ol["dataspaces"].items():
            sd = sl["dataspaces"].get(dn)
            db = base + "dataspaces.%s." % dn
            if sd is None:
                add(db[:-1], "kept", "missing")
                continue
            for k in INT_DS_FIELDS:
                if k in od and not _int_eq(od[k], sd.get(k)):
                    add(db + k, od[k], sd.get(k))
            for k in FLOAT_DS_FIELDS:
                if k in od and not _float_eq(od[k], sd.get(k), prec.get(db + k, 0.0)):
                    add(db + k, od[k], sd.get(k))
            for k in RANK_DS_FIELDS:
                if k in od and not _ranks_eq(od[k], sd.get(k)):
                    add(db + k, od[k], sd.get(k))
        for dn in sl["dataspaces"]:
            if dn not in ol["dataspaces"]:
                add(base + "dataspaces.%s" % dn, "missing", "kept")
    for name, sl in sieve["levels"].items():
        if name not in oracle["levels"] and sl["dataspaces"]:
            add("levels.%s" % name, "missing", "present")
    return mm


def generic_field(field):
    """'levels.GLB.dataspaces.Inputs.fills' -> 'level.ds.fills' for grouping."""
    p = field.split(".")
    if p[0] == "levels":
        if len(p) >= 5:
            return "level.ds." + ".".join(p[4:])
        if len(p) >= 3:
            return "level." + ".".join(p[2:])
        return "level(presence)"
    return field


if __name__ == "__main__":
    sys.path.insert(0, __file__.rsplit("/", 1)[0])
    import oracle_stats
    o = oracle_stats.parse_file(sys.argv[1])
    with open(sys.argv[2]) as f:
        s = sieve_to_dict(json.load(f))
    m = compare(o, s)
    for f, a, b in m:
        print("%-60s oracle=%r sieve=%r" % (f, a, b))
    print("%d mismatches" % len(m))
    sys.exit(1 if m else 0)
