#include "support/test_pki.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace httpkit::testing {
namespace {

void run(const std::string& cmd) {
  if (std::system((cmd + " >/dev/null 2>&1").c_str()) != 0) throw std::runtime_error("TestPki: failed: " + cmd);
}

constexpr const char* kEcKey = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";

}  // namespace

TestPki::TestPki() {
  char tmpl[] = "/tmp/httpkit-pki-XXXXXX";
  if (!::mkdtemp(tmpl)) throw std::runtime_error("TestPki: mkdtemp");
  dir_ = tmpl;
  run("openssl req -x509 " + std::string(kEcKey) + " -keyout " + path("ca.key") + " -out " + path("ca.pem") +
      " -days 1 -subj /CN=httpkit-test-ca -addext basicConstraints=critical,CA:true"
      " -addext keyUsage=critical,keyCertSign,cRLSign");
  leaf("server", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  leaf("other", "other.test", "subjectAltName=DNS:other.test\nextendedKeyUsage=serverAuth\n");
  leaf("client", "alice", "extendedKeyUsage=clientAuth\n");
  run("openssl req -x509 " + std::string(kEcKey) + " -keyout " + path("rogue.key") + " -out " + path("rogue.pem") +
      " -days 1 -subj /CN=mallory");
}

void TestPki::leaf(const std::string& name, const std::string& cn, const std::string& ext) {
  std::ofstream(path(name + ".ext")) << ext;
  run("openssl req " + std::string(kEcKey) + " -keyout " + path(name + ".key") + " -out " + path(name + ".csr") +
      " -subj /CN=" + cn);
  run("openssl x509 -req -in " + path(name + ".csr") + " -CA " + path("ca.pem") + " -CAkey " + path("ca.key") +
      " -CAcreateserial -days 1 -out " + path(name + ".pem") + " -extfile " + path(name + ".ext"));
}

TestPki::~TestPki() { std::system(("rm -rf " + dir_).c_str()); }

}  // namespace httpkit::testing
