// HTTP status codes and their reason phrases (RFC 9110 section 15).
#pragma once

#include <string_view>

namespace httpkit {

// status_text returns the reason phrase for code ("Not Found"), or "" if unknown.
std::string_view status_text(int code) noexcept;

// Status codes a handler commonly names; any int in 100..999 is a valid status.
inline constexpr int kStatusContinue = 100;
inline constexpr int kStatusSwitchingProtocols = 101;
inline constexpr int kStatusEarlyHints = 103;
inline constexpr int kStatusOK = 200;
inline constexpr int kStatusCreated = 201;
inline constexpr int kStatusAccepted = 202;
inline constexpr int kStatusNoContent = 204;
inline constexpr int kStatusMovedPermanently = 301;
inline constexpr int kStatusFound = 302;
inline constexpr int kStatusSeeOther = 303;
inline constexpr int kStatusNotModified = 304;
inline constexpr int kStatusTemporaryRedirect = 307;
inline constexpr int kStatusPermanentRedirect = 308;
inline constexpr int kStatusBadRequest = 400;
inline constexpr int kStatusUnauthorized = 401;
inline constexpr int kStatusForbidden = 403;
inline constexpr int kStatusNotFound = 404;
inline constexpr int kStatusMethodNotAllowed = 405;
inline constexpr int kStatusRequestTimeout = 408;
inline constexpr int kStatusConflict = 409;
inline constexpr int kStatusLengthRequired = 411;
inline constexpr int kStatusRequestEntityTooLarge = 413;
inline constexpr int kStatusRequestURITooLong = 414;
inline constexpr int kStatusExpectationFailed = 417;
inline constexpr int kStatusUnprocessableEntity = 422;
inline constexpr int kStatusRequestHeaderFieldsTooLarge = 431;
inline constexpr int kStatusInternalServerError = 500;
inline constexpr int kStatusNotImplemented = 501;
inline constexpr int kStatusBadGateway = 502;
inline constexpr int kStatusServiceUnavailable = 503;
inline constexpr int kStatusGatewayTimeout = 504;
inline constexpr int kStatusHTTPVersionNotSupported = 505;

// body_allowed_for_status reports whether a response with this status may carry a
// body (not 1xx, 204 or 304: RFC 9110 sections 15.2, 15.3.5, 15.4.5).
constexpr bool body_allowed_for_status(int code) noexcept {
  return !((code >= 100 && code <= 199) || code == 204 || code == 304);
}

}  // namespace httpkit
