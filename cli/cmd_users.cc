// `firebreak users add|list|passwd|disable`: the people who may sign in to the web desk, each with one role of
// the rule file (store/accounts.h). Passwords are read from stdin (one line; asked twice without echo on a
// terminal) and stored only as Argon2id hashes. Every change is an audited record.
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "firebreak/common/error.h"
#include "firebreak/store/accounts.h"
#include "firebreak/store/store.h"

namespace firebreak::cli {

namespace {

struct UserOptions {
  std::string store;
  std::string username;
  std::string role;
  std::string name;
  std::string format = "text";
};

Timestamp Now() { return Timestamp{static_cast<std::int64_t>(std::time(nullptr)), 8 * 60}; }

std::string Actor() {
  const char* u = std::getenv("USER");
  return std::string("cli:") + (u && *u ? u : "unknown");
}

std::string ReadLine(bool echo) {
  termios old{};
  const bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
  if (tty && !echo) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (tty && !echo) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// The password from stdin: one line; on a terminal asked twice without echo.
std::string ReadPassword(const Globals& g) {
  const bool en = g.lang == "en";
  if (!isatty(STDIN_FILENO)) {
    std::string p = ReadLine(true);
    if (p.empty()) throw Error(ErrorKind::kUsage, "stdin", "no password on stdin", "pipe the password as one line");
    return p;
  }
  std::cerr << (en ? "Password: " : "密码：");
  std::string a = ReadLine(false);
  std::cerr << (en ? "Again: " : "再输入一次：");
  if (ReadLine(false) != a) throw Error(ErrorKind::kUsage, "password", "the two passwords differ", "type it again");
  return a;
}

store::Store OpenStore(const UserOptions& o) {
  return store::Store::Open(o.store.empty() ? store::DefaultStorePath() : o.store);
}

void RunAdd(const Globals& g, const UserOptions& o) {
  const engine::RuleSet rules = LoadRules(g);
  store::Store st = OpenStore(o);
  store::Accounts acc(st, rules);
  const std::string password = ReadPassword(g);
  acc.AddUser(o.username, o.role, o.name, password, Actor(), Now());
  std::cout << (g.lang == "en" ? "Added user " : "已添加用户 ") << o.username << " (" << rules.NameOf(o.role, g.lang)
            << ") → " << st.path() << "\n";
}

void RunPasswd(const Globals& g, const UserOptions& o) {
  const engine::RuleSet rules = LoadRules(g);
  store::Store st = OpenStore(o);
  store::Accounts acc(st, rules);
  acc.SetPassword(o.username, ReadPassword(g), Actor(), Now());
  std::cout << (g.lang == "en" ? "New password set for " : "已更新密码：") << o.username << "\n";
}

void RunDisable(const Globals& g, const UserOptions& o) {
  const engine::RuleSet rules = LoadRules(g);
  store::Store st = OpenStore(o);
  store::Accounts(st, rules).Disable(o.username, Actor(), Now());
  std::cout << (g.lang == "en" ? "Disabled " : "已停用 ") << o.username << "\n";
}

void RunList(const Globals& g, const UserOptions& o) {
  const engine::RuleSet rules = LoadRules(g);
  store::Store st = OpenStore(o);
  const auto users = store::Accounts(st, rules).Users();
  if (o.format == "json") {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& u : users)
      a.push_back({{"username", u.username},
                   {"role", u.role},
                   {"display_name", u.display_name},
                   {"active", u.active},
                   {"changed_at", FormatIso8601(u.changed_at)}});
    std::cout << a.dump(2) << "\n";
    return;
  }
  if (users.empty()) std::cout << (g.lang == "en" ? "no users\n" : "无用户\n");
  for (const auto& u : users)
    std::cout << u.username << "  " << u.role << " (" << rules.NameOf(u.role, g.lang) << ")  " << u.display_name
              << (u.active ? "" : (g.lang == "en" ? "  [disabled]" : "  [已停用]")) << "\n";
}

}  // namespace

void RegisterUserCommands(CLI::App& app, Globals& g) {
  CLI::App* grp = app.add_subcommand("users", "People who may sign in to the web desk, one role of the rule file each");
  grp->require_subcommand(1);
  auto add_common = [&g](CLI::App* cmd, UserOptions& o) {
    cmd->add_option("--store", o.store,
                    "Store file (default: $FIREBREAK_STORE, else ~/.local/share/firebreak/duty-office.sqlite)");
    cmd->add_option("--lang", g.lang, "Language of messages: zh (default) or en")->check(CLI::IsMember({"zh", "en"}));
  };
  {
    auto o = std::make_shared<UserOptions>();
    CLI::App* cmd = grp->add_subcommand("add", "Add a user (password: one line on stdin)");
    add_common(cmd, *o);
    cmd->add_option("username", o->username, "User name (letters, digits, _ . -)")->required();
    cmd->add_option("--role", o->role, "Role id of the rule file, e.g. city_hq_office, office_director")->required();
    cmd->add_option("--name", o->name, "Display name, e.g. 张三");
    cmd->callback([&g, o] { RunAdd(g, *o); });
  }
  {
    auto o = std::make_shared<UserOptions>();
    CLI::App* cmd = grp->add_subcommand("passwd", "Set a user's password (one line on stdin)");
    add_common(cmd, *o);
    cmd->add_option("username", o->username, "User name")->required();
    cmd->callback([&g, o] { RunPasswd(g, *o); });
  }
  {
    auto o = std::make_shared<UserOptions>();
    CLI::App* cmd = grp->add_subcommand("disable", "Stop a user from signing in (kept in the record)");
    add_common(cmd, *o);
    cmd->add_option("username", o->username, "User name")->required();
    cmd->callback([&g, o] { RunDisable(g, *o); });
  }
  {
    auto o = std::make_shared<UserOptions>();
    CLI::App* cmd = grp->add_subcommand("list", "List users and their roles");
    add_common(cmd, *o);
    cmd->add_option("--format", o->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
    cmd->callback([&g, o] { RunList(g, *o); });
  }
}

}  // namespace firebreak::cli
