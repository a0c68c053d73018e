// {{name}}: an httpkit application. Run it with `httpkit dev`, or build it and run
// ./build/dev/{{name}} --addr 127.0.0.1:{{port}} (see --help for every flag).
#include <httpkit/app.hpp>

#include "routes.hpp"

int main(int argc, char** argv) {
  httpkit::App app(argc, argv);
  app.routes({{ident}}::register_routes);
  return app.run();
}
