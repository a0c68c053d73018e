# Sources of core/src/http.
