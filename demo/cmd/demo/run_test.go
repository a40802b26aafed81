package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func fakeJSDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range map[string]string{
		"gotrue.wasm": "\x00asm\x01\x00\x00\x00",
		"gotrue.mjs":  "export default class GoTrue {}\n",
	} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	return dir
}

// lockedBuffer is the stderr run writes request logs to from the server's
// goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var openLine = regexp.MustCompile(`open (http://127\.0\.0\.1:\d+)/`)

func TestRunServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outR, outW := io.Pipe()
	var stderr lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-js", fakeJSDir(t), "-autoconfirm"}, outW, &stderr)
		outW.Close()
	}()

	// The banner's first line says where to go.
	sc := bufio.NewScanner(outR)
	require.True(t, sc.Scan(), "no banner")
	m := openLine.FindStringSubmatch(sc.Text())
	require.NotNil(t, m, "banner: %q", sc.Text())
	origin := m[1]
	var banner []string
	for sc.Scan() {
		banner = append(banner, sc.Text())
		if strings.HasPrefix(sc.Text(), "Ctrl-C") {
			break
		}
	}
	assert.Contains(t, strings.Join(banner, "\n"), "admin@example.com / admin-password")
	go io.Copy(io.Discard, outR) // the shutdown line

	// A random operator token, printed, that is an admin's bearer.
	token := operatorOf(t, banner)
	assert.True(t, regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(token), "the operator token is 16 random bytes in hex")
	resp, err := http.Get(origin + "/.netlify/identity/admin/users")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 401, resp.StatusCode)
	req, err := http.NewRequest("GET", origin+"/.netlify/identity/admin/users", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode, "the banner's operator token is an admin")
	assert.NotContains(t, stderr.String(), token, "the request log")

	for path, ctype := range map[string]string{
		"/":                           "text/html; charset=utf-8",
		"/js/gotrue.wasm":             "application/wasm",
		"/.netlify/identity/settings": "application/json",
		"/mailbox":                    "application/json",
	} {
		resp, err := http.Get(origin + path)
		require.NoError(t, err, path)
		resp.Body.Close()
		assert.Equal(t, 200, resp.StatusCode, path)
		assert.Equal(t, ctype, resp.Header.Get("Content-Type"), path)
	}
	assert.Contains(t, stderr.String(), "GET /.netlify/identity/settings 200 ")

	stopRun(t, cancel, done)
	_, err = http.Get(origin + "/")
	assert.Error(t, err, "still listening after shutdown")
}

// operatorOf is the token of the banner's operator line.
func operatorOf(t *testing.T, banner []string) string {
	t.Helper()
	for _, l := range banner {
		if rest, ok := strings.CutPrefix(l, "  operator  "); ok {
			token, note, ok := strings.Cut(rest, "  ")
			require.True(t, ok, "the operator line has a token, then a note")
			assert.Equal(t, "(Bearer token for /admin/* and /invite)", note)
			return token
		}
	}
	t.Fatal("no operator line in the banner")
	return ""
}

// -operator-token and -allow-origin reach the server, and the banner
// says so.
func TestRunOperatorTokenAndAllowedOrigins(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-js", fakeJSDir(t),
			"-operator-token", "operator-token-of-this-test",
			"-allow-origin", "http://localhost:5173", "-allow-origin", "https://app.example"}, outW, io.Discard)
		outW.Close()
	}()
	sc := bufio.NewScanner(outR)
	var banner []string
	for sc.Scan() {
		banner = append(banner, sc.Text())
		if strings.HasPrefix(sc.Text(), "Ctrl-C") {
			break
		}
	}
	go io.Copy(io.Discard, outR)
	require.NotEmpty(t, banner, "no banner")
	m := openLine.FindStringSubmatch(banner[0])
	require.NotNil(t, m, "banner: %q", banner[0])
	origin := m[1]
	assert.Equal(t, "operator-token-of-this-test", operatorOf(t, banner))
	assert.Contains(t, banner, "  origins   http://localhost:5173, https://app.example may call the identity API too (CORS with credentials)")

	do := func(method, path string, headers ...string) *http.Response {
		req, err := http.NewRequest(method, origin+path, nil)
		require.NoError(t, err)
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	assert.Equal(t, 200, do("GET", "/.netlify/identity/admin/users", "Authorization", "Bearer operator-token-of-this-test").StatusCode)
	for o, want := range map[string]string{
		"http://localhost:5173": "http://localhost:5173",
		"https://app.example":   "https://app.example",
		origin:                  origin,
		"https://evil.example":  "",
	} {
		resp := do("OPTIONS", "/.netlify/identity/user", "Origin", o, "Access-Control-Request-Method", "PUT")
		assert.Equal(t, want, resp.Header.Get("Access-Control-Allow-Origin"), o)
	}

	stopRun(t, cancel, done)
}

func TestBanner(t *testing.T) {
	var b strings.Builder
	printBanner(&b, options{js: "/js", tokenLifetime: time.Hour}, "http://127.0.0.1:8080", "TOKEN")
	assert.Equal(t, `gotrue-wasm demo: open http://127.0.0.1:8080/
  loader    /js
  identity  http://127.0.0.1:8080/.netlify/identity (in memory: autoconfirm false, signup open, tokens last 1h0m0s)
  admin     admin@example.com / admin-password
  operator  TOKEN  (Bearer token for /admin/* and /invite)
  mailbox   http://127.0.0.1:8080/mailbox
Ctrl-C to stop.
`, b.String())

	b.Reset()
	printBanner(&b, options{js: "/js", tokenLifetime: time.Hour, identity: "https://x.netlify.app/.netlify/identity"}, "http://127.0.0.1:8080", "")
	assert.NotContains(t, b.String(), "operator", "a proxied identity has no operator token here")
	assert.NotContains(t, b.String(), "origins")
}

func TestRunMissingWasm(t *testing.T) {
	dir := t.TempDir()
	err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-js", dir}, io.Discard, io.Discard)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "make wasm")
	assert.Contains(t, err.Error(), filepath.Join(dir, "gotrue.wasm"))
}

func TestRunPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	err = run(context.Background(), []string{"-addr", ln.Addr().String(), "-js", fakeJSDir(t)}, io.Discard, io.Discard)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "-addr")
}

func TestRunBadFlags(t *testing.T) {
	err := run(context.Background(), []string{"-nope"}, io.Discard, io.Discard)
	assert.Error(t, err)
}

func TestOriginOf(t *testing.T) {
	tests := map[string]string{
		"127.0.0.1:8080": "http://127.0.0.1:8080",
		"0.0.0.0:8080":   "http://127.0.0.1:8080",
		"[::]:8080":      "http://127.0.0.1:8080",
		"[::1]:8080":     "http://[::1]:8080",
		"192.0.2.7:80":   "http://192.0.2.7:80",
	}
	for in, want := range tests {
		addr, err := net.ResolveTCPAddr("tcp", in)
		require.NoError(t, err)
		assert.Equal(t, want, originOf(addr), in)
	}
}

// stopRun cancels run's context and waits for it to return cleanly.
func stopRun(t *testing.T, cancel context.CancelFunc, done <-chan error) {
	t.Helper()
	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(shutdownTimeout + 2*time.Second):
		t.Fatal("run did not return after ctx was cancelled")
	}
}
