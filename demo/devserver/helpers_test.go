package devserver

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fakeWasm is compressible and starts like a real module, so gzip on the
// fly has something to do.
var fakeWasm = append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte("gotrue-wasm fake module "), 400)...)

const fakeBrotli = "fake brotli bytes"

// fakeJSDir makes a loader folder: gotrue.wasm with .br and .gz siblings
// (dated after it, as `make wasm` leaves them) and the loader scripts.
func fakeJSDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write(t, dir, "gotrue.wasm", fakeWasm)
	write(t, dir, "gotrue.wasm.br", []byte(fakeBrotli))
	write(t, dir, "gotrue.wasm.gz", gzipBytes(t, fakeWasm))
	write(t, dir, "gotrue.mjs", []byte("export default class GoTrue {}\n"))
	write(t, dir, "gotrue.js", []byte("window.GoTrue = class GoTrue {};\n"))
	write(t, dir, "index.d.ts", []byte("export default class GoTrue {}\n"))
	write(t, dir, ".secret", []byte("dot files are not served"))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o755))
	past := time.Now().Add(-time.Hour)
	require.NoError(t, os.Chtimes(filepath.Join(dir, "gotrue.wasm"), past, past))
	return dir
}

func write(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
}

func gzipBytes(t *testing.T, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func gunzip(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	require.NoError(t, err)
	out, err := io.ReadAll(zr)
	require.NoError(t, err)
	return out
}

// testServer mounts a Server on httptest, as the e2e tests do.
type testServer struct {
	*Server
	URL string
	hc  *http.Client
}

func newTestServer(t *testing.T, cfg Config) *testServer {
	t.Helper()
	if cfg.JSDir == "" {
		cfg.JSDir = fakeJSDir(t)
	}
	srv, err := New(cfg)
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	srv.SetSiteURL(ts.URL)
	// No transparent gzip: the tests look at Content-Encoding themselves.
	hc := &http.Client{
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	t.Cleanup(hc.CloseIdleConnections)
	return &testServer{Server: srv, URL: ts.URL, hc: hc}
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request; headers are name, value pairs.
func (s *testServer) do(t *testing.T, method, path, body string, headers ...string) reply {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	require.NoError(t, err)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := s.hc.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return reply{status: resp.StatusCode, header: resp.Header, body: raw}
}

func (s *testServer) get(t *testing.T, path string, headers ...string) reply {
	t.Helper()
	return s.do(t, http.MethodGet, path, "", headers...)
}
