// Go net/http HTTP/2 peer over TLS (Go 1.23 serves h2c only through golang.org/x/net,
// which is not available offline). One scheduler thread, as the other servers.
package main

import (
	"flag"
	"log"
	"net/http"
	"runtime"
	"strconv"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8443", "listen address")
	cert := flag.String("cert", "cert.pem", "certificate")
	key := flag.String("key", "key.pem", "private key")
	flag.Parse()
	runtime.GOMAXPROCS(1)

	hello := []byte("Hello, World!")
	zeros := make([]byte, 256<<10)
	mux := http.NewServeMux()
	mux.HandleFunc("/plaintext", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(hello)
	})
	mux.HandleFunc("/download", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.ParseInt(r.URL.Query().Get("bytes"), 10, 64)
		w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
		for n > 0 {
			c := int64(len(zeros))
			if n < c {
				c = n
			}
			if _, err := w.Write(zeros[:c]); err != nil {
				return
			}
			n -= c
		}
	})
	log.Fatal(http.ListenAndServeTLS(*addr, *cert, *key, mux))
}
