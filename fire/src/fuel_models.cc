#include "firebreak/fire/fuel_models.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "firebreak/common/error.h"
#include "table_text.h"

namespace firebreak::fire {

namespace {

using detail::Row;

const char* const kNumCols[] = {"fuel_bed_depth_ft",
                                "dead_moisture_of_extinction_fraction",
                                "heat_content_dead_btu_per_lb",
                                "heat_content_live_btu_per_lb",
                                "load_1h_lb_per_ft2",
                                "load_10h_lb_per_ft2",
                                "load_100h_lb_per_ft2",
                                "load_live_herb_lb_per_ft2",
                                "load_live_woody_lb_per_ft2",
                                "savr_1h_ft2_per_ft3",
                                "savr_10h_ft2_per_ft3",
                                "savr_100h_ft2_per_ft3",
                                "savr_live_herb_ft2_per_ft3",
                                "savr_live_woody_ft2_per_ft3"};

std::string Lower(std::string_view s) {
  std::string o(s);
  for (char& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

}  // namespace

FuelModelTable FuelModelTable::Parse(std::string_view text, const std::string& name) {
  FuelModelTable t;
  t.source_ = name;
  std::vector<Row> rows = detail::ParseCsv(text, name);
  if (rows.empty()) throw Error(ErrorKind::kInput, name, "the fuel-model table is empty");
  std::map<std::string, std::size_t> col;
  for (std::size_t j = 0; j < rows[0].fields.size(); ++j) col[rows[0].fields[j].text] = j;
  auto need = [&](const std::string& c) {
    auto it = col.find(c);
    if (it == col.end())
      throw Error(ErrorKind::kInput, detail::Where(name, rows[0].line, 1), "missing column '" + c + "'",
                  "this must be the BehavePlus fuel_models.csv (docs/fire.md)");
    return it->second;
  };
  const std::size_t c_num = need("fuel_model_number"), c_code = need("code"), c_name = need("name"),
                    c_dyn = need("dynamic");
  std::size_t c_vals[14];
  for (int k = 0; k < 14; ++k) c_vals[k] = need(kNumCols[k]);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const Row& r = rows[i];
    if (r.fields.size() != rows[0].fields.size())
      throw Error(ErrorKind::kInput, detail::Where(name, r.line, 1),
                  "row has " + std::to_string(r.fields.size()) + " fields, the header " +
                      std::to_string(rows[0].fields.size()));
    auto num = [&](std::size_t c, const char* what) {
      auto v = detail::ParseNumber(r.fields[c].text);
      if (!v || *v < 0)
        throw Error(ErrorKind::kInput, detail::Where(name, r.line, r.fields[c].col),
                    std::string("column '") + what + "': not a number >= 0: '" + r.fields[c].text + "'");
      return *v;
    };
    FuelModel m;
    const double n = num(c_num, "fuel_model_number");
    if (n < 1 || n > 255 || n != std::floor(n))  // range first: casting a huge value to int is undefined
      throw Error(ErrorKind::kInput, detail::Where(name, r.line, r.fields[c_num].col),
                  "fuel model number must be a whole number 1..255");
    m.number = static_cast<int>(n);
    m.code = r.fields[c_code].text;
    m.name = r.fields[c_name].text;
    const std::string dyn = Lower(r.fields[c_dyn].text);
    if (dyn != "true" && dyn != "false")
      throw Error(ErrorKind::kInput, detail::Where(name, r.line, r.fields[c_dyn].col),
                  "column 'dynamic' must be true or false");
    m.dynamic = dyn == "true";
    m.burnable = !(m.number >= 91 && m.number <= 99);
    m.depth_ft = num(c_vals[0], kNumCols[0]);
    m.mx_dead = num(c_vals[1], kNumCols[1]);
    m.heat_dead = num(c_vals[2], kNumCols[2]);
    m.heat_live = num(c_vals[3], kNumCols[3]);
    for (int k = 0; k < 5; ++k) m.load[static_cast<std::size_t>(k)] = num(c_vals[4 + k], kNumCols[4 + k]);
    for (int k = 0; k < 5; ++k) m.savr[static_cast<std::size_t>(k)] = num(c_vals[9 + k], kNumCols[9 + k]);
    if (m.burnable && (m.depth_ft <= 0 || m.mx_dead <= 0))
      throw Error(ErrorKind::kInput, detail::Where(name, r.line, 1),
                  "fuel model " + m.code + ": depth and dead moisture of extinction must be > 0");
    if (t.index_[static_cast<std::size_t>(m.number)] != 0)
      throw Error(ErrorKind::kInput, detail::Where(name, r.line, r.fields[c_num].col),
                  "fuel model number " + std::to_string(m.number) + " listed twice");
    t.models_.push_back(std::move(m));
    t.index_[static_cast<std::size_t>(t.models_.back().number)] = static_cast<int>(t.models_.size());
  }
  return t;
}

FuelModelTable FuelModelTable::Load(const std::string& path) { return Parse(detail::ReadFileText(path), path); }

const FuelModel* FuelModelTable::Find(int number) const {
  if (number < 0 || number > 255) return nullptr;
  const int i = index_[static_cast<std::size_t>(number)];
  return i ? &models_[static_cast<std::size_t>(i - 1)] : nullptr;
}

const FuelModel* FuelModelTable::FindCode(std::string_view code) const {
  const std::string c = Lower(code);
  for (const FuelModel& m : models_)
    if (Lower(m.code) == c) return &m;
  return nullptr;
}

std::string FuelModelPath(const std::string& explicit_path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!explicit_path.empty()) return explicit_path;
  if (const char* env = std::getenv("FIREBREAK_FUEL_MODELS"); env && *env) return env;
  std::vector<std::string> tried;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path p = exe.parent_path().parent_path() / "share/firebreak/fuel_models.csv";
    if (fs::exists(p, ec)) return p.string();
    tried.push_back(p.string());
  }
#ifdef FIREBREAK_SHARED_DATA_DIR
  fs::path shared = fs::path(FIREBREAK_SHARED_DATA_DIR) / "reference/behave-surface/fuel_models.csv";
  if (fs::exists(shared, ec)) return shared.lexically_normal().string();
  tried.push_back(shared.lexically_normal().string());
#endif
  std::string list;
  for (const auto& t : tried) list += (list.empty() ? "" : ", ") + t;
  throw Error(ErrorKind::kNotFound, "fuel models", "no fuel-model table found (looked in: " + list + ")",
              "pass --fuel-models FILE or set FIREBREAK_FUEL_MODELS to BehavePlus's fuel_models.csv");
}

}  // namespace firebreak::fire
