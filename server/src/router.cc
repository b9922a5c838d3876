#include "router.h"

namespace firebreak::server {

namespace {
std::vector<std::string_view> Split(std::string_view p) {
  std::vector<std::string_view> out;
  std::size_t i = 1;  // skip the leading '/'
  while (i <= p.size()) {
    const std::size_t j = p.find('/', i);
    out.push_back(p.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i));
    if (j == std::string_view::npos) break;
    i = j + 1;
  }
  return out;
}
}  // namespace

const Route* Router::Match(const std::string& method, const std::string& path,
                           std::map<std::string, std::string>& params, bool* path_known) const {
  const auto segs = Split(path);
  *path_known = false;
  for (const auto& r : routes_) {
    const auto pat = Split(r.pattern);
    if (pat.size() != segs.size()) continue;
    std::map<std::string, std::string> found;
    bool ok = true;
    for (std::size_t i = 0; ok && i < pat.size(); ++i) {
      if (pat[i].size() > 2 && pat[i].front() == '{' && pat[i].back() == '}') {
        if (segs[i].empty())
          ok = false;
        else
          found[std::string(pat[i].substr(1, pat[i].size() - 2))] = std::string(segs[i]);
      } else if (pat[i] != segs[i]) {
        ok = false;
      }
    }
    if (!ok) continue;
    *path_known = true;
    if (r.method != method) continue;
    params = std::move(found);
    return &r;
  }
  return nullptr;
}

}  // namespace firebreak::server
