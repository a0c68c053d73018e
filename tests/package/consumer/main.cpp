// A consumer of the installed package: serves one request through the umbrella header.
#include <iostream>

#include <httpkit/httpkit.hpp>
#include <httpkit/test/request.hpp>
#include <httpkit/test/response_recorder.hpp>

int main() {
  httpkit::ServeMux mux;
  mux.handle_func("GET /hello/{who}", [](httpkit::ResponseWriter& w, httpkit::Request& r) {
    w.write("hello from " + std::string(r.path_value("who")));
  });
  httpkit::test::ResponseRecorder rec;
  auto req = httpkit::test::new_request("GET", "/hello/find_package");
  mux(rec, req);
  std::cout << "consumer: " << rec.code() << " " << rec.body() << "\n";
  return rec.code() == 200 ? 0 : 1;
}
