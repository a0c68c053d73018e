#include "routing_tree.hpp"

#include <algorithm>

#include "text.hpp"

namespace httpkit::mux_detail {

void RoutingNode::add_route(const Route& r) {
  const Pattern& p = *r.pattern;
  add_child(p.host)->add_child(p.method)->add_segments(p.segments, 0, r);
}

void RoutingNode::add_segments(const std::vector<Segment>& segs, std::size_t i, const Route& r) {
  if (i == segs.size()) {
    route_ = &r;
    return;
  }
  const Segment& seg = segs[i];
  if (seg.multi) {  // always last (the parser guarantees it)
    multi_child_ = std::make_unique<RoutingNode>();
    multi_child_->route_ = &r;
  } else {
    RoutingNode* c = seg.wild ? add_child("") : add_literal(seg.s);
    c->add_segments(segs, i + 1, r);
  }
}

RoutingNode* RoutingNode::add_child(std::string_view key) {
  if (key.empty()) {
    if (!empty_child_) empty_child_ = std::make_unique<RoutingNode>();
    return empty_child_.get();
  }
  if (RoutingNode* c = children_.find(key)) return c;
  return children_.add(key, std::make_unique<RoutingNode>());
}

// add_literal keys an empty literal segment ("//" in a pattern) apart from the
// wildcard child. Go shares one child for both, which binds a wildcard to an empty
// segment without recording its value (go.dev/issue/81222).
RoutingNode* RoutingNode::add_literal(std::string_view seg) {
  if (!seg.empty()) return add_child(seg);
  if (!empty_literal_) empty_literal_ = std::make_unique<RoutingNode>();
  return empty_literal_.get();
}

const Route* RoutingNode::match(std::string_view host, std::string_view method, RequestPath& path,
                                Matches& m) const {
  if (!host.empty()) {
    // A pattern with this host wins; if none matches, fall through to host-less ones.
    if (const RoutingNode* h = find_child(host)) {
      if (const Route* r = h->match_method_and_path(method, path, m)) return r;
    }
  }
  const RoutingNode* any = empty_child_.get();
  return any ? any->match_method_and_path(method, path, m) : nullptr;
}

const Route* RoutingNode::match_method_and_path(std::string_view method, RequestPath& path, Matches& m) const {
  if (const RoutingNode* c = find_child(method)) {
    if (const Route* r = c->match_path(path, 0, m)) return r;
  }
  if (method == "HEAD") {  // GET matches HEAD too
    if (const RoutingNode* c = find_child("GET")) {
      if (const Route* r = c->match_path(path, 0, m)) return r;
    }
  }
  // No exact method match: patterns without a method.
  return empty_child_ ? empty_child_->match_path(path, 0, m) : nullptr;
}

const Route* RoutingNode::match_path(RequestPath& path, std::size_t i, Matches& m) const {
  // At the end of the path, only a leaf matches.
  if (i == path.size()) return route_;
  std::string_view seg = path[i].value;
  const std::size_t mark = m.size();
  // A literal here is more specific than a wildcard (conflicts were ruled out at
  // registration), so try it first.
  if (const RoutingNode* c = find_literal(seg)) {
    if (const Route* r = c->match_path(path, i + 1, m)) return r;
    m.truncate(mark);
  }
  // Then a single wildcard, which never matches a trailing slash.
  if (seg != "/" && empty_child_) {
    m.push(seg);
    if (const Route* r = empty_child_->match_path(path, i + 1, m)) return r;
    m.truncate(mark);
  }
  // Last, the (only) "..." wildcard takes the rest of the path; an anonymous one
  // (a trailing slash in the pattern) records no value.
  if (multi_child_) {
    if (!multi_child_->route_->pattern->last_segment().s.empty()) m.push(path.rest_value(i));
    return multi_child_->route_;
  }
  return nullptr;
}

void RoutingNode::matching_methods(std::string_view host, RequestPath& path, std::set<std::string>& out) const {
  if (!host.empty()) {
    if (const RoutingNode* h = find_child(host)) h->matching_methods_path(path, out);
  }
  if (empty_child_) empty_child_->matching_methods_path(path, out);
  if (out.count("GET")) out.insert("HEAD");
}

void RoutingNode::matching_methods_path(RequestPath& path, std::set<std::string>& out) const {
  // The method-less child is skipped: it would have matched any method already.
  children_.each_pair([&](std::string_view method, const RoutingNode& c) {
    Matches m;
    if (c.match_path(path, 0, m)) out.insert(std::string(method));
  });
}

std::string RoutingNode::dump() const {
  std::string out;
  dump(out, 0);
  return out;
}

void RoutingNode::dump(std::string& out, int level) const {
  const std::string indent(static_cast<std::size_t>(level) * 4, ' ');
  if (route_) out += indent + go_quote(route_->pattern->str) + "\n";
  if (empty_child_) {
    out += indent + "\"\":\n";
    empty_child_->dump(out, level + 1);
  }
  if (empty_literal_) {
    out += indent + "EMPTY:\n";
    empty_literal_->dump(out, level + 1);
  }
  std::vector<std::pair<std::string_view, const RoutingNode*>> kids;
  children_.each_pair([&](std::string_view k, const RoutingNode& c) { kids.emplace_back(k, &c); });
  std::sort(kids.begin(), kids.end());
  for (const auto& [k, c] : kids) {
    out += indent + go_quote(k) + ":\n";
    c->dump(out, level + 1);
  }
  if (multi_child_) {
    out += indent + "MULTI:\n";
    multi_child_->dump(out, level + 1);
  }
}

}  // namespace httpkit::mux_detail
