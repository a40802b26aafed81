package devserver

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRouting(t *testing.T) {
	s := newTestServer(t, Config{})
	embeddedIndex, err := os.ReadFile("../site/index.html")
	require.NoError(t, err)

	tests := []struct {
		method, path string
		status       int
		ctype        string
	}{
		{"GET", "/", 200, "text/html; charset=utf-8"},
		{"GET", "/index.html", 200, "text/html; charset=utf-8"},
		{"HEAD", "/", 200, "text/html; charset=utf-8"},
		{"GET", "/app.js", 200, "text/javascript; charset=utf-8"},
		{"GET", "/style.css", 200, "text/css; charset=utf-8"},
		{"GET", "/js/gotrue.mjs", 200, "text/javascript; charset=utf-8"},
		{"GET", "/js/gotrue.js", 200, "text/javascript; charset=utf-8"},
		{"GET", "/js/gotrue.wasm", 200, "application/wasm"},
		{"GET", "/js/index.d.ts", 200, "text/plain; charset=utf-8"},
		{"GET", "/js/gotrue.wasm.gz", 200, "application/gzip"},
		{"GET", "/nope.html", 404, ""},
		{"GET", "/js/", 404, ""},
		{"GET", "/js/sub", 404, ""},
		{"GET", "/js/.secret", 404, ""},
		{"GET", "/js/nope.js", 404, ""},
		{"POST", "/", 405, ""},
		{"DELETE", "/js/gotrue.mjs", 405, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r := s.do(t, tt.method, tt.path, "")
			assert.Equal(t, tt.status, r.status)
			if tt.ctype != "" {
				assert.Equal(t, tt.ctype, r.header.Get("Content-Type"))
				assert.Equal(t, "nosniff", r.header.Get("X-Content-Type-Options"))
			}
		})
	}

	r := s.get(t, "/")
	assert.Equal(t, string(embeddedIndex), string(r.body), "/ is the embedded index.html")
	assert.Contains(t, r.header.Get("Content-Security-Policy"), "script-src 'self' 'wasm-unsafe-eval'")
	assert.Empty(t, s.get(t, "/app.js").header.Get("Content-Security-Policy"))
	assert.Equal(t, "GET, HEAD", s.do(t, "POST", "/", "").header.Get("Allow"))
}

func TestCacheHeadersAndRevalidation(t *testing.T) {
	s := newTestServer(t, Config{})
	for _, path := range []string{"/", "/app.js", "/js/gotrue.mjs", "/js/gotrue.wasm"} {
		t.Run(path, func(t *testing.T) {
			r := s.get(t, path)
			require.Equal(t, 200, r.status)
			etag := r.header.Get("ETag")
			assert.Regexp(t, `^"[0-9a-f]+"$`, etag)
			assert.Equal(t, "no-cache", r.header.Get("Cache-Control"))

			again := s.get(t, path, "If-None-Match", etag)
			assert.Equal(t, http.StatusNotModified, again.status)
			assert.Empty(t, again.body)
			assert.Equal(t, etag, again.header.Get("ETag"))

			assert.Equal(t, 200, s.get(t, path, "If-None-Match", `"other"`).status)
		})
	}
}

// With -site the page is read from disk, so an edit shows up on reload
// under a new ETag.
func TestSiteFromDiskPicksUpEdits(t *testing.T) {
	site := t.TempDir()
	write(t, site, "index.html", []byte("<p>one</p>"))
	s := newTestServer(t, Config{SiteDir: site})

	first := s.get(t, "/")
	assert.Equal(t, "<p>one</p>", string(first.body))

	write(t, site, "index.html", []byte("<p>two, longer</p>"))
	later := time.Now().Add(time.Minute)
	require.NoError(t, os.Chtimes(filepath.Join(site, "index.html"), later, later))
	second := s.get(t, "/", "If-None-Match", first.header.Get("ETag"))
	assert.Equal(t, 200, second.status)
	assert.Equal(t, "<p>two, longer</p>", string(second.body))
	assert.NotEqual(t, first.header.Get("ETag"), second.header.Get("ETag"))
}

func TestSiteDirWithoutIndex(t *testing.T) {
	_, err := New(Config{JSDir: fakeJSDir(t), SiteDir: t.TempDir()})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "index.html")
}

func TestEmbeddedSiteHasThePage(t *testing.T) {
	s := newTestServer(t, Config{})
	page := string(s.get(t, "/").body)
	for _, want := range []string{`src="app.js"`, `href="style.css"`, `id="status"`, `aria-live`} {
		assert.True(t, strings.Contains(page, want), "index.html lacks %s", want)
	}
	assert.Contains(t, string(s.get(t, "/app.js").body), "/js/gotrue.mjs")
}
