#include "cli/cli_io.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "sieve/spec/error.hpp"
#include "sieve/spec/load.hpp"

namespace sieve::cli {

spec::Spec LoadInputs(const std::vector<std::string>& files) {
  for (const std::string& f : files) {
    if (!std::filesystem::is_regular_file(f) && !std::filesystem::is_directory(f)) {
      throw spec::SpecError(spec::SourceLoc{f, 0, ""}, "no such input file or design directory");
    }
  }
  spec::Spec spec = spec::LoadSpec(files);
  for (const std::string& w : spec.warnings) spdlog::warn("{}", w);
  return spec;
}

std::vector<std::string> BypassedSparseTargets(const spec::Spec& spec) {
  std::vector<std::string> out;
  if (!spec.mapping) return out;
  for (const spec::SparseTarget& t : spec.sparse.targets) {
    const int level = spec.arch.LevelIndex(t.level);
    if (level < 0) continue;  // the compute level keeps nothing to bypass
    const std::vector<bool>& keep = spec.mapping->levels[level].keep;
    auto bypassed = [&](const std::string& ds) {
      const int i = spec.workload.DataSpaceIndex(ds);
      return i >= 0 && !keep[i];
    };
    for (const spec::DataSpaceFormat& f : t.formats) {
      if (bypassed(f.data_space))
        out.push_back(spec::FormatLoc(f.loc) + ": representation_format for '" + f.data_space + "' at '" +
                      t.level + "' is unused: the mapping bypasses " + f.data_space + " at that level");
    }
    for (const spec::ActionOptimization& a : t.actions) {
      if (bypassed(a.target))
        out.push_back(spec::FormatLoc(a.loc) + ": " + a.type + " of '" + a.target + "' at '" + t.level +
                      "', which the mapping bypasses: it applies at the next level up that keeps " +
                      a.target + ", if any");
    }
  }
  return out;
}

void WriteTextFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

void CheckOutputFile(const std::string& path, const std::string& flag) {
  namespace fs = std::filesystem;
  const std::string where = flag + " " + path + ": ";
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);  // follows symlinks
  if (fs::exists(st) && !fs::is_regular_file(st)) {
    const char* what = fs::is_directory(st) ? "a folder" : "not a regular file (a device, pipe or socket)";
    throw spec::SpecError(where + "exists and is " + std::string(what) +
                          "; give the path of a results file (it is replaced by a new one)");
  }
  fs::path folder = fs::path(path).parent_path();
  if (folder.empty()) folder = ".";
  if (!fs::is_directory(folder, ec)) {
    throw spec::SpecError(where + "folder '" + folder.string() + "' does not exist");
  }
  if (::access(folder.c_str(), W_OK | X_OK) != 0) {
    throw spec::SpecError(where + "folder '" + folder.string() + "' is not writable (" +
                          std::strerror(errno) + ")");
  }
}

namespace {

std::string ReadHolder(int fd) {
  char buf[64] = {};
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  std::string text = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

OutputLock::OutputLock(const std::string& path, const std::string& flag) : lock_path_(path + ".lock") {
  const std::string where = flag + " " + path + ": ";
  // The previous holder unlinks PATH.lock when done; if that happened
  // between our open and flock, we hold a lock on a removed file: retry.
  for (int attempt = 0; attempt < 16; ++attempt) {
    const int fd = ::open(lock_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      throw spec::SpecError(where + "cannot create the lock file '" + lock_path_ + "' (" +
                            std::strerror(errno) + ")");
    }
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      const std::string holder = ReadHolder(fd);
      ::close(fd);
      if (err == EWOULDBLOCK) {
        throw spec::SpecError(where + "another sieve search" +
                              (holder.empty() ? "" : " (pid " + holder + ")") +
                              " is writing this output (lock '" + lock_path_ +
                              "'); wait for it to end or give another -o");
      }
      throw spec::SpecError(where + "cannot lock '" + lock_path_ + "' (" + std::strerror(err) + ")");
    }
    struct stat by_fd {}, by_path {};
    if (::fstat(fd, &by_fd) == 0 && ::stat(lock_path_.c_str(), &by_path) == 0 &&
        by_fd.st_dev == by_path.st_dev && by_fd.st_ino == by_path.st_ino) {
      const std::string stale = ReadHolder(fd);
      if (!stale.empty()) {
        spdlog::info("{}: taking over the lock left by pid {}, which no longer holds it", lock_path_, stale);
      }
      const std::string pid = std::to_string(::getpid()) + "\n";
      if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
        // The lock itself is held; the pid is only for the message.
      }
      fd_ = fd;
      return;
    }
    ::close(fd);
  }
  throw spec::SpecError(where + "cannot take the lock '" + lock_path_ + "' (it keeps being replaced)");
}

OutputLock::~OutputLock() {
  if (fd_ < 0) return;
  ::unlink(lock_path_.c_str());  // while still holding it, so no one locks a removed file for good
  ::close(fd_);
}

}  // namespace sieve::cli
