// `firebreak fire behavior --input CASES.csv`: surface fire runs described one a row with exactly the columns of
// ../shared/data/reference/behave-surface/surface_cases_public.csv (fuel_model_number … elapsed_time_units,
// output, output_units; other columns such as case_id or expected pass through). The result is the input rows
// with a column `observed` appended: the value the row's `output` names, in its `output_units`.
//
// All or nothing: every row is validated before anything is returned; the first problem throws
// Error(kInput, "file:line:col", "column 'x': ...") (a missing column names the header line). Rows of a special
// fuel model (two_fuel_models, chaparral, palmetto_gallberry, western_aspen) are not computed: their `observed`
// is empty and RunCases lists them in `skipped`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "firebreak/fire/surface.h"

namespace firebreak::fire {

struct CasesRun {
  std::string source;
  std::vector<std::string> header;             // input columns (with `observed` last)
  std::vector<std::vector<std::string>> rows;  // input fields per row
  std::vector<std::optional<double>> observed;
  std::vector<std::string> skipped;  // "line 12: special fuel model chaparral is not computed"
};

// The columns a CASES file must have (everything the computation reads).
const std::vector<std::string>& RequiredCaseColumns();

CasesRun RunCases(std::string_view text, const std::string& name, const SurfaceFuels& fuels);

// csv: the input header + `observed`, one row per input row (observed with 10 significant decimals);
// json: an array of objects {column: text, ..., "observed": number|null}.
std::string FormatCases(const CasesRun& run, const std::string& format);

}  // namespace firebreak::fire
