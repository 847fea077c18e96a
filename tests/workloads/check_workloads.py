#!/usr/bin/python3
"""Checks the network files in configs/workloads (see README.md there).

Usage: check_workloads.py [WORKLOADS_DIR]   (default: configs/workloads of this checkout)

For every network file:
  * format: known keys only (no duplicates), names unique, the seven CONV
    dimensions present as positive integers, coefficients positive integers,
    batch N = 1, count >= 1, densities in [0, 1];
  * totals: MACs = sum over layers of count * C*M*R*S*N*P*Q, and the weight
    count sum of count * C*M*R*S, against the published figures in EXPECTED
    (tolerances explained there), plus the exact number of layers;
  * shapes: each layer's input tensor (the previous layer's output, or the
    tensor named in TOPOLOGY for branch points, through the pooling/flatten/
    head split written there) must have the layer's C channels and a width and
    height that P, Q follow from for some padding (0 .. R-1 in total).

Exits 0 when everything passes, 1 on any failure, 77 (skip) when PyYAML is
missing.
"""

import os
import sys

try:
    import yaml
except ImportError:  # pragma: no cover
    print("SKIP: PyYAML not available for", sys.executable)
    sys.exit(77)

DIMS = ("C", "M", "R", "S", "N", "P", "Q")
COEFFICIENTS = ("Wstride", "Hstride", "Wdilation", "Hdilation")
DATA_SPACES = ("Weights", "Inputs", "Outputs")
ROOT_KEYS = {"network"}
NETWORK_KEYS = {"name", "source", "densities", "layers"}
NETWORK_REQUIRED = {"name", "source", "layers"}
LAYER_KEYS = {"name", "instance", "densities", "count"}
LAYER_REQUIRED = {"name", "instance"}

# BERT-base hyperparameters (Devlin et al. 2019) and the sequence length used.
BERT_L, BERT_H, BERT_A, BERT_FF, BERT_SEQ = 12, 768, 12, 3072, 128
BERT_WEIGHTS = BERT_L * (4 * BERT_H * BERT_H + 2 * BERT_H * BERT_FF)
BERT_MACS = BERT_L * (BERT_SEQ * (4 * BERT_H * BERT_H + 2 * BERT_H * BERT_FF)
                      + 2 * BERT_SEQ * BERT_SEQ * BERT_H)

# Published totals. Tolerances:
#  * MACs 1%: the figures are given to 3-4 significant digits (the coarsest,
#    Howard et al.'s "149 M", carries 0.34% of rounding) and all count the same
#    things as the files (convs, shortcuts and FCs; no pooling/BN/bias). 1% is
#    below the share of any one conv stage, so a missing or mis-sized stage
#    fails; a missing single small layer is caught by the exact layer count.
#  * Weights 2%: published parameter counts also hold biases and BN parameters
#    (at most 0.3% for these networks), and MobileNet's "1.3 M" is rounded to
#    two digits (the files' 1.32 M is 1.5% above it).
#  * BERT's figures are the closed forms of the published hyperparameters (no
#    rounding): exact.
# "layers" = layer instances of the network: the sum of counts, except that a
# grouped or depthwise entry (whose count is its groups) is one layer.
EXPECTED = {
    "resnet50": {
        "macs": (4.089e9, 0.01, "torchvision resnet50 (v1.5): 4.089 G multiply-adds"),
        "weights": (25_557_032, 0.02, "torchvision resnet50: 25,557,032 parameters"),
        "layers": (54, "53 convs (49 + 4 projection shortcuts) + fc"),
    },
    "vgg16": {
        "macs": (15.45e9, 0.01, "Han et al. 2015 Table 5: 30.9 G FLOP = 15.45 G MACs"),
        "weights": (138e6, 0.02, "Simonyan & Zisserman 2015 Table 2: 138 M parameters"),
        "layers": (16, "13 convs + 3 FC"),
    },
    "alexnet": {
        "macs": (724.5e6, 0.01, "Han et al. 2015 Table 4: per-layer FLOP sums to 1449 M = 724.5 M MACs"),
        "weights": (61e6, 0.02, "Han et al. 2015 Table 4: 61 M weights"),
        "layers": (8, "5 convs + 3 FC"),
    },
    "mobilenet_v1_0.5": {
        "macs": (149e6, 0.01, "Howard et al. 2017: 0.50 MobileNet-224, 149 M mult-adds"),
        "weights": (1.3e6, 0.02, "Howard et al. 2017: 0.50 MobileNet-224, 1.3 M parameters"),
        "layers": (28, "conv1 + 13 x (dw + pw) + fc"),
    },
    "bert_base": {
        "macs": (BERT_MACS, 0.0, "12 x 128 x (4H^2 + 2H*4H) + 12 x 2 x 128^2 x H, H = 768"),
        "weights": (BERT_WEIGHTS, 0.0, "12 x (4H^2 + 2H*4H): the encoder's projection weights"),
        "layers": (12 * 6 + 12 * 12 * 2, "12 x (6 projections + 12 heads x 2 attention GEMMs)"),
    },
}


# Topology: what the checker needs beyond the files to follow tensors from
# layer to layer.
#   input:    the network input tensor (channels, width, height)
#   rules:    per layer name, how its input tensor is formed when it is not
#             simply the previous layer's output:
#               input_of: X   reads the same tensor as layer X (a branch)
#               from: X       reads layer X's output (a branch)
#               pool: (k, s, pad)  max/avg pool applied first
#               global_pool   width = height = 1
#               flatten       channels *= width * height; width = height = 1
#               split_heads: h  channels /= h  (one attention head)
#               merge_heads: h  channels *= h  (heads concatenated)
#               grouped       count is the number of groups (grouped or
#                             depthwise conv): channels in = C*count, out = M*count
#   weights_are_activations: layers whose Weights data space holds activations
#             (left out of the weight count)
#   repeats:  (first, last, times): layers first..last repeat `times` times in
#             sequence (their counts are multiples of times), so last's output
#             must also fit first's input.
def _mobilenet_rules():
    rules = {"conv_dw%d" % i: {"grouped": True} for i in range(1, 14)}
    rules["fc"] = {"global_pool": True}
    return rules


TOPOLOGY = {
    "resnet50": {
        "input": (3, 224, 224),
        "rules": {
            "res2a_branch2a": {"pool": (3, 2, 1)},
            "res2a_branch1": {"input_of": "res2a_branch2a"},
            "res3a_branch1": {"input_of": "res3a_branch2a"},
            "res4a_branch1": {"input_of": "res4a_branch2a"},
            "res5a_branch1": {"input_of": "res5a_branch2a"},
            "fc": {"global_pool": True},
        },
        "repeats": [
            ("res2b-c_branch2a", "res2b-c_branch2c", 2),
            ("res3b-d_branch2a", "res3b-d_branch2c", 3),
            ("res4b-f_branch2a", "res4b-f_branch2c", 5),
            ("res5b-c_branch2a", "res5b-c_branch2c", 2),
        ],
    },
    "vgg16": {
        "input": (3, 224, 224),
        "rules": {
            "conv2_1": {"pool": (2, 2, 0)},
            "conv3_1": {"pool": (2, 2, 0)},
            "conv4_1": {"pool": (2, 2, 0)},
            "conv5_1": {"pool": (2, 2, 0)},
            "fc6": {"pool": (2, 2, 0), "flatten": True},
        },
    },
    "alexnet": {
        "input": (3, 227, 227),
        "rules": {
            "conv2": {"pool": (3, 2, 0), "grouped": True},
            "conv3": {"pool": (3, 2, 0)},
            "conv4": {"grouped": True},
            "conv5": {"grouped": True},
            "fc6": {"pool": (3, 2, 0), "flatten": True},
        },
    },
    "mobilenet_v1_0.5": {
        "input": (3, 224, 224),
        "rules": _mobilenet_rules(),
    },
    "bert_base": {
        # The layer input X: 768 features x 128 positions (P is the position).
        "input": (BERT_H, BERT_SEQ, 1),
        "rules": {
            "k_proj": {"input_of": "q_proj"},
            "v_proj": {"input_of": "q_proj"},
            "attn_scores": {"from": "q_proj", "split_heads": BERT_A},
            "attn_out": {"merge_heads": BERT_A},
        },
        "weights_are_activations": {"attn_scores", "attn_context"},
        "repeats": [("q_proj", "ffn_down", BERT_L)],
    },
}


class UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that rejects a key given twice in one mapping."""


def _construct_mapping(loader, node, deep=False):
    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, "duplicate key %r (first at line %d)" % (key, seen[key] + 1),
                key_node.start_mark)
        seen[key] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def is_posint(v):
    return isinstance(v, int) and not isinstance(v, bool) and v >= 1


def is_density(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and 0.0 <= v <= 1.0


class Checker:
    def __init__(self, path):
        self.path = path
        self.errors = []

    def err(self, where, msg):
        self.errors.append("%s: %s: %s" % (os.path.basename(self.path), where, msg))

    # ---- format -------------------------------------------------------------
    def check_densities(self, where, dens):
        if not isinstance(dens, dict):
            self.err(where, "densities must be a map, got %r" % (dens,))
            return
        for k, v in dens.items():
            if k not in DATA_SPACES:
                self.err(where, "unknown data space %r in densities (known: %s)" % (k, ", ".join(DATA_SPACES)))
            elif not is_density(v):
                self.err(where, "density %s = %r is not a number in [0, 1]" % (k, v))

    def check_format(self, doc):
        if not isinstance(doc, dict) or set(doc) != ROOT_KEYS:
            self.err("root", "the file must hold exactly one key, 'network'")
            return None
        net = doc["network"]
        if not isinstance(net, dict):
            self.err("network", "must be a map")
            return None
        for k in sorted(set(net) - NETWORK_KEYS):
            self.err("network", "unknown key %r" % k)
        for k in sorted(NETWORK_REQUIRED - set(net)):
            self.err("network", "missing key %r" % k)
        stem = os.path.splitext(os.path.basename(self.path))[0]
        if net.get("name") != stem:
            self.err("network", "name %r does not match the file name %r" % (net.get("name"), stem))
        if not isinstance(net.get("source"), str) or not net.get("source", "").strip():
            self.err("network", "source must be a non-empty string")
        if "densities" in net:
            self.check_densities("network.densities", net["densities"])
            for ds in ("Weights", "Inputs"):
                if ds not in net["densities"]:
                    self.err("network.densities", "give %s (every file states both)" % ds)
        layers = net.get("layers")
        if not isinstance(layers, list) or not layers:
            self.err("network", "layers must be a non-empty list")
            return None
        names = set()
        for idx, layer in enumerate(layers):
            where = "layers[%d]" % idx
            if not isinstance(layer, dict):
                self.err(where, "must be a map")
                continue
            name = layer.get("name")
            if isinstance(name, str) and name:
                where = "layer %s" % name
                if name in names:
                    self.err(where, "name given twice")
                names.add(name)
            else:
                self.err(where, "name must be a non-empty string")
            for k in sorted(set(layer) - LAYER_KEYS):
                self.err(where, "unknown key %r" % k)
            for k in sorted(LAYER_REQUIRED - set(layer)):
                self.err(where, "missing key %r" % k)
            if "count" in layer and not is_posint(layer["count"]):
                self.err(where, "count must be an integer >= 1, got %r" % (layer["count"],))
            if "densities" in layer:
                self.check_densities(where + ".densities", layer["densities"])
                if isinstance(layer["densities"], dict):
                    for ds in ("Weights", "Inputs"):
                        if ds not in layer["densities"]:
                            # A layer's map gives both, so the file reads the same
                            # whether a reader merges it key by key or replaces.
                            self.err(where, "per-layer densities must give both Weights and Inputs")
            inst = layer.get("instance")
            if not isinstance(inst, dict):
                self.err(where, "instance must be a map")
                continue
            for k in inst:
                if k not in DIMS and k not in COEFFICIENTS:
                    self.err(where, "unknown instance key %r (known: %s)" % (k, ", ".join(DIMS + COEFFICIENTS)))
            for d in DIMS:
                if d not in inst:
                    self.err(where, "instance lacks dimension %s" % d)
                elif not is_posint(inst[d]):
                    self.err(where, "%s must be a positive integer, got %r" % (d, inst[d]))
            for c in COEFFICIENTS:
                if c in inst and not is_posint(inst[c]):
                    self.err(where, "%s must be a positive integer, got %r" % (c, inst[c]))
            if inst.get("N") != 1:
                self.err(where, "batch N must be 1, got %r" % (inst.get("N"),))
        return net

    # ---- totals -------------------------------------------------------------
    @staticmethod
    def count(layer):
        return layer.get("count", 1)

    def check_totals(self, net, name, topo, expected):
        macs = weights = instances = 0
        rules = topo.get("rules", {})
        act_w = topo.get("weights_are_activations", set())
        for layer in net["layers"]:
            i, n = layer["instance"], self.count(layer)
            macs += n * i["C"] * i["M"] * i["R"] * i["S"] * i["N"] * i["P"] * i["Q"]
            if layer["name"] not in act_w:
                weights += n * i["C"] * i["M"] * i["R"] * i["S"]
            instances += 1 if rules.get(layer["name"], {}).get("grouped") else n
        rows = []
        for what, got in (("macs", macs), ("weights", weights)):
            want, tol, src = expected[what]
            rel = (got - want) / want
            rows.append((what, got, want, rel, tol, src))
            if abs(rel) > tol + 1e-12:
                self.err("totals", "%s %d is %+.2f%% from the published %s (%s); tolerance %.0f%%"
                         % (what, got, 100 * rel, "{:,}".format(int(want)), src, 100 * tol))
        want_layers, src = expected["layers"]
        if instances != want_layers:
            self.err("totals", "%d layers, expected %d (%s)" % (instances, want_layers, src))
        return macs, weights, instances, rows

    # ---- shapes -------------------------------------------------------------
    def check_shapes(self, net, topo):
        layers = net["layers"]
        by_name = {l["name"]: idx for idx, l in enumerate(layers)}
        rules = topo.get("rules", {})
        broken = False
        for lname, rule in rules.items():
            if lname not in by_name:
                self.err("topology", "rule for %s, which the file does not have" % lname)
                broken = True
            for key in ("input_of", "from"):
                if key in rule and rule[key] not in by_name:
                    self.err("topology", "%s: %s %s is not a layer" % (lname, key, rule[key]))
                    broken = True
        if broken:
            return
        # Depthwise/grouped entries and the grouped rule go together.
        for layer in layers:
            i, grouped = layer["instance"], rules.get(layer["name"], {}).get("grouped", False)
            if i["C"] == 1 and i["M"] == 1 and i["R"] * i["S"] > 1 and not grouped:
                self.err("layer %s" % layer["name"], "C = M = 1 with a filter: a depthwise layer the topology does not mark grouped")
            if grouped and self.count(layer) < 2:
                self.err("layer %s" % layer["name"], "grouped layer with count %d: count is its groups" % self.count(layer))

        def groups(layer):
            return self.count(layer) if rules.get(layer["name"], {}).get("grouped") else 1

        def output(layer):
            i = layer["instance"]
            return (i["M"] * groups(layer), i["P"], i["Q"])

        inputs = {}
        for idx, layer in enumerate(layers):
            name = layer["name"]
            rule = rules.get(name, {})
            if "input_of" in rule:
                src = inputs.get(rule["input_of"])
                if src is None:
                    self.err("layer %s" % name, "input_of %s, which comes later" % rule["input_of"])
                    continue
            elif "from" in rule:
                if by_name[rule["from"]] >= idx:
                    self.err("layer %s" % name, "from %s, which comes later" % rule["from"])
                    continue
                src = output(layers[by_name[rule["from"]]])
            elif idx == 0:
                src = tuple(topo["input"])
            else:
                src = output(layers[idx - 1])
            t = self.transform(name, src, rule)
            if t is None:
                continue
            inputs[name] = t
            self.fit(name, layer, t, groups(layer), "input")
        for first, last, times in topo.get("repeats", []):
            a, b = by_name.get(first), by_name.get(last)
            if a is None or b is None or a > b:
                self.err("topology", "repeat %s..%s: not a layer range" % (first, last))
                continue
            for layer in layers[a:b + 1]:
                if self.count(layer) % times:
                    self.err("layer %s" % layer["name"],
                             "count %d is not a multiple of the %d repeats of %s..%s"
                             % (self.count(layer), times, first, last))
            self.fit(first, layers[a], output(layers[b]), groups(layers[a]),
                     "input when repeated after %s" % last)

    def transform(self, name, t, rule):
        ch, w, h = t
        if "pool" in rule:
            k, s, pad = rule["pool"]
            w, h = (w + 2 * pad - k) // s + 1, (h + 2 * pad - k) // s + 1
        if rule.get("global_pool"):
            w = h = 1
        if rule.get("flatten"):
            ch, w, h = ch * w * h, 1, 1
        if "split_heads" in rule:
            if ch % rule["split_heads"]:
                self.err("layer %s" % name, "%d channels do not split into %d heads" % (ch, rule["split_heads"]))
                return None
            ch //= rule["split_heads"]
        if "merge_heads" in rule:
            ch *= rule["merge_heads"]
        return ch, w, h

    def fit(self, name, layer, t, groups, what):
        i = layer["instance"]
        ch, w, h = t
        if i["C"] * groups != ch:
            self.err("layer %s" % name, "%s has %d channels, the layer reads C%s = %d"
                     % (what, ch, " x %d groups" % groups if groups > 1 else "", i["C"] * groups))
        for axis, size, out, filt, stride, dil in (
                ("width", w, i["P"], i["R"], i.get("Wstride", 1), i.get("Wdilation", 1)),
                ("height", h, i["Q"], i["S"], i.get("Hstride", 1), i.get("Hdilation", 1))):
            span = (filt - 1) * dil + 1
            if not any((size + pad - span) // stride + 1 == out and size + pad >= span
                       for pad in range(span)):
                self.err("layer %s" % name, "%s %s %d cannot give %d outputs with filter %d, stride %d"
                         % (what, axis, size, out, filt, stride))


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    root = argv[1] if len(argv) > 1 else os.path.join(here, "..", "..", "configs", "workloads")
    files = sorted(f for f in os.listdir(root) if f.endswith(".yaml"))
    failures = []
    found = set()
    print("%-18s %7s %16s %16s %8s %14s %8s" % ("network", "layers", "MACs", "published", "diff", "weights", "diff"))
    for f in files:
        path = os.path.join(root, f)
        chk = Checker(path)
        try:
            with open(path) as fh:
                doc = yaml.load(fh, Loader=UniqueKeyLoader)
        except (OSError, yaml.YAMLError) as e:
            failures.append("%s: cannot read: %s" % (f, e))
            continue
        net = chk.check_format(doc)
        name = os.path.splitext(f)[0]
        if net is not None and not chk.errors:
            if name not in EXPECTED:
                chk.err("network", "no published totals for %r in check_workloads.py EXPECTED" % name)
            else:
                found.add(name)
                topo = TOPOLOGY[name]
                macs, weights, n, rows = chk.check_totals(net, name, topo, EXPECTED[name])
                chk.check_shapes(net, topo)
                (_, _, mwant, mrel, _, _), (_, _, _, wrel, _, _) = rows
                print("%-18s %7d %16s %16s %+7.2f%% %14s %+7.2f%%"
                      % (name, n, "{:,}".format(macs), "{:,}".format(int(mwant)), 100 * mrel,
                         "{:,}".format(weights), 100 * wrel))
        failures.extend(chk.errors)
    for name in sorted(set(EXPECTED) - found):
        if not any(fl.startswith(name + ".yaml") for fl in failures):
            failures.append("%s.yaml: missing from %s" % (name, root))
    if failures:
        print("\nFAILED (%d):" % len(failures))
        for fl in failures:
            print("  " + fl)
        return 1
    print("\nall %d networks pass" % len(found))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
