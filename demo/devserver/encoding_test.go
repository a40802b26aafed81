package devserver

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWasmNegotiation(t *testing.T) {
	s := newTestServer(t, Config{})
	tests := []struct {
		acceptEncoding string
		wantEncoding   string // "" is the file as is
	}{
		{"", ""},
		{"identity", ""},
		{"gzip, deflate, br, zstd", "br"}, // Chromium's header
		{"br", "br"},
		{"gzip", "gzip"},
		{"GZIP", "gzip"},
		{"br;q=0, gzip", "gzip"},
		{"gzip;q=0.5, br;q=0.1", "br"}, // both allowed: the server prefers br
		{"gzip;q=0, br;q=0", ""},
		{"*", "br"},
		{"br;q=0, *", "gzip"},
		{"*;q=0", ""},
		{"deflate", ""},
		{"gzip;q=garbled", ""},
	}
	etags := map[string]string{}
	for _, tt := range tests {
		t.Run(tt.acceptEncoding, func(t *testing.T) {
			r := s.get(t, "/js/gotrue.wasm", "Accept-Encoding", tt.acceptEncoding)
			require.Equal(t, 200, r.status)
			assert.Equal(t, "application/wasm", r.header.Get("Content-Type"))
			assert.Equal(t, "Accept-Encoding", r.header.Get("Vary"))
			assert.Equal(t, tt.wantEncoding, r.header.Get("Content-Encoding"))
			assert.Equal(t, strconv.Itoa(len(r.body)), r.header.Get("Content-Length"))
			switch tt.wantEncoding {
			case "br":
				assert.Equal(t, fakeBrotli, string(r.body), "the .br sibling")
			case "gzip":
				assert.Equal(t, fakeWasm, gunzip(t, r.body))
			default:
				assert.Equal(t, fakeWasm, r.body)
			}
			etags[tt.wantEncoding] = r.header.Get("ETag")
		})
	}
	// Each encoding has its own ETag, and revalidates against it.
	assert.Len(t, map[string]bool{etags[""]: true, etags["br"]: true, etags["gzip"]: true}, 3)
	r := s.get(t, "/js/gotrue.wasm", "Accept-Encoding", "br", "If-None-Match", etags["br"])
	assert.Equal(t, 304, r.status)
	r = s.get(t, "/js/gotrue.wasm", "Accept-Encoding", "gzip", "If-None-Match", etags["br"])
	assert.Equal(t, 200, r.status, "a br ETag does not validate a gzip answer")
}

// Without siblings (a plain `go build`), the wasm is gzipped on the fly.
func TestWasmGzippedOnTheFly(t *testing.T) {
	dir := fakeJSDir(t)
	require.NoError(t, os.Remove(filepath.Join(dir, "gotrue.wasm.br")))
	require.NoError(t, os.Remove(filepath.Join(dir, "gotrue.wasm.gz")))
	s := newTestServer(t, Config{JSDir: dir})

	for range 2 { // the second answer comes from the cache
		r := s.get(t, "/js/gotrue.wasm", "Accept-Encoding", "gzip, deflate, br, zstd")
		require.Equal(t, 200, r.status)
		assert.Equal(t, "gzip", r.header.Get("Content-Encoding"))
		assert.Equal(t, fakeWasm, gunzip(t, r.body))
		assert.Less(t, len(r.body), len(fakeWasm))
	}
	r := s.get(t, "/js/gotrue.wasm")
	assert.Empty(t, r.header.Get("Content-Encoding"))
	assert.Equal(t, fakeWasm, r.body)
}

// A sibling older than the wasm was left over from an earlier build: it
// must not be served in place of the new one.
func TestStaleSiblingsAreSkipped(t *testing.T) {
	dir := fakeJSDir(t)
	old := time.Now().Add(-2 * time.Hour)
	for _, name := range []string{"gotrue.wasm.br", "gotrue.wasm.gz"} {
		require.NoError(t, os.Chtimes(filepath.Join(dir, name), old, old))
	}
	s := newTestServer(t, Config{JSDir: dir})
	r := s.get(t, "/js/gotrue.wasm", "Accept-Encoding", "br, gzip")
	assert.Equal(t, "gzip", r.header.Get("Content-Encoding"), "gzipped on the fly")
	assert.Equal(t, fakeWasm, gunzip(t, r.body))
}

// Small files are not worth compressing; asking for a .gz file gets it
// as is.
func TestNoEncodingForSmallOrCompressedFiles(t *testing.T) {
	s := newTestServer(t, Config{})
	r := s.get(t, "/js/gotrue.mjs", "Accept-Encoding", "gzip")
	assert.Empty(t, r.header.Get("Content-Encoding"))

	r = s.get(t, "/js/gotrue.wasm.gz", "Accept-Encoding", "gzip")
	assert.Empty(t, r.header.Get("Content-Encoding"))
	assert.Equal(t, fakeWasm, gunzip(t, r.body))
}

func TestRangeOnEncodedBody(t *testing.T) {
	s := newTestServer(t, Config{})
	r := s.get(t, "/js/gotrue.wasm", "Accept-Encoding", "br", "Range", "bytes=0-3")
	assert.Equal(t, 206, r.status)
	assert.Equal(t, fakeBrotli[:4], string(r.body))
	assert.Equal(t, "4", r.header.Get("Content-Length"))
}

func TestAcceptsEncoding(t *testing.T) {
	tests := []struct {
		header, coding string
		want           bool
	}{
		{"", "gzip", false},
		{"gzip", "gzip", true},
		{" gzip ; q=1.0 ", "gzip", true},
		{"gzip;q=0", "gzip", false},
		{"gzip;Q=0.000", "gzip", false},
		{"x-gzip", "gzip", false},
		{"*", "br", true},
		{"*;q=0", "br", false},
		{"br;q=0, *", "br", false},
		{"br, *;q=0", "gzip", false},
		{"deflate, gzip;q=0.2", "gzip", true},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, acceptsEncoding(tt.header, tt.coding), "%q %s", tt.header, tt.coding)
	}
}
