// Lint and show on the Liuzhou plan and on a synthetic plan with many triggers (the pairwise analysis is
// quadratic in alternatives). Results: docs/bench/a2.md.
#include <string>

#include <benchmark/benchmark.h>

#include "firebreak/rules/lint.h"
#include "firebreak/rules/loader.h"
#include "firebreak/rules/show.h"

namespace {

using namespace firebreak;

const engine::RuleSet& Liuzhou() {
  static const engine::RuleSet rs = rules::LoadRuleFile(std::string(FIREBREAK_SOURCE_DIR) + "/rules/liuzhou-2022.yaml");
  return rs;
}

// n triggers per level, each a band on deaths [k, k+2) plus one threshold on burned area.
engine::RuleSet Synthetic(int n) {
  engine::RuleSet rs;
  rs.source_file = "synthetic";
  for (int l = 1; l <= 4; ++l) {
    engine::LevelSpec s;
    s.level = static_cast<engine::Level>(l);
    s.clause = std::to_string(l);
    for (int k = 0; k < n; ++k) {
      engine::Trigger t;
      t.clause = std::to_string(l) + "(" + std::to_string(k) + ")";
      engine::Predicate band{
          engine::FactId::kDeaths,
          {{engine::Cmp::kGe, double(l * n + k), "以上"}, {engine::Cmp::kLt, double(l * n + k + 2), "以下"}},
          {},
          {}};
      engine::Predicate area{engine::FactId::kBurnedAreaHa, {{engine::Cmp::kGt, double(50 * l + k), "超过"}}, {}, {}};
      t.when.any = {{"band", {band}}, {"area", {area}}};
      s.triggers.push_back(std::move(t));
    }
    rs.levels.push_back(std::move(s));
  }
  return rs;
}

void BM_LintLiuzhou(benchmark::State& st) {
  const auto& rs = Liuzhou();
  for (auto _ : st) benchmark::DoNotOptimize(rules::Lint(rs));
}
BENCHMARK(BM_LintLiuzhou);

void BM_LintSynthetic(benchmark::State& st) {
  auto rs = Synthetic(static_cast<int>(st.range(0)));
  for (auto _ : st) benchmark::DoNotOptimize(rules::Lint(rs));
  st.SetComplexityN(st.range(0) * 4 * 2);  // alternatives
}
BENCHMARK(BM_LintSynthetic)->RangeMultiplier(4)->Range(4, 64)->Complexity();

void BM_LintRenderText(benchmark::State& st) {
  auto rep = rules::Lint(Liuzhou());
  for (auto _ : st) benchmark::DoNotOptimize(rules::RenderLintText(rep, "zh"));
}
BENCHMARK(BM_LintRenderText);

void BM_ShowTable(benchmark::State& st) {
  const auto& rs = Liuzhou();
  for (auto _ : st) benchmark::DoNotOptimize(rules::RenderShow(rs, {}));
}
BENCHMARK(BM_ShowTable);

void BM_ShowMarkdown(benchmark::State& st) {
  const auto& rs = Liuzhou();
  for (auto _ : st) benchmark::DoNotOptimize(rules::RenderShow(rs, {rules::ShowFormat::kMarkdown, "en", false}));
}
BENCHMARK(BM_ShowMarkdown);

void BM_DisplayWidth(benchmark::State& st) {
  std::string s;
  for (int i = 0; i < 100; ++i) s += "发生在敏感时段、敏感地区明火持续6小时 open fire 6 h ";
  for (auto _ : st) benchmark::DoNotOptimize(rules::DisplayWidth(s));
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations()) * static_cast<int64_t>(s.size()));
}
BENCHMARK(BM_DisplayWidth);

}  // namespace

BENCHMARK_MAIN();
