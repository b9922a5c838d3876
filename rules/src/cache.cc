// Binary cache of a RuleSet (rules/include/firebreak/rules/cache.h). One Io() per struct lists its fields
// once for both directions; the static_asserts below fail the build when a struct of rule_set.h changes, so
// that its Io() and kCacheFormat are updated together.
#include "firebreak/rules/cache.h"

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <type_traits>

#include "firebreak/common/error.h"
#include "firebreak/common/sha256.h"
#include "firebreak/rules/loader.h"

namespace firebreak::rules {

namespace {

using namespace engine;

constexpr char kMagic[4] = {'F', 'B', 'R', 'C'};
constexpr std::uint32_t kCacheFormat = 3;  // bump with any change of the encoding or of an Io()
constexpr const char* kProgramVersion = FIREBREAK_VERSION;

#if defined(__x86_64__) && defined(__GLIBCXX__)
// A changed struct must change its Io() (and kCacheFormat). Sizes of the x86-64 libstdc++ layout.
static_assert(sizeof(Text) == 64 && sizeof(Bound) == 48 && sizeof(Predicate) == 80 && sizeof(Alternative) == 56 &&
                  sizeof(Condition) == 24,
              "rule_set.h changed: update rules/src/cache.cc Io() and kCacheFormat");
static_assert(sizeof(Interpretation) == 200 && sizeof(Role) == 152 && sizeof(Unit) == 152 && sizeof(Trigger) == 192 &&
                  sizeof(Measure) == 208,
              "rule_set.h changed: update rules/src/cache.cc Io() and kCacheFormat");
static_assert(sizeof(LevelSpec) == 352 && sizeof(GradeCriterion) == 192 && sizeof(LeadRule) == 192 &&
                  sizeof(ReportingRule) == 240 && sizeof(WarningResponse) == 176,
              "rule_set.h changed: update rules/src/cache.cc Io() and kCacheFormat");
static_assert(sizeof(SafetyRule) == 312 && sizeof(ForceCategory) == 240 && sizeof(RequestChannel) == 312 &&
                  sizeof(MobilisationBan) == 160 && sizeof(Termination) == 248 && sizeof(SiteSafetyText) == 264 &&
                  sizeof(DeploymentText) == 192,
              "rule_set.h changed: update rules/src/cache.cc Io() and kCacheFormat");
static_assert(sizeof(SensitivePeriod) == 168 && sizeof(ClauseText) == 264 && sizeof(County) == 128 &&
                  sizeof(DerivedFact) == 192 && sizeof(FactDefault) == 112 && sizeof(PlanMeta) == 224 &&
                  sizeof(DangerClass) == 128 && sizeof(FireDangerTable) == 216 && sizeof(OfficeSpec) == 368 &&
                  sizeof(RuleSet) == 1264,
              "rule_set.h changed: update rules/src/cache.cc Io() and kCacheFormat");
#endif

struct Corrupt {};  // thrown by Reader on any inconsistency; caught by DecodeRuleCache

class Writer {
 public:
  std::string out;
  template <class... T>
  void operator()(const T&... v) {
    (Put(v), ...);
  }

 private:
  void Raw(const void* p, std::size_t n) { out.append(static_cast<const char*>(p), n); }
  void Put(const std::string& s) {
    Put(static_cast<std::uint32_t>(s.size()));
    out += s;
  }
  void Put(std::uint32_t v) { Raw(&v, sizeof v); }
  void Put(std::int32_t v) { Raw(&v, sizeof v); }
  void Put(double v) { Raw(&v, sizeof v); }
  void Put(bool b) { out += static_cast<char>(b ? 1 : 0); }
  template <class E>
  requires std::is_enum_v<E>
  void Put(E e) { Put(static_cast<std::uint32_t>(e)); }
  template <class T>
  void Put(const std::optional<T>& o) {
    Put(o.has_value());
    if (o) Put(*o);
  }
  template <class T>
  void Put(const std::vector<T>& v) {
    Put(static_cast<std::uint32_t>(v.size()));
    for (const T& x : v) Put(x);
  }
  void Put(const std::map<std::string, Bound>& m) {
    Put(static_cast<std::uint32_t>(m.size()));
    for (const auto& [k, b] : m) Put(k), Put(b);
  }
  template <class T>
  requires std::is_class_v<T>
  void Put(const T& x) {
    Io(*this, const_cast<T&>(x));  // Io only reads through a Writer
  }
};

class Reader {
 public:
  Reader(const char* p, std::size_t n) : p_(p), end_(p + n) {}
  bool done() const { return p_ == end_; }
  const char* position() const { return p_; }
  template <class... T>
  void operator()(T&... v) {
    (Get(v), ...);
  }

 private:
  void Raw(void* d, std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n) throw Corrupt{};
    std::memcpy(d, p_, n);
    p_ += n;
  }
  std::uint32_t Count() {
    std::uint32_t n = 0;
    Raw(&n, sizeof n);
    if (n > static_cast<std::size_t>(end_ - p_)) throw Corrupt{};  // every element takes at least one byte
    return n;
  }
  void Get(std::string& s) {
    const std::uint32_t n = Count();
    s.assign(p_, n);
    p_ += n;
  }
  void Get(std::uint32_t& v) { Raw(&v, sizeof v); }
  void Get(std::int32_t& v) { Raw(&v, sizeof v); }
  void Get(double& v) { Raw(&v, sizeof v); }
  void Get(bool& b) {
    char c = 0;
    Raw(&c, 1);
    if (c != 0 && c != 1) throw Corrupt{};
    b = c == 1;
  }
  template <class E>
  requires std::is_enum_v<E>
  void Get(E& e) {
    std::uint32_t v = 0;
    Get(v);
    if (v > 255) throw Corrupt{};
    e = static_cast<E>(v);
  }
  template <class T>
  void Get(std::optional<T>& o) {
    bool has = false;
    Get(has);
    o.reset();
    if (has) Get(o.emplace());
  }
  template <class T>
  void Get(std::vector<T>& v) {
    v.resize(Count());
    for (T& x : v) Get(x);
  }
  void Get(std::map<std::string, Bound>& m) {
    const std::uint32_t n = Count();
    for (std::uint32_t i = 0; i < n; ++i) {
      std::string k;
      Bound b;
      Get(k), Get(b);
      m.emplace(std::move(k), std::move(b));
    }
  }
  template <class T>
  requires std::is_class_v<T>
  void Get(T& x) { Io(*this, x); }

  const char* p_;
  const char* end_;
};

// The file of every SourceLoc is the name the rules are loaded under now (set after decoding).
template <class A>
void Io(A& a, SourceLoc& l) {
  a(l.line, l.col);
}
template <class A>
void Io(A& a, Text& t) {
  a(t.zh, t.en);
}
template <class A>
void Io(A& a, Bound& b) {
  a(b.op, b.value, b.word);
}
template <class A>
void Io(A& a, Predicate& p) {
  a(p.fact, p.bounds, p.is, p.loc);
}
template <class A>
void Io(A& a, Alternative& x) {
  a(x.label, x.all);
}
template <class A>
void Io(A& a, Condition& c) {
  a(c.any);
}
template <class A>
void Io(A& a, Interpretation& x) {
  a(x.id, x.clause, x.text, x.reason, x.loc);
}
template <class A>
void Io(A& a, Role& x) {
  a(x.id, x.name, x.clause, x.holders);
}
template <class A>
void Io(A& a, Unit& x) {
  a(x.id, x.name, x.clause, x.tasks);
}
template <class A>
void Io(A& a, Trigger& x) {
  a(x.clause, x.level, x.text, x.when, x.interpretations, x.loc);
}
template <class A>
void Io(A& a, Measure& x) {
  a(x.clause, x.text, x.lead, x.when, x.interpretations, x.loc);
}
template <class A>
void Io(A& a, LevelSpec& x) {
  a(x.level, x.clause, x.name, x.decider_clause, x.decider_text, x.deciders, x.builds_on, x.measures_clause, x.measures,
    x.triggers, x.loc);
}
template <class A>
void Io(A& a, GradeCriterion& x) {
  a(x.clause, x.grade, x.text, x.when, x.interpretations, x.loc);
}
template <class A>
void Io(A& a, LeadRule& x) {
  std::int32_t raise = x.raise;
  a(x.clause, x.text, x.when, x.lead, raise, x.interpretations, x.loc);
  x.raise = raise;
}
template <class A>
void Io(A& a, ReportingRule& x) {
  a(x.clause, x.text, x.when, x.reporter, x.recipients, x.interpretations, x.loc);
}
template <class A>
void Io(A& a, WarningResponse& x) {
  a(x.colour, x.clause, x.text, x.builds_on, x.measures, x.loc);
}
template <class A>
void Io(A& a, SafetyRule& x) {
  a(x.id, x.clause, x.group, x.text, x.when, x.advice, x.interpretations, x.loc);
}
template <class A>
void Io(A& a, ForceCategory& x) {
  std::int32_t priority = x.priority;
  a(x.id, x.name, x.clause, priority, x.unit_types, x.min_level, x.when_note, x.loc);
  x.priority = priority;
}
template <class A>
void Io(A& a, RequestChannel& x) {
  a(x.id, x.clause, x.text, x.unit_types, x.scope, x.requested_by, x.requested_from, x.organised_by, x.loc);
}
template <class A>
void Io(A& a, MobilisationBan& x) {
  a(x.clause, x.text, x.attributes, x.loc);
}
template <class A>
void Io(A& a, Termination& x) {
  a(x.clause, x.text, x.when, x.proposer, x.decider_note, x.interpretations, x.loc);
}
template <class A>
void Io(A& a, SiteSafetyText& x) {
  a(x.situation, x.rule, x.clause, x.advice, x.zone, x.loc);
}
template <class A>
void Io(A& a, DeploymentText& x) {
  a(x.force_measures, x.escape_rule, x.local_only_clause, x.local_only, x.loc);
}
template <class A>
void Io(A& a, SensitivePeriod& x) {
  a(x.name, x.from_mmdd, x.to_mmdd, x.interpretation, x.loc);
}
template <class A>
void Io(A& a, ClauseText& x) {
  a(x.clause, x.title, x.text, x.lead, x.members, x.truncated, x.loc);
}
template <class A>
void Io(A& a, County& x) {
  a(x.name, x.adcode, x.short_name, x.name_en);
}
template <class A>
void Io(A& a, OfficeSpec& x) {
  a(x.kind, x.clause, x.text, x.roles, x.duty_role, x.reports_clause, x.reports_text, x.reports_to, x.interpretations,
    x.loc);
}
template <class A>
void Io(A& a, DerivedFact& x) {
  a(x.fact, x.clause, x.text, x.when, x.interpretations, x.loc);
}
template <class A>
void Io(A& a, FactDefault& x) {
  a(x.fact, x.value, x.clause, x.interpretations, x.loc);
}
template <class A>
void Io(A& a, DangerClass& x) {
  a(x.level, x.name, x.from, x.colour, x.loc);
}
template <class A>
void Io(A& a, FireDangerTable& x) {
  a(x.clause, x.text, x.index, x.classes, x.interpretations, x.loc);
}
template <class A>
void Io(A& a, PlanMeta& x) {
  a(x.id, x.title, x.document, x.issued, x.jurisdiction, x.adcode);
}
template <class A>
void Io(A& a, RuleSet& x) {
  a(x.meta, x.bounds, x.counties, x.derived_facts, x.fact_defaults, x.interpretations, x.roles, x.units, x.levels,
    x.grades, x.lead_rules, x.default_lead, x.situational_measures, x.reporting, x.warnings, x.safety,
    x.force_categories, x.request_channels, x.mobilisation_bans, x.terminations, x.sensitive_periods, x.clauses,
    x.site_safety, x.deployment, x.fire_danger, x.offices);
}

// Every SourceLoc in the set, to name the file.
template <class F>
void ForEachLoc(RuleSet& rs, F&& f) {
  auto cond = [&](Condition& c) {
    for (auto& alt : c.any)
      for (auto& p : alt.all) f(p.loc);
  };
  for (auto& x : rs.derived_facts) f(x.loc), cond(x.when);
  for (auto& x : rs.fact_defaults) f(x.loc);
  for (auto& x : rs.interpretations) f(x.loc);
  for (auto& l : rs.levels) {
    f(l.loc);
    for (auto& m : l.measures) f(m.loc), cond(m.when);
    for (auto& t : l.triggers) f(t.loc), cond(t.when);
  }
  for (auto& x : rs.grades) f(x.loc), cond(x.when);
  for (auto& x : rs.lead_rules) f(x.loc), cond(x.when);
  for (auto& x : rs.situational_measures) f(x.loc), cond(x.when);
  for (auto& x : rs.reporting) f(x.loc), cond(x.when);
  for (auto& w : rs.warnings) {
    f(w.loc);
    for (auto& m : w.measures) f(m.loc), cond(m.when);
  }
  for (auto& x : rs.safety) f(x.loc), cond(x.when);
  for (auto& x : rs.force_categories) f(x.loc);
  for (auto& x : rs.request_channels) f(x.loc);
  for (auto& x : rs.mobilisation_bans) f(x.loc);
  for (auto& x : rs.terminations) f(x.loc), cond(x.when);
  for (auto& x : rs.sensitive_periods) f(x.loc);
  for (auto& x : rs.clauses) f(x.loc);
  for (auto& x : rs.site_safety) f(x.loc);
  for (auto& x : rs.offices) f(x.loc);
  f(rs.deployment.loc);
  if (rs.fire_danger) {
    f(rs.fire_danger->loc);
    for (auto& c : rs.fire_danger->classes) f(c.loc);
  }
}

// Header: magic, format, program version, source sha256 (hex), payload sha256 (hex), payload.
std::string Header(const std::string& source_sha256, const std::string& payload) {
  Writer w;
  w.out.append(kMagic, sizeof kMagic);
  w(kCacheFormat, std::string(kProgramVersion), source_sha256, Sha256Hex(payload));
  return w.out;
}

std::string ReadFile(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  *ok = static_cast<bool>(in) || in.eof();
  return ss.str();
}

}  // namespace

std::string EncodeRuleCache(const RuleSet& rs) {
  Writer body;
  body(rs);
  return Header(rs.source_sha256, body.out) + body.out;
}

std::optional<RuleSet> DecodeRuleCache(const std::string& bytes, const std::string& source_sha256,
                                       const std::string& name) {
  try {
    if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) return std::nullopt;
    Reader h(bytes.data() + sizeof kMagic, bytes.size() - sizeof kMagic);
    std::uint32_t format = 0;
    std::string version, sha, payload_sha;
    h(format, version, sha, payload_sha);
    if (format != kCacheFormat || version != kProgramVersion || sha != source_sha256) return std::nullopt;
    const std::size_t header = static_cast<std::size_t>(h.position() - bytes.data());
    const std::string_view payload(bytes.data() + header, bytes.size() - header);
    if (Sha256Hex(payload) != payload_sha) return std::nullopt;
    RuleSet rs;
    Reader r(payload.data(), payload.size());
    r(rs);
    if (!r.done()) return std::nullopt;
    rs.source_file = name;
    rs.source_sha256 = source_sha256;
    ForEachLoc(rs, [&](SourceLoc& l) { l.file = name; });
    return rs;
  } catch (const Corrupt&) {
    return std::nullopt;
  } catch (const std::length_error&) {
    return std::nullopt;
  } catch (const std::bad_alloc&) {
    return std::nullopt;
  }
}

std::string RuleCacheDir() {
  namespace fs = std::filesystem;
  if (const char* d = std::getenv("FIREBREAK_CACHE_DIR"); d && *d) return std::string(d) == "off" ? "" : d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return (fs::path(x) / "firebreak").string();
  if (const char* h = std::getenv("HOME"); h && *h) return (fs::path(h) / ".cache" / "firebreak").string();
  return "";
}

RuleSet LoadRuleFileCached(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::string dir = RuleCacheDir();
  if (dir.empty() || fs::is_directory(path, ec)) return LoadRuleFile(path);
  bool ok = false;
  const std::string text = ReadFile(path, &ok);
  if (!ok) return LoadRuleFile(path);  // the loader reports the error
  const std::string sha = Sha256Hex(text);
  const fs::path cache = fs::path(dir) / (sha + ".rules");
  if (fs::exists(cache, ec)) {
    bool read = false;
    const std::string bytes = ReadFile(cache.string(), &read);
    if (read)
      if (auto rs = DecodeRuleCache(bytes, sha, path)) return std::move(*rs);
  }
  RuleSet rs = LoadRuleText(text, path);
  // Write atomically (a temporary file renamed over the name): a reader sees a whole cache or none.
  fs::create_directories(dir, ec);
  const fs::path tmp = fs::path(dir) / (sha + ".rules.tmp" + std::to_string(::getpid()));
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << EncodeRuleCache(rs);
    if (!out) {
      fs::remove(tmp, ec);
      return rs;
    }
  }
  fs::rename(tmp, cache, ec);
  if (ec) fs::remove(tmp, ec);
  return rs;
}

}  // namespace firebreak::rules
