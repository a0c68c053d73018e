module httpkit.bench/muxbench

go 1.23
