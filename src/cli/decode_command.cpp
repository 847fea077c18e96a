// `sieve decode FILES... --id MAPPING_ID [-o map.yaml]`: the Timeloop
// map.yaml of one mapping of a search's mapspace, from its mapping id (the
// `mapping_id` of /pareto, /best or /evaluations). FILES are the inputs the
// search was given (the mapspace is rebuilt from them, constraints
// included), or the search's RESULT.h5 alone, whose input_yaml attribute
// holds them. The map.yaml goes to stdout, or to the file -o names.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cli/cli_io.hpp"
#include "cli/commands.hpp"
#include "search/config_hash.hpp"
#include "search/mapspace.hpp"
#include "search/results_writer.hpp"
#include "sieve/report/map_yaml.hpp"
#include "sieve/spec/error.hpp"
#include "sieve/spec/load.hpp"

namespace sieve::cli {
namespace {

namespace fs = std::filesystem;

struct DecodeOptions {
  std::vector<std::string> files;
  std::string id;
  std::string out_path;  // "" = stdout
};

bool IsHdf5File(const std::string& path) {
  static constexpr char kSignature[8] = {'\x89', 'H', 'D', 'F', '\r', '\n', '\x1a', '\n'};
  std::ifstream in(path, std::ios::binary);
  char head[8] = {};
  return in.read(head, sizeof head) && std::equal(head, head + 8, kSignature);
}

// The inverse of search::InputsText: files start at "# file: PATH" lines.
std::vector<spec::InputFile> SplitInputsText(const std::string& all) {
  static const std::string kMarker = "# file: ";
  std::vector<spec::InputFile> files;
  size_t pos = 0;
  while (pos < all.size()) {
    size_t end = all.find('\n', pos);
    end = end == std::string::npos ? all.size() : end + 1;
    const std::string line = all.substr(pos, end - pos);
    if (line.compare(0, kMarker.size(), kMarker) == 0) {
      std::string path = line.substr(kMarker.size());
      if (!path.empty() && path.back() == '\n') path.pop_back();
      files.push_back(spec::InputFile{path, "", false});
    } else if (!files.empty()) {
      files.back().text += line;
    }
    pos = end;
  }
  return files;
}

// The input files of the search that wrote RESULT.h5. input_yaml joins
// them with marker lines and ends each with a newline, and does not say
// which was a design directory's mapping.yaml: the texts are checked
// against config_sha256 (trying each text without the newline InputsText
// may have added), the flag is inferred from DesignDirectoryInputs' layout,
// and the rebuilt mapspace must have the stored mapspace_size, so another
// mapspace is refused rather than decoded into a wrong mapping.
spec::Spec LoadStoredInputs(const std::string& path, std::string& stored_size) {
  const spec::SourceLoc at{path, 0, ""};
  std::vector<std::string> attrs;
  try {
    attrs = search::ReadResultAttributes(path, {"input_yaml", "config_sha256", "mapspace_size"});
  } catch (const std::exception& e) {
    throw spec::SpecError(at, std::string("is not a readable sieve search result: ") + e.what());
  }
  std::vector<spec::InputFile> files = SplitInputsText(attrs[0]);
  if (files.empty()) throw spec::SpecError(at, "holds no input files in its input_yaml attribute");

  std::vector<size_t> trimmable;  // texts whose last newline InputsText may have added
  for (size_t i = 0; i < files.size(); ++i)
    if (!files[i].text.empty() && files[i].text.back() == '\n') trimmable.push_back(i);
  bool matched = false;
  const size_t tries = trimmable.size() <= 12 ? size_t{1} << trimmable.size() : 1;
  for (size_t mask = 0; mask < tries && !matched; ++mask) {
    std::vector<spec::InputFile> candidate = files;
    for (size_t b = 0; b < trimmable.size() && b < 12; ++b)
      if (mask >> b & 1) candidate[trimmable[b]].text.pop_back();
    if (search::ConfigSha256(candidate) == attrs[1]) {
      files = std::move(candidate);
      matched = true;
    }
  }
  if (!matched) {
    throw spec::SpecError(at,
                          "its input_yaml attribute cannot be split back into the input files it "
                          "hashes to (config_sha256): give the search's input FILES instead");
  }

  std::set<std::string> paths;
  for (const spec::InputFile& f : files) paths.insert(f.path);
  for (spec::InputFile& f : files) {
    const fs::path p(f.path);
    const fs::path dir = p.parent_path();
    f.mapping_as_constraints = p.filename() == "mapping.yaml" && paths.count((dir / "arch.yaml").string()) &&
                               paths.count((dir / "(design directory defaults)").string());
  }
  spec::Spec spec = spec::LoadSpecFromTexts(files);
  for (const std::string& w : spec.warnings) spdlog::warn("{}", w);
  stored_size = attrs[2];
  return spec;
}

int RunDecode(const DecodeOptions& opt) {
  if (!opt.out_path.empty()) CheckOutputFile(opt.out_path, "-o");
  std::string stored_size;
  const bool from_result =
      opt.files.size() == 1 && fs::is_regular_file(opt.files[0]) && IsHdf5File(opt.files[0]);
  const spec::Spec spec = from_result ? LoadStoredInputs(opt.files[0], stored_size) : LoadInputs(opt.files);
  const search::Mapspace space(spec);
  if (from_result && space.SizeText() != stored_size) {
    throw spec::SpecError(spec::SourceLoc{opt.files[0], 0, ""},
                          "its inputs give a mapspace of size " + space.SizeText() + ", not the stored " +
                              stored_size + ": give the search's input FILES instead");
  }
  search::Choice choice;
  if (!space.ParseId(opt.id, choice)) {
    throw spec::SpecError("--id: '" + opt.id + "' is not a mapping id of this mapspace (" +
                          (space.Size() < 1.0e38 ? "a decimal number below its size " + space.SizeText()
                                                 : "for a space of " + space.SizeText() +
                                                       " mappings, sub-indices f.../p.../y.../k...") +
                          ")");
  }
  spec::Mapping mapping;
  space.Prepare(mapping);
  space.Decode(choice, mapping);
  if (space.ViolatesUtilization(mapping)) {
    spdlog::warn(
        "mapping {} breaks a utilization constraint's min: the search counts it invalid (constraint)",
        opt.id);
  }
  const std::string yaml = report::MappingYaml(spec.workload, spec.arch, mapping);
  if (opt.out_path.empty()) {
    std::cout << yaml;
  } else {
    WriteTextFile(opt.out_path, yaml);
  }
  return kExitOk;
}

}  // namespace

void AddDecodeCommand(CLI::App& app, std::function<int()>* run) {
  auto opt = std::make_shared<DecodeOptions>();
  CLI::App* cmd = app.add_subcommand("decode", "Write the map.yaml of a mapping id of a search's mapspace");
  cmd->add_option("files", opt->files,
                  "The search's YAML inputs (as for `sieve search`), or its RESULT.h5 alone")
      ->required();
  cmd->add_option("--id", opt->id, "Mapping id (decimal mapping_id of /pareto, /best or /evaluations)")
      ->required();
  cmd->add_option("-o,--output", opt->out_path, "map.yaml file to write (default: stdout)");
  cmd->callback([run, opt] { *run = [opt] { return RunDecode(*opt); }; });
}

}  // namespace sieve::cli
