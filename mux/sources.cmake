add_library(httpkit_mux INTERFACE)
