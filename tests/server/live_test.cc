// Live updates: every open event stream sees another person's change within a second; the test clock makes a
// countdown reach zero and the duty turn overdue; an acknowledgement is recorded and shown to everyone.
#include <chrono>

#include "desk_fixture.h"

namespace firebreak::server::testing {
namespace {

// An open GET /api/events: reads "status" events as they come.
class EventStream {
 public:
  EventStream(unsigned short port, const std::string& cookie) : socket_(ioc_) {
    socket_.connect({asio::ip::make_address("127.0.0.1"), port});
    const std::string req = "GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                            "\r\nCookie: fb_session=" + cookie + "\r\nAccept: text/event-stream\r\n\r\n";
    asio::write(socket_, asio::buffer(req));
  }
  // The data of the next "status" event, or "" if none arrives within `timeout`.
  std::string Next(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const std::size_t p = buf_.find("event: status\ndata: ");
      if (p != std::string::npos) {
        const std::size_t end = buf_.find("\n\n", p);
        if (end != std::string::npos) {
          std::string data = buf_.substr(p + 20, end - p - 20);
          buf_.erase(0, end + 2);
          return data;
        }
      }
      if (std::chrono::steady_clock::now() >= deadline) return "";
      socket_.non_blocking(true);
      char chunk[8192];
      beast::error_code ec;
      const std::size_t n = socket_.read_some(asio::buffer(chunk), ec);
      if (ec == asio::error::would_block) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        continue;
      }
      if (ec) return "";
      buf_.append(chunk, n);
    }
  }
  const std::string& raw() const { return buf_; }

 private:
  asio::io_context ioc_;
  asio::ip::tcp::socket socket_;
  std::string buf_;
};

TEST_F(DeskTest, EveryOpenPageSeesAnotherPersonsChangeWithinASecond) {
  Client duty = SignedIn("duty"), deputy = SignedIn("deputy");
  std::vector<std::unique_ptr<EventStream>> pages;
  for (int i = 0; i < 20; ++i)
    pages.push_back(std::make_unique<EventStream>(server_->port(), i % 2 ? duty.cookie() : deputy.cookie()));
  for (auto& p : pages) ASSERT_FALSE(p->Next(std::chrono::seconds(2)).empty()) << "the current status on connecting";
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(duty.Post("/api/reports", ReportIII()).status, 201);
  for (auto& p : pages) {
    json s = json::parse(p->Next(std::chrono::milliseconds(1000)), nullptr, false);
    ASSERT_TRUE(s.is_object()) << "no status event within a second";
    ASSERT_EQ(s["board"].size(), 1u);
    EXPECT_EQ(s["board"][0]["incident_id"], "F-1");
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(1));
}

TEST_F(DeskTest, TestClockMakesTheCountdownReachZero) {
  Client duty = SignedIn("duty"), deputy = SignedIn("deputy");
  ASSERT_EQ(duty.Post("/api/reports", ReportIII()).status, 201);
  ASSERT_EQ(deputy.Post("/api/incidents/F-1/declare", json{{"level", "III"}, {"expect_declared", nullptr}}).status,
            201);
  json row = duty.Get("/api/status").Json()["board"][0];
  ASSERT_TRUE(row["next"].is_object()) << row.dump();
  EXPECT_EQ(row["next"]["level"], "II");
  EXPECT_EQ(row["next"]["due"], "2026-04-06T08:00:00+08:00") << "48 h of open fire (6.3.3.1(3), other period)";
  EXPECT_TRUE(row["overdue"].empty() || row["overdue"][0]["kind"] == "report") << row.dump();
  EventStream page(server_->port(), duty.cookie());
  ASSERT_FALSE(page.Next(std::chrono::seconds(2)).empty());
  // One second before the due time: still counting down.
  ASSERT_EQ(duty.Post("/api/test/clock", json{{"set", "2026-04-06T07:59:59+08:00"}}).status, 200);
  json before = json::parse(page.Next(std::chrono::seconds(2)));
  EXPECT_EQ(before["board"][0]["required"], "III");
  EXPECT_EQ(before["board"][0]["next"]["level"], "II");
  // The clock reaches the due time: II is required, not declared, overdue — pushed without any request.
  json after;
  for (int i = 0; i < 5 && (after.is_null() || after["board"][0]["required"] != "II"); ++i)
    after = json::parse(page.Next(std::chrono::seconds(2)), nullptr, false);
  ASSERT_TRUE(after.is_object());
  EXPECT_EQ(after["board"][0]["required"], "II") << after.dump().substr(0, 600);
  bool overdue = false;
  for (const auto& o : after["board"][0]["overdue"]) overdue = overdue || o["item"] == "level:II";
  EXPECT_TRUE(overdue) << after["board"][0].dump();
  // A person acknowledges it: recorded with who, and every page is told.
  Reply ack = duty.Post("/api/incidents/F-1/ack", json{{"item", "level:II"}, {"due_at", "2026-04-06T08:00:00+08:00"}});
  ASSERT_EQ(ack.status, 201) << ack.body;
  json acked = json::parse(page.Next(std::chrono::seconds(2)));
  for (const auto& o : acked["board"][0]["overdue"])
    if (o["item"] == "level:II") {
      EXPECT_EQ(o["ack"]["username"], "duty") << o.dump();
    }
  EXPECT_TRUE(duty.Get("/api/store/verify").Json()["ok"]);
}

TEST_F(DeskTest, TwoHundredOpenPages) {
  Client duty = SignedIn("duty");
  std::vector<std::unique_ptr<EventStream>> pages;
  for (int i = 0; i < 200; ++i) pages.push_back(std::make_unique<EventStream>(server_->port(), duty.cookie()));
  for (auto& p : pages) ASSERT_FALSE(p->Next(std::chrono::seconds(5)).empty());
  // The desk still answers ordinary requests promptly while 200 streams are open.
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(duty.Post("/api/reports", ReportIII()).status, 201);
  EXPECT_EQ(duty.Get("/api/status").status, 200);
  int got = 0;
  for (auto& p : pages) got += !p->Next(std::chrono::seconds(2)).empty();
  EXPECT_EQ(got, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));
}

}  // namespace
}  // namespace firebreak::server::testing
