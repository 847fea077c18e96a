// Data files for the actual-data density model: path resolution, Matrix
// Market coordinate files and MICRO'22 0/1 mask files (see tensor_file.hpp;
// SEMANTICS "Density models": masks are row-major, channel fastest, and
// their data_file_path names the authors' folders, so it is resolved next
// to the YAML).
#include "sparse/tensor_file.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

namespace sieve::sparse {
namespace fs = std::filesystem;
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string ShapeText(const std::vector<int64_t>& shape) {
  std::string out;
  for (int64_t x : shape) out += (out.empty() ? "" : " x ") + std::to_string(x);
  return "[" + out + "]";
}

std::vector<int64_t> Squeeze(const std::vector<int64_t>& shape) {
  std::vector<int64_t> out;
  for (int64_t x : shape) {
    if (x != 1) out.push_back(x);
  }
  return out;
}

int64_t Product(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t x : shape) n *= x;
  return n;
}

std::vector<int64_t> ReadMask(std::istream& in, const std::string& file,
                              const std::vector<int64_t>& extent, const spec::SourceLoc& loc) {
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<int64_t> nonzeros;
  int64_t index = 0;
  for (char c : text) {
    if (c == '1') nonzeros.push_back(index);
    if (c == '0' || c == '1') {
      ++index;
    } else if (!std::isspace(static_cast<unsigned char>(c))) {
      throw spec::SpecError(loc, "mask file " + file + ": unexpected character '" +
                                     std::string(1, c) + "' after " + std::to_string(index) +
                                     " mask entries (expected only 0 and 1)");
    }
  }
  const int64_t size = Product(extent);
  if (index != size) {
    throw spec::SpecError(loc, "mask file " + file + " has " + std::to_string(index) +
                                   " entries but the tensor " + ShapeText(extent) + " has " +
                                   std::to_string(size) + " points");
  }
  return nonzeros;
}

std::vector<int64_t> ReadMatrixMarket(std::istream& in, const std::string& file,
                                      const std::vector<int64_t>& extent,
                                      const spec::SourceLoc& loc) {
  std::string line;
  std::getline(in, line);
  std::istringstream header(Lower(line));
  std::string banner, object, layout, field, symmetry;
  header >> banner >> object >> layout >> field >> symmetry;
  int line_no = 1;
  auto fail = [&](const std::string& what) {
    throw spec::SpecError(loc, "Matrix Market file " + file + ":" + std::to_string(line_no) +
                                   ": " + what);
  };
  if (object != "matrix" || layout != "coordinate") {
    fail("only 'matrix coordinate' files are supported, got '" + object + " " + layout + "'");
  }
  const int values = field == "pattern" ? 0 : field == "complex" ? 2 : 1;
  if (field != "pattern" && field != "real" && field != "integer" && field != "complex") {
    fail("unknown field '" + field + "'");
  }
  const bool mirror = symmetry == "symmetric" || symmetry == "skew-symmetric" ||
                      symmetry == "hermitian";
  if (!mirror && symmetry != "general") fail("unknown symmetry '" + symmetry + "'");

  int64_t rows = -1, cols = -1, entries = -1;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '%') continue;
    std::istringstream size_line(line);
    if (!(size_line >> rows >> cols >> entries) || rows < 1 || cols < 1 || entries < 0) {
      fail("bad size line '" + line + "'");
    }
    break;
  }
  if (rows < 0) fail("missing size line");
  if (Squeeze({rows, cols}) != Squeeze(extent)) {
    fail("matrix is " + ShapeText({rows, cols}) + " but the tensor is " + ShapeText(extent));
  }

  std::vector<int64_t> nonzeros;
  int64_t seen = 0;
  while (seen < entries && std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '%') continue;
    std::istringstream entry(line);
    int64_t i = 0, j = 0;
    double v[2] = {1.0, 0.0};
    if (!(entry >> i >> j)) fail("bad entry '" + line + "'");
    for (int k = 0; k < values; ++k) {
      if (!(entry >> v[k])) fail("missing value in '" + line + "'");
    }
    if (i < 1 || i > rows || j < 1 || j > cols) fail("entry (" + line + ") out of range");
    ++seen;
    if (values > 0 && v[0] == 0.0 && v[1] == 0.0) continue;  // explicit zero
    nonzeros.push_back((i - 1) * cols + (j - 1));
    if (mirror && i != j) nonzeros.push_back((j - 1) * cols + (i - 1));
  }
  if (seen < entries) {
    fail("declares " + std::to_string(entries) + " entries but holds " + std::to_string(seen));
  }
  std::sort(nonzeros.begin(), nonzeros.end());
  nonzeros.erase(std::unique(nonzeros.begin(), nonzeros.end()), nonzeros.end());
  return nonzeros;
}

}  // namespace

std::string ResolveDataFile(const std::string& path, const spec::SourceLoc& loc) {
  std::vector<std::string> tried;
  auto exists = [&](const fs::path& p) {
    tried.push_back(p.string());
    std::error_code ec;
    return fs::is_regular_file(p, ec);
  };
  if (path.empty()) throw spec::SpecError(loc, "actual-data density needs a data_file_path");
  const fs::path given(path);
  if (exists(given)) return given.string();
  if (!loc.file.empty()) {
    const fs::path folder = fs::path(loc.file).parent_path();
    std::vector<fs::path> parts;
    for (const fs::path& part : given.relative_path()) parts.push_back(part);
    for (size_t start = 0; start < parts.size(); ++start) {
      fs::path tail;
      for (size_t k = start; k < parts.size(); ++k) tail /= parts[k];
      const fs::path candidate = folder / tail;
      if (candidate == given) continue;
      if (exists(candidate)) return candidate.string();
    }
  }
  std::string list;
  for (const std::string& t : tried) list += "\n  " + t;
  throw spec::SpecError(loc, "data file '" + path + "' not found; searched:" + list);
}

std::vector<int64_t> ReadTensorNonzeros(const std::string& file,
                                        const std::vector<int64_t>& extent,
                                        const spec::SourceLoc& loc) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw spec::SpecError(loc, "cannot open data file " + file);
  std::string start(14, '\0');
  in.read(start.data(), 14);
  const bool mtx = in.gcount() == 14 && Lower(start) == "%%matrixmarket";
  in.clear();
  in.seekg(0);
  return mtx ? ReadMatrixMarket(in, file, extent, loc) : ReadMask(in, file, extent, loc);
}

}  // namespace sieve::sparse
