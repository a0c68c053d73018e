// Conformance cases: http2_6.
#include "conformance/h2conform.hpp"

namespace h2conform {}  // namespace h2conform
