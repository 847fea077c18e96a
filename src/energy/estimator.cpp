// CompleteEnergyTables (estimator.hpp).
#include "sieve/energy/estimator.hpp"

#include <cstdio>
#include <optional>

#include "sieve/energy/class_model.hpp"

namespace sieve::energy {
namespace {

std::string Short(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

Attributes TopAttributes(const std::map<std::string, std::string>& written, const spec::EnergyLibrary* lib) {
  Attributes out;
  for (const auto& [k, v] : written) out[k] = LiteralAttribute(v);
  if (lib != nullptr)
    for (const auto& [k, d] : lib->defaults)
      if (!out.count(k)) out[k] = LiteralAttribute(d);
  return out;
}

void FillIfAbsent(Attributes& a, const std::string& key, double value) {
  if (!a.count(key)) a[key] = LiteralAttribute(std::to_string(value));
}

// Storage attributes the parser derived (e.g. width from block_size and
// word_bits) but that were not written under the name the classes use.
Attributes StorageAttributes(const spec::StorageLevel& s, const spec::EnergyLibrary* lib) {
  Attributes a = TopAttributes(s.attributes, lib);
  if (s.width_bits > 0) FillIfAbsent(a, "width", static_cast<double>(s.width_bits));
  if (s.depth) FillIfAbsent(a, "depth", static_cast<double>(*s.depth));
  FillIfAbsent(a, "datawidth", s.word_bits);
  return a;
}

std::string EnergyNote(const ComponentEnergy& c) {
  std::string s = "energy estimated for '" + c.name + "' from " + c.estimated_from + ":";
  for (size_t i = 0; i < c.energy_pj.size(); ++i)
    s += (i ? ", " : " ") + c.energy_pj[i].first + " " + Short(c.energy_pj[i].second) + " pJ";
  if (c.area_estimated) s += "; area " + Short(c.area_um2) + " um^2";
  return s;
}

}  // namespace

CompletedTables CompleteEnergyTables(const spec::Spec& spec, const EstimateOptions& options) {
  CompletedTables out;
  std::optional<spec::EnergyLibrary> owned;
  const spec::EnergyLibrary* lib = options.library;
  std::optional<ClassModel> model;
  auto get_model = [&]() -> const ClassModel& {
    if (lib == nullptr) {
      owned = spec::BuiltinEnergyLibrary();
      lib = &*owned;
    }
    if (!model) model.emplace(*lib, spec.compound_classes);
    return *model;
  };

  auto complete = [&](ComponentEnergy c, const spec::SourceLoc& loc, auto attributes_of) {
    const std::map<std::string, double>* given_energy =
        options.ignore_given_tables ? nullptr : spec.ert.Find(c.name);
    const auto given_area = options.ignore_given_tables ? spec.art.area_um2.end() : spec.art.area_um2.find(c.name);
    const bool have_area = given_area != spec.art.area_um2.end();
    if (given_energy != nullptr) {
      for (const auto& [action, pj] : *given_energy) c.energy_pj.emplace_back(action, pj);
    }
    if (have_area) c.area_um2 = given_area->second;
    const bool need_energy = given_energy == nullptr && !c.is_dummy;
    const bool need_area = !have_area && !c.is_dummy;
    if (need_energy) {
      const ClassModel& m = get_model();
      const ClassCosts costs = m.Evaluate(c.cls, attributes_of(lib), loc);
      c.energy_estimated = true;
      c.energy_pj = costs.energy_pj;
      c.estimated_from = "class " + c.cls +
                         (costs.resolved_name != c.cls ? " (as " + costs.resolved_name + ", " : " (") +
                         ClassOriginName(costs.origin) + ")";
      if (need_area) {
        c.area_um2 = costs.area_um2;
        c.area_estimated = true;
      }
    } else if (need_area) {
      // The ERT covers the energy: an area estimate is a bonus, and a class
      // the table does not know keeps the reference tool's area of 0.
      const ClassModel& m = get_model();
      if (m.Knows(c.cls)) {
        try {
          const ClassCosts costs = m.Evaluate(c.cls, attributes_of(lib), loc);
          c.area_um2 = costs.area_um2;
          c.area_estimated = true;
          c.estimated_from = "class " + c.cls + " (" + ClassOriginName(costs.origin) + ")";
        } catch (const spec::SpecError&) {
          c.area_um2 = 0;
        }
      }
    }
    if (c.energy_estimated) out.notes.push_back(EnergyNote(c));
    else if (c.area_estimated)
      out.notes.push_back("area estimated for '" + c.name + "' from " + c.estimated_from + ": " +
                          Short(c.area_um2) + " um^2");
    if (!c.is_dummy || given_energy != nullptr) {
      std::map<std::string, double>& actions = out.ert.energy_pj[c.name];
      for (const auto& [action, pj] : c.energy_pj) actions[action] = pj;
    }
    out.art.area_um2[c.name] = c.area_um2;
    out.components.push_back(std::move(c));
  };

  for (auto it = spec.arch.levels.rbegin(); it != spec.arch.levels.rend(); ++it) {
    const spec::StorageLevel& s = *it;
    ComponentEnergy c;
    c.name = s.name;
    c.path_name = s.path_name.empty() ? s.name : s.path_name;
    c.cls = s.cls;
    c.instances = s.instances;
    c.is_dummy = s.is_dummy;
    complete(std::move(c), s.loc, [&s](const spec::EnergyLibrary* l) { return StorageAttributes(s, l); });
  }
  const spec::ComputeLevel& k = spec.arch.compute;
  ComponentEnergy c;
  c.name = k.name;
  c.path_name = k.path_name.empty() ? k.name : k.path_name;
  c.cls = k.cls;
  c.instances = k.instances;
  c.is_compute = true;
  complete(std::move(c), k.loc, [&k](const spec::EnergyLibrary* l) { return TopAttributes(k.attributes, l); });
  return out;
}

}  // namespace sieve::energy
