// Private to src/spec/: a small YAML tree that remembers where each value
// came from (file and 1-based line), a cursor that also knows its key path,
// and the section readers that turn the merged tree into spec structs.
//
// Why our own tree: input files are merged at the root before reading, and
// yaml-cpp nodes do not record their file. Converting each file once into
// YNode keeps file/line on every value, so every SpecError and warning can
// point at the exact spot ("file:line: key.path: ...").
//
// Contracts:
//   - Key lookups compare keys with '-' read as '_' (NormalizeKey), so
//     `data-spaces` and `data_spaces` are the same key. Case is significant.
//   - Cursor accessors throw SpecError (via Fail) with the cursor's location
//     when a value has the wrong shape; they never return garbage.
//   - Nothing here writes to stdout/stderr or exits.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sieve/spec/arch.hpp"
#include "sieve/spec/components.hpp"
#include "sieve/spec/constraints.hpp"
#include "sieve/spec/energy_table.hpp"
#include "sieve/spec/error.hpp"
#include "sieve/spec/mapping.hpp"
#include "sieve/spec/sparse.hpp"
#include "sieve/spec/spec.hpp"
#include "sieve/spec/workload.hpp"

namespace sieve::spec::yaml {

struct YEntry;

// One YAML value. Map entries keep file order.
struct YNode {
  enum class Kind { kNull, kScalar, kSeq, kMap };
  Kind kind = Kind::kNull;
  std::string scalar;              // kScalar only
  std::vector<YNode> items;        // kSeq only
  std::vector<YEntry> entries;     // kMap only
  std::shared_ptr<const std::string> file;  // never null after parsing
  int line = 0;                    // 1-based; 0 = unknown
  std::string tag;                 // local tag as written ("!Container"), else ""
};

struct YEntry {
  std::string key;
  int key_line = 0;
  YNode value;
};

// '-' -> '_' (the only normalisation applied to keys).
std::string NormalizeKey(std::string_view key);
// Lower case plus '-' -> '_' (for enumerated values such as "fixed-structured").
std::string NormalizeEnum(std::string_view value);

// Parses one file's text. Throws SpecError (file, line) on YAML syntax errors
// (with a hint for a tab in the indentation or a bracket never closed),
// invalid UTF-8, nesting deeper than 64 levels, an alias inside the value
// it names, and aliases that expand to far more values than the text holds.
YNode ParseYamlText(const std::string& path, const std::string& text);

// Merges `over` into `base`: maps merge key by key (recursively), anything
// else (scalars, sequences, type changes) is replaced by `over`.
void MergeInto(YNode& base, const YNode& over);

// Sets o.key_path in the merged tree `root` to o.value (see Override in
// sieve/spec/spec.hpp); the new value carries o.loc's file and line. Throws
// SpecError at o.loc when the path does not resolve (yaml_override.cpp).
void ApplyOverride(YNode& root, const Override& o);

// Compact one-line rendering of a value (scalars as written, sequences and
// maps in flow style), used for `extra` attribute maps.
std::string FlowText(const YNode& node);

// A value plus its key path, e.g. "architecture.subtree[0].local[2]".
class Cursor {
 public:
  Cursor(const YNode& node, std::string path) : node_(&node), path_(std::move(path)) {}

  const YNode& node() const { return *node_; }
  const std::string& path() const { return path_; }
  SourceLoc Loc() const;
  [[noreturn]] void Fail(const std::string& message) const;

  bool IsNull() const { return node_->kind == YNode::Kind::kNull; }
  bool IsScalar() const { return node_->kind == YNode::Kind::kScalar; }
  bool IsSeq() const { return node_->kind == YNode::Kind::kSeq; }
  bool IsMap() const { return node_->kind == YNode::Kind::kMap; }

  // Map access (null reads as an empty map; any other kind fails).
  std::optional<Cursor> Find(std::string_view key) const;
  // Fails "missing required key", naming a key of this map one or two
  // edits away as a likely misspelling.
  Cursor Need(std::string_view key) const;
  std::vector<std::pair<std::string, Cursor>> Entries() const;

  // Sequence access (null reads as an empty sequence; a scalar fails).
  std::vector<Cursor> Items() const;

  // Scalars. Each fails with "expected ..." when the value does not fit.
  std::string Str() const;
  int64_t Int() const;
  double Num() const;
  bool Bool() const;
  // A sequence of strings; a lone scalar reads as a one-element list.
  std::vector<std::string> StrList() const;

  // Adds "file:line: path: unknown key 'x' ignored" to warnings for every
  // key of this map not in `known` (compared after NormalizeKey).
  void WarnUnknownKeys(std::initializer_list<std::string_view> known,
                       std::vector<std::string>& warnings) const;
  // For sieve's own strict formats (sweeps, networks): the first key not in
  // `known` is a SpecError "file:line: path: unknown key 'x' (valid here: ...)".
  void RejectUnknownKeys(std::initializer_list<std::string_view> known) const;

 private:
  Cursor Child(const YEntry& entry) const;

  const YNode* node_;
  std::string path_;
};

// "PE[0..167]" -> {"PE", 168}; "Buffer" -> {"Buffer", 1}. Fails on a
// malformed range (b < a, not numbers).
struct RangedName {
  std::string base;
  int64_t count = 1;
};
RangedName SplitRangedName(const std::string& name, const Cursor& where);

// Last dotted component without its [..] range, bracket aware:
// "eyeriss.PE[0..167].MACs" -> "MACs", "sys.GLB[1..16]" -> "GLB".
std::string ShortComponentName(const std::string& dotted);

// Splits `text` into dimension indices by greedy longest match against
// w.dim_names, skipping whitespace: "QRSC" -> Q,R,S,C; with dimensions K and
// KS, "KSK" -> KS,K. Fails at `where` on text that starts no dimension name
// ("unknown dimension at 'Z' in <field> '<text>'"). Duplicates are allowed
// here; callers check them.
std::vector<int> MatchDimNames(const std::string& text, const Workload& w, const Cursor& where,
                               std::string_view field);

// Data-space names (a list, or a single name) -> indices in w.data_spaces.
// Fails at the offending item on an unknown name.
std::vector<int> DataSpaceIndices(const Cursor& names, const Workload& w);

// ---- Section readers (one per yaml_*.cpp) --------------------------------

// problem -> Workload (yaml_workload.cpp).
Workload ReadWorkload(const Cursor& problem, std::vector<std::string>& warnings);

// True when a component of this class (and subclass, "" if none) is
// arithmetic rather than storage, by the rules ReadArch uses (yaml_arch.cpp).
bool IsComputeComponent(const std::string& cls, const std::string& subclass);

// The v0.4 front-end form (yaml_nodes.cpp). When root.architecture has a
// `nodes` list, rewrites `root` in place into the lowered form the other
// readers take, as timeloopfe lowers it: one `system_top_level` container
// whose local list holds every component (name[1..N], N the product of the
// spatial fan-outs above it, meshX/meshY their cumulative mesh, container
// attributes and evaluated `variables` copied down), an
// `inter_<container>_spatial` dummy_storage level above each container
// with a fan-out > 1, inline `constraints` and `extra_mapping_constraints`
// merged per level into `architecture_constraints.targets`, inline
// `sparse_optimizations` into `sparse_optimizations.targets`, and targets
// naming a spatial container renamed to its dummy level. Attribute values
// that are expressions over variables and attributes are evaluated. Does
// nothing for other forms. Throws SpecError at the offending node.
void LowerFrontEnd(YNode& root, const Workload& workload, std::vector<std::string>& warnings);

// architecture -> Arch, levels innermost first (yaml_arch.cpp).
Arch ReadArch(const Cursor& architecture, std::vector<std::string>& warnings);

// mapping -> Mapping, validated against workload and arch (yaml_mapping.cpp).
Mapping ReadMapping(const Cursor& mapping, const Workload& workload, const Arch& arch,
                    std::vector<std::string>& warnings);

// sparse_optimizations -> SparseOptimizations (yaml_sparse.cpp).
SparseOptimizations ReadSparse(const Cursor& sparse, const Workload& workload, const Arch& arch,
                               std::vector<std::string>& warnings);

// ERT / ART (yaml_tables.cpp).
EnergyTable ReadErt(const Cursor& ert, std::vector<std::string>& warnings);
AreaTable ReadArt(const Cursor& art, std::vector<std::string>& warnings);

// architecture_constraints / mapspace_constraints / constraints sections, in
// the order given (later directives override earlier ones for the same
// level), -> one Constraints indexed like arch.levels (yaml_constraints.cpp).
Constraints ReadConstraints(const std::vector<Cursor>& sections, const Workload& workload, const Arch& arch,
                            std::vector<std::string>& warnings);

// compound_components / components (a map with `classes`, or the list
// itself) -> classes in file order (yaml_components.cpp).
std::vector<CompoundClass> ReadCompoundClasses(const Cursor& section, std::vector<std::string>& warnings);

// mapper -> MapperSpec (yaml_constraints.cpp).
MapperSpec ReadMapper(const Cursor& mapper, std::vector<std::string>& warnings);

}  // namespace sieve::spec::yaml
