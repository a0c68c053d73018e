// httpkit: scaffold, build, test and hot-reload httpkit applications.
#include <iostream>

#include "commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"httpkit: scaffold, build, test and hot-reload httpkit applications"};
  app.require_subcommand(1);
  httpkit::cli::add_new_command(app);
  httpkit::cli::add_dev_command(app);
  httpkit::cli::add_build_command(app);
  httpkit::cli::add_test_command(app);
  httpkit::cli::add_routes_command(app);
  httpkit::cli::add_version_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const httpkit::cli::CommandExit& e) {
    return e.status;
  } catch (const std::exception& e) {
    std::cerr << "httpkit: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
