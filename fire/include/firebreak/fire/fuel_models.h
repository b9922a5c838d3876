// The standard surface fuel models (13 Anderson, 40 Scott & Burgan, and the non-burnable NB1-NB3, NB8, NB9),
// read at run time from the BehavePlus table `fuel_models.csv` (columns: docs/fire.md). The table is data, not
// code: firebreak neither retypes nor ships it.
//
// Where it is found (FuelModelPath): --fuel-models FILE, else $FIREBREAK_FUEL_MODELS, else
// <exe dir>/../share/firebreak/fuel_models.csv, else <shared data>/reference/behave-surface/fuel_models.csv
// (the path the build was configured with: FIREBREAK_SHARED_DATA).
//
// Numbering is behave's: 1-13 Anderson, 91-99 non-burnable, 101-204 Scott & Burgan (the LANDFIRE FBFM40 codes).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace firebreak::fire {

// Fuel classes in the order of the table and of behave: dead 1-h, 10-h, 100-h; live herbaceous, live woody.
enum FuelClass : int { k1h = 0, k10h = 1, k100h = 2, kHerb = 3, kWoody = 4 };

struct FuelModel {
  int number = 0;                             // behave numbering
  std::string code;                           // "GS4", "FM4", "NB1"
  std::string name;                           // "High load, humid climate grass-shrub"
  bool dynamic = false;                       // herbaceous load cures with herb moisture (behave marks every S&B model)
  bool burnable = true;                       // false for NB models (91-99)
  double depth_ft = 0;                        // fuel bed depth
  double mx_dead = 0;                         // dead moisture of extinction, fraction
  double heat_dead = 8000, heat_live = 8000;  // Btu/lb
  std::array<double, 5> load{};               // lb/ft² (the table's lb/ft² column)
  std::array<double, 5> savr{};               // ft²/ft³
};

class FuelModelTable {
 public:
  // Reads the CSV. Throws Error(kNotFound) if it cannot be opened, Error(kInput, "file:line:col") for a bad
  // header, value or duplicate number.
  static FuelModelTable Load(const std::string& path);
  static FuelModelTable Parse(std::string_view text, const std::string& name);

  const FuelModel* Find(int number) const;                 // nullptr if unknown
  const FuelModel* FindCode(std::string_view code) const;  // "GS4" (case-insensitive)
  const std::vector<FuelModel>& models() const { return models_; }
  const std::string& source() const { return source_; }

 private:
  std::vector<FuelModel> models_;
  std::array<int, 256> index_{};  // number -> models_ index + 1 (0 = none); numbers are < 256
  std::string source_;
};

// The fuel-model file to use (search order above). `explicit_path` wins when non-empty. Throws
// Error(kNotFound, ..., hint) when none exists.
std::string FuelModelPath(const std::string& explicit_path = {});

}  // namespace firebreak::fire
