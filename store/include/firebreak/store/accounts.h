// The web duty desk's people in the store: users (one role of the rule file each, hashed passwords), shift
// sign-in and sign-out with the handover sheet, and acknowledgements of overdue duties. Schema: the
// `users`, `shift_events` and `acknowledgements` tables (docs/store-schema.md). Like every record, each row is
// appended to the hash-chained audit log in the same transaction; rows are never changed (a new password or a
// disabled user is a new row: the latest row of a username is its state).
//
// Passwords: libsodium crypto_pwhash_str (Argon2id, "interactive" limits: 2 passes, 64 MiB), never stored or
// logged in clear. Authenticate() spends the same hash work on unknown users as on known ones.
//
// Thread-safety: as the Store (one thread at a time).
//
// Desk actions: the store's declarations, reports, upward reports and closures record a role; when a person
// signed in at the web desk made one, RecordAction() names them (username and role) in the same transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "firebreak/common/time.h"
#include "firebreak/engine/rule_set.h"
#include "firebreak/store/store.h"

namespace firebreak::store {

struct User {
  std::string username;      // [A-Za-z0-9_.-]{1,32}
  std::string role;          // a role id of the rule file (e.g. office_director)
  std::string display_name;  // e.g. 张三
  bool active = true;
  Timestamp changed_at;  // of the latest row
};

struct ShiftEvent {
  std::int64_t id = 0;
  std::string kind;  // "sign_in" | "sign_out"
  std::string username;
  std::string role;
  Timestamp at;
  std::string note;
  std::string handover;  // sign_out: the handover sheet as JSON text (docs/web.md); sign_in: ""
};

struct Acknowledgement {
  std::int64_t id = 0;
  std::string incident_id;
  std::string item;  // what was overdue, e.g. "level:III" or "report:5.2(3)" (docs/web.md)
  std::optional<Timestamp> due_at;
  std::string username;
  std::string role;
  Timestamp at;
  std::string note;
};

// Which person at the desk made a record: `tbl` is "reports", "declarations", "upward_reports" or "closures".
struct DeskAction {
  std::string tbl;
  std::int64_t row_id = 0;
  std::string username;
  std::string role;
  Timestamp at;
};

// How much work a password hash costs. kInteractive for people; kMinimal only for tests (fast, weak).
enum class PasswordCost { kInteractive, kMinimal };

class Accounts {
 public:
  // `rules` names the roles a user may hold; both must outlive this object.
  Accounts(Store& store, const engine::RuleSet& rules, PasswordCost cost = PasswordCost::kInteractive);

  // Adds a user. Throws Error(kInput, "username"/"role"/"password", ...) for a malformed name, a role the rule
  // file does not name (with "did you mean"), a password shorter than 8 or longer than 256 bytes, or a name
  // already taken. `by` says who added it ("cli" from `firebreak users add`).
  void AddUser(const std::string& username, const std::string& role, const std::string& display_name,
               const std::string& password, const std::string& by, const Timestamp& at);
  // Sets a new password / disables a user (Error(kNotFound) for an unknown user).
  void SetPassword(const std::string& username, const std::string& password, const std::string& by,
                   const Timestamp& at);
  void Disable(const std::string& username, const std::string& by, const Timestamp& at);

  // The user if the password matches and the user is active; nullopt otherwise (no reason given).
  std::optional<User> Authenticate(const std::string& username, const std::string& password) const;
  std::optional<User> FindUser(const std::string& username) const;
  std::vector<User> Users() const;  // current state of every user, by username

  // A shift: sign in / sign out (with the handover sheet, JSON text) of a user in their role.
  std::int64_t SignIn(const User& user, const Timestamp& at, const std::string& note);
  std::int64_t SignOut(const User& user, const Timestamp& at, const std::string& note, const std::string& handover);
  // Shift events at or after `since` (all if nullopt), in time order.
  std::vector<ShiftEvent> Shifts(std::optional<Timestamp> since = std::nullopt) const;
  // Who is signed in now: each user whose latest shift event is a sign_in.
  std::vector<ShiftEvent> OnDuty() const;

  // Records that `user` saw an overdue `item` of an incident (Error(kNotFound) for an unknown incident,
  // Error(kInput) for an empty item).
  std::int64_t Acknowledge(const User& user, const std::string& incident_id, const std::string& item,
                           std::optional<Timestamp> due_at, const Timestamp& at, const std::string& note);
  // Acknowledgements of the given incidents (all if empty), in time order.
  std::vector<Acknowledgement> Acknowledgements(const std::vector<std::string>& incident_ids = {}) const;

  // Names the person who made row `row_id` of `tbl` (call inside the transaction that wrote it).
  void RecordAction(const User& user, const std::string& tbl, std::int64_t row_id, const Timestamp& at);
  std::vector<DeskAction> Actions() const;  // every desk action, in id order

 private:
  void CheckPassword(const std::string& password) const;
  std::string Hash(const std::string& password) const;
  void AddRow(const User& u, const std::string& hash, const std::string& change, const std::string& by,
              const Timestamp& at, const std::string& action);

  Store& store_;
  const engine::RuleSet& rules_;
  PasswordCost cost_;
};

}  // namespace firebreak::store
