# gotrue-wasm. `make demo` runs the demo site; `make test` runs every test.
# Both install what they need: Go tools through the module proxy, Chromium
# from Debian, the reference gotrue-js from npm.

GO        ?= go
BIN       := $(CURDIR)/.bin
WASMENV   := GOOS=js GOARCH=wasm
# Our own packages are compiled without inlining: gotrue.wasm is 64 KB
# smaller raw and 16 KB brotli (tools/bench/OPTIONS.md), the floor the same.
WASMFLAGS := -trimpath -ldflags='-s -w' '-gcflags=github.com/gotrue-wasm/...=-l'
WASMEXEC  := $(BIN)/go_js_wasm_exec
TESTSRV   := $(BIN)/gotruetest-server
FUZZTIME  ?= 20000x
# Every Go source the wasm build may depend on.
GOSRC     := go.mod go.sum $(shell find gotrue wasm -name '*.go' -not -name '*_test.go' 2>/dev/null)

.PHONY: test vet test-native test-browser fuzz fuzz-short wasm size demo chromium engines node reference toolchains clean

test: chromium vet test-native fuzz-short test-browser

# gofmt and go vet, native and for the browser build.
vet:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(WASMENV) $(GO) vet ./gotrue ./gotrue/internal/... ./internal/plumbing ./internal/keys ./wasm/... ./tools/bare ./tools/callfloor

# Native tests with the race detector: the core, the test server, the demo
# server, the pages driven in Chromium (e2e, reliability), which load
# the built gotrue.wasm and the reference gotrue-js, and the measurement
# tools with the harness they share, and the docs' links.
test-native: chromium engines wasm reference toolchains
	$(GO) test -race -cover ./gotrue/... ./demo/... ./tools/... ./internal/... ./docs/...

# A short run of every fuzz target; `make fuzz FUZZTIME=5m` for a long one. A count,
# not a duration, by default: a timed run can fail at its very end on Go
# 1.26 with "context deadline exceeded" (go.dev/issue/75804).
fuzz-short fuzz:
	@for pkg in ./gotrue ./gotrue/gotruetest; do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

# The core's tests and the bindings' tests, compiled to WebAssembly and run
# in headless Chromium by wasmbrowsertest, against a gotruetest server that
# runs natively for the duration.
test-browser: chromium $(WASMEXEC) $(TESTSRV)
	$(TESTSRV) -- env $(WASMENV) GOTRUE_TEST_REQUIRED=1 $(GO) test -exec=$(WASMEXEC) ./gotrue ./gotrue/internal/... ./wasm/...

# wasmbrowsertest, pinned by the tool line in go.mod. go test finds it by
# the name go_js_wasm_exec.
$(WASMEXEC): go.mod go.sum
	$(GO) build -o $@ github.com/agnivade/wasmbrowsertest

$(TESTSRV): go.mod go.sum $(shell find gotrue/gotruetest -name '*.go' -not -name '*_test.go')
	$(GO) build -o $@ ./gotrue/gotruetest/cmd/gotruetest-server

# Debian's Chromium, unless a Chromium or Chrome is already there.
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  command -v google-chrome >/dev/null 2>&1 || { \
	    echo "installing Debian's chromium"; \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Firefox ESR, and WebKitGTK's WebDriver with an Xvfb for it, from Debian,
# unless already there: the engines besides Chromium that the package's
# flows run in (demo/toolchains/drive.mjs). webkit2gtk-driver brings the
# MiniBrowser that WebKitWebDriver drives, which has no headless mode,
# hence Xvfb. The recommended packages (codecs, portals) are not needed.
engines: chromium
	@command -v firefox-esr >/dev/null 2>&1 && command -v WebKitWebDriver >/dev/null 2>&1 && \
	  command -v Xvfb >/dev/null 2>&1 || { \
	    echo "installing Debian's firefox-esr, webkit2gtk-driver and xvfb"; \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	      --no-install-recommends firefox-esr webkit2gtk-driver xvfb >/dev/null; }

# The reference client, gotrue-js 1.0.1 from npm, pinned by its lock file,
# for the side-by-side e2e tests and the benchmark.
REFERENCE := demo/reference/node_modules/gotrue-js/package.json
reference: $(REFERENCE)
$(REFERENCE): demo/reference/package.json demo/reference/package-lock.json | node
	cd demo/reference && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Node.js and npm, unless npm is already there.
node:
	@command -v npm >/dev/null 2>&1 || { \
	    echo "installing Debian's nodejs and npm"; \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm >/dev/null; }

# The bundlers the package is tested with (Vite 8 and 5, webpack 5, esbuild),
# TypeScript, and the drivers of Firefox and WebKit, pinned by their lock file. The tests
# in demo/toolchains install the packed js/ folder beside them.
TOOLCHAINS := demo/toolchains/node_modules/.package-lock.json
toolchains: $(TOOLCHAINS)
$(TOOLCHAINS): demo/toolchains/package.json demo/toolchains/package-lock.json | node
	cd demo/toolchains && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# gotrue.wasm (stripped, trimpath) with .gz and .br beside it, and the
# toolchain's wasm_exec.js, never edited by hand.
wasm: js/gotrue.wasm js/wasm_exec.js js/LICENSE

js/gotrue.wasm: $(GOSRC) Makefile
	$(WASMENV) $(GO) build $(WASMFLAGS) -o $@ ./wasm
	$(GO) run ./tools/wasmsize -compress $@

js/wasm_exec.js: go.mod
	cp "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" $@

# The npm package carries the licence; the repository's is the one kept.
js/LICENSE: LICENSE
	cp LICENSE $@

$(BIN)/bare.wasm: tools/bare/main.go go.mod Makefile
	$(WASMENV) $(GO) build $(WASMFLAGS) -o $@ ./tools/bare

# Raw, gzip and brotli bytes of gotrue.wasm next to the bare syscall/js
# program built by the same toolchain with the same flags.
size: js/gotrue.wasm $(BIN)/bare.wasm
	@$(GO) run ./tools/wasmsize -base $(BIN)/bare.wasm js/gotrue.wasm

clean:
	rm -rf $(BIN) js/gotrue.wasm js/gotrue.wasm.gz js/gotrue.wasm.br js/wasm_exec.js js/LICENSE

# The demo site with its embedded identity server on http://127.0.0.1:8080.
# DEMOFLAGS passes flags, e.g. make demo DEMOFLAGS='-autoconfirm -token-lifetime 2m'.
demo: wasm
	$(GO) run ./demo/cmd/demo $(DEMOFLAGS)

# The full soak of the demo origin: 10,000 mixed requests from 50 clients
# through the client core, then goroutine, heap and server-state checks.
# `make test` runs a short one (1,000 requests, 20 clients).
.PHONY: soak
soak:
	$(GO) test -race -run '^TestSoak$$' -count=1 -v ./demo/soak -args -soak

# The benchmark: bytes, time to ready (cold, warm, Fast 3G), hot calls,
# round trips, memory and concurrency of gotrue.wasm against gotrue-js
# 1.0.1 and the bare Go program, in headless Chromium. Prints the table and writes
# tools/bench/RESULTS.md, results.svg and results.json (about 6 minutes;
# BENCHFLAGS=-quick for a one-minute check that everything works; it
# overwrites them too unless BENCHFLAGS also has -out DIR, or -out '').
# `go run ./tools/bench -chart-from tools/bench/results.json` redraws
# results.svg without measuring.
.PHONY: bench
bench: wasm reference chromium $(BIN)/bare.wasm $(BIN)/callfloor.wasm
	$(GO) run ./tools/bench $(BENCHFLAGS)

# The floor of a call from JavaScript into Go, for the bench's hot calls.
$(BIN)/callfloor.wasm: tools/callfloor/main.go go.mod
	$(WASMENV) $(GO) build $(WASMFLAGS) -o $@ ./tools/callfloor

# The slow variants of the browser reliability tests (demo/reliability):
# a 100,000-call JavaScript fuzz with a seed from the clock (SEED=n replays
# one) and the client's 30 s timeout against a hung server. `make test`
# runs the short ones (10,000 calls, seed 1).
.PHONY: reliability-long
reliability-long: chromium wasm reference
	$(GO) test -run . -count=1 -v -timeout 40m ./demo/reliability -args -long $(if $(SEED),-seed $(SEED))
