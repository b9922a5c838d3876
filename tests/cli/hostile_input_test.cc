// Issue 13, the parts in the report/scenario readers, the timeline and the desk: hostile or mistaken input
// gives a clear error with its place and a documented exit code — never a crash, a hang, exit 10 or a silent
// wrong answer. Through the real binary (FIREBREAK_TEST_BINARY=path runs them against another build).
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "firebreak/test_support/files.h"
#include "firebreak/test_support/run.h"

namespace firebreak {
namespace {

namespace fs = std::filesystem;

using Out = test_support::RunResult;  // code, out, err

std::string Dir() {
  static const std::string d = test_support::ScratchDir("firebreak-hostile");
  return d;
}
std::string Write(const std::string& name, const std::string& text) {
  return test_support::WriteFile(Dir(), name, text);
}
std::string FreshStore(const std::string& name) { return test_support::FreshStore(Dir(), name); }

// Runs the binary with a time limit (a hang is a failure, not a stuck test): exit 137 = killed by `timeout`.
Out Fb(const std::string& args, int seconds = 60) {
  return test_support::Run(args, {.stderr_mode = test_support::Stderr::kSeparate, .timeout_s = seconds});
}

const char* kReport = R"({"incident_id":"H1","reported_at":"2026-05-12T08:00:00+08:00","burned_area_ha":120,
  "county":"柳城县","open_fire_since":"2026-05-12T07:00:00+08:00","location":{"lon":109.2,"lat":24.6}})";

// Expects exit 4 (input) and every `says` in stderr.
void ExpectInputError(const Out& o, const std::vector<std::string>& says, const std::string& what) {
  EXPECT_EQ(o.code, 4) << what << ": " << o.err;
  for (const auto& s : says) EXPECT_NE(o.err.find(s), std::string::npos) << what << ": no '" << s << "' in " << o.err;
}

TEST(HostileInput, DeepNestingIsAClearErrorInEveryReader) {
  const std::string deep = Write("deep.json", std::string(200000, '['));
  ExpectInputError(Fb("assess " + deep), {"deep.json:1:65", "nested deeper than 64"}, "assess");
  ExpectInputError(Fb("report --store " + FreshStore("deep.sqlite") + " " + deep), {"nested deeper"}, "report");
  std::string block = "incident_id: X\nreported_at: 2026-05-12T08:00:00+08:00\nfacts:\n";
  for (int i = 0; i < 5000; ++i) block += std::string(static_cast<std::size_t>(i % 200) + 2, ' ') + "- \n";
  ExpectInputError(Fb("assess " + Write("deep.yaml", block)), {"deep.yaml:"}, "block nesting");
  const std::string sc = Write(
      "deep-sc.yaml", "scenario: d\nstart: 2026-05-12T08:00:00+08:00\nreports: " + std::string(100000, '[') + "\n");
  ExpectInputError(Fb("drill " + sc), {"deep-sc.yaml:3:", "nested deeper"}, "drill");
}

TEST(HostileInput, AliasBombsAreRefusedAtOnce) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c)
    bomb += std::string(1, c) + ": &" + c + " [*" + static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) +
            ", *" + static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) +
            ", *" + static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) +
            ", *" + static_cast<char>(c - 1) + ", *" + static_cast<char>(c - 1) + "]\n";
  const std::string report = Write("bomb.yaml", "incident_id: X\nreported_at: 2026-05-12T08:00:00+08:00\n" + bomb);
  ExpectInputError(Fb("assess " + report, 20), {"bomb.yaml:3:4", "anchors"}, "assess");
  ExpectInputError(Fb("report --store " + FreshStore("bomb.sqlite") + " " + report, 20), {"anchors"}, "report");
  const std::string sc = Write("bomb-sc.yaml", "scenario: b\nstart: 2026-05-12T08:00:00+08:00\n" + bomb);
  ExpectInputError(Fb("drill " + sc, 20), {"bomb-sc.yaml:3:4"}, "drill");
}

TEST(HostileInput, InvalidUtf8IsAnInputErrorWithItsPlace) {
  const std::string report = Write("bad-utf8.json", "{\"incident_id\":\"X\",\n \"county\":\"\xff\xfe\"}");
  ExpectInputError(Fb("assess " + report), {"bad-utf8.json:2:12", "not valid UTF-8"}, "assess");
  ExpectInputError(Fb("report --store " + FreshStore("u.sqlite") + " " + report), {"bad-utf8.json:2:12"}, "report");
  const std::string sc = Write("bad-utf8.yaml", "scenario: u\ntitle: \"\xc3\x28\"\nstart: 2026-05-12T08:00:00+08:00\n");
  ExpectInputError(Fb("drill " + sc), {"bad-utf8.yaml:2:9", "not valid UTF-8"}, "drill");
  ExpectInputError(Fb("audit --scenario " + sc + " --format html -o " + Dir() + "/a.html"), {"bad-utf8.yaml:2:9"},
                   "audit --format html");
}

TEST(HostileInput, DuplicateKeysNameBothPlaces) {
  const std::string json = Write("dup.json",
                                 "{\"incident_id\":\"X\",\"reported_at\":\"2026-05-12T08:00:00+08:00\",\n"
                                 "\"burned_area_ha\":600,\n\"burned_area_ha\":0}");
  ExpectInputError(Fb("assess " + json), {"dup.json:3:1", "duplicate key 'burned_area_ha' (first at 2:1)"}, "assess");
  const Out r = Fb("report --store " + FreshStore("dup.sqlite") + " " + json);
  ExpectInputError(r, {"dup.json:3:1", "(first at 2:1)"}, "report");
  const std::string sc = Write("dup-sc.yaml", "scenario: d\nstart: 2026-05-12T08:00:00+08:00\nscenario: e\n");
  ExpectInputError(Fb("drill " + sc), {"dup-sc.yaml:3:1", "(first at 1:1)"}, "drill");
}

TEST(HostileInput, ASecondYamlDocumentIsRefused) {
  const std::string two = Write("two.yaml", std::string(kReport) + "\n---\nincident_id: H2\n");
  ExpectInputError(Fb("assess " + two), {"two.yaml:3:1", "second YAML document"}, "assess");
  ExpectInputError(Fb("report --store " + FreshStore("two.sqlite") + " " + two), {"second YAML document"}, "report");
}

TEST(HostileInput, RelativeTimesThatOverflowAndFarUntil) {
  const std::string base = "scenario: t\nstart: 2026-05-12T08:00:00+08:00\n";
  const std::string r = "reports:\n  - {incident_id: T1, reported_at: +0, burned_area_ha: 60}\n";
  ExpectInputError(Fb("drill " + Write("over.yaml", base + "until: +99999999999h\n" + r)),
                   {"over.yaml:3:8", "more than 366 days"}, "overflow");
  ExpectInputError(Fb("drill " + Write("over2.yaml", base + "until: +9223372036854775807s\n" + r)),
                   {"over2.yaml:3:8", "more than 366 days"}, "int64 overflow");
  ExpectInputError(Fb("drill " + Write("far.yaml", base + "until: 9999-01-01T00:00:00+08:00\n" + r), 30),
                   {"far.yaml:3:8", "more than 366 days"}, "far until");
}

TEST(HostileInput, DeskTimesBeforeTheIncidentOrFarFromTheClockAreRefused) {
  const std::string store = FreshStore("times.sqlite");
  ASSERT_EQ(Fb("report --store " + store + " " + Write("t.json", kReport)).code, 0);
  ExpectInputError(Fb("close H1 --by commander --at 2026-05-12T07:59:00+08:00 --store " + store),
                   {"before the incident's first report"}, "close before");
  ExpectInputError(Fb("declare H1 III --by deputy_commander --at 2026-05-11T23:00:00+08:00 --store " + store),
                   {"before the incident's first report"}, "declare before");
  ExpectInputError(Fb("upward H1 \"5.2(3)\" --to city_government --at 2026-05-12T06:00:00+08:00 --store " + store),
                   {"before the incident's first report"}, "upward before");
  ExpectInputError(Fb("declare H1 III --by deputy_commander --at 9999-01-01T00:00:00+08:00 --store " + store),
                   {"more than 24 h after"}, "year 9999");
  ExpectInputError(Fb("declare H1 III --by deputy_commander --at 1970-01-01T08:00:00+08:00 --store " + store),
                   {"more than ten years before"}, "1970");
  ExpectInputError(Fb("report --store " + store + " " +
                      Write("t70.json", R"({"incident_id":"H9","reported_at":"1970-01-01T08:00:00+08:00"})")),
                   {"/reported_at", "ten years"}, "report 1970");
  // The audit still sees III required for the 120 ha fire: nothing back-dated was recorded.
  Out a = Fb("audit H1 --store " + store + " --lang en --until 2026-05-12T12:00:00+08:00");
  EXPECT_EQ(a.out.find("no response level was required"), std::string::npos) << a.out;
}

TEST(HostileInput, AnotherCountyOrPlaceNeedsAnExplicitCorrection) {
  const std::string store = FreshStore("id.sqlite");
  ASSERT_EQ(Fb("report --store " + store + " " + Write("id1.json", kReport)).code, 0);
  ExpectInputError(
      Fb("report --store " + store + " " +
         Write("id2.json", R"({"incident_id":"H1","reported_at":"2026-05-12T09:00:00+08:00","county":"鹿寨县"})")),
      {"id2.json:1:", "/county", "correction"}, "county");
  ExpectInputError(Fb("report --store " + store + " " +
                      Write("id3.json", R"({"incident_id":"H1","reported_at":"2026-05-12T09:00:00+08:00",
                        "location":{"lon":109.9,"lat":24.6}})")),
                   {"/location", "km"}, "location");
  // Nearby (a moving fire front) is fine; a flagged correction is recorded as such.
  EXPECT_EQ(Fb("report --store " + store + " " +
               Write("id4.json", R"({"incident_id":"H1","reported_at":"2026-05-12T09:00:00+08:00",
                 "location":{"lon":109.21,"lat":24.61}})"))
                .code,
            0);
  Out fix = Fb("report --store " + store + " " +
               Write("id5.json", R"({"incident_id":"H1","reported_at":"2026-05-12T10:00:00+08:00","county":"鹿寨县",
                 "correction":true})"));
  EXPECT_EQ(fix.code, 0) << fix.err;
}

TEST(HostileInput, ADrillWithABadReportCommitsNothing) {
  const std::string store = FreshStore("drill.sqlite");
  std::string text = R"(scenario: bad4
start: 2026-05-12T08:00:00+08:00
reports:
  - {incident_id: B1, reported_at: +0, burned_area_ha: 60, open_fire_since: +0}
  - {incident_id: B1, reported_at: +1h, burned_area_ha: 70}
  - {incident_id: B1, reported_at: +2h, burned_area_ha: 80}
  - {incident_id: B1, reported_at: +3h, extinguished: true}
)";
  const std::string sc = Write("bad4.yaml", text);
  ExpectInputError(Fb("drill " + sc + " --store " + store), {"bad4.yaml:7:5", "controlled"}, "4th report");
  Out st = Fb("status --store " + store + " --lang en --at 2026-05-12T12:00:00+08:00");
  EXPECT_NE(st.out.find("none"), std::string::npos) << st.out << st.err;  // no incident
  // The corrected drill runs into the same file.
  text.replace(text.find("extinguished: true"), 18, "controlled: true, extinguished: true");
  EXPECT_EQ(Fb("drill " + Write("good4.yaml", text) + " --store " + store).code, 0);
}

}  // namespace
}  // namespace firebreak
