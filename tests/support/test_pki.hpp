// TestPki: a throw-away CA and certificates made with the openssl command, for TLS tests.
#pragma once

#include <string>

namespace httpkit::testing {

// TestPki creates, in a fresh temporary directory removed by the destructor:
//   ca.pem/ca.key            the CA
//   server.pem/server.key    CN=localhost, SAN localhost and 127.0.0.1, signed by the CA
//   other.pem/other.key      CN=other.test, SAN other.test, signed by the CA
//   client.pem/client.key    CN=alice, clientAuth, signed by the CA
//   rogue.pem/rogue.key      CN=mallory, self-signed (not trusted by the CA)
class TestPki {
 public:
  TestPki();
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;
  ~TestPki();
  std::string path(const std::string& name) const { return dir_ + "/" + name; }

 private:
  void leaf(const std::string& name, const std::string& cn, const std::string& ext);
  std::string dir_;
};

}  // namespace httpkit::testing
