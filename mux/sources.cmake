# Sources of httpkit_mux, one concept per file as Go's routing (pattern, routing_tree,
# routing_index, mapping) plus the mux itself, route groups and strip_prefix.
set(HTTPKIT_MUX_SOURCES
  src/text.cpp
  src/sanitize.cpp
  src/pattern.cpp
  src/pattern_compare.cpp
  src/request_path.cpp
  src/routing_tree.cpp
  src/routing_index.cpp
  src/static_routes.cpp
  src/mux_lookup.cpp
  src/serve_mux.cpp
  src/route_group.cpp
  src/strip_prefix.cpp
)
