// idempotency: Stripe-style Idempotency-Key for unsafe methods, so that a client may
// retry a POST without doing it twice (draft-ietf-httpapi-idempotency-key-header).
//
// Place it inside recover, the logging middleware and max_bytes (it reads the body),
// and around the handlers that change state:
//   chain(h, {recover(), request_id(), access_log(o), max_bytes(1 << 20), idempotency()})
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "httpkit/context.hpp"
#include "httpkit/handler.hpp"

namespace httpkit::middleware {

// StoredResponse is a response kept for replay.
struct StoredResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> header;
  std::string body;
};

// IdempotencyStore keeps one entry per key. Implementations must be thread-safe;
// calls are short and must not park for long (a database store should use
// run_blocking). The in-memory default is memory_idempotency_store().
class IdempotencyStore {
 public:
  enum class State { started, in_flight, done, mismatch };
  struct Begin {
    State state;
    StoredResponse response;  // for done
  };
  virtual ~IdempotencyStore() = default;
  // begin claims key for a request with this fingerprint: started (the caller runs
  // the handler), in_flight (another request holds it), done (replay response), or
  // mismatch (the key was used with a different request).
  virtual Begin begin(const std::string& key, const std::string& fingerprint) = 0;
  // complete stores the response of a started key for ttl.
  virtual void complete(const std::string& key, StoredResponse response) = 0;
  // abandon frees a started key (the handler failed): a retry runs again.
  virtual void abandon(const std::string& key) = 0;
};

// memory_idempotency_store keeps entries in memory for ttl, at most max_entries
// (the oldest are dropped first).
std::shared_ptr<IdempotencyStore> memory_idempotency_store(Duration ttl = std::chrono::hours(24),
                                                           std::size_t max_entries = 100'000);

// IdempotencyOptions. wait: how long a retry waits for the first request with the same
// key to finish before it gets 409 Conflict (0: answer 409 at once). max_body: request
// bodies (and stored responses) above this are not handled: the request gets 413
// (response: not stored, so a retry runs again).
struct IdempotencyOptions {
  std::shared_ptr<IdempotencyStore> store;  // default: memory_idempotency_store()
  Duration wait = std::chrono::seconds(0);
  std::size_t max_body = 1 << 20;
};

// idempotency: for POST, PUT, PATCH and DELETE with an Idempotency-Key header (1 to
// 255 characters), the first response for the key is stored and replayed to retries
// with "Idempotent-Replayed: true"; a retry while the first still runs waits up to
// options.wait, then gets 409; the same key with another method, path or body gets 422.
// A handler that throws or hijacks leaves the key free. Other requests pass through.
Middleware idempotency(IdempotencyOptions options = {});

}  // namespace httpkit::middleware
