// Internal to store/src: the tables of the web duty desk (accounts.h) — users with hashed passwords, shift
// sign-in/out with handover sheets, acknowledgements of overdue duties, and which person at the desk made each
// report, declaration, upward report or closure — as one schema migration, and how each row is audited. store.cc appends kAccountsMigration to its migrations and checks kAccountsTables in Verify.
//
// Like every firebreak table they are append-only (a password change or a disabled user is a new row) and
// each row names the audit entry that recorded it. A row's audit payload is the SQL expression `payload` over
// its columns: a compact JSON object with sorted keys, the same text whether computed when the row is
// inserted (Store::InsertAudited) or when the store is verified (Store::Verify).
#pragma once

namespace firebreak::store::internal {

// Schema version 3 -> 4 (renumbered at the merge: harden's keyed chain is 3).
inline constexpr const char* kAccountsMigration = R"sql(
CREATE TABLE users(
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL,
  role TEXT NOT NULL,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  active INTEGER NOT NULL CHECK(active IN (0, 1)),
  change TEXT NOT NULL CHECK(change IN ('add', 'password', 'disable')),
  by_user TEXT NOT NULL,
  at INTEGER NOT NULL,
  at_offset INTEGER NOT NULL,
  audit_seq INTEGER NOT NULL REFERENCES audit_log(seq) DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX users_by_name ON users(username, id);
CREATE INDEX users_by_audit ON users(audit_seq);
CREATE TABLE shift_events(
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK(kind IN ('sign_in', 'sign_out')),
  username TEXT NOT NULL,
  role TEXT NOT NULL,
  at INTEGER NOT NULL,
  at_offset INTEGER NOT NULL,
  note TEXT NOT NULL,
  handover TEXT NOT NULL,
  audit_seq INTEGER NOT NULL REFERENCES audit_log(seq) DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX shift_events_by_at ON shift_events(at, id);
CREATE INDEX shift_events_by_audit ON shift_events(audit_seq);
CREATE TABLE acknowledgements(
  id INTEGER PRIMARY KEY,
  incident_ref INTEGER NOT NULL REFERENCES incidents(id),
  item TEXT NOT NULL,
  due_at INTEGER,
  due_offset INTEGER,
  username TEXT NOT NULL,
  role TEXT NOT NULL,
  at INTEGER NOT NULL,
  at_offset INTEGER NOT NULL,
  note TEXT NOT NULL,
  audit_seq INTEGER NOT NULL REFERENCES audit_log(seq) DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX acks_by_incident ON acknowledgements(incident_ref, item);
CREATE INDEX acks_by_audit ON acknowledgements(audit_seq);
CREATE TABLE desk_actions(
  id INTEGER PRIMARY KEY,
  tbl TEXT NOT NULL,
  row_id INTEGER NOT NULL,
  username TEXT NOT NULL,
  role TEXT NOT NULL,
  at INTEGER NOT NULL,
  at_offset INTEGER NOT NULL,
  audit_seq INTEGER NOT NULL REFERENCES audit_log(seq) DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX desk_actions_by_row ON desk_actions(tbl, row_id);
CREATE INDEX desk_actions_by_audit ON desk_actions(audit_seq);
CREATE TRIGGER desk_actions_no_update BEFORE UPDATE ON desk_actions BEGIN SELECT RAISE(ABORT, 'firebreak store: desk_actions is append-only'); END;
CREATE TRIGGER desk_actions_no_delete BEFORE DELETE ON desk_actions BEGIN SELECT RAISE(ABORT, 'firebreak store: desk_actions is append-only'); END;
CREATE TRIGGER users_no_update BEFORE UPDATE ON users BEGIN SELECT RAISE(ABORT, 'firebreak store: users is append-only'); END;
CREATE TRIGGER users_no_delete BEFORE DELETE ON users BEGIN SELECT RAISE(ABORT, 'firebreak store: users is append-only'); END;
CREATE TRIGGER shift_events_no_update BEFORE UPDATE ON shift_events BEGIN SELECT RAISE(ABORT, 'firebreak store: shift_events is append-only'); END;
CREATE TRIGGER shift_events_no_delete BEFORE DELETE ON shift_events BEGIN SELECT RAISE(ABORT, 'firebreak store: shift_events is append-only'); END;
CREATE TRIGGER acknowledgements_no_update BEFORE UPDATE ON acknowledgements BEGIN SELECT RAISE(ABORT, 'firebreak store: acknowledgements is append-only'); END;
CREATE TRIGGER acknowledgements_no_delete BEFORE DELETE ON acknowledgements BEGIN SELECT RAISE(ABORT, 'firebreak store: acknowledgements is append-only'); END;
)sql";

// An audited table of this file: its name and the canonical payload of a row (keys sorted; the handover
// sheet and the password hash enter the payload whole, so an edit to either breaks verification).
struct AuditedTable {
  const char* name;
  const char* payload;
};

inline constexpr AuditedTable kAccountsTables[] = {
    {"users",
     "json_object('active', active, 'at', at, 'by', by_user, 'change', change, 'display_name', display_name, "
     "'id', id, 'offset', at_offset, 'password_hash', password_hash, 'role', role, 'username', username)"},
    {"shift_events",
     "json_object('at', at, 'handover', handover, 'id', id, 'kind', kind, 'note', note, 'offset', at_offset, "
     "'role', role, 'username', username)"},
    {"desk_actions",
     "json_object('at', at, 'id', id, 'offset', at_offset, 'role', role, 'row_id', row_id, 'tbl', tbl, "
     "'username', username)"},
    {"acknowledgements",
     "json_object('at', at, 'due_at', due_at, 'due_offset', due_offset, 'id', id, 'incident_ref', incident_ref, "
     "'item', item, 'note', note, 'offset', at_offset, 'role', role, 'username', username)"},
};

}  // namespace firebreak::store::internal
