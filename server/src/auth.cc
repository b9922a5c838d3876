#include "auth.h"

#include <openssl/rand.h>

#include "firebreak/common/error.h"

namespace firebreak::server {

Roles::Roles(const engine::RuleSet& rules) {
  for (const auto& l : rules.levels) deciders_.insert(l.deciders.begin(), l.deciders.end());
  for (const auto& r : rules.reporting)
    if (!r.reporter.empty()) reporters_.insert(r.reporter);
}

Permissions Roles::Of(const std::string& role) const {
  Permissions p;
  const bool decider = deciders_.count(role) > 0;
  const bool reporter = reporters_.count(role) > 0;
  p.declare = p.close = decider;
  p.report = p.upward = p.ack = decider || reporter;
  return p;
}

std::string RandomToken() {
  unsigned char buf[32];
  if (RAND_bytes(buf, sizeof buf) != 1) throw Error(ErrorKind::kInternal, "openssl", "RAND_bytes failed");
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : buf) {
    out += hex[c >> 4];
    out += hex[c & 15];
  }
  return out;
}

std::string CookieValue(const std::string& header, const std::string& name) {
  std::size_t pos = 0;
  while (pos < header.size()) {
    while (pos < header.size() && (header[pos] == ' ' || header[pos] == ';')) ++pos;
    const std::size_t end = header.find(';', pos);
    const std::string part = header.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    const std::size_t eq = part.find('=');
    if (eq != std::string::npos && part.substr(0, eq) == name) return part.substr(eq + 1);
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return {};
}

Principal Sessions::Create(const store::User& user) {
  Principal p{user.username, user.role, user.display_name, RandomToken(), RandomToken()};
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  // Drop expired sessions while we are here (bounded memory).
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    if (now - it->second.last_seen > idle_ || now - it->second.created > max_)
      it = sessions_.erase(it);
    else
      ++it;
  }
  sessions_[p.session_id] = Entry{p, now, now};
  return p;
}

std::optional<Principal> Sessions::Find(const std::string& session_id) {
  if (session_id.empty()) return std::nullopt;
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sessions_.find(session_id);
  if (it == sessions_.end()) return std::nullopt;
  if (now - it->second.last_seen > idle_ || now - it->second.created > max_) {
    sessions_.erase(it);
    return std::nullopt;
  }
  it->second.last_seen = now;
  return it->second.principal;
}

void Sessions::Remove(const std::string& session_id) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(session_id);
}

void Sessions::RemoveAll() {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.clear();
}

std::size_t Sessions::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sessions_.size();
}

namespace {
constexpr int kMaxFailures = 5;
constexpr auto kWindow = std::chrono::minutes(5);
constexpr auto kLock = std::chrono::seconds(60);
}  // namespace

void LoginThrottle::Check(const std::string& username) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(username);
  if (it == entries_.end()) return;
  const auto now = std::chrono::steady_clock::now();
  if (it->second.locked_until > now) {
    const auto s = std::chrono::duration_cast<std::chrono::seconds>(it->second.locked_until - now).count() + 1;
    throw HttpError(
        429, "rate-limited", "request body: /username",
        "too many failed logins for '" + username + "': try again in " + std::to_string(s) + " s",
        "check the user name and password; ask the office to reset the password (`firebreak users passwd`)");
  }
}

void LoginThrottle::Failed(const std::string& username) {
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.size() > 10000) entries_.clear();  // bounded memory under a flood of names
  auto& e = entries_[username];
  const auto now = std::chrono::steady_clock::now();
  if (e.failures == 0 || now - e.first > kWindow) {
    e.failures = 0;
    e.first = now;
  }
  if (++e.failures >= kMaxFailures) {
    e.locked_until = now + kLock;
    e.failures = 0;
  }
}

void LoginThrottle::Succeeded(const std::string& username) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.erase(username);
}

}  // namespace firebreak::server
