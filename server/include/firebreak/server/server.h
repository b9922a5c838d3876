// The web duty desk (`firebreak serve`): an HTTP server (Boost.Beast over Asio) with a JSON API over the same
// library calls as the CLI (assess, report, declare, upward, close, status, audit, terrain, deploy), live
// updates by server-sent events, users per role of the rule file, and the desk's pages compiled into the
// binary. API: docs/api.md and docs/openapi.yaml; pages, roles and the security model: docs/web.md.
//
// Threads: `threads` I/O threads run every connection (keep-alive, SSE) and the CPU-only handlers (assess,
// status, static files); `workers` threads run what blocks (the store, maps, password hashing), one store
// operation at a time. No handler blocks an I/O thread on disk.
//
// Thread-safety: Start/Stop/Wait from one thread. The RuleSet (and the DeskGeo) must outlive the Server.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "firebreak/common/time.h"
#include "firebreak/engine/rule_set.h"
#include "firebreak/server/desk_geo.h"
#include "firebreak/store/accounts.h"

namespace firebreak::server {

struct ServerOptions {
  std::string host = "127.0.0.1";  // the address to bind (another than loopback only when asked)
  unsigned short port = 8080;      // 0: an ephemeral port (port() says which)
  std::string store_path;          // the duty-office store (created if missing)
  int threads = 2;                 // I/O threads
  int workers = 2;                 // threads for blocking work
  // Host header values accepted besides 127.0.0.1:PORT, localhost:PORT, [::1]:PORT and host:PORT
  // (DNS-rebinding protection). Each "name" or "name:port".
  std::vector<std::string> allowed_hosts;
  std::size_t max_body_bytes = 256 * 1024;  // request bodies above this: 413
  std::size_t max_sse_clients = 1000;
  std::chrono::seconds session_idle{30 * 60};   // a session unused this long expires
  std::chrono::seconds session_max{12 * 3600};  // and any session after this (one shift)
  // Test mode: the server's clock starts here (and runs on); POST /api/test/clock moves it and
  // POST /api/test/expire-sessions ends every session. Never set in production.
  std::optional<Timestamp> test_clock;
  int utc_offset_min = 8 * 60;  // offset of the times the desk records (Liuzhou: +08:00)
  std::string scenarios_dir;    // drills offered on the 演练 page (*.yaml); empty: none
  store::PasswordCost password_cost = store::PasswordCost::kInteractive;
  int audit_tolerance_min = -1;  // declaration/upward-report tolerance for status and audit (-1: library default)
};

class Server {
 public:
  // Opens the store (Error(kStore) if it is not a firebreak store). `geo` may be null (no maps).
  Server(const engine::RuleSet& rules, ServerOptions options, std::shared_ptr<DeskGeo> geo = nullptr);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts the threads. Throws Error(kUsage, "--listen", ...) if the address cannot be bound.
  void Start();
  // The bound port and "http://host:port/" (127.0.0.1 when listening on every interface).
  unsigned short port() const;
  std::string url() const;
  // Closes the listener and every connection, joins the threads. Idempotent.
  void Stop();
  // Blocks until Stop() is called from another thread (or a signal handler posts it).
  void Wait();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace firebreak::server
