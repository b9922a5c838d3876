// `store verify` and signed heads on the shared PostgreSQL store (pg_store.h; docs/postgresql.md, "Verify").
//
// Verify reads everything in pages (memory stays small on a store of millions of rows) and checks:
//  1. the database still enforces what it should: the append-only triggers of every table exist and are enabled,
//     row-level security is on (and forced), the office group role holds no UPDATE, DELETE or TRUNCATE;
//  2. every office's chain: seq 1, 2, 3 … without gaps, prev_hash, hash; the keyed mac under that office's key
//     when the key is at hand (the own office's key, and VerifyOptions::key_dir/<office>.key for the others: a
//     chain whose key is missing is listed, not failed — each office keeps its own key);
//  3. every record against its audit entry (payload recomputed), every audit entry against its record.
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "chain.h"
#include "firebreak/common/sha256.h"
#include "pg_store.h"

namespace firebreak::store::internal {
namespace {

using nlohmann::json;
constexpr int kPage = 5000;

const char* const kAllTables[] = {"audit_log", "incidents",    "incident_offices", "reports",
                                  "decisions", "declarations", "upward_reports",   "closures",
                                  "users",     "shift_events", "acknowledgements", "desk_actions"};

// Runs `sql` (whose $1 is the last key seen, '' at first) page by page, calling fn on every row.
void Pages(PgConn& c, const std::string& sql, int key_col, const std::function<void(const PgResult&, int)>& fn,
           const std::string& first_key = "0") {
  std::string last = first_key;
  for (;;) {
    PgResult r = c.Exec(sql + " LIMIT " + std::to_string(kPage), {last});
    for (int i = 0; i < r.Rows(); ++i) fn(r, i);
    if (r.Rows() < kPage) return;
    last = r.Text(r.Rows() - 1, key_col);
  }
}

// What VerifyWith gathers: the result (at most 200 problems).
struct PgVerification {
  VerifyResult r;

  void Problem(std::string p) {
    r.ok = false;
    if (r.problems.size() < 200) r.problems.push_back(std::move(p));
  }
  // Row i of `x` (a RecordsJoin page) against its audit entry: the row id is column `id_col`, the entry's
  // "tbl:row_id" and payload the third and second last columns.
  void Check(const std::string& tbl, const PgResult& x, int i, int id_col, const std::string& payload) {
    const std::string where = tbl + " row " + x.Text(i, id_col);
    if (x.IsNull(i, x.Columns() - 3)) return Problem(where + ": its audit entry is missing");
    if (x.Text(i, x.Columns() - 3) != tbl + ":" + x.Text(i, id_col))
      return Problem(where + ": its audit entry records another row");
    if (x.Text(i, x.Columns() - 2) != payload) Problem(where + ": content differs from its audit entry (edited)");
  }
};

// The rows of `tbl` with `cols`, joined to their audit entries, paged by t.id (column kIdCol).
std::string RecordsJoin(const std::string& cols, const std::string& tbl) {
  return "SELECT t.id, " + cols + ", a.tbl || ':' || a.row_id, a.payload, t.id FROM " + tbl +
         " t LEFT JOIN audit_log a ON a.office = t.office AND a.seq = t.audit_seq WHERE t.id > $1::bigint ORDER BY "
         "t.id";
}
constexpr int kIdCol = 0;

// 1. What the database enforces: per table row-level security, the append-only triggers, no office role may
// change or delete rows.
void CheckEnforcement(PgConn& c, PgVerification& v) {
  const std::string prefix = [&] {
    PgResult m = c.Exec("SELECT value FROM meta WHERE key = 'role_prefix'");
    return m.Rows() ? m.Text(0, 0) : std::string("fb_");
  }();
  for (const char* t : kAllTables) {
    PgResult s = c.Exec(
        "SELECT c.relrowsecurity, c.relforcerowsecurity, "
        "(SELECT count(*) FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname IN ($2 || '_append_only', $2 || "
        "'_no_truncate') AND g.tgenabled IN ('O', 'A')), "
        "has_table_privilege($3, c.oid, 'UPDATE') OR has_table_privilege($3, c.oid, 'DELETE') OR "
        "has_table_privilege($3, c.oid, 'TRUNCATE') "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'firebreak' AND c.relname = "
        "$1",
        {std::string(t), std::string(t), prefix + "office"});
    if (s.Rows() == 0) {
      v.Problem(std::string("table ") + t + " is missing");
      continue;
    }
    if (s.Text(0, 0) != "t" || s.Text(0, 1) != "t")
      v.Problem(std::string("table ") + t + ": row-level security is off");
    if (s.Int(0, 2) != 2) v.Problem(std::string("table ") + t + ": its append-only triggers are missing or disabled");
    if (s.Text(0, 3) == "t") v.Problem(std::string("table ") + t + ": office roles may change or delete rows");
  }
}

// The office keys at hand: the own office's, and key_dir/<office>.key for the others.
std::map<std::string, OfficeKey> OfficeKeys(PgConn& c, const std::string& own_office,
                                            const std::optional<OfficeKey>& own_key, const VerifyOptions& options) {
  std::map<std::string, OfficeKey> keys;
  if (own_key) keys[own_office] = *own_key;
  if (!options.key_dir.empty()) {
    PgResult offices = c.Exec("SELECT id FROM offices ORDER BY id");
    for (int i = 0; i < offices.Rows(); ++i) {
      const std::string id = offices.Text(i, 0), path = options.key_dir + "/" + id + ".key";
      std::error_code ec;
      if (keys.count(id) || !std::filesystem::exists(path, ec)) continue;
      if (auto k = LoadOfficeKey(path, false)) keys[id] = *k;
    }
  }
  return keys;
}

// 2. Every office's chain (seq, prev_hash, hash, and the mac when its key is at hand).
void CheckChains(PgConn& c, const std::map<std::string, OfficeKey>& keys, const std::string& own_office,
                 const std::string& store_id, PgVerification& v) {
  std::string office, prev, prev_mac;
  std::int64_t expect = 1;
  bool keyed = true;
  std::set<std::string> unkeyed;
  const OfficeKey* key = nullptr;
  Pages(
      c,
      "SELECT office || ':' || lpad(seq::text, 19, '0'), office, seq, recorded_at, action, tbl, row_id, payload, "
      "prev_hash, hash, mac FROM audit_log WHERE office || ':' || lpad(seq::text, 19, '0') > $1 "
      "ORDER BY office, seq",
      0,
      [&](const PgResult& a, int i) {
        const std::string o = a.Text(i, 1);
        const std::int64_t seq = a.Int(i, 2);
        if (o != office) {
          office = o;
          prev = prev_mac = kZeroHash;
          expect = 1;
          auto it = keys.find(o);
          key = it == keys.end() ? nullptr : &it->second;
          if (!key) unkeyed.insert(o);
          if (seq == 1 && a.Text(i, 4) == "chain.open" && key) {
            const json p = json::parse(a.Text(i, 7), nullptr, false);
            if (!p.is_object() || p.value("key_id", "") != key->id)
              v.Problem("office " + o + ": its chain names another office key than " + key->id);
          }
        }
        const std::string where = "audit_log " + o + " seq " + std::to_string(seq);
        if (seq != expect)
          v.Problem("audit_log " + o + ": entry " + std::to_string(expect) + " is missing (next is " +
                    std::to_string(seq) + ")");
        expect = seq + 1;
        if (a.Text(i, 8) != prev) v.Problem(where + ": prev_hash does not match the previous entry");
        const std::string h =
            ChainHash(a.Text(i, 8), seq, a.Int(i, 3), a.Text(i, 4), a.Text(i, 5), a.Int(i, 6), a.Text(i, 7));
        if (h != a.Text(i, 9)) v.Problem(where + ": hash does not match its content (edited)");
        if (key && a.Text(i, 10) != ChainMac(key->secret, store_id + "/" + o, prev_mac, h)) {
          v.Problem(where + ": its keyed mac does not match (edited, forged or re-signed without the office key)");
          keyed = false;
        }
        prev = a.Text(i, 9);
        prev_mac = a.Text(i, 10);
        if (o == own_office) v.r.head_hash = prev_mac;
        ++v.r.audit_entries;
      },
      "");
  v.r.keyed = keyed && unkeyed.empty();
  for (const auto& o : unkeyed) v.r.unkeyed_offices.push_back(o);
}

// 3a. Incidents, their office links and reports against their audit entries.
void CheckIncidentsAndReports(PgConn& c, PgVerification& v) {
  Pages(c, RecordsJoin("t.incident_id, t.opened_at, t.opened_offset, t.county, t.office", "incidents"), kIdCol,
        [&](const PgResult& x, int i) {
          ++v.r.incidents;
          v.Check("incidents", x, i, 0,
                  json{{"county", x.IsNull(i, 4) ? json(nullptr) : json(x.Text(i, 4))},
                       {"id", x.Int(i, 0)},
                       {"incident_id", x.Text(i, 1)},
                       {"offset", x.Int(i, 3)},
                       {"opened_at", x.Int(i, 2)},
                       {"office", x.Text(i, 5)}}
                      .dump());
        });
  Pages(
      c, RecordsJoin("t.incident_ref, t.linked, t.office", "incident_offices"), kIdCol, [&](const PgResult& x, int i) {
        v.Check(
            "incident_offices", x, i, 0,
            json{{"id", x.Int(i, 0)}, {"incident_ref", x.Int(i, 1)}, {"linked", x.Text(i, 2)}, {"office", x.Text(i, 3)}}
                .dump());
      });
  Pages(c,
        RecordsJoin(
            "t.incident_ref, t.reported_at, t.reported_offset, t.body, t.source, t.recorded_at, t.recorded_offset, "
            "t.office, t.by_role",
            "reports"),
        kIdCol, [&](const PgResult& x, int i) {
          ++v.r.reports;
          auto opt_int = [&](int c) { return x.IsNull(i, c) ? json(nullptr) : json(x.Int(i, c)); };
          v.Check("reports", x, i, 0,
                  json{{"body_sha256", Sha256Hex(x.Text(i, 4))},
                       {"by", x.IsNull(i, 9) ? json(nullptr) : json(x.Text(i, 9))},
                       {"id", x.Int(i, 0)},
                       {"incident_ref", x.Int(i, 1)},
                       {"offset", x.Int(i, 3)},
                       {"office", x.Text(i, 8)},
                       {"recorded_at", opt_int(6)},
                       {"recorded_offset", opt_int(7)},
                       {"reported_at", x.Int(i, 2)},
                       {"source", x.Text(i, 5)}}
                      .dump());
        });
}

// 3b. Decisions, declarations, upward reports, closures and the desk's tables against their audit entries.
void CheckActions(PgConn& c, PgVerification& v) {
  Pages(c,
        RecordsJoin("t.report_ref, t.at, t.at_offset, t.level, t.rules_id, t.rules_sha256, t.json, t.office",
                    "decisions"),
        kIdCol, [&](const PgResult& x, int i) {
          ++v.r.decisions;
          v.Check("decisions", x, i, 0,
                  json{{"at", x.Int(i, 2)},
                       {"id", x.Int(i, 0)},
                       {"json_sha256", Sha256Hex(x.Text(i, 7))},
                       {"level", x.IsNull(i, 4) ? json(nullptr) : json(x.Int(i, 4))},
                       {"offset", x.Int(i, 3)},
                       {"office", x.Text(i, 8)},
                       {"report_ref", x.Int(i, 1)},
                       {"rules_id", x.Text(i, 5)},
                       {"rules_sha256", x.Text(i, 6)}}
                      .dump());
        });
  Pages(c, RecordsJoin("t.incident_ref, t.kind, t.level, t.by_role, t.at, t.at_offset, t.office", "declarations"),
        kIdCol, [&](const PgResult& x, int i) {
          ++v.r.declarations;
          v.Check("declarations", x, i, 0,
                  json{{"at", x.Int(i, 5)},
                       {"by", x.Text(i, 4)},
                       {"id", x.Int(i, 0)},
                       {"incident_ref", x.Int(i, 1)},
                       {"kind", x.Text(i, 2)},
                       {"level", x.IsNull(i, 3) ? json(nullptr) : json(x.Int(i, 3))},
                       {"offset", x.Int(i, 6)},
                       {"office", x.Text(i, 7)}}
                      .dump());
        });
  Pages(c,
        RecordsJoin("t.incident_ref, t.clause, t.recipients, t.at, t.at_offset, t.office, t.by_role", "upward_reports"),
        kIdCol, [&](const PgResult& x, int i) {
          ++v.r.upward_reports;
          v.Check("upward_reports", x, i, 0,
                  json{{"at", x.Int(i, 4)},
                       {"by", x.IsNull(i, 7) ? json(nullptr) : json(x.Text(i, 7))},
                       {"clause", x.Text(i, 2)},
                       {"id", x.Int(i, 0)},
                       {"incident_ref", x.Int(i, 1)},
                       {"offset", x.Int(i, 5)},
                       {"office", x.Text(i, 6)},
                       {"recipients", x.Text(i, 3)}}
                      .dump());
        });
  Pages(c, RecordsJoin("t.incident_ref, t.at, t.at_offset, t.by_role, t.office", "closures"), kIdCol,
        [&](const PgResult& x, int i) {
          v.Check("closures", x, i, 0,
                  json{{"at", x.Int(i, 2)},
                       {"by", x.Text(i, 4)},
                       {"id", x.Int(i, 0)},
                       {"incident_ref", x.Int(i, 1)},
                       {"offset", x.Int(i, 3)},
                       {"office", x.Text(i, 5)}}
                      .dump());
        });
  for (const auto& t : PgAccountsTables())
    Pages(c, RecordsJoin(std::string("(SELECT ") + t.payload + " FROM " + t.name + " z WHERE z.id = t.id)", t.name),
          kIdCol, [&](const PgResult& x, int i) { v.Check(t.name, x, i, 0, x.Text(i, 1)); });
}

// 4. Every audit entry against its record.
void CheckOrphans(PgConn& c, PgVerification& v) {
  for (const char* t : kAllTables) {
    if (std::string(t) == "audit_log") continue;
    PgResult orphans = c.Exec(
        std::string(
            "SELECT a.office, a.seq, a.row_id FROM audit_log a WHERE a.tbl = $1 AND NOT EXISTS (SELECT 1 FROM ") +
            t + " x WHERE x.id = a.row_id) ORDER BY a.office, a.seq LIMIT 200",
        {std::string(t)});
    for (int i = 0; i < orphans.Rows(); ++i)
      v.Problem("audit_log " + orphans.Text(i, 0) + " seq " + orphans.Text(i, 1) + ": its record " + t + ":" +
                orphans.Text(i, 2) + " is missing (deleted)");
  }
}

}  // namespace

VerifyResult PgBackend::VerifyWith(const VerifyOptions& options) const {
  FlushAudit();  // this transaction's entries are verified too
  PgVerification v;
  try {
    CheckEnforcement(conn_, v);
    CheckChains(conn_, OfficeKeys(conn_, office_, key_, options), office_, store_id_, v);
    v.r.key_id = key_ ? key_->id : "";
    CheckIncidentsAndReports(conn_, v);
    CheckActions(conn_, v);
    CheckOrphans(conn_, v);
  } catch (const Error& e) {
    v.Problem(e.message());
  }
  return v.r;
}

SignedHead PgBackend::Head() const {
  FlushAudit();
  if (office_.empty()) Fail("a head is signed by an office", "open the store as an office (its database role)");
  if (!key_) Fail("cannot sign the head: " + key_problem_, "set FIREBREAK_OFFICE_KEY to this office's key");
  PgResult r =
      conn_.Exec("SELECT seq, hash, mac FROM audit_log WHERE office = $1 ORDER BY seq DESC LIMIT 1", {office_});
  if (r.Rows() == 0) Fail("office " + office_ + " has recorded nothing yet", "record a report first");
  return SignHeadWith(*key_, ChainKey(), r.Int(0, 0), r.Text(0, 1), r.Text(0, 2));
}

VerifyResult VerifyPostgres(const std::string& url, const VerifyOptions& options) {
  OpenOptions o;
  o.mode = OpenMode::kRead;
  o.key_file = options.key_file;
  PgBackend b(url, o);
  VerifyResult r = b.VerifyWith(options);
  if (options.anchor_text.empty()) return r;
  std::string why;
  const std::string name = "the anchor " + (options.anchor_name.empty() ? std::string("given") : options.anchor_name);
  auto anchor = SignedHead::Parse(options.anchor_text, &why);
  auto finding = [&](const std::string& p) {
    r.ok = false;
    r.problems.push_back(p);
  };
  if (!anchor) {
    finding(name + " is not a signed head (" + why + ")");
    return r;
  }
  const std::size_t slash = anchor->store_id.rfind('/');
  if (slash == std::string::npos || anchor->store_id.substr(0, slash) != b.store_id()) {
    finding(name + " belongs to another store (" + anchor->store_id + ")");
    return r;
  }
  const std::string office = anchor->store_id.substr(slash + 1);
  PgResult e = b.conn().Exec("SELECT mac FROM audit_log WHERE office = $1 AND seq = $2", {office, PgInt(anchor->seq)});
  if (e.Rows() == 0)
    finding("office " + office + "'s chain no longer contains entry " + std::to_string(anchor->seq) + " named by " +
            name);
  else if (e.Text(0, 0) != anchor->mac)
    finding("entry " + std::to_string(anchor->seq) + " of office " + office + " differs from " + name +
            ": the chain was rewritten");
  return r;
}

}  // namespace firebreak::store::internal
