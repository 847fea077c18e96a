#!/usr/bin/python3
"""Parse Timeloop/Sparseloop's timeloop-model.stats.txt into a plain dict.

The dict shape (shared with compare.sieve_to_dict):

  {
    "valid": True,
    "cycles": int,
    "energy_pj": float,                 # total energy, best estimate from the printout
    "computes": {"actual", "gated", "skipped", "algorithmic"},   # ints
    "compute_level": {"name", "energy_pj", "cycles", "used_instances"},
    "levels": {NAME: {
        "cycles": int, "energy_pj": float, "scalar_accesses": int, "leakage_pj": float,
        "bandwidth_throttle": float,
        "dataspaces": {DS: {
            "partition": int, "tile_size": int, "occupancy": float, "instances": int,
            "reads", "fills", "updates": int             (algorithmic, per instance)
            "actual_reads", "gated_reads", "skipped_reads", ... (per instance; sparse only)
            "metadata_reads"/"metadata_fills"/"metadata_updates": [[md, pl], ...] top rank first
            "metadata_occupancy": [[md, pl], ...],
            "energy_pj": float,                           (total over instances)
        }}}},
    "precision": {"dotted.field.path": absolute tolerance implied by the printed digits},
  }

Printed floats carry only a few decimals; for every float we record the half unit of its
last printed digit (scaled when the figure is derived, e.g. fJ/Compute x computes) in
"precision", and compare.py uses it as an absolute tolerance floor.

Usage: oracle_stats.py FILE...  (prints the parsed dict as JSON)
       oracle_stats.py --check-goldens [DIR]   (parses every DIR/*/ref.stats.txt)
"""
import json
import os
import re
import sys

_KV = re.compile(r"^(\s*)([^:]+?)\s*:\s*(.*?)\s*$")
_RANK = re.compile(r"^\s*Rank\s+(\d+)\s*\(metadata,\s*payload\)\s*:\s*\(\s*([-0-9.eE+]+)\s*,\s*([-0-9.eE+]+)\s*\)")
_NUM = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


def _half_ulp(text):
    """Half a unit of the last printed digit of a number as text ('1.25' -> 0.005)."""
    m = _NUM.match(text.strip())
    if not m:
        return 0.0
    s = m.group(0)
    mant, _, exp = s.lower().partition("e")
    decimals = len(mant.split(".")[1]) if "." in mant else 0
    ulp = 10.0 ** (-decimals)
    if exp:
        ulp *= 10.0 ** int(exp)
    return ulp / 2.0


def _num(text):
    m = _NUM.match(text.strip())
    if not m:
        return None
    s = m.group(0)
    if re.fullmatch(r"[-+]?\d+", s):
        return int(s)
    return float(s)


# Dataspace field name (as printed, "(per-instance)" etc. stripped) -> dict key.
_DS_FIELDS = {
    "Partition size": "partition",
    "Utilized capacity": "tile_size",             # dense printout
    "Data tile shape": "tile_size",               # sparse printout
    "Max utilized data storage capacity": "occupancy",
    "Utilized instances (max)": "instances",
    "Utilized instances (average)": "instances_avg",
    "Utilized clusters (max)": "clusters",
    "Scalar reads": "reads",
    "Scalar fills": "fills",
    "Scalar updates": "updates",
    "Algorithmic scalar reads": "reads",
    "Algorithmic scalar fills": "fills",
    "Algorithmic scalar updates": "updates",
    "Actual scalar reads": "actual_reads",
    "Gated scalar reads": "gated_reads",
    "Skipped scalar reads": "skipped_reads",
    "Actual scalar fills": "actual_fills",
    "Gated scalar fills": "gated_fills",
    "Skipped scalar fills": "skipped_fills",
    "Actual scalar updates": "actual_updates",
    "Gated scalar updates": "gated_updates",
    "Skipped scalar updates": "skipped_updates",
    "Temporal reductions": "temporal_reductions",
    "Address generations": "address_generations",
    "Energy (total)": "energy_pj",
    "Representation format": "representation_format",
    "Tile density distribution": "density_distribution",
}
# Per-rank (metadata, payload) blocks.
_DS_RANK_FIELDS = {
    "Max utilized Repr format storage capacity": "metadata_occupancy",
    "Actual scalar format reads": "metadata_reads",
    "Gated scalar format reads": "gated_metadata_reads",
    "Skipped scalar format reads": "skipped_metadata_reads",
    "Actual scalar format fills": "metadata_fills",
    "Gated scalar format fills": "gated_metadata_fills",
    "Skipped scalar format fills": "skipped_metadata_fills",
    "Actual scalar format updates": "metadata_updates",
    "Gated scalar format updates": "gated_metadata_updates",
    "Skipped scalar format updates": "skipped_metadata_updates",
}


def _strip_qual(key):
    return re.sub(r"\s*\((per-instance|per-cluster)\)\s*$", "", key).strip()


class ParseError(Exception):
    pass


def parse_text(text):
    lines = text.splitlines()
    out = {"valid": True, "levels": {}, "computes": {}, "compute_level": {}, "precision": {}}
    prec = out["precision"]
    level_order = []
    i = 0
    n = len(lines)
    section = None           # None | "levels" | "networks" | "opint" | "summary"
    cur_level = None         # name of current storage level (None for arithmetic)
    cur_is_arith = False
    sub = None               # "SPECS" | "MAPPING" | "STATS"
    cur_ds = None
    rank_target = None       # (dict, key) collecting Rank lines
    opint_level = None
    fj_block = None          # "fj_compute" | "fj_alg"
    summary = {}
    fj = {"fj_compute": {}, "fj_alg": {}}
    fj_prec = {"fj_compute": {}, "fj_alg": {}}

    while i < n:
        line = lines[i]
        s = line.strip()
        i += 1
        if not s:
            rank_target = None if not s else rank_target
            continue
        if s == "Buffer and Arithmetic Levels":
            section = "levels"
            continue
        if s == "Networks" and i < n and lines[i].startswith("---"):
            section = "networks"
            continue
        if s == "Operational Intensity Stats":
            section = "opint"
            continue
        if s == "Summary Stats":
            section = "summary"
            continue
        if set(s) == {"-"}:
            continue

        if section == "levels":
            m = re.match(r"^Level\s+(\d+)$", s)
            if m:
                cur_level, cur_is_arith, sub, cur_ds, rank_target = None, int(m.group(1)) == 0, None, None, None
                continue
            m = re.match(r"^===\s*(.+?)\s*===$", s)
            if m:
                name = m.group(1)
                if cur_is_arith:
                    out["compute_level"]["name"] = name
                else:
                    cur_level = name
                    level_order.append(name)
                    out["levels"][name] = {"dataspaces": {}}
                continue
            if s in ("SPECS", "MAPPING", "STATS"):
                sub = s
                cur_ds = None
                rank_target = None
                continue
            if sub != "STATS":
                if sub == "SPECS" and cur_level is not None:
                    m = _KV.match(line)
                    if m and m.group(2).strip() == "Leakage energy (total)":
                        lv = out["levels"][cur_level]
                        lv["leakage_pj"] = _num(m.group(3))
                        prec["levels.%s.leakage_pj" % cur_level] = _half_ulp(m.group(3))
                continue
            # STATS
            mr = _RANK.match(line)
            if mr:
                if rank_target is None:
                    raise ParseError("rank line outside a rank block: %r" % line)
                d, key = rank_target
                d.setdefault(key, []).append([_num(mr.group(2)), _num(mr.group(3))])
                continue
            rank_target = None
            indent = len(line) - len(line.lstrip())
            if cur_is_arith:
                m = _KV.match(line)
                if not m:
                    continue
                key, val = m.group(2).strip(), m.group(3)
                cl, cp = out["compute_level"], out["computes"]
                if key in ("Utilized instances", "Utilized instances (max)"):
                    cl["used_instances"] = _num(val)
                elif key == "Cycles":
                    cl["cycles"] = _num(val)
                elif key == "Computes (total)":
                    cp["actual"] = cp["algorithmic"] = _num(val)
                    cp["gated"] = cp["skipped"] = 0
                elif key == "Algorithmic Computes (total)":
                    cp["algorithmic"] = _num(val)
                elif key == "Actual Computes (total)":
                    cp["actual"] = _num(val)
                elif key == "Gated Computes (total)":
                    cp["gated"] = _num(val)
                elif key == "Skipped Computes (total)":
                    cp["skipped"] = _num(val)
                elif key == "Energy (total)":
                    cl["energy_pj"] = _num(val)
                    prec["compute_level.energy_pj"] = _half_ulp(val)
                continue
            if cur_level is None:
                raise ParseError("STATS outside a level: %r" % line)
            lv = out["levels"][cur_level]
            if indent <= 4 and s.endswith(":") and ":" not in s[:-1]:
                cur_ds = s[:-1].strip()
                lv["dataspaces"][cur_ds] = {}
                continue
            m = _KV.match(line)
            if indent <= 4 and cur_ds is None:
                if m:
                    key, val = m.group(2).strip(), m.group(3)
                    if key == "Cycles":
                        lv["cycles"] = _num(val)
                    elif key == "Bandwidth throttling":
                        lv["bandwidth_throttle"] = _num(val)
                        prec["levels.%s.bandwidth_throttle" % cur_level] = _half_ulp(val)
                continue
            if cur_ds is None:
                continue
            ds = lv["dataspaces"][cur_ds]
            if m is None:
                # A key without value: the start of a Rank block.
                key = _strip_qual(s)
                if key in _DS_RANK_FIELDS:
                    rank_target = (ds, _DS_RANK_FIELDS[key])
                    ds[_DS_RANK_FIELDS[key]] = []
                continue
            key, val = _strip_qual(m.group(2)), m.group(3)
            if key.startswith("Breakdown"):
                continue
            if key in _DS_RANK_FIELDS:
                # printed as ": 0" when all ranks are zero (or no format)
                ds[_DS_RANK_FIELDS[key]] = []
                continue
            if key in _DS_FIELDS:
                fk = _DS_FIELDS[key]
                if fk in ("representation_format", "density_distribution"):
                    ds[fk] = val.strip()
                else:
                    ds[fk] = _num(val)
                    if isinstance(ds[fk], float) or "." in val:
                        prec["levels.%s.dataspaces.%s.%s" % (cur_level, cur_ds, fk)] = _half_ulp(val)
            continue

        if section == "opint":
            m = re.match(r"^===\s*(.+?)\s*===$", s)
            if m:
                opint_level = m.group(1)
                continue
            m = _KV.match(line)
            if m and opint_level is not None and m.group(2).strip() == "Total scalar accesses":
                if opint_level in out["levels"]:
                    out["levels"][opint_level]["scalar_accesses"] = _num(m.group(3))
            continue

        if section == "summary":
            m = re.match(r"^(Algorithmic Computes|Actual Computes|Computes)\s*=\s*(\S+)", s)
            if m:
                summary[m.group(1)] = _num(m.group(2))
                continue
            if s == "fJ/Compute":
                fj_block = "fj_compute"
                continue
            if s == "fJ/Algorithmic-Compute":
                fj_block = "fj_alg"
                continue
            m = re.match(r"^(.+?)\s*=\s*(\S+)$", s)
            if m and fj_block:
                fj[fj_block][m.group(1)] = float(m.group(2)) if m.group(2) not in ("inf", "nan", "-nan") else float("nan")
                fj_prec[fj_block][m.group(1)] = _half_ulp(m.group(2))
                continue
            m = re.match(r"^([A-Za-z][A-Za-z /@()*0-9]*?):\s*(\S+)", s)
            if m:
                summary[m.group(1).strip()] = (m.group(2), s)
            continue

    if "Cycles" not in summary:
        raise ParseError("no Summary Stats / Cycles line")
    out["cycles"] = _num(summary["Cycles"][0])
    cp = out["computes"]
    if not cp:
        raise ParseError("no arithmetic level stats")
    for k in ("actual", "gated", "skipped", "algorithmic"):
        cp.setdefault(k, 0)

    # Energies: candidates (value, tol) from fJ/Compute x actual, fJ/Algorithmic-Compute x
    # algorithmic, and the uJ total; keep the one with the finest precision.
    def best(name):
        cands = []
        for block, count in (("fj_compute", summary.get("Actual Computes", summary.get("Computes"))),
                             ("fj_alg", summary.get("Algorithmic Computes"))):
            if count is None or name not in fj[block]:
                continue
            v = fj[block][name]
            if v != v or v in (float("inf"), float("-inf")):
                continue
            cands.append((v * count / 1000.0, fj_prec[block][name] * count / 1000.0))
        if not cands:
            return None, None
        return min(cands, key=lambda c: c[1])

    e, tol = best("Total")
    if e is None and "Energy" in summary:
        txt = summary["Energy"][0]
        e, tol = _num(txt) * 1e6, _half_ulp(txt) * 1e6
    out["energy_pj"] = e
    prec["energy_pj"] = tol
    for name, lv in out["levels"].items():
        e, tol = best(name)
        if e is not None:
            lv["energy_pj"] = e
            prec["levels.%s.energy_pj" % name] = tol
        else:
            # Hidden (inconsequential) levels: sum of dataspace energies + leakage.
            tot = sum(d.get("energy_pj", 0.0) for d in lv["dataspaces"].values()) + lv.get("leakage_pj", 0.0)
            lv["energy_pj"] = tot
            prec["levels.%s.energy_pj" % name] = 0.005 * (len(lv["dataspaces"]) + 1)
        lv.setdefault("scalar_accesses", 0)
    cl = out["compute_level"]
    if cl.get("name") in fj["fj_compute"] or cl.get("name") in fj["fj_alg"]:
        e, tol = best(cl["name"])
        if e is not None and tol < prec.get("compute_level.energy_pj", 1e300):
            cl["energy_pj"], prec["compute_level.energy_pj"] = e, tol
    out["level_order"] = level_order
    return out


def parse_file(path):
    with open(path) as f:
        return parse_text(f.read())


def check_goldens(root):
    ok = bad = 0
    for d in sorted(os.listdir(root)):
        p = os.path.join(root, d, "ref.stats.txt")
        if not os.path.isfile(p):
            continue
        try:
            r = parse_file(p)
            nds = sum(len(l["dataspaces"]) for l in r["levels"].values())
            assert r["cycles"] > 0 and r["energy_pj"] is not None and nds > 0
            for ln, l in r["levels"].items():
                for dn, ds in l["dataspaces"].items():
                    for k in ("partition", "tile_size", "instances", "reads", "fills", "updates", "energy_pj"):
                        assert k in ds, (ln, dn, k)
            print("ok   %-50s cycles=%d energy=%.6g pJ levels=%d dataspaces=%d computes=%s" % (
                d, r["cycles"], r["energy_pj"], len(r["levels"]), nds, r["computes"]))
            ok += 1
        except Exception as e:  # noqa: BLE001
            print("FAIL %-50s %r" % (d, e))
            bad += 1
    print("%d parsed, %d failed" % (ok, bad))
    return bad == 0


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--check-goldens":
        root = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
            os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "reference", "golden")
        sys.exit(0 if check_goldens(root) else 1)
    for p in sys.argv[1:]:
        print(json.dumps(parse_file(p), indent=1, sort_keys=True))
