# Thin wrapper over CMake. `make demo` and `make test` work on a fresh Debian
# machine: they install what is missing (as root), build, and run.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=
FUZZ_SECONDS ?= 30

.PHONY: all deps build test asan fuzz bench demo fixtures golden screenshot clean

all: build

deps:
	@./scripts/install-deps

$(BUILD)/Makefile $(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) $(CMAKE_ARGS)

build: deps
	cmake -S . -B $(BUILD) $(CMAKE_ARGS) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && rm -f tap/*.tap && ctest --output-on-failure -j $(JOBS)
	@./scripts/report-skips $(BUILD)

asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DHUNTER_SANITIZE=ON $(CMAKE_ARGS) >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && rm -f tap/*.tap && ASAN_OPTIONS=detect_leaks=1 \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp ctest --output-on-failure -j $(JOBS)
	@./scripts/report-skips $(ASAN_BUILD)

fuzz: deps
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DHUNTER_FUZZ=ON \
		-DHUNTER_SANITIZE=ON $(CMAKE_ARGS) >/dev/null
	cmake --build $(FUZZ_BUILD) -j $(JOBS)
	./scripts/run-fuzz $(FUZZ_BUILD)/fuzz $(FUZZ_SECONDS)

bench: build
	./scripts/run-bench $(BUILD)

demo: build
	./scripts/demo $(BUILD)/hunter

# Rebuild fixtures/ from ../shared/data/real (see fixtures/README.md).
fixtures: build
	./scripts/make-fixtures $(BUILD)/hunter

# Rewrite fixtures/expected/ after an intended change of results (docs/backtest.md).
golden: build
	./scripts/regen-golden $(BUILD)/hunter

# Render the demo report in headless Chromium to docs/report.png (docs/report.md).
screenshot: build
	./scripts/screenshot $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
