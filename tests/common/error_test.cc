#include "firebreak/common/error.h"

#include <gtest/gtest.h>

namespace firebreak {
namespace {

TEST(ErrorTest, ToStringComposesWhereWhatHint) {
  Error e(ErrorKind::kRuleFile, "rules/x.yaml:88:5", "unknown key 'trigers'", "did you mean 'triggers'?");
  EXPECT_EQ(e.ToString(), "rules/x.yaml:88:5: unknown key 'trigers' (did you mean 'triggers'?)");
  EXPECT_EQ(ExitCode(e.kind()), 3);
  Error bare(ErrorKind::kInput, "", "bad");
  EXPECT_EQ(bare.ToString(), "bad");
}

TEST(ErrorTest, ExitCodesAreDistinct) {
  const ErrorKind kinds[] = {ErrorKind::kUsage, ErrorKind::kRuleFile,    ErrorKind::kInput,    ErrorKind::kGis,
                             ErrorKind::kStore, ErrorKind::kExpectation, ErrorKind::kNotFound, ErrorKind::kInternal};
  for (auto a : kinds)
    for (auto b : kinds)
      if (a != b) {
        EXPECT_NE(ExitCode(a), ExitCode(b));
      }
}

TEST(ErrorTest, ClosestMatch) {
  static const struct {
    const char* word;
    const char* expect;
  } cases[] = {
      {"trigers", "triggers"}, {"mesures", "measures"}, {"levle", "level"}, {"zzzzzzzz", ""}, {"triggers", "triggers"},
  };
  std::vector<std::string> keys = {"triggers", "measures", "level", "clause"};
  for (const auto& c : cases) EXPECT_EQ(ClosestMatch(c.word, keys), c.expect) << c.word;
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
}

}  // namespace
}  // namespace firebreak

#include "firebreak/common/sha256.h"

namespace firebreak {
namespace {
TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
}  // namespace
}  // namespace firebreak
