module httpkit.bench/gopeer

go 1.19
