// The in-memory IdempotencyStore: a map with expiry and an insertion-ordered bound.
#include <deque>
#include <mutex>
#include <unordered_map>

#include "httpkit/middleware/idempotency.hpp"

namespace httpkit::middleware {
namespace {

class MemoryStore final : public IdempotencyStore {
 public:
  MemoryStore(Duration ttl, std::size_t max_entries) : ttl_(ttl), max_entries_(max_entries) {}

  Begin begin(const std::string& key, const std::string& fingerprint) override {
    std::lock_guard lock(mu_);
    expire_locked(Clock::now());
    auto [it, inserted] = entries_.try_emplace(key);
    Entry& e = it->second;
    if (inserted) {
      e.fingerprint = fingerprint;
      e.expires = Clock::now() + ttl_;
      order_.push_back(key);
      return {State::started, {}};
    }
    if (e.fingerprint != fingerprint) return {State::mismatch, {}};
    if (!e.done) return {State::in_flight, {}};
    return {State::done, e.response};
  }

  void complete(const std::string& key, StoredResponse response) override {
    std::lock_guard lock(mu_);
    if (auto it = entries_.find(key); it != entries_.end()) {
      it->second.done = true;
      it->second.response = std::move(response);
      it->second.expires = Clock::now() + ttl_;
    }
  }

  void abandon(const std::string& key) override {
    std::lock_guard lock(mu_);
    entries_.erase(key);  // its order_ slot is skipped when it comes up
  }

 private:
  struct Entry {
    std::string fingerprint;
    bool done = false;
    StoredResponse response;
    TimePoint expires;
  };

  // expire_locked drops expired entries from the front of the insertion order and the
  // oldest ones beyond max_entries_. An entry's expiry only moves later, so the front is
  // the oldest; a stale order_ key (abandoned, or re-created later) is skipped.
  void expire_locked(TimePoint now) {
    while (!order_.empty()) {
      auto it = entries_.find(order_.front());
      const bool stale = it == entries_.end();
      const bool drop = !stale && (it->second.expires <= now || entries_.size() >= max_entries_);
      if (!stale && !drop) break;
      if (drop) entries_.erase(it);
      order_.pop_front();
    }
  }

  Duration ttl_;
  std::size_t max_entries_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;  // guarded by mu_
  std::deque<std::string> order_;                   // guarded by mu_; keys by first use
};

}  // namespace

std::shared_ptr<IdempotencyStore> memory_idempotency_store(Duration ttl, std::size_t max_entries) {
  return std::make_shared<MemoryStore>(ttl, max_entries);
}

}  // namespace httpkit::middleware
