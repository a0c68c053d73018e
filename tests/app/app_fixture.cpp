// app_fixture: a small App for the life-cycle tests: GET /fast, GET /slow (1.5 s, in
// flight when SIGTERM arrives), GET /proto (how the request came: "HTTP/2.0 tls").
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
    mux.handle_func("GET /proto", [](httpkit::ResponseWriter& w, httpkit::Request& r) {
      w.write(std::string(r.proto()) + (r.tls() ? " tls" : " plain"));
    });
  });
  return app.run();
}
