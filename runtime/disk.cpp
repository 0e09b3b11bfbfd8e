#include "runtime/disk.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <cstdio>
#include <filesystem>
#include <vector>

namespace flow::runtime {

namespace {

// (By hand, not snprintf: keys are made for every call of a run.)
std::string Hex128(XXH128_hash_t h) {
  static constexpr char kDigits[] = "0123456789abcdef";
  char out[32];
  for (int i = 0; i < 16; ++i) {
    out[15 - i] = kDigits[(h.high64 >> (4 * i)) & 0xf];
    out[31 - i] = kDigits[(h.low64 >> (4 * i)) & 0xf];
  }
  return std::string(out, sizeof out);
}

}  // namespace

bool MakeDirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  return std::filesystem::is_directory(path, ec);
}

namespace {

// mkdir with its missing parents, by plain syscalls (std::filesystem stats
// every component first). `depth` bounds the recursion on absurd paths.
bool MkdirParents(const std::string& path, int depth) {
  if (mkdir(path.c_str(), 0755) == 0) return true;
  if (errno == EEXIST) return StatFile(path).is_dir;
  if (errno != ENOENT || depth > 256) return false;
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos || slash == 0) return false;
  if (!MkdirParents(path.substr(0, slash), depth + 1)) return false;
  return mkdir(path.c_str(), 0755) == 0 || (errno == EEXIST && StatFile(path).is_dir);
}

}  // namespace

bool MakeFreshDir(const std::string& path) {
  if (mkdir(path.c_str(), 0755) == 0) return true;
  if (errno == EEXIST) {
    RemoveTree(path);
    return mkdir(path.c_str(), 0755) == 0;
  }
  size_t slash = path.find_last_of('/');
  if (errno != ENOENT || slash == std::string::npos || slash == 0) return false;
  return MkdirParents(path.substr(0, slash), 0) && mkdir(path.c_str(), 0755) == 0;
}

std::optional<std::string> ReadFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0) {
      close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return out;
}

bool WriteFile(const std::string& path, const std::string& text) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n <= 0) {
      close(fd);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return close(fd) == 0;
}

bool WriteFileAtomic(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp." + std::to_string(getpid());
  if (!WriteFile(tmp, text)) return false;
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    unlink(tmp.c_str());
    return false;
  }
  return true;
}

bool RemoveTree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  return !std::filesystem::exists(std::filesystem::symlink_status(path, ec));
}

std::string TailOfFile(const std::string& path, size_t max_lines) {
  std::optional<std::string> text = ReadFile(path);
  if (!text || text->empty()) return "";
  std::string& t = *text;
  size_t end = t.size();
  if (t[end - 1] == '\n') --end;
  size_t pos = end;
  size_t lines = 0;
  while (pos > 0) {
    if (t[pos - 1] == '\n' && ++lines == max_lines) break;
    --pos;
  }
  return t.substr(pos, end - pos);
}

FileStamp StatFile(const std::string& path) {
  FileStamp stamp;
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return stamp;
  stamp.exists = true;
  stamp.is_dir = S_ISDIR(st.st_mode);
  stamp.size = st.st_size;
  stamp.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  stamp.inode = st.st_ino;
  return stamp;
}

std::optional<std::string> HashFileContent(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  XXH3_state_t* state = XXH3_createState();
  XXH3_128bits_reset(state);
  std::vector<char> buf(1 << 16);
  bool ok = true;
  for (;;) {
    ssize_t n = read(fd, buf.data(), buf.size());
    if (n < 0) ok = false;
    if (n <= 0) break;
    XXH3_128bits_update(state, buf.data(), static_cast<size_t>(n));
  }
  close(fd);
  std::string hex = Hex128(XXH3_128bits_digest(state));
  XXH3_freeState(state);
  if (!ok) return std::nullopt;
  return hex;
}

std::string HashText(const std::string& text) { return Hex128(XXH3_128bits(text.data(), text.size())); }

}  // namespace flow::runtime
