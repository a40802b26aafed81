# gotrue-wasm. `make demo` runs the demo site; `make test` runs every test.
# Both install what they need (Chromium from Debian, npm packages, Go tools).

GO      ?= go
BIN     := $(CURDIR)/.bin
WASMENV := GOOS=js GOARCH=wasm
FUZZTIME ?= 5s

.PHONY: test vet test-native fuzz-short

test: vet test-native fuzz-short

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt needed"; exit 1; }
	$(GO) vet ./...

# Native tests of the core and the test server, with the race detector.
test-native:
	$(GO) test -race -cover ./gotrue/...

# A short run of every fuzz target; `make fuzz FUZZTIME=5m` for a long one.
fuzz-short fuzz:
	@for pkg in ./gotrue ./gotrue/gotruetest; do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done
