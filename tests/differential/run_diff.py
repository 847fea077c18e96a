#!/usr/bin/python3
"""Differential test of sieve against the Timeloop/Sparseloop reference (timeloop-model).

  run_diff.py --sieve PATH --oracle PATH --pairs N --seed S [--jobs 2] [--out DIR]
              [--record CORPUS.jsonl] [--keep-all] [--timeout SEC]
      Generates pairs with seeds S, S+1, ..., S+N-1 (gen.generate), runs both tools on the
      same four files, compares (compare.compare) and writes DIR/results.jsonl and
      DIR/report.md (also printed). Files of disagreeing / failed pairs are kept under
      DIR/pairs/SEED/ (all pairs with --keep-all). Without --out, DIR is a fresh
      temporary folder, removed at the end when the run passes (kept, and named, when
      it fails). --record appends agreeing and disagreeing pairs (input texts + the
      oracle's parsed figures) to CORPUS.jsonl.

  run_diff.py --replay CORPUS.jsonl[.gz] --sieve PATH [--out DIR] [--regression]
      Re-runs only sieve on recorded pairs and compares with the stored oracle figures
      (without --out, in a fresh temporary folder, kept only when a pair fails).
      Exit 1 on any disagreement (including pairs recorded as disagreeing); with
      --regression only a pair recorded as agreeing that no longer agrees (or a sieve
      error) fails, and pairs recorded as disagreeing that now agree are listed.

  A run with --min-agreement F exits 1 when fewer than F of the pairs both tools
  evaluated agree, or when sieve failed on any pair (the CI gate on fresh pairs).

  run_diff.py --one SEED --keep DIR [--sieve PATH] [--oracle PATH]
      Regenerates one pair's files into DIR; with the tool paths also runs both and prints
      the mismatches.

Statuses: agree | disagree | reference_failed (oracle crash/abort/assert/timeout/rejected
input/unparsable output; never counted as a disagreement) | sieve_error (sieve crashed,
timed out, rejected the input with exit 2, or wrote no stats while the oracle produced a
result or a mapping verdict).

The oracle reports an invalid mapping by exiting 1 with "ERROR: couldn't map level ..." (or,
for a spatial directive on a level without fan-out, "cannot find spatial tiling level");
that counts as valid:false. sieve reports it as valid:false in sieve.stats.json.
"""
import argparse
import collections
import concurrent.futures
import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import compare  # noqa: E402
import gen  # noqa: E402
import oracle_stats  # noqa: E402

FILES = ["input.yaml", "map.yaml", "ERT.yaml", "ART.yaml"]
DEFAULT_ORACLE = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "oracle", "timeloop",
                                               "timeloop-model"))
INVALID_MARKERS = ["couldn't map level", "cannot find spatial tiling level"]


def _run(cmd, cwd, timeout):
    t0 = time.time()
    try:
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout, start_new_session=True)
        return p.returncode, p.stdout.decode("utf-8", "replace"), time.time() - t0, False
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode("utf-8", "replace") if e.stdout else ""
        return None, out, time.time() - t0, True


def _tail(text, n=3):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return " | ".join(lines[-n:])[:400]


def run_oracle(oracle, d, timeout):
    """-> (kind, dict_or_None, note); kind in ok|invalid|failed."""
    out = os.path.join(d, "oracle_out")
    os.makedirs(out, exist_ok=True)
    rc, log, dt, to = _run([oracle] + FILES + ["-o", "oracle_out"], d, timeout)
    with open(os.path.join(d, "oracle.log"), "w") as f:
        f.write(log)
    if to:
        return "failed", None, "timeout after %.0fs" % timeout, dt
    if rc != 0:
        for m in INVALID_MARKERS:
            for line in log.splitlines():
                if m in line:
                    return "invalid", {"valid": False, "invalid_reason": line.strip()}, line.strip()[:300], dt
        if rc < 0:
            return "failed", None, "signal %s: %s" % (signal.Signals(-rc).name, _tail(log)), dt
        return "failed", None, "exit %d: %s" % (rc, _tail(log)), dt
    p = os.path.join(out, "timeloop-model.stats.txt")
    if not os.path.isfile(p):
        return "failed", None, "no stats file: " + _tail(log), dt
    try:
        parsed = oracle_stats.parse_file(p)
    except Exception as e:  # noqa: BLE001
        return "failed", None, "stats parse error: %r" % e, dt
    wrapped = _underflowed_count(parsed)
    if wrapped:
        # A count the reference computed as negative and printed as an
        # unsigned 64-bit number: its figures for that pair are not usable.
        return "failed", None, "negative count printed as unsigned: %s" % wrapped, dt
    idle = _idle_level(parsed)
    if idle:
        # The reference drops a tensor's only tile occupancy under a parent
        # with metadata and reports the level idle (no busy instance) while
        # its tiles hold data; sieve keeps the tiles (format_exact.cpp).
        return "failed", None, "reports a level with data idle (0 average instances): %s" % idle, dt
    return "ok", parsed, "", dt


def _idle_level(stats):
    """'LEVEL.DS' where the oracle gives a data space that holds data (nonzero capacity)
    and has accesses 0 average instances."""
    for lname, level in (stats.get("levels") or {}).items():
        for dname, d in (level.get("dataspaces") or {}).items():
            avg = d.get("instances_avg")
            work = sum(d.get(k) or 0 for k in ("reads", "fills", "updates"))
            held = d.get("occupancy") or 0
            if avg is not None and avg <= 0 and held > 0 and (d.get("instances") or 0) > 0 and work > 0:
                return "%s.%s" % (lname, dname)
    return ""


def _underflowed_count(value, path=""):
    """The path of the first integer at or above 2**63 in a parsed stats dict, or ''."""
    if isinstance(value, dict):
        for k, v in value.items():
            hit = _underflowed_count(v, path + "." + str(k) if path else str(k))
            if hit:
                return hit
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            hit = _underflowed_count(v, "%s[%d]" % (path, i))
            if hit:
                return hit
    elif isinstance(value, int) and not isinstance(value, bool) and value >= 2 ** 63:
        return path
    return ""


def run_sieve(sieve, d, timeout):
    """-> (kind, dict_or_None, note); kind in ok|error."""
    out = os.path.join(d, "sieve_out")
    os.makedirs(out, exist_ok=True)
    rc, log, dt, to = _run([sieve, "model"] + FILES + ["-o", "sieve_out"], d, timeout)
    with open(os.path.join(d, "sieve.log"), "w") as f:
        f.write(log)
    if to:
        return "error", None, "timeout after %.0fs" % timeout, dt
    if rc != 0:
        sig = " (signal %s)" % signal.Signals(-rc).name if rc < 0 else ""
        return "error", None, "exit %d%s: %s" % (rc, sig, _tail(log)), dt
    p = os.path.join(out, "sieve.stats.json")
    try:
        with open(p) as f:
            return "ok", compare.sieve_to_dict(json.load(f)), "", dt
    except Exception as e:  # noqa: BLE001
        return "error", None, "bad sieve.stats.json: %r" % e, dt


def classify(okind, odict, onote, skind, sdict, snote):
    if okind == "failed":
        return "reference_failed", [], onote
    if skind == "error":
        return "sieve_error", [], snote
    omitted = _omitted_level(odict, sdict)
    if omitted:
        # The idle-level case again (see run_oracle): when every data space of
        # a level loses its only tile occupancy that way, the reference leaves
        # the level out of its stats altogether.
        return "reference_failed", [], "omits a level whose tiles hold data: %s" % omitted
    mm = compare.compare(odict, sdict)
    return ("agree" if not mm else "disagree"), mm, ""


def _omitted_level(odict, sdict):
    """A level sieve reports holding and moving data that a valid oracle result leaves
    out, or ''."""
    if not (odict and sdict and odict.get("valid") and sdict.get("valid")):
        return ""
    olevels = odict.get("levels") or {}
    for lname, level in (sdict.get("levels") or {}).items():
        if lname in olevels:
            continue
        for d in (level.get("dataspaces") or {}).values():
            work = sum(d.get(k) or 0 for k in ("reads", "fills", "updates"))
            if (d.get("occupancy") or 0) > 0 and work > 0:
                return lname
    return ""


def evaluate_pair(args, seed, workroot):
    pair = gen.generate(seed)
    d = os.path.join(workroot, str(seed))
    if os.path.exists(d):
        shutil.rmtree(d)
    gen.write_pair(pair, d)
    okind, odict, onote, odt = run_oracle(args.oracle, d, args.timeout)
    skind, sdict, snote, sdt = run_sieve(args.sieve, d, args.timeout)
    status, mm, note = classify(okind, odict, onote, skind, sdict, snote)
    rec = {"seed": seed, "features": pair["features"], "status": status,
           "oracle": okind, "sieve": skind, "note": note,
           "oracle_invalid_reason": odict.get("invalid_reason") if odict and not odict.get("valid") else None,
           "sieve_invalid_reason": sdict.get("invalid_reason") if sdict and not sdict.get("valid") else None,
           "mismatches": [[f, o, s] for f, o, s in mm], "oracle_s": round(odt, 3), "sieve_s": round(sdt, 3)}
    corpus = None
    if status in ("agree", "disagree"):
        corpus = {"seed": seed, "features": pair["features"], "status": status,
                  "files": pair["files"], "oracle": odict}
    if status == "agree" and not args.keep_all:
        shutil.rmtree(d, ignore_errors=True)
    return rec, corpus


# ----------------------------------------------------------------------------------------
# Report
# ----------------------------------------------------------------------------------------

def _fmt_val(v):
    if isinstance(v, float):
        return "%.6g" % v
    if isinstance(v, list):
        return json.dumps(v)[:60]
    return str(v)


def make_report(results, title):
    lines = ["# %s" % title, ""]
    st = collections.Counter(r["status"] for r in results)
    lines.append("Pairs: %d; agree %d, disagree %d, reference failed %d, sieve error %d." % (
        len(results), st["agree"], st["disagree"], st["reference_failed"], st["sieve_error"]))
    nvalid = sum(1 for r in results if r["status"] in ("agree", "disagree") and not r["oracle_invalid_reason"])
    ninv = sum(1 for r in results if r["status"] in ("agree", "disagree") and r["oracle_invalid_reason"])
    lines.append("Compared pairs where the oracle gave stats: %d; where it rejected the mapping: %d." % (nvalid, ninv))
    lines.append("")
    # by feature
    by = collections.defaultdict(collections.Counter)
    for r in results:
        for f in r["features"]:
            by[f][r["status"]] += 1
            by[f]["pairs"] += 1
    lines.append("## Agreement by feature")
    lines.append("")
    lines.append("| feature | pairs | agree | disagree | reference failed | sieve error | agree % of compared |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|")
    for f in sorted(by, key=lambda k: (-by[k]["pairs"], k)):
        c = by[f]
        comp = c["agree"] + c["disagree"] + c["sieve_error"]
        pct = "%.0f%%" % (100.0 * c["agree"] / comp) if comp else "-"
        lines.append("| %s | %d | %d | %d | %d | %d | %s |" % (f, c["pairs"], c["agree"], c["disagree"],
                                                               c["reference_failed"], c["sieve_error"], pct))
    lines.append("")
    # mismatched fields
    fld = collections.defaultdict(list)
    for r in results:
        if r["status"] != "disagree":
            continue
        seen = set()
        for f, o, s in r["mismatches"]:
            g = compare.generic_field(f)
            if g in seen:
                continue
            seen.add(g)
            fld[g].append((r["seed"], f, o, s))
    lines.append("## Most common mismatched fields (pairs having the field)")
    lines.append("")
    lines.append("| field | pairs | example seeds | example (field: oracle vs sieve) |")
    lines.append("|---|---:|---|---|")
    for g in sorted(fld, key=lambda k: (-len(fld[k]), k))[:30]:
        ex = fld[g]
        seeds = ", ".join(str(e[0]) for e in ex[:4])
        s0 = ex[0]
        lines.append("| %s | %d | %s | %s: %s vs %s |" % (g, len(ex), seeds, s0[1], _fmt_val(s0[2]), _fmt_val(s0[3])))
    lines.append("")
    # primary classes: the most upstream mismatched field of each disagreeing pair
    cls = collections.defaultdict(list)
    for r in results:
        if r["status"] != "disagree":
            continue
        f, o, sv = min(r["mismatches"], key=lambda m: (_upstream_rank(m[0]), r["mismatches"].index(m)))
        cls[compare.generic_field(f)].append((r["seed"], f, o, sv, len(r["mismatches"])))
    lines.append("## Disagreement classes (most upstream mismatched field per pair)")
    lines.append("")
    lines.append("| class | pairs | seeds | example: field oracle -> sieve (sieve/oracle) |")
    lines.append("|---|---:|---|---|")
    for g in sorted(cls, key=lambda k: (-len(cls[k]), k)):
        ex = sorted(cls[g], key=lambda e: e[4])   # fewest mismatches first: simplest repro
        s0 = ex[0]
        ratio = ""
        if isinstance(s0[2], (int, float)) and isinstance(s0[3], (int, float)) and s0[2]:
            ratio = " (x%.3g)" % (float(s0[3]) / float(s0[2]))
        lines.append("| %s | %d | %s | seed %d %s: %s -> %s%s |" % (
            g, len(ex), ", ".join(str(e[0]) for e in ex[:5]), s0[0], s0[1], _fmt_val(s0[2]), _fmt_val(s0[3]), ratio))
    lines.append("")
    # validity disagreements
    vd = [r for r in results if r["status"] == "disagree" and r["mismatches"] and r["mismatches"][0][0] == "valid"]
    if vd:
        lines.append("## Validity disagreements")
        lines.append("")
        kinds = collections.defaultdict(list)
        for r in vd:
            if r["oracle_invalid_reason"]:
                key = "oracle invalid, sieve valid: " + _reason_class(r["oracle_invalid_reason"])
            else:
                key = "oracle valid, sieve invalid: " + _reason_class(r["sieve_invalid_reason"] or "")
            kinds[key].append(r["seed"])
        for k in sorted(kinds, key=lambda k: -len(kinds[k])):
            lines.append("- %s: %d (seeds %s)" % (k, len(kinds[k]), ", ".join(map(str, kinds[k][:5]))))
        lines.append("")
    # failures
    for status, title2 in (("reference_failed", "Reference failures"), ("sieve_error", "sieve errors")):
        rs = [r for r in results if r["status"] == status]
        if not rs:
            continue
        lines.append("## %s" % title2)
        lines.append("")
        kinds = collections.defaultdict(list)
        for r in rs:
            kinds[_reason_class(r["note"])].append(r["seed"])
        for k in sorted(kinds, key=lambda k: -len(kinds[k])):
            lines.append("- %s: %d (seeds %s)" % (k, len(kinds[k]), ", ".join(map(str, kinds[k][:5]))))
        lines.append("")
    return "\n".join(lines) + "\n"


_UPSTREAM = {
    "valid": 0, "algorithmic": 1, "partition": 2, "tile_size": 2, "instances": 2, "used_instances": 2,
    "level(presence)": 2, "reads": 3, "fills": 3, "updates": 3,
    "actual": 5, "gated": 5, "skipped": 5,   # computes.*
    "actual_reads": 6, "actual_fills": 6, "actual_updates": 6, "gated_reads": 6, "gated_fills": 6,
    "gated_updates": 6, "skipped_reads": 6, "skipped_fills": 6, "skipped_updates": 6,
    "occupancy": 7, "metadata_occupancy": 7, "metadata_reads": 8, "metadata_fills": 8, "metadata_updates": 8,
    "bandwidth_throttle": 9, "cycles": 10, "scalar_accesses": 11, "leakage_pj": 12, "energy_pj": 13,
}


def _upstream_rank(field):
    g = compare.generic_field(field)
    return _UPSTREAM.get(g.split(".")[-1] if g != "level(presence)" else g, 20)


def _reason_class(text):
    import re
    t = text or ""
    t = re.sub(r"level '?[A-Za-z_0-9]+'?", "level X", t)
    t = re.sub(r"couldn't map level [A-Za-z_0-9]+", "couldn't map level X", t)
    t = re.sub(r"\d+", "N", t)
    t = re.sub(r"dataspace name: \w+", "dataspace name: D", t)
    t = re.sub(r"pretiling for \w+required", "pretiling for D required", t)
    t = re.sub(r"align: \w+ \w+", "align: X Y", t)
    return t[:160]


# ----------------------------------------------------------------------------------------
# Modes
# ----------------------------------------------------------------------------------------

SKIPPED = 77  # ctest's SKIP_RETURN_CODE


def main_run(args):
    if not os.access(args.oracle, os.X_OK):
        print("run_diff: reference timeloop-model not found at %s; skipped" % args.oracle)
        return SKIPPED
    scratch = not args.out
    if scratch:
        args.out = tempfile.mkdtemp(prefix="sieve-diff-")
    code = run_pairs(args)
    if scratch:
        if code == 0:
            shutil.rmtree(args.out, ignore_errors=True)
        else:
            print("(results and the files of failing pairs kept in %s)" % args.out)
    return code


def run_pairs(args):
    os.makedirs(args.out, exist_ok=True)
    workroot = os.path.join(args.out, "pairs")
    os.makedirs(workroot, exist_ok=True)
    seeds = list(range(args.seed, args.seed + args.pairs))
    results = [None] * len(seeds)
    corpus = [None] * len(seeds)
    t0 = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as ex:
        futs = {ex.submit(evaluate_pair, args, s, workroot): k for k, s in enumerate(seeds)}
        done = 0
        for fu in concurrent.futures.as_completed(futs):
            k = futs[fu]
            try:
                results[k], corpus[k] = fu.result()
            except Exception as e:  # noqa: BLE001 - a harness bug must not lose the run
                results[k] = {"seed": seeds[k], "features": [], "status": "harness_error", "note": repr(e),
                              "oracle": None, "sieve": None, "mismatches": [], "oracle_invalid_reason": None,
                              "sieve_invalid_reason": None}
            done += 1
            if done % 25 == 0 or done == len(seeds):
                c = collections.Counter(r["status"] for r in results if r)
                sys.stderr.write("[%d/%d %.0fs] %s\n" % (done, len(seeds), time.time() - t0, dict(c)))
    with open(os.path.join(args.out, "results.jsonl"), "w") as f:
        for r in results:
            f.write(json.dumps(r) + "\n")
    if args.record:
        with _open_corpus(args.record, "at") as f:
            for c in corpus:
                if c is not None:
                    f.write(json.dumps(c) + "\n")
    rep = make_report(results, "sieve vs timeloop-model: %d pairs from seed %d" % (args.pairs, args.seed))
    with open(os.path.join(args.out, "report.md"), "w") as f:
        f.write(rep)
    print(rep)
    if args.min_agreement is not None:
        c = collections.Counter(r["status"] for r in results)
        compared = c["agree"] + c["disagree"]
        rate = c["agree"] / compared if compared else 0.0
        print("agreement %.3f on %d compared pairs (gate %.3f); sieve errors %d, harness errors %d"
              % (rate, compared, args.min_agreement, c["sieve_error"], c["harness_error"]))
        if rate < args.min_agreement or c["sieve_error"] or c["harness_error"]:
            return 1
    return 0


def _open_corpus(path, mode):
    return gzip.open(path, mode) if path.endswith(".gz") else open(path, mode)


def main_replay(args):
    recs = []
    with _open_corpus(args.replay, "rt") as f:
        for line in f:
            if line.strip():
                recs.append(json.loads(line))
    tmp = args.out or tempfile.mkdtemp(prefix="sieve-replay-")
    os.makedirs(tmp, exist_ok=True)
    results = []
    bad = 0
    changed = []
    for r in recs:
        d = os.path.join(tmp, str(r["seed"]))
        os.makedirs(d, exist_ok=True)
        for n, text in r["files"].items():
            with open(os.path.join(d, n), "w") as f:
                f.write(text)
        skind, sdict, snote, _ = run_sieve(args.sieve, d, args.timeout)
        if skind == "error":
            status, mm, note = "sieve_error", [], snote
        else:
            mm = compare.compare(r["oracle"], sdict)
            status, note = ("agree" if not mm else "disagree"), ""
        regressed = status != "agree" and (not args.regression or r.get("status") == "agree"
                                              or status == "sieve_error")
        if regressed:
            bad += 1
        else:
            shutil.rmtree(d, ignore_errors=True)
        if status != r.get("status"):
            changed.append((r["seed"], r.get("status"), status))
        results.append({"seed": r["seed"], "features": r["features"], "status": status, "note": note,
                        "oracle": "recorded", "sieve": skind,
                        "oracle_invalid_reason": r["oracle"].get("invalid_reason") if not r["oracle"].get("valid") else None,
                        "sieve_invalid_reason": sdict.get("invalid_reason") if sdict and not sdict.get("valid") else None,
                        "mismatches": [[a, b, c] for a, b, c in mm]})
    c = collections.Counter(r["status"] for r in results)
    print("replayed %d recorded pairs: %s" % (len(recs), dict(c)))
    for s, old, new in changed[:50]:
        print("  seed %s: recorded %s, now %s" % (s, old, new))
    if args.regression:
        print("%d regression(s): recorded agreeing pairs that no longer agree, or sieve errors" % bad)
    if args.out:
        with open(os.path.join(args.out, "results.jsonl"), "w") as f:
            for r in results:
                f.write(json.dumps(r) + "\n")
        rep = make_report(results, "replay of %s" % args.replay)
        with open(os.path.join(args.out, "report.md"), "w") as f:
            f.write(rep)
    elif bad:
        print("(files of failing pairs kept in %s)" % tmp)
    if not bad and not args.out:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if bad else 0


def main_one(args):
    pair = gen.generate(args.one)
    gen.write_pair(pair, args.keep)
    with open(os.path.join(args.keep, "features.txt"), "w") as f:
        f.write(" ".join(pair["features"]) + "\n")
    print("seed %d -> %s" % (args.one, args.keep))
    print("features: " + " ".join(pair["features"]))
    print("oracle: cd %s && %s %s -o oracle_out" % (args.keep, args.oracle, " ".join(FILES)))
    if args.sieve:
        print("sieve:  cd %s && %s model %s -o sieve_out" % (args.keep, args.sieve, " ".join(FILES)))
        okind, odict, onote, _ = run_oracle(args.oracle, args.keep, args.timeout)
        skind, sdict, snote, _ = run_sieve(args.sieve, args.keep, args.timeout)
        status, mm, note = classify(okind, odict, onote, skind, sdict, snote)
        print("status: %s %s" % (status, note))
        if odict and not odict.get("valid"):
            print("oracle: " + odict["invalid_reason"])
        if sdict and not sdict.get("valid"):
            print("sieve:  " + sdict["invalid_reason"])
        for f, o, s in mm:
            print("  %-62s oracle=%s sieve=%s" % (f, _fmt_val(o), _fmt_val(s)))
        return 0 if status == "agree" else 1
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sieve", help="sieve binary")
    ap.add_argument("--oracle", default=DEFAULT_ORACLE, help="timeloop-model binary (default %(default)s)")
    ap.add_argument("--pairs", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", help="output directory")
    ap.add_argument("--record", help="append agreeing and disagreeing pairs to this JSONL corpus")
    ap.add_argument("--replay", help="re-run sieve on a recorded corpus")
    ap.add_argument("--one", type=int, help="regenerate one pair")
    ap.add_argument("--keep", help="directory for --one")
    ap.add_argument("--keep-all", action="store_true", help="keep the files of agreeing pairs too")
    ap.add_argument("--timeout", type=float, default=60.0, help="per tool run, seconds")
    ap.add_argument("--regression", action="store_true",
                    help="with --replay: fail only on recorded-agreeing pairs that no longer agree")
    ap.add_argument("--min-agreement", type=float,
                    help="with a run: exit 1 below this agreement rate or on any sieve error")
    args = ap.parse_args()
    # The tools run inside each pair's directory: make the paths absolute.
    if args.sieve:
        args.sieve = os.path.abspath(args.sieve)
    if args.oracle:
        args.oracle = os.path.abspath(args.oracle)
    if args.one is not None:
        if not args.keep:
            ap.error("--one needs --keep DIR")
        return main_one(args)
    if args.replay:
        if not args.sieve:
            ap.error("--replay needs --sieve")
        return main_replay(args)
    if not args.sieve:
        ap.error("a run needs --sieve")
    return main_run(args)


if __name__ == "__main__":
    sys.exit(main())
