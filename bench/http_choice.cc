// The HTTP library choice for the web desk, measured (docs/web.md, docs/benchmarks.md): the same three
// endpoints served by the desk's own HTTP layer (Boost.Beast + Asio, server/src/http.cc, 2 I/O threads) and by
// cpp-httplib 0.11.4 (Debian's libcpp-httplib-dev; its default pool of 8 threads), with and without
// set_tcp_nodelay. No sessions: only the transport differs.
//   POST /assess   format::ParseReports + Engine::AssessAll + DecisionToJson (the assess API's library call)
//   GET  /events   an event stream: "hello" at once, then one event per POST /poke
//   GET  /probe    "ok"
//   http_choice beast|httplib|httplib-nodelay PORT      (runs until killed; tools/bench_server.sh drives it)
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <iostream>
#include <mutex>
#include <thread>

#include <httplib.h>
#include <boost/asio/io_context.hpp>

#include "firebreak/engine/engine.h"
#include "firebreak/format/render.h"
#include "firebreak/format/report_io.h"
#include "firebreak/rules/loader.h"
#include "http.h"

namespace {

using namespace firebreak;

const engine::RuleSet& Rules() {
  static const engine::RuleSet r = rules::LoadRuleFile(FIREBREAK_SOURCE_DIR "/rules/liuzhou-2022.yaml");
  return r;
}

// The assess API's work; {status, body}.
std::pair<int, std::string> Assess(const engine::Engine& eng, const std::string& body) {
  try {
    auto incidents = format::ParseReports(body, "request body", Rules());
    auto ds = eng.AssessAll(incidents);
    return {200, ds.size() == 1 ? format::DecisionToJson(ds[0], Rules(), format::JsonDetail::kFull)
                                : format::DecisionsToJson(ds, Rules(), format::JsonDetail::kFull)};
  } catch (const Error& e) {
    return {422, e.ToString()};
  }
}

int RunBeast(unsigned short port) {
  const engine::Engine eng(Rules());
  boost::asio::io_context ioc;
  server::SseHub hub;
  server::HttpServer http(
      ioc,
      [&](server::Request req, std::function<void(server::Response)> done) {
        server::Response r;
        if (req.path == "/assess") {
          auto [status, body] = Assess(eng, req.body);
          r = server::Response::Json(std::move(body), status);
        } else if (req.path == "/events") {
          r.sse = true;
        } else if (req.path == "/poke") {
          hub.Broadcast("poke", std::make_shared<const std::string>("event: poke\ndata: 1\n\n"));
          r = server::Response::Json("{}");
        } else {
          r = server::Response::Json("\"ok\"");
        }
        done(std::move(r));
      },
      [] { return std::make_shared<const std::string>("event: hello\ndata: 1\n\n"); }, hub, server::HttpLimits{});
  http.Listen("127.0.0.1", port);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) threads.emplace_back([&] { ioc.run(); });
  for (auto& t : threads) t.join();
  return 0;
}

int RunHttplib(unsigned short port, bool nodelay) {
  const engine::Engine eng(Rules());
  httplib::Server svr;
  svr.set_tcp_nodelay(nodelay);
  std::mutex mu;
  std::condition_variable cv;
  std::uint64_t generation = 0;
  svr.Post("/assess", [&](const httplib::Request& req, httplib::Response& res) {
    auto [status, body] = Assess(eng, req.body);
    res.status = status;
    res.set_content(body, "application/json");
  });
  svr.Get("/probe",
          [](const httplib::Request&, httplib::Response& res) { res.set_content("\"ok\"", "application/json"); });
  svr.Post("/poke", [&](const httplib::Request&, httplib::Response& res) {
    {
      std::lock_guard<std::mutex> lock(mu);
      ++generation;
    }
    cv.notify_all();
    res.set_content("{}", "application/json");
  });
  // An event stream holds one of the pool's threads for as long as the page is open.
  svr.Get("/events", [&](const httplib::Request&, httplib::Response& res) {
    auto seen = std::make_shared<std::uint64_t>(UINT64_MAX);
    res.set_chunked_content_provider("text/event-stream", [&, seen](std::size_t, httplib::DataSink& sink) {
      std::unique_lock<std::mutex> lock(mu);
      if (*seen == UINT64_MAX) {
        *seen = generation;
        lock.unlock();
        const std::string hello = "event: hello\ndata: 1\n\n";
        return sink.write(hello.data(), hello.size());
      }
      cv.wait_for(lock, std::chrono::seconds(15), [&] { return generation != *seen; });
      if (generation == *seen) return sink.write(": ping\n\n", 8);
      *seen = generation;
      lock.unlock();
      const std::string ev = "event: poke\ndata: 1\n\n";
      return sink.write(ev.data(), ev.size());
    });
  });
  if (!svr.listen("127.0.0.1", port)) {
    std::cerr << "http_choice: cannot listen on " << port << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: http_choice beast|httplib|httplib-nodelay PORT\n";
    return 2;
  }
  const std::string impl = argv[1];
  const auto port = static_cast<unsigned short>(std::atoi(argv[2]));
  Rules();
  if (impl == "beast") return RunBeast(port);
  if (impl == "httplib") return RunHttplib(port, false);
  if (impl == "httplib-nodelay") return RunHttplib(port, true);
  std::cerr << "http_choice: unknown implementation " << impl << "\n";
  return 2;
}
