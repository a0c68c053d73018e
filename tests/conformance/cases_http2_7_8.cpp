// Conformance cases: http2_7_8.
#include "conformance/h2conform.hpp"

namespace h2conform {}  // namespace h2conform
