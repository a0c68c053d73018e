# Thin wrappers over CMake presets (DESIGN.md section 1).
.PHONY: run test deps build release bench fuzz tsan clean

JOBS ?= $(shell nproc)

deps:
	bash scripts/install-deps.sh

# make run: build the release preset and serve examples/hello on 127.0.0.1:8080.
run: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS) --target hello
	./build/release/examples/hello/hello --addr 127.0.0.1:8080

# make test: the dev preset (Debug, ASan + UBSan), every ctest test.
test: deps
	cmake --preset dev
	cmake --build --preset dev -j $(JOBS)
	ctest --preset dev

tsan: deps
	cmake --preset tsan
	cmake --build --preset tsan -j $(JOBS)
	ctest --preset tsan -R runtime_test

fuzz: deps
	cmake --preset fuzz
	cmake --build --preset fuzz -j $(JOBS)

bench:
	bash bench/run.sh

clean:
	rm -rf build
