// Migration between stores (issue 12): an office's SQLite file into the shared PostgreSQL store, and an office's
// incidents back out of it into a SQLite file (an archive). Any pair of backends works the same way
// (docs/postgresql.md, "Migration").
//
// Contract:
//  - Both chains are verified (`store verify` semantics, VerifyStore) before anything is copied: a source or an
//    existing destination that does not verify is refused with Error(kStore) and nothing is written.
//  - Every record is copied through the store API (one audit entry per record in the destination's chain,
//    signed with the destination office's key), in the source's order: incident, its offices, each report with
//    its decision, declarations, upward reports, closure.
//  - Atomic: one transaction on the destination (PostgreSQL, or an existing SQLite file); a new SQLite file is
//    built aside (PATH.migrating) and renamed into place only when complete and verified. On any failure the
//    destination is as it was.
//  - Inside that transaction, before it commits, the destination is verified again and every copied incident is
//    read back and compared with the source (same incident, reports, decisions, declarations, upward reports,
//    closure; ids and office attribution aside).
//  - An incident the destination already holds is skipped when its records are the same as the source's (a
//    migration run again), and refused (Error(kStore), nothing written) when they differ.
#pragma once

#include <string>

#include "firebreak/store/store.h"

namespace firebreak::store {

struct MigrateOptions {
  // The office: SQLite source → the office its records are made by in the destination (must match the
  // destination's office: the PostgreSQL role's, or the SQLite store's); a source with offices (PostgreSQL) →
  // only the incidents linked to this office are copied. Empty: the source's office, every incident.
  std::string office;
  std::string key_file;  // the office key, for both sides (empty: DefaultOfficeKeyPath())
  std::string key_dir;   // PostgreSQL: the other offices' keys (DIR/<office id>.key) for the verifications
  // The rule file's offices: an incident of a store without offices is linked, as the desk links a new one, to
  // the office of its county (OfficeOfCounty); null: to the destination's office.
  const engine::RuleSet* rules = nullptr;
};

struct MigrateResult {
  int incidents_copied = 0;
  int incidents_present = 0;  // already in the destination with the same records: skipped
  int records_copied = 0;     // reports, decisions, declarations, upward reports, closures
  std::string office;         // the office the destination recorded as ("" for a SQLite store without offices)
  VerifyResult from_before, from_after, to_before, to_after;
  bool to_existed = false;  // the destination held a store before (to_before is meaningful)
};

// Copies `from` into `to` (each a SQLite path or a postgresql:// URL). Throws Error(kUsage) when both name the
// same store, Error(kNotFound) when `from` does not exist, Error(kStore) when a chain does not verify, the
// destination holds conflicting records, or the destination refuses a record (row-level security).
MigrateResult Migrate(const std::string& from, const std::string& to, const MigrateOptions& options);

// One line per record of a history, without ids and office attribution: what a migration must preserve.
std::string HistoryFingerprint(const IncidentHistory& h);

}  // namespace firebreak::store
