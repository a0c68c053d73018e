// httpkit error codes and Result<T>: errors are values (DESIGN.md section 4).
#pragma once

#include <cstddef>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

namespace httpkit {

// errc names the failures a caller may want to match, like Go's sentinel errors
// (http.ErrServerClosed, http.ErrAbortHandler, ...). System errors keep std::errc.
enum class errc {
  timeout = 1,          // a deadline passed (os.ErrDeadlineExceeded)
  canceled,             // a Context was cancelled (context.Canceled)
  deadline_exceeded,    // a Context's deadline passed (context.DeadlineExceeded)
  server_closed,        // the Server was shut down or closed (http.ErrServerClosed)
  abort_handler,        // a handler aborted on purpose (http.ErrAbortHandler)
  not_supported,        // the capability is not available (http.ErrNotSupported)
  body_too_large,       // MaxBytesReader's limit was passed (http.MaxBytesError)
  content_length,       // a write went past the declared Content-Length (http.ErrContentLength)
  body_not_allowed,     // the method or status does not allow a body (http.ErrBodyNotAllowed)
  hijacked,             // the connection was hijacked (http.ErrHijacked)
  handler_timeout,      // TimeoutHandler's limit passed (http.ErrHandlerTimeout)
  closed,               // use of a closed connection or channel (net.ErrClosed)
  eof,                  // the end of a stream (io.EOF)
  unexpected_eof,       // a stream ended early (io.ErrUnexpectedEOF)
  client_disconnected,  // the peer went away while a request was in flight
  bad_request,          // a malformed message
};

const std::error_category& error_category() noexcept;

inline std::error_code make_error_code(errc e) noexcept { return {static_cast<int>(e), error_category()}; }

// Result<T> has the interface of C++23's std::expected<T, std::error_code> so that it
// can become an alias for it once the toolchain has it.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(std::error_code ec) : v_(std::in_place_index<1>, ec) {}      // NOLINT(google-explicit-constructor)
  Result(errc e) : Result(make_error_code(e)) {}                      // NOLINT(google-explicit-constructor)

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return std::get<0>(v_); }
  const T& operator*() const& { return std::get<0>(v_); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  std::error_code error() const { return has_value() ? std::error_code{} : std::get<1>(v_); }
  template <class U>
  T value_or(U&& other) const& { return has_value() ? value() : static_cast<T>(std::forward<U>(other)); }

 private:
  std::variant<T, std::error_code> v_;
};

// IoResult is what a write or read returns: how many bytes moved and, if fewer than
// asked (or none), why. Like Go's (n int, err error): n may be > 0 with an error.
struct IoResult {
  std::size_t n = 0;
  std::error_code err;
  explicit operator bool() const noexcept { return !err; }
};

}  // namespace httpkit

template <>
struct std::is_error_code_enum<httpkit::errc> : std::true_type {};
