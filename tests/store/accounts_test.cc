// Users, shifts and acknowledgements (accounts.h): hashed passwords, refusals, audit chain, tamper evidence.
#include "firebreak/store/accounts.h"

#include <gtest/gtest.h>

#include "firebreak/common/error.h"
#include "firebreak/rules/loader.h"

namespace firebreak::store {
namespace {

Timestamp T(const char* iso) { return *ParseIso8601(iso); }

const engine::RuleSet& Rules() {
  static const engine::RuleSet r = rules::LoadRuleFile(std::string(FIREBREAK_SOURCE_DIR) + "/rules/liuzhou-2022.yaml");
  return r;
}

ErrorKind KindOf(const std::function<void()>& f, std::string* what = nullptr) {
  try {
    f();
  } catch (const Error& e) {
    if (what) *what = e.where() + ": " + e.message();
    return e.kind();
  }
  ADD_FAILURE() << "no error thrown";
  return ErrorKind::kInternal;
}

TEST(Accounts, PasswordsAreHashedAndChecked) {
  Store s = Store::Open(":memory:");
  Accounts a(s, Rules(), PasswordCost::kMinimal);
  a.AddUser("li.si", "deputy_commander", "李四", "correct horse battery", "cli", T("2026-04-04T08:00:00+08:00"));
  auto u = a.Authenticate("li.si", "correct horse battery");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->role, "deputy_commander");
  EXPECT_EQ(u->display_name, "李四");
  EXPECT_FALSE(a.Authenticate("li.si", "correct horse batterY"));
  EXPECT_FALSE(a.Authenticate("nobody", "correct horse battery"));
  // The clear password is nowhere in the file's tables; the hash is Argon2id.
  auto rows = s.Query("SELECT password_hash FROM users");
  ASSERT_EQ(rows.size(), 1u);
  const std::string hash = std::get<std::string>(rows[0][0]);
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_EQ(s.Query("SELECT count(*) FROM audit_log WHERE payload LIKE '%correct horse%'")[0][0],
            SqlValue(std::int64_t{0}));

  a.SetPassword("li.si", "a new long phrase", "cli", T("2026-04-04T09:00:00+08:00"));
  EXPECT_FALSE(a.Authenticate("li.si", "correct horse battery"));
  EXPECT_TRUE(a.Authenticate("li.si", "a new long phrase"));
  a.Disable("li.si", "cli", T("2026-04-04T10:00:00+08:00"));
  EXPECT_FALSE(a.Authenticate("li.si", "a new long phrase"));
  ASSERT_EQ(a.Users().size(), 1u);
  EXPECT_FALSE(a.Users()[0].active);
  EXPECT_TRUE(s.Verify().ok);
}

TEST(Accounts, RefusesBadUsers) {
  Store s = Store::Open(":memory:");
  Accounts a(s, Rules(), PasswordCost::kMinimal);
  const Timestamp at = T("2026-04-04T08:00:00+08:00");
  std::string what;
  EXPECT_EQ(KindOf([&] { a.AddUser("x", "deputy_comander", "", "long enough pw", "cli", at); }, &what),
            ErrorKind::kInput);
  EXPECT_NE(what.find("did you mean 'deputy_commander'"), std::string::npos) << what;
  EXPECT_EQ(KindOf([&] { a.AddUser("x", "city_publicity_dept", "", "long enough pw", "cli", at); }), ErrorKind::kInput)
      << "a unit is not a role";
  EXPECT_EQ(KindOf([&] { a.AddUser("a b", "commander", "", "long enough pw", "cli", at); }), ErrorKind::kInput);
  EXPECT_EQ(KindOf([&] { a.AddUser("", "commander", "", "long enough pw", "cli", at); }), ErrorKind::kInput);
  EXPECT_EQ(KindOf([&] { a.AddUser(std::string(33, 'a'), "commander", "", "long enough pw", "cli", at); }),
            ErrorKind::kInput);
  // Password length: 7 refused, 8 accepted (boundary on both sides).
  EXPECT_EQ(KindOf([&] { a.AddUser("c", "commander", "", "1234567", "cli", at); }, &what), ErrorKind::kInput);
  EXPECT_NE(what.find("at least 8"), std::string::npos);
  a.AddUser("c", "commander", "", "12345678", "cli", at);
  EXPECT_EQ(KindOf([&] { a.AddUser("c", "commander", "", "12345678", "cli", at); }, &what), ErrorKind::kInput);
  EXPECT_NE(what.find("already exists"), std::string::npos);
  EXPECT_EQ(KindOf([&] { a.SetPassword("nobody", "12345678", "cli", at); }), ErrorKind::kNotFound);
  EXPECT_EQ(a.Users().size(), 1u) << "nothing half-written";
  EXPECT_EQ(std::get<std::int64_t>(s.Query("SELECT count(*) FROM audit_log")[0][0]), 1);
}

TEST(Accounts, ShiftsAndAcknowledgementsAreAudited) {
  Store s = Store::Open(":memory:");
  Accounts a(s, Rules(), PasswordCost::kMinimal);
  a.AddUser("duty1", "city_hq_office", "值班员甲", "duty officer one", "cli", T("2026-04-04T07:00:00+08:00"));
  a.AddUser("duty2", "city_hq_office", "值班员乙", "duty officer two", "cli", T("2026-04-04T07:00:00+08:00"));
  const User u1 = *a.FindUser("duty1"), u2 = *a.FindUser("duty2");
  a.SignIn(u1, T("2026-04-04T08:00:00+08:00"), "");
  EXPECT_EQ(a.OnDuty().size(), 1u);
  a.SignIn(u2, T("2026-04-04T19:55:00+08:00"), "");
  a.SignOut(u1, T("2026-04-04T20:00:00+08:00"), "无异常", R"({"open":[]})");
  auto duty = a.OnDuty();
  ASSERT_EQ(duty.size(), 1u);
  EXPECT_EQ(duty[0].username, "duty2");
  auto shifts = a.Shifts(T("2026-04-04T12:00:00+08:00"));
  ASSERT_EQ(shifts.size(), 2u);
  EXPECT_EQ(shifts[1].kind, "sign_out");
  EXPECT_EQ(shifts[1].handover, R"({"open":[]})");

  EXPECT_EQ(KindOf([&] { a.Acknowledge(u2, "F-9", "level:III", std::nullopt, T("2026-04-04T21:00:00+08:00"), ""); }),
            ErrorKind::kNotFound);
  s.EnsureIncident("F-1", T("2026-04-04T08:00:00+08:00"), std::nullopt);
  EXPECT_EQ(KindOf([&] { a.Acknowledge(u2, "F-1", "", std::nullopt, T("2026-04-04T21:00:00+08:00"), ""); }),
            ErrorKind::kInput);
  a.Acknowledge(u2, "F-1", "level:III", T("2026-04-04T20:00:00+08:00"), T("2026-04-04T21:00:00+08:00"), "已电话催办");
  auto acks = a.Acknowledgements({"F-1"});
  ASSERT_EQ(acks.size(), 1u);
  EXPECT_EQ(acks[0].item, "level:III");
  EXPECT_EQ(acks[0].role, "city_hq_office");
  EXPECT_EQ(acks[0].due_at, T("2026-04-04T20:00:00+08:00"));
  EXPECT_TRUE(a.Acknowledgements({"F-2"}).empty());

  s.Transaction([&] {
    s.AddDeclaration({0, "F-1", "declare", engine::Level::kIII, "deputy_commander", T("2026-04-04T21:05:00+08:00")});
    a.RecordAction(u2, "declarations", 1, T("2026-04-04T21:05:00+08:00"));
  });
  ASSERT_EQ(a.Actions().size(), 1u);
  EXPECT_EQ(a.Actions()[0].username, "duty2");
  EXPECT_EQ(a.Actions()[0].tbl, "declarations");

  VerifyResult v = s.Verify();
  EXPECT_TRUE(v.ok) << (v.problems.empty() ? "" : v.problems[0]);
  EXPECT_EQ(v.audit_entries, 2 + 3 + 1 + 1 + 2);  // users, shift events, incident, ack, declaration + its actor
}

// Editing an accounts row outside firebreak (here: the role of a user, the note of a handover) breaks
// verification with the row named; the append-only triggers refuse it first.
TEST(Accounts, TamperingIsDetected) {
  Store s = Store::Open(":memory:");
  Accounts a(s, Rules(), PasswordCost::kMinimal);
  a.AddUser("duty1", "city_hq_office", "", "duty officer one", "cli", T("2026-04-04T07:00:00+08:00"));
  a.SignOut(*a.FindUser("duty1"), T("2026-04-04T20:00:00+08:00"), "ok", "{}");
  EXPECT_EQ(KindOf([&] { s.ExecForTest("UPDATE users SET role = 'commander'"); }), ErrorKind::kStore);
  s.ExecForTest(
      "DROP TRIGGER users_no_update; UPDATE users SET role = 'commander';"
      "DROP TRIGGER shift_events_no_update; UPDATE shift_events SET note = 'edited';");
  VerifyResult v = s.Verify();
  EXPECT_FALSE(v.ok);
  std::string all;
  for (const auto& p : v.problems) all += p + "\n";
  EXPECT_NE(all.find("users row 1: content differs"), std::string::npos) << all;
  EXPECT_NE(all.find("shift_events row 1: content differs"), std::string::npos) << all;
}

}  // namespace
}  // namespace firebreak::store
