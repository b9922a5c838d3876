// SSE fan-out load client (tools/bench_server.sh; results in docs/benchmarks.md): opens N event streams to a
// server, waits for each stream's first event, measures a plain request's latency while they are open, then
// triggers R changes and measures how long each stream takes to receive the resulting event.
//
//   sse_fanout --port P [--host 127.0.0.1] [--path /api/events] [--streams 200] [--cookie fb_session=…]
//              [--trigger-path /api/test/clock --trigger-body '{"advance_s":1}' --csrf TOKEN] [--rounds 20]
//              [--probe-path /api/session]
// Prints one line of key=value results. Single-threaded Asio; never more than one request in flight per stream.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <utility>

#include <boost/asio.hpp>

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1", path = "/api/events", cookie, trigger_path, trigger_body = "{}", csrf, probe_path;
  unsigned short port = 0;
  int streams = 200, rounds = 20;
};

struct Stream : std::enable_shared_from_this<Stream> {
  tcp::socket socket;
  std::array<char, 16384> buf{};
  std::string tail;
  int events = 0;
  std::vector<Clock::time_point> at;  // when each event arrived
  bool closed = false;
  explicit Stream(asio::io_context& ioc) : socket(ioc) {}

  void Start(const Options& o) {
    boost::system::error_code ec;
    socket.connect(tcp::endpoint(asio::ip::make_address(o.host), o.port), ec);
    if (ec) {
      closed = true;
      return;
    }
    const std::string req = "GET " + o.path + " HTTP/1.1\r\nHost: " + o.host + ":" + std::to_string(o.port) +
                            "\r\nAccept: text/event-stream\r\n" +
                            (o.cookie.empty() ? "" : "Cookie: " + o.cookie + "\r\n") + "\r\n";
    asio::write(socket, asio::buffer(req), ec);
    if (!ec) Read();
  }
  void Read() {
    socket.async_read_some(asio::buffer(buf), [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
      if (ec) {
        self->closed = true;
        return;
      }
      std::string s = self->tail + std::string(self->buf.data(), n);
      for (std::size_t p = s.find("event:"); p != std::string::npos; p = s.find("event:", p + 6)) {
        if (p < self->tail.size()) continue;  // counted in the previous read
        ++self->events;
        self->at.push_back(Clock::now());
      }
      self->tail = s.size() > 8 ? s.substr(s.size() - 8) : s;
      self->Read();
    });
  }
};

// One request on a fresh connection; returns the status code (0 on failure) and the latency.
std::pair<int, double> Request(const Options& o, const std::string& method, const std::string& path,
                               const std::string& body, int timeout_ms) {
  asio::io_context ioc;
  tcp::socket s(ioc);
  const auto t0 = Clock::now();
  boost::system::error_code ec;
  s.connect(tcp::endpoint(asio::ip::make_address(o.host), o.port), ec);
  if (ec) return {0, 0};
  std::string req =
      method + " " + path + " HTTP/1.1\r\nHost: " + o.host + ":" + std::to_string(o.port) +
      "\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
      "\r\n" + (o.cookie.empty() ? "" : "Cookie: " + o.cookie + "\r\n") +
      (o.csrf.empty() ? "" : "X-CSRF-Token: " + o.csrf + "\r\n") + "\r\n" + body;
  asio::write(s, asio::buffer(req), ec);
  std::string resp;
  std::array<char, 4096> b{};
  asio::steady_timer timer(ioc);
  timer.expires_after(std::chrono::milliseconds(timeout_ms));
  timer.async_wait([&](boost::system::error_code e) {
    if (!e) s.close();
  });
  std::function<void()> read = [&] {
    s.async_read_some(asio::buffer(b), [&](boost::system::error_code e, std::size_t n) {
      if (e) return (void)timer.cancel();
      resp.append(b.data(), n);
      read();
    });
  };
  read();
  ioc.run();
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  if (resp.size() < 12) return {0, ms};
  return {std::atoi(resp.substr(9, 3).c_str()), ms};
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5))];
}

int main(int argc, char** argv) {
  Options o;
  std::map<std::string, std::string*> str = {{"--host", &o.host},
                                             {"--path", &o.path},
                                             {"--cookie", &o.cookie},
                                             {"--trigger-path", &o.trigger_path},
                                             {"--trigger-body", &o.trigger_body},
                                             {"--csrf", &o.csrf},
                                             {"--probe-path", &o.probe_path}};
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (str.count(k))
      *str[k] = v;
    else if (k == "--port")
      o.port = static_cast<unsigned short>(std::atoi(v.c_str()));
    else if (k == "--streams")
      o.streams = std::atoi(v.c_str());
    else if (k == "--rounds")
      o.rounds = std::atoi(v.c_str());
    else {
      std::cerr << "sse_fanout: unknown option " << k << "\n";
      return 2;
    }
  }
  if (!o.port) {
    std::cerr << "sse_fanout: --port is required\n";
    return 2;
  }
  asio::io_context ioc;
  std::vector<std::shared_ptr<Stream>> streams;
  const auto t0 = Clock::now();
  for (int i = 0; i < o.streams; ++i) {
    streams.push_back(std::make_shared<Stream>(ioc));
    streams.back()->Start(o);
  }
  auto until = [&](auto pred, std::chrono::milliseconds limit) {
    const auto end = Clock::now() + limit;
    while (!pred() && Clock::now() < end) ioc.run_for(std::chrono::milliseconds(2));
    return pred();
  };
  auto with_events = [&](int k) {
    int n = 0;
    for (auto& s : streams) n += s->events >= k;
    return n;
  };
  until([&] { return with_events(1) == o.streams; }, std::chrono::seconds(10));
  const int connected = with_events(1);
  const double connect_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  std::printf("streams=%d connected=%d connect_all_ms=%.1f", o.streams, connected, connect_ms);
  if (!o.probe_path.empty()) {
    auto [status, ms] = Request(o, "GET", o.probe_path, "", 5000);
    std::printf(" probe_status=%d probe_ms=%.1f", status, ms);
  }
  if (!o.trigger_path.empty()) {
    std::vector<double> lat;
    int missed = 0, failed = 0;
    for (int r = 0; r < o.rounds; ++r) {
      std::vector<int> before;
      for (auto& s : streams) before.push_back(s->events);
      const auto t = Clock::now();
      if (Request(o, "POST", o.trigger_path, o.trigger_body, 5000).first / 100 != 2) ++failed;
      until(
          [&] {
            for (std::size_t i = 0; i < streams.size(); ++i)
              if (before[i] > 0 && streams[i]->events <= before[i]) return false;
            return true;
          },
          std::chrono::seconds(5));
      for (std::size_t i = 0; i < streams.size(); ++i) {
        if (before[i] == 0) continue;
        if (streams[i]->events <= before[i]) {
          ++missed;
          continue;
        }
        lat.push_back(std::chrono::duration<double, std::milli>(streams[i]->at[before[i]] - t).count());
      }
      ioc.run_for(std::chrono::milliseconds(50));
    }
    std::printf(
        " rounds=%d failed_triggers=%d deliveries=%zu missed=%d fanout_p50_ms=%.1f fanout_p99_ms=%.1f "
        "fanout_max_ms=%.1f",
        o.rounds, failed, lat.size(), missed, Percentile(lat, 0.5), Percentile(lat, 0.99),
        lat.empty() ? 0.0 : *std::max_element(lat.begin(), lat.end()));
  }
  std::printf("\n");
  return 0;
}
