// An incident's history merged into states (history.h).
#include "firebreak/timeline/history.h"

#include <algorithm>
#include <numeric>

#include "firebreak/common/error.h"
#include "firebreak/format/document.h"
#include "firebreak/format/merge.h"
#include "firebreak/format/report_io.h"

#include "merge_tree.h"

namespace firebreak::timeline {

using namespace engine;

namespace {

// The open_fire_since the report itself gives (not the merged one), if any.
std::optional<Timestamp> OwnSince(const ReportEntry& r, const RuleSet& rules) {
  if (r.json.find("open_fire_since") == std::string::npos) return std::nullopt;
  format::Node n = format::ReadDocument(r.json, r.source);
  if (!n.Find("open_fire_since")) return std::nullopt;
  return format::ParseReportNode(n, r.source, rules, true).front().open_fire_since;
}

std::string Stamp(const Timestamp& t) { return FormatIso8601(t); }

}  // namespace

void SortByMoment(std::vector<ReportEntry>& reports) {
  // Sorted by index, then moved once (a ReportEntry holds its JSON text: moving it at every merge step costs).
  std::vector<std::size_t> by(reports.size());
  std::iota(by.begin(), by.end(), std::size_t{0});
  std::stable_sort(by.begin(), by.end(), [&](std::size_t i, std::size_t j) {
    const ReportEntry& a = reports[i];
    const ReportEntry& b = reports[j];
    if (a.incident_id != b.incident_id) return a.incident_id < b.incident_id;
    return a.reported_at != b.reported_at ? a.reported_at < b.reported_at : a.order < b.order;
  });
  bool sorted = true;
  for (std::size_t k = 0; k < by.size() && sorted; ++k) sorted = by[k] == k;
  if (sorted) return;
  std::vector<ReportEntry> out;
  out.reserve(reports.size());
  for (std::size_t k : by) out.push_back(std::move(reports[k]));
  reports = std::move(out);
}

std::map<std::string, std::vector<ReportEntry>> ReportsByIncident(const std::vector<ReportEntry>& reports) {
  std::map<std::string, std::vector<ReportEntry>> by_id;
  for (const auto& r : reports) by_id[r.incident_id].push_back(r);
  for (auto& [id, rs] : by_id) SortByMoment(rs);
  return by_id;
}

std::vector<bool> LateReports(const std::vector<ReportEntry>& reports) {
  std::vector<std::size_t> by_order(reports.size());
  std::iota(by_order.begin(), by_order.end(), std::size_t{0});
  std::stable_sort(by_order.begin(), by_order.end(),
                   [&](std::size_t a, std::size_t b) { return reports[a].order < reports[b].order; });
  std::vector<bool> late(reports.size(), false);
  std::optional<Timestamp> latest;  // latest moment described by the reports recorded so far
  for (std::size_t k : by_order) {
    const ReportEntry& r = reports[k];
    late[k] = latest && *latest > r.reported_at;
    if (!latest || r.reported_at > *latest) latest = r.reported_at;
  }
  return late;
}

std::vector<Timestamp> KnownTimes(const std::vector<ReportEntry>& reports) {
  const std::vector<bool> late = LateReports(reports);
  std::vector<Timestamp> known(reports.size());
  for (std::size_t k = 0; k < reports.size(); ++k)
    known[k] = late[k] || reports[k].known_when_recorded ? std::max(reports[k].recorded_at, reports[k].reported_at)
                                                         : reports[k].reported_at;
  return known;
}

Incident HistoryMerger::Add(const ReportEntry& r, const format::ParsedUpdate* parsed) {
  const RuleSet& rules = engine_->rules();
  if (parsed)
    merged_.Add(*parsed);
  else
    merged_.Add(r.json, r.source);
  Incident in = merged_.Read(r.source.empty() ? r.incident_id : r.source, rules);
  const bool was_out = !periods_.empty() && !periods_.back().until;
  const std::optional<Timestamp> own_since = OwnSince(r, rules);
  in.out_periods = periods_;
  const bool burning = engine_->Fire(in).burning;
  if (was_out && burning) {
    // Re-ignition: the out period ends when the report says the fire burned again, else at the report.
    OutPeriod& p = periods_.back();
    if (own_since && *own_since > p.from) {
      p.until = std::min(*own_since, r.reported_at);
    } else {
      p.until = r.reported_at;
      p.until_assumed = true;
      in.notices.push_back(Notice{
          "reignition-without-since", kReignitionInterpretation, r.reported_at,
          "the fire reported out at " + Stamp(p.from) +
              " burns again; the report gives no "
              "new open_fire_since, so it is taken to have re-ignited at " +
              Stamp(r.reported_at) + " (hours before are not open fire)",
          "火情于" + Stamp(p.from) + "报告明火已扑灭，本报告又有明火但未给出复燃时刻（open_fire_since），按本报告时刻" +
              Stamp(r.reported_at) + "复燃处理（此前不计明火时长），请补报复燃时刻"});
    }
  } else if (own_since) {
    first_since_ = own_since;  // a (corrected) start of open fire
  }
  if (!first_since_) first_since_ = in.open_fire_since;
  if (!burning && !was_out) periods_.push_back(OutPeriod{r.reported_at, std::nullopt, false});
  in.open_fire_since = first_since_;
  in.out_periods = periods_;
  if (last_ && *last_ == r.reported_at)
    in.notices.push_back(Notice{"same-moment", kSameMomentInterpretation, r.reported_at,
                                "merged with the report of the same moment recorded before it",
                                "与先记录的同一时刻报告合并"});
  last_ = r.reported_at;
  return in;
}

std::vector<Incident> MergeHistory(const Engine& engine, const std::vector<ReportEntry>& reports,
                                   const Enrich& enrich) {
  HistoryMerger m(engine);
  std::vector<Incident> out;
  out.reserve(reports.size());
  for (const ReportEntry& r : reports) {
    out.push_back(m.Add(r));
    if (enrich) enrich(out.back());
  }
  return out;
}

// ---------------------------------------------------------------- the merge tree (merge_tree.h)

namespace internal {

std::string MergeTree::KeyOf(const ReportEntry& r) {
  std::string k;
  k.reserve(r.incident_id.size() + r.source.size() + r.json.size() + 32);
  k += r.incident_id;
  k += '\x1f';
  k += std::to_string(r.reported_at.epoch_s);
  k += ':';
  k += std::to_string(r.reported_at.offset_min);
  k += '\x1f';
  k += r.source;
  k += '\x1f';
  k += r.json;
  return k;
}

MergeTree::Read& MergeTree::Update(const std::string& key, const ReportEntry& r) {
  auto it = updates_.find(key);
  if (it == updates_.end()) {
    it = updates_.emplace(key, Read{format::ParsedUpdate(r.json, r.source), 0}).first;
    it->second.key = &it->first;
  }
  it->second.used = generation_;
  return it->second;
}

// The merge after node `n`: its kept merger (moved, or copied when a late report follows it), else the merge of the
// reports on its path again (each as read, none read into a state again) resumed with n's own merger state.
HistoryMerger MergeTree::TakeMerger(MergeNode* n) {
  if (n->merger) {
    if (n->keep_merger) return *n->merger;
    HistoryMerger m = std::move(*n->merger);
    n->merger.reset();
    return m;
  }
  std::vector<const MergeNode*> path;
  for (const MergeNode* p = n; p->parent; p = p->parent) path.push_back(p);
  HistoryMerger m(engine_);
  for (auto it = path.rbegin(); it != path.rend(); ++it) m.merged_.Add(*(*it)->update);
  m.first_since_ = n->first_since;
  m.periods_ = n->periods;
  m.last_ = n->last;
  if (n->keep_merger) n->merger = m;
  return m;
}

MergeNode* MergeTree::Child(MergeNode* n, const ReportEntry& r, const std::string& key, bool keep_merger) {
  MergeNode* c = nullptr;
  for (auto& child : n->children)
    if (*child->key == key) {
      c = child.get();
      break;
    }
  if (!c) {
    Read& read = Update(key, r);  // throws before anything changes
    HistoryMerger m = TakeMerger(n);
    auto made = std::make_unique<MergeNode>();
    made->state = m.Add(r, &read.update);  // throws: nothing added
    if (enrich_) enrich_(made->state);
    made->parent = n;
    made->update = &read.update;
    made->key = read.key;
    made->key_used = &read.used;
    made->first_since = m.first_since_;
    made->last = m.last_;
    made->periods = m.periods_;
    made->merger = std::move(m);
    c = made.get();
    n->children.push_back(std::move(made));
  }
  c->used = *c->key_used = generation_;
  if (keep_merger) c->keep_merger = true;
  return c;
}

const engine::FireState& MergeTree::Fire(MergeNode& n) {
  if (!n.fire) n.fire = engine_.Fire(n.state);
  return *n.fire;
}

// Frees a subtree without recursion (a chain of many reports is deep).
void MergeTree::Free(std::unique_ptr<MergeNode> n) {
  std::vector<std::unique_ptr<MergeNode>> todo;
  todo.push_back(std::move(n));
  while (!todo.empty()) {
    std::unique_ptr<MergeNode> p = std::move(todo.back());
    todo.pop_back();
    if (!p) continue;
    for (auto& c : p->children) todo.push_back(std::move(c));
    p->children.clear();
  }
}

MergeTree::~MergeTree() {
  for (auto& c : root_.children) Free(std::move(c));
}

void MergeTree::Prune() {
  // Without recursion (a history of many reports is a deep chain): along each chain, branches pushed on `todo`.
  std::vector<MergeNode*> todo{&root_};
  while (!todo.empty()) {
    MergeNode* n = todo.back();
    todo.pop_back();
    while (n) {
      auto& ch = n->children;
      const auto unused = std::partition(ch.begin(), ch.end(), [&](const auto& c) { return c->used == generation_; });
      for (auto it = unused; it != ch.end(); ++it) Free(std::move(*it));
      ch.erase(unused, ch.end());
      std::erase_if(n->assessed, [&](const MergeNode::Memo& m) { return m.used != generation_; });
      n->keep_merger = false;
      for (std::size_t i = 1; i < ch.size(); ++i) todo.push_back(ch[i].get());
      n = ch.empty() ? nullptr : ch[0].get();
    }
  }
  for (auto it = updates_.begin(); it != updates_.end();)
    it = it->second.used != generation_ ? updates_.erase(it) : std::next(it);
}

void MergeTree::RequireEngine(const DerivationCache* cache, const engine::Engine& engine) {
  if (cache && &cache->engine() != &engine)
    throw Error(ErrorKind::kInternal, "timeline", "a derivation cache used with another engine",
                "keep one DerivationCache per engine");
}

}  // namespace internal

DerivationCache::DerivationCache(const Engine& engine) : tree_(std::make_shared<internal::MergeTree>(engine)) {}
DerivationCache::~DerivationCache() = default;
const Engine& DerivationCache::engine() const { return tree_->engine(); }

MergedHistory MergeForTimeline(const Engine& eng, const std::vector<ReportEntry>& rs, const Enrich& enrich,
                               DerivationCache* cache) {
  internal::MergeTree::RequireEngine(cache, eng);
  MergedHistory h;
  // A cache kept between derivations never holds enriched states (history.h).
  const bool use = cache && (!enrich || cache->tree()->one_derivation());
  h.tree = use ? cache->tree() : std::make_shared<internal::MergeTree>(eng);
  h.tree->set_enrich(enrich);
  h.known = KnownTimes(rs);
  for (std::size_t k = 0; k < rs.size(); ++k) h.any_late = h.any_late || h.known[k] != rs[k].reported_at;
  h.states.reserve(rs.size());
  h.nodes.reserve(rs.size());
  h.keys.reserve(rs.size());
  internal::MergeNode* n = h.tree->root();
  for (std::size_t k = 0; k < rs.size(); ++k) {
    h.keys.push_back(internal::MergeTree::KeyOf(rs[k]));
    // Before a late report: the office's view lacks it for a while and resumes the merge here (OfficeStates).
    const bool late_next = k + 1 < rs.size() && h.known[k + 1] != rs[k + 1].reported_at;
    n = h.tree->Child(n, rs[k], h.keys.back(), late_next);
    h.nodes.push_back(n);
    h.states.push_back(&n->state);
  }
  return h;
}

// The office's view of one incident with late reports: after each report as it became known, the state merged
// from the reports known by then, effective from that moment. While the known reports are the first ones in
// moment order, that state is the merged history's; otherwise (a late report still missing) it is the merge tree's
// node after the first reports up to the first missing one, then the known ones after it in moment order, one known
// report at a time while they arrive in moment order. States are the tree's where they are the same (same moment,
// no notices), else kept in `owned`.
std::vector<const Incident*> OfficeStates(const std::vector<ReportEntry>& rs, const MergedHistory& h,
                                          std::deque<Incident>& owned, std::vector<internal::MergeNode*>* nodes) {
  const std::vector<Timestamp>& known = h.known;
  std::vector<std::size_t> arrival(rs.size());
  for (std::size_t k = 0; k < rs.size(); ++k) arrival[k] = k;
  std::stable_sort(arrival.begin(), arrival.end(), [&](std::size_t a, std::size_t b) { return known[a] < known[b]; });
  std::vector<const Incident*> out;
  out.reserve(rs.size());
  if (nodes) nodes->clear();
  std::vector<bool> in_set(rs.size(), false);
  std::size_t count = 0, prefix = 0;  // reports known; the first `prefix` (moment order) are all known
  internal::MergeNode* at_node = nullptr;
  bool in_step = false;  // at_node is the merge of exactly the known reports, the last of them being `last_in`
  std::size_t last_in = 0;
  for (std::size_t j = 0; j < arrival.size(); ++j) {
    const std::size_t k = arrival[j];
    in_set[k] = true;
    ++count;
    while (prefix < rs.size() && in_set[prefix]) ++prefix;
    if (in_step && k > last_in) {
      at_node = h.tree->Child(at_node, rs[k], h.keys[k]);
      last_in = k;
    } else {
      in_step = false;
    }
    if (j + 1 < arrival.size() && known[arrival[j + 1]] == known[k]) continue;  // same moment: once
    const Timestamp at = known[arrival[j]];
    internal::MergeNode* node = nullptr;
    if (count == prefix) {
      node = h.nodes[prefix - 1];
    } else {
      if (!in_step) {
        at_node = prefix > 0 ? h.nodes[prefix - 1] : h.tree->root();
        for (std::size_t m = prefix; m < rs.size(); ++m)
          if (in_set[m]) {
            at_node = h.tree->Child(at_node, rs[m], h.keys[m]);
            last_in = m;
          }
        in_step = true;
      }
      node = at_node;
    }
    if (node->state.reported_at == at && node->state.notices.empty()) {
      out.push_back(&node->state);
      if (nodes) nodes->push_back(node);
      continue;
    }
    owned.push_back(node->state);
    owned.back().reported_at = at;
    owned.back().notices.clear();
    out.push_back(&owned.back());
    if (nodes) nodes->push_back(nullptr);
  }
  return out;
}

}  // namespace firebreak::timeline
