#include "live_reload.hpp"

#include <algorithm>

#include "httpkit/request.hpp"
#include "httpkit/response_writer.hpp"

namespace httpkit::app_detail {
namespace {

// The page-side code. EventSource reconnects by itself (the stream sends retry: 500),
// so a page survives `httpkit dev` being restarted. The overlay is plain DOM, no CSS file.
constexpr std::string_view kScriptHead = R"(
<script data-httpkit-live-reload>(function () {
  var es = new EventSource(")";
constexpr std::string_view kScriptTail = R"(");
  es.addEventListener("reload", function () { location.reload(); });
  es.addEventListener("build-error", function (e) {
    var o = document.getElementById("httpkit-build-error") || document.createElement("pre");
    o.id = "httpkit-build-error";
    o.style.cssText = "position:fixed;inset:0;margin:0;padding:1em;overflow:auto;z-index:2147483647;" +
      "background:#1e1e1e;color:#f48771;font:13px/1.4 monospace;white-space:pre-wrap";
    o.textContent = "httpkit dev: build failed; still serving the previous version\n\n" + e.data;
    document.body.appendChild(o);
  });
})();</script>
)";

bool is_html(std::string_view content_type) {
  constexpr std::string_view kHtml = "text/html";
  return content_type.size() >= kHtml.size() &&
         std::equal(kHtml.begin(), kHtml.end(), content_type.begin(),
                    [](char a, char b) { return a == (b | 0x20); });
}

}  // namespace

std::string live_reload_script(std::string_view events_url) {
  std::string s(kScriptHead);
  s += events_url;  // set by the CLI: a plain http URL, no quote to escape
  s += kScriptTail;
  return s;
}

Middleware live_reload(std::string events_url) {
  return [script = live_reload_script(events_url)](Handler next) -> Handler {
    return [script, next = std::move(next)](ResponseWriter& w, Request& r) {
      next(w, r);
      const Header& h = w.header();
      if (r.method() != "HEAD" && is_html(h.get("Content-Type")) && !h.has("Content-Length")) w.write(script);
    };
  };
}

}  // namespace httpkit::app_detail
