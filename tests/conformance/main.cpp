// h2conform [--port N] [--tls] [--authority-host H] [--path P] [--timeout MS]
//           [--max-header-len N] [--list] [CASE-ID-PREFIX...]
//
// Runs the conformance cases against the server on 127.0.0.1:PORT, h2c by prior
// knowledge or, with --tls, TLS with ALPN h2 (the certificate is not verified). Prints
// each case as passed (✔), failed (×, with what was expected and what came) or
// skipped, then a summary; exits 1 when a case failed. Prefixes such as "http2/6"
// (every 6.x group), "http2/6.9.1" or "http2/6.9.1/2" run only the matching cases.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <stdexcept>

#include "conformance/h2conform.hpp"

namespace {

bool selected(const std::vector<std::string>& prefixes, const std::string& id) {
  if (prefixes.empty()) return true;
  for (const auto& p : prefixes) {
    if (id.compare(0, p.size(), p) != 0) continue;
    // "http2/6" selects http2/6.1 and http2/6/..., not http2/60.
    if (id.size() == p.size() || id[p.size()] == '/' || id[p.size()] == '.' || p.back() == '/') return true;
  }
  return false;
}

int usage() {
  std::cerr << "usage: h2conform --port N [--tls] [--authority-host H] [--path P] [--timeout MS]"
               " [--max-header-len N] [--list] [CASE-ID-PREFIX...]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // A write to a server that already closed must fail, not end the run: OpenSSL writes
  // TLS records (and alerts) with plain write(), which raises SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  h2conform::Config config;
  bool list = false;
  std::vector<std::string> prefixes;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--tls") {
      config.tls = true;
    } else if (arg == "--list") {
      list = true;
    } else if (arg == "--port" && has_value) {
      config.port = std::atoi(argv[++i]);
    } else if (arg == "--authority-host" && has_value) {
      config.host = argv[++i];
    } else if (arg == "--path" && has_value) {
      config.path = argv[++i];
    } else if (arg == "--timeout" && has_value) {
      config.timeout = std::chrono::milliseconds(std::atoi(argv[++i]));
    } else if (arg == "--max-header-len" && has_value) {
      config.max_header_len = static_cast<std::size_t>(std::atoi(argv[++i]));
    } else if (!arg.empty() && arg[0] != '-') {
      prefixes.push_back(arg);
    } else {
      return usage();
    }
  }
  if (!list && config.port <= 0) return usage();

  int passed = 0, failed = 0, skipped = 0;
  std::vector<std::string> failures;
  for (const h2conform::Group* g : h2conform::all_groups()) {
    bool header = false;
    for (std::size_t i = 0; i < g->cases.size(); ++i) {
      const h2conform::Case& c = g->cases[i];
      const std::string id = g->id + "/" + std::to_string(i + 1);
      if (!selected(prefixes, id)) continue;
      if (!header) {
        std::cout << g->id << ". " << g->title << "\n";
        header = true;
      }
      if (list) {
        std::cout << "  " << id << " " << c.desc << "\n";
        continue;
      }
      try {
        h2conform::Conn conn(config);
        c.run(config, conn);
        ++passed;
        std::cout << "  \u2714 " << i + 1 << ": " << c.desc << "\n";
      } catch (const h2conform::Skipped&) {
        ++skipped;
        std::cout << "  - " << i + 1 << ": " << c.desc << " (skipped)\n";
      } catch (const h2conform::Failure& f) {
        ++failed;
        failures.push_back(id + " " + c.desc);
        std::cout << "  \u00d7 " << i + 1 << ": " << c.desc << "\n    -> " << c.requirement << "\n";
        for (std::size_t k = 0; k < f.expected.size(); ++k) {
          std::cout << (k == 0 ? "       Expected: " : "                 ") << f.expected[k] << "\n";
        }
        std::cout << "         Actual: " << f.actual << "\n";
      } catch (const std::exception& e) {
        ++failed;
        failures.push_back(id + " " + c.desc);
        std::cout << "  \u00d7 " << i + 1 << ": " << c.desc << "\n    Error: " << e.what() << "\n";
      }
    }
  }
  if (list) return 0;
  std::cout << "\n" << passed + failed + skipped << " tests, " << passed << " passed, " << skipped << " skipped, "
            << failed << " failed\n";
  for (const auto& f : failures) std::cout << "  failed: " << f << "\n";
  return failed == 0 ? 0 : 1;
}
