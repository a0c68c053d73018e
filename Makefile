# Thin wrappers over CMake presets (DESIGN.md section 1).
.PHONY: run test deps build release bench fuzz fuzz-smoke tsan tsan-runtime clean

JOBS ?= $(shell nproc)

deps:
	bash scripts/install-deps.sh

# make run: build and install the kit and the httpkit CLI into build/prefix, create
# build/demo with `httpkit new` (once), and serve it with `httpkit dev` on
# 127.0.0.1:8080: edit build/demo/src/routes.cpp and the next request sees the change.
run: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS) --target httpkit_app httpkit_cli
	cmake --install build/release --prefix build/prefix
	test -d build/demo || build/prefix/bin/httpkit new demo --dir build/demo
	cd build/demo && ../prefix/bin/httpkit dev --addr 127.0.0.1:8080

# make test: the dev preset (Debug, ASan + UBSan), every ctest test, the runtime's
# tests under ThreadSanitizer (issue 2 asks for both presets), then a short libFuzzer
# run of each parser target.
test: deps
	cmake --preset dev
	cmake --build --preset dev -j $(JOBS)
	ctest --preset dev
	$(MAKE) tsan-runtime
	$(MAKE) fuzz-smoke

# tsan-runtime builds only what the runtime's tests need under the tsan preset.
tsan-runtime:
	cmake --preset tsan
	cmake --build --preset tsan -j $(JOBS) --target runtime_test
	ctest --preset tsan -R runtime_test

tsan: deps
	cmake --preset tsan
	cmake --build --preset tsan -j $(JOBS)
	ctest --preset tsan -R runtime_test

fuzz: deps
	cmake --preset fuzz
	cmake --build --preset fuzz -j $(JOBS) --target fuzz_request_head fuzz_chunked fuzz_frame_gate fuzz_hpack_decoder

# FUZZ_SECONDS per target; fresh corpus copies so the seeds in git stay small.
FUZZ_SECONDS ?= 20
fuzz-smoke: fuzz
	for t in request_head chunked frame_gate hpack_decoder; do \
	  rm -rf build/fuzz/corpus-$$t && cp -r tests/fuzz/corpus/$$t build/fuzz/corpus-$$t && \
	  if ! ./build/fuzz/tests/fuzz/fuzz_$$t build/fuzz/corpus-$$t -max_total_time=$(FUZZ_SECONDS) \
	       > build/fuzz/fuzz-$$t.log 2>&1; then cat build/fuzz/fuzz-$$t.log; exit 1; fi; \
	  echo "fuzz_$$t: no crash in $(FUZZ_SECONDS) s"; \
	done

bench:
	bash bench/run.sh

clean:
	rm -rf build
