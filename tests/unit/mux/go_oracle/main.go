// Command muxoracle answers, with Go's own net/http.ServeMux, the questions the
// C++ differential test (../go_differential_test.cpp) asks our ServeMux.
//
// Input, one command per line, fields separated by tabs:
//
//	M                                  start a new, empty mux
//	P <pattern>                        register; prints "ok" or "error <quoted message>"
//	R <method> <host> <target> <names> serve; names is a comma-separated list of
//	                                   wildcard names to report; host "" keeps the
//	                                   target's; prints the decision (see decide)
//
// The output has one line per P and R command.
package main

import (
	"bufio"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
)

type observed struct {
	pattern string
	values  []string
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	mux := http.NewServeMux()
	var seen *observed
	var names []string
	for in.Scan() {
		f := strings.Split(in.Text(), "\t")
		switch f[0] {
		case "M":
			mux = http.NewServeMux()
		case "P":
			fmt.Fprintln(out, register(mux, f[1], &seen, &names))
		case "R":
			names = nil
			if f[4] != "" {
				names = strings.Split(f[4], ",")
			}
			fmt.Fprintln(out, decide(mux, f[1], f[2], f[3], &seen))
		}
	}
}

// register registers pattern with a handler that records what it saw.
func register(mux *http.ServeMux, pattern string, seen **observed, names *[]string) (res string) {
	defer func() {
		if e := recover(); e != nil {
			res = "error " + strconv.Quote(fmt.Sprint(e))
		}
	}()
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		o := &observed{pattern: r.Pattern}
		for _, n := range *names {
			o.values = append(o.values, n+"="+r.PathValue(n))
		}
		*seen = o
		w.WriteHeader(299) // a status the mux never produces itself
	})
	return "ok"
}

// decide serves one request and prints: status, pattern seen by the handler (or
// "-"), Allow, Location, and the quoted path values; or "panic <message>" when Go
// panics (go.dev/issue/81222: PathValue after an empty segment bound a wildcard).
func decide(mux *http.ServeMux, method, host, target string, seen **observed) (res string) {
	defer func() {
		if e := recover(); e != nil {
			res = "panic " + strconv.Quote(fmt.Sprint(e))
		}
	}()
	r := httptest.NewRequest(method, target, nil)
	if host != "" {
		r.Host = host
	}
	*seen = nil
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	pattern, values := "-", ""
	if *seen != nil {
		pattern = (*seen).pattern
		values = strings.Join((*seen).values, ";")
	}
	h := w.Result().Header
	return strings.Join([]string{strconv.Itoa(w.Code), strconv.Quote(pattern), strconv.Quote(h.Get("Allow")),
		strconv.Quote(h.Get("Location")), strconv.Quote(values)}, "\t")
}
