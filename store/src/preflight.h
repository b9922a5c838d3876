// What is at a store path, found WITHOUT SQLite: before any SQLite connection touches a file (and could roll
// back its hot journal, recover or checkpoint its WAL), firebreak reads the bytes itself. Internal to store/.
//
// SQLite formats read (https://www.sqlite.org/fileformat2.html): the 100-byte database header (page size,
// WAL/legacy mode, in-header page count, user_version at 60, application_id at 68), the WAL (32-byte header,
// frames of a 24-byte header + one page; salts and cumulative checksums validated as SQLite does, so only
// committed frames count) and a rollback journal's header (magic, original page count at 16).
#pragma once

#include <cstdint>
#include <string>

namespace firebreak::store::internal {

struct FileState {
  enum Kind {
    kMissing,     // nothing at the path
    kNotRegular,  // a directory, FIFO, device...
    kEmptyFile,   // 0 bytes
    kNotSqlite,   // bytes that are not an SQLite database
    kHotJournal,  // a rollback journal that SQLite would replay into the file (someone crashed mid-write)
    kSqlite,      // an SQLite database: see the fields
  };
  Kind kind = kMissing;
  std::int64_t application_id = 0;  // effective: from the newest committed page 1 (WAL first, else the file)
  std::int64_t user_version = 0;
  bool wal_mode = false;          // the header says WAL
  bool wal_frames = false;        // a -wal file holds committed frames not yet checkpointed
  bool empty_database = false;    // an SQLite file with at most one page and no committed WAL frames (no tables)
  bool journal_of_empty = false;  // kHotJournal: the journal's original database was empty (a creation that
                                  // never committed; rolling back leaves an empty file)
  std::string detail;             // what was found, for messages
};

FileState Inspect(const std::string& path);

}  // namespace firebreak::store::internal
