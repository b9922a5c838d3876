// Per-office views of the duty board (desk.h, OfficeStatus; docs/postgresql.md, "Per-office views").
#include <algorithm>
#include <set>

#include "firebreak/store/desk.h"
#include "firebreak/store/offices.h"

namespace firebreak::store {
namespace {

// Keeps the elements of `v` whose incident_id is in `keep`.
template <class T>
void KeepOnly(std::vector<T>& v, const std::set<std::string>& keep) {
  v.erase(std::remove_if(v.begin(), v.end(), [&](const T& x) { return !keep.count(x.incident_id); }), v.end());
}

}  // namespace

timeline::StatusBoard OfficeStatus(const Store& store, const engine::Engine& engine, const Timestamp& at,
                                   const timeline::AuditOptions& options) {
  timeline::StatusBoard board = StoredStatus(store, engine, at, options);
  if (store.office().empty()) return board;
  const std::vector<Office> offices = OfficesOf(engine.rules());
  std::set<std::string> seen;
  for (const IncidentRecord& inc : store.Incidents(true))
    if (inc.offices.empty() || MayWrite(offices, store.office(), inc.offices)) seen.insert(inc.incident_id);
  KeepOnly(board.incidents, seen);
  KeepOnly(board.timeline.incidents, seen);
  KeepOnly(board.audit.incidents, seen);
  board.audit.ok = std::all_of(board.audit.incidents.begin(), board.audit.incidents.end(),
                               [](const timeline::IncidentAudit& a) { return a.ok; });
  board.source += " [" + store.office() + "]";  // whose view
  return board;
}

}  // namespace firebreak::store
