// Issue 12: per-office views of the duty board on the shared store (desk.h, OfficeStatus), against a real server
// (FIREBREAK_TEST_PG; skipped without it).
#include "firebreak/store/desk.h"
#include "pg_fixture.h"

namespace firebreak::store::pgtest {
namespace {

std::vector<std::string> Ids(const timeline::StatusBoard& b) {
  std::vector<std::string> ids;
  for (const auto& line : b.incidents) ids.push_back(line.incident_id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Two counties each with a dangerous fire (III for both by 6.3.2.1(5), counted over both offices), the city
// declares III for 柳城县's: the city sees both; each county sees its own fire, with the city's declaration on
// it, and not the other county's; the levels are the whole picture's (III, not a county's lone fire's none).
TEST_F(PgStore, EachCountySeesItsOwnIncidentsAndWhatTheCityDeclaredForThem) {
  for (const auto& [office, id, county, at] : {std::tuple{kLiucheng, "LC-1", "柳城县", "2026-01-28T12:00:00+08:00"},
                                               std::tuple{kLuzhai, "LZ-1", "鹿寨县", "2026-01-28T13:00:00+08:00"}}) {
    Store st = Open(office);
    Desk d(st, eng_, {}, At("2026-01-28T14:00:00+08:00"));
    d.Report(Report(id, at, county, 6, true), std::string(id) + ".json");
  }
  {
    Store city = Open(kCity);
    Desk d(city, eng_, {}, At("2026-01-28T14:00:00+08:00"));
    d.Declare("LC-1", engine::Level::kIII, "deputy_commander", T("2026-01-28T13:30:00+08:00"));
  }
  const Timestamp at = T("2026-01-28T14:00:00+08:00");
  auto board = [&](const char* office) {
    return OfficeStatus(Store::Open(OfficeUrl(office), As(office, OpenMode::kRead)), eng_, at, {});
  };
  EXPECT_EQ(Ids(board(kCity)), (std::vector<std::string>{"LC-1", "LZ-1"}));
  const timeline::StatusBoard lc = board(kLiucheng);
  ASSERT_EQ(Ids(lc), std::vector<std::string>{"LC-1"});
  EXPECT_EQ(lc.incidents[0].required, engine::Level::kIII);  // two dangerous fires in the city: 6.3.2.1(5)
  EXPECT_EQ(lc.incidents[0].declared, engine::Level::kIII);  // the city's declaration
  ASSERT_EQ(lc.timeline.incidents.size(), 1u);
  ASSERT_EQ(lc.audit.incidents.size(), 1u);
  EXPECT_EQ(lc.audit.incidents[0].incident_id, "LC-1");
  const std::string json = timeline::StatusToJson(lc, Rules());
  EXPECT_EQ(json.find("LZ-1"), std::string::npos) << json;  // nothing of the other county's fire
  const timeline::StatusBoard lz = board(kLuzhai);
  ASSERT_EQ(Ids(lz), std::vector<std::string>{"LZ-1"});
  EXPECT_EQ(lz.incidents[0].required, engine::Level::kIII);
  EXPECT_FALSE(lz.incidents[0].declared.has_value());
  EXPECT_TRUE(Ids(board(kRongan)).empty());  // a county without fires sees none
}

}  // namespace
}  // namespace firebreak::store::pgtest
