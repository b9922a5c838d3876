// Travel graphs: Dijkstra on small graphs with known answers, an independent cross-check against networkx on a
// random 10,000-node graph, Tobler's function, the DEM walking graph and Horn slope.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "firebreak/common/error.h"
#include "firebreak/forces/travel.h"
#include "test_util.h"

namespace firebreak::forces {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// 0 -1s-> 1 -2s-> 2 ; 0 -5s-> 2 ; 2 -1s-> 3 ; 4 isolated.  Shortest 0->3 = 4 via 1, 2.
TravelGraph SmallGraph() {
  return TravelGraph(5, {{0, 1, Seconds(1)}, {1, 2, Seconds(2)}, {0, 2, Seconds(5)}, {2, 3, Seconds(1)}});
}

TEST(TravelGraph, KnownShortestTimesAndPath) {
  const TravelGraph g = SmallGraph();
  EXPECT_EQ(g.node_count(), 5u);
  EXPECT_EQ(g.edge_count(), 4u);
  const ShortestPaths sp = g.Dijkstra({{0, Seconds(0)}});
  const double want[] = {0, 1, 3, 4, kInf};
  for (NodeId v = 0; v < 5; ++v) EXPECT_DOUBLE_EQ(sp.time_s[v], want[v]) << v;
  EXPECT_EQ(sp.ChainFrom(3), (std::vector<NodeId>{3, 2, 1, 0}));
  EXPECT_TRUE(sp.ChainFrom(4).empty());
  EXPECT_FALSE(sp.TimeTo(4).has_value());
  // Directed: nothing reaches 0 from 3.
  EXPECT_FALSE(g.Dijkstra({{3, Seconds(0)}}).Reached(0));
}

TEST(TravelGraph, MultiSourceUsesStartTimes) {
  const TravelGraph g = SmallGraph();
  // Source 2 starts late (10 s): 3 is reached via 0 -> 1 -> 2 at 4 s, not from source 2 at 11 s.
  ShortestPaths sp = g.Dijkstra({{0, Seconds(0)}, {2, Seconds(10)}});
  EXPECT_DOUBLE_EQ(sp.time_s[3], 4);
  EXPECT_DOUBLE_EQ(sp.time_s[2], 3);
  // Source 2 starting early (0.5 s) wins.
  sp = g.Dijkstra({{0, Seconds(0)}, {2, Seconds(0.5)}});
  EXPECT_DOUBLE_EQ(sp.time_s[3], 1.5);
  EXPECT_EQ(sp.ChainFrom(3), (std::vector<NodeId>{3, 2}));
}

TEST(TravelGraph, LimitBlockedAndStopAt) {
  const TravelGraph g = SmallGraph();
  // Limit 3 s: node 2 (3 s) settles, node 3 (4 s) is left unreached — both sides of the bound.
  ShortestPaths sp = g.Dijkstra({{0, Seconds(0)}}, Seconds(3));
  EXPECT_TRUE(sp.Reached(2));
  EXPECT_FALSE(sp.Reached(3));
  // Blocking node 1 forces the 5 s edge.
  std::vector<std::uint8_t> blocked(5, 0);
  blocked[1] = 1;
  sp = g.Dijkstra({{0, Seconds(0)}}, std::nullopt, &blocked);
  EXPECT_FALSE(sp.Reached(1));
  EXPECT_DOUBLE_EQ(sp.time_s[2], 5);
  EXPECT_DOUBLE_EQ(sp.time_s[3], 6);
  // stop_at: the first of {2, 3} settled is 2.
  std::vector<std::uint8_t> stop(5, 0);
  stop[2] = stop[3] = 1;
  std::optional<NodeId> hit;
  sp = g.Dijkstra({{0, Seconds(0)}}, std::nullopt, nullptr, &stop, &hit);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(*hit, 2u);
  EXPECT_DOUBLE_EQ(sp.time_s[2], 3);
  // Nothing to stop at within the limit.
  stop.assign(5, 0);
  stop[3] = 1;
  sp = g.Dijkstra({{0, Seconds(0)}}, Seconds(3.5), nullptr, &stop, &hit);
  EXPECT_FALSE(hit.has_value());
}

TEST(TravelGraph, RejectsBadEdges) {
  try {
    TravelGraph g(2, {{0, 2, Seconds(1)}});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInternal);
  }
  EXPECT_THROW(TravelGraph(2, {{0, 1, Seconds(-1)}}), Error);
  EXPECT_THROW(TravelGraph(2, {{0, 1, Seconds(std::nan(""))}}), Error);
  // Unsorted input is fine.
  TravelGraph g(3, {{2, 1, Seconds(1)}, {0, 2, Seconds(1)}});
  EXPECT_DOUBLE_EQ(g.Dijkstra({{0, Seconds(0)}}).time_s[1], 2);
}

// Independent second implementation: networkx (Debian python3-networkx, run by /usr/bin/python3).
TEST(TravelGraph, MatchesNetworkxOnRandomGraph) {
  if (!std::filesystem::exists("/usr/bin/python3")) GTEST_SKIP() << "/usr/bin/python3 not installed";
  unsigned seed = 20261125;
  if (const char* s = std::getenv("FIREBREAK_TEST_SEED")) seed = static_cast<unsigned>(std::strtoul(s, nullptr, 10));
  std::mt19937 rng(seed);
  const NodeId n = 10000;
  std::uniform_int_distribution<NodeId> node(0, n - 1);
  std::uniform_real_distribution<double> w(0.5, 100.0);
  std::vector<TravelGraph::Edge> edges;
  // A random sparse digraph: a random spanning path (so most nodes are reachable) plus 40,000 random edges.
  std::vector<NodeId> perm(n);
  for (NodeId i = 0; i < n; ++i) perm[i] = i;
  std::shuffle(perm.begin(), perm.end(), rng);
  for (NodeId i = 1; i < n; ++i)
    if (i % 97 != 0) edges.push_back({perm[i - 1], perm[i], Seconds(w(rng))});  // a few gaps: some unreachable
  for (int i = 0; i < 40000; ++i) edges.push_back({node(rng), node(rng), Seconds(w(rng))});
  const auto dir = std::filesystem::temp_directory_path() / ("fb_forces_nx_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream out(dir / "edges.txt");
    out.precision(17);
    for (const auto& e : edges) out << e.from << " " << e.to << " " << e.time.value() << "\n";
    std::ofstream py(dir / "nx.py");
    py << "import sys, networkx as nx\n"
          "G = nx.MultiDiGraph()\n"
          "G.add_nodes_from(range("
       << n
       << "))\n"
          "for line in open(sys.argv[1]):\n"
          "    a, b, t = line.split()\n"
          "    G.add_edge(int(a), int(b), weight=float(t))\n"
          "d = nx.single_source_dijkstra_path_length(G, int(sys.argv[2]), weight='weight')\n"
          "with open(sys.argv[3], 'w') as f:\n"
          "    for v in range("
       << n
       << "):\n"
          "        f.write(repr(d[v]) if v in d else 'inf')\n"
          "        f.write('\\n')\n";
  }
  const NodeId src = perm[0];
  const std::string cmd = "/usr/bin/python3 " + (dir / "nx.py").string() + " " + (dir / "edges.txt").string() + " " +
                          std::to_string(src) + " " + (dir / "out.txt").string();
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd << " (needs python3-networkx)";
  const TravelGraph g(n, edges);
  const ShortestPaths sp = g.Dijkstra({{src, Seconds(0)}});
  std::ifstream in(dir / "out.txt");
  std::string tok;
  std::size_t reached = 0, unreached = 0;
  for (NodeId v = 0; v < n; ++v) {
    ASSERT_TRUE(in >> tok) << "networkx output too short at " << v;
    if (tok == "inf") {
      EXPECT_FALSE(sp.Reached(v)) << v;
      ++unreached;
    } else {
      const double want = std::stod(tok);
      ASSERT_TRUE(sp.Reached(v)) << v;
      EXPECT_NEAR(sp.time_s[v], want, 1e-9 * std::max(1.0, want)) << v;
      ++reached;
    }
  }
  EXPECT_GT(reached, 5000u);  // the comparison covered most of the graph
  std::filesystem::remove_all(dir);
}

TEST(Tobler, SpeedTable) {
  static const struct {
    double gradient, factor, kmh;
  } cases[] = {
      {-0.05, 1.0, 6.0},                              // the peak
      {0.0, 1.0, 6.0 * std::exp(-3.5 * 0.05)},        // flat: 5.04 km/h
      {0.10, 1.0, 6.0 * std::exp(-3.5 * 0.15)},       // 10 % uphill
      {-0.20, 1.0, 6.0 * std::exp(-3.5 * 0.15)},      // 20 % downhill equals 10 % uphill
      {0.0, 0.6, 0.6 * 6.0 * std::exp(-3.5 * 0.05)},  // off-path factor
  };
  for (const auto& c : cases) EXPECT_NEAR(ToblerSpeed(c.gradient, c.factor).value() * 3.6, c.kmh, 1e-12) << c.gradient;
  EXPECT_LT(ToblerSpeed(0.3, 1).value(), ToblerSpeed(-0.3, 1).value());  // uphill slower than the same downhill
}

TEST(GreatCircle, OneDegreeOfLatitude) {
  EXPECT_NEAR(GreatCircle({109.0, 24.0}, {109.0, 25.0}).value(), 111195.0, 5.0);
  EXPECT_NEAR(GreatCircle({109.0, 24.0}, {109.0, 24.0}).value(), 0.0, 1e-9);
}

TEST(WalkGraph, FlatGridTimes) {
  const gis::Grid dem = testing::MakeDem(3, 3, 30.0, [](int, int) { return 100.0f; });
  const TravelGraph g = BuildWalkGraph(dem, WalkDirection::kOutward, {1.0, Degrees(45)});
  EXPECT_EQ(g.edge_count(), 40u);  // 4 corners x3 + 4 edges x5 + centre x8
  const ShortestPaths sp = g.Dijkstra({{0, Seconds(0)}});
  const double v = ToblerSpeed(0.0, 1.0).value();
  EXPECT_NEAR(sp.time_s[8], 2 * std::hypot(30.0, 30.0) / v, 1e-6);  // corner to corner on the diagonal
  EXPECT_NEAR(sp.time_s[2], 60.0 / v, 1e-6);
}

TEST(WalkGraph, NodataIsolatedAndSteepEdgesCut) {
  gis::Grid dem = testing::MakeDem(1, 3, 30.0, [](int, int c) { return c == 1 ? NAN : 100.0f; });
  EXPECT_EQ(BuildWalkGraph(dem, WalkDirection::kOutward).edge_count(), 0u);
  // Two cells 30 m apart, rise 30 m = 45.0°: max 46° keeps the edges, max 44° cuts them.
  dem = testing::MakeDem(1, 2, 30.0, [](int, int c) { return c == 0 ? 100.0f : 130.0f; });
  EXPECT_EQ(BuildWalkGraph(dem, WalkDirection::kOutward, {0.6, Degrees(46)}).edge_count(), 2u);
  EXPECT_EQ(BuildWalkGraph(dem, WalkDirection::kOutward, {0.6, Degrees(44)}).edge_count(), 0u);
}

TEST(WalkGraph, InwardTimesAreWalksTowardsTheSource) {
  // Rising 3 m per 30 m cell eastwards. Outward from the west end = walking uphill; inward from the west end
  // = each cell's time walking downhill TO the west end.
  const gis::Grid dem = testing::MakeDem(1, 5, 30.0, [](int, int c) { return 100.0f + 3.0f * c; });
  const TravelGraph out = BuildWalkGraph(dem, WalkDirection::kOutward, {1.0, Degrees(45)});
  const TravelGraph in = BuildWalkGraph(dem, WalkDirection::kInward, {1.0, Degrees(45)});
  const double up = 30.0 / ToblerSpeed(0.1, 1.0).value(), down = 30.0 / ToblerSpeed(-0.1, 1.0).value();
  EXPECT_NEAR(out.Dijkstra({{0, Seconds(0)}}).time_s[4], 4 * up, 1e-6);
  EXPECT_NEAR(in.Dijkstra({{0, Seconds(0)}}).time_s[4], 4 * down, 1e-6);
  EXPECT_LT(down, up);
}

}  // namespace
}  // namespace firebreak::forces
