// The HTTP layer (http.h) on Boost.Beast: one strand per connection, async everywhere, limits and timeouts.
#include "http.h"

#include <deque>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "firebreak/common/error.h"

namespace firebreak::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// The desk's security headers: the page loads only its own scripts and styles, is framed only by itself,
// sends no referrer; API answers are never cached.
constexpr const char* kCsp =
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'self'; object-src 'none'";

struct HttpServer::Shared {
  Dispatch dispatch;
  SseWelcome welcome;
  SseHub& hub;
  HttpLimits limits;
  std::atomic<std::size_t> connections{0};
  std::atomic<bool> stopping{false};
  std::unique_ptr<tcp::acceptor> acceptor;
  Shared(Dispatch d, SseWelcome w, SseHub& h, HttpLimits l)
      : dispatch(std::move(d)), welcome(std::move(w)), hub(h), limits(l) {}
};

namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decoding; `plus_space` for query strings. nullopt for a malformed escape or a NUL byte.
std::optional<std::string> Decode(std::string_view s, bool plus_space) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      const int hi = HexDigit(s[i + 1]), lo = HexDigit(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_space) {
      c = ' ';
    }
    if (c == '\0') return std::nullopt;
    out += c;
  }
  return out;
}

// Fills method, path, query, headers and body from a parsed request. Returns false for an undecodable target.
template <class Msg>
bool ToRequest(const Msg& m, Request& r) {
  r.method = std::string(m.method_string().data(), m.method_string().size());
  const std::string_view target(m.target().data(), m.target().size());
  const std::size_t q = target.find('?');
  auto path = Decode(target.substr(0, q), false);
  if (!path || path->empty() || (*path)[0] != '/') return false;
  r.path = std::move(*path);
  if (q != std::string_view::npos) {
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
      const std::size_t amp = rest.find('&');
      const std::string_view part = rest.substr(0, amp);
      const std::size_t eq = part.find('=');
      auto k = Decode(part.substr(0, eq), true);
      auto v = Decode(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1), true);
      if (!k || !v) return false;
      if (!k->empty()) r.query[*k] = *v;
      if (amp == std::string_view::npos) break;
      rest = rest.substr(amp + 1);
    }
  }
  for (const auto& f : m) {
    std::string name(f.name_string().data(), f.name_string().size());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = std::string(f.value().data(), f.value().size());
  }
  r.body = m.body();
  return true;
}

}  // namespace

// ---- event streams ----

class SseClient : public std::enable_shared_from_this<SseClient> {
 public:
  SseClient(beast::tcp_stream stream, std::shared_ptr<HttpServer::Shared> shared)
      : stream_(std::move(stream)), shared_(std::move(shared)) {}

  void Start(std::shared_ptr<const std::string> header, std::shared_ptr<const std::string> first) {
    stream_.expires_never();
    queue_.emplace_back("", std::move(header));
    if (first) queue_.emplace_back("", std::move(first));
    DoWrite();
    DoRead();
  }

  // Thread-safe: runs on the stream's strand.
  void Push(const std::string& kind, std::shared_ptr<const std::string> msg) {
    asio::post(stream_.get_executor(), [self = shared_from_this(), kind, msg = std::move(msg)]() mutable {
      if (self->closed_) return;
      // Coalesce: a newer event of the same kind replaces one not yet being written.
      for (std::size_t i = self->writing_ ? 1 : 0; i < self->queue_.size(); ++i)
        if (!kind.empty() && self->queue_[i].first == kind) {
          self->queue_[i].second = std::move(msg);
          return;
        }
      if (self->queue_.size() > 64) return self->Close();  // a client that reads nothing
      self->queue_.emplace_back(kind, std::move(msg));
      self->DoWrite();
    });
  }

  void CloseLater() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] { self->Close(); });
  }

 private:
  void DoWrite() {
    if (writing_ || queue_.empty() || closed_) return;
    writing_ = true;
    stream_.expires_after(std::chrono::seconds(shared_->limits.read_timeout_s));
    auto msg = queue_.front().second;
    asio::async_write(stream_, asio::buffer(*msg), [self = shared_from_this(), msg](beast::error_code ec, std::size_t) {
      self->writing_ = false;
      if (!self->queue_.empty()) self->queue_.pop_front();
      if (ec) return self->Close();
      self->stream_.expires_never();
      self->DoWrite();
    });
  }
  void DoRead() {
    // Nothing is expected from the client; a read completing (data or EOF) ends the stream.
    stream_.async_read_some(asio::buffer(rbuf_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->Close();
      self->DoRead();
    });
  }
  void Close() {
    if (closed_) return;
    closed_ = true;
    queue_.clear();
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
    shared_->hub.Remove(this);
    --shared_->connections;
  }

  beast::tcp_stream stream_;
  std::shared_ptr<HttpServer::Shared> shared_;
  std::deque<std::pair<std::string, std::shared_ptr<const std::string>>> queue_;
  bool writing_ = false, closed_ = false;
  std::array<char, 256> rbuf_{};
};

void SseHub::Add(const std::shared_ptr<SseClient>& c) {
  std::lock_guard<std::mutex> lock(mu_);
  clients_.insert(c);
}
void SseHub::Remove(SseClient* c) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = clients_.begin(); it != clients_.end(); ++it)
    if (it->get() == c) {
      clients_.erase(it);
      return;
    }
}
void SseHub::Broadcast(const std::string& kind, std::shared_ptr<const std::string> event) {
  std::vector<std::shared_ptr<SseClient>> all;
  {
    std::lock_guard<std::mutex> lock(mu_);
    all.assign(clients_.begin(), clients_.end());
  }
  for (auto& c : all) c->Push(kind, event);
}
void SseHub::CloseAll() {
  std::vector<std::shared_ptr<SseClient>> all;
  {
    std::lock_guard<std::mutex> lock(mu_);
    all.assign(clients_.begin(), clients_.end());
  }
  for (auto& c : all) c->CloseLater();
}
std::size_t SseHub::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return clients_.size();
}

// ---- one connection ----

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<HttpServer::Shared> shared)
      : stream_(std::move(socket)), shared_(std::move(shared)) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string();
    stream_.socket().set_option(tcp::no_delay(true), ec);  // answers are small: no Nagle delay
  }
  ~Session() {
    if (!handed_over_) --shared_->connections;
  }

  void Run() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
  }

 private:
  void Read() {
    if (shared_->stopping) return Close();
    parser_.emplace();
    parser_->body_limit(shared_->limits.max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(shared_->limits.max_header_bytes));
    stream_.expires_after(std::chrono::seconds(shared_->limits.read_timeout_s));
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted)
      return Close();
    if (ec == http::error::body_limit)
      return Refuse(
          HttpError(413, "too-large", "request body",
                    "the request body is larger than " + std::to_string(shared_->limits.max_body_bytes) + " bytes",
                    "send one report (or a small batch) at a time"));
    if (ec == http::error::header_limit)
      return Refuse(HttpError(431, "too-large", "request headers", "the request headers are too large"));
    if (ec && ec.category() == http::make_error_code(http::error::bad_method).category())
      return Refuse(HttpError(400, "bad-request", "request", "malformed HTTP request: " + ec.message()));
    if (ec) return Close();
    const auto& msg = parser_->get();
    keep_alive_ = msg.keep_alive();
    version_ = msg.version();
    Request req;
    req.remote = remote_;
    if (!ToRequest(msg, req))
      return Refuse(HttpError(400, "bad-request", "request target", "the request path is not a valid URL path"));
    stream_.expires_never();
    shared_->dispatch(std::move(req), [self = shared_from_this()](Response r) {
      asio::post(self->stream_.get_executor(), [self, r = std::move(r)]() mutable { self->Write(std::move(r)); });
    });
  }

  // Answers an unreadable request and closes the connection.
  void Refuse(const HttpError& e) {
    keep_alive_ = false;
    Write(ErrorResponse(e));
  }

  void Write(Response r) {
    if (r.sse) return StartEvents();
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status), version_);
    res->set(http::field::server, "firebreak");
    res->set(http::field::content_type, r.content_type);
    bool has_csp = false, has_cache = false;
    for (const auto& [k, v] : r.headers) {
      res->insert(k, v);
      has_csp = has_csp || k == "Content-Security-Policy";
      has_cache = has_cache || k == "Cache-Control";
    }
    if (!has_csp) res->set("Content-Security-Policy", kCsp);
    if (!has_cache) res->set(http::field::cache_control, "no-store");
    res->set("X-Content-Type-Options", "nosniff");
    res->set("Referrer-Policy", "no-referrer");
    res->set("X-Frame-Options", "SAMEORIGIN");
    res->body() = r.Body();
    res->keep_alive(keep_alive_ && !shared_->stopping);
    res->prepare_payload();
    stream_.expires_after(std::chrono::seconds(shared_->limits.read_timeout_s));
    http::async_write(stream_, *res, [self = shared_from_this(), res](beast::error_code ec, std::size_t) {
      if (ec || res->need_eof()) return self->Close();
      self->Read();
    });
  }

  // Turns this connection into an event stream (the SseClient takes the socket).
  void StartEvents() {
    if (shared_->hub.size() >= shared_->limits.max_sse_clients) {
      keep_alive_ = false;
      return Write(ErrorResponse(HttpError(503, "busy", "/api/events", "too many open event streams",
                                           "close other desk pages, or raise the server's limit")));
    }
    auto header = std::make_shared<const std::string>(
        "HTTP/1.1 200 OK\r\nServer: firebreak\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
        "Cache-Control: no-store\r\nConnection: keep-alive\r\nX-Content-Type-Options: nosniff\r\n"
        "X-Accel-Buffering: no\r\n\r\nretry: 1000\n\n");
    handed_over_ = true;
    auto client = std::make_shared<SseClient>(std::move(stream_), shared_);
    shared_->hub.Add(client);
    client->Start(header, shared_->welcome ? shared_->welcome() : nullptr);
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<HttpServer::Shared> shared_;
  std::string remote_;
  bool keep_alive_ = true;
  unsigned version_ = 11;
  bool handed_over_ = false;
};

void Accept(const std::shared_ptr<HttpServer::Shared>& shared, asio::io_context& ioc) {
  shared->acceptor->async_accept(asio::make_strand(ioc), [shared, &ioc](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || shared->stopping) return;
    if (!ec) {
      if (shared->connections >= shared->limits.max_connections) {
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        ++shared->connections;
        std::make_shared<Session>(std::move(socket), shared)->Run();
      }
    }
    Accept(shared, ioc);
  });
}

}  // namespace

HttpServer::HttpServer(asio::io_context& ioc, Dispatch dispatch, SseWelcome welcome, SseHub& hub, HttpLimits limits)
    : ioc_(ioc), shared_(std::make_shared<Shared>(std::move(dispatch), std::move(welcome), hub, limits)) {}

HttpServer::~HttpServer() = default;

unsigned short HttpServer::Listen(const std::string& host, unsigned short port) {
  beast::error_code ec;
  const auto address = asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, ec);
  if (ec)
    throw Error(ErrorKind::kUsage, "--listen", "'" + host + "' is not an IP address",
                "e.g. --listen 127.0.0.1:8080 (or 0.0.0.0:8080 to accept other machines)");
  const tcp::endpoint ep(address, port);
  auto acceptor = std::make_unique<tcp::acceptor>(asio::make_strand(ioc_));
  acceptor->open(ep.protocol(), ec);
  if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor->bind(ep, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    throw Error(ErrorKind::kUsage, "--listen",
                "cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message(),
                "is another firebreak serve running? choose another port, e.g. --listen 127.0.0.1:8081");
  const unsigned short bound = acceptor->local_endpoint().port();
  shared_->acceptor = std::move(acceptor);
  Accept(shared_, ioc_);
  return bound;
}

void HttpServer::Stop() {
  shared_->stopping = true;
  auto shared = shared_;
  if (shared->acceptor)
    asio::post(shared->acceptor->get_executor(), [shared] {
      beast::error_code ec;
      shared->acceptor->close(ec);
    });
  shared_->hub.CloseAll();
}

}  // namespace firebreak::server
