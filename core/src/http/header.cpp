// Header: an ordered field list whose owned bytes live in a reusable arena.
#include "httpkit/header.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "http/common_keys.hpp"

namespace httpkit {

namespace {
// kMinBlockBytes sizes a new arena block: a typical response header (a handful of
// fields of a few dozen bytes) fits in one block, so most Headers allocate once.
constexpr std::size_t kMinBlockBytes = 512;
}  // namespace

Header::Header(std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  for (const auto& [name, value] : fields) add(name, value);
}

Header::Header(const Header& other) {
  fields_.reserve(other.fields_.size());
  for (const Field& f : other.fields_) fields_.push_back({store(f.name), store(f.value)});
}

// Moves hand over the arena; the source is left empty, owning no block.
Header::Header(Header&& other) noexcept
    : fields_(std::move(other.fields_)),
      blocks_(std::move(other.blocks_)),
      current_block_(std::exchange(other.current_block_, 0)),
      arena_next_(std::exchange(other.arena_next_, nullptr)),
      arena_end_(std::exchange(other.arena_end_, nullptr)) {
  other.fields_.clear();
  other.blocks_.clear();
}

Header& Header::operator=(Header&& other) noexcept {
  if (this != &other) {
    fields_ = std::move(other.fields_);
    blocks_ = std::move(other.blocks_);
    current_block_ = std::exchange(other.current_block_, 0);
    arena_next_ = std::exchange(other.arena_next_, nullptr);
    arena_end_ = std::exchange(other.arena_end_, nullptr);
    other.fields_.clear();
    other.blocks_.clear();
  }
  return *this;
}

Header& Header::operator=(const Header& other) {
  if (this != &other) {
    Header copy(other);
    *this = std::move(copy);
  }
  return *this;
}

std::string_view Header::get(std::string_view key) const noexcept {
  for (const Field& f : fields_) {
    if (equal_fold(f.name, key)) return f.value;
  }
  return {};
}

std::vector<std::string_view> Header::values(std::string_view key) const {
  std::vector<std::string_view> out;
  for (const Field& f : fields_) {
    if (equal_fold(f.name, key)) out.push_back(f.value);
  }
  return out;
}

bool Header::has(std::string_view key) const noexcept {
  return std::any_of(fields_.begin(), fields_.end(), [&](const Field& f) { return equal_fold(f.name, key); });
}

// set keeps the position of the first field with this key, so a rewritten field stays
// where the handler (or the client) first put it.
void Header::set(std::string_view key, std::string_view value) {
  auto first = std::find_if(fields_.begin(), fields_.end(), [&](const Field& f) { return equal_fold(f.name, key); });
  if (first == fields_.end()) {
    add(key, value);
    return;
  }
  first->value = store(value);
  auto rest = std::remove_if(first + 1, fields_.end(), [&](const Field& f) { return equal_fold(f.name, key); });
  fields_.erase(rest, fields_.end());
}

void Header::add(std::string_view key, std::string_view value) {
  std::string_view k = store_key(key);
  fields_.push_back({k, store(value)});
}

void Header::del(std::string_view key) noexcept {
  auto rest = std::remove_if(fields_.begin(), fields_.end(), [&](const Field& f) { return equal_fold(f.name, key); });
  fields_.erase(rest, fields_.end());
}

void Header::add_view(std::string_view canonical_name, std::string_view value) {
  fields_.push_back({canonical_name, value});
}

void Header::clear() noexcept {
  fields_.clear();
  current_block_ = 0;
  arena_next_ = blocks_.empty() ? nullptr : blocks_[0].data.get();
  arena_end_ = blocks_.empty() ? nullptr : arena_next_ + blocks_[0].size;
}

void Header::next_block(std::size_t n) {
  // The next block with room; blocks too small are skipped until clear().
  std::size_t i = arena_next_ == nullptr ? 0 : current_block_ + 1;
  while (i < blocks_.size() && blocks_[i].size < n) ++i;
  if (i == blocks_.size()) {
    std::size_t size = std::max(kMinBlockBytes, n);
    blocks_.push_back({std::make_unique<char[]>(size), size});
  }
  current_block_ = i;
  arena_next_ = blocks_[i].data.get();
  arena_end_ = arena_next_ + blocks_[i].size;
}

std::string_view Header::store_key(std::string_view key) {
  // Common names need neither a copy nor canonicalising: their canonical text is static.
  if (std::string_view common = detail::common_header_key(key); !common.empty()) return common;
  std::string_view k = store(key);
  // The arena copy is ours to rewrite; a non-token key stays as given (Go does too).
  canonicalize_header_key_in_place(const_cast<char*>(k.data()), k.size());
  return k;
}

}  // namespace httpkit
