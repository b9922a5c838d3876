// Internal to server/src: who may do what, sessions, login throttling.
//
// Permissions come from the rule file only (docs/web.md):
//  - declare / close: a role that decides some response level (levels[].decider.roles);
//  - report / upward / acknowledge: those roles and the roles the plan makes report upward
//    (reporting[].reporter: the HQ office, whose duty officers keep the desk);
//  - every signed-in user may view, assess, sign in and out of a shift.
// Sessions live in memory (a restart signs everyone out): a random 256-bit id in an HttpOnly SameSite=Strict
// cookie, a separate random CSRF token the page sends back in X-CSRF-Token on every write.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "firebreak/engine/rule_set.h"
#include "firebreak/store/accounts.h"
#include "http_types.h"

namespace firebreak::server {

struct Permissions {
  bool report = false, upward = false, declare = false, close = false, ack = false;
};

class Roles {
 public:
  explicit Roles(const engine::RuleSet& rules);
  Permissions Of(const std::string& role) const;
  const std::set<std::string>& deciders() const { return deciders_; }
  const std::set<std::string>& reporters() const { return reporters_; }

 private:
  std::set<std::string> deciders_, reporters_;
};

// Thread-safe.
class Sessions {
 public:
  Sessions(std::chrono::seconds idle, std::chrono::seconds max) : idle_(idle), max_(max) {}
  // A new session for `user`; returns its principal (session_id and csrf set).
  Principal Create(const store::User& user);
  // The session's principal if it exists and has not expired (touches it).
  std::optional<Principal> Find(const std::string& session_id);
  void Remove(const std::string& session_id);
  void RemoveAll();
  std::size_t size() const;

 private:
  struct Entry {
    Principal principal;
    std::chrono::steady_clock::time_point created, last_seen;
  };
  const std::chrono::seconds idle_, max_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> sessions_;
};

// After 5 failed logins of one user name within 5 minutes, that name is refused for 60 s (HTTP 429).
// Thread-safe.
class LoginThrottle {
 public:
  // Throws HttpError(429) while `username` is locked.
  void Check(const std::string& username);
  void Failed(const std::string& username);
  void Succeeded(const std::string& username);

 private:
  struct Entry {
    int failures = 0;
    std::chrono::steady_clock::time_point first, locked_until;
  };
  std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

// 32 random bytes as 64 hex digits (OpenSSL RAND_bytes).
std::string RandomToken();
// The value of cookie `name` in a Cookie header, or "".
std::string CookieValue(const std::string& header, const std::string& name);

inline constexpr const char* kSessionCookie = "fb_session";

}  // namespace firebreak::server
