// Gridded FWI and landscape look-ups through GDAL (grid.h). GDAL headers stay in this file.
#include "firebreak/fire/grid.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal_priv.h>

#include <unistd.h>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>
#include <mutex>

#include "firebreak/common/error.h"
#include "firebreak/fire/danger.h"
#include "firebreak/fire/fwi_grid.h"
#include "firebreak/gis/raster.h"

namespace firebreak::fire {

namespace {

constexpr float kNoData = -9999.0f;
constexpr const char* kOutBands[8] = {"FFMC", "DMC", "DC", "ISI", "BUI", "FWI", "DSR", "CLASS"};

struct Closer {
  void operator()(GDALDataset* d) const {
    if (d) GDALClose(GDALDataset::ToHandle(d));
  }
};
using Dataset = std::unique_ptr<GDALDataset, Closer>;

// GDAL errors are recorded, not printed, while alive.
struct Quiet {
  Quiet() {
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
  }
  ~Quiet() { CPLPopErrorHandler(); }
};

std::string GdalMessage() {
  const char* m = CPLGetLastErrorMsg();
  return m && *m ? m : "unknown GDAL error";
}

Dataset OpenRaster(const std::string& path) {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
  Dataset d(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
  if (!d) throw Error(ErrorKind::kGis, path, "cannot open raster: " + GdalMessage(), "check the path and format");
  return d;
}

GDALRasterBand* Band(GDALDataset& d, const std::string& path, int b, const char* what) {
  if (b < 1 || b > d.GetRasterCount())
    throw Error(ErrorKind::kGis, path,
                std::string("no band ") + std::to_string(b) + " for " + what + " (the raster has " +
                    std::to_string(d.GetRasterCount()) + ")",
                "name the bands with --bands TEMP,RH,WIND,RAIN");
  return d.GetRasterBand(b);
}

// Reads rows [r0, r0+n) of a band as float, nodata as NaN.
void ReadRows(GDALRasterBand* b, const std::string& path, int r0, int n, int cols, std::vector<float>& buf) {
  buf.resize(static_cast<std::size_t>(n) * static_cast<std::size_t>(cols));
  if (b->RasterIO(GF_Read, 0, r0, cols, n, buf.data(), cols, n, GDT_Float32, 0, 0) != CE_None)
    throw Error(ErrorKind::kGis, path, "cannot read rows: " + GdalMessage());
  int has = 0;
  const double nd = b->GetNoDataValue(&has);
  if (has && !std::isnan(nd))
    for (float& v : buf)
      if (v == static_cast<float>(nd)) v = std::numeric_limits<float>::quiet_NaN();
}

// The temporary output is removed unless Commit() renamed it into place.
class TempOutput {
 public:
  explicit TempOutput(const std::string& target) : target_(target) {
    namespace fs = std::filesystem;
    const fs::path t(target);
    std::string base(".");
    base.append(t.filename().string()).append(".tmp").append(std::to_string(::getpid())).append(".tif");
    tmp_ = ((t.has_parent_path() ? t.parent_path() : fs::path(".")) / base).string();
  }
  ~TempOutput() {
    if (!committed_) std::remove(tmp_.c_str());
  }
  const std::string& path() const { return tmp_; }
  void Commit() {
    if (std::rename(tmp_.c_str(), target_.c_str()) != 0)
      throw Error(ErrorKind::kGis, target_, "cannot move the finished raster into place", "check the directory");
    committed_ = true;
  }

 private:
  std::string target_, tmp_;
  bool committed_ = false;
};

Dataset CreateOutput(const std::string& tmp, const std::string& target, GDALDataset& like) {
  GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GTiff");
  if (!drv) throw Error(ErrorKind::kGis, target, "the GDAL GTiff driver is missing");
  const char* opts[] = {"TILED=YES",        "COMPRESS=DEFLATE",     "PREDICTOR=3",
                        "BIGTIFF=IF_SAFER", "NUM_THREADS=ALL_CPUS", nullptr};
  Dataset out(
      drv->Create(tmp.c_str(), like.GetRasterXSize(), like.GetRasterYSize(), 8, GDT_Float32, const_cast<char**>(opts)));
  if (!out)
    throw Error(ErrorKind::kGis, target, "cannot create GeoTIFF: " + GdalMessage(), "check the directory is writable");
  std::array<double, 6> gt{};
  if (like.GetGeoTransform(gt.data()) == CE_None) out->SetGeoTransform(gt.data());
  if (const char* wkt = like.GetProjectionRef(); wkt && *wkt) out->SetProjection(wkt);
  for (int b = 1; b <= 8; ++b) {
    out->GetRasterBand(b)->SetNoDataValue(kNoData);
    out->GetRasterBand(b)->SetDescription(kOutBands[b - 1]);
  }
  return out;
}

void CheckSameGrid(GDALDataset& a, GDALDataset& b, const std::string& path_b) {
  std::array<double, 6> ga{}, gb{};
  const bool ha = a.GetGeoTransform(ga.data()) == CE_None, hb = b.GetGeoTransform(gb.data()) == CE_None;
  bool same = a.GetRasterXSize() == b.GetRasterXSize() && a.GetRasterYSize() == b.GetRasterYSize() && ha == hb;
  for (int i = 0; same && ha && i < 6; ++i) same = std::fabs(ga[i] - gb[i]) <= 1e-9 * std::max(1.0, std::fabs(ga[i]));
  if (!same)
    throw Error(ErrorKind::kGis, path_b,
                "yesterday's codes are not on the weather raster's grid (size or geotransform differ)",
                "resample it with gdalwarp -te/-ts to the weather raster");
}

}  // namespace

namespace {

// The open inputs of one grid job.
struct GridInputs {
  Dataset wx, yd;
  GDALRasterBand* bands[4] = {};
  GDALRasterBand* ybands[3] = {};
};

GridInputs OpenInputs(const FwiGridJob& job) {
  GridInputs g;
  g.wx = OpenRaster(job.weather);
  const int want[4] = {job.band_temp, job.band_rh, job.band_wind, job.band_rain};
  const char* names[4] = {"temp_c", "rh_pct", "wind_kmh", "rain_mm"};
  for (int k = 0; k < 4; ++k) g.bands[k] = Band(*g.wx, job.weather, want[k], names[k]);
  if (!job.yesterday.empty()) {
    g.yd = OpenRaster(job.yesterday);
    CheckSameGrid(*g.wx, *g.yd, job.yesterday);
    for (int k = 0; k < 3; ++k) g.ybands[k] = Band(*g.yd, job.yesterday, k + 1, kOutBands[k]);
  }
  return g;
}

// Danger class band and the summary statistics of one computed block; nodata cells become kNoData.
void Finish(std::vector<float> (&res)[8], std::size_t cells, const engine::RuleSet& rules, FwiGridSummary& s,
            double& sum) {
  for (std::size_t i = 0; i < cells; ++i) {
    const float f = res[5][i];
    if (std::isnan(f)) {
      for (auto& v : res) v[i] = kNoData;
      continue;
    }
    const engine::DangerClass* c = ClassifyFwi(rules, f);
    res[7][i] = c ? static_cast<float>(c->level) : 0.0f;
    ++s.class_cells[c ? static_cast<std::size_t>(c->level) : 0];
    ++s.valid;
    sum += f;
    s.fwi_min = std::min<double>(s.fwi_min, f);
    s.fwi_max = std::max<double>(s.fwi_max, f);
  }
}

[[noreturn]] void BadCell(const FwiGridJob& job, const std::string& why, int row, std::size_t col) {
  const bool codes = why.rfind("ffmc", 0) == 0 || why.rfind("dmc", 0) == 0 || why.rfind("dc", 0) == 0;
  throw Error(ErrorKind::kInput,
              (codes ? job.yesterday : job.weather) + ": row " + std::to_string(row) + " col " + std::to_string(col),
              why, "fix the raster (nodata is fine: it stays nodata)");
}

}  // namespace

FwiGridSummary RunFwiGrid(const FwiGridJob& job, const engine::RuleSet& rules) {
  using Clock = std::chrono::steady_clock;
  auto secs = [](Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); };
  if (job.month < 1 || job.month > 12) throw Error(ErrorKind::kUsage, "--month", "month must be 1..12");
  const Quiet quiet;
  GridInputs g = OpenInputs(job);
  const int rows = g.wx->GetRasterYSize(), cols = g.wx->GetRasterXSize();
  TempOutput tmp(job.output);
  Dataset out = CreateOutput(tmp.path(), job.output, *g.wx);
  FwiGridSummary s;
  s.rows = rows;
  s.cols = cols;
  s.class_cells.assign(rules.fire_danger ? rules.fire_danger->classes.size() + 1 : 1, 0);
  const DayLength dl = DayLengthFor(job.latitude);
  s.day_length = dl.name;
  s.fwi_min = std::numeric_limits<double>::infinity();
  s.fwi_max = -s.fwi_min;
  double sum = 0;
  std::vector<float> in[7], res[8];
  for (int r0 = 0; r0 < rows; r0 += job.block_rows) {
    const int n = std::min(job.block_rows, rows - r0);
    const std::size_t cells = static_cast<std::size_t>(n) * static_cast<std::size_t>(cols);
    const auto t0 = Clock::now();
    for (int k = 0; k < 4; ++k) ReadRows(g.bands[k], job.weather, r0, n, cols, in[k]);
    for (int k = 0; k < 3; ++k)
      if (g.ybands[k]) ReadRows(g.ybands[k], job.yesterday, r0, n, cols, in[4 + k]);
    const auto t1 = Clock::now();
    const FwiGridInput gi{cells,
                          in[0].data(),
                          in[1].data(),
                          in[2].data(),
                          in[3].data(),
                          g.ybands[0] ? in[4].data() : nullptr,
                          g.ybands[1] ? in[5].data() : nullptr,
                          g.ybands[2] ? in[6].data() : nullptr,
                          job.start,
                          job.month,
                          dl};
    std::size_t bad = 0;
    if (auto why = ValidateFwiGrid(gi, &bad))
      BadCell(job, *why, r0 + static_cast<int>(bad / static_cast<std::size_t>(cols)),
              bad % static_cast<std::size_t>(cols));
    for (auto& v : res) v.resize(cells);
    FwiGridFast(
        gi, {res[0].data(), res[1].data(), res[2].data(), res[3].data(), res[4].data(), res[5].data(), res[6].data()},
        job.threads);
    Finish(res, cells, rules, s, sum);
    const auto t2 = Clock::now();
    for (int b = 0; b < 8; ++b)
      if (out->GetRasterBand(b + 1)->RasterIO(GF_Write, 0, r0, cols, n, res[b].data(), cols, n, GDT_Float32, 0, 0) !=
          CE_None)
        throw Error(ErrorKind::kGis, job.output, "cannot write: " + GdalMessage());
    s.seconds_read += secs(t0, t1);
    s.seconds_compute += secs(t1, t2);
    s.seconds_write += secs(t2, Clock::now());
  }
  const auto t4 = Clock::now();
  out.reset();  // flushes and closes the GeoTIFF
  if (CPLGetLastErrorType() == CE_Failure)
    throw Error(ErrorKind::kGis, job.output, "cannot finish the GeoTIFF: " + GdalMessage());
  tmp.Commit();
  s.seconds_write += secs(t4, Clock::now());
  s.fwi_mean = s.valid ? sum / static_cast<double>(s.valid) : 0;
  if (!s.valid) s.fwi_min = s.fwi_max = 0;
  return s;
}

LandscapeCell ReadLandscapeAt(const std::string& path, engine::LonLat at) {
  const gis::Raster first = gis::Raster::Open(path, 1);
  if (!first.Contains(at))
    throw Error(ErrorKind::kGis, path,
                "the point " + std::to_string(at.lon) + "," + std::to_string(at.lat) + " is outside the landscape",
                "give --at inside the raster");
  LandscapeCell c;
  const int nb = first.band_count();
  auto value = [&](int b) -> std::optional<double> {
    if (b > nb) return std::nullopt;
    const gis::Raster r = gis::Raster::Open(path, b);
    auto v = r.ValueAt(at);
    return v ? std::optional<double>(*v) : std::nullopt;
  };
  c.elevation_m = value(1);
  c.slope_deg = value(2);
  if (auto a = value(3); a && *a >= 0) c.aspect_deg = *a;
  if (auto f = value(4)) c.fuel_model = static_cast<int>(std::lround(*f));
  c.canopy_cover_pct = value(5);
  if (auto h = value(6)) c.canopy_height_m = *h / 10.0;
  if (auto h = value(7)) c.canopy_base_m = *h / 10.0;
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s at %.5f,%.5f: fuel %d, slope %.0f°, aspect %.0f°, cover %.0f %%, height %.1f m",
                std::filesystem::path(path).filename().c_str(), at.lon, at.lat, c.fuel_model.value_or(-1),
                c.slope_deg.value_or(-1), c.aspect_deg.value_or(-1), c.canopy_cover_pct.value_or(-1),
                c.canopy_height_m.value_or(-1));
  c.description = buf;
  return c;
}

}  // namespace firebreak::fire
