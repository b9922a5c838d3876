// `firebreak serve --store FILE [--listen 127.0.0.1:8080] [--dem … --layers … --forces …]`: the web duty
// desk (server/, docs/web.md). Binds the loopback address unless told otherwise (and then warns), prints the
// URL, runs until SIGINT or SIGTERM.
#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include "commands.h"
#include "enrich.h"
#include "firebreak/common/error.h"
#include "firebreak/server/server.h"
#include "firebreak/store/accounts.h"
#include "firebreak/store/store.h"
#include "serve_geo.h"

namespace firebreak::cli {

namespace {

struct ServeOptions {
  std::string store;
  std::string listen = "127.0.0.1:8080";
  std::vector<std::string> allow_hosts;
  int threads = 2;
  std::string test_clock;
  std::string scenarios;
  int tolerance_min = -1;
  EnrichOptions maps;
};

// "HOST:PORT", "[v6]:PORT" or ":PORT" (loopback). Error(kUsage) otherwise.
std::pair<std::string, unsigned short> ParseListen(const std::string& s) {
  const std::size_t colon = s.rfind(':');
  std::string host = colon == std::string::npos ? "" : s.substr(0, colon);
  const std::string port_text = colon == std::string::npos ? s : s.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "127.0.0.1";
  char* end = nullptr;
  const long port = std::strtol(port_text.c_str(), &end, 10);
  if (port_text.empty() || *end != '\0' || port < 0 || port > 65535)
    throw Error(ErrorKind::kUsage, "--listen", "'" + s + "' is not HOST:PORT", "e.g. --listen 127.0.0.1:8080");
  return {host, static_cast<unsigned short>(port)};
}

bool Loopback(const std::string& host) { return host == "127.0.0.1" || host == "::1" || host == "localhost"; }

std::string DefaultScenarios() { return DefaultScenariosDir(); }

void RunServe(const Globals& g, const ServeOptions& o) {
  const engine::RuleSet rules = LoadRules(g);
  server::ServerOptions so;
  std::tie(so.host, so.port) = ParseListen(o.listen);
  so.store_path = o.store.empty() ? store::DefaultStorePath() : o.store;
  so.allowed_hosts = o.allow_hosts;
  so.threads = o.threads;
  so.scenarios_dir = o.scenarios.empty() ? DefaultScenarios() : o.scenarios;
  so.audit_tolerance_min = o.tolerance_min;
  if (!o.test_clock.empty()) {
    std::string why;
    so.test_clock = ParseIso8601(o.test_clock, &why);
    if (!so.test_clock) throw Error(ErrorKind::kUsage, "--test-clock", why, "ISO 8601 with offset");
  }
  auto geo = std::make_shared<PluginDeskGeo>(o.maps, rules);
  const bool en = g.lang == "en";
  if (!Loopback(so.host))
    std::cerr << (en ? "firebreak: warning: listening on " + so.host +
                           ": every machine that can reach this address can open the desk. Use a firewall, and a "
                           "TLS proxy for anything beyond a closed office network.\n"
                     : "firebreak: 警告：监听地址 " + so.host +
                           "，凡能访问此地址的机器都能打开值班台。请配合防火墙使用；跨网络访问请经 TLS 反向代理。\n");
  // SIGINT/SIGTERM are taken by this thread only (blocked before the server's threads start).
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  server::Server srv(rules, so, geo);
  srv.Start();
  {
    store::Store st = store::Store::Open(so.store_path);
    store::Accounts acc(st, rules);
    if (acc.Users().empty())
      std::cout
          << (en ? "No users yet. Create one (password on stdin):\n  firebreak users add NAME --role ROLE --store "
                 : "尚无用户。先创建（密码从标准输入读取）：\n  firebreak users add 用户名 --role 角色 --store ")
          << so.store_path << "\n";
  }
  std::cout << (en ? "Duty desk: " : "值班台：") << srv.url()
            << (Loopback(so.host) ? ""
                                  : (en ? " (listening on " : "（监听 ") + so.host + ":" + std::to_string(srv.port()) +
                                        (en ? ")" : "）"))
            << (en ? "   (store " : "   （存储 ") << so.store_path
            << (so.test_clock ? (en ? "; TEST CLOCK" : "；测试时钟") : "")
            << (en ? "; Ctrl-C stops)" : "；Ctrl-C 停止）") << std::endl;
  int sig = 0;
  sigwait(&signals, &sig);
  srv.Stop();
  std::cout << (en ? "stopped\n" : "已停止\n");
}

}  // namespace

void RegisterServeCommands(CLI::App& app, Globals& g) {
  auto o = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve",
                                     "The web duty desk: status board, report form, sheet, map, audit, drills, "
                                     "shift handover (docs/web.md)");
  cmd->add_option("--store", o->store,
                  "Store file (default: $FIREBREAK_STORE, else ~/.local/share/firebreak/duty-office.sqlite)");
  cmd->add_option("--listen", o->listen, "HOST:PORT to listen on (default 127.0.0.1:8080; port 0: any free port)");
  cmd->add_option("--allow-host", o->allow_hosts, "Another Host name the desk answers to (repeatable)");
  cmd->add_option("--threads", o->threads, "I/O threads (default 2)")->check(CLI::Range(1, 64));
  cmd->add_option("--scenarios", o->scenarios,
                  "Directory of drill scenarios for the 演练 page (default: the bundled ones)");
  cmd->add_option("--tolerance-min", o->tolerance_min, "Minutes a declaration/upward report may lag (default 60)");
  cmd->add_option("--test-clock", o->test_clock,
                  "TESTS ONLY: start the desk's clock at this ISO 8601 time and allow POST /api/test/clock");
  cmd->add_option("--lang", g.lang, "Language of console messages: zh (default) or en")
      ->check(CLI::IsMember({"zh", "en"}));
  AddEnrichOptions(cmd, o->maps);
  cmd->callback([&g, o] { RunServe(g, *o); });
}

}  // namespace firebreak::cli
