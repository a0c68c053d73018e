module httpkit.bench/http2peer

go 1.23
