// Internal to server/src: the HTTP/1.1 layer over Boost.Beast and Asio — accepting, reading requests with
// size limits and timeouts, writing responses with the desk's security headers, keep-alive, and server-sent
// event streams fanned out by an SseHub. It knows nothing of the desk: a Dispatch turns a Request into a
// Response (possibly later, from another thread).
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include <boost/asio/io_context.hpp>

#include "http_types.h"

namespace firebreak::server {

// Called once per request on an I/O thread; calls `done` exactly once, from any thread.
using Dispatch = std::function<void(Request req, std::function<void(Response)> done)>;
// Called with every new event stream (a Response with sse = true): returns the first event to send.
using SseWelcome = std::function<std::shared_ptr<const std::string>()>;

struct HttpLimits {
  std::size_t max_body_bytes = 256 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_connections = 2000;
  std::size_t max_sse_clients = 1000;
  int read_timeout_s = 30;  // a request (headers and body) must arrive within this; also the keep-alive idle time
};

class SseClient;

// The open event streams. Broadcast() queues one event on every stream; a slow client keeps only the newest
// pending event of each kind (a status snapshot replaces the one it has not yet sent). Thread-safe.
class SseHub {
 public:
  void Add(const std::shared_ptr<SseClient>& c);
  void Remove(SseClient* c);
  // `event` is a complete SSE frame ("event: status\ndata: {...}\n\n"); `kind` names it for coalescing.
  void Broadcast(const std::string& kind, std::shared_ptr<const std::string> event);
  void CloseAll();
  std::size_t size() const;

 private:
  mutable std::mutex mu_;
  std::set<std::shared_ptr<SseClient>> clients_;
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& ioc, Dispatch dispatch, SseWelcome welcome, SseHub& hub, HttpLimits limits);
  ~HttpServer();
  // Binds host:port (port 0: ephemeral) and starts accepting; returns the bound port. Throws
  // Error(kUsage, "--listen", ...) if the address cannot be bound.
  unsigned short Listen(const std::string& host, unsigned short port);
  // Stops accepting and closes every connection (posted to the I/O threads).
  void Stop();

  struct Shared;

 private:
  boost::asio::io_context& ioc_;
  std::shared_ptr<Shared> shared_;
};

}  // namespace firebreak::server
