// Unit tests of the energy estimator (sieve/energy/): expected values are
// derived by hand from the built-in table's figures (configs/energy/
// energy_table.yaml), quoted beside each check. No reference data needed.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "sieve/design.hpp"
#include "sieve/energy/class_model.hpp"
#include "sieve/energy/estimator.hpp"
#include "sieve/energy/technology.hpp"
#include "sieve/spec/load.hpp"
#include "support/temp_dir.hpp"

namespace sieve::energy {
namespace {

// Stillmaker & Baas polynomials at Vdd = 0.8 V (table `technology`).
constexpr double kE45 = 1.103 * 0.64 - 0.362 * 0.8 + 0.2767;     // 0.69302
constexpr double kE32 = 0.9559 * 0.64 - 0.7823 * 0.8 + 0.471;    // 0.456936

Attributes Attrs(std::initializer_list<std::pair<const char*, const char*>> kv) {
  Attributes a;
  for (const auto& [k, v] : kv) a[k] = LiteralAttribute(v);
  return a;
}

double Action(const ClassCosts& c, const std::string& name) {
  for (const auto& [n, e] : c.energy_pj)
    if (n == name) return e;
  ADD_FAILURE() << "no action " << name;
  return -1;
}

class BuiltinModel : public ::testing::Test {
 protected:
  spec::EnergyLibrary lib_ = spec::BuiltinEnergyLibrary();
  std::vector<spec::CompoundClass> none_;
  ClassModel model_{lib_, none_};
  spec::SourceLoc here_{"test.yaml", 7, "architecture.local[0]"};
};

TEST_F(BuiltinModel, DramIsBitsTimesEnergyPerBit) {
  // LPDDR4: 8 pJ/bit x 64 bits = 512 pJ (the published ERTs' figure).
  const ClassCosts c = model_.Evaluate("DRAM", Attrs({{"width", "64"}, {"type", "LPDDR4"}}), here_);
  EXPECT_DOUBLE_EQ(Action(c, "read"), 512.0);
  EXPECT_DOUBLE_EQ(Action(c, "write"), 512.0);
  EXPECT_DOUBLE_EQ(Action(c, "leak"), 0.0);
  EXPECT_DOUBLE_EQ(c.area_um2, 0.0);
  // HBM2 3.9 pJ/bit x 128 bits; DRAM energy does not follow `technology`.
  const ClassCosts h =
      model_.Evaluate("DRAM", Attrs({{"width", "128"}, {"type", "HBM2"}, {"technology", "7nm"}}), here_);
  EXPECT_NEAR(Action(h, "read"), 128 * 3.9, 1e-9);
}

TEST_F(BuiltinModel, UnknownDramTypeListsTheValidOnes) {
  try {
    model_.Evaluate("DRAM", Attrs({{"width", "64"}, {"type", "SDR"}}), here_);
    FAIL() << "expected an error";
  } catch (const spec::SpecError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("test.yaml:7"), std::string::npos) << m;
    EXPECT_NE(m.find("'SDR'"), std::string::npos) << m;
    EXPECT_NE(m.find("LPDDR4"), std::string::npos) << m;
  }
}

TEST_F(BuiltinModel, AdderScalesWithWidthAndTechnology) {
  // Aladdin 32-bit adder 0.21 pJ at 45 nm, linear in width: 16 bits 0.105.
  EXPECT_DOUBLE_EQ(Action(model_.Evaluate("intadder", Attrs({{"width", "16"}, {"technology", "45nm"}}), here_), "add"),
                   0.105);
  // At 32 nm: x E(32)/E(45) = 0.456936/0.69302 = 0.65934; Accelergy's log
  // for the same adder reads 0.13846145854 pJ.
  const double at32 = Action(model_.Evaluate("aladdin_adder", Attrs({{"technology", "32nm"}}), here_), "read");
  EXPECT_NEAR(at32, 0.21 * kE32 / kE45, 1e-12);
  EXPECT_NEAR(at32, 0.13846145854376496, 1e-9);
  // 40 nm lies 5/13 of the way from 45 to 32: E = E45 (8/13) + E32 (5/13).
  const double e40 = kE45 * 8.0 / 13 + kE32 * 5.0 / 13;
  EXPECT_NEAR(Action(model_.Evaluate("adder", Attrs({{"technology", "40"}}), here_), "add"), 0.21 * e40 / kE45,
              1e-12);
  // Area: 278 um^2 at 45 nm, x0.46 at 32 nm.
  EXPECT_NEAR(model_.Evaluate("adder", Attrs({{"technology", "32nm"}}), here_).area_um2, 278 * 0.46, 1e-9);
}

TEST(Technology, ParsesAccelergySpellings) {
  EXPECT_DOUBLE_EQ(*ParseTechnologyNm("45nm"), 45);
  EXPECT_DOUBLE_EQ(*ParseTechnologyNm("\"32nm\""), 32);
  EXPECT_DOUBLE_EQ(*ParseTechnologyNm("0.065um"), 65);
  EXPECT_DOUBLE_EQ(*ParseTechnologyNm("40"), 40);
  EXPECT_NEAR(*ParseTechnologyNm("4.5e-08"), 45, 1e-9);
  EXPECT_FALSE(ParseTechnologyNm("SET ME"));
  EXPECT_FALSE(ParseTechnologyNm("-1"));
}

TEST(Technology, ExtrapolatesBeyondTheTable) {
  const spec::EnergyLibrary lib = spec::BuiltinEnergyLibrary();
  // 180 nm is 180/130 beyond the largest node: energy x sqrt(ratio), area x ratio.
  const double e130 = 7.171 * 0.64 - 6.709 * 0.8 + 2.904;
  EXPECT_NEAR(EnergyScale(lib.technology, 45, 180), e130 * std::sqrt(180.0 / 130) / kE45, 1e-12);
  EXPECT_NEAR(AreaScale(lib.technology, 45, 180), 6.4 * 180.0 / 130, 1e-12);
  EXPECT_DOUBLE_EQ(EnergyScale(lib.technology, 32, 32), 1.0);
}

TEST_F(BuiltinModel, IntmacIsMultiplierPlusAdder) {
  // 8x8 multiplier: 12.68 pJ x (8/32)^2 at 40 nm, scaled to 45 nm by
  // E(45)/E(40); 16-bit adder 0.105 pJ at 45 nm.
  const double e40 = kE45 * 8.0 / 13 + kE32 * 5.0 / 13;
  const double mult45 = 12.68 / 16 * kE45 / e40;
  const ClassCosts c = model_.Evaluate(
      "intmac", Attrs({{"multiplier_width", "8"}, {"adder_width", "16"}, {"technology", "45nm"}}), here_);
  EXPECT_NEAR(Action(c, "compute"), mult45 + 0.105, 1e-12);
  EXPECT_EQ(c.origin, ClassOrigin::kTableCompound);
  // With only `width`, the multiplier takes it and the adder twice it.
  const ClassCosts w = model_.Evaluate("mac", Attrs({{"width", "8"}, {"technology", "45nm"}}), here_);
  EXPECT_NEAR(Action(w, "compute"), mult45 + 0.105, 1e-12);
  EXPECT_EQ(w.resolved_name, "intmac");
}

TEST_F(BuiltinModel, SmartbufferSramAddsAnAddressAdder) {
  // 64 x 1024 SRAM read: 0.004183 * 64^0.940 * 1024^0.534, plus one
  // 10-bit address adder (0.21 * 10 / 32).
  const ClassCosts c = model_.Evaluate(
      "smartbuffer_SRAM", Attrs({{"width", "64"}, {"depth", "1024"}, {"technology", "45nm"}}), here_);
  const double sram = 0.004183 * std::pow(64, 0.940) * std::pow(1024, 0.534);
  EXPECT_NEAR(Action(c, "read"), sram + 0.21 * 10 / 32, 1e-9);
  // Horowitz (ISSCC 2014): an 8 KB SRAM's 64-bit read is 10 pJ.
  EXPECT_GT(sram, 5);
  EXPECT_LT(sram, 20);
}

TEST_F(BuiltinModel, RegfileFirstOrderModel) {
  // 8 bits x 64 entries: 0.009 * 8 * (1 + log2 64) = 0.504 pJ at 45 nm.
  const ClassCosts c =
      model_.Evaluate("regfile", Attrs({{"width", "8"}, {"depth", "64"}, {"technology", "45nm"}}), here_);
  EXPECT_NEAR(Action(c, "read"), 0.504, 1e-12);
  EXPECT_NEAR(Action(c, "write"), 0.504, 1e-12);
  EXPECT_NEAR(c.area_um2, 5.98 * 512, 1e-9);
}

TEST_F(BuiltinModel, MissingRequiredAttributeIsNamed) {
  try {
    model_.Evaluate("SRAM", Attrs({{"width", "64"}, {"technology", "45nm"}}), here_);
    FAIL() << "expected an error";
  } catch (const spec::SpecError& e) {
    EXPECT_NE(std::string(e.what()).find("'depth' must be given"), std::string::npos) << e.what();
  }
}

TEST_F(BuiltinModel, UnknownClassListsKnownOnes) {
  try {
    model_.Evaluate("teapot_buffer", Attrs({}), here_);
    FAIL() << "expected an error";
  } catch (const spec::SpecError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("test.yaml:7"), std::string::npos) << m;
    EXPECT_NE(m.find("unknown component class 'teapot_buffer'"), std::string::npos) << m;
    EXPECT_NE(m.find("smartbuffer_SRAM"), std::string::npos) << m;
  }
}

// ---- inputs with compound classes and partial ERTs -------------------------

const char* kDesign = R"yaml(
architecture:
  version: '0.4'
  subtree:
    - name: top
      attributes: {technology: 45nm, global_cycle_seconds: 1e-9}
      local:
        - name: DRAM[1..1]
          class: DRAM
          attributes: {width: 64, datawidth: 8, type: LPDDR4}
        - name: buf[1..1]
          class: tiny_buffer
          attributes: {width: 16, depth: 64, datawidth: 8}
        - name: mac[1..1]
          class: intmac
          attributes: {multiplier_width: 8, adder_width: 16}
problem:
  shape:
    name: dot
    dimensions: [K, M]
    data_spaces:
      - {name: A, projection: [[[K]]]}
      - {name: B, projection: [[[K]]]}
      - {name: Z, projection: [[[M]]], read_write: true}
  instance: {K: 16, M: 1}
mapping:
  - {target: buf, type: temporal, factors: K16 M1, permutation: KM}
  - {target: DRAM, type: temporal, factors: K1 M1, permutation: KM}
compound_components:
  version: 0.4
  classes:
    - name: tiny_buffer
      attributes: {technology: must_specify, width: must_specify, depth: must_specify, half: 0.5}
      subcomponents:
        - name: bits[1..width*depth]
          class: aladdin_register
        - name: counters[0..1]
          class: intadder
          attributes: {width: "max(1, ceil(log2(depth)))"}
      actions:
        - &rd
          name: read
          subcomponents:
            - name: bits[1..width]
              actions: [{name: read, energy_scale: half}]
            - name: counters[0]
              actions: [{name: add}]
        - name: write
          <<: *rd
)yaml";

const char* kPartialErt = R"yaml(
ERT:
  version: '0.4'
  tables:
    - name: top.DRAM[1..1]
      actions:
        - {name: read, energy: 100}
        - {name: write, energy: 100}
)yaml";

TEST(Estimator, GivenCompoundClassesCountsAndScales) {
  const spec::Spec s = spec::LoadSpecFromTexts({{"design.yaml", kDesign}});
  const CompletedTables t = CompleteEnergyTables(s);
  // read: 16 registers x 0.009 pJ x 0.5 + one 6-bit adder 0.21 * 6 / 32.
  const double read = 16 * 0.009 * 0.5 + 0.21 * 6 / 32;
  EXPECT_NEAR(t.ert.Find("buf")->at("read"), read, 1e-12);
  // `write` merges the read action's parts (YAML merge key).
  EXPECT_NEAR(t.ert.Find("buf")->at("write"), read, 1e-12);
  // area: 1024 registers x 5.98 + 2 adders x 278 * 6 / 32.
  EXPECT_NEAR(t.art.area_um2.at("buf"), 1024 * 5.98 + 2 * 278.0 * 6 / 32, 1e-9);
  EXPECT_DOUBLE_EQ(t.ert.Find("DRAM")->at("read"), 512);
}

TEST(Estimator, GivenErtEntriesWinAndTheRestIsNoted) {
  const spec::Spec s = spec::LoadSpecFromTexts({{"design.yaml", kDesign}, {"ERT.yaml", kPartialErt}});
  const Design d = BuildDesign(s);
  const int dram = s.arch.LevelIndex("DRAM");
  EXPECT_DOUBLE_EQ(d.costs.levels[dram].read_pj, 100);  // from the ERT, not 512
  EXPECT_GT(d.costs.compute_pj, 0);                    // estimated
  bool noted_mac = false, noted_dram_energy = false;
  for (const std::string& n : d.energy_notes) {
    if (n.find("energy estimated for 'mac' from class intmac (built-in compound class)") != std::string::npos)
      noted_mac = true;
    if (n.find("energy estimated for 'DRAM'") != std::string::npos) noted_dram_energy = true;
  }
  EXPECT_TRUE(noted_mac);
  EXPECT_FALSE(noted_dram_energy);
  for (const std::string& w : d.warnings) EXPECT_EQ(w.find("no energy table entry"), std::string::npos) << w;
}

TEST(Estimator, GivenClassOverridesBuiltinOfTheSameName) {
  std::string design = kDesign;
  design += R"yaml(
    - name: intmac
      attributes: {technology: must_specify}
      subcomponents:
        - {name: one, class: aladdin_adder, attributes: {width: 32}}
      actions:
        - {name: compute, subcomponents: [{name: one, actions: [{name: add}]}]}
)yaml";
  const spec::Spec s = spec::LoadSpecFromTexts({{"design.yaml", design}});
  const CompletedTables t = CompleteEnergyTables(s);
  EXPECT_NEAR(t.ert.Find("mac")->at("compute"), 0.21, 1e-12);
  EXPECT_EQ(t.components.back().estimated_from, "class intmac (compound class from the inputs)");
}

TEST(Estimator, UnknownClassIsAnErrorAtTheComponent) {
  std::string design = kDesign;
  design.replace(design.find("class: tiny_buffer"), 18, "class: mystery_sram");
  const spec::Spec s = spec::LoadSpecFromTexts({{"design.yaml", design}});
  try {
    CompleteEnergyTables(s);
    FAIL() << "expected an error";
  } catch (const spec::SpecError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("design.yaml:"), std::string::npos) << m;
    EXPECT_NE(m.find("mystery_sram"), std::string::npos) << m;
    EXPECT_NE(m.find("known classes"), std::string::npos) << m;
  }
}

TEST(Estimator, OverrideTableMergesOverTheBuiltinOne) {
  const ::sieve::testing::TempDir tmp;
  const std::filesystem::path path = tmp / "energy_override.yaml";
  {
    std::ofstream out(path);
    out << "primitives:\n"
           "  - name: DRAM\n"
           "    technology_scaling: false\n"
           "    attributes: {width: 64}\n"
           "    actions:\n"
           "      - {name: [read, write, update], energy_pj: \"1.5 * width\"}\n";
  }
  const spec::EnergyLibrary lib = spec::LoadEnergyLibraryOverride(path.string());
  const spec::Spec s = spec::LoadSpecFromTexts({{"design.yaml", kDesign}});
  EstimateOptions o;
  o.library = &lib;
  const CompletedTables t = CompleteEnergyTables(s, o);
  EXPECT_DOUBLE_EQ(t.ert.Find("DRAM")->at("read"), 96);  // 1.5 x 64
  EXPECT_GT(t.ert.Find("mac")->at("compute"), 0);        // built-in intmac still there
}

TEST(Estimator, MalformedOverrideNamesFileAndKey) {
  try {
    spec::ParseEnergyLibrary("bad.yaml", "primitives:\n  - name: X\n    energy: 3\n    actions: []\n");
    FAIL() << "expected an error";
  } catch (const spec::SpecError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("bad.yaml:3"), std::string::npos) << m;
    EXPECT_NE(m.find("unknown key 'energy'"), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace sieve::energy
