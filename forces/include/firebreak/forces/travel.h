// Travel graphs for force deployment and escape routes (Boost.Graph inside forces/src; not in this header).
//
// Three ways to estimate how long it takes to get somewhere, in the order they are preferred:
//   1. a road graph built from any OGR line layer, speed by road class from a small YAML config
//      (docs/forces.md "Road layer config");
//   2. a walking graph over a DEM grid (8-neighbour cells) with Tobler's hiking function:
//         speed_kmh = 6 * exp(-3.5 * |dh/dx + 0.05|) * off_path_factor
//      (Tobler 1993; off_path_factor 0.6 is Tobler's own factor for off-track walking);
//   3. a straight line times a documented detour factor, only when nothing else covers a leg. Every leg that
//      uses it is flagged `estimated` so that outputs can say so.
// Travel times are firebreak::Seconds, lengths Metres; a Seconds never adds to a Metres.
//
// Thread-safety: graphs are immutable after construction; queries are const and may run concurrently.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "firebreak/common/units.h"
#include "firebreak/engine/incident.h"
#include "firebreak/gis/raster.h"

namespace firebreak::forces {

using engine::LonLat;
using NodeId = std::uint32_t;

// Great-circle distance on a sphere of radius 6 371 008.8 m (haversine). Good to ~0.5 % for our purposes.
Metres GreatCircle(LonLat a, LonLat b);

// Tobler's hiking function: walking speed in m/s for a signed gradient dh/dx (rise over run, dimensionless),
// multiplied by `off_path_factor` (1.0 on a trail, 0.6 off-trail). Peak 6 km/h * factor at dh/dx = -0.05.
MetresPerSecond ToblerSpeed(double gradient, double off_path_factor);

// Shortest-path result from one or several sources. time_s[v] is +inf where v was not reached.
struct ShortestPaths {
  std::vector<double> time_s;
  std::vector<NodeId> pred;  // pred[v] == v for sources and unreached nodes

  bool Reached(NodeId v) const { return time_s[v] < std::numeric_limits<double>::infinity(); }
  std::optional<Seconds> TimeTo(NodeId v) const {
    if (!Reached(v)) return std::nullopt;
    return Seconds(time_s[v]);
  }
  // Nodes from v back along the predecessors to the source that reached it: v, pred[v], ..., source.
  // Empty if v was not reached.
  std::vector<NodeId> ChainFrom(NodeId v) const;
};

// A directed graph of travel times over nodes 0..n-1 (Boost compressed_sparse_row_graph inside).
class TravelGraph {
 public:
  struct Edge {
    NodeId from = 0;
    NodeId to = 0;
    Seconds time;
  };

  // Throws Error(kInternal) if an edge names a node >= nodes or has a negative / non-finite time.
  TravelGraph(std::size_t nodes, std::vector<Edge> edges);
  TravelGraph(TravelGraph&&) noexcept;
  TravelGraph& operator=(TravelGraph&&) noexcept;
  ~TravelGraph();

  std::size_t node_count() const;
  std::size_t edge_count() const;

  // Dijkstra from several sources, each starting with its own time (e.g. the walk-in time of a drop-off
  // point). `limit`: nodes farther than this are left unreached (search stops early). `blocked`: if given
  // (size node_count()), nodes with blocked[v] != 0 are never entered (sources excepted).
  // `stop_at`: if given (size node_count()), the search stops once the first node with stop_at[v] != 0 is
  // settled; that node is returned in `*first_stop`. After such a stop only `*first_stop` and the nodes on
  // its chain hold final times; the other results are partial.
  ShortestPaths Dijkstra(const std::vector<std::pair<NodeId, Seconds>>& sources,
                         std::optional<Seconds> limit = std::nullopt,
                         const std::vector<std::uint8_t>* blocked = nullptr,
                         const std::vector<std::uint8_t>* stop_at = nullptr,
                         std::optional<NodeId>* first_stop = nullptr) const;

 private:
  struct Impl;
  TravelGraph();
  // Fast path for large generated graphs (walk grids): edges already sorted by source. forces/src only.
  friend TravelGraph BuildSortedGraph(std::size_t nodes, std::vector<std::pair<NodeId, NodeId>>&& ends,
                                      std::vector<double>&& times_s);
  std::unique_ptr<Impl> impl_;
};

// ---------------------------------------------------------------------------------------------------------
// Walking on a DEM grid.

struct WalkOptions {
  double off_path_factor = 0.6;  // Tobler's off-trail factor
  // Edges steeper than this (|dh| / horizontal distance, in degrees) are impassable on foot.
  Degrees max_edge_slope{45.0};
};

// Which way edges are timed. kOutward: edge a->b costs walking a->b (escape routes from a work area).
// kInward: edge a->b costs walking b->a, so Dijkstra from the fire cell gives each cell's time TO the fire.
enum class WalkDirection { kOutward, kInward };

// Node id of cell (r, c) is r * cols + c; nodata cells are isolated nodes.
TravelGraph BuildWalkGraph(const gis::Grid& dem, WalkDirection dir, const WalkOptions& opt = {});

// ---------------------------------------------------------------------------------------------------------
// Roads.

// Road layer configuration (YAML, docs/forces.md): which attribute holds the road class, speed per class.
struct RoadConfig {
  std::string class_field = "highway";
  std::map<std::string, double> speed_kmh;  // class -> km/h
  std::optional<double> default_kmh;        // for classes not listed; nullopt: such roads are skipped
  Metres snap{5.0};                         // endpoints closer than this become one node
  std::string layer;                        // layer name; empty = first layer
  // Where the config set class_field / layer ("roads.yaml:2:14"; empty = the default): the road loader names
  // this place when the layer has no such field or layer.
  std::string class_field_at, layer_at;
};
// Throws Error(kInput, "file:line:col", ...) for a malformed config.
RoadConfig LoadRoadConfig(const std::string& path);
RoadConfig ParseRoadConfig(const std::string& yaml_text, const std::string& name);

// One line of a road layer, already in WGS84.
struct RoadLine {
  std::string road_class;
  std::vector<LonLat> points;
  std::string where;  // "roads.gpkg:roads:fid 12" for messages
};

// A road feature that could not be used, and why (reported, never fatal).
struct RoadProblem {
  std::string where;
  std::string what;
};

class RoadNetwork {
 public:
  // Builds an undirected road graph: one node per distinct (snapped) vertex, one pair of edges per segment,
  // time = great-circle length / class speed. Broken lines (fewer than 2 points, non-finite or out-of-range
  // coordinates, unknown class without default_kmh) are skipped and listed in problems().
  static RoadNetwork FromLines(const std::vector<RoadLine>& lines, const RoadConfig& cfg);
  // Reads every line feature of an OGR layer (any format, any CRS; reprojected to WGS84). Null, non-line or
  // invalid geometries are skipped and listed. Throws Error(kGis) if the file cannot be opened or the layer
  // does not exist, Error(kInput) if the class field is missing from the layer.
  static RoadNetwork Load(const std::string& path, const RoadConfig& cfg);

  RoadNetwork(RoadNetwork&&) noexcept;
  RoadNetwork& operator=(RoadNetwork&&) noexcept;
  ~RoadNetwork();

  const TravelGraph& graph() const;
  std::size_t node_count() const;
  LonLat NodePosition(NodeId n) const;
  // Nearest node within `max_distance`; nullopt if none.
  std::optional<NodeId> Nearest(LonLat p, Metres max_distance) const;
  const std::vector<RoadProblem>& problems() const;
  const std::string& source() const;

 private:
  struct Impl;
  explicit RoadNetwork(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace firebreak::forces
