module httpkit.test/muxoracle

go 1.23
