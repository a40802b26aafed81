package reliability

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gotrue-wasm/gotrue-wasm/demo/devserver"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
	"github.com/gotrue-wasm/gotrue-wasm/internal/pagetest"
)

var long = flag.Bool("long", false, "run the slow variants too: a 100,000-call fuzz, the 30 s client timeout against a hung server")

// TestMain runs the tests, then fails the run if any token or password
// reached a console message, an exception, a log entry or an error a test
// caught, in any test of the package.
func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	found, n, distinct, secrets := leaks.check()
	fmt.Printf("leak check: %d messages (%d distinct) against %d secrets: %d leaks\n", n, distinct, secrets, len(found))
	for _, f := range found {
		fmt.Println("LEAK:", f)
	}
	if path := os.Getenv("RELIABILITY_MESSAGES"); path != "" {
		leaks.dump(path) // for a human who wants to read what the pages said
	}
	if len(found) > 0 && code == 0 {
		code = 1
	}
	os.Exit(code)
}

// site is the demo origin with the reliability pages at /t/, the
// reference gotrue-js at /ref/, a stub API at /stub (instant canned
// answers), and the identity API behind a tap that records every token it
// issues and lets a test break chosen requests.
type site struct {
	*pagetest.Site
	tap *tap
}

type siteOptions struct {
	config    devserver.Config
	handle    map[string]http.Handler
	reference bool // mount gotrue-js 1.0.1 at /ref/
}

func startSite(t testing.TB, o siteOptions) *site {
	t.Helper()
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	tp := &tap{}
	handle := map[string]http.Handler{
		devserver.IdentityPath + "/": tp,
		"/stub/":                     http.StripPrefix("/stub", stubAPI{}),
	}
	for k, v := range o.handle {
		handle[k] = v
	}
	mount := map[string]string{"/t/": dir}
	if o.reference {
		mount["/ref/"] = pagetest.ReferenceDir(t)
	}
	s := &site{Site: pagetest.StartSite(t, pagetest.Options{Config: o.config, Mount: mount, Handle: handle}), tap: tp}
	tp.mu.Lock()
	tp.next = s.Dev // known only once the site runs; no page has loaded yet
	tp.mu.Unlock()
	return s
}

// newUser creates a confirmed user on the identity server and registers
// its password as a secret.
func (s *site) newUser(t testing.TB, name string) (email, password string) {
	t.Helper()
	email = fmt.Sprintf("%s-%d@example.com", name, userSeq.Add(1))
	password = fmt.Sprintf("pw-%s-%d-Zq8!x%d", name, userSeq.Add(1), time.Now().UnixNano())
	if _, err := s.Identity.CreateUser(gotruetest.UserParams{Email: email, Password: password, Confirmed: true}); err != nil {
		t.Fatal(err)
	}
	leaks.secret("password of "+email, password)
	return email, password
}

var userSeq atomic.Int64

// session logs email in natively (the same core the page runs) and returns
// the saved session, as the page would find it in localStorage after
// login(email, password, true) on a GoTrue with the default APIUrl.
func (s *site) session(t testing.TB, email, password string) string {
	t.Helper()
	store := gotrue.NewSessionStore(&gotrue.MemoryStorage{}, nil)
	c := gotrue.New(s.URL+devserver.IdentityPath, gotrue.Options{Session: store})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.Login(ctx, email, password, true); err != nil {
		t.Fatal(err)
	}
	raw, ok, err := store.Storage().Get(gotrue.StorageKey)
	if err != nil || !ok {
		t.Fatalf("no saved session after login: %v", err)
	}
	obj, err := gotrue.ParseObject([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	obj.SetString("url", devserver.IdentityPath)
	leaks.tokensIn("saved session of "+email, obj.Bytes())
	return string(obj.Bytes())
}

// tap stands in front of the identity API: it records the tokens of every
// answer as secrets, and a test may set intercept to answer some requests
// itself (a 503 for refreshes, say).
type tap struct {
	next      http.Handler
	mu        sync.Mutex
	intercept func(w http.ResponseWriter, r *http.Request, body []byte) bool
}

func (tp *tap) set(f func(w http.ResponseWriter, r *http.Request, body []byte) bool) {
	tp.mu.Lock()
	tp.intercept = f
	tp.mu.Unlock()
}

func (tp *tap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	tp.mu.Lock()
	f := tp.intercept
	tp.mu.Unlock()
	if f != nil && f(w, r, body) {
		return
	}
	tp.forward(w, r)
}

// forward passes a request on to the identity server, recording the
// tokens of its answer, and the bearer and refresh tokens of the request
// when the server accepted them. A credential it refused is not one: the
// fuzz sends its own strings as tokens ('javascript:alert(1)' among
// them), and the browser's log of a 404 for the same string used as a
// path would otherwise count as a leak. Every token the server issued is
// recorded when it is issued.
func (tp *tap) forward(w http.ResponseWriter, r *http.Request) {
	tp.mu.Lock()
	next := tp.next
	tp.mu.Unlock()
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	cw := &captureWriter{ResponseWriter: w, status: http.StatusOK}
	next.ServeHTTP(cw, r)
	leaks.tokensIn("token issued by the identity server", cw.buf.Bytes())
	if cw.status >= 400 {
		return
	}
	if b, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		leaks.token("bearer token sent to the server", b)
	}
	if strings.Contains(r.Header.Get("Content-Type"), "form") {
		if q, err := url.ParseQuery(string(body)); err == nil {
			leaks.token("refresh token sent to the server", q.Get("refresh_token"))
		}
	}
}

// isRefresh tells a refresh (POST /token, grant_type=refresh_token).
func isRefresh(r *http.Request, body []byte) bool {
	q, _ := url.ParseQuery(string(body))
	return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/token") && q.Get("grant_type") == "refresh_token"
}

type captureWriter struct {
	http.ResponseWriter
	buf    bytes.Buffer
	status int
}

func (w *captureWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

func (w *captureWriter) Write(b []byte) (int, error) {
	if w.buf.Len() < 1<<20 {
		w.buf.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

// fakeJWT is an unsigned-looking JWT with the given payload, for answers
// the identity server would never give. Its signature is random so that
// the leak check can recognise it.
func fakeJWT(payload string) string {
	head := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","kid":"nf-ident","typ":"JWT"}`))
	sig := base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "fake-signature-%d-%d", time.Now().UnixNano(), userSeq.Add(1)))
	tok := head + "." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + sig
	leaks.token("fake token", tok)
	return tok
}

// stubAPI answers every identity route at once with canned, valid
// answers, so that the fuzz's thousands of calls are quick.
type stubAPI struct{}

var (
	stubAccess  = fakeJWT(fmt.Sprintf(`{"exp":%d,"sub":"stub-user","email":"fuzz@example.com"}`, time.Now().Add(24*time.Hour).Unix()))
	stubRefresh = "stub-refresh-token-" + fmt.Sprint(time.Now().UnixNano())
	stubUser    = `{"id":"stub-user","aud":"","role":"","email":"fuzz@example.com","app_metadata":{"roles":["admin"]},"user_metadata":{}}`
)

func init() { leaks.secret("stub refresh token", stubRefresh) }

func (stubAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	answer := func(status int, v string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, v)
	}
	tokenJSON := fmt.Sprintf(`{"access_token":%q,"token_type":"bearer","expires_in":86400,"refresh_token":%q}`, stubAccess, stubRefresh)
	switch p := r.URL.Path; {
	case p == "/token" || p == "/verify":
		answer(200, tokenJSON)
	case p == "/user" || p == "/signup" || strings.HasPrefix(p, "/admin/users/") || p == "/admin/users" && r.Method == http.MethodPost:
		answer(200, stubUser)
	case p == "/admin/users":
		answer(200, `{"aud":"","users":[`+stubUser+`]}`)
	case p == "/settings":
		answer(200, `{"external":{"email":true},"external_labels":{},"disable_signup":false,"autoconfirm":false}`)
	case p == "/recover":
		answer(200, `{}`)
	case p == "/logout":
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

// newBrowser starts Chromium with its first tab watched.
func newBrowser(t testing.TB) context.Context {
	t.Helper()
	ctx := pagetest.NewBrowser(t)
	watch(t, ctx)
	return ctx
}

// newTab opens another watched tab of the same browser profile.
func newTab(t testing.TB, browser context.Context) context.Context {
	t.Helper()
	ctx := pagetest.NewTab(t, browser)
	watch(t, ctx)
	return ctx
}

// open navigates tab to the test page, runs setup (JavaScript that may
// seed or break localStorage before the library loads), then loads
// gotrue-wasm, or gotrue-js 1.0.1 when reference is set.
func open(t testing.TB, tab context.Context, s *site, setup string, reference bool) {
	t.Helper()
	load := "rt.load()"
	if reference {
		load = "rt.loadReference()"
	}
	steps := []chromedp.Action{chromedp.Navigate(s.URL + "/t/page.html"), pagetest.WaitFor("window.rt")}
	if setup != "" {
		// Statements, run for their effect: their value is not returned.
		steps = append(steps, chromedp.Evaluate("(() => {\n"+setup+"\n})(), true", nil))
	}
	if err := chromedp.Run(tab, steps...); err != nil {
		t.Fatal(err)
	}
	must(t, tab, load, nil)
}

// must awaits a page expression and decodes its value into out.
func must(t testing.TB, tab context.Context, expr string, out any) {
	t.Helper()
	if err := pagetest.Await(tab, expr, out); err != nil {
		t.Fatalf("%s: %v", firstLine(expr), err)
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

// jsString quotes s for a JavaScript expression.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// outcome is rt.outcome's answer: a value, an error (as rt.describe makes
// it) or a Promise that never settled.
type outcome struct {
	OK    bool            `json:"ok"`
	Sync  bool            `json:"sync"`
	Hung  bool            `json:"hung"`
	Value json.RawMessage `json:"value"`
	Error *jsError        `json:"error"`
	// Start and End (Date.now()) are set by tests that time calls.
	Start float64 `json:"start"`
	End   float64 `json:"end"`
}

type jsError struct {
	IsError bool            `json:"isError"`
	Type    string          `json:"type"`
	Text    string          `json:"text"`
	Name    string          `json:"name"`
	Message string          `json:"message"`
	Status  int             `json:"status"`
	Data    json.RawMessage `json:"data"`
	JSON    json.RawMessage `json:"json"`
	Ctor    string          `json:"ctor"`
	Stack   string          `json:"stack"`
}

func (o outcome) String() string {
	switch {
	case o.Hung:
		return "never settled"
	case o.OK:
		v := leaks.redact(string(o.Value))
		if len(v) > 160 {
			v = v[:160] + "…"
		}
		return "ok " + v
	case o.Error == nil:
		return "failed without an error value"
	}
	e := o.Error
	s := e.Name
	if !e.IsError {
		s = "non-Error " + e.Type + " " + e.Text
	}
	if e.Status != 0 {
		s += fmt.Sprintf(" %d", e.Status)
	}
	return s + ": " + e.Message
}

// call runs a page expression through rt.outcome and records the error
// text (for the leak check).
func call(t testing.TB, tab context.Context, expr string) outcome {
	t.Helper()
	var o outcome
	must(t, tab, "rt.outcome(() => "+expr+")", &o)
	if o.Error != nil {
		leaks.observe(t.Name()+" caught", fmt.Sprintf("%s %s %s %s %s %s", o.Error.Text, o.Error.Name, o.Error.Message, o.Error.Data, o.Error.JSON, o.Error.Stack))
	}
	return o
}
