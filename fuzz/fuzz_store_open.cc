// The store file: any bytes (optionally with a WAL) as a store — `store verify`, a reading open with every
// history read, a recording open with one record. Input: byte 0 bit 0 = a WAL follows; then (with a WAL) a
// 4-byte little-endian length of the database part; the database; the WAL.
//
// Seeds (tools/fuzz.sh): FIREBREAK_FUZZ_MAKE_SEEDS=DIR fuzz_store_open writes real stores (closed, and with an
// un-checkpointed WAL) and a foreign SQLite file into DIR, signed with the harness's fixed key, and exits.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "firebreak/store/store.h"
#include "fuzz_util.h"

namespace {

namespace fs = std::filesystem;
using namespace firebreak;

// The harness's scratch directory, removed when the process that made it exits (a fuzzing run left two behind
// in /tmp each time).
fs::path g_work;
pid_t g_work_owner = 0;
void RemoveWork() {
  std::error_code ec;
  if (::getpid() == g_work_owner) fs::remove_all(g_work, ec);
}

fs::path Work() {
  static const fs::path d = [] {
    fs::path p = fs::temp_directory_path() / ("firebreak-fuzz-store-" + std::to_string(::getpid()));
    fs::create_directories(p);
    g_work = p;
    g_work_owner = ::getpid();
    std::atexit(RemoveWork);
    // A fixed key, so that seeds made by one process verify in another.
    std::ofstream(p / "office.key") << "firebreak office key v1\n" << std::string(64, 'a') << "\n";
    fs::permissions(p / "office.key", fs::perms::owner_read | fs::perms::owner_write);
    return p;
  }();
  return d;
}

store::OpenOptions Opts(store::OpenMode mode) {
  store::OpenOptions o;
  o.key_file = (Work() / "office.key").string();
  o.mode = mode;
  o.create = false;
  o.busy_timeout_ms = 100;
  return o;
}

void RecordSome(store::Store& s, int n) {
  for (int i = 0; i < n; ++i) {
    Timestamp at{1775260800 + i * 600, 480};
    s.Transaction([&] {
      s.EnsureIncident("S-" + std::to_string(i % 2), at, std::string("柳城县"));
      auto r = s.AddReport("S-" + std::to_string(i % 2), at, "{\"n\":" + std::to_string(i) + "}", "r.json");
      s.AddDecision(r, at, engine::Level::kIV, "liuzhou-2022", "sha", "{}");
    });
  }
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void MakeSeeds(const fs::path& dir) {
  fs::create_directories(dir);
  const fs::path db = Work() / "seed.sqlite";
  for (const char* sfx : {"", "-wal", "-shm", ".head"}) fs::remove(db.string() + sfx);
  {
    store::OpenOptions o = Opts(store::OpenMode::kWrite);
    o.create = true;
    store::Store s = store::Store::Open(db.string(), o);
    RecordSome(s, 4);
    // While open: the WAL holds the commits (not yet checkpointed).
    const std::string main = Slurp(db), wal = Slurp(db.string() + "-wal");
    const std::uint32_t n = static_cast<std::uint32_t>(main.size());
    std::string with_wal(1, '\x01');
    for (int i = 0; i < 4; ++i) with_wal += static_cast<char>((n >> (8 * i)) & 0xff);
    std::ofstream(dir / "store-with-wal", std::ios::binary) << with_wal << main << wal;
  }
  std::ofstream(dir / "store-closed", std::ios::binary) << '\x00' << Slurp(db);
  std::ofstream(dir / "not-sqlite", std::ios::binary) << '\x00' << "duty roster\n";
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("FIREBREAK_FUZZ_MAKE_SEEDS")) {
    MakeSeeds(dir);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::string path = (Work() / "s.sqlite").string();
  for (const char* sfx : {"", "-wal", "-shm", "-journal", ".head", ".head.tmp"}) fs::remove(path + sfx);
  std::string db(reinterpret_cast<const char*>(data) + 1, size - 1), wal;
  if ((data[0] & 1) && size >= 5) {
    std::uint32_t n = 0;
    for (int i = 0; i < 4; ++i) n |= static_cast<std::uint32_t>(data[1 + i]) << (8 * i);
    db = std::string(reinterpret_cast<const char*>(data) + 5, std::min<std::size_t>(n, size - 5));
    if (n < size - 5) wal.assign(reinterpret_cast<const char*>(data) + 5 + n, size - 5 - n);
  }
  std::ofstream(path, std::ios::binary) << db;
  if (!wal.empty()) std::ofstream(path + "-wal", std::ios::binary) << wal;
  store::VerifyOptions vo;
  vo.key_file = (Work() / "office.key").string();
  fuzz::Expect([&] { store::VerifyStore(path, vo); });
  fuzz::Expect([&] {
    store::Store s = store::Store::Open(path, Opts(store::OpenMode::kRead));
    s.Verify();
    s.AllHistories();
  });
  fuzz::Expect([&] {
    store::Store s = store::Store::Open(path, Opts(store::OpenMode::kWrite));
    RecordSome(s, 1);
  });
  return 0;
}
