// problem -> Workload.
//
// Accepts problem.shape {name, dimensions, coefficients, data_spaces} and
// problem.instance {DIM: bound, COEF: value, densities}, in either order,
// with hyphenated or underscored keys. Projections: a list of ranks, each a
// list of terms [DIM], [DIM, COEF] or [COEF, DIM] (COEF = coefficient name
// or integer); a rank may also be written as an expression string such as
// "Wstride*P + R". Limits of the evaluator (12 dims, 8 data spaces, 8 ranks,
// and at most 2^62 operations and 2^62 points per data space, so that its
// 64-bit counts cannot wrap) are enforced here.
#include <cctype>
#include <charconv>
#include <map>

#include "spec/yaml_node.hpp"

namespace sieve::spec::yaml {
namespace {

constexpr size_t kMaxDims = 12;
constexpr size_t kMaxDataSpaces = 8;
constexpr size_t kMaxRanks = 8;
// The model counts operations and tensor points in 64-bit integers; a
// problem beyond 2^62 of either would wrap them (and is no real layer).
constexpr int64_t kMaxPoints = int64_t{1} << 62;

// a * b, or nullopt when it passes kMaxPoints.
std::optional<int64_t> CappedProduct(int64_t a, int64_t b) {
  int64_t p = 0;
  if (__builtin_mul_overflow(a, b, &p) || p > kMaxPoints) return std::nullopt;
  return p;
}

// Points of a data space: per rank 1 + sum |coefficient| * (bound - 1),
// multiplied over the ranks; nullopt when past kMaxPoints.
std::optional<int64_t> DataSpacePoints(const DataSpace& ds, const std::vector<int64_t>& bounds) {
  int64_t points = 1;
  for (const RankProjection& rank : ds.ranks) {
    int64_t extent = 1;
    for (const ProjectionTerm& t : rank) {
      const __int128 span =
          static_cast<__int128>(t.coef < 0 ? -static_cast<__int128>(t.coef) : t.coef) * (bounds[t.dim] - 1);
      if (span > kMaxPoints - extent) return std::nullopt;
      extent += static_cast<int64_t>(span);
    }
    const std::optional<int64_t> p = CappedProduct(points, extent);
    if (!p) return std::nullopt;
    points = *p;
  }
  return points;
}

struct CoefInfo {
  std::optional<int64_t> value;  // override, else default, else unset
};

struct ShapeContext {
  const std::vector<std::string>* dims;
  const std::map<std::string, CoefInfo>* coefs;
};

int IndexOf(const std::vector<std::string>& names, const std::string& name) {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  return -1;
}

bool IsInteger(const std::string& s, int64_t* out) {
  if (s.empty()) return false;
  size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  if (i == s.size()) return false;
  for (size_t k = i; k < s.size(); ++k)
    if (!std::isdigit(static_cast<unsigned char>(s[k]))) return false;
  const char* first = s.data() + (s[0] == '+' ? 1 : 0);
  auto [ptr, ec] = std::from_chars(first, s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

std::string Trimmed(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  size_t e = s.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

// A coefficient operand: an integer literal or a coefficient name.
int64_t ResolveCoef(const std::string& name, const ShapeContext& ctx, const Cursor& where) {
  int64_t literal = 0;
  if (IsInteger(name, &literal)) return literal;
  auto it = ctx.coefs->find(name);
  if (it == ctx.coefs->end())
    where.Fail("malformed projection: '" + name + "' is neither a dimension nor a coefficient");
  if (!it->second.value)
    where.Fail("coefficient '" + name + "' has no default and no value in problem.instance");
  return *it->second.value;
}

// Term from one or two operand names: [DIM], [DIM, COEF] or [COEF, DIM].
ProjectionTerm TermFromNames(const std::vector<std::string>& names, const ShapeContext& ctx,
                             const Cursor& where) {
  if (names.empty() || names.size() > 2)
    where.Fail("malformed projection term: expected [DIM] or [DIM, COEFFICIENT], got " +
               std::to_string(names.size()) + " names");
  const int d0 = IndexOf(*ctx.dims, names[0]);
  if (names.size() == 1) {
    if (d0 < 0) where.Fail("malformed projection: unknown dimension '" + names[0] + "'");
    return ProjectionTerm{d0, 1};
  }
  const int d1 = IndexOf(*ctx.dims, names[1]);
  if (d0 >= 0 && d1 >= 0)
    where.Fail("malformed projection term [" + names[0] + ", " + names[1] +
               "]: a term is one dimension times one coefficient");
  if (d0 < 0 && d1 < 0)
    where.Fail("malformed projection term [" + names[0] + ", " + names[1] + "]: no dimension in it");
  if (d0 >= 0) return ProjectionTerm{d0, ResolveCoef(names[1], ctx, where)};
  return ProjectionTerm{d1, ResolveCoef(names[0], ctx, where)};
}

// "Wstride*P + Wdilation*R", "2*P+R", "M".
RankProjection RankFromExpression(const std::string& text, const ShapeContext& ctx, const Cursor& where) {
  RankProjection rank;
  size_t start = 0;
  while (start <= text.size()) {
    size_t plus = text.find('+', start);
    const std::string term = Trimmed(text.substr(start, plus == std::string::npos ? std::string::npos : plus - start));
    std::vector<std::string> names;
    size_t star = term.find('*');
    if (star == std::string::npos) {
      names.push_back(term);
    } else {
      names.push_back(Trimmed(term.substr(0, star)));
      names.push_back(Trimmed(term.substr(star + 1)));
    }
    for (const std::string& n : names)
      if (n.empty()) where.Fail("malformed projection expression '" + text + "'");
    rank.push_back(TermFromNames(names, ctx, where));
    if (plus == std::string::npos) break;
    start = plus + 1;
  }
  return rank;
}

std::vector<RankProjection> ReadProjection(const Cursor& proj, const ShapeContext& ctx) {
  if (!proj.IsSeq()) proj.Fail("malformed projection: expected a list of ranks, each a list of terms");
  std::vector<RankProjection> ranks;
  for (const Cursor& rank_c : proj.Items()) {
    if (rank_c.IsScalar()) {
      ranks.push_back(RankFromExpression(rank_c.Str(), ctx, rank_c));
      continue;
    }
    if (!rank_c.IsSeq() || rank_c.Items().empty())
      rank_c.Fail("malformed projection: each rank must be a non-empty list of terms like [DIM] or [DIM, COEF]");
    RankProjection rank;
    for (const Cursor& term_c : rank_c.Items()) {
      if (term_c.IsScalar()) {  // lenient: a bare name is a term with coefficient 1
        rank.push_back(TermFromNames({term_c.Str()}, ctx, term_c));
      } else if (term_c.IsSeq()) {
        std::vector<std::string> names;
        for (const Cursor& n : term_c.Items()) {
          if (!n.IsScalar()) n.Fail("malformed projection term: expected names, got a nested structure");
          names.push_back(Trimmed(n.Str()));
        }
        rank.push_back(TermFromNames(names, ctx, term_c));
      } else {
        term_c.Fail("malformed projection term: expected [DIM] or [DIM, COEF]");
      }
    }
    ranks.push_back(std::move(rank));
  }
  if (ranks.empty()) proj.Fail("malformed projection: no ranks");
  if (ranks.size() > kMaxRanks)
    proj.Fail("data space has " + std::to_string(ranks.size()) + " ranks; at most " +
              std::to_string(kMaxRanks) + " are supported");
  return ranks;
}

DensitySpec ReadDensity(const Cursor& c, std::vector<std::string>& warnings) {
  DensitySpec spec;
  spec.loc = c.Loc();
  std::optional<Cursor> density_at;  // where the density is written
  if (c.IsScalar()) {  // a bare number means fixed_structured
    spec.distribution = "fixed_structured";
    spec.density = c.Num();
    density_at = c;
  } else {
    // workload_tensor_size (the front end writes it) is the problem's own
    // tensor size, which the model derives: accepted, not read.
    c.WarnUnknownKeys(
        {"distribution", "density", "band_width", "data_file_path", "data_layout", "workload_tensor_size"},
        warnings);
    bool has_density = false;
    for (const auto& [key, v] : c.Entries()) {
      const std::string k = NormalizeKey(key);
      if (k == "distribution") {
        spec.distribution = NormalizeEnum(v.Str());
      } else if (k == "density") {
        spec.density = v.Num();
        density_at = v;
        has_density = true;
      } else if (k == "band_width") {
        spec.band_width = v.Int();
        if (spec.band_width < 0) v.Fail("band_width must be >= 0");
      } else if (k == "data_file_path") {
        spec.data_file_path = v.Str();
      } else if (k == "data_layout") {
        spec.data_layout = v.StrList();
      } else {
        spec.extra[key] = FlowText(v.node());
      }
    }
    if (spec.distribution.empty() && has_density) spec.distribution = "fixed_structured";
  }
  if (spec.density < 0.0 || spec.density > 1.0)
    density_at->Fail("density must be between 0 and 1, got " + density_at->Str());
  return spec;
}

}  // namespace

Workload ReadWorkload(const Cursor& problem, std::vector<std::string>& warnings) {
  Workload w;
  const Cursor shape = problem.Need("shape");
  // Old (v0.2) files put the instance keys directly under `problem`.
  const std::optional<Cursor> instance_opt = problem.Find("instance");
  if (instance_opt) problem.WarnUnknownKeys({"shape", "instance", "version"}, warnings);
  shape.WarnUnknownKeys({"name", "dimensions", "coefficients", "data_spaces", "version"}, warnings);

  if (auto n = shape.Find("name")) w.name = n->IsNull() ? "" : n->Str();

  // Dimensions.
  const Cursor dims_c = shape.Need("dimensions");
  for (const Cursor& d : dims_c.Items()) {
    std::string name = Trimmed(d.Str());
    if (name.empty()) d.Fail("empty dimension name");
    if (IndexOf(w.dim_names, name) >= 0) d.Fail("dimension '" + name + "' is listed twice");
    w.dim_names.push_back(name);
  }
  if (w.dim_names.empty()) dims_c.Fail("expected a non-empty list of dimension names");
  if (w.dim_names.size() > kMaxDims)
    dims_c.Fail("problem has " + std::to_string(w.dim_names.size()) + " dimensions; at most " +
                std::to_string(kMaxDims) + " are supported");

  // Coefficients (defaults), then instance overrides.
  std::map<std::string, CoefInfo> coefs;
  if (auto cc = shape.Find("coefficients")) {
    for (const Cursor& c : cc->Items()) {
      c.WarnUnknownKeys({"name", "default"}, warnings);
      const std::string name = c.Need("name").Str();
      if (IndexOf(w.dim_names, name) >= 0) c.Fail("coefficient '" + name + "' has the name of a dimension");
      CoefInfo info;
      if (auto def = c.Find("default"); def && !def->IsNull()) info.value = def->Int();
      coefs[name] = info;
    }
  }

  const Cursor instance = instance_opt ? *instance_opt : problem;
  std::vector<bool> have_bound(w.dim_names.size(), false);
  std::optional<Cursor> largest_bound;  // where the largest bound is written
  w.bounds.assign(w.dim_names.size(), 1);
  std::optional<Cursor> densities;
  for (const auto& [key, v] : instance.Entries()) {
    if (NormalizeKey(key) == "densities") {
      densities = v;
      continue;
    }
    if (!instance_opt && (NormalizeKey(key) == "shape" || key == "version")) continue;
    const int d = IndexOf(w.dim_names, key);
    if (d >= 0) {
      const int64_t bound = v.Int();
      if (bound <= 0) v.Fail("bound of dimension '" + key + "' must be a positive integer, got " + std::to_string(bound));
      w.bounds[d] = bound;
      have_bound[d] = true;
      if (!largest_bound || bound > largest_bound->Int()) largest_bound = v;
    } else if (coefs.count(key)) {
      coefs[key].value = v.Int();
    } else if (key == "H" || key == "W" || key == "Hpad" || key == "Wpad") {
      // The exercises' convolution problems record the input size and the
      // padding they were derived from; bounds P, Q and the projections
      // already say everything the model needs (the reference's core
      // ignores these keys too), so they are accepted as notes.
      continue;
    } else {
      SourceLoc loc = v.Loc();  // file and line of this key (files may be merged)
      loc.key_path = instance.path();
      warnings.push_back(FormatLoc(loc) + ": unknown key '" + key +
                         "' ignored (neither a dimension nor a coefficient)");
    }
  }
  for (size_t d = 0; d < w.dim_names.size(); ++d) {
    if (!have_bound[d])
      warnings.push_back(FormatLoc(instance.Loc()) + ": dimension '" + w.dim_names[d] +
                         "' has no bound; using 1");
  }
  for (const auto& [name, info] : coefs)
    if (info.value) w.coefficients[name] = *info.value;
  int64_t operations = 1;
  for (int64_t b : w.bounds) {
    const std::optional<int64_t> p = CappedProduct(operations, b);
    if (!p)
      (largest_bound ? *largest_bound : instance)
          .Fail(
              "the bounds multiply to more than 2^62 operations, beyond the model's 64-bit counts; "
              "is this bound (the largest) mistyped?");
    operations = *p;
  }

  // Data spaces.
  const ShapeContext ctx{&w.dim_names, &coefs};
  const Cursor ds_list = shape.Need("data_spaces");
  for (const Cursor& ds_c : ds_list.Items()) {
    ds_c.WarnUnknownKeys({"name", "projection", "read_write"}, warnings);
    DataSpace ds;
    ds.name = ds_c.Need("name").Str();
    if (w.DataSpaceIndex(ds.name) >= 0) ds_c.Fail("data space '" + ds.name + "' is listed twice");
    ds.ranks = ReadProjection(ds_c.Need("projection"), ctx);
    if (auto rw = ds_c.Find("read_write")) ds.read_write = rw->Bool();
    if (!DataSpacePoints(ds, w.bounds))
      ds_c.Need("projection")
          .Fail("data space '" + ds.name +
                "' has more than 2^62 points with these bounds and "
                "coefficients, beyond the model's 64-bit counts; is a bound or coefficient "
                "(stride, dilation) mistyped?");
    w.data_spaces.push_back(std::move(ds));
  }
  if (w.data_spaces.empty()) ds_list.Fail("expected a non-empty list of data spaces");
  if (w.data_spaces.size() > kMaxDataSpaces)
    ds_list.Fail("problem has " + std::to_string(w.data_spaces.size()) + " data spaces; at most " +
                 std::to_string(kMaxDataSpaces) + " are supported");

  // Densities.
  if (densities) {
    for (const auto& [name, v] : densities->Entries()) {
      if (w.DataSpaceIndex(name) < 0) v.Fail("density given for unknown data space '" + name + "'");
      w.densities[name] = ReadDensity(v, warnings);
    }
  }
  return w;
}

}  // namespace sieve::spec::yaml
