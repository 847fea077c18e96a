// LoadSpec / LoadSpecFromTexts (see load.hpp).
//
// Each file is parsed on its own (so syntax errors name the right file and
// line), then the root maps are merged in order: later files add root keys,
// maps with the same key merge recursively, scalars and lists (e.g. a later
// `mapping`) replace. The merged tree is read section by section:
// problem -> Workload, architecture -> Arch, mapping (optional) -> Mapping,
// sparse_optimizations, ERT, ART, then architecture_constraints +
// mapspace_constraints + constraints (merged, in that order) -> Constraints
// and mapper -> MapperSpec. Unknown root keys produce warnings.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sieve/spec/load.hpp"
#include "spec/yaml_node.hpp"

namespace sieve::spec {
namespace {

// Root keys we read, and root keys we know and ignore (for now).
constexpr std::string_view kRootKeys[] = {
    "architecture", "problem", "mapping", "sparse_optimizations", "ERT", "ART",
    "architecture_constraints", "mapspace_constraints", "constraints", "mapper",
    // known, not used:
    "mapspace", "globals",
    "compound_components", "components", "variables", "dumped_by_timeloop_front_end", "ERT_summary",
    "ART_summary", "model", "includes"};

std::string JoinPaths(const std::vector<InputFile>& files) {
  std::string out;
  for (const InputFile& f : files) out += (out.empty() ? "" : ", ") + f.path;
  return out;
}

}  // namespace

Spec LoadSpecFromTexts(const std::vector<InputFile>& files) {
  using yaml::Cursor;
  using yaml::YNode;
  if (files.empty()) throw SpecError("no input files given");

  Spec spec;
  spec.inputs = files;
  YNode root;
  root.kind = YNode::Kind::kMap;
  root.file = std::make_shared<const std::string>(files.front().path);
  root.line = 1;
  // Root keys seen so far, with the file that gave them first.
  std::vector<std::pair<std::string, std::string>> first_root;
  for (const InputFile& f : files) {
    YNode doc = yaml::ParseYamlText(f.path, f.text);
    if (doc.kind == YNode::Kind::kNull) {
      spec.warnings.push_back(f.path + ": empty file ignored");
      continue;
    }
    if (doc.kind != YNode::Kind::kMap)
      throw SpecError(SourceLoc{f.path, doc.line, ""},
                      "expected a map of sections (architecture, problem, mapping, ...) at the top level");
    // sieve merges a repeated root map into the earlier one; timeloop-model
    // joins its inputs as text and keeps only the first, so such a file
    // means something else to it: say so, since results then differ.
    for (const yaml::YEntry& e : doc.entries) {
      const std::string key = yaml::NormalizeKey(e.key);
      auto seen = std::find_if(first_root.begin(), first_root.end(),
                               [&](const auto& p) { return p.first == key; });
      if (seen == first_root.end()) {
        first_root.emplace_back(key, f.path);
      } else if (seen->second != f.path) {
        spec.warnings.push_back(f.path + ":" + std::to_string(e.key_line) + ": root key '" + e.key +
                                "' also given in " + seen->second +
                                ": sieve merges the two, but timeloop-model keeps only the "
                                "first and ignores this one");
      }
    }
    yaml::MergeInto(root, doc);
  }

  const Cursor rc(root, "");
  for (const auto& [key, value] : rc.Entries()) {
    bool known = false;
    for (std::string_view k : kRootKeys)
      if (yaml::NormalizeKey(k) == yaml::NormalizeKey(key)) known = true;
    if (!known) {
      const SourceLoc loc{value.node().file ? *value.node().file : std::string(), value.node().line, ""};
      spec.warnings.push_back(FormatLoc(loc) + ": unknown top-level key '" + key + "' ignored");
    }
  }

  auto missing = [&files](const std::string& section) {
    return SpecError(SourceLoc{JoinPaths(files), 0, section},
                     "missing required section '" + section + "' (none of the input files has it)");
  };
  const std::optional<Cursor> problem = rc.Find("problem");
  if (!problem || problem->IsNull()) throw missing("problem");
  const std::optional<Cursor> architecture = rc.Find("architecture");
  if (!architecture || architecture->IsNull()) throw missing("architecture");

  spec.workload = yaml::ReadWorkload(*problem, spec.warnings);
  spec.arch = yaml::ReadArch(*architecture, spec.warnings);
  // `mapping: []` (as timeloop-mapper dumps it) means "no mapping".
  if (auto m = rc.Find("mapping"); m && !m->IsNull() && !(m->IsSeq() && m->node().items.empty()))
    spec.mapping = yaml::ReadMapping(*m, spec.workload, spec.arch, spec.warnings);
  if (auto s = rc.Find("sparse_optimizations"))
    spec.sparse = yaml::ReadSparse(*s, spec.workload, spec.arch, spec.warnings);
  if (auto e = rc.Find("ERT")) spec.ert = yaml::ReadErt(*e, spec.warnings);
  if (auto a = rc.Find("ART")) spec.art = yaml::ReadArt(*a, spec.warnings);
  std::vector<Cursor> constraint_sections;
  for (std::string_view key : {"architecture_constraints", "mapspace_constraints", "constraints"})
    if (auto c = rc.Find(key)) constraint_sections.push_back(*c);
  spec.constraints = yaml::ReadConstraints(constraint_sections, spec.workload, spec.arch, spec.warnings);
  if (auto m = rc.Find("mapper")) spec.mapper = yaml::ReadMapper(*m, spec.warnings);
  return spec;
}

Spec LoadSpec(const std::vector<std::string>& paths) {
  std::vector<InputFile> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
      throw SpecError(SourceLoc{path, 0, ""}, "is a directory; expected a YAML file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw SpecError(SourceLoc{path, 0, ""}, "cannot open file");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw SpecError(SourceLoc{path, 0, ""}, "cannot read file");
    files.push_back(InputFile{path, text.str()});
  }
  return LoadSpecFromTexts(files);
}

}  // namespace sieve::spec
