// Internal: the merge tree behind DerivationCache (history.h) — the states after each sequence of reports merged,
// and the engine's assessments of them, kept so that a sequence merged (or a state assessed) before is not merged
// (or assessed) again.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "firebreak/engine/decision.h"
#include "firebreak/engine/engine.h"
#include "firebreak/format/merge.h"
#include "firebreak/timeline/history.h"
#include "firebreak/timeline/timeline.h"

namespace firebreak::timeline::internal {

// What a sweep takes from the engine's Decision on one state at one moment (views into the RuleSet).
struct Assessed {
  std::optional<engine::Level> level;
  bool terminated = false;
  std::vector<std::string_view> triggers;  // clauses of the triggers at `level`
  std::vector<ReportingDuty> reporting;
  engine::Tier lead = engine::Tier::kCounty;
  std::optional<engine::Grade> grade;
  std::optional<double> open_fire_hours;
  bool controlled = false, extinguished = false;
  std::vector<engine::DueTime> due;  // Decision::next.due (by time)
  std::optional<Timestamp> change;
};

// The engine's input besides the state: the moment and the concurrency.
struct AssessKey {
  std::int64_t at;
  int offset, fires, dangerous;
  bool operator==(const AssessKey& o) const {
    return at == o.at && offset == o.offset && fires == o.fires && dangerous == o.dangerous;
  }
};
// The state after the reports on the path from the root to this node (each node adds one report).
struct MergeNode {
  MergeNode* parent = nullptr;
  // This node's report as read (none at the root): MergeTree's, kept while the node is (both used by a derivation).
  const format::ParsedUpdate* update = nullptr;
  engine::Incident state;  // HistoryMerger::Add's result, enriched
  // The HistoryMerger's own state after this node (to resume the merge here): see HistoryMerger.
  std::optional<Timestamp> first_since, last;
  std::vector<engine::OutPeriod> periods;
  std::optional<HistoryMerger> merger;    // the merge after this node, while kept (moved on to a new child)
  bool keep_merger = false;               // copied, not moved: a late report follows (the office's view resumes here)
  std::optional<engine::FireState> fire;  // Engine::Fire(state), once asked
  struct Memo {
    AssessKey key;
    Assessed a;
    std::uint64_t used = 0;
  };
  std::vector<Memo> assessed;                        // a state is assessed at few moments: searched in order
  std::vector<std::unique_ptr<MergeNode>> children;  // each with a report of its own (`key`)
  const std::string* key = nullptr;                  // this node's report's key (MergeTree's, lives as long)
  std::uint64_t* key_used = nullptr;                 // when that key was last used
  std::uint64_t used = 0;                            // the derivation that last used it
};

class MergeTree {
 public:
  explicit MergeTree(const engine::Engine& engine) : engine_(engine) {}
  ~MergeTree();
  MergeTree(const MergeTree&) = delete;
  MergeTree& operator=(const MergeTree&) = delete;
  const engine::Engine& engine() const { return engine_; }
  MergeNode* root() { return &root_; }
  std::uint64_t generation() const { return generation_; }
  void set_enrich(const Enrich& e) { enrich_ = e; }
  // A tree for one derivation only (BuildTimeline without a cache): it may hold enriched states.
  bool one_derivation() const { return one_derivation_; }
  void set_one_derivation() { one_derivation_ = true; }

  // The key of a report in the tree: everything the merge reads of it.
  static std::string KeyOf(const ReportEntry& r);
  // The node after `n` and report `r` (key `key`): found, or merged now (Throws what HistoryMerger::Add throws).
  // keep_merger: a late report follows the new node (see MergeNode::keep_merger).
  MergeNode* Child(MergeNode* n, const ReportEntry& r, const std::string& key, bool keep_merger = false);
  // Engine::Fire of a node's state, once.
  const engine::FireState& Fire(MergeNode& n);

  // A derivation starts (marks what it uses) / ends (drops what it did not use).
  void Begin() { ++generation_; }
  void Prune();

  // Throws Error(kInternal) unless `cache` (if any) was made for `engine`.
  static void RequireEngine(const DerivationCache* cache, const engine::Engine& engine);

 private:
  HistoryMerger TakeMerger(MergeNode* n);
  static void Free(std::unique_ptr<MergeNode> n);
  struct Read;
  Read& Update(const std::string& key, const ReportEntry& r);

  const engine::Engine& engine_;
  Enrich enrich_;
  MergeNode root_;
  std::uint64_t generation_ = 1;
  bool one_derivation_ = false;
  struct Read {
    format::ParsedUpdate update;
    std::uint64_t used;
    const std::string* key = nullptr;  // the map's own (stable)
  };
  std::unordered_map<std::string, Read> updates_;  // each report's JSON read once, by key
};

}  // namespace firebreak::timeline::internal
