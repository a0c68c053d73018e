// app_fixture: a small App for the life-cycle tests: GET /fast, and GET /slow which
// takes 1.5 s, long enough to be in flight when SIGTERM arrives.
#include <chrono>

#include <httpkit/app.hpp>
#include <httpkit/httpkit.hpp>

int main(int argc, char** argv) {
  httpkit::App app(argc, argv);
  app.routes([](httpkit::ServeMux& mux) {
    mux.handle_func("GET /fast", [](httpkit::ResponseWriter& w, httpkit::Request&) { w.write("fast"); });
    mux.handle_func("GET /slow", [](httpkit::ResponseWriter& w, httpkit::Request&) {
      httpkit::sleep_for(std::chrono::milliseconds(1500));
      w.write("slow done");
    });
  });
  return app.run();
}
