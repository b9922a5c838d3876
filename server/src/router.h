// Internal to server/src: the API's routes — method, path pattern ("/api/incidents/{id}/declare"), who may
// call it and where it runs. The table is built once (api.cc) and read concurrently.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http_types.h"

namespace firebreak::server {

enum class Access {
  kPublic,  // anyone (static files, login)
  kUser,    // a signed-in user
};

enum class Where {
  kInline,    // on the I/O thread: CPU-only and quick (assess, cached status, assets)
  kBlocking,  // on a worker thread: the store, maps, password hashing
};

struct Route {
  std::string method;
  std::string pattern;  // segments; "{name}" matches one non-empty segment
  Access access = Access::kUser;
  Where where = Where::kInline;
  std::function<Response(Request&)> handler;
};

class Router {
 public:
  void Add(Route r) { routes_.push_back(std::move(r)); }
  // The route for method+path (params filled), or nullptr. `*path_known` tells a 405 from a 404.
  const Route* Match(const std::string& method, const std::string& path, std::map<std::string, std::string>& params,
                     bool* path_known) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace firebreak::server
