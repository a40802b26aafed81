package gotruetest

import (
	"net/http"
	"net/http/httptest"
)

// TB is the part of testing.TB that NewServer uses; a *testing.T, *testing.B
// or *testing.F satisfies it. NewServer takes this rather than testing.TB
// so that the package does not import package testing, which would
// otherwise be linked into every program that uses it (gotruetest-server,
// the demo server).
type TB interface {
	Helper()
	Cleanup(func())
}

// TestServer is a Server listening on a local port for one test.
type TestServer struct {
	*Server
	URL string // base URL of the API, e.g. http://127.0.0.1:12345 (no trailing slash)

	ts *httptest.Server
}

// NewServer starts a Server on an httptest.Server with the API at the root
// of URL; opts adjust the Config first. The server is closed when the test
// ends.
func NewServer(t TB, opts ...func(*Config)) *TestServer {
	t.Helper()
	var cfg Config
	for _, o := range opts {
		o(&cfg)
	}
	s := New(cfg)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return &TestServer{Server: s, URL: ts.URL, ts: ts}
}

// Client returns an HTTP client for the server.
func (ts *TestServer) Client() *http.Client { return ts.ts.Client() }
