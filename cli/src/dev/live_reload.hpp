// LiveReload: the server half of `httpkit dev`'s browser live reload (decision 0044).
// A small server-sent-events endpoint owned by the dev loop, on its own loopback port,
// so that it outlives every version of the app; the app injects the page script.
#pragma once

#include <poll.h>

#include <string>
#include <string_view>
#include <vector>

namespace httpkit::cli {

class LiveReload {
 public:
  // kPath is the one path served; anything else gets 404.
  static constexpr std::string_view kPath = "/__httpkit/live";

  // Listens on 127.0.0.1 at a free port (throws std::runtime_error when it cannot).
  LiveReload();
  LiveReload(const LiveReload&) = delete;
  LiveReload& operator=(const LiveReload&) = delete;
  ~LiveReload();

  // url is what the app puts in its pages: http://127.0.0.1:PORT/__httpkit/live.
  const std::string& url() const noexcept { return url_; }

  // add_poll_fds appends the listening socket and every client to fds; handle_poll
  // then takes the same fds from offset first on: accepts, answers requests, drops
  // clients that left. Single-threaded, like the rest of the dev loop.
  void add_poll_fds(std::vector<pollfd>& fds) const;
  void handle_poll(const std::vector<pollfd>& fds, std::size_t first);

  // building tells pages a rebuild started ("building"); reload that a new version
  // is ready and serving (sent only after its /readyz said 200); build_error that the
  // build failed, with the compiler's summary as data. The last error is replayed to
  // pages that connect while the build is still broken.
  void building(std::string_view what);
  void reload();
  void build_error(std::string_view message);

 private:
  struct Client {
    int fd = -1;
    std::string request;    // bytes of the request head read so far
    bool streaming = false;  // head answered, events flow
  };

  void accept_clients();
  bool read_request(Client& c);  // false when the client is done with
  void broadcast(std::string_view event, std::string_view data);
  static bool send_all(int fd, std::string_view bytes);

  int listen_fd_ = -1;
  std::string url_;
  std::vector<Client> clients_;
  std::string last_error_;  // non-empty while the latest build is broken
};

// sse_event formats one server-sent event: each line of data gets its own "data:"
// field, as the format requires (WHATWG HTML 9.2.6), so a multi-line compiler message
// arrives whole.
std::string sse_event(std::string_view event, std::string_view data);

}  // namespace httpkit::cli
