package main

import (
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// pages are the bench's own pages and bench.js, served at /bench/.
//
//go:embed pages
var pages embed.FS

func pagesHandler() http.Handler {
	sub, _ := fs.Sub(pages, "pages") // the folder is embedded: no error
	return http.StripPrefix("/bench", http.FileServer(http.FS(sub)))
}

// harness lets a command use pagetest, whose helpers take a testing.TB:
// Fatal panics with a failure that run recovers, and Cleanup collects what
// close undoes. The embedded TB is nil; pagetest only calls the methods
// defined here.
type harness struct {
	testing.TB
	cleanups []func()
}

// failure is a Fatal of the harness, turned back into an error by run.
type failure struct{ msg string }

func (h *harness) Helper()             {}
func (h *harness) Name() string        { return "bench" }
func (h *harness) Cleanup(f func())    { h.cleanups = append(h.cleanups, f) }
func (h *harness) Fatal(args ...any)   { panic(failure{fmt.Sprint(args...)}) }
func (h *harness) Error(args ...any)   { panic(failure{fmt.Sprint(args...)}) }
func (h *harness) Logf(string, ...any) {}
func (h *harness) Fatalf(format string, args ...any) {
	panic(failure{fmt.Sprintf(format, args...)})
}
func (h *harness) Errorf(format string, args ...any) {
	panic(failure{fmt.Sprintf(format, args...)})
}

// close runs the cleanups, last first, as testing does.
func (h *harness) close() {
	for i := len(h.cleanups) - 1; i >= 0; i-- {
		h.cleanups[i]()
	}
	h.cleanups = nil
}

// catch turns a harness failure into an error; other panics go on.
func catch(err *error) {
	if r := recover(); r != nil {
		f, ok := r.(failure)
		if !ok {
			panic(r)
		}
		*err = fmt.Errorf("%s", f.msg)
	}
}

// asset is one file served the way the dev server serves js/: the
// precompressed variants a browser accepts, in order of preference, else
// the plain bytes. The floor's bare.wasm gets brotli and gzip at the best
// level, as `make wasm` writes gotrue.wasm.br and .gz; gotrue-js's files
// get gzip at the default level, as the dev server compresses a .js file
// that has no sibling.
type asset struct {
	contentType string
	plain       []byte
	encoded     []encodedBody
}

type encodedBody struct {
	coding string
	data   []byte
}

// assets serves files from memory by URL path.
type assets map[string]*asset

func (a assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f := a[r.URL.Path]
	if f == nil {
		http.NotFound(w, r)
		return
	}
	body, coding := f.plain, ""
	for _, e := range f.encoded {
		if accepts(r.Header.Get("Accept-Encoding"), e.coding) {
			body, coding = e.data, e.coding
			break
		}
	}
	h := w.Header()
	h.Set("Content-Type", f.contentType)
	h.Set("Cache-Control", "no-cache")
	h.Set("Vary", "Accept-Encoding")
	if coding != "" {
		h.Set("Content-Encoding", coding)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// accepts reports whether an Accept-Encoding header lists coding. Browsers
// never send q=0, so weights are not read.
func accepts(header, coding string) bool {
	for _, part := range strings.Split(header, ",") {
		token, _, _ := strings.Cut(part, ";")
		if strings.EqualFold(strings.TrimSpace(token), coding) {
			return true
		}
	}
	return false
}
