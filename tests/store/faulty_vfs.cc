#include "faulty_vfs.h"

#include <sqlite3.h>

#include <cstring>
#include <mutex>

namespace firebreak::store::testing {

namespace {

struct State {
  std::atomic<bool> armed{false};
  std::atomic<bool> fired{false};
  FaultOp op = FaultOp::kWrite;
  int at = 1, code = 0;
  bool sticky = false;
  std::atomic<int> counts[3] = {0, 0, 0};
};
State g;

// SQLITE_OK, or the injected error for this operation.
int Trip(FaultOp op) {
  const int n = ++g.counts[static_cast<int>(op)];
  if (!g.armed || op != g.op || n < g.at || (!g.sticky && n != g.at)) return SQLITE_OK;
  g.fired = true;
  if (g.code) return g.code;
  switch (op) {
    case FaultOp::kRead:
      return SQLITE_IOERR_READ;
    case FaultOp::kWrite:
      return SQLITE_IOERR_WRITE;
    case FaultOp::kSync:
      return SQLITE_IOERR_FSYNC;
  }
  return SQLITE_IOERR;
}

struct FaultyFile {
  sqlite3_file base;
  sqlite3_file* real;
};

sqlite3_file* Real(sqlite3_file* f) { return reinterpret_cast<FaultyFile*>(f)->real; }

int Close(sqlite3_file* f) {
  sqlite3_file* r = Real(f);
  int rc = r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
  sqlite3_free(r);
  return rc;
}
int Read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  if (int rc = Trip(FaultOp::kRead)) return rc;
  return Real(f)->pMethods->xRead(Real(f), buf, n, off);
}
int Write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  if (int rc = Trip(FaultOp::kWrite)) return rc;
  return Real(f)->pMethods->xWrite(Real(f), buf, n, off);
}
int Truncate(sqlite3_file* f, sqlite3_int64 size) { return Real(f)->pMethods->xTruncate(Real(f), size); }
int Sync(sqlite3_file* f, int flags) {
  if (int rc = Trip(FaultOp::kSync)) return rc;
  return Real(f)->pMethods->xSync(Real(f), flags);
}
int FileSize(sqlite3_file* f, sqlite3_int64* size) { return Real(f)->pMethods->xFileSize(Real(f), size); }
int Lock(sqlite3_file* f, int l) { return Real(f)->pMethods->xLock(Real(f), l); }
int Unlock(sqlite3_file* f, int l) { return Real(f)->pMethods->xUnlock(Real(f), l); }
int CheckReservedLock(sqlite3_file* f, int* out) { return Real(f)->pMethods->xCheckReservedLock(Real(f), out); }
int FileControl(sqlite3_file* f, int op, void* arg) { return Real(f)->pMethods->xFileControl(Real(f), op, arg); }
int SectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }
int DeviceCharacteristics(sqlite3_file* f) { return Real(f)->pMethods->xDeviceCharacteristics(Real(f)); }
int ShmMap(sqlite3_file* f, int pg, int sz, int extend, void volatile** p) {
  return Real(f)->pMethods->xShmMap(Real(f), pg, sz, extend, p);
}
int ShmLock(sqlite3_file* f, int off, int n, int flags) { return Real(f)->pMethods->xShmLock(Real(f), off, n, flags); }
void ShmBarrier(sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); }
int ShmUnmap(sqlite3_file* f, int del) { return Real(f)->pMethods->xShmUnmap(Real(f), del); }
int Fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** p) { return Real(f)->pMethods->xFetch(Real(f), off, n, p); }
int Unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) { return Real(f)->pMethods->xUnfetch(Real(f), off, p); }

const sqlite3_io_methods kMethods = {3,
                                     Close,
                                     Read,
                                     Write,
                                     Truncate,
                                     Sync,
                                     FileSize,
                                     Lock,
                                     Unlock,
                                     CheckReservedLock,
                                     FileControl,
                                     SectorSize,
                                     DeviceCharacteristics,
                                     ShmMap,
                                     ShmLock,
                                     ShmBarrier,
                                     ShmUnmap,
                                     Fetch,
                                     Unfetch};

sqlite3_vfs g_vfs;

int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  auto* parent = static_cast<sqlite3_vfs*>(vfs->pAppData);
  auto* ff = reinterpret_cast<FaultyFile*>(f);
  ff->base.pMethods = nullptr;
  ff->real = static_cast<sqlite3_file*>(sqlite3_malloc(parent->szOsFile));
  if (!ff->real) return SQLITE_NOMEM;
  std::memset(ff->real, 0, static_cast<std::size_t>(parent->szOsFile));
  int rc = parent->xOpen(parent, name, ff->real, flags, out_flags);
  if (rc != SQLITE_OK) {
    sqlite3_free(ff->real);
    ff->real = nullptr;
    return rc;
  }
  ff->base.pMethods = &kMethods;
  return SQLITE_OK;
}

}  // namespace

void RegisterFaultyVfs() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite3_initialize();
    sqlite3_vfs* parent = sqlite3_vfs_find(nullptr);
    g_vfs = *parent;
    g_vfs.zName = "faulty";
    g_vfs.szOsFile = static_cast<int>(sizeof(FaultyFile));
    g_vfs.pAppData = parent;
    g_vfs.xOpen = Open;
    g_vfs.pNext = nullptr;
    sqlite3_vfs_register(&g_vfs, 0);
  });
}

void Arm(const Fault& f) {
  g.op = f.op;
  g.at = f.at;
  g.code = f.code;
  g.sticky = f.sticky;
  for (auto& c : g.counts) c = 0;
  g.fired = false;
  g.armed = true;
}

void Disarm() { g.armed = false; }
int Count(FaultOp op) { return g.counts[static_cast<int>(op)]; }
bool Fired() { return g.fired; }

}  // namespace firebreak::store::testing
