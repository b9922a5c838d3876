// `firebreak users` and `firebreak serve` as processes (FIREBREAK_BINARY): passwords from stdin, refusals with
// their exit codes, the URL printed, the warning for a non-loopback address, a clean stop on SIGTERM.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;

struct Result {
  int code = -1;
  std::string out, err;
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("firebreak-cli-users-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    store_ = (dir_ / "desk.sqlite").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs firebreak with `args` and `input` on stdin.
  Result Firebreak(const std::string& args, const std::string& input = "") {
    const fs::path in = dir_ / "in", out = dir_ / "out", err = dir_ / "err";
    std::ofstream(in) << input;
    const std::string cmd =
        std::string(FIREBREAK_BINARY) + " " + args + " <" + in.string() + " >" + out.string() + " 2>" + err.string();
    const int rc = std::system(cmd.c_str());
    Result r;
    r.code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    r.out = Read(out);
    r.err = Read(err);
    return r;
  }
  static std::string Read(const fs::path& p) {
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  }

  fs::path dir_;
  std::string store_;
};

TEST_F(CliTest, UsersAddListPasswdDisable) {
  Result r = Firebreak("users add duty1 --role city_hq_office --name 值班员甲 --store " + store_, "a long password\n");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("市森林防灭火指挥部办公室"), std::string::npos) << r.out;
  r = Firebreak("users list --format json --store " + store_);
  ASSERT_EQ(r.code, 0) << r.err;
  auto users = nlohmann::json::parse(r.out);
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0]["role"], "city_hq_office");
  EXPECT_EQ(users[0]["display_name"], "值班员甲");
  EXPECT_EQ(r.out.find("a long password"), std::string::npos);
  // Refusals: exit 4 with the place and a hint; exit 2 without a password; exit 8 for an unknown user.
  r = Firebreak("users add duty1 --role city_hq_office --store " + store_, "another password\n");
  EXPECT_EQ(r.code, 4);
  EXPECT_NE(r.err.find("already exists"), std::string::npos) << r.err;
  r = Firebreak("users add x --role deputy_comander --store " + store_, "another password\n");
  EXPECT_EQ(r.code, 4);
  EXPECT_NE(r.err.find("did you mean 'deputy_commander'"), std::string::npos) << r.err;
  r = Firebreak("users add y --role commander --store " + store_, "short\n");
  EXPECT_EQ(r.code, 4);
  EXPECT_NE(r.err.find("at least 8"), std::string::npos) << r.err;
  r = Firebreak("users add z --role commander --store " + store_, "");
  EXPECT_EQ(r.code, 2) << r.err;
  r = Firebreak("users passwd nobody --store " + store_, "a long password\n");
  EXPECT_EQ(r.code, 8);
  EXPECT_EQ(Firebreak("users passwd duty1 --store " + store_, "a newer password\n").code, 0);
  EXPECT_EQ(Firebreak("users disable duty1 --store " + store_).code, 0);
  r = Firebreak("users list --lang en --store " + store_);
  EXPECT_NE(r.out.find("[disabled]"), std::string::npos) << r.out;
  EXPECT_EQ(Firebreak("store verify --store " + store_).code, 0);
}

TEST_F(CliTest, ServeRefusesABadListenAddress) {
  Result r = Firebreak("serve --store " + store_ + " --listen 127.0.0.1:99999");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--listen"), std::string::npos) << r.err;
  r = Firebreak("serve --store " + store_ + " --listen not-an-ip:8080");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("is not an IP address"), std::string::npos) << r.err;
  r = Firebreak("serve --store " + store_ + " --test-clock yesterday");
  EXPECT_EQ(r.code, 2) << r.err;
}

// Starts serve on a free port of every interface: it warns, prints the URL and the hint to add users, answers,
// and stops on SIGTERM with exit 0.
TEST_F(CliTest, ServePrintsTheUrlWarnsAndStops) {
  const fs::path out = dir_ / "serve.out", err = dir_ / "serve.err";
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::freopen(out.c_str(), "w", stdout);
    std::freopen(err.c_str(), "w", stderr);
    ::execl(FIREBREAK_BINARY, FIREBREAK_BINARY, "serve", "--store", store_.c_str(), "--listen", "0.0.0.0:0", "--lang",
            "en", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  std::string text;
  for (int i = 0; i < 200 && text.find("http://") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    text = Read(out);
  }
  EXPECT_NE(text.find("Duty desk: http://127.0.0.1:"), std::string::npos) << text;
  EXPECT_NE(text.find("(listening on 0.0.0.0:"), std::string::npos) << text;
  EXPECT_NE(text.find("firebreak users add"), std::string::npos) << "no users yet: say how to add one";
  EXPECT_NE(Read(err).find("warning: listening on 0.0.0.0"), std::string::npos) << Read(err);
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_NE(Read(out).find("stopped"), std::string::npos);
}

}  // namespace
