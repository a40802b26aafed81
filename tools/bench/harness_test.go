package main

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestAssetsNegotiate(t *testing.T) {
	a := assets{"/x.wasm": newAsset("application/wasm", []byte("plain"), newBody("br", []byte("br")), newBody("gzip", []byte("gz")))}
	for _, c := range []struct{ accept, coding, body string }{
		{"gzip, deflate, br, zstd", "br", "br"},
		{"gzip, deflate", "gzip", "gz"},
		{"GZIP;q=1", "gzip", "gz"},
		{"", "", "plain"},
	} {
		req := httptest.NewRequest("GET", "/x.wasm", nil)
		req.Header.Set("Accept-Encoding", c.accept)
		w := httptest.NewRecorder()
		a.ServeHTTP(w, req)
		if got := w.Header().Get("Content-Encoding"); got != c.coding || w.Body.String() != c.body {
			t.Errorf("Accept-Encoding %q: coding %q body %q, want %q %q", c.accept, got, w.Body, c.coding, c.body)
		}
		if w.Header().Get("Content-Type") != "application/wasm" || w.Header().Get("Vary") != "Accept-Encoding" {
			t.Errorf("headers %v", w.Header())
		}
	}
	w := httptest.NewRecorder()
	a.ServeHTTP(w, httptest.NewRequest("GET", "/missing", nil))
	if w.Code != http.StatusNotFound {
		t.Errorf("missing file: %d", w.Code)
	}
}

// Each variant has its own ETag and revalidates against it, so that a
// warm load costs a 304 and Chromium keeps its compiled wasm.
func TestAssetsRevalidate(t *testing.T) {
	a := assets{"/x.wasm": newAsset("application/wasm", []byte("plain"), newBody("br", []byte("br")))}
	get := func(accept, ifNoneMatch string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("GET", "/x.wasm", nil)
		req.Header.Set("Accept-Encoding", accept)
		if ifNoneMatch != "" {
			req.Header.Set("If-None-Match", ifNoneMatch)
		}
		w := httptest.NewRecorder()
		a.ServeHTTP(w, req)
		return w
	}
	br, plain := get("br", ""), get("", "")
	brTag, plainTag := br.Header().Get("ETag"), plain.Header().Get("ETag")
	if brTag == "" || brTag == plainTag || br.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("headers: br %v, plain %v", br.Header(), plain.Header())
	}
	if w := get("br", brTag); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Errorf("revalidating br: %d, %d bytes", w.Code, w.Body.Len())
	}
	if w := get("br", `"other", W/`+brTag); w.Code != http.StatusNotModified {
		t.Errorf("a weak tag in a list: %d", w.Code)
	}
	if w := get("", brTag); w.Code != http.StatusOK || w.Body.String() != "plain" {
		t.Errorf("a br ETag validated the plain body: %d %q", w.Code, w.Body)
	}
}

func TestAssetsMissing(t *testing.T) {
	a := assets{}
	w := httptest.NewRecorder()
	a.ServeHTTP(w, httptest.NewRequest("GET", "/missing", nil))
	if w.Code != http.StatusNotFound {
		t.Errorf("missing file: %d", w.Code)
	}
}

func TestHarnessFatalBecomesError(t *testing.T) {
	var closed []int
	run := func() (err error) {
		h := &harness{}
		defer h.close()
		defer catch(&err)
		h.Cleanup(func() { closed = append(closed, 1) })
		h.Cleanup(func() { closed = append(closed, 2) })
		h.Fatalf("no %s", "chromium")
		return errors.New("not reached")
	}
	if err := run(); err == nil || err.Error() != "no chromium" {
		t.Fatalf("err = %v", err)
	}
	if len(closed) != 2 || closed[0] != 2 {
		t.Errorf("cleanups ran %v, want last first", closed)
	}
}

func TestFlags(t *testing.T) {
	c, err := parseFlags([]string{"-quick"}, nil)
	if err != nil || c.loads != 3 || c.warm != 3 || c.slowLoads != 2 || c.window != 50*time.Millisecond || c.firsts != 3 || c.cacheWait != time.Second {
		t.Errorf("-quick: %+v, %v", c, err)
	}
	c, err = parseFlags(nil, nil)
	if err != nil || c.loads != 30 || c.warm != 30 || c.slowLoads != 20 || c.trips != 200 || c.jwts != 10000 || c.cycles != 500 || c.concurrent != 100 || c.firsts != 30 {
		t.Errorf("defaults: %+v, %v", c, err)
	}
	for _, f := range []string{"-loads", "-warm", "-slowloads"} {
		if _, err := parseFlags([]string{f, "0"}, nil); err == nil {
			t.Errorf("%s 0 accepted", f)
		}
	}
	if _, err := parseFlags([]string{"extra"}, nil); err == nil {
		t.Error("an argument accepted")
	}
}
