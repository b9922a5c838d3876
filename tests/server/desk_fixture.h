// Test fixture for the web desk: a fresh store file with one user per role, an in-process Server on an
// ephemeral 127.0.0.1 port (test clock on), and a small synchronous HTTP client (Boost.Beast) with a cookie.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "firebreak/rules/loader.h"
#include "firebreak/server/server.h"
#include "firebreak/store/accounts.h"
#include "firebreak/store/store.h"

namespace firebreak::server::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using json = nlohmann::json;

inline const engine::RuleSet& Rules() {
  static const engine::RuleSet r = rules::LoadRuleFile(std::string(FIREBREAK_SOURCE_DIR) + "/rules/liuzhou-2022.yaml");
  return r;
}

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  json Json() const { return json::parse(body, nullptr, false); }
  std::string Kind() const {
    json j = Json();
    return j.is_object() && j.contains("error") ? j["error"].value("kind", "") : "";
  }
  std::string Path() const {
    json j = Json();
    return j.is_object() && j.contains("error") ? j["error"].value("path", "") : "";
  }
  std::string Message() const {
    json j = Json();
    return j.is_object() && j.contains("error") ? j["error"].value("text", "") : body;
  }
};

// One browser: a cookie jar of one session cookie, its CSRF token, a Host header.
class Client {
 public:
  explicit Client(unsigned short port) : port_(port), host_("127.0.0.1:" + std::to_string(port)) {}

  Reply Request(const std::string& method, const std::string& target, const std::string& body = {},
                std::map<std::string, std::string> headers = {}) {
    asio::io_context ioc;
    asio::ip::tcp::socket socket(ioc);
    socket.connect({asio::ip::make_address("127.0.0.1"), port_});
    http::request<http::string_body> req(http::string_to_verb(method), target, 11);
    req.set(http::field::host, host_);
    if (!cookie_.empty()) req.set(http::field::cookie, "fb_session=" + cookie_);
    if (!csrf_.empty() && method != "GET") req.set("X-CSRF-Token", csrf_);
    if (!body.empty() || method == "POST") req.set(http::field::content_type, "application/json");
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    http::write(socket, req);
    beast::flat_buffer buf;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::read(socket, buf, parser);
    auto& res = parser.get();
    Reply r;
    r.status = static_cast<int>(res.result_int());
    for (const auto& f : res) {
      std::string name(f.name_string().data(), f.name_string().size());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers[name] = std::string(f.value().data(), f.value().size());
    }
    r.body = res.body();
    beast::error_code ec;
    socket.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    return r;
  }
  Reply Get(const std::string& target) { return Request("GET", target); }
  Reply Post(const std::string& target, const std::string& body) { return Request("POST", target, body); }
  Reply Post(const std::string& target, const json& body) { return Request("POST", target, body.dump()); }

  // Signs in; returns the reply (cookie and CSRF token kept on success).
  Reply Login(const std::string& user, const std::string& password) {
    Reply r = Post("/api/login", json{{"username", user}, {"password", password}});
    if (r.status == 200) {
      const std::string set = r.headers["set-cookie"];
      const std::size_t eq = set.find('='), semi = set.find(';');
      cookie_ = set.substr(eq + 1, semi - eq - 1);
      csrf_ = r.Json()["csrf"].get<std::string>();
    }
    return r;
  }
  void set_host(const std::string& h) { host_ = h; }
  void set_csrf(const std::string& c) { csrf_ = c; }
  const std::string& cookie() const { return cookie_; }
  unsigned short port() const { return port_; }

 private:
  unsigned short port_;
  std::string host_;
  std::string cookie_, csrf_;
};

// The users of every test (password = name + "-password").
inline const std::pair<const char*, const char*> kUsers[] = {{"duty", "city_hq_office"},
                                                             {"director", "office_director"},
                                                             {"deputy", "deputy_commander"},
                                                             {"commander", "commander"},
                                                             {"expert", "expert_group"}};

class DeskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    namespace fs = std::filesystem;
    dir_ = fs::temp_directory_path() / ("firebreak-server-test-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    store_path_ = (dir_ / "desk.sqlite").string();
    {
      store::Store st = store::Store::Open(store_path_);
      store::Accounts acc(st, Rules(), store::PasswordCost::kMinimal);
      for (const auto& [u, role] : kUsers)
        acc.AddUser(u, role, std::string(u) + " 名", std::string(u) + "-password", "test",
                    *ParseIso8601("2026-04-04T07:00:00+08:00"));
    }
    ServerOptions o;
    o.port = 0;
    o.store_path = store_path_;
    o.test_clock = *ParseIso8601(kStart);
    o.scenarios_dir = std::string(FIREBREAK_SOURCE_DIR) + "/scenarios";
    o.password_cost = store::PasswordCost::kMinimal;
    o.max_body_bytes = 64 * 1024;
    Configure(o);
    server_ = std::make_unique<Server>(Rules(), o);
    server_->Start();
  }
  void TearDown() override {
    server_->Stop();
    server_.reset();
    std::filesystem::remove_all(dir_);
  }
  virtual void Configure(ServerOptions&) {}

  Client SignedIn(const std::string& user) {
    Client c(server_->port());
    Reply r = c.Login(user, user + "-password");
    EXPECT_EQ(r.status, 200) << r.body;
    return c;
  }

  // A report that requires level III (one death, 6.3.2.1(2)) at 08:00 with open fire since 08:00: the clock
  // makes level II due 48 h later (6.3.3.1(3), outside a sensitive period) unless the fire is controlled.
  static json ReportIII(const std::string& id = "F-1") {
    return json{{"incident_id", id},
                {"reported_at", "2026-04-04T08:00:00+08:00"},
                {"county", "融安县"},
                {"location", {{"lon", 109.32799}, {"lat", 24.99108}}},
                {"open_fire_since", "2026-04-04T08:00:00+08:00"},
                {"burned_area_ha", 8},
                {"deaths", 1},
                {"sensitive_period", false}};
  }

  static constexpr const char* kStart = "2026-04-04T08:05:00+08:00";
  std::filesystem::path dir_;
  std::string store_path_;
  std::unique_ptr<Server> server_;
};

}  // namespace firebreak::server::testing
