// Go net/http peer: the contract httpkit copies, on one scheduler thread.
// GOMAXPROCS is forced to 1 here (not only by the environment) so the run
// cannot silently use both cores.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"runtime"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "listen address")
	flag.Parse()
	runtime.GOMAXPROCS(1)

	hello := []byte("Hello, World!")
	mux := http.NewServeMux()
	mux.HandleFunc("/plaintext", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(hello)
	})
	mux.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]string{"message": "Hello, World!"})
	})
	log.Fatal(http.ListenAndServe(*addr, mux))
}
