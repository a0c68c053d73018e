// live_reload: the browser half of `httpkit dev`'s live reload (docs/decisions/0044).
#pragma once

#include <string>
#include <string_view>

#include "httpkit/handler.hpp"

namespace httpkit::app_detail {

// kLiveReloadEnv names the variable `httpkit dev` sets to its event stream's URL
// (http://127.0.0.1:PORT/__httpkit/live). Unset or empty outside the dev loop, and
// then nothing is injected.
inline constexpr const char* kLiveReloadEnv = "HTTPKIT_LIVE_RELOAD_URL";

// live_reload_script is the <script> appended to HTML pages: it listens to events_url
// and reloads the page on "reload", shows the compiler's message on "build-error".
std::string live_reload_script(std::string_view events_url);

// live_reload appends live_reload_script(events_url) to every text/html response whose
// handler set no Content-Length (a fixed length cannot grow), except HEAD responses.
// It writes after the handler returns, through the same writer, so nothing is buffered
// and streaming handlers (ResponseController::flush) are untouched. Browsers run a
// script found after </html>: HTML's "after after body" insertion mode moves it into body.
Middleware live_reload(std::string events_url);

}  // namespace httpkit::app_detail
