# Sources of core/src/test.
