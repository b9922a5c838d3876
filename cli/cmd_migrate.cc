// firebreak store migrate --from STORE --to STORE [--office X] [--key FILE] [--key-dir DIR] [--format text|json]
// Copies an office's SQLite store into the shared PostgreSQL store, or an office's incidents back out into a
// SQLite file (an archive), verifying both chains before and after (store/migrate.h; docs/postgresql.md).
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "firebreak/common/error.h"
#include "firebreak/store/migrate.h"
#include "firebreak/store/offices.h"
#include "firebreak/store/store.h"

namespace firebreak::cli {
namespace {

struct MigrateCli {
  std::string from, to, office, key, key_dir, format = "text";
};

nlohmann::json VerifyJson(const store::VerifyResult& v) {
  return {{"ok", v.ok}, {"audit_entries", v.audit_entries}, {"incidents", v.incidents}, {"head_hash", v.head_hash}};
}

void PrintText(const MigrateCli& o, const store::MigrateResult& r, bool en) {
  const std::string from = store::DisplayPath(o.from), to = store::DisplayPath(o.to);
  std::cout << from << " → " << to
            << (r.office.empty() ? "" : (en ? " (office " : "（办公室 ") + r.office + (en ? ")" : "）")) << "\n  "
            << (en ? "incidents copied " : "已迁移火情 ") << r.incidents_copied
            << (en ? ", already there (same records) " : "，目标已有（记录相同）") << r.incidents_present
            << (en ? ", records copied " : "，已迁移记录 ") << r.records_copied << "\n";
  auto line = [&](const std::string& name, const char* when, const store::VerifyResult& v) {
    std::cout << "  " << (en ? "verify " : "校验 ") << name << " " << when << ": ok, "
              << (en ? "audit entries " : "审计记录 ") << v.audit_entries << ", head " << v.head_hash << "\n";
  };
  line(from, en ? "before" : "迁移前", r.from_before);
  if (r.to_existed) line(to, en ? "before" : "迁移前", r.to_before);
  line(to, en ? "after" : "迁移后", r.to_after);
  line(from, en ? "after" : "迁移后", r.from_after);
}

void RunMigrate(const Globals& g, const MigrateCli& o) {
  const engine::RuleSet rules = LoadRules(g);
  if (!o.office.empty()) store::RequireOffice(store::OfficesOf(rules), o.office, "--office");
  store::MigrateOptions mo;
  mo.rules = &rules;
  mo.office = o.office;
  mo.key_file = o.key;
  mo.key_dir = o.key_dir;
  const store::MigrateResult r = store::Migrate(o.from, o.to, mo);
  if (o.format == "json") {
    nlohmann::json j = {{"from", store::DisplayPath(o.from)},
                        {"to", store::DisplayPath(o.to)},
                        {"office", r.office},
                        {"incidents_copied", r.incidents_copied},
                        {"incidents_present", r.incidents_present},
                        {"records_copied", r.records_copied},
                        {"from_before", VerifyJson(r.from_before)},
                        {"to_after", VerifyJson(r.to_after)},
                        {"from_after", VerifyJson(r.from_after)}};
    if (r.to_existed) j["to_before"] = VerifyJson(r.to_before);
    std::cout << j.dump(2) << "\n";
  } else {
    PrintText(o, r, g.lang == "en");
  }
}

}  // namespace

void RegisterMigrateCommands(CLI::App& app, Globals& g) {
  CLI::App* grp = app.get_subcommand("store");
  auto o = std::make_shared<MigrateCli>();
  CLI::App* cmd = grp->add_subcommand(
      "migrate",
      "Copy an office's store into another (SQLite file ↔ postgresql://…), verifying both chains (docs/postgresql.md)");
  cmd->add_option("--from", o->from, "Source store: a SQLite file or postgresql://… URL")->required();
  cmd->add_option("--to", o->to, "Destination store: postgresql://… URL, or a SQLite file (created if missing)")
      ->required();
  cmd->add_option("--office", o->office,
                  "The office: its incidents (from a shared store), or the office the records are made by (into one)");
  cmd->add_option("--key", o->key, "The office key for both sides (default: $FIREBREAK_OFFICE_KEY)");
  cmd->add_option("--key-dir", o->key_dir, "PostgreSQL: a directory of the other offices' keys, <office id>.key");
  cmd->add_option("--format", o->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--lang", g.lang, "Language of human output: zh (default) or en")->check(CLI::IsMember({"zh", "en"}));
  cmd->callback([&g, o] { RunMigrate(g, *o); });
}

}  // namespace firebreak::cli
