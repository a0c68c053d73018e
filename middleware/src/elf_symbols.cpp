// Symbolizer: function names for PCs from the ELF symbol tables of the mapped objects
// (/proc/self/maps), so profiles need no binary at analysis time.
#include <cxxabi.h>
#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "profiler.hpp"

namespace httpkit::pprof::detail {

struct Symbolizer::Object {
  struct Func {
    std::uintptr_t addr, size;
    std::string name;  // mangled; demangled on lookup
  };
  std::string file;
  std::uintptr_t bias = 0;   // runtime address = file vaddr + bias
  std::vector<Func> funcs;   // sorted by addr
};

namespace {

std::string demangle(const std::string& mangled) {
  int status = 0;
  char* d = abi::__cxa_demangle(mangled.c_str(), nullptr, nullptr, &status);
  if (status != 0 || d == nullptr) return mangled;
  std::string out(d);
  std::free(d);
  return out;
}

// read_symbols collects STT_FUNC symbols from .symtab (or .dynsym when stripped) and
// the first PT_LOAD's vaddr, which with the map at offset 0 gives the load bias.
bool read_symbols(const char* base, std::size_t size, Symbolizer::Object& obj, std::uintptr_t& first_vaddr) {
  if (size < sizeof(Elf64_Ehdr) || std::memcmp(base, ELFMAG, SELFMAG) != 0 || base[EI_CLASS] != ELFCLASS64) return false;
  const auto* eh = reinterpret_cast<const Elf64_Ehdr*>(base);
  if (eh->e_shoff == 0 || eh->e_shoff + eh->e_shnum * sizeof(Elf64_Shdr) > size) return false;
  const auto* ph = reinterpret_cast<const Elf64_Phdr*>(base + eh->e_phoff);
  first_vaddr = 0;
  for (int i = 0; i < eh->e_phnum; ++i) {
    if (ph[i].p_type == PT_LOAD) {
      first_vaddr = ph[i].p_vaddr - ph[i].p_offset;
      break;
    }
  }
  const auto* sh = reinterpret_cast<const Elf64_Shdr*>(base + eh->e_shoff);
  const Elf64_Shdr* table = nullptr;
  for (int i = 0; i < eh->e_shnum; ++i) {
    if (sh[i].sh_type == SHT_SYMTAB) table = &sh[i];
  }
  for (int i = 0; i < eh->e_shnum && !table; ++i) {
    if (sh[i].sh_type == SHT_DYNSYM) table = &sh[i];
  }
  if (!table || table->sh_link >= eh->e_shnum) return false;
  const Elf64_Shdr& strtab = sh[table->sh_link];
  if (table->sh_offset + table->sh_size > size || strtab.sh_offset + strtab.sh_size > size) return false;
  const auto* syms = reinterpret_cast<const Elf64_Sym*>(base + table->sh_offset);
  const std::size_t count = table->sh_size / sizeof(Elf64_Sym);
  for (std::size_t i = 0; i < count; ++i) {
    const Elf64_Sym& s = syms[i];
    const int type = ELF64_ST_TYPE(s.st_info);
    if ((type != STT_FUNC && type != STT_GNU_IFUNC) || s.st_value == 0 || s.st_name >= strtab.sh_size) continue;
    obj.funcs.push_back({s.st_value, s.st_size, std::string(base + strtab.sh_offset + s.st_name)});
  }
  std::sort(obj.funcs.begin(), obj.funcs.end(), [](const auto& a, const auto& b) { return a.addr < b.addr; });
  return true;
}

std::unique_ptr<Symbolizer::Object> load_object(const std::string& file, std::uintptr_t map_start_at_offset0) {
  auto obj = std::make_unique<Symbolizer::Object>();
  obj->file = file;
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return obj;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size > 0) {
    const auto size = static_cast<std::size_t>(st.st_size);
    void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p != MAP_FAILED) {
      std::uintptr_t first_vaddr = 0;
      if (read_symbols(static_cast<const char*>(p), size, *obj, first_vaddr)) {
        obj->bias = map_start_at_offset0 - (first_vaddr & ~std::uintptr_t{0xfff});
      }
      ::munmap(p, size);
    }
  }
  ::close(fd);
  return obj;
}

}  // namespace

// The constructor reads /proc/self/maps: executable file mappings become Mappings; each
// file's symbols are loaded once, biased by where its offset-0 mapping starts.
Symbolizer::Symbolizer() {
  std::ifstream maps("/proc/self/maps");
  std::map<std::string, std::uintptr_t> base_of;  // file -> start of its offset-0 mapping
  std::vector<Mapping> exec;
  for (std::string line; std::getline(maps, line);) {
    std::istringstream in(line);
    std::string range, perms, offset, dev, inode, path;
    in >> range >> perms >> offset >> dev >> inode;
    std::getline(in >> std::ws, path);
    if (path.empty() || path[0] != '/') continue;
    const std::size_t dash = range.find('-');
    Mapping m{std::stoull(range.substr(0, dash), nullptr, 16), std::stoull(range.substr(dash + 1), nullptr, 16),
              std::stoull(offset, nullptr, 16), path};
    if (m.offset == 0 && !base_of.count(path)) base_of[path] = m.start;
    if (perms.size() > 2 && perms[2] == 'x') exec.push_back(m);
  }
  std::map<std::string, Object*> loaded;
  for (const Mapping& m : exec) {
    Object*& obj = loaded[m.file];
    if (!obj) {
      owned_.push_back(load_object(m.file, base_of.count(m.file) ? base_of[m.file] : m.start - m.offset));
      obj = owned_.back().get();
    }
    mappings_.push_back(m);
    objects_.push_back(obj);
  }
}

Symbolizer::~Symbolizer() = default;

int Symbolizer::mapping_index(std::uintptr_t pc) const noexcept {
  for (std::size_t i = 0; i < mappings_.size(); ++i) {
    if (pc >= mappings_[i].start && pc < mappings_[i].limit) return static_cast<int>(i);
  }
  return -1;
}

Symbol Symbolizer::lookup(std::uintptr_t pc) const {
  const int mi = mapping_index(pc);
  if (mi < 0) return {};
  const Object& obj = *objects_[static_cast<std::size_t>(mi)];
  const std::uintptr_t vaddr = pc - obj.bias;
  auto it = std::upper_bound(obj.funcs.begin(), obj.funcs.end(), vaddr,
                             [](std::uintptr_t a, const Object::Func& f) { return a < f.addr; });
  if (it == obj.funcs.begin()) return {"", obj.file};
  --it;
  if (it->size != 0 && vaddr >= it->addr + it->size) return {"", obj.file};
  return {demangle(it->name), obj.file};
}

}  // namespace httpkit::pprof::detail
