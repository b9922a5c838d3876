// Incident updates (merge.h).
#include "firebreak/format/merge.h"

#include <algorithm>
#include <vector>

#include <nlohmann/json.hpp>

#include "firebreak/common/error.h"
#include "firebreak/format/document.h"
#include "firebreak/format/report_io.h"
#include "report_parse.h"

namespace firebreak::format {

namespace {

using ordered = nlohmann::ordered_json;

// The merge of MergeReportJson: top-level members replace, nested objects merge key by key.
template <class Json>
void MergeInto(Json& b, const Json& u) {
  for (auto it = u.begin(); it != u.end(); ++it) {
    if (it.value().is_object() && b.contains(it.key()) && b[it.key()].is_object()) {
      for (auto jt = it.value().begin(); jt != it.value().end(); ++jt) b[it.key()][jt.key()] = jt.value();
    } else {
      b[it.key()] = it.value();
    }
  }
}

template <class Json>
Json ParseObject(const std::string& text, const std::string& where, const char* what) {
  Json v = Json::parse(text, nullptr, false);
  if (!v.is_object()) throw Error(ErrorKind::kInput, where, what);
  return v;
}

// Would the text nlohmann writes for `v` pass the report reader's plain-JSON test (report_io.cc PlainJson) with
// room to spare? Nesting within the document limit and no key that the writer escapes. (Raw NUL bytes, duplicate
// keys and \ud escapes never occur in nlohmann's output; the size is bounded by the merger.)
template <class Json>
bool PlainValue(const Json& v, int depth) {
  if (!v.is_structured()) return true;
  if (depth + 1 > Limits{}.max_depth) return false;
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      for (unsigned char c : it.key())
        if (c == '"' || c == '\\' || c < 0x20) return false;
      if (!PlainValue(it.value(), depth + 1)) return false;
    }
  } else {
    for (const Json& e : v)
      if (!PlainValue(e, depth + 1)) return false;
  }
  return true;
}

}  // namespace

std::string MergeReportJson(const std::string& base, const std::string& update, const std::string& where) {
  ordered b = ordered::parse(base, nullptr, false);
  ordered u = ordered::parse(update, nullptr, false);
  if (!b.is_object()) throw Error(ErrorKind::kInput, where, "the incident's last report is not a JSON object");
  if (!u.is_object()) throw Error(ErrorKind::kInput, where, "a report must be a JSON object");
  MergeInto(b, u);
  return b.dump();
}

struct ReportMerger::State {
  // The merge in the updates' key order, for Text(): `merged` with the `pending` updates merged in (when asked for).
  mutable ordered merged = ordered::object();
  mutable std::vector<ParsedUpdate> pending;
  nlohmann::json value = nlohmann::json::object();  // the same merge with sorted keys: json::parse(Text())
  mutable std::optional<std::string> text;          // merged.dump(), when asked for
  std::size_t update_bytes = 0;                     // of every update added
  bool plain = true;                                // every update PlainValue (so is the merge)
};

ReportMerger::ReportMerger() : s_(std::make_unique<State>()) {}
ReportMerger::ReportMerger(const ReportMerger& o) : s_(std::make_unique<State>(*o.s_)) {}
ReportMerger& ReportMerger::operator=(const ReportMerger& o) {
  if (this != &o) s_ = std::make_unique<State>(*o.s_);
  return *this;
}
ReportMerger::ReportMerger(ReportMerger&&) noexcept = default;
ReportMerger& ReportMerger::operator=(ReportMerger&&) noexcept = default;
ReportMerger::~ReportMerger() = default;

struct ParsedUpdate::Parsed {
  std::string text;      // read again in key order only when a merger's Text() is asked for
  nlohmann::json value;  // with sorted keys: the same object as ordered::parse(text), keys sorted
  bool plain = false;    // PlainValue(value, 0) (keys and nesting do not depend on their order)
};

ParsedUpdate::ParsedUpdate(const std::string& update, const std::string& where) {
  auto p = std::make_shared<Parsed>();
  p->value = ParseObject<nlohmann::json>(update, where, "a report must be a JSON object");
  p->text = update;
  p->plain = PlainValue(p->value, 0);
  p_ = std::move(p);
}

void ReportMerger::Add(const std::string& update, const std::string& where) { Add(ParsedUpdate(update, where)); }

void ReportMerger::Add(const ParsedUpdate& update) {
  const ParsedUpdate::Parsed& p = *update.p_;
  s_->pending.push_back(update);
  MergeInto(s_->value, p.value);
  s_->text.reset();
  s_->update_bytes += p.text.size();
  // nlohmann writes a number at most ~25 bytes longer than it may be written, so 1 MiB of updates stays far
  // below the reader's 32 MiB limit; beyond it the text is written and read as before.
  s_->plain = s_->plain && s_->update_bytes <= (std::size_t{1} << 20) && p.plain;
}

const std::string& ReportMerger::Text() const {
  if (!s_->text) {
    // The same parse as ParsedUpdate's (which succeeded), in key order.
    for (const ParsedUpdate& u : s_->pending) MergeInto(s_->merged, ordered::parse(u.p_->text));
    s_->pending.clear();
    s_->text = s_->merged.dump();
  }
  return *s_->text;
}

engine::Incident ReportMerger::Read(const std::string& source, const engine::RuleSet& rules) const {
  if (s_->plain)
    if (auto in = internal::ParseReportValue(s_->value, source, rules)) return std::move(*in);
  return std::move(ParseReports(Text(), source, rules).front());  // the canonical reading and error
}

}  // namespace firebreak::format
