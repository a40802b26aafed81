package soak

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gotrue-wasm/gotrue-wasm/demo/devserver"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
)

// fakeWasm is compressible and starts like a real module, so the gzip
// answer is checkable byte for byte after decompression.
var fakeWasm = append([]byte("\x00asm\x01\x00\x00\x00"), bytes.Repeat([]byte("gotrue-wasm soak module "), 400)...)

const fakeBrotli = "fake brotli bytes"

// fakeJSDir makes a loader folder as `make wasm` leaves it: gotrue.wasm
// with fresher .br and .gz siblings, and the module loader.
func fakeJSDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, err := zw.Write(fakeWasm)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	for name, data := range map[string][]byte{
		"gotrue.wasm":    fakeWasm,
		"gotrue.wasm.br": []byte(fakeBrotli),
		"gotrue.wasm.gz": gz.Bytes(),
		"gotrue.mjs":     []byte("export default class GoTrue {}\n"),
	} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
	// Siblings older than the wasm would be skipped as stale.
	past := time.Now().Add(-time.Hour)
	require.NoError(t, os.Chtimes(filepath.Join(dir, "gotrue.wasm"), past, past))
	return dir
}

// tally counts outcomes by operation and kind ("login-wrong 400
// invalid_grant"), and keeps the first few unexpected ones for the report.
type tally struct {
	mu         sync.Mutex
	outcomes   map[string]int
	unexpected int
	samples    []string
}

const maxSamples = 20

func (t *tally) add(op, kind string, expected bool, detail string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.outcomes == nil {
		t.outcomes = map[string]int{}
	}
	t.outcomes[op+" "+kind]++
	if expected {
		return
	}
	t.unexpected++
	if len(t.samples) < maxSamples {
		t.samples = append(t.samples, op+" "+kind+": "+detail)
	}
}

// byKind sums the outcomes by kind alone ("ok", "400 invalid_grant", …),
// sorted, for the one-line summary.
func (t *tally) byKind() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	sums := map[string]int{}
	for k, n := range t.outcomes {
		_, kind, _ := strings.Cut(k, " ")
		sums[kind] += n
	}
	keys := make([]string, 0, len(sums))
	for k := range sums {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + strconv.Itoa(sums[k])
	}
	return strings.Join(parts, " ")
}

// details lists every "op kind" with its count, sorted.
func (t *tally) details() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	keys := make([]string, 0, len(t.outcomes))
	for k := range t.outcomes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString("  " + k + ": " + strconv.Itoa(t.outcomes[k]) + "\n")
	}
	return b.String()
}

func (t *tally) failures() (int, []string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.unexpected, slices.Clone(t.samples)
}

// kindOf names an outcome: "ok", the status and OAuth error code of a
// JSON error ("400 invalid_grant"), the status alone ("429"), "404 text"
// for a text answer, "network" or "error" otherwise.
func kindOf(err error) string {
	if err == nil {
		return "ok"
	}
	var je *gotrue.JSONHTTPError
	if errors.As(err, &je) {
		if obj, perr := gotrue.ParseObject(je.JSON); perr == nil {
			if code := obj.String("error"); code != "" {
				return strconv.Itoa(je.Status) + " " + code
			}
		}
		return strconv.Itoa(je.Status)
	}
	var te *gotrue.TextHTTPError
	if errors.As(err, &te) {
		return strconv.Itoa(te.Status) + " text"
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return "cancelled"
	}
	var ie *gotrue.InvalidAnswerError
	if errors.As(err, &ie) {
		return "invalid-answer"
	}
	return "error"
}

// harness is the origin under test and what every worker shares: one
// HTTP connection pool (as one browser would have), the request counter
// and the tally.
type harness struct {
	url      string // the origin, http://127.0.0.1:port
	api      string // url + /.netlify/identity
	identity *gotruetest.Server
	pool     *http.Transport
	hc       *http.Client
	core     *gotrue.HTTPTransport
	tally    tally
	sent     atomic.Int64 // HTTP requests sent, by the core and raw
	limit    int64
}

func newHarness(t *testing.T, clients int) *harness {
	t.Helper()
	srv, err := devserver.New(devserver.Config{JSDir: fakeJSDir(t)})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	// Traffic stays on the loopback server httptest picked.
	require.True(t, strings.HasPrefix(ts.URL, "http://127.0.0.1:"), ts.URL)
	srv.SetSiteURL(ts.URL)

	pool := &http.Transport{
		// Keep one idle connection per client, so connections are reused
		// rather than opened and left in TIME_WAIT by the thousand.
		MaxIdleConns:        clients * 2,
		MaxIdleConnsPerHost: clients * 2,
		IdleConnTimeout:     time.Minute,
		// The test looks at Content-Encoding itself.
		DisableCompression: true,
	}
	t.Cleanup(pool.CloseIdleConnections)
	hc := &http.Client{
		Transport: pool,
		Timeout:   30 * time.Second, // bounds every request in time
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	return &harness{
		url:      ts.URL,
		api:      ts.URL + devserver.IdentityPath,
		identity: srv.Identity(),
		pool:     pool,
		hc:       hc,
		core:     &gotrue.HTTPTransport{Client: hc},
	}
}

// more tells whether the request budget is not spent yet.
func (h *harness) more() bool { return h.sent.Load() < h.limit }

// Do is the clients' Transport: it counts the request and reports any 5xx,
// whatever the operation expected.
func (h *harness) Do(ctx context.Context, req *gotrue.Request) (*gotrue.Response, error) {
	h.sent.Add(1)
	resp, err := h.core.Do(ctx, req)
	if err == nil && resp.Status >= 500 {
		h.tally.add("5xx", strconv.Itoa(resp.Status), false, req.Method+" "+strings.TrimPrefix(req.URL, h.url))
	}
	return resp, err
}

// newClient is a client with a session of its own, as a new browser page.
func (h *harness) newClient(apiURL string) *gotrue.Client {
	return gotrue.New(apiURL, gotrue.Options{
		Transport: h,
		Session:   gotrue.NewSessionStore(&gotrue.MemoryStorage{}, nil),
		Logger:    &logCheck{h: h},
	})
}

type rawReply struct {
	status int
	header http.Header
	body   []byte
}

// raw sends a request the client core has no method for; headers are
// name, value pairs. It counts the request and reports any 5xx.
func (h *harness) raw(ctx context.Context, method, path string, headers ...string) (rawReply, error) {
	h.sent.Add(1)
	req, err := http.NewRequestWithContext(ctx, method, h.url+path, nil)
	if err != nil {
		return rawReply{}, err
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := h.hc.Do(req)
	if err != nil {
		return rawReply{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return rawReply{}, err
	}
	if resp.StatusCode >= 500 {
		h.tally.add("5xx", strconv.Itoa(resp.StatusCode), false, method+" "+path)
	}
	return rawReply{status: resp.StatusCode, header: resp.Header, body: body}, nil
}

// logCheck is the clients' Logger: gotrue-js's http:// warning is
// expected once per client (the test server is plain http); any other
// warning or error means something went wrong.
type logCheck struct{ h *harness }

func (l *logCheck) Warn(m string) {
	if strings.HasPrefix(m, "Warning:\n\nDO NOT USE HTTP IN PRODUCTION") {
		return
	}
	l.h.tally.add("log", "warn", false, m)
}

func (l *logCheck) Error(m string) { l.h.tally.add("log", "error", false, m) }
