# Sources of core/src/net.
