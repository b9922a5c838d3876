// TravelGraph over Boost.Graph's compressed_sparse_row_graph, Dijkstra with multi-source start times.
#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/two_bit_color_map.hpp>
#include <boost/iterator/transform_iterator.hpp>

#include "firebreak/common/error.h"
#include "firebreak/forces/travel.h"

namespace firebreak::forces {

namespace {

struct EdgeProp {
  double time_s = 0;
};
using Csr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, EdgeProp, boost::no_property,
                                               NodeId, NodeId>;

constexpr double kInf = std::numeric_limits<double>::infinity();

// Stops the search: thrown by the visitor, caught in Dijkstra().
struct StopSearch {};

// Settles nodes in time order; stops past `limit` or at the first node in `stop_at`.
class LimitVisitor : public boost::default_dijkstra_visitor {
 public:
  LimitVisitor(const double* dist, double limit, const std::vector<std::uint8_t>* stop_at, NodeId* hit)
      : dist_(dist), limit_(limit), stop_at_(stop_at), hit_(hit) {}
  template <class G>
  void examine_vertex(NodeId v, const G&) const {
    if (dist_[v] > limit_) throw StopSearch{};
    if (stop_at_ && (*stop_at_)[v]) {
      *hit_ = v;
      throw StopSearch{};
    }
  }

 private:
  const double* dist_;
  double limit_;
  const std::vector<std::uint8_t>* stop_at_;
  NodeId* hit_;
};

}  // namespace

std::vector<NodeId> ShortestPaths::ChainFrom(NodeId v) const {
  std::vector<NodeId> out;
  if (v >= time_s.size() || !Reached(v)) return out;
  out.push_back(v);
  while (pred[v] != v) {
    v = pred[v];
    out.push_back(v);
    if (out.size() > pred.size()) break;  // defensive: a predecessor cycle would be a bug
  }
  return out;
}

struct TravelGraph::Impl {
  Csr g;
  std::size_t n = 0;
};

TravelGraph::TravelGraph(std::size_t nodes, std::vector<Edge> edges) : impl_(std::make_unique<Impl>()) {
  if (nodes >= std::numeric_limits<NodeId>::max())
    throw Error(ErrorKind::kInternal, "TravelGraph", "too many nodes: " + std::to_string(nodes));
  bool sorted = true;
  for (std::size_t i = 0; i < edges.size(); ++i) {
    const Edge& e = edges[i];
    if (e.from >= nodes || e.to >= nodes)
      throw Error(ErrorKind::kInternal, "TravelGraph", "edge " + std::to_string(i) + " names a node out of range");
    if (!(e.time.value() >= 0) || !std::isfinite(e.time.value()))
      throw Error(ErrorKind::kInternal, "TravelGraph",
                  "edge " + std::to_string(i) + " has a negative or non-finite time");
    if (i > 0 && edges[i - 1].from > e.from) sorted = false;
  }
  if (!sorted)
    std::stable_sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) { return a.from < b.from; });
  std::vector<std::pair<NodeId, NodeId>> ends;
  std::vector<EdgeProp> props;
  ends.reserve(edges.size());
  props.reserve(edges.size());
  for (const Edge& e : edges) {
    ends.emplace_back(e.from, e.to);
    props.push_back(EdgeProp{e.time.value()});
  }
  impl_->g = Csr(boost::edges_are_sorted, ends.begin(), ends.end(), props.begin(), static_cast<NodeId>(nodes),
                 static_cast<NodeId>(ends.size()));
  impl_->n = nodes;
}

TravelGraph::TravelGraph() : impl_(std::make_unique<Impl>()) {}

TravelGraph BuildSortedGraph(std::size_t nodes, std::vector<std::pair<NodeId, NodeId>>&& ends,
                             std::vector<double>&& times_s) {
  TravelGraph tg;
  if (nodes >= std::numeric_limits<NodeId>::max() || ends.size() != times_s.size())
    throw Error(ErrorKind::kInternal, "BuildSortedGraph", "bad sizes");
  // Times go to Boost through a transform iterator (no copy); the edge count lets it allocate once.
  auto props = boost::make_transform_iterator(times_s.cbegin(), [](double t) { return EdgeProp{t}; });
  tg.impl_->g = Csr(boost::edges_are_sorted, ends.begin(), ends.end(), props, static_cast<NodeId>(nodes),
                    static_cast<NodeId>(ends.size()));
  tg.impl_->n = nodes;
  return tg;
}

TravelGraph::TravelGraph(TravelGraph&&) noexcept = default;
TravelGraph& TravelGraph::operator=(TravelGraph&&) noexcept = default;
TravelGraph::~TravelGraph() = default;

std::size_t TravelGraph::node_count() const { return impl_->n; }
std::size_t TravelGraph::edge_count() const { return boost::num_edges(impl_->g); }

ShortestPaths TravelGraph::Dijkstra(const std::vector<std::pair<NodeId, Seconds>>& sources,
                                    std::optional<Seconds> limit, const std::vector<std::uint8_t>* blocked,
                                    const std::vector<std::uint8_t>* stop_at, std::optional<NodeId>* first_stop) const {
  const Csr& g = impl_->g;
  const std::size_t n = impl_->n;
  ShortestPaths sp;
  sp.time_s.assign(n, kInf);
  sp.pred.resize(n);
  for (NodeId v = 0; v < n; ++v) sp.pred[v] = v;
  if (first_stop) first_stop->reset();
  if (n == 0 || sources.empty()) return sp;
  if ((blocked && blocked->size() != n) || (stop_at && stop_at->size() != n))
    throw Error(ErrorKind::kInternal, "TravelGraph::Dijkstra", "mask size does not match the graph");

  // Colours: white = not seen, gray = queued, black = settled. Blocked nodes start black so they are never
  // relaxed into (Boost's BFS skips black targets); sources are always allowed.
  boost::two_bit_color_map<boost::typed_identity_property_map<NodeId>> color(n);
  for (NodeId v = 0; v < n; ++v)
    put(color, v, (blocked && (*blocked)[v]) ? boost::two_bit_black : boost::two_bit_white);
  std::vector<NodeId> starts;
  for (const auto& [s, t] : sources) {
    if (s >= n) throw Error(ErrorKind::kInternal, "TravelGraph::Dijkstra", "source out of range");
    if (t.value() < sp.time_s[s]) sp.time_s[s] = t.value();
    put(color, s, boost::two_bit_white);
  }
  for (const auto& [s, t] : sources)
    if (std::find(starts.begin(), starts.end(), s) == starts.end()) starts.push_back(s);

  NodeId hit = 0;
  LimitVisitor vis(sp.time_s.data(), limit ? limit->value() : kInf, stop_at, &hit);
  auto dist = boost::make_iterator_property_map(sp.time_s.begin(), boost::get(boost::vertex_index, g));
  auto pred = boost::make_iterator_property_map(sp.pred.begin(), boost::get(boost::vertex_index, g));
  try {
    boost::dijkstra_shortest_paths_no_init(g, starts.begin(), starts.end(), pred, dist,
                                           boost::get(&EdgeProp::time_s, g), boost::get(boost::vertex_index, g),
                                           std::less<double>(), boost::closed_plus<double>(kInf), 0.0, vis, color);
  } catch (const StopSearch&) {
    if (stop_at && first_stop && (*stop_at)[hit] && sp.Reached(hit)) *first_stop = hit;
  }
  // Nodes past the limit may hold tentative times: an unsettled node's time is an upper bound, not the
  // shortest. Clear them so that callers only ever see settled times.
  if (limit) {
    for (NodeId v = 0; v < n; ++v)
      if (sp.time_s[v] > limit->value()) {
        sp.time_s[v] = kInf;
        sp.pred[v] = v;
      }
  }
  return sp;
}

}  // namespace firebreak::forces
