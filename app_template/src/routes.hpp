// The routes of {{name}}: one function registers them all, for the app and the tests.
#pragma once

#include <httpkit/serve_mux.hpp>

namespace {{ident}} {

// register_routes adds every route of the application to mux.
void register_routes(httpkit::ServeMux& mux);

}  // namespace {{ident}}
