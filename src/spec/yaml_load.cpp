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
    "extra_mapping_constraints",
    // known, not used:
    "mapspace", "globals",
    "compound_components", "components", "variables", "dumped_by_timeloop_front_end", "ERT_summary",
    "ART_summary", "model", "includes"};

// Root sections whose `classes` lists several files extend rather than
// replace (one compound component class per file is common).
bool IsClassListSection(const std::string& key) { return key == "compound_components" || key == "components"; }

void AppendClasses(yaml::YNode& root, const yaml::YNode& doc) {
  for (const yaml::YEntry& e : doc.entries) {
    const std::string key = yaml::NormalizeKey(e.key);
    if (!IsClassListSection(key)) continue;
    for (yaml::YEntry& mine : root.entries) {
      if (yaml::NormalizeKey(mine.key) != key) continue;
      auto classes = [](yaml::YNode& n) -> yaml::YNode* {
        if (n.kind == yaml::YNode::Kind::kSeq) return &n;
        for (yaml::YEntry& c : n.entries)
          if (c.key == "classes" && c.value.kind == yaml::YNode::Kind::kSeq) return &c.value;
        return nullptr;
      };
      yaml::YNode copy = e.value;
      yaml::YNode* from = classes(copy);
      yaml::YNode* into = classes(mine.value);
      if (from != nullptr && into != nullptr) {
        for (yaml::YNode& item : from->items) into->items.push_back(std::move(item));
        from->items.clear();
      }
    }
  }
}

std::string JoinPaths(const std::vector<InputFile>& files) {
  std::string out;
  for (const InputFile& f : files) out += (out.empty() ? "" : ", ") + f.path;
  return out;
}

}  // namespace

InputFile ReadInputFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw SpecError(SourceLoc{path, 0, ""}, "cannot open file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw SpecError(SourceLoc{path, 0, ""}, "cannot read file");
  return InputFile{path, text.str()};
}

Spec LoadSpecFromTexts(const std::vector<InputFile>& files) { return LoadSpecFromTexts(files, {}); }

Spec LoadSpecFromTexts(const std::vector<InputFile>& files, const std::vector<Override>& overrides) {
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
  std::string empty_files;  // for the message on a missing section
  for (const InputFile& f : files) {
    YNode doc = yaml::ParseYamlText(f.path, f.text);
    if (doc.kind == YNode::Kind::kNull) {
      spec.warnings.push_back(f.path + ": empty file ignored");
      empty_files += (empty_files.empty() ? "" : ", ") + f.path;
      continue;
    }
    if (doc.kind != YNode::Kind::kMap)
      throw SpecError(SourceLoc{f.path, doc.line, ""},
                      "expected a map of sections (architecture, problem, mapping, ...) at the top level");
    if (f.mapping_as_constraints) {
      for (yaml::YEntry& e : doc.entries)
        if (yaml::NormalizeKey(e.key) == "mapping") e.key = "extra_mapping_constraints";
    }
    // sieve merges a repeated root map into the earlier one; timeloop-model
    // joins its inputs as text and keeps only the first, so such a file
    // means something else to it: say so, since results then differ.
    for (const yaml::YEntry& e : doc.entries) {
      const std::string key = yaml::NormalizeKey(e.key);
      auto seen = std::find_if(first_root.begin(), first_root.end(),
                               [&](const auto& p) { return p.first == key; });
      if (seen == first_root.end()) {
        first_root.emplace_back(key, f.path);
      } else if (seen->second != f.path && !IsClassListSection(key)) {
        spec.warnings.push_back(f.path + ":" + std::to_string(e.key_line) + ": root key '" + e.key +
                                "' also given in " + seen->second +
                                ": sieve merges the two, but timeloop-model keeps only the "
                                "first and ignores this one");
      }
    }
    // Class lists from several files are concatenated before the merge
    // (which would replace them); the merge then sees them emptied.
    AppendClasses(root, doc);
    for (yaml::YEntry& e : doc.entries) {
      if (!IsClassListSection(yaml::NormalizeKey(e.key))) continue;
      for (const yaml::YEntry& mine : root.entries)
        if (yaml::NormalizeKey(mine.key) == yaml::NormalizeKey(e.key)) e.value = mine.value;
    }
    yaml::MergeInto(root, doc);
  }
  for (const Override& o : overrides) yaml::ApplyOverride(root, o);
  spec.overrides = overrides;

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

  // The warnings are lost when loading fails, so an empty file (the
  // likeliest reason for a missing section) is named here too.
  auto missing = [&files, &empty_files](const std::string& section) {
    return SpecError(SourceLoc{JoinPaths(files), 0, section},
                     "missing required section '" + section + "' (none of the input files has it" +
                         (empty_files.empty() ? "" : "; empty: " + empty_files) + ")");
  };
  const std::optional<Cursor> problem = rc.Find("problem");
  if (!problem || problem->IsNull()) throw missing("problem");
  if (auto a = rc.Find("architecture"); !a || a->IsNull()) throw missing("architecture");

  spec.workload = yaml::ReadWorkload(*problem, spec.warnings);
  // The v0.4 `nodes` form is rewritten into the lowered one in place;
  // cursors into the tree are taken again afterwards.
  yaml::LowerFrontEnd(root, spec.workload, spec.warnings);
  spec.arch = yaml::ReadArch(*rc.Find("architecture"), spec.warnings);
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
  for (std::string_view key : {"compound_components", "components"})
    if (auto c = rc.Find(key); c && !c->IsNull()) {
      std::vector<CompoundClass> classes = yaml::ReadCompoundClasses(*c, spec.warnings);
      spec.compound_classes.insert(spec.compound_classes.end(), classes.begin(), classes.end());
    }
  if (auto m = rc.Find("mapper")) spec.mapper = yaml::ReadMapper(*m, spec.warnings);
  return spec;
}

namespace {


}  // namespace

std::vector<InputFile> DesignDirectoryInputs(const std::string& dir) {
  namespace fs = std::filesystem;
  const fs::path design(dir);
  std::error_code ec;
  if (!fs::is_regular_file(design / "arch.yaml", ec))
    throw SpecError(SourceLoc{dir, 0, ""},
                    "is a directory without arch.yaml; give YAML files, or a v0.4 design directory "
                    "(arch.yaml, optional problem.yaml and mapping.yaml)");
  // Nearest `name` folder in the design directory or an ancestor.
  auto shared_folder = [&](const char* name) -> std::optional<fs::path> {
    fs::path at = fs::absolute(design, ec);
    for (int up = 0; up < 8 && !at.empty(); ++up) {
      if (fs::is_directory(at / name, ec)) return at / name;
      if (at == at.parent_path()) break;
      at = at.parent_path();
    }
    return std::nullopt;
  };
  const std::optional<fs::path> include = shared_folder("_include");
  const std::optional<fs::path> components = shared_folder("_components");

  std::vector<InputFile> files;
  files.push_back(ReadInputFile((design / "arch.yaml").string()));
  if (fs::is_regular_file(design / "problem.yaml", ec)) {
    files.push_back(ReadInputFile((design / "problem.yaml").string()));
  } else if (include && fs::is_regular_file(*include / "default_problem.yaml", ec)) {
    files.push_back(ReadInputFile((*include / "default_problem.yaml").string()));
  }
  if (fs::is_regular_file(design / "mapping.yaml", ec)) {
    files.push_back(ReadInputFile((design / "mapping.yaml").string()));
    files.back().mapping_as_constraints = true;
  }
  if (include && fs::is_regular_file(*include / "mapper.yaml", ec))
    files.push_back(ReadInputFile((*include / "mapper.yaml").string()));
  if (components) {
    std::vector<std::string> paths;
    for (const auto& e : fs::directory_iterator(*components, ec))
      if (e.path().extension() == ".yaml") paths.push_back(e.path().string());
    std::sort(paths.begin(), paths.end());
    for (const std::string& p : paths) files.push_back(ReadInputFile(p));
  }
  files.push_back(InputFile{(design / "(design directory defaults)").string(),
                            "variables:\n  global_cycle_seconds: 1e-9\n"});
  return files;
}

Spec LoadSpec(const std::vector<std::string>& paths) {
  std::vector<InputFile> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      for (InputFile& f : DesignDirectoryInputs(path)) files.push_back(std::move(f));
      continue;
    }
    const std::string ext = std::filesystem::path(path).extension().string();
    if (ext == ".jinja2" || ext == ".j2" || ext == ".jinja")
      throw SpecError(SourceLoc{path, 0, ""},
                      "is a Jinja2 template, which sieve does not render: give the design directory "
                      "instead (arch.yaml, problem.yaml, mapping.yaml, with _include/ and _components/ "
                      "beside it or above), or render the template with Jinja2 and give the result");
    files.push_back(ReadInputFile(path));
  }
  return LoadSpecFromTexts(files);
}

}  // namespace sieve::spec
