// Reader of Timeloop/Sparseloop text stats (`timeloop-model.stats.txt`, and the
// golden cases' `ref.stats.txt`), for tests that compare sieve's figures with the
// published ones. Test-only code: it is not part of the sieve libraries.
//
// What is read (everything else, e.g. the MAPPING loop nests and the Networks
// section, is skipped):
//
//   Buffer and Arithmetic Levels
//     "Level N" + "=== name ===" start a RefLevel.
//     SPECS lines   -> RefLevel::specs       ("Size", "Instances", "Vector access energy", ...)
//     STATS lines   -> RefLevel::stats       when they are level-wide: "Cycles",
//                      "Bandwidth throttling"; for the arithmetic level (Level 0) every
//                      STATS line: "Computes (total)", "Cycles", "Energy (total)", and in
//                      sparse files "Algorithmic/Actual/Gated/Skipped Computes (total)",
//                      "Utilized instances (max)", ...
//     "Weights:" etc. under STATS -> RefLevel::data_spaces["Weights"], its lines -> fields.
//
//   Operational Intensity Stats
//     "=== name ===" + "Total scalar accesses : N"  -> RefStats::total_scalar_accesses[name]
//     "=== name ===" + "Op per Byte : x"            -> RefStats::op_per_byte[name]
//     the lines before the first "=== name ==="    -> RefStats::operational_intensity
//                                                     ("Total ops", "Optimal Op per Byte", ...)
//
//   Summary Stats
//     "Key: value" lines -> RefStats::summary ("GFLOPs (@1GHz)", "Utilization", "Cycles",
//                           "Energy", "EDP(J*cycle)", "Area") and the scalar members.
//     "Computes = N", "Algorithmic Computes = N", "Actual Computes = N" -> summary under
//                           "Computes", "Algorithmic Computes", "Actual Computes".
//     "fJ/Compute" block             -> fj_per_compute (dense files: per compute; sparse
//                                       files: per ACTUAL compute)
//     "fJ/Algorithmic-Compute" block -> fj_per_algorithmic_compute (sparse files only)
//
// Keys are the text left of the first ':' with surrounding blanks removed, exactly as
// printed, e.g. "Scalar reads (per-instance)".
//
// Values: the leading number of the text right of ':' ("0.43 pJ" -> 0.43,
// "100.00%" -> 100, "1.06 words/cycle" -> 1.06, "168 (14*12)" -> 168, "5.10e+00" -> 5.1).
// A value of "-" (or nothing) is absent: the key is not stored. A value that is not a
// number ("fixed_structured", "uop cp") goes to the `text` map of the same scope instead.
//
// Nested lines (sparse files). Inside a data space, a line indented deeper than the
// line before it belongs to that line; its key is prefixed with the parent's key path,
// joined by '/'. Lines of the form "Label (a, b): (x, y)" store one value per name:
// "<prefix>/Label/a" = x and "<prefix>/Label/b" = y. So, for
//
//       Actual scalar format reads (per-instance)
//           Rank 1 (metadata, payload): (0,  18)
//           Rank 0 (metadata, payload): (64,  0)
//       Average Read Bandwidth (per-instance) : 1.64 words/cycle
//           Breakdown (Data, Format): (-38.05%, 39.05%)
//
// the fields are
//
//   "Actual scalar format reads (per-instance)/Rank 1/metadata"   = 0
//   "Actual scalar format reads (per-instance)/Rank 1/payload"    = 18
//   "Actual scalar format reads (per-instance)/Rank 0/metadata"   = 64
//   "Actual scalar format reads (per-instance)/Rank 0/payload"    = 0
//   "Average Read Bandwidth (per-instance)"                       = 1.64
//   "Average Read Bandwidth (per-instance)/Breakdown/Data"        = -38.05
//   "Average Read Bandwidth (per-instance)/Breakdown/Format"      = 39.05
//
// ("Max utilized Repr format storage capacity/Rank 0/metadata" likewise.) The
// actual/gated/skipped split of sparse files is printed flat ("Actual scalar reads
// (per-instance)", "Gated scalar reads (per-instance)", ...), so those keys need no
// prefix. A format-access line that is printed as a plain number (": 0") keeps its
// plain key.
//
// Absent scalars of RefStats (cycles, energy_uj, ...) are NaN.
//
// Precision: figures are as printed. Summary "Energy" is in uJ with 2 decimals, so it
// is 0.00 for small cases; sum the levels' "Energy (total)" (pJ) when precision matters.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace sieve::testing {

struct RefDataSpace {
  std::map<std::string, double> fields;       // numeric lines, key path as described above
  std::map<std::string, std::string> text;    // non-numeric lines, e.g. "Representation format"
};

struct RefLevel {
  int index = -1;                             // N of "Level N" (hidden levels are not printed)
  std::string name;                           // from "=== name ==="
  std::map<std::string, double> specs;        // SPECS lines
  std::map<std::string, double> stats;        // level-wide STATS lines (all STATS lines at Level 0)
  std::map<std::string, RefDataSpace> data_spaces;  // by data-space name ("Weights", "A", ...)
  std::map<std::string, std::string> text;    // non-numeric SPECS/STATS lines ("Technology")

  // The data space, or nullptr when the level does not list it.
  const RefDataSpace* DataSpace(const std::string& ds) const;
};

struct RefStats {
  std::vector<RefLevel> levels;                            // in file order (Level 0 first)
  std::map<std::string, double> total_scalar_accesses;     // by level name
  std::map<std::string, double> op_per_byte;               // by level name
  std::map<std::string, double> operational_intensity;     // "Total ops", ...
  std::map<std::string, double> fj_per_compute;            // by component name, plus "Total"
  std::map<std::string, double> fj_per_algorithmic_compute;  // sparse files only
  double cycles;           // Summary "Cycles"
  double energy_uj;        // Summary "Energy" (uJ, 2 decimals as printed)
  double utilization_pct;  // Summary "Utilization" (percent, e.g. 75.0)
  double gflops;           // Summary "GFLOPs (@1GHz)"
  double edp;              // Summary "EDP(J*cycle)"
  double computes;         // "Computes = N" (dense) or "Actual Computes = N" (sparse)
  std::map<std::string, double> summary;  // every Summary Stats figure, keys as printed

  RefStats();

  // The level with this name (as in "=== name ==="), or nullptr.
  const RefLevel* Level(const std::string& name) const;
};

// Parses the stats file at `path`. Throws std::runtime_error naming the path when the
// file cannot be read or holds neither levels nor summary stats.
RefStats ParseRefStats(const std::string& path);

// Same, from the file's text; `origin` names it in error messages.
RefStats ParseRefStatsText(const std::string& text, const std::string& origin = "<text>");

}  // namespace sieve::testing
