// Tamper evidence (issue 13): an editor with write access to the store file and its directory — but not the
// office key — tries every edit we could think of, with a second SQLite connection and the documented plain
// hash formula (docs/store-schema.md). Each case says whether `store verify` must detect it alone, or only
// against an external anchor (`store head` written down earlier): docs/tamper-evidence.md lists the same.
// The summary line "tamper cases detected: ..." is read by tools/reliability.sh.
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "firebreak/common/error.h"
#include "firebreak/common/sha256.h"
#include "firebreak/store/store.h"
#include "firebreak/test_support/files.h"

namespace firebreak::store {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

Timestamp T(const char* iso) { return *ParseIso8601(iso); }

fs::path Dir() {
  static const fs::path d = firebreak::test_support::ScratchDir("firebreak-tamper");
  return d;
}

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

OpenOptions Opts() {
  OpenOptions o;
  o.key_file = (Dir() / "office.key").string();
  return o;
}

// Two incidents, a late declaration, an upward report and a close: 15 entries.
void Record(Store& s, const std::string& id, int n) {
  s.Transaction([&] {
    s.EnsureIncident(id, T("2026-04-04T08:00:00+08:00"), std::string("柳城县"));
    for (int i = 0; i < n; ++i) {
      Timestamp at{T("2026-04-04T08:00:00+08:00").epoch_s + i * 3600, 480};
      auto r = s.AddReport(
          id, at, R"({"incident_id":")" + id + R"(","burned_area_ha":)" + std::to_string(40 + i * 30) + "}", "r.json");
      s.AddDecision(r, at, i > 0 ? std::optional(engine::Level::kIV) : std::nullopt, "liuzhou-2022", "sha", "{}");
    }
  });
}

std::string MakeStore(const std::string& name) {
  const std::string path = (Dir() / name).string();
  Store s = Store::Open(path, Opts());
  Record(s, "F-1", 3);
  s.AddDeclaration({0, "F-1", "declare", engine::Level::kIV, "office_director", T("2026-04-04T13:00:00+08:00")});
  s.AddUpwardReport({0, "F-1", "5.2(3)", {"city_government"}, T("2026-04-04T13:10:00+08:00")});
  Record(s, "F-2", 2);
  s.CloseIncident("F-2", T("2026-04-05T09:00:00+08:00"), "office_director");
  return path;
}

// ---- the editor's tools: a second SQLite connection and the plain hash formula ----

struct Db {
  explicit Db(const std::string& path) { sqlite3_open(path.c_str(), &db); }
  ~Db() { sqlite3_close(db); }
  void Exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << (err ? err : "?");
      sqlite3_free(err);
    }
  }
  std::string One(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    std::string v;
    sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
      v = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return v;
  }
  sqlite3* db = nullptr;
};

void DropGuards(Db& d) {
  for (const char* t : {"audit_log", "incidents", "reports", "decisions", "declarations", "upward_reports", "closures"})
    d.Exec(std::string("DROP TRIGGER IF EXISTS ") + t + "_no_update; DROP TRIGGER IF EXISTS " + t + "_no_delete;");
}

// Recomputes every prev_hash/hash of the plain chain from its fields (what passed `verify` before the keyed
// chain). Keeps each entry's mac as it was (the editor cannot compute a new one).
void Rechain(Db& d) {
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(d.db, "SELECT seq, recorded_at, action, tbl, row_id, payload FROM audit_log ORDER BY seq", -1, &s,
                     nullptr);
  std::vector<std::tuple<std::int64_t, std::string, std::string>> rows;
  std::string prev(64, '0');
  while (sqlite3_step(s) == SQLITE_ROW) {
    auto txt = [&](int i) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, i))); };
    const std::int64_t seq = sqlite3_column_int64(s, 0);
    const std::string h =
        Sha256Hex(prev + "\n" + std::to_string(seq) + "\n" + std::to_string(sqlite3_column_int64(s, 1)) + "\n" +
                  txt(2) + "\n" + txt(3) + "\n" + std::to_string(sqlite3_column_int64(s, 4)) + "\n" + txt(5));
    rows.emplace_back(seq, prev, h);
    prev = h;
  }
  sqlite3_finalize(s);
  for (const auto& [seq, p, h] : rows)
    d.Exec("UPDATE audit_log SET prev_hash = '" + p + "', hash = '" + h + "' WHERE seq = " + std::to_string(seq));
}

// Rewrites one row's audit payload from the row (as verify would rebuild it) after an edit of `field`.
void RepayloadDeclaration(Db& d, std::int64_t id) {
  const std::string seq = d.One("SELECT audit_seq FROM declarations WHERE id = " + std::to_string(id));
  json p = json::parse(d.One("SELECT payload FROM audit_log WHERE seq = " + seq));
  p["at"] = std::stoll(d.One("SELECT at FROM declarations WHERE id = " + std::to_string(id)));
  d.Exec("UPDATE audit_log SET payload = '" + p.dump() + "' WHERE seq = " + seq);
}

void AppendForged(Db& d, bool copy_mac) {
  const std::string last = d.One("SELECT max(seq) FROM audit_log");
  const std::string ref = d.One("SELECT id FROM incidents WHERE incident_id = 'F-1'");
  const std::int64_t seq = std::stoll(last) + 1;
  d.Exec("INSERT INTO declarations(incident_ref, kind, level, by_role, at, at_offset, audit_seq) VALUES(" + ref +
         ", 'raise', 3, 'deputy_commander', 1775282400, 480, " + std::to_string(seq) + ")");
  const std::string id = d.One("SELECT max(id) FROM declarations");
  json p = {{"at", 1775282400},     {"by", "deputy_commander"},
            {"id", std::stoll(id)}, {"incident_ref", std::stoll(ref)},
            {"kind", "raise"},      {"level", 3},
            {"offset", 480}};
  d.Exec("INSERT INTO audit_log(seq, recorded_at, action, tbl, row_id, payload, prev_hash, hash, mac) VALUES(" +
         std::to_string(seq) + ", 1775282500, 'declaration', 'declarations', " + id + ", '" + p.dump() + "', '', '', " +
         (copy_mac ? "(SELECT mac FROM audit_log WHERE seq = " + last + ")" : std::string("NULL")) + ")");
  Rechain(d);
}

struct Case {
  const char* name;
  std::function<void(const std::string& path, const std::string& backup)> attack;
  bool needs_anchor;  // undetectable from the store and its directory alone (docs/tamper-evidence.md)
};

std::vector<Case> Cases() {
  auto sql = [](std::string q) {
    return [q](const std::string& path, const std::string&) {
      Db d(path);
      DropGuards(d);
      d.Exec(q);
    };
  };
  return {
      {"edit a report body",
       sql("UPDATE reports SET body = '{\"incident_id\":\"F-1\",\"burned_area_ha\":5}' WHERE id = 2"), false},
      {"back-date a declaration (payload and every later hash recomputed)",
       [](const std::string& path, const std::string&) {
         Db d(path);
         DropGuards(d);
         d.Exec("UPDATE declarations SET at = at - 4 * 3600 WHERE id = 1");
         RepayloadDeclaration(d, 1);
         Rechain(d);
       },
       false},
      {"append a forged declaration (plain chain recomputed)",
       [](const std::string& p, const std::string&) {
         Db d(p);
         DropGuards(d);
         AppendForged(d, false);
       },
       false},
      {"append a forged declaration carrying the previous mac",
       [](const std::string& p, const std::string&) {
         Db d(p);
         DropGuards(d);
         AppendForged(d, true);
       },
       false},
      {"edit recorded_at of an entry (chain recomputed)",
       [](const std::string& path, const std::string&) {
         Db d(path);
         DropGuards(d);
         d.Exec("UPDATE audit_log SET recorded_at = recorded_at - 86400 WHERE seq = 9");
         Rechain(d);
       },
       false},
      {"delete a middle entry and its row",
       sql("DELETE FROM upward_reports WHERE id = 1; DELETE FROM audit_log WHERE seq = 10"), false},
      {"delete a record row only", sql("DELETE FROM decisions WHERE id = 3"), false},
      {"insert a row naming an existing entry",
       sql("INSERT INTO declarations(incident_ref, kind, level, by_role, at, at_offset, audit_seq) "
           "VALUES(1, 'declare', 4, 'commander', 1775260800, 480, 9)"),
       false},
      {"swap two entries",
       sql("UPDATE audit_log SET seq = -1 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 4;"
           "UPDATE audit_log SET seq = 4 WHERE seq = -1"),
       false},
      {"clear every mac", sql("UPDATE audit_log SET mac = NULL"), false},
      {"change the store id", sql("UPDATE meta SET value = '00000000000000000000000000000000' WHERE key = 'store_id'"),
       false},
      {"name another office key", sql("UPDATE meta SET value = '0123456789abcdef' WHERE key = 'key_id'"), false},
      {"change a closing time", sql("UPDATE closures SET at = at - 86400"), false},
      {"downgrade to an unkeyed v2 chain",
       [](const std::string& path, const std::string&) {
         Db d(path);
         DropGuards(d);
         d.Exec(
             "ALTER TABLE audit_log DROP COLUMN mac; DELETE FROM meta WHERE key IN ('store_id','key_id');"
             "PRAGMA user_version = 2");
         d.Exec("UPDATE declarations SET at = at - 4 * 3600 WHERE id = 1");
         RepayloadDeclaration(d, 1);
         Rechain(d);
         fs::remove(HeadSidecarPath(path));
       },
       false},
      {"re-sign the chain with the editor's own key",
       [](const std::string& path, const std::string&) {
         // The editor makes a key of their own and signs the back-dated chain with it (the store names it).
         Db d(path);
         DropGuards(d);
         d.Exec("UPDATE declarations SET at = at - 4 * 3600 WHERE id = 1");
         RepayloadDeclaration(d, 1);
         Rechain(d);
         const std::string secret = RandomBytes(32);
         const std::string id = HmacSha256Hex(secret, "firebreak office key id").substr(0, 16);
         const std::string store_id = d.One("SELECT value FROM meta WHERE key = 'store_id'");
         std::string prev(64, '0');
         for (int seq = 1;; ++seq) {
           const std::string h = d.One("SELECT hash FROM audit_log WHERE seq = " + std::to_string(seq));
           if (h.empty()) break;
           prev = HmacSha256Hex(secret, "firebreak audit v3\n" + store_id + "\n" + prev + "\n" + h);
           d.Exec("UPDATE audit_log SET mac = '" + prev + "' WHERE seq = " + std::to_string(seq));
         }
         d.Exec("UPDATE meta SET value = '" + id + "' WHERE key = 'key_id'");
       },
       false},
      {"splice in an entry of another store signed with the same key",
       [](const std::string& path, const std::string&) {
         const std::string other = MakeStore("other-" + std::to_string(::getpid()) + ".sqlite");
         Db src(other);
         const std::string mac = src.One("SELECT mac FROM audit_log WHERE seq = 12");
         const std::string hash = src.One("SELECT hash FROM audit_log WHERE seq = 12");
         Db d(path);
         DropGuards(d);
         d.Exec("UPDATE audit_log SET mac = '" + mac + "', hash = '" + hash + "' WHERE seq = 12");
       },
       false},
      {"truncate the file to 0 bytes",
       [](const std::string& p, const std::string&) { std::ofstream(p, std::ios::trunc); }, false},
      {"delete the store file", [](const std::string& p, const std::string&) { fs::remove(p); }, false},
      {"empty every table",
       sql("DELETE FROM closures; DELETE FROM upward_reports; DELETE FROM declarations;"
           "DELETE FROM decisions; DELETE FROM reports; DELETE FROM incidents; DELETE FROM audit_log"),
       false},
      {"drop the last entry and its row", sql("DELETE FROM closures; DELETE FROM audit_log WHERE seq = 15"), false},
      {"roll back to an older copy",
       [](const std::string& p, const std::string& backup) {
         fs::copy_file(backup, p, fs::copy_options::overwrite_existing);
       },
       false},
      {"drop the last entry and rewrite the head file (unsigned)",
       [](const std::string& p, const std::string&) {
         {
           Db d(p);
           DropGuards(d);
           d.Exec("DELETE FROM closures; DELETE FROM audit_log WHERE seq = 15");
         }
         std::string side = Read(HeadSidecarPath(p));
         Db d(p);
         const std::string mac14 = d.One("SELECT mac FROM audit_log WHERE seq = 14");
         const std::string hash14 = d.One("SELECT hash FROM audit_log WHERE seq = 14");
         std::ostringstream out;
         std::istringstream in(side);
         for (std::string line; std::getline(in, line);) {
           if (line.rfind("seq: ", 0) == 0) line = "seq: 14";
           if (line.rfind("mac: ", 0) == 0) line = "mac: " + mac14;
           if (line.rfind("hash: ", 0) == 0) line = "hash: " + hash14;
           out << line << "\n";
         }
         std::ofstream(HeadSidecarPath(p), std::ios::trunc) << out.str();
       },
       false},
      // Only an external anchor catches these: the editor also removes or replays the head file.
      {"drop the last entry and delete the head file",
       [](const std::string& p, const std::string&) {
         Db d(p);
         DropGuards(d);
         d.Exec("DELETE FROM closures; DELETE FROM audit_log WHERE seq = 15");
         fs::remove(HeadSidecarPath(p));
       },
       true},
      {"roll back to an older copy with its older head file",
       [](const std::string& p, const std::string& backup) {
         fs::copy_file(backup, p, fs::copy_options::overwrite_existing);
         fs::copy_file(HeadSidecarPath(backup), HeadSidecarPath(p), fs::copy_options::overwrite_existing);
       },
       true},
      {"delete the store and its head file",
       [](const std::string& p, const std::string&) {
         fs::remove(p);
         fs::remove(HeadSidecarPath(p));
       },
       true},
  };
}

// Verifies; a finding or a refusal both count as detected.
bool Detected(const std::string& path, const std::string& anchor) {
  VerifyOptions vo;
  vo.key_file = Opts().key_file;
  vo.anchor_text = anchor;
  vo.anchor_name = "anchor.txt";
  try {
    return !VerifyStore(path, vo).ok;
  } catch (const Error& e) {
    return e.kind() == ErrorKind::kStore;
  }
}

TEST(Tamper, EveryEditIsDetectedWithoutTheKey) {
  int detected_alone = 0, detected_anchored = 0, total = 0, need_anchor = 0;
  int i = 0;
  for (const auto& c : Cases()) {
    SCOPED_TRACE(c.name);
    const std::string path = (Dir() / ("t" + std::to_string(i++) + ".sqlite")).string();
    // An older copy (with its head file) is taken after the first incident; the anchor at the end.
    {
      Store s = Store::Open(path, Opts());
      Record(s, "F-1", 3);
    }
    const std::string backup = path + ".backup";
    fs::copy_file(path, backup);
    fs::copy_file(HeadSidecarPath(path), HeadSidecarPath(backup));
    {
      Store s = Store::Open(path, Opts());
      s.AddDeclaration({0, "F-1", "declare", engine::Level::kIV, "office_director", T("2026-04-04T13:00:00+08:00")});
      s.AddUpwardReport({0, "F-1", "5.2(3)", {"city_government"}, T("2026-04-04T13:10:00+08:00")});
      Record(s, "F-2", 2);
      s.CloseIncident("F-2", T("2026-04-05T09:00:00+08:00"), "office_director");
    }
    std::string anchor;
    {
      OpenOptions ro = Opts();
      ro.mode = OpenMode::kRead;
      Store s = Store::Open(path, ro);
      anchor = s.Head().Text();
      ASSERT_EQ(s.Head().seq, 15);
    }
    ASSERT_FALSE(Detected(path, anchor)) << "the untouched store must verify";
    c.attack(path, backup);
    const bool alone = Detected(path, "");
    const bool anchored = Detected(path, anchor);
    ++total;
    need_anchor += c.needs_anchor;
    detected_alone += alone;
    detected_anchored += anchored;
    EXPECT_EQ(alone, !c.needs_anchor) << (alone ? "detected without an anchor" : "NOT detected without an anchor");
    EXPECT_TRUE(anchored) << "not detected against the anchor";
  }
  std::cout << "tamper cases detected: " << detected_alone << "/" << total << " by verify alone (" << need_anchor
            << " need an external anchor), " << detected_anchored << "/" << total << " with the anchor\n";
}

TEST(Tamper, AForgedAnchorIsDetected) {
  const std::string path = MakeStore("anchor.sqlite");
  OpenOptions ro = Opts();
  ro.mode = OpenMode::kRead;
  std::string anchor = Store::Open(path, ro).Head().Text();
  EXPECT_FALSE(Detected(path, anchor));
  const std::string forged =
      anchor.substr(0, anchor.find("seq: ")) + "seq: 3" + anchor.substr(anchor.find('\n', anchor.find("seq: ")));
  EXPECT_TRUE(Detected(path, forged));
  EXPECT_TRUE(Detected(path, "not an anchor\n"));
}

}  // namespace
}  // namespace firebreak::store
