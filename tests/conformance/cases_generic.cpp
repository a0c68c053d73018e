// Conformance cases: generic.
#include "conformance/h2conform.hpp"

namespace h2conform {}  // namespace h2conform
