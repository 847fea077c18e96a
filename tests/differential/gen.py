#!/usr/bin/python3
"""Deterministic generator of random (design, mapping) pairs for differential testing.

generate(seed) -> dict with
  seed, features (sorted list of tags), expect_invalid (bool),
  files: {"input.yaml", "map.yaml", "ERT.yaml", "ART.yaml"} (text, the lowered v0.4 form
  that both timeloop-model and sieve read; no architecture_constraints, no mapping in
  input.yaml, so both tools see exactly the same mapping).

Everything is drawn from one random.Random(seed); the same seed gives the same bytes.

Usage: gen.py SEED [OUTDIR]   (writes the four files to OUTDIR, prints the features)
"""
import math
import os
import random
import sys

import yaml

TOP = "system_top_level"

# ----------------------------------------------------------------------------------------
# Workloads
# ----------------------------------------------------------------------------------------


def _pick_bound(rng, hi=64, small=False):
    pool = [1, 2, 3, 4, 4, 5, 6, 8, 8, 9, 10, 12, 16, 16, 18, 24, 32, 7, 15, 20, 27, 36, 48, 64]
    if small:
        pool = [1, 2, 2, 3, 3, 4, 4, 5, 6]
    pool = [b for b in pool if b <= hi]
    return rng.choice(pool)


def _shrink(rng, bounds, limit):
    """Shrink bounds until their product is <= limit (deterministically)."""
    while math.prod(bounds.values()) > limit:
        d = max(bounds, key=lambda k: (bounds[k], k))
        b = bounds[d]
        bounds[d] = max(1, b // _smallest_prime(b))
    return bounds


def _smallest_prime(n):
    for p in range(2, n + 1):
        if n % p == 0:
            return p
    return n


def _primes(n):
    out, p = [], 2
    while n > 1:
        while n % p == 0:
            out.append(p)
            n //= p
        p += 1
    return out


def gen_workload(rng, features):
    """Returns dict(name, dims, bounds, coefs, tensors=[{name, proj, rw}])
    proj: list of ranks; a rank is a list of (dim, coef_name_or_None)."""
    kind = rng.choices(["matmul", "conv1d", "conv2d"], [0.5, 0.3, 0.2])[0]
    features.add("workload:" + kind)
    limit = rng.choice([2000, 8000, 30000, 100000])
    coefs = {}
    if kind == "matmul":
        dims = ["M", "N", "K"]
        b = {d: _pick_bound(rng) for d in dims}
        if rng.random() < 0.4:  # square operands make banded densities possible
            b["M"] = b["K"]
        if rng.random() < 0.15:
            b["N"] = b["K"]
        tensors = [
            {"name": "A", "proj": [[("M", None)], [("K", None)]], "rw": False},
            {"name": "B", "proj": [[("N", None)], [("K", None)]], "rw": False},
            {"name": "Z", "proj": [[("M", None)], [("N", None)]], "rw": True},
        ]
        if rng.random() < 0.2:  # other names / orders
            tensors = [
                {"name": "Weights", "proj": [[("K", None)], [("M", None)]], "rw": False},
                {"name": "Inputs", "proj": [[("K", None)], [("N", None)]], "rw": False},
                {"name": "Outputs", "proj": [[("M", None)], [("N", None)]], "rw": True},
            ]
        name = "MatrixMultiply"
    elif kind == "conv1d":
        use_c = rng.random() < 0.6
        dims = (["C"] if use_c else []) + ["M", "S", "Q"]
        b = {"M": _pick_bound(rng, 32), "S": rng.choice([1, 2, 3, 3, 5]), "Q": _pick_bound(rng, 32)}
        if use_c:
            b["C"] = _pick_bound(rng, 16)
        ws = rng.choices([1, 2, 3], [0.6, 0.3, 0.1])[0]
        wd = rng.choices([1, 2], [0.75, 0.25])[0]
        coefs = {"Wstride": ws, "Wdilation": wd}
        if ws > 1:
            features.add("conv_stride")
        if wd > 1:
            features.add("conv_dilation")
        w = [[("M", None)], [("S", None)]]
        i = [[("S", "Wdilation"), ("Q", "Wstride")]]
        if use_c:
            w = [[("C", None)]] + w
            i = [[("C", None)]] + i
        tensors = [
            {"name": "Weights", "proj": w, "rw": False},
            {"name": "Inputs", "proj": i, "rw": False},
            {"name": "Outputs", "proj": [[("M", None)], [("Q", None)]], "rw": True},
        ]
        name = "Conv1D"
    else:
        dims = ["C", "M", "R", "S", "P", "Q"]
        b = {"C": _pick_bound(rng, 8, small=True), "M": _pick_bound(rng, 16), "R": rng.choice([1, 2, 3]),
             "S": rng.choice([1, 2, 3]), "P": _pick_bound(rng, 12, small=False), "Q": _pick_bound(rng, 12)}
        ws = rng.choices([1, 2], [0.7, 0.3])[0]
        hs = rng.choices([1, 2], [0.7, 0.3])[0]
        wd = rng.choices([1, 2], [0.85, 0.15])[0]
        hd = 1
        coefs = {"Wstride": ws, "Hstride": hs, "Wdilation": wd, "Hdilation": hd}
        if ws > 1 or hs > 1:
            features.add("conv_stride")
        if wd > 1:
            features.add("conv_dilation")
        tensors = [
            {"name": "Weights", "proj": [[("C", None)], [("M", None)], [("R", None)], [("S", None)]], "rw": False},
            {"name": "Inputs", "proj": [[("C", None)], [("R", "Wdilation"), ("P", "Wstride")],
                                        [("S", "Hdilation"), ("Q", "Hstride")]], "rw": False},
            {"name": "Outputs", "proj": [[("M", None)], [("P", None)], [("Q", None)]], "rw": True},
        ]
        name = "CNN_Layer"
    _shrink(rng, b, limit)
    return {"kind": kind, "name": name, "dims": dims, "bounds": b, "coefs": coefs, "tensors": tensors}


def tensor_dims(t):
    return [d for rank in t["proj"] for d, _ in rank]


def tile_size(wl, t, extent):
    """Bounding-box size of tensor t for per-dim extents."""
    size = 1
    for rank in t["proj"]:
        ext = 1
        for d, c in rank:
            coef = wl["coefs"].get(c, 1) if c else 1
            ext += coef * (extent[d] - 1)
        size *= ext
    return size


# ----------------------------------------------------------------------------------------
# Architecture
# ----------------------------------------------------------------------------------------

_LEVEL_NAMES = {2: ["DRAM", "Buffer"], 3: ["DRAM", "GLB", "RF"], 4: ["DRAM", "GLB", "PEBuf", "RF"]}


def gen_arch(rng, features):
    nreal = rng.choices([2, 3, 4], [0.35, 0.4, 0.25])[0]
    features.add("levels=%d" % nreal)
    names = list(_LEVEL_NAMES[nreal])
    if rng.random() < 0.3:
        names = [names[0]] + [n + "_" + rng.choice("xyz") for n in names[1:]]
    # fan-outs below each real level (to the next real level or to the MACs)
    levels = []
    mx = my = 1
    total_inst = 1
    for i, nm in enumerate(names):
        lv = {"name": nm, "kind": "dram" if i == 0 else "storage", "meshX": mx, "meshY": my}
        levels.append(lv)
        fx = fy = 1
        if rng.random() < 0.55 and total_inst < 64:
            fx = rng.choice([1, 2, 2, 3, 4, 4, 6, 8])
            fy = rng.choices([1, 2, 3, 4], [0.55, 0.2, 0.1, 0.15])[0]
            if fx * fy == 1:
                fx = 2
            while total_inst * fx * fy > 256:
                if fx > 1:
                    fx //= 2 if fx % 2 == 0 else fx
                elif fy > 1:
                    fy //= 2 if fy % 2 == 0 else fy
        if fx * fy > 1:
            if fy > 1:
                features.add("spatial_y")
            if fx > 1:
                features.add("spatial_x")
            child = names[i + 1] if i + 1 < len(names) else "PE"
            if rng.random() < 0.5:
                features.add("fanout:dummy")
                levels.append({"name": "inter_%s_spatial" % child, "kind": "dummy", "meshX": mx, "meshY": my})
            else:
                features.add("fanout:on_storage")
            mx, my = mx * fx, my * fy
            total_inst = mx * my
        elif i > 0 and rng.random() < 0.06:
            # a container without spatial fan-out still lowers to a 1-wide dummy level
            features.add("dummy_nofanout")
            child = names[i + 1] if i + 1 < len(names) else "PE"
            levels.append({"name": "inter_%s_spatial" % child, "kind": "dummy", "meshX": mx, "meshY": my})
    mac = {"name": rng.choice(["mac", "MACC", "mac"]), "meshX": mx, "meshY": my}
    for lv in levels:
        lv["inst"] = lv["meshX"] * lv["meshY"]
    mac["inst"] = mx * my
    # fanout of each level
    for i, lv in enumerate(levels):
        ch = levels[i + 1] if i + 1 < len(levels) else mac
        lv["fx"], lv["fy"] = ch["meshX"] // lv["meshX"], ch["meshY"] // lv["meshY"]
    return levels, mac


# ----------------------------------------------------------------------------------------
# Mapping
# ----------------------------------------------------------------------------------------


def gen_mapping(rng, wl, levels, features, want_invalid_fanout):
    dims = wl["dims"]
    L = len(levels)
    temporal = [{d: 1 for d in dims} for _ in range(L)]
    spatial = [{d: 1 for d in dims} for _ in range(L)]
    axis = [dict() for _ in range(L)]  # dim -> "X"|"Y"
    room = [[lv["fx"], lv["fy"]] for lv in levels]
    tslots = [i for i, lv in enumerate(levels) if lv["kind"] != "dummy"]
    sslots = [i for i, lv in enumerate(levels) if lv["fx"] * lv["fy"] > 1]
    # Bias: often put most of a dimension at one level.
    for d in dims:
        for p in _primes(wl["bounds"][d]):
            placed = False
            if sslots and rng.random() < 0.45:
                i = rng.choice(sslots)
                ax = axis[i].get(d)
                opts = [ax] if ax else [a for a, r in (("X", room[i][0]), ("Y", room[i][1])) if r > 1]
                for a in opts:
                    r = room[i][0 if a == "X" else 1]
                    if r % p == 0 or (r >= p and rng.random() < 0.3):
                        spatial[i][d] *= p
                        axis[i][d] = a
                        room[i][0 if a == "X" else 1] = r // p
                        placed = True
                        break
            if not placed:
                weights = [1.0 + (0.5 if i == L - 1 else 0) for i in tslots]
                i = rng.choices(tslots, weights)[0]
                temporal[i][d] *= p
    if want_invalid_fanout:
        # move one prime factor from a temporal slot to a spatial slot that has no room for it
        cands = [(i, d) for i in tslots for d in dims if temporal[i][d] > 1]
        if cands:
            i, d = rng.choice(cands)
            p = _smallest_prime(temporal[i][d])
            temporal[i][d] //= p
            if sslots:
                j = rng.choice(sslots)
            else:
                # a spatial directive on a level without fan-out
                j = rng.choice(tslots)
            a = axis[j].get(d) or ("X" if levels[j]["fx"] > 1 or levels[j]["fy"] == 1 else "Y")
            spatial[j][d] *= p
            axis[j][d] = a
            # make sure it really exceeds: multiply until over the limit
            lim = levels[j]["fx"] if a == "X" else levels[j]["fy"]
            prod = math.prod(spatial[j][e] for e in dims if axis[j].get(e) == a)
            features.add("invalid:fanout")
            if prod <= lim:
                # still fits: take more of the same dimension from elsewhere
                for k in tslots:
                    while temporal[k][d] > 1 and prod <= lim:
                        q = _smallest_prime(temporal[k][d])
                        temporal[k][d] //= q
                        spatial[j][d] *= q
                        prod *= q
            if prod <= lim:
                features.discard("invalid:fanout")
    return temporal, spatial, axis


def factors_text(rng, dims, f, style):
    if style == "eq":
        return ",".join("%s=%d" % (d, f[d]) for d in dims)
    return " ".join("%s%d" % (d, f[d]) for d in dims)


def spatial_perm(rng, dims, f, axis):
    xs = [d for d in dims if axis.get(d) == "X" and f[d] > 1]
    ys = [d for d in dims if axis.get(d) == "Y" and f[d] > 1]
    ones = [d for d in dims if f[d] == 1]
    rng.shuffle(xs)
    rng.shuffle(ys)
    rng.shuffle(ones)
    k = rng.randint(0, len(ones))
    first = xs + ones[:k]
    rng.shuffle(first) if not ys else None
    perm = first + ys + ones[k:]
    split = len(first)
    return "".join(perm), split, bool(ys)


# ----------------------------------------------------------------------------------------
# The pair
# ----------------------------------------------------------------------------------------


def _energy(rng, lo, hi):
    return round(rng.uniform(lo, hi), 6)


def generate(seed):
    rng = random.Random(seed)
    features = set()
    wl = gen_workload(rng, features)
    dims = wl["dims"]
    tnames = [t["name"] for t in wl["tensors"]]
    levels, mac = gen_arch(rng, features)
    L = len(levels)

    invalid_kind = None
    r = rng.random()
    if r < 0.06:
        invalid_kind = "capacity"
    elif r < 0.11:
        invalid_kind = "fanout"
    temporal, spatial, axis = gen_mapping(rng, wl, levels, features, invalid_kind == "fanout")

    # keep / bypass
    keep = []
    for i, lv in enumerate(levels):
        if lv["kind"] == "dram":
            keep.append({t: True for t in tnames})
        elif lv["kind"] == "dummy":
            keep.append({t: False for t in tnames})
        else:
            keep.append({t: rng.random() < 0.72 for t in tnames})
    if any(not keep[i][t] for i, lv in enumerate(levels) if lv["kind"] == "storage" for t in tnames):
        features.add("bypass")

    # dense tile sizes per level (box of all loops at and below the level)
    tiles = []
    for i in range(L):
        ext = {d: 1 for d in dims}
        for j in range(i, L):
            for d in dims:
                ext[d] *= temporal[j][d] * spatial[j][d]
        tiles.append({t["name"]: tile_size(wl, t, ext) for t in wl["tensors"]})

    # ---- sparsity
    sparse = rng.random() < 0.72
    densities = {}
    if sparse or rng.random() < 0.2:
        ops = [t for t in wl["tensors"] if not t["rw"]]
        outs = [t for t in wl["tensors"] if t["rw"]]
        n = rng.choices([1, 2, 3], [0.4, 0.5, 0.1])[0]
        chosen = rng.sample(ops, min(n, len(ops)))
        if n == 3 or rng.random() < 0.05:
            chosen.append(outs[0])
        for t in chosen:
            sq = len(t["proj"]) == 2 and all(len(rk) == 1 for rk in t["proj"]) and \
                wl["bounds"][t["proj"][0][0][0]] == wl["bounds"][t["proj"][1][0][0]] and \
                wl["bounds"][t["proj"][0][0][0]] > 1
            kind = rng.choices(["fixed", "hyper", "banded", "bare"], [0.55, 0.25, 0.3 if sq else 0, 0.08])[0]
            dv = round(rng.uniform(0.08, 0.95), rng.choice([1, 2, 3, 4]))
            dv = min(max(dv, 0.05), 1.0)
            if kind == "fixed":
                densities[t["name"]] = {"distribution": "fixed_structured", "density": dv}
                features.add("density:fixed_structured")
            elif kind == "bare":
                densities[t["name"]] = dv
                features.add("density:bare")
            elif kind == "hyper":
                densities[t["name"]] = {"distribution": "hypergeometric", "density": dv}
                features.add("density:hypergeometric")
            else:
                bw = rng.randint(0, max(0, min(3, wl["bounds"][t["proj"][0][0][0]] - 1)))
                densities[t["name"]] = {"distribution": "banded", "band_width": bw}
                features.add("density:banded")
        features.add("densities=%d" % len(densities))
    if not sparse:
        features.add("dense")

    targets = []          # sparse_optimizations.targets
    fmt = {}              # (level index, tensor) -> list of rank dicts
    md_levels = set()
    decomp = set()        # levels that need decompression_supported/compression_supported
    if sparse:
        for t in wl["tensors"]:
            tn = t["name"]
            keepers = [i for i in range(L) if keep[i][tn]]
            has_d = tn in densities
            if not has_d and rng.random() < 0.8:
                continue
            k = rng.randint(0, len(keepers)) if has_d else 0
            flat = rng.random() < 0.25
            own = [own_loops(levels, keep, temporal, spatial, wl, t, i) for i in keepers]
            rel = set(tensor_dims(t))
            inner = []   # relevant dims with extent > 1 at the child keeper's tile
            for pos in range(len(keepers)):
                if pos + 1 < len(keepers):
                    c = keepers[pos + 1]
                    inner.append(sum(1 for d in rel if math.prod(
                        temporal[j][d] * spatial[j][d] for j in range(c, L)) > 1))
                else:
                    inner.append(0)
            # uncompressed keepers below the compressed ones: optional metadata-only formats
            for pos in range(k, len(keepers)):
                if rng.random() < 0.4:
                    n = max(1, own[pos] + inner[pos]) + rng.choice([0, 0, 1])
                    fmt[(keepers[pos], tn)] = gen_format(rng, t, n, flat, False, features)
            # compressed keepers, innermost first: a compressed level pre-tiles its child, so it
            # needs the child's ranks (1 without a format) plus its own, and its innermost ranks
            # must repeat a compressed child's formats
            for pos in range(k - 1, -1, -1):
                i = keepers[pos]
                child_f = fmt.get((keepers[pos + 1], tn)) if pos + 1 < len(keepers) else None
                nc = (len(child_f) if child_f else 1) if pos + 1 < len(keepers) else 0
                n_own = max(1 if nc == 0 else 0, own[pos]) + rng.choice([0, 0, 0, 1])
                if nc and rng.random() < 0.015:
                    n_own = max(0, own[pos] - 1)
                    features.add("invalid:rank_partition")
                child_comp = pos + 1 < k
                if child_comp:
                    top_comp_ok = child_f[0]["format"] in ("B", "CP", "RLE")
                    top = gen_format(rng, t, n_own, flat, top_comp_ok, features, allow_unc_only=True) if n_own else []
                    fmt[(i, tn)] = top + [dict(r) for r in child_f]
                else:
                    fmt[(i, tn)] = gen_format(rng, t, max(1, nc + n_own), flat, True, features)
            if k > 0 and k < len(keepers):
                # the first keeper below the compressed ones decompresses (and compresses
                # written-back outputs)
                if rng.random() < 0.92:
                    decomp.add(keepers[k])
                else:
                    features.add("invalid:decompression")
            if has_d and rng.random() < 0.04 and len(keepers) >= 2:
                # compressed child below an uncompressed parent (aborts the reference)
                pos = rng.randint(1, len(keepers) - 1)
                if (keepers[pos - 1], tn) not in fmt or all(r["format"] in ("UOP", "UB") for r in fmt[(keepers[pos - 1], tn)]):
                    fmt[(keepers[pos], tn)] = gen_format(rng, t, max(1, own[pos]), flat, True, features)
                    features.add("format:uncompressed_parent")
            for pos, i in enumerate(keepers):
                if (i, tn) in fmt:
                    md_levels.add(i)
                    if any(r["format"] in ("B", "CP", "RLE") for r in fmt[(i, tn)]):
                        features.add("compressed")
        # action optimizations
        saf = {}
        sparse_t = [t for t in tnames if t in densities]
        real = [i for i, lv in enumerate(levels) if lv["kind"] != "dummy"]
        if sparse_t and rng.random() < 0.75:
            nlev = rng.choices([1, 2], [0.7, 0.3])[0]
            cands = real[1:] if len(real) > 1 and rng.random() < 0.85 else real
            chosen = sorted(rng.sample(cands, min(nlev, len(cands))))
            if len(chosen) > 1:
                features.add("saf:multi_level")
            for i in chosen:
                acts = []
                kind = rng.choice(["gating", "skipping"])
                features.add("saf:" + ("gate" if kind == "gating" else "skip"))
                leader = rng.choice(sparse_t)
                others = [x for x in tnames if x != leader]
                mode = rng.random()
                if mode < 0.25 and len(sparse_t) >= 2:
                    a, b = rng.sample(sparse_t, 2)
                    acts.append({"type": kind, "options": [{"target": a, "condition_on": [b]}]})
                    acts.append({"type": kind, "options": [{"target": b, "condition_on": [a]}]})
                    features.add("saf:double_sided")
                else:
                    tgt = rng.choice(others)
                    acts.append({"type": kind, "options": [{"target": tgt, "condition_on": [leader]}]})
                if rng.random() < 0.3:
                    outs = [t["name"] for t in wl["tensors"] if t["rw"]]
                    lead = [x for x in sparse_t if x != outs[0]]
                    if lead:
                        k2 = rng.choice(["gating", "skipping"])
                        acts.append({"type": k2, "options": [{"target": outs[0], "condition_on": lead}]})
                        features.add("saf:output")
                        features.add("saf:" + ("gate" if k2 == "gating" else "skip"))
                for a_ in acts:
                    if not keep[i][a_["options"][0]["target"]]:
                        features.add("saf:target_bypassed")
                saf[i] = acts
        # assemble targets in level order (outer first), as the goldens do
        for i, lv in enumerate(levels):
            tgt = {}
            dsl = [{"name": tn, "ranks": fmt[(i, tn)]} for tn in tnames if (i, tn) in fmt]
            if rng.random() < 0.5:
                dsl.reverse()
            if dsl:
                tgt["representation_format"] = {"data_spaces": dsl}
            if i in saf:
                tgt["action_optimization"] = saf[i]
            if tgt:
                targets.append(dict(name=lv["name"], **tgt))
        if len(sparse_t) >= 1 and rng.random() < 0.3:
            kind = rng.choice(["gating", "skipping"])
            features.add("compute:" + ("gate" if kind == "gating" else "skip"))
            targets.append({"name": mac["name"], "compute_optimization": [{"type": kind}]})
        if not targets:
            features.add("sparse:densities_only")

    # ---- per-level attributes (capacity from the dense tiles)
    datawidth = rng.choice([8, 8, 16])
    arch_levels = []
    md_width_of = {}
    cap_victim = None
    for j, l2 in enumerate(levels):
        if l2["kind"] == "storage" and sum(tiles[j][t] for t in tnames if keep[j][t]) > 1:
            cap_victim = j
    for i, lv in enumerate(levels):
        a = {}
        if lv["kind"] == "dummy":
            a = {"width": 1, "depth": 1, "datawidth": 1, "technology": -1, "has_power_gating": False,
                 "n_banks": 2, "cluster_size": 1, "reduction_supported": True, "multiple_buffering": 1,
                 "min_utilization": 0, "allow_overbooking": False, "meshX": lv["meshX"], "meshY": lv["meshY"],
                 "power_gated_at": None}
            arch_levels.append({"name": "%s[1..%d]" % (lv["name"], lv["inst"]), "class": "dummy_storage",
                                "attributes": a, "enabled": True})
            continue
        block = rng.choice([1, 1, 2, 4, 8]) if lv["kind"] != "dram" else rng.choice([1, 4, 8])
        if lv["kind"] == "dram":
            block = max(1, 64 // datawidth) if rng.random() < 0.5 else block
        a["width"] = datawidth * block
        a["datawidth"] = datawidth
        if block > 1 and rng.random() < 0.3:
            a["block_size"] = block
            features.add("block_size_attr")
        if block > 1 and lv["kind"] != "dram":
            features.add("block>1")
        need = sum(tiles[i][t] for t in tnames if keep[i][t])
        mb = 1
        if lv["kind"] != "dram":
            if rng.random() < 0.1:
                mb = 2
                a["multiple_buffering"] = 2
                features.add("multiple_buffering")
            depth = math.ceil(need * mb / block)
            depth = max(1, int(depth * rng.choice([1, 1, 1.2, 1.5, 2, 4]))) + rng.choice([0, 0, 1, 7])
            if invalid_kind == "capacity" and i == cap_victim:
                depth = max(1, (need * mb) // block // 2 - 1)
                features.add("invalid:capacity")
            a["depth"] = depth
        if i in decomp:
            a["decompression_supported"] = True
            a["compression_supported"] = True
            features.add("decompression")
        if i in md_levels or (sparse and rng.random() < 0.3):
            mdw = rng.choice([4, 8, 16, 32]) if lv["kind"] != "dram" else rng.choice([32, 64])
            a["metadata_storage_width"] = mdw
            if lv["kind"] != "dram":
                nranks = max([len(fmt.get((i, t), [])) for t in tnames] + [1])
                a["metadata_storage_depth"] = max(8, math.ceil(need * (nranks + 1) * 16 / mdw) * 2)
            a["metadata_datawidth"] = rng.choice([4, 4, 8]) if mdw >= 8 else 4
            md_width_of[i] = mdw
            if rng.random() < 0.3:
                a["metadata_counter_width"] = rng.choice([4, 8])
        if lv["kind"] != "dram" or rng.random() < 0.3:
            if rng.random() < 0.5:
                a["read_bandwidth"] = rng.choice([1, 2, 4, 5, 8, 16])
                a["write_bandwidth"] = rng.choice([1, 2, 4, 5, 8, 16])
                features.add("bandwidth")
            elif rng.random() < 0.1:
                a["bandwidth"] = rng.choice([2, 4, 8])
                features.add("bandwidth:shared_legacy")
        a.update({"has_power_gating": False, "n_banks": 2, "cluster_size": 1, "reduction_supported": True,
                  "multiple_buffering": mb, "min_utilization": 0, "allow_overbooking": False,
                  "meshX": lv["meshX"], "meshY": lv["meshY"], "technology": "45nm", "power_gated_at": None})
        ent = {"name": "%s[1..%d]" % (lv["name"], lv["inst"])}
        if lv["kind"] == "dram":
            ent["class"] = "DRAM"
            a["type"] = "LPDDR4"
        else:
            sub = rng.choice(["smartbuffer_metadata", "regfile_metadata", "smartbuffer_RF", "smartbuffer_SRAM"])
            if rng.random() < 0.8:
                ent["class"] = "storage"
                ent["subclass"] = sub
            else:
                ent["class"] = sub
        ent["attributes"] = a
        ent["required_actions"] = ["read", "write", "update", "leak"]
        ent["enabled"] = True
        arch_levels.append(ent)
        lv["attrs"] = a
    arch_levels.append({"name": "%s[1..%d]" % (mac["name"], mac["inst"]), "class": "intmac",
                        "attributes": {"multiplier_width": 8, "adder_width": 16, "has_power_gating": False,
                                       "meshX": mac["meshX"], "meshY": mac["meshY"], "technology": "45nm",
                                       "power_gated_at": None},
                        "required_actions": ["compute"], "enabled": True})

    # ---- metadata word bits must fit the level's metadata storage width
    for (i, tn), ranks in fmt.items():
        mdw = md_width_of.get(i)
        for rk in ranks:
            if "metadata_word_bits" in rk and (mdw is None or rk["metadata_word_bits"] > mdw):
                del rk["metadata_word_bits"]
            if "payload_word_bits" in rk and (mdw is None or rk["payload_word_bits"] > mdw):
                del rk["payload_word_bits"]
        if i not in md_width_of:
            # metadata at a level without metadata storage attributes: give it some
            lvat = levels[i]["attrs"]
            lvat["metadata_storage_width"] = 8
            if levels[i]["kind"] != "dram":
                lvat["metadata_storage_depth"] = max(8, 8 * sum(tiles[i][t] for t in tnames if keep[i][t]))
            lvat["metadata_datawidth"] = 4

    # ---- problem
    shape = {"name": wl["name"], "dimensions": list(dims)}
    if wl["coefs"]:
        shape["coefficients"] = [{"name": c, "default": 1} for c in wl["coefs"]]
    else:
        shape["coefficients"] = []
    dsl = []
    for t in wl["tensors"]:
        proj = [[[d] if c is None else [d, c] for d, c in rank] for rank in t["proj"]]
        dsl.append({"name": t["name"], "projection": proj, "read_write": t["rw"]})
    shape["data_spaces"] = dsl
    inst = {d: wl["bounds"][d] for d in dims}
    for c, v in wl["coefs"].items():
        if v != 1 or rng.random() < 0.5:
            inst[c] = v
    if densities:
        inst["densities"] = densities
    problem = {"version": "0.4", "shape": shape, "instance": inst}
    if rng.random() < 0.5:
        problem = {"version": "0.4", "instance": inst, "shape": shape}

    doc = {"architecture": {"version": "0.4", "subtree": [{
        "name": TOP,
        "attributes": {"version": "0.4", "technology": "45nm", "global_cycle_seconds": 1e-9,
                       "has_power_gating": False, "power_gated_at": None},
        "local": arch_levels}]},
        "problem": problem}
    if sparse and targets:
        doc["sparse_optimizations"] = {"targets": targets}

    # ---- mapping
    style = "eq" if rng.random() < 0.25 else "plain"
    if style == "eq":
        features.add("syntax:factors_eq")
    dt_style = "bypass" if rng.random() < 0.15 else "datatype"
    mapping = []
    for i, lv in enumerate(levels):
        kp = [t for t in tnames if keep[i][t]]
        bp = [t for t in tnames if not keep[i][t]]
        if dt_style == "datatype":
            mapping.append({"target": lv["name"], "type": "datatype", "keep": kp, "bypass": bp})
        elif bp:
            mapping.append({"target": lv["name"], "type": "bypass", "bypass": bp})
    order = list(range(L))
    if rng.random() < 0.5:
        order.reverse()  # inner first, like the goldens
    for i in order:
        lv = levels[i]
        if lv["fx"] * lv["fy"] > 1 or any(spatial[i][d] > 1 for d in dims):
            perm, split, has_y = spatial_perm(rng, dims, spatial[i], axis[i])
            ent = {"target": lv["name"], "type": "spatial", "factors": factors_text(rng, dims, spatial[i], style),
                   "permutation": perm}
            if has_y or rng.random() < 0.5 or split != len(dims):
                ent["split"] = split
            if any(spatial[i][d] > 1 for d in dims) or rng.random() < 0.5:
                mapping.append(ent)
        tp = list(dims)
        rng.shuffle(tp)
        if rng.random() < 0.05:
            tp = [d for d in tp if temporal[i][d] > 1] or tp[:1]   # missing dims go outermost
            features.add("perm:partial")
        if lv["kind"] == "dummy" and rng.random() < 0.3:
            continue
        fdims = list(dims)
        if rng.random() < 0.1:
            fdims = [d for d in dims if temporal[i][d] > 1] or dims[:1]   # omitted factor = 1
            features.add("factors:omitted")
        mapping.append({"target": lv["name"], "type": "temporal",
                        "factors": factors_text(rng, fdims, temporal[i], style), "permutation": "".join(tp)})
    if any(f.startswith("invalid:") for f in features):
        features.add("invalid_expected")
    elif invalid_kind:
        features.add("invalid_attempt_fits")

    # ---- energy and area tables
    ert_tables, art_tables = [], []
    for i, lv in enumerate(levels):
        full = "%s.%s[1..%d]" % (TOP, lv["name"], lv["inst"])
        art_tables.append({"name": full, "area": round(rng.uniform(1, 20000), 2) if lv["kind"] != "dummy" else 0.0})
        if lv["kind"] == "dummy":
            continue
        big = lv["kind"] == "dram"
        rd = _energy(rng, 50, 600) if big else _energy(rng, 0.05, 40)
        wr = round(rd * rng.uniform(0.8, 1.3), 6)
        acts = [("read", rd), ("write", wr), ("update", wr if rng.random() < 0.8 else round(wr * 1.1, 6)),
                ("leak", 0.0 if big or rng.random() < 0.3 else _energy(rng, 0.0001, 0.01))]
        if "metadata_storage_width" in lv["attrs"]:
            mrd = _energy(rng, 0.01, 5) if not big else _energy(rng, 20, 200)
            acts += [("metadata_read", mrd), ("metadata_write", round(mrd * 1.2, 6)),
                     ("metadata_update", round(mrd * 1.2, 6)),
                     ("decompression_count", 0.0 if rng.random() < 0.7 else _energy(rng, 0.01, 0.1)),
                     ("compression_count", 0.0 if rng.random() < 0.7 else _energy(rng, 0.01, 0.1))]
        if sparse and rng.random() < 0.35:
            features.add("ert:gated_skipped")
            for nm in ("gated_read", "skipped_read", "gated_write", "gated_update", "gated_metadata_read"):
                if rng.random() < 0.5:
                    acts.append((nm, round(rd * rng.uniform(0.0, 0.2), 6)))
        if rng.random() < 0.2:
            rng.shuffle(acts)
        ert_tables.append({"name": full, "actions": [{"name": n, "arguments": {}, "energy": e} for n, e in acts]})
    full = "%s.%s[1..%d]" % (TOP, mac["name"], mac["inst"])
    macts = [("compute", _energy(rng, 0.1, 2)), ("leak", 0.0 if rng.random() < 0.5 else _energy(rng, 0.0001, 0.005))]
    if sparse and rng.random() < 0.3:
        macts += [("gated_compute", _energy(rng, 0.0, 0.05))]
        if rng.random() < 0.5:
            macts += [("skipped_compute", _energy(rng, 0.0, 0.01))]
    ert_tables.append({"name": full, "actions": [{"name": n, "arguments": {}, "energy": e} for n, e in macts]})
    art_tables.append({"name": full, "area": round(rng.uniform(100, 1000), 2)})

    files = {
        "input.yaml": _dump(doc),
        "map.yaml": _dump({"mapping": mapping}),
        "ERT.yaml": _dump({"ERT": {"version": "0.4", "tables": ert_tables}}),
        "ART.yaml": _dump({"ART": {"version": "0.4", "tables": art_tables}}),
    }
    return {"seed": seed, "features": sorted(features),
            "expect_invalid": "invalid_expected" in features, "files": files}


def own_loops(levels, keep, temporal, spatial, wl, t, i):
    """Non-trivial loops relevant to t at level i and at the bypassing levels below it."""
    rel = set(tensor_dims(t))
    n = 0
    j = i
    while j < len(levels):
        if j != i and keep[j][t["name"]]:
            break
        n += sum(1 for d in wl["dims"] if d in rel and temporal[j][d] > 1)
        n += sum(1 for d in wl["dims"] if d in rel and spatial[j][d] > 1)
        j += 1
    return n


def gen_format(rng, t, n, flat, compressed, features, allow_unc_only=False):
    tdims = list(dict.fromkeys(tensor_dims(t)))
    if flat:
        features.add("format:flattened")
    if n >= 2:
        features.add("format:multi_rank")
    comp = ["B", "CP", "RLE"]
    unc = ["UOP", "UOP", "UB"]
    if compressed:
        m = rng.randint(0 if allow_unc_only else 1, n)
        names = [rng.choice(unc) for _ in range(n - m)] + [rng.choice(comp) for _ in range(m)]
    else:
        names = [rng.choice(unc) for _ in range(n)]
    ranks = []
    for nm in names:
        features.add("format:" + nm)
        rk = {"format": nm}
        if flat:
            if rng.random() < 0.7 or len(tdims) == 1:
                rk["flattened_rankIDs"] = [list(tdims)]
            else:
                k = rng.randint(1, len(tdims))
                rk["flattened_rankIDs"] = [rng.sample(tdims, k)]
        if rng.random() < 0.15:
            rk["metadata_word_bits"] = rng.choice([2, 4, 8])
            features.add("format:word_bits")
        ranks.append(rk)
    return ranks


def _dump(obj):
    return yaml.safe_dump(obj, sort_keys=False, default_flow_style=False, width=1000)


def write_pair(pair, outdir):
    os.makedirs(outdir, exist_ok=True)
    for name, text in pair["files"].items():
        with open(os.path.join(outdir, name), "w") as f:
            f.write(text)


if __name__ == "__main__":
    s = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    p = generate(s)
    if len(sys.argv) > 2:
        write_pair(p, sys.argv[2])
    print(" ".join(p["features"]))
