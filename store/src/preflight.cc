#include "preflight.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <vector>

namespace firebreak::store::internal {

namespace {

std::uint32_t Be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}
std::uint32_t Le32(const unsigned char* p) {
  return (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) | p[0];
}

// Reads up to `n` bytes from `offset`; fewer at the end of the file.
std::vector<unsigned char> ReadAt(std::ifstream& in, std::uint64_t offset, std::size_t n) {
  std::vector<unsigned char> buf(n);
  in.clear();
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(reinterpret_cast<char*>(buf.data()), static_cast<std::streamsize>(n));
  buf.resize(static_cast<std::size_t>(std::max<std::streamsize>(0, in.gcount())));
  return buf;
}

// SQLite's WAL checksum over `n` bytes (a multiple of 8), continuing from (s0, s1).
void WalChecksum(bool big_endian, const unsigned char* p, std::size_t n, std::uint32_t& s0, std::uint32_t& s1) {
  for (std::size_t i = 0; i + 8 <= n; i += 8) {
    const std::uint32_t x0 = big_endian ? Be32(p + i) : Le32(p + i);
    const std::uint32_t x1 = big_endian ? Be32(p + i + 4) : Le32(p + i + 4);
    s0 += x0 + s1;
    s1 += x1 + s0;
  }
}

// The newest committed image of page 1 in `wal_path`, if any (empty vector: none). `*committed` tells whether
// any commit frame was found.
std::vector<unsigned char> WalPageOne(const std::string& wal_path, bool* committed) {
  *committed = false;
  std::ifstream in(wal_path, std::ios::binary);
  if (!in) return {};
  std::vector<unsigned char> h = ReadAt(in, 0, 32);
  if (h.size() < 32) return {};
  const std::uint32_t magic = Be32(h.data());
  if (magic != 0x377f0682 && magic != 0x377f0683) return {};
  const bool be = magic == 0x377f0683;
  const std::uint32_t page_size = Be32(h.data() + 8);
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0) return {};
  std::uint32_t s0 = 0, s1 = 0;
  WalChecksum(be, h.data(), 24, s0, s1);
  if (s0 != Be32(h.data() + 24) || s1 != Be32(h.data() + 28)) return {};
  std::vector<unsigned char> page_one, candidate;
  for (std::uint64_t off = 32;; off += 24 + page_size) {
    std::vector<unsigned char> f = ReadAt(in, off, 24 + page_size);
    if (f.size() < 24 + page_size) break;
    if (std::memcmp(f.data() + 8, h.data() + 16, 8) != 0) break;  // salts of an older generation
    WalChecksum(be, f.data(), 8, s0, s1);
    WalChecksum(be, f.data() + 24, page_size, s0, s1);
    if (s0 != Be32(f.data() + 16) || s1 != Be32(f.data() + 20)) break;
    if (Be32(f.data()) == 1) candidate.assign(f.begin() + 24, f.end());
    if (Be32(f.data() + 4) != 0) {  // a commit frame: everything so far is committed
      *committed = true;
      if (!candidate.empty()) page_one = candidate;
    }
  }
  return page_one;
}

}  // namespace

FileState Inspect(const std::string& path) {
  FileState st;
  struct stat sb {};
  if (::stat(path.c_str(), &sb) != 0) return st;  // kMissing
  if (!S_ISREG(sb.st_mode)) {
    st.kind = FileState::kNotRegular;
    return st;
  }
  if (sb.st_size == 0) {
    st.kind = FileState::kEmptyFile;
    return st;
  }
  std::ifstream in(path, std::ios::binary);
  std::vector<unsigned char> h = in ? ReadAt(in, 0, 100) : std::vector<unsigned char>{};
  if (h.size() < 100 || std::memcmp(h.data(), "SQLite format 3\0", 16) != 0) {
    st.kind = FileState::kNotSqlite;
    st.detail = h.size() < 100 ? "shorter than an SQLite header" : "no SQLite header";
    return st;
  }
  // A hot rollback journal: SQLite would replay it into the file on the first read.
  {
    std::ifstream j(path + "-journal", std::ios::binary);
    std::vector<unsigned char> jh = j ? ReadAt(j, 0, 28) : std::vector<unsigned char>{};
    static const unsigned char kJournalMagic[8] = {0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7};
    if (jh.size() >= 28 && std::memcmp(jh.data(), kJournalMagic, 8) == 0) {
      st.kind = FileState::kHotJournal;
      st.journal_of_empty = Be32(jh.data() + 16) == 0;
      st.detail = "a rollback journal " + path + "-journal";
      return st;
    }
  }
  st.kind = FileState::kSqlite;
  st.wal_mode = h[18] == 2 && h[19] == 2;
  std::vector<unsigned char> page_one;
  bool committed = false;
  if (st.wal_mode) page_one = WalPageOne(path + "-wal", &committed);
  st.wal_frames = committed;
  const unsigned char* p1 = page_one.size() >= 100 ? page_one.data() : h.data();
  st.user_version = static_cast<std::int32_t>(Be32(p1 + 60));
  st.application_id = static_cast<std::int32_t>(Be32(p1 + 68));
  const bool size_valid = Be32(p1 + 92) == Be32(p1 + 24);
  const std::uint32_t pages = Be32(p1 + 28);
  st.empty_database = !committed && size_valid && pages <= 1;
  return st;
}

}  // namespace firebreak::store::internal
