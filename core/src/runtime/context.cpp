// Context: a tree of nodes. Value nodes only carry a value; cancel nodes own the
// cancellation state and are linked to the nearest cancel node above them.
#include "httpkit/context.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <vector>

#include "httpkit/cond_var.hpp"
#include "httpkit/error.hpp"
#include "httpkit/runtime.hpp"
#include "runtime/scheduler.hpp"

namespace httpkit {
namespace detail {

struct ContextNode {
  std::shared_ptr<ContextNode> parent;   // keeps ancestors (values, cancel owner) alive
  ContextNode* cancel_owner = nullptr;   // nearest cancel node (this one if cancelable)
  const void* key = nullptr;
  std::any value;
  std::optional<TimePoint> deadline;     // this node's or the nearest inherited one

  // Cancellation state of a cancel node.
  std::atomic<bool> is_done{false};
  // observed: a child, waiter or after-func was registered since the node was made or
  // renewed, so its cancellation must run even if no handle is left (end_context).
  std::atomic<bool> observed{false};
  std::mutex mu;
  std::error_code err;                                          // guarded by mu
  CondVar cv;                                                   // guarded by mu
  std::vector<std::weak_ptr<ContextNode>> children;             // guarded by mu
  std::vector<std::pair<std::uint64_t, std::function<void()>>> after;  // guarded by mu
  std::uint64_t next_after_id = 0;                              // guarded by mu
};

}  // namespace detail

namespace {

using detail::ContextNode;

void cancel(ContextNode& n, std::error_code reason) {
  std::vector<std::weak_ptr<ContextNode>> children;
  std::vector<std::pair<std::uint64_t, std::function<void()>>> after;
  {
    std::lock_guard lock(n.mu);
    if (n.err) return;
    n.err = reason ? reason : make_error_code(errc::canceled);
    n.is_done.store(true, std::memory_order_release);
    children.swap(n.children);
    after.swap(n.after);
    n.cv.notify_all();
  }
  for (auto& weak : children) {
    if (auto child = weak.lock()) cancel(*child, reason ? reason : make_error_code(errc::canceled));
  }
  for (auto& [id, fn] : after) go(std::move(fn));
}

std::error_code node_err(const ContextNode* n) {
  if (!n || !n->cancel_owner) return {};
  ContextNode& owner = *n->cancel_owner;
  if (owner.is_done.load(std::memory_order_acquire)) {
    std::lock_guard lock(owner.mu);
    return owner.err;
  }
  // The deadline timer may not have fired yet; the deadline still holds (Go's timers
  // fire late too, but Err must not report a live context past its deadline).
  if (n->deadline && Clock::now() >= *n->deadline) return errc::deadline_exceeded;
  return {};
}

// Registers child under the parent's cancel owner so that it is cancelled with it.
void link_child(const std::shared_ptr<ContextNode>& child) {
  ContextNode* owner = child->parent ? child->parent->cancel_owner : nullptr;
  if (!owner) return;
  std::error_code parent_err;
  owner->observed.store(true, std::memory_order_relaxed);
  {
    std::lock_guard lock(owner->mu);
    parent_err = owner->err;
    if (!parent_err) {
      auto& kids = owner->children;
      if (kids.size() >= 16 && (kids.size() & (kids.size() - 1)) == 0) {  // prune at powers of two
        kids.erase(std::remove_if(kids.begin(), kids.end(), [](auto& w) { return w.expired(); }), kids.end());
      }
      kids.push_back(child);
    }
  }
  if (parent_err) cancel(*child, parent_err);
}

std::shared_ptr<ContextNode> new_cancel_node(const std::shared_ptr<ContextNode>& parent) {
  auto n = std::make_shared<ContextNode>();
  n->parent = parent;
  n->cancel_owner = n.get();
  n->deadline = parent ? parent->deadline : std::nullopt;
  return n;
}

// DeadlineTimer deletes itself when it fires; it holds only a weak reference, so a
// context that ends early is not kept alive by its timer.
struct DeadlineTimer {
  rt::Timer timer;
  std::weak_ptr<ContextNode> node;
  static void fire(rt::Timer* t) noexcept {
    auto* self = static_cast<DeadlineTimer*>(t->arg);
    if (auto n = self->node.lock()) cancel(*n, errc::deadline_exceeded);
    delete self;
  }
};

void arm_deadline(const std::shared_ptr<ContextNode>& n, TimePoint t) {
  auto arm = [weak = std::weak_ptr<ContextNode>(n), t] {
    auto* dt = new DeadlineTimer{};
    dt->node = weak;
    dt->timer.fire = &DeadlineTimer::fire;
    dt->timer.arg = dt;
    rt::Scheduler::current()->arm(dt->timer, t);
  };
  if (rt::Scheduler::current()) {
    arm();
  } else {
    rt::Runtime::get().pick().post(arm);
  }
}

}  // namespace

std::error_code Context::err() const { return node_err(node_.get()); }

std::optional<TimePoint> Context::deadline() const {
  return node_ ? node_->deadline : std::nullopt;
}

const std::any* Context::value(const void* key) const {
  for (const ContextNode* n = node_.get(); n; n = n->parent.get()) {
    if (n->key == key) return &n->value;
  }
  return nullptr;
}

void Context::wait() const { wait_until(TimePoint::max()); }

bool Context::wait_until(TimePoint t) const {
  ContextNode* owner = node_ ? node_->cancel_owner : nullptr;
  if (!owner) {
    if (t != TimePoint::max()) sleep_until(t);
    return false;
  }
  TimePoint limit = t;
  if (node_->deadline) limit = std::min(limit, *node_->deadline);
  owner->observed.store(true, std::memory_order_relaxed);
  {
    std::unique_lock lock(owner->mu);
    owner->cv.wait_until(lock, limit, [&] { return static_cast<bool>(owner->err); });
  }
  return done();
}

void CancelFunc::operator()(std::error_code reason) const {
  if (node_) cancel(*node_, reason);
}

bool AfterFuncHandle::stop() {
  if (!node_) return false;
  ContextNode* owner = node_->cancel_owner;
  std::lock_guard lock(owner->mu);
  auto& after = owner->after;
  auto it = std::find_if(after.begin(), after.end(), [&](auto& p) { return p.first == id_; });
  if (it == after.end()) return false;
  after.erase(it);
  return true;
}

std::pair<Context, CancelFunc> with_cancel(const Context& parent) {
  auto n = new_cancel_node(parent.node_);
  link_child(n);
  return {Context(n), CancelFunc(n)};
}

std::pair<Context, CancelFunc> with_deadline(const Context& parent, TimePoint t) {
  if (parent.deadline() && *parent.deadline() <= t) return with_cancel(parent);  // the parent ends first
  auto n = new_cancel_node(parent.node_);
  n->deadline = t;
  link_child(n);
  if (!n->err) arm_deadline(n, t);
  return {Context(n), CancelFunc(n)};
}

Context with_value(const Context& parent, const void* key, std::any value) {
  auto n = std::make_shared<ContextNode>();
  n->parent = parent.node_;
  n->key = key;
  n->value = std::move(value);
  n->deadline = parent.node_ ? parent.node_->deadline : std::nullopt;
  n->cancel_owner = parent.node_ ? parent.node_->cancel_owner : nullptr;
  return Context(n);
}

Context without_cancel(const Context& parent) {
  auto n = std::make_shared<ContextNode>();
  n->parent = parent.node_;
  return Context(n);  // no cancel owner, no deadline: never done
}

namespace detail {

bool renew_context(Context& ctx, CancelFunc& cancel) noexcept {
  ContextNode* n = ctx.node_.get();
  if (!n || cancel.node_.get() != n || ctx.node_.use_count() != 2 || n->cancel_owner != n) return false;
  if (n->deadline && (!n->parent || n->parent->deadline != n->deadline)) return false;  // its own timer
  if (node_err(n->parent.get())) return false;
  // Never cancelled (end_context saw nobody watching): live as it is. A parent's cancel
  // racing with this still reaches it, through the parent's list of children.
  if (!n->is_done.load(std::memory_order_acquire)) return true;
  std::lock_guard lock(n->mu);
  if (!n->err) return true;
  n->err.clear();
  n->is_done.store(false, std::memory_order_release);
  n->observed.store(false, std::memory_order_relaxed);
  n->children.clear();
  n->after.clear();
  return true;  // still on its parent's list of children (cancel does not unlink)
}

void end_context(Context& ctx, CancelFunc& cancel, std::error_code reason) {
  ContextNode* n = ctx.node_.get();
  // Only ctx and cancel hold the node and nothing ever registered on it: no one can see
  // the cancellation, and skipping it spares two lock round trips per request. The
  // observed flag is set before any registration takes the lock; registering later
  // needs a handle (counted) or a reference kept past the handler's return to a request
  // that is no longer its own (decision 0051).
  if (n && cancel.node_.get() == n && ctx.node_.use_count() == 2 &&
      !n->observed.load(std::memory_order_acquire)) {
    return;
  }
  cancel(reason);
}

}  // namespace detail

AfterFuncHandle after_func(const Context& ctx, std::function<void()> fn) {
  AfterFuncHandle h;
  ContextNode* owner = ctx.node_ ? ctx.node_->cancel_owner : nullptr;
  if (!owner) return h;  // never cancelled: fn never runs
  owner->observed.store(true, std::memory_order_relaxed);
  {
    std::lock_guard lock(owner->mu);
    if (!owner->err) {
      h.node_ = ctx.node_;
      h.id_ = ++owner->next_after_id;
      owner->after.emplace_back(h.id_, std::move(fn));
      return h;
    }
  }
  go(std::move(fn));
  return h;
}

}  // namespace httpkit
