// Logging set-up: readable text on a terminal, JSON lines for a collector.
#pragma once

#include <memory>
#include <spdlog/logger.h>

#include "httpkit/app/config.hpp"

namespace httpkit::app_detail {

// resolve_format turns LogFormat::automatic into text or json by looking at stderr.
LogFormat resolve_format(LogFormat f);

// make_logger returns a logger named name writing to stderr in the resolved format at
// log.level. JSON lines carry time, level, logger and msg, msg escaped per RFC 8259.
std::shared_ptr<spdlog::logger> make_logger(const std::string& name, const AppConfig::LogSection& log);

}  // namespace httpkit::app_detail
