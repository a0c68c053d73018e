# Sources of core/src/http1.
