// The dev loop's own sockets: the listening socket it hands to every app process, and
// a free loopback port for each process's debug listener.
#pragma once

#include <string>

namespace httpkit::cli {

// listen_tcp binds and listens on addr ("127.0.0.1:8080", ":8080"); returns the fd
// (close-on-exec) or throws std::runtime_error naming addr and the reason.
int listen_tcp(const std::string& addr);
// free_loopback_port returns a port on 127.0.0.1 that was free a moment ago.
int free_loopback_port();

}  // namespace httpkit::cli
