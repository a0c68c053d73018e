// The umbrella header: everything a httpkit application uses.
#pragma once

#include "httpkit/body.hpp"
#include "httpkit/channel.hpp"
#include "httpkit/cond_var.hpp"
#include "httpkit/conn.hpp"
#include "httpkit/context.hpp"
#include "httpkit/error.hpp"
#include "httpkit/event.hpp"
#include "httpkit/handler.hpp"
#include "httpkit/header.hpp"
#include "httpkit/http_date.hpp"
#include "httpkit/listener.hpp"
#include "httpkit/mutex.hpp"
#include "httpkit/request.hpp"
#include "httpkit/response_writer.hpp"
#include "httpkit/runtime.hpp"
#include "httpkit/server.hpp"
#include "httpkit/sniff.hpp"
#include "httpkit/status.hpp"
#include "httpkit/url.hpp"
#include "httpkit/wait_group.hpp"
#if __has_include("httpkit/serve_mux.hpp")
#include "httpkit/serve_mux.hpp"
#endif
