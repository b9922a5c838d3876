// A fault-injecting SQLite VFS for the store's tests: a shim named "faulty" over the default VFS ("unix") that
// forwards every call, except that it fails the k-th read, write or sync (counted from Arm()) — or every write
// from the k-th on (a disk that stays full) — with the error code chosen. Open a store on it with
// OpenOptions::vfs = "faulty". Test-only code: the store itself knows nothing of it.
//
// Thread-safety: counters are atomics; arm and disarm from the test thread while no statement runs.
#pragma once

#include <atomic>

namespace firebreak::store::testing {

enum class FaultOp { kRead, kWrite, kSync };

struct Fault {
  FaultOp op = FaultOp::kWrite;
  int at = 1;           // the at-th operation of that kind fails (1 = the next one)
  int code = 0;         // an SQLite result code, e.g. SQLITE_IOERR_WRITE, SQLITE_FULL; 0: the default per op
  bool sticky = false;  // true: every later operation of that kind fails too (a full disk)
};

// Registers the "faulty" VFS once (not as the default).
void RegisterFaultyVfs();
void Arm(const Fault& f);
void Disarm();
// How many operations of each kind went through since Arm(); whether the fault fired.
int Count(FaultOp op);
bool Fired();

}  // namespace firebreak::store::testing
