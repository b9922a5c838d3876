// The shared store's schema on PostgreSQL (docs/postgresql.md, docs/store-schema.md). Internal to store/src.
//
// The same records as the SQLite store (incidents, reports, decisions, declarations, upward reports, closures,
// the web desk's accounts tables, the audit log), in schema `firebreak`, plus what many offices need:
//  - offices, office_roles, level_deciders: the rule file's offices, the roles each may act as, and who decides
//    each level (6.3.x.1); written by `firebreak store setup` (the owner), read by everyone;
//  - an `office` column on every record: the office that wrote it (the database role it logged in as);
//    incident_offices links an incident to the offices it belongs to (its county; both counties of a fire that
//    crosses their boundary, 3.3);
//  - one audit chain per office (audit_log's key is (office, seq)), keyed with that office's key;
//  - `xid` on every row (the writing transaction, pg_current_xact_id()): "what changed since snapshot S" is
//    an index range scan (pg_visible_in_snapshot), so an office follows the others without polling tables;
//  - NOTIFY firebreak_changes, <incident id> after every insert (LISTEN: `status --follow`, the desk).
// Enforced IN THE DATABASE: append-only (triggers refuse UPDATE, DELETE and TRUNCATE for everyone, the owner
// included; office roles have only SELECT and INSERT), row-level security (an office inserts only rows that name
// itself, only on incidents it belongs to or is the level above; declarations only by its own roles and only of
// levels those roles decide, per the rule file's deciders).
//
// Versions: the PostgreSQL schema carries the SQLite store's version numbers (kSchemaVersion). A new shared store
// is created directly at version 6 (everything of SQLite versions 1-6 at once); later versions append steps.
#pragma once

#include <string>

namespace firebreak::store::internal {

// What comes before the record tables: meta, the offices, current_office(), is_parent() and the audit log.
inline constexpr const char* kPgPrelude = R"sql(
CREATE SCHEMA IF NOT EXISTS firebreak;
SET LOCAL search_path = firebreak;

CREATE TABLE meta(key text PRIMARY KEY, value text NOT NULL);

CREATE TABLE offices(
  id text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('city', 'county')),
  parent text REFERENCES offices(id),
  name_zh text NOT NULL,
  name_en text NOT NULL,
  db_role name NOT NULL UNIQUE);
CREATE TABLE office_roles(office text NOT NULL REFERENCES offices(id), role text NOT NULL, PRIMARY KEY (office, role));
CREATE TABLE level_deciders(level int NOT NULL CHECK (level BETWEEN 1 AND 4), role text NOT NULL,
                            PRIMARY KEY (level, role));

-- The office of the session (NULL for the owner and other roles that are no office).
CREATE FUNCTION current_office() RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT id FROM firebreak.offices WHERE db_role = current_user $$;
-- `upper` is the office above `lower` (the city above its counties).
CREATE FUNCTION is_parent(upper text, lower text) RETURNS boolean LANGUAGE sql STABLE AS
  $$ SELECT EXISTS (SELECT 1 FROM firebreak.offices WHERE id = lower AND parent = upper) $$;

CREATE TABLE audit_log(
  office text NOT NULL REFERENCES offices(id),
  seq bigint NOT NULL CHECK (seq >= 1),
  recorded_at bigint NOT NULL,
  action text NOT NULL,
  tbl text NOT NULL,
  row_id bigint NOT NULL,
  payload text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  mac text NOT NULL,
  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
  PRIMARY KEY (office, seq));

)sql";

// A record table: `CREATE TABLE name(id, <columns>, audit_seq, xid, <constraints>, FOREIGN KEY to its audit
// entry)`, then `after` (its indexes, and functions that the next tables' policies use). Every record names
// its office (a column of `columns`: its place and default differ) and the audit entry that recorded it.
struct PgRecordTable {
  const char* name;
  const char* columns;      // lines "  column type ...,\n" between the id and audit_seq
  const char* constraints;  // lines after xid, before the foreign key
  const char* after;        // SQL text following the table
};

inline constexpr PgRecordTable kPgRecordTables[] = {
    {"incidents",
     "  incident_id text NOT NULL UNIQUE,\n"
     "  opened_at bigint NOT NULL,\n"
     "  opened_offset int NOT NULL,\n"
     "  county text,\n"
     "  office text NOT NULL REFERENCES offices(id),\n",
     "", ""},
    {"incident_offices",
     "  incident_ref bigint NOT NULL REFERENCES incidents(id),\n"
     "  linked text NOT NULL REFERENCES offices(id),\n"
     "  office text NOT NULL REFERENCES offices(id),\n",
     "  UNIQUE (incident_ref, linked),\n",
     R"sql(CREATE INDEX incident_offices_by_office ON incident_offices(linked);

-- The current office may write incident `ref`: it belongs to it, or it is the level above an office it belongs to.
CREATE FUNCTION may_write(ref bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM firebreak.incident_offices l
                 WHERE l.incident_ref = ref
                   AND (l.linked = firebreak.current_office() OR firebreak.is_parent(firebreak.current_office(), l.linked)))
$$;
-- The current office holds a role that decides `lvl` or a higher level (interpretation superior-role-may-declare).
CREATE FUNCTION may_declare(lvl int) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM firebreak.level_deciders d JOIN firebreak.office_roles r ON r.role = d.role
                 WHERE r.office = firebreak.current_office() AND d.level >= lvl)
$$;
CREATE FUNCTION is_office_role(r text) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM firebreak.office_roles WHERE office = firebreak.current_office() AND role = r)
$$;

)sql"},
    {"reports",
     "  incident_ref bigint NOT NULL REFERENCES incidents(id),\n"
     "  reported_at bigint NOT NULL,\n"
     "  reported_offset int NOT NULL,\n"
     "  body text NOT NULL,\n"
     "  source text NOT NULL,\n"
     "  recorded_at bigint,\n"
     "  recorded_offset int,\n"
     "  office text NOT NULL REFERENCES offices(id),\n"
     "  by_role text,\n",
     "",
     R"sql(CREATE INDEX reports_by_incident ON reports(incident_ref, reported_at);
)sql"},
    {"decisions",
     "  report_ref bigint NOT NULL UNIQUE REFERENCES reports(id),\n"
     "  at bigint NOT NULL,\n"
     "  at_offset int NOT NULL,\n"
     "  level int CHECK (level IS NULL OR level BETWEEN 1 AND 4),\n"
     "  rules_id text NOT NULL,\n"
     "  rules_sha256 text NOT NULL,\n"
     "  json text NOT NULL,\n"
     "  office text NOT NULL REFERENCES offices(id),\n",
     "", ""},
    {"declarations",
     "  incident_ref bigint NOT NULL REFERENCES incidents(id),\n"
     "  kind text NOT NULL CHECK (kind IN ('declare', 'raise', 'end')),\n"
     "  level int CHECK (level IS NULL OR level BETWEEN 1 AND 4),\n"
     "  by_role text NOT NULL,\n"
     "  at bigint NOT NULL,\n"
     "  at_offset int NOT NULL,\n"
     "  office text NOT NULL REFERENCES offices(id),\n",
     "",
     R"sql(CREATE INDEX declarations_by_incident ON declarations(incident_ref, at);
)sql"},
    {"upward_reports",
     "  incident_ref bigint NOT NULL REFERENCES incidents(id),\n"
     "  clause text NOT NULL,\n"
     "  recipients text NOT NULL,\n"
     "  at bigint NOT NULL,\n"
     "  at_offset int NOT NULL,\n"
     "  office text NOT NULL REFERENCES offices(id),\n"
     "  by_role text,\n",
     "",
     R"sql(CREATE INDEX upward_by_incident ON upward_reports(incident_ref, at);
)sql"},
    {"closures",
     "  incident_ref bigint NOT NULL UNIQUE REFERENCES incidents(id),\n"
     "  at bigint NOT NULL,\n"
     "  at_offset int NOT NULL,\n"
     "  by_role text NOT NULL,\n"
     "  office text NOT NULL REFERENCES offices(id),\n",
     "",
     R"sql(
-- The web desk's tables (SQLite version 4), with the writing office.
)sql"},
    {"users",
     "  username text NOT NULL,\n"
     "  role text NOT NULL,\n"
     "  display_name text NOT NULL,\n"
     "  password_hash text NOT NULL,\n"
     "  active int NOT NULL CHECK (active IN (0, 1)),\n"
     "  change text NOT NULL CHECK (change IN ('add', 'password', 'disable')),\n"
     "  by_user text NOT NULL,\n"
     "  at bigint NOT NULL,\n"
     "  at_offset int NOT NULL,\n"
     "  office text NOT NULL DEFAULT firebreak.current_office() REFERENCES offices(id),\n",
     "",
     R"sql(CREATE INDEX users_by_name ON users(username, id);
)sql"},
    {"shift_events",
     "  kind text NOT NULL CHECK (kind IN ('sign_in', 'sign_out')),\n"
     "  username text NOT NULL,\n"
     "  role text NOT NULL,\n"
     "  at bigint NOT NULL,\n"
     "  at_offset int NOT NULL,\n"
     "  note text NOT NULL,\n"
     "  handover text NOT NULL,\n"
     "  office text NOT NULL DEFAULT firebreak.current_office() REFERENCES offices(id),\n",
     "",
     R"sql(CREATE INDEX shift_events_by_at ON shift_events(at, id);
)sql"},
    {"acknowledgements",
     "  incident_ref bigint NOT NULL REFERENCES incidents(id),\n"
     "  item text NOT NULL,\n"
     "  due_at bigint,\n"
     "  due_offset int,\n"
     "  username text NOT NULL,\n"
     "  role text NOT NULL,\n"
     "  at bigint NOT NULL,\n"
     "  at_offset int NOT NULL,\n"
     "  note text NOT NULL,\n"
     "  office text NOT NULL DEFAULT firebreak.current_office() REFERENCES offices(id),\n",
     "",
     R"sql(CREATE INDEX acks_by_incident ON acknowledgements(incident_ref, item);
)sql"},
    {"desk_actions",
     "  tbl text NOT NULL,\n"
     "  row_id bigint NOT NULL,\n"
     "  username text NOT NULL,\n"
     "  role text NOT NULL,\n"
     "  at bigint NOT NULL,\n"
     "  at_offset int NOT NULL,\n"
     "  office text NOT NULL DEFAULT firebreak.current_office() REFERENCES offices(id),\n",
     "",
     R"sql(CREATE INDEX desk_actions_by_row ON desk_actions(tbl, row_id);

)sql"},
};

// Triggers (append-only, xid stamps, NOTIFY), row-level security policies and the office role's grants.
inline constexpr const char* kPgEpilogue =
    R"sql(-- Append-only, for everyone (the owner too): UPDATE, DELETE and TRUNCATE are refused.
CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'firebreak store: % is append-only', TG_TABLE_NAME USING ERRCODE = 'P0001';
END $$;
-- The writing transaction, whatever the client sent.
CREATE FUNCTION stamp_xid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.xid := pg_current_xact_id();
  RETURN NEW;
END $$;
-- Tells listeners which incident changed (delivered at commit, once per incident and transaction).
CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ref bigint;
BEGIN
  IF TG_TABLE_NAME = 'incidents' THEN ref := NEW.id;
  ELSIF TG_TABLE_NAME = 'decisions' THEN SELECT incident_ref INTO ref FROM firebreak.reports WHERE id = NEW.report_ref;
  ELSE ref := NEW.incident_ref;
  END IF;
  PERFORM pg_notify('firebreak_changes', (SELECT incident_id FROM firebreak.incidents WHERE id = ref));
  RETURN NULL;
END $$;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['audit_log', 'incidents', 'incident_offices', 'reports', 'decisions', 'declarations',
                           'upward_reports', 'closures', 'users', 'shift_events', 'acknowledgements', 'desk_actions']
  LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON firebreak.%I FOR EACH ROW EXECUTE FUNCTION firebreak.append_only()', t || '_append_only', t);
    EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON firebreak.%I FOR EACH STATEMENT EXECUTE FUNCTION firebreak.append_only()', t || '_no_truncate', t);
    EXECUTE format('CREATE TRIGGER %I BEFORE INSERT ON firebreak.%I FOR EACH ROW EXECUTE FUNCTION firebreak.stamp_xid()', t || '_xid', t);
    EXECUTE format('CREATE INDEX %I ON firebreak.%I(xid)', t || '_by_xid', t);
    EXECUTE format('ALTER TABLE firebreak.%I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE firebreak.%I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY read_all ON firebreak.%I FOR SELECT USING (true)', t);
    IF t <> 'audit_log' THEN
      EXECUTE format('CREATE INDEX %I ON firebreak.%I(office, audit_seq)', t || '_by_audit', t);
    END IF;
  END LOOP;
  FOREACH t IN ARRAY ARRAY['incidents', 'incident_offices', 'reports', 'decisions', 'declarations', 'upward_reports', 'closures']
  LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON firebreak.%I FOR EACH ROW EXECUTE FUNCTION firebreak.notify_change()', t || '_notify', t);
  END LOOP;
END $$;

-- Row-level security for inserts: every row names the office that writes it.
CREATE POLICY own_chain ON audit_log FOR INSERT WITH CHECK (office = current_office());
CREATE POLICY own_incident ON incidents FOR INSERT WITH CHECK (office = current_office());
-- The office that opened an incident links it to itself or to an office below it (the city records a county's
-- fire); an office that already writes the incident links it to a neighbour its fire crosses into (3.3). Nobody
-- links another office's incident to itself.
CREATE POLICY link ON incident_offices FOR INSERT WITH CHECK (
  office = current_office()
  AND (may_write(incident_ref)
       OR ((SELECT i.office FROM incidents i WHERE i.id = incident_ref) = current_office()
           AND (linked = current_office() OR is_parent(current_office(), linked)))));
CREATE POLICY report ON reports FOR INSERT WITH CHECK (
  office = current_office() AND may_write(incident_ref) AND (by_role IS NULL OR is_office_role(by_role)));
CREATE POLICY decision ON decisions FOR INSERT WITH CHECK (
  office = current_office() AND may_write((SELECT r.incident_ref FROM reports r WHERE r.id = report_ref)));
-- Declarations: by a role of the office, of a level one of its roles decides (6.3.x.1); ending a response
-- ("end") needs that right too once a level was declared (6.3.6: by the authority that started it).
CREATE POLICY declaration ON declarations FOR INSERT WITH CHECK (
  office = current_office() AND may_write(incident_ref) AND is_office_role(by_role)
  AND CASE WHEN kind = 'end'
           THEN may_declare(1) OR NOT EXISTS (SELECT 1 FROM declarations d WHERE d.incident_ref = declarations.incident_ref
                                                                             AND d.level IS NOT NULL)
           ELSE may_declare(level) END);
CREATE POLICY upward ON upward_reports FOR INSERT WITH CHECK (
  office = current_office() AND may_write(incident_ref) AND (by_role IS NULL OR is_office_role(by_role)));
CREATE POLICY closure ON closures FOR INSERT WITH CHECK (
  office = current_office() AND may_write(incident_ref) AND is_office_role(by_role));
CREATE POLICY own_rows ON users FOR INSERT WITH CHECK (office = current_office());
CREATE POLICY own_rows ON shift_events FOR INSERT WITH CHECK (office = current_office());
CREATE POLICY own_rows ON acknowledgements FOR INSERT WITH CHECK (office = current_office() AND may_write(incident_ref));
CREATE POLICY own_rows ON desk_actions FOR INSERT WITH CHECK (office = current_office());

-- Offices: read everything, insert records; never change or remove them.
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '%PREFIX%office') THEN
    CREATE ROLE %PREFIX%office NOLOGIN;
  END IF;
END $$;
GRANT USAGE ON SCHEMA firebreak TO %PREFIX%office;
GRANT SELECT ON ALL TABLES IN SCHEMA firebreak TO %PREFIX%office;
GRANT INSERT ON audit_log, incidents, incident_offices, reports, decisions, declarations, upward_reports, closures,
                users, shift_events, acknowledgements, desk_actions TO %PREFIX%office;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA firebreak TO %PREFIX%office;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA firebreak TO %PREFIX%office;
)sql";

inline std::string PgSchemaV6Sql() {
  std::string sql = kPgPrelude;
  for (const auto& t : kPgRecordTables) {
    sql += std::string("CREATE TABLE ") + t.name + "(\n  id bigserial PRIMARY KEY,\n" + t.columns +
           "  audit_seq bigint NOT NULL,\n  xid xid8 NOT NULL DEFAULT pg_current_xact_id(),\n" + t.constraints +
           "  FOREIGN KEY (office, audit_seq) REFERENCES audit_log(office, seq) DEFERRABLE INITIALLY DEFERRED);\n" +
           t.after;
  }
  return sql + kPgEpilogue;
}

// The first PostgreSQL schema: version 6. `%PREFIX%` is replaced by the office role prefix.
inline const std::string kPgSchemaV6 = PgSchemaV6Sql();

}  // namespace firebreak::store::internal
