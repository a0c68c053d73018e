// Command muxbench times Go's own net/http.ServeMux on the workloads of
// bench/mux/mux_bench.cpp (same routes, same requests), for bench/mux/run.sh.
//
// It prints one line per workload: "name ns_per_op allocs_per_op", the median of
// -runs runs of testing.Benchmark.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"
)

type route struct{ method, path string }

func loadRoutes(file string) []route {
	f, err := os.Open(file)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	var rs []route
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		m, p, _ := strings.Cut(line, " ")
		rs = append(rs, route{m, p})
	}
	return rs
}

// pattern turns "/repos/:owner" into "/repos/{owner}".
func pattern(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, ":") {
			segs[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(segs, "/")
}

// requestPath turns "/repos/:owner" into "/repos/owner" (a value per parameter).
func requestPath(p string) string { return strings.ReplaceAll(p, ":", "") }

type nullWriter struct{ h http.Header }

func (w *nullWriter) Header() http.Header       { return w.h }
func (w *nullWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nullWriter) WriteHeader(int)             {}

func newMux(rs []route) *http.ServeMux {
	mux := http.NewServeMux()
	h := func(w http.ResponseWriter, r *http.Request) {}
	for _, r := range rs {
		mux.HandleFunc(r.method+" "+pattern(r.path), h)
	}
	return mux
}

func newRequest(method, path string) *http.Request {
	r, err := http.NewRequest(method, path, nil)
	if err != nil {
		panic(err)
	}
	r.RequestURI = path
	return r
}

func lookup(mux *http.ServeMux, reqs []*http.Request) func(*testing.B) {
	return func(b *testing.B) {
		w := &nullWriter{h: http.Header{}}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			for _, r := range reqs {
				mux.ServeHTTP(w, r)
			}
		}
	}
}

// registrationPatterns: 10,000 non-conflicting patterns, as in mux_bench.cpp.
func registrationPatterns() []string {
	ps := make([]string, 0, 10000)
	for i := 0; i < 10000; i++ {
		ps = append(ps, fmt.Sprintf("GET /svc%d/res%d/{id}", i%100, i/100))
	}
	return ps
}

func register(b *testing.B) {
	ps := registrationPatterns()
	h := func(w http.ResponseWriter, r *http.Request) {}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		mux := http.NewServeMux()
		for _, p := range ps {
			mux.HandleFunc(p, h)
		}
	}
}

func median(rs []testing.BenchmarkResult, perOp int) (ns, allocs float64) {
	sort.Slice(rs, func(i, j int) bool { return rs[i].NsPerOp() < rs[j].NsPerOp() })
	m := rs[len(rs)/2]
	return float64(m.T.Nanoseconds()) / float64(m.N) / float64(perOp), float64(m.AllocsPerOp()) / float64(perOp)
}

func main() {
	routesFile := flag.String("routes", "../github_routes.txt", "the route list")
	runs := flag.Int("runs", 3, "runs per workload (the median is printed)")
	flag.Parse()
	rs := loadRoutes(*routesFile)
	mux := newMux(rs)
	var all []*http.Request
	for _, r := range rs {
		all = append(all, newRequest(r.method, requestPath(r.path)))
	}
	workloads := []struct {
		name  string
		f     func(*testing.B)
		perOp int
	}{
		{"GithubStatic", lookup(mux, []*http.Request{newRequest("GET", "/user/repos")}), 1},
		{"GithubParam", lookup(mux, []*http.Request{newRequest("GET", "/repos/julienschmidt/httprouter/stargazers")}), 1},
		{"GithubAll", lookup(mux, all), len(all)},
		{"Register10000", register, 1},
	}
	for _, wl := range workloads {
		var results []testing.BenchmarkResult
		for i := 0; i < *runs; i++ {
			results = append(results, testing.Benchmark(wl.f))
		}
		ns, allocs := median(results, wl.perOp)
		fmt.Printf("%s %.1f %.2f\n", wl.name, ns, allocs)
	}
}
