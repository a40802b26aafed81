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

	cancel()
	select {
	case err := <-done:
		assert.NoError(t, err)
	case <-time.After(shutdownTimeout + 2*time.Second):
		t.Fatal("run did not return after ctx was cancelled")
	}
	_, err := http.Get(origin + "/")
	assert.Error(t, err, "still listening after shutdown")
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
