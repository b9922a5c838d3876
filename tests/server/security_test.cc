// The desk's security model (docs/web.md): sessions, CSRF, Origin, Host allow-list, media types, size limits,
// static files only by exact path, login throttling, expired sessions. Each refusal is tested.
#include "desk_fixture.h"

namespace firebreak::server::testing {
namespace {

TEST_F(DeskTest, EveryApiNeedsASession) {
  Client anon(server_->port());
  for (const char* t : {"/api/session", "/api/status", "/api/meta", "/api/incidents", "/api/events", "/api/audit"}) {
    Reply r = anon.Get(t);
    EXPECT_EQ(r.status, 401) << t;
    EXPECT_EQ(r.Kind(), "unauthenticated");
  }
  EXPECT_EQ(anon.Post("/api/assess", ReportIII()).status, 401);
  // The page itself is public (it shows the login).
  EXPECT_EQ(anon.Get("/").status, 200);
}

TEST_F(DeskTest, LoginSetsAnHttpOnlySameSiteCookie) {
  Client c(server_->port());
  Reply bad = c.Login("duty", "wrong-password");
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.headers.count("set-cookie"), 0u);
  EXPECT_EQ(c.Login("nobody", "whatever-password").status, 401) << "unknown and wrong look the same";
  Reply ok = c.Login("duty", "duty-password");
  ASSERT_EQ(ok.status, 200);
  const std::string cookie = ok.headers["set-cookie"];
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(ok.Json()["role"], "city_hq_office");
  EXPECT_FALSE(ok.Json()["permissions"]["declare"]);
  EXPECT_TRUE(ok.Json()["permissions"]["report"]);
  EXPECT_EQ(c.Get("/api/session").status, 200);
  EXPECT_EQ(c.Post("/api/logout", std::string()).status, 200);
  EXPECT_EQ(c.Get("/api/session").status, 401) << "the session ends at logout";
}

TEST_F(DeskTest, WritesNeedTheCsrfTokenAndOurOrigin) {
  Client c = SignedIn("duty");
  c.set_csrf("");
  Reply r = c.Post("/api/reports", ReportIII());
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.Kind(), "csrf");
  c.set_csrf("0000");
  EXPECT_EQ(c.Post("/api/reports", ReportIII()).Kind(), "csrf");
  Client d = SignedIn("duty");
  r = d.Request("POST", "/api/reports", ReportIII().dump(), {{"Origin", "http://evil.example"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.Kind(), "csrf");
  r = d.Request("POST", "/api/reports", ReportIII().dump(), {{"Sec-Fetch-Site", "cross-site"}});
  EXPECT_EQ(r.status, 403);
  // A form post (text/plain, the only kind another site can send without asking) is refused.
  r = d.Request("POST", "/api/reports", ReportIII().dump(), {{"Content-Type", "text/plain"}});
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(r.Kind(), "media-type");
  EXPECT_TRUE(d.Get("/api/incidents").Json().empty()) << "none of these wrote anything";
  r = d.Request("POST", "/api/reports", ReportIII().dump(),
                {{"Origin", "http://127.0.0.1:" + std::to_string(d.port())}});
  EXPECT_EQ(r.status, 201) << r.body;
}

TEST_F(DeskTest, HostAllowList) {
  Client c(server_->port());
  c.set_host("evil.example:" + std::to_string(server_->port()));
  Reply r = c.Get("/");
  EXPECT_EQ(r.status, 421);
  EXPECT_EQ(r.Kind(), "host");
  c.set_host("localhost:" + std::to_string(server_->port()));
  EXPECT_EQ(c.Get("/").status, 200);
  c.set_host("127.0.0.1:1");
  EXPECT_EQ(c.Get("/").status, 421) << "another port is another origin";
}

TEST_F(DeskTest, BodiesAboveTheLimitAreRefused) {
  Client c = SignedIn("duty");
  json big = ReportIII();
  big["facts"] = {{"no_smoke", true}};
  std::string body = big.dump();
  body.insert(body.size() - 1, ",\"x\":\"" + std::string(70 * 1024, 'a') + "\"");
  Reply r = c.Post("/api/reports", body);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.Kind(), "too-large");
  Client d = SignedIn("duty");
  EXPECT_TRUE(d.Get("/api/incidents").Json().empty());
}

TEST_F(DeskTest, StaticFilesOnlyByExactPath) {
  Client c(server_->port());
  Reply index = c.Get("/");
  ASSERT_EQ(index.status, 200);
  EXPECT_EQ(index.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_NE(index.headers["content-security-policy"].find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(index.headers["x-content-type-options"], "nosniff");
  Reply js = c.Get("/assets/js/main.js");
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(c.Get("/assets/leaflet/leaflet.js").status, 200);
  EXPECT_EQ(c.Get("/assets/leaflet/images/marker-icon.png").headers["content-type"], "image/png");
  for (const char* t :
       {"/../../etc/passwd", "/assets/../../../etc/passwd", "/assets/%2e%2e/%2e%2e/etc/passwd",
        "/assets/js/../../index.html", "/etc/passwd", "/assets/js/", "/%00", "/assets/js/main.js%00.png"}) {
    Reply r = c.Get(t);
    EXPECT_TRUE(r.status == 404 || r.status == 400) << t << " -> " << r.status;
    EXPECT_EQ(r.body.find("root:"), std::string::npos);
  }
  Reply again = c.Request("GET", "/assets/js/main.js", "", {{"If-None-Match", js.headers["etag"]}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

TEST_F(DeskTest, MethodsAndUnknownEndpoints) {
  Client c = SignedIn("duty");
  EXPECT_EQ(c.Get("/api/reports").status, 405);
  EXPECT_EQ(c.Get("/api/nothing").status, 404);
  EXPECT_EQ(c.Request("DELETE", "/api/incidents/F-1").status, 405);
}

TEST_F(DeskTest, RepeatedFailedLoginsAreThrottled) {
  Client c(server_->port());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(c.Login("deputy", "guess-" + std::to_string(i)).status, 401);
  Reply r = c.Login("deputy", "deputy-password");
  EXPECT_EQ(r.status, 429) << "locked even with the right password";
  EXPECT_EQ(r.Kind(), "rate-limited");
  EXPECT_EQ(c.Login("duty", "duty-password").status, 200) << "other users are not locked";
}

// A session that expires while a form is open: the write is refused with 401 (the page keeps the form and
// asks to sign in again), nothing is recorded, and after signing in the same request succeeds.
TEST_F(DeskTest, SessionExpiredMidForm) {
  Client c = SignedIn("duty");
  ASSERT_EQ(c.Post("/api/test/expire-sessions", std::string()).status, 200);
  Reply r = c.Post("/api/reports", ReportIII());
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.Kind(), "unauthenticated");
  EXPECT_NE(r.Message().find("expired"), std::string::npos);
  ASSERT_EQ(c.Login("duty", "duty-password").status, 200);
  EXPECT_TRUE(c.Get("/api/incidents").Json().empty()) << "nothing was recorded by the refused request";
  EXPECT_EQ(c.Post("/api/reports", ReportIII()).status, 201);
}

class ShortSessions : public DeskTest {
  void Configure(ServerOptions& o) override { o.session_idle = std::chrono::seconds(1); }
};
TEST_F(ShortSessions, IdleSessionsExpire) {
  Client c = SignedIn("duty");
  EXPECT_EQ(c.Get("/api/session").status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  EXPECT_EQ(c.Get("/api/session").status, 401);
}

class NoTestClock : public DeskTest {
  void Configure(ServerOptions& o) override { o.test_clock.reset(); }
};
TEST_F(NoTestClock, TestEndpointsAreOff) {
  Client c = SignedIn("duty");
  EXPECT_EQ(c.Post("/api/test/clock", json{{"advance_s", 3600}}).status, 404);
  EXPECT_EQ(c.Post("/api/test/expire-sessions", std::string()).status, 404);
  EXPECT_EQ(c.Get("/api/session").status, 200);
}

}  // namespace
}  // namespace firebreak::server::testing
