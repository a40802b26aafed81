package gotrue_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xcontext"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xtime"
)

// makeJWT builds a token with the given claims; the client never checks
// the signature, so a fixed one does.
func makeJWT(claims map[string]any) string {
	enc := base64.RawURLEncoding
	head := enc.EncodeToString([]byte(`{"alg":"HS256","kid":"nf-ident","typ":"JWT"}`))
	body, _ := json.Marshal(claims)
	return head + "." + enc.EncodeToString(body) + ".c2lnbmF0dXJl"
}

// fakeAPI is a scripted server behind a Transport: each "METHOD /path"
// answers from its handler, and every request is recorded.
type fakeAPI struct {
	mu       sync.Mutex
	handlers map[string]func(*gotrue.Request) *gotrue.Response
	requests []gotrue.Request
	netErr   map[string]error // routes that fail as a dead network does
}

func newFakeAPI() *fakeAPI {
	return &fakeAPI{handlers: map[string]func(*gotrue.Request) *gotrue.Response{}}
}

func (f *fakeAPI) handle(route string, h func(*gotrue.Request) *gotrue.Response) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handlers[route] = h
}

func (f *fakeAPI) Do(ctx xcontext.Context, req *gotrue.Request) (*gotrue.Response, error) {
	path := req.URL
	if i := strings.Index(path, "/api"); i >= 0 {
		path = path[i+len("/api"):]
	}
	f.mu.Lock()
	f.requests = append(f.requests, *req)
	h := f.handlers[req.Method+" "+path]
	netErr := f.netErr[req.Method+" "+path]
	f.mu.Unlock()
	if netErr != nil {
		return nil, netErr
	}
	if h == nil {
		return textAnswer(404, "404 page not found\n"), nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return h(req), nil
}

func (f *fakeAPI) failNetwork(route string, err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.netErr == nil {
		f.netErr = map[string]error{}
	}
	if err == nil {
		delete(f.netErr, route)
	} else {
		f.netErr[route] = err
	}
}

func (f *fakeAPI) count(route string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range f.requests {
		p := r.URL[strings.Index(r.URL, "/api")+4:]
		if r.Method+" "+p == route {
			n++
		}
	}
	return n
}

func (f *fakeAPI) last() gotrue.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests[len(f.requests)-1]
}

var statusTexts = map[int]string{200: "OK", 204: "No Content", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 422: "Unprocessable Entity", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}

func jsonAnswer(status int, body string) *gotrue.Response {
	return &gotrue.Response{Status: status, StatusText: statusTexts[status], Header: map[string]string{"Content-Type": "application/json"}, Body: []byte(body)}
}

func textAnswer(status int, body string) *gotrue.Response {
	return &gotrue.Response{Status: status, StatusText: statusTexts[status], Header: map[string]string{"Content-Type": "text/plain; charset=utf-8"}, Body: []byte(body)}
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() xtime.Time { return xtime.UnixMilli(c.at().UnixMilli()) }

// at is Now as a time.Time, which the browser build's Now is not.
func (c *fakeClock) at() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// logRecorder is a Logger that keeps what it is told.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
}

func (l *logRecorder) Warn(m string)  { l.add("warn: " + m) }
func (l *logRecorder) Error(m string) { l.add("error: " + m) }
func (l *logRecorder) add(m string) {
	l.mu.Lock()
	l.lines = append(l.lines, m)
	l.mu.Unlock()
}
func (l *logRecorder) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

const (
	fakeUserJSON = `{"id":"11111111-2222-4333-8444-555555555555","aud":"","role":"","email":"ann@example.com","confirmed_at":"2026-01-01T00:00:00Z","app_metadata":{"provider":"email"},"user_metadata":{"full_name":"Ann \u0026 Co"},"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-01-01T00:00:00Z"}`
)

// world is a client over a fakeAPI that plays a small GoTrue: /token hands
// out rotating tokens that expire an hour after the fake clock's now.
type world struct {
	api     *fakeAPI
	clock   *fakeClock
	log     *logRecorder
	storage *gotrue.MemoryStorage
	session *gotrue.SessionStore
	client  *gotrue.Client

	mu      sync.Mutex
	serial  int
	refresh string // the refresh token the server accepts now
}

func newWorld(t *testing.T, opts gotrue.Options) *world {
	t.Helper()
	w := &world{
		api:     newFakeAPI(),
		clock:   &fakeClock{now: time.Unix(1_800_000_000, 0)},
		log:     &logRecorder{},
		storage: &gotrue.MemoryStorage{},
	}
	w.session = gotrue.NewSessionStore(w.storage, nil)
	opts.Transport, opts.Clock, opts.Logger, opts.Session = w.api, w.clock, w.log, w.session
	w.client = gotrue.New("https://example.com/api", opts)
	w.api.handle("POST /token", func(r *gotrue.Request) *gotrue.Response {
		body := string(r.Body)
		if strings.HasPrefix(body, "grant_type=refresh_token") {
			w.mu.Lock()
			ok := w.refresh != "" && body == "grant_type=refresh_token&refresh_token="+w.refresh
			w.mu.Unlock()
			if !ok {
				return jsonAnswer(400, `{"error":"invalid_grant","error_description":"Invalid Refresh Token"}`)
			}
		} else if body != "grant_type=password&username=ann%40example.com&password=secret" {
			return jsonAnswer(400, `{"error":"invalid_grant","error_description":"No user found with that email, or password invalid."}`)
		}
		return jsonAnswer(200, w.issue())
	})
	w.api.handle("GET /user", func(r *gotrue.Request) *gotrue.Response {
		if !strings.HasPrefix(r.Header["Authorization"], "Bearer ") {
			return jsonAnswer(401, `{"code":401,"msg":"This endpoint requires a Bearer token"}`)
		}
		return jsonAnswer(200, fakeUserJSON)
	})
	w.api.handle("POST /logout", func(*gotrue.Request) *gotrue.Response {
		return &gotrue.Response{Status: 204, StatusText: "No Content", Header: map[string]string{}}
	})
	return w
}

// issue answers a token response and makes its refresh token the valid one.
func (w *world) issue() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.serial++
	w.refresh = "refresh-" + strconv.Itoa(w.serial)
	exp := w.clock.at().Add(time.Hour).Unix()
	access := makeJWT(map[string]any{"exp": exp, "sub": "11111111-2222-4333-8444-555555555555", "email": "ann@example.com", "app_metadata": map[string]any{"provider": "email"}, "user_metadata": map[string]any{}})
	return `{"access_token":"` + access + `","token_type":"bearer","expires_in":3600,"refresh_token":"` + w.refresh + `"}`
}

func (w *world) saved() string {
	v, _, _ := w.storage.Get(gotrue.StorageKey)
	return v
}

func (w *world) login(t *testing.T, remember bool) *gotrue.User {
	t.Helper()
	u, err := w.client.Login(context.Background(), "ann@example.com", "secret", remember)
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	return u
}

// failingLocker has no cross-tab lock to give.
type failingLocker struct{}

func (failingLocker) Lock(xcontext.Context, string) (func(), bool, error) {
	return nil, false, errors.New("navigator.locks is not available")
}

// tab is another client over storage (another browser tab, or the same
// tab's view of a shared storage) with its own session state and locker.
func (w *world) tab(storage gotrue.Storage, locker gotrue.Locker) *gotrue.Client {
	return gotrue.New("https://example.com/api", gotrue.Options{Transport: w.api, Session: gotrue.NewSessionStore(storage, locker), Clock: w.clock, Logger: w.log})
}

// userAnswer answers GET /user with another user, for tests where a
// second user logs in.
func (w *world) userAnswer(id, email string) {
	w.api.handle("GET /user", func(*gotrue.Request) *gotrue.Response {
		return jsonAnswer(200, `{"id":"`+id+`","email":"`+email+`"}`)
	})
}

const refusedRefresh = `{"error":"invalid_grant","error_description":"Invalid Refresh Token"}`

// holdRefreshes makes every refresh request wait until answer is closed
// and then be refused; started is closed when the first one arrives.
// Logins are served as usual.
func (w *world) holdRefreshes() (started, answer chan struct{}) {
	started, answer = make(chan struct{}), make(chan struct{})
	var once sync.Once
	w.api.handle("POST /token", func(r *gotrue.Request) *gotrue.Response {
		if !strings.HasPrefix(string(r.Body), "grant_type=refresh_token") {
			return jsonAnswer(200, w.issue())
		}
		once.Do(func() { close(started) })
		<-answer
		return jsonAnswer(400, refusedRefresh)
	})
	return started, answer
}

// refusedRefreshAround starts a refresh of u that the server holds, runs
// meanwhile while it is held, then has the server refuse it and checks
// that u's refresh failed.
func (w *world) refusedRefreshAround(t *testing.T, u *gotrue.User, meanwhile func()) {
	t.Helper()
	started, answer := w.holdRefreshes()
	done := make(chan error)
	go func() {
		_, err := u.JWT(context.Background(), true)
		done <- err
	}()
	<-started
	meanwhile()
	close(answer)
	if err := <-done; err == nil {
		t.Fatal("the held refresh succeeded; want it refused")
	}
}
