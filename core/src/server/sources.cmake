# Sources of core/src/server.
