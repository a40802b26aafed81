package main

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
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
// the plain bytes, with Cache-Control: no-cache and an ETag per variant,
// so that a browser revalidates each load and an unchanged file costs a
// 304 (and keeps its compiled wasm in Chromium's code cache). The floor's
// bare.wasm gets brotli and gzip at the best level, as `make wasm` writes
// gotrue.wasm.br and .gz; gotrue-js's files get gzip at the default level,
// as the dev server compresses a .js file that has no sibling.
type asset struct {
	contentType string
	plain       body
	encoded     []body
}

// body is one variant of an asset: its bytes, the Content-Encoding that
// made them ("" for the plain bytes) and their ETag.
type body struct {
	coding string
	data   []byte
	etag   string
}

func newBody(coding string, data []byte) body {
	sum := sha256.Sum256(data)
	return body{coding: coding, data: data, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
}

func newAsset(contentType string, plain []byte, encoded ...body) *asset {
	return &asset{contentType: contentType, plain: newBody("", plain), encoded: encoded}
}

// assets serves files from memory by URL path.
type assets map[string]*asset

func (a assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f := a[r.URL.Path]
	if f == nil {
		http.NotFound(w, r)
		return
	}
	b := f.plain
	for _, e := range f.encoded {
		if accepts(r.Header.Get("Accept-Encoding"), e.coding) {
			b = e
			break
		}
	}
	h := w.Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("Vary", "Accept-Encoding")
	h.Set("ETag", b.etag)
	if matches(r.Header.Get("If-None-Match"), b.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", f.contentType)
	if b.coding != "" {
		h.Set("Content-Encoding", b.coding)
	}
	h.Set("Content-Length", strconv.Itoa(len(b.data)))
	if r.Method != http.MethodHead {
		_, _ = w.Write(b.data)
	}
}

// matches reports whether an If-None-Match header lists etag (or is *).
// Weak validators compare equal to strong ones, as RFC 9110 says for
// If-None-Match.
func matches(header, etag string) bool {
	for _, part := range strings.Split(header, ",") {
		part = strings.TrimPrefix(strings.TrimSpace(part), "W/")
		if part == "*" || part == etag {
			return true
		}
	}
	return false
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
