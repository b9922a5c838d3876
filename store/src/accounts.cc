// Users, shifts and acknowledgements of the web duty desk (accounts.h; tables in accounts_schema.h).
#include "firebreak/store/accounts.h"

#include <sodium.h>

#include <algorithm>
#include <climits>
#include <mutex>
#include <stdexcept>

#include "firebreak/common/error.h"

namespace firebreak::store {
namespace {

Timestamp Ts(std::int64_t epoch, std::int64_t off) { return Timestamp{epoch, static_cast<int>(off)}; }

std::int64_t Int(const SqlValue& v) {
  const auto* n = std::get_if<std::int64_t>(&v);
  return n ? *n : 0;
}
std::string Str(const SqlValue& v) {
  const auto* s = std::get_if<std::string>(&v);
  return s ? *s : std::string();
}
bool IsNull(const SqlValue& v) { return std::holds_alternative<std::monostate>(v); }

void InitSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw Error(ErrorKind::kInternal, "libsodium", "sodium_init failed");
  });
}

// Column order of every users query below.
constexpr const char* kUserColumns = "username, role, display_name, active, at, at_offset, password_hash";
constexpr const char* kLatestUser =
    " FROM users u WHERE u.id = (SELECT max(id) FROM users WHERE username = u.username)";

User UserFromRow(const SqlRow& r) {
  return User{Str(r[0]), Str(r[1]), Str(r[2]), Int(r[3]) != 0, Ts(Int(r[4]), Int(r[5]))};
}

void CheckUsername(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 32;
  for (char c : name)
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
                c == '-');
  if (!ok)
    throw Error(ErrorKind::kInput, "username", "'" + name + "' is not a user name",
                "1 to 32 letters, digits, '_', '.' or '-', e.g. zhang.san");
}

ShiftEvent ShiftFromRow(const SqlRow& r) {
  return ShiftEvent{Int(r[0]), Str(r[1]), Str(r[2]), Str(r[3]), Ts(Int(r[4]), Int(r[5])), Str(r[6]), Str(r[7])};
}
constexpr const char* kShiftColumns = "id, kind, username, role, at, at_offset, note, handover";

}  // namespace

Accounts::Accounts(Store& store, const engine::RuleSet& rules, PasswordCost cost)
    : store_(store), rules_(rules), cost_(cost) {
  InitSodium();
}

void Accounts::CheckPassword(const std::string& password) const {
  if (password.size() < 8)
    throw Error(ErrorKind::kInput, "password", "a password needs at least 8 characters",
                "choose a longer one (a phrase of several words is easiest to remember)");
  if (password.size() > 256) throw Error(ErrorKind::kInput, "password", "a password may have at most 256 bytes");
}

std::string Accounts::Hash(const std::string& password) const {
  const bool minimal = cost_ == PasswordCost::kMinimal;
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(),
                        minimal ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        minimal ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw Error(ErrorKind::kInternal, "libsodium", "crypto_pwhash_str failed (out of memory?)");
  return out;
}

void Accounts::AddRow(const User& u, const std::string& hash, const std::string& change, const std::string& by,
                      const Timestamp& at, const std::string& action) {
  store_.InsertAudited("users", action,
                       "INSERT INTO users(username, role, display_name, password_hash, active, change, by_user, at, "
                       "at_offset, audit_seq) VALUES(?,?,?,?,?,?,?,?,?,?)",
                       {u.username, u.role, u.display_name, hash, std::int64_t{u.active ? 1 : 0}, change, by,
                        at.epoch_s, std::int64_t{at.offset_min}});
}

void Accounts::AddUser(const std::string& username, const std::string& role, const std::string& display_name,
                       const std::string& password, const std::string& by, const Timestamp& at) {
  CheckUsername(username);
  if (!rules_.FindRole(role)) {
    std::vector<std::string> ids;
    for (const auto& r : rules_.roles) ids.push_back(r.id);
    const std::string near = ClosestMatch(role, ids);
    throw Error(
        ErrorKind::kInput, "role",
        "'" + role + "' is not a role of the rule file" + (near.empty() ? "" : " (did you mean '" + near + "'?)"),
        "role ids are listed by `firebreak rules show --format json` (roles)");
  }
  if (display_name.size() > 64) throw Error(ErrorKind::kInput, "name", "a display name may have at most 64 bytes");
  CheckPassword(password);
  const std::string hash = Hash(password);  // outside the write transaction: it takes tens of ms
  store_.Transaction([&] {
    if (FindUser(username))
      throw Error(ErrorKind::kInput, "username", "user '" + username + "' already exists",
                  "choose another name, or `firebreak users passwd` to set a new password");
    AddRow(User{username, role, display_name.empty() ? username : display_name, true, at}, hash, "add", by, at,
           "user.add");
  });
}

void Accounts::SetPassword(const std::string& username, const std::string& password, const std::string& by,
                           const Timestamp& at) {
  CheckPassword(password);
  const std::string hash = Hash(password);
  store_.Transaction([&] {
    auto u = FindUser(username);
    if (!u) throw Error(ErrorKind::kNotFound, username, "no user '" + username + "'", "`firebreak users list`");
    AddRow(*u, hash, "password", by, at, "user.password");
  });
}

void Accounts::Disable(const std::string& username, const std::string& by, const Timestamp& at) {
  store_.Transaction([&] {
    auto rows = store_.Query(std::string("SELECT ") + kUserColumns + kLatestUser + " AND u.username = ?", {username});
    if (rows.empty())
      throw Error(ErrorKind::kNotFound, username, "no user '" + username + "'", "`firebreak users list`");
    User u = UserFromRow(rows[0]);
    u.active = false;
    AddRow(u, Str(rows[0][6]), "disable", by, at, "user.disable");
  });
}

std::optional<User> Accounts::FindUser(const std::string& username) const {
  auto rows = store_.Query(std::string("SELECT ") + kUserColumns + kLatestUser + " AND u.username = ?", {username});
  if (rows.empty()) return std::nullopt;
  return UserFromRow(rows[0]);
}

std::optional<User> Accounts::Authenticate(const std::string& username, const std::string& password) const {
  // The same work for an unknown user as for a known one (no user enumeration by timing).
  static const std::string dummy = Hash("firebreak-no-such-user");
  auto rows = store_.Query(std::string("SELECT ") + kUserColumns + kLatestUser + " AND u.username = ?", {username});
  const std::string hash = rows.empty() ? dummy : Str(rows[0][6]);
  const bool match =
      password.size() <= 256 && crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  if (rows.empty() || !match) return std::nullopt;
  User u = UserFromRow(rows[0]);
  if (!u.active) return std::nullopt;
  return u;
}

std::vector<User> Accounts::Users() const {
  std::vector<User> out;
  for (const auto& r : store_.Query(std::string("SELECT ") + kUserColumns + kLatestUser + " ORDER BY u.username"))
    out.push_back(UserFromRow(r));
  return out;
}

std::int64_t Accounts::SignIn(const User& user, const Timestamp& at, const std::string& note) {
  return store_.InsertAudited("shift_events", "shift.sign_in",
                              "INSERT INTO shift_events(kind, username, role, at, at_offset, note, handover, "
                              "audit_seq) VALUES('sign_in',?,?,?,?,?,'',?)",
                              {user.username, user.role, at.epoch_s, std::int64_t{at.offset_min}, note});
}

std::int64_t Accounts::SignOut(const User& user, const Timestamp& at, const std::string& note,
                               const std::string& handover) {
  return store_.InsertAudited("shift_events", "shift.sign_out",
                              "INSERT INTO shift_events(kind, username, role, at, at_offset, note, handover, "
                              "audit_seq) VALUES('sign_out',?,?,?,?,?,?,?)",
                              {user.username, user.role, at.epoch_s, std::int64_t{at.offset_min}, note, handover});
}

std::vector<ShiftEvent> Accounts::Shifts(std::optional<Timestamp> since) const {
  std::vector<ShiftEvent> out;
  const std::int64_t from = since ? since->epoch_s : INT64_MIN;
  for (const auto& r : store_.Query(
           std::string("SELECT ") + kShiftColumns + " FROM shift_events WHERE at >= ? ORDER BY at, id", {from}))
    out.push_back(ShiftFromRow(r));
  return out;
}

std::vector<ShiftEvent> Accounts::OnDuty() const {
  std::vector<ShiftEvent> out;
  for (const auto& r : store_.Query(std::string("SELECT ") + kShiftColumns +
                                    " FROM shift_events e WHERE e.id = (SELECT max(id) FROM shift_events WHERE "
                                    "username = e.username) AND e.kind = 'sign_in' ORDER BY e.at, e.id"))
    out.push_back(ShiftFromRow(r));
  return out;
}

std::int64_t Accounts::Acknowledge(const User& user, const std::string& incident_id, const std::string& item,
                                   std::optional<Timestamp> due_at, const Timestamp& at, const std::string& note) {
  if (item.empty() || item.size() > 64)
    throw Error(ErrorKind::kInput, "item", "an acknowledgement names the overdue item (1 to 64 bytes)",
                "e.g. level:III or report:5.2(3)");
  return store_.Transaction([&] {
    auto ref = store_.Query("SELECT id FROM incidents WHERE incident_id = ?", {incident_id});
    if (ref.empty())
      throw Error(ErrorKind::kNotFound, incident_id, "no incident '" + incident_id + "' in the store",
                  "`firebreak status` lists open incidents");
    SqlValue due = std::monostate{}, due_off = std::monostate{};
    if (due_at) {
      due = due_at->epoch_s;
      due_off = std::int64_t{due_at->offset_min};
    }
    return store_.InsertAudited(
        "acknowledgements", "ack",
        "INSERT INTO acknowledgements(incident_ref, item, due_at, due_offset, username, role, "
        "at, at_offset, note, audit_seq) VALUES(?,?,?,?,?,?,?,?,?,?)",
        {ref[0][0], item, due, due_off, user.username, user.role, at.epoch_s, std::int64_t{at.offset_min}, note});
  });
}

std::vector<Acknowledgement> Accounts::Acknowledgements(const std::vector<std::string>& incident_ids) const {
  std::vector<Acknowledgement> out;
  for (const auto& r : store_.Query(
           "SELECT i.incident_id, a.id, a.item, a.due_at, a.due_offset, a.username, a.role, a.at, a.at_offset, a.note "
           "FROM acknowledgements a JOIN incidents i ON i.id = a.incident_ref ORDER BY a.at, a.id")) {
    const std::string id = Str(r[0]);
    if (!incident_ids.empty() && std::find(incident_ids.begin(), incident_ids.end(), id) == incident_ids.end())
      continue;
    Acknowledgement a{Int(r[1]), id, Str(r[2]), std::nullopt, Str(r[5]), Str(r[6]), Ts(Int(r[7]), Int(r[8])),
                      Str(r[9])};
    if (!IsNull(r[3])) a.due_at = Ts(Int(r[3]), Int(r[4]));
    out.push_back(std::move(a));
  }
  return out;
}

void Accounts::RecordAction(const User& user, const std::string& tbl, std::int64_t row_id, const Timestamp& at) {
  if (tbl != "reports" && tbl != "declarations" && tbl != "upward_reports" && tbl != "closures")
    throw Error(ErrorKind::kInternal, "desk_actions", "not a desk record table: " + tbl);
  store_.InsertAudited("desk_actions", "desk.action",
                       "INSERT INTO desk_actions(tbl, row_id, username, role, at, at_offset, audit_seq) "
                       "VALUES(?,?,?,?,?,?,?)",
                       {tbl, row_id, user.username, user.role, at.epoch_s, std::int64_t{at.offset_min}});
}

std::vector<DeskAction> Accounts::Actions() const {
  std::vector<DeskAction> out;
  for (const auto& r : store_.Query("SELECT tbl, row_id, username, role, at, at_offset FROM desk_actions ORDER BY id"))
    out.push_back(DeskAction{Str(r[0]), Int(r[1]), Str(r[2]), Str(r[3]), Ts(Int(r[4]), Int(r[5]))});
  return out;
}

}  // namespace firebreak::store
