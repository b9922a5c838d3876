// Migration between stores (migrate.h; docs/postgresql.md, "Migration"): verify both sides, copy every record
// of the chosen incidents through the store API in one transaction, verify and read back before committing.
#include "firebreak/store/migrate.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <system_error>

#include "firebreak/common/error.h"
#include "firebreak/store/offices.h"

namespace firebreak::store {
namespace {

namespace fs = std::filesystem;

std::string When(const Timestamp& t) { return std::to_string(t.epoch_s) + "/" + std::to_string(t.offset_min); }
std::string When(const std::optional<Timestamp>& t) { return t ? When(*t) : "-"; }
std::string LevelText(const std::optional<engine::Level>& l) { return l ? std::to_string(static_cast<int>(*l)) : "-"; }

VerifyOptions VerifyWith(const MigrateOptions& o) {
  VerifyOptions v;
  v.key_file = o.key_file;
  v.key_dir = o.key_dir;
  return v;
}

// Error(kStore) naming the store when its chain does not verify; `when`: "before"/"after".
void RequireVerified(const std::string& path, const VerifyResult& v, const std::string& side, const char* when) {
  if (v.ok) return;
  std::string what = "the " + side + " does not verify " + when + " the migration";
  for (std::size_t i = 0; i < v.problems.size() && i < 3; ++i) what += (i ? "; " : ": ") + v.problems[i];
  throw Error(ErrorKind::kStore, DisplayPath(path), what,
              "nothing was copied; see `firebreak store verify --store " + DisplayPath(path) + "`");
}

bool IsSqliteFile(const std::string& path) {
  return path.rfind("postgresql://", 0) != 0 && path.rfind("postgres://", 0) != 0;
}

// The incidents to copy: every one, or those linked to `office` (a store without offices links none: all).
std::vector<IncidentHistory> Selected(const Store& from, const std::string& office) {
  std::vector<IncidentHistory> out;
  for (auto& h : from.AllHistories()) {
    const auto& offs = h.incident.offices;
    if (office.empty() || offs.empty() || std::find(offs.begin(), offs.end(), office) != offs.end())
      out.push_back(std::move(h));
  }
  return out;
}

// Copies one incident's records; returns how many records (besides the incident) were written. `keep_offices`
// (a shared store archived into a SQLite file): each record names the office that made it in the source
// (Store::RecordAs; a decision its report's, a closure its `end` declaration's).
int CopyIncident(Store& to, const IncidentHistory& h, const engine::RuleSet* rules, bool keep_offices) {
  auto as = [&](const std::string& office) {
    if (keep_offices) to.RecordAs(office);
  };
  const IncidentRecord& inc = h.incident;
  std::vector<std::string> offices = inc.offices;
  if (offices.empty() && rules && inc.county && !to.office().empty()) {
    const std::vector<Office> all = OfficesOf(*rules);
    if (const Office* o = OfficeOfCounty(*rules, all, *inc.county)) offices.push_back(o->id);
  }
  as(inc.office);
  to.EnsureIncident(inc.incident_id, inc.opened_at, inc.county, offices);
  int n = 0;
  std::map<std::int64_t, const DecisionRecord*> decision_of;  // report id -> its decision
  for (const auto& d : h.decisions) decision_of[d.report_id] = &d;
  for (const auto& r : h.reports) {
    const Timestamp recorded = r.recorded_at ? *r.recorded_at : r.reported_at;
    as(r.office);
    const std::int64_t id = to.AddReport(inc.incident_id, r.reported_at, r.body, r.source, recorded, r.by);
    ++n;
    if (auto it = decision_of.find(r.id); it != decision_of.end()) {
      const DecisionRecord& d = *it->second;
      to.AddDecision(id, d.at, d.level, d.rules_id, d.rules_sha256, d.json);
      ++n;
    }
  }
  std::string closed_by_office = inc.office;
  for (DeclarationRecord d : h.declarations) {
    d.incident_id = inc.incident_id;
    if (d.kind == "end") closed_by_office = d.office;
    as(d.office);
    to.AddDeclaration(d);
    ++n;
  }
  for (UpwardReportRecord u : h.upward_reports) {
    u.incident_id = inc.incident_id;
    as(u.office);
    to.AddUpwardReport(u);
    ++n;
  }
  if (inc.closed_at) {
    as(closed_by_office);
    to.CloseIncident(inc.incident_id, *inc.closed_at, inc.closed_by);
    ++n;
  }
  as("");
  return n;
}

struct Copied {
  int incidents = 0, present = 0, records = 0;
};

// In the destination's transaction: copy, then verify and read every incident back before it commits.
Copied CopyAll(Store& to, const std::vector<IncidentHistory>& histories, const engine::RuleSet* rules,
               bool keep_offices) {
  Copied c;
  // As a desk recording new fires: the incidents' locks and the count of burning fires, exclusively (other
  // offices' decisions count these fires from the moment they commit; PostgreSQL advisory locks, SQLite: none).
  std::vector<std::string> ids;
  for (const auto& h : histories) ids.push_back(h.incident.incident_id);
  to.LockForRecording(ids, CountLock::kExclusive);
  for (const auto& h : histories) {
    const std::string& id = h.incident.incident_id;
    if (to.FindIncident(id)) {
      if (HistoryFingerprint(to.History(id)) != HistoryFingerprint(h))
        throw Error(ErrorKind::kStore, to.path(),
                    "the destination already holds incident " + id + " with other records than the source's",
                    "nothing was copied; migrate into another store, or archive that incident separately");
      ++c.present;
      continue;
    }
    try {
      c.records += CopyIncident(to, h, rules, keep_offices);
    } catch (const Error& e) {
      to.RecordAs("");
      throw Error(e.kind(), e.where(), "incident " + id + ": " + e.message(), e.hint());
    }
    ++c.incidents;
  }
  const VerifyResult v = to.Verify();
  RequireVerified(to.path(), v, "destination", "while committing");
  for (const auto& h : histories)
    if (HistoryFingerprint(to.History(h.incident.incident_id)) != HistoryFingerprint(h))
      throw Error(ErrorKind::kInternal, to.path(),
                  "incident " + h.incident.incident_id + " reads back differently from the source's records",
                  "nothing was copied; please report this with both stores");
  return c;
}

void RemoveAside(const std::string& aside) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal", ".head"}) fs::remove(aside + suffix, ec);
}

// A new SQLite destination: built at PATH.migrating, renamed into place (the store, then its head file) once it
// is complete and closed. Anything left of an earlier failed run is removed first.
Copied CopyIntoNewFile(const std::string& to, OpenOptions oo, const std::vector<IncidentHistory>& histories,
                       const engine::RuleSet* rules, bool keep_offices) {
  const std::string aside = to + ".migrating";
  RemoveAside(aside);
  Copied c;
  try {
    {
      Store dest = Store::Open(aside, oo);
      c = dest.Transaction([&] { return CopyAll(dest, histories, rules, keep_offices); });
    }
    if (fs::exists(aside + "-wal") && fs::file_size(aside + "-wal") > 0)
      throw Error(ErrorKind::kStore, aside, "the new store's write-ahead log was not checkpointed at close",
                  "nothing was copied; run the migration again");
    fs::rename(aside, to);
    if (fs::exists(aside + ".head")) fs::rename(aside + ".head", HeadSidecarPath(to));
  } catch (...) {
    RemoveAside(aside);
    throw;
  }
  RemoveAside(aside);
  return c;
}

}  // namespace

std::string HistoryFingerprint(const IncidentHistory& h) {
  std::ostringstream s;
  const IncidentRecord& i = h.incident;
  s << "incident " << i.incident_id << " " << When(i.opened_at) << " " << i.county.value_or("-") << " closed "
    << When(i.closed_at) << " " << i.closed_by << "\n";
  std::map<std::int64_t, std::size_t> index;  // report id -> position
  for (const auto& r : h.reports) {
    index[r.id] = index.size();
    s << "report " << When(r.reported_at) << " " << When(r.recorded_at) << " " << r.source << " " << r.by << " "
      << r.body << "\n";
  }
  for (const auto& d : h.decisions)
    s << "decision #" << (index.count(d.report_id) ? std::to_string(index[d.report_id]) : "?") << " " << When(d.at)
      << " " << LevelText(d.level) << " " << d.rules_id << " " << d.rules_sha256 << " " << d.json << "\n";
  for (const auto& d : h.declarations)
    s << "declaration " << d.kind << " " << LevelText(d.level) << " " << d.by << " " << When(d.at) << "\n";
  for (const auto& u : h.upward_reports) {
    s << "upward " << u.clause << " " << When(u.at) << " " << u.by << " to";
    for (const auto& t : u.to) s << " " << t;
    s << "\n";
  }
  return s.str();
}

MigrateResult Migrate(const std::string& from, const std::string& to, const MigrateOptions& options) {
  if (from == to || DisplayPath(from) == DisplayPath(to))
    throw Error(ErrorKind::kUsage, "store migrate", "--from and --to name the same store (" + DisplayPath(to) + ")",
                "name the destination store with --to");
  MigrateResult r;
  const VerifyOptions vo = VerifyWith(options);
  r.from_before = VerifyStore(from, vo);  // Error(kNotFound) when there is no such store
  RequireVerified(from, r.from_before, "source", "before");
  OpenOptions ro;
  ro.mode = OpenMode::kRead;
  ro.create = false;
  ro.key_file = options.key_file;
  const Store source = Store::Open(from, ro);
  const std::vector<IncidentHistory> histories = Selected(source, options.office);

  if (source.kind() == BackendKind::kSqlite && !source.office().empty() && !options.office.empty() &&
      source.office() != options.office)
    throw Error(ErrorKind::kStore, source.path(),
                "the source store is office " + source.office() + "'s, not office " + options.office + "'s",
                "leave --office out, or name the source store of office " + options.office);
  OpenOptions wo;
  wo.key_file = options.key_file;
  wo.office = options.office.empty() ? source.office() : options.office;
  r.to_existed = !IsSqliteFile(to) || fs::exists(to);
  if (r.to_existed) {
    r.to_before = VerifyStore(to, vo);
    RequireVerified(to, r.to_before, "destination", "before");
  }
  // An archive of the shared store keeps which office made each record (the SQLite file's office column).
  const bool keep_offices = source.kind() == BackendKind::kPostgres && IsSqliteFile(to);
  Copied c;
  if (!r.to_existed) {
    c = CopyIntoNewFile(to, wo, histories, options.rules, keep_offices);
    r.office = wo.office;
  } else {
    Store dest = Store::Open(to, wo);
    if (!source.office().empty() && !dest.office().empty() && source.kind() == BackendKind::kSqlite &&
        source.office() != dest.office())
      throw Error(
          ErrorKind::kStore, dest.path(),
          "the source store is office " + source.office() + "'s, the destination records as office " + dest.office(),
          "migrate into the shared store as office " + source.office() + " (its database role)");
    c = dest.Transaction([&] { return CopyAll(dest, histories, options.rules, keep_offices); });
    r.office = dest.office();
  }
  r.incidents_copied = c.incidents;
  r.incidents_present = c.present;
  r.records_copied = c.records;
  r.to_after = VerifyStore(to, vo);
  RequireVerified(to, r.to_after, "destination", "after");
  r.from_after = VerifyStore(from, vo);
  RequireVerified(from, r.from_after, "source", "after");
  return r;
}

}  // namespace firebreak::store
