package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gotrue-wasm/gotrue-wasm/demo/devserver"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
	"github.com/gotrue-wasm/gotrue-wasm/internal/pagetest"
)

// The clients a page can load.
const (
	oursModule = "/js/gotrue.mjs"
	refModule  = "/ref/lib/index.js"
)

// site is a fresh demo origin for one page, plus what the tests serve
// beside it: testdata at /e2e/, the reference gotrue-js at /ref/, and the
// page's helper endpoints at /e2e-api/ (see pageAPI).
type site struct {
	*pagetest.Site
	api *pageAPI
}

func startSite(t *testing.T) *site {
	t.Helper()
	return startSiteWith(t, nil)
}

// startSiteWith also serves handlers (URL pattern → handler).
func startSiteWith(t *testing.T, handlers map[string]http.Handler) *site {
	t.Helper()
	return startSiteConfig(t, devserver.Config{}, handlers)
}

// startSiteConfig starts a site with the dev server configured by cfg. With
// cfg.IdentityURL the identity API is a real GoTrue behind the dev server's
// proxy, and the requests to it are recorded on their way there.
func startSiteConfig(t *testing.T, cfg devserver.Config, handlers map[string]http.Handler) *site {
	t.Helper()
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	api := &pageAPI{}
	handle := map[string]http.Handler{"/e2e-api/": api}
	for p, h := range handlers {
		handle[p] = h
	}
	var proxied *requestLog
	if cfg.IdentityURL != "" {
		proxied = &requestLog{}
		handle[devserver.IdentityPath+"/"] = proxied.wrap(devserver.IdentityPath, &lateHandler{})
	}
	s := pagetest.StartSite(t, pagetest.Options{
		Config: cfg,
		Mount:  map[string]string{"/e2e/": testdata, "/ref/": pagetest.ReferenceDir(t)},
		Handle: handle,
	})
	api.set(s, nil)
	api.proxied = proxied
	if proxied != nil {
		proxied.next.(*lateHandler).set(s.Dev)
	} else {
		clock := &steppingClock{t: time.Now()}
		s.Identity.SetConfig(func(c *gotruetest.Config) { c.Now = clock.Now })
	}
	return &site{Site: s, api: api}
}

// mails are the embedded identity server's mails; none when proxied.
func (s *site) mails() []gotruetest.Mail {
	if s.Identity == nil {
		return nil
	}
	return s.Identity.Mails()
}

// requestLog records the requests to a proxied identity API the way
// gotruetest records its own, for the transcripts.
type requestLog struct {
	mu   sync.Mutex
	reqs []gotruetest.RecordedRequest
	next http.Handler
}

func (l *requestLog) wrap(prefix string, next http.Handler) http.Handler {
	l.next = next
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		path := strings.TrimPrefix(r.URL.Path, prefix)
		if r.URL.RawQuery != "" {
			path += "?" + r.URL.RawQuery
		}
		l.mu.Lock()
		l.reqs = append(l.reqs, gotruetest.RecordedRequest{Method: r.Method, Path: path, Header: r.Header.Clone(), Body: string(body)})
		l.mu.Unlock()
		l.next.ServeHTTP(w, r)
	})
}

// take returns the requests since the last call and forgets them.
func (l *requestLog) take() []gotruetest.RecordedRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	reqs := l.reqs
	l.reqs = nil
	return reqs
}

// lateHandler forwards to a handler set after the server started: the dev
// server exists only once pagetest has built it.
type lateHandler struct {
	mu sync.Mutex
	h  http.Handler
}

func (l *lateHandler) set(h http.Handler) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.h = h
}

func (l *lateHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	l.mu.Lock()
	h := l.h
	l.mu.Unlock()
	h.ServeHTTP(w, r)
}

// steppingClock moves the server's clock one second per reading, so that
// no two tokens it signs are alike (a JWT has one-second resolution, and a
// refresh within the same second would otherwise repeat the access token
// in one run and not in the other).
type steppingClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *steppingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// open loads a testdata page (e.g. /e2e/harness.html) in a new tab, with
// nothing saved for the origin, and waits until the page says it is ready
// (data-state on <html>).
func (s *site) open(t *testing.T, page string) context.Context {
	t.Helper()
	tab := newTab(t, 60*time.Second)
	s.api.set(s.Site, tab)
	if err := pagetest.ClearStorage(tab, s.URL); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(tab, chromedp.Navigate(s.URL+page), pagetest.WaitFor(`document.documentElement.dataset.state !== 'loading'`)); err != nil {
		t.Fatalf("loading %s: %v", page, err)
	}
	var state struct{ State, Error string }
	if err := pagetest.Await(tab, `({State: document.documentElement.dataset.state, Error: document.documentElement.dataset.error || ''})`, &state); err != nil {
		t.Fatal(err)
	}
	if state.State != "ready" {
		t.Fatalf("%s did not load: %s %s", page, state.State, state.Error)
	}
	return tab
}

// harness opens the harness page with a client module.
func (s *site) harness(t *testing.T, module string) context.Context {
	t.Helper()
	return s.open(t, "/e2e/harness.html?client="+url.QueryEscape(module))
}

// pageAPI serves what a page cannot do by itself: the requests the
// identity server received since the last ask, the end of an OAuth
// redirect chain, the HttpOnly cookies (through CDP), and identity APIs in
// trouble. The site and tab are set after the server starts, hence the
// lock.
type pageAPI struct {
	mu      sync.Mutex
	site    *pagetest.Site
	tab     context.Context
	proxied *requestLog // set when the identity API is a real server
}

func (a *pageAPI) set(s *pagetest.Site, tab context.Context) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.site, a.tab = s, tab
}

func (a *pageAPI) get() (*pagetest.Site, context.Context) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.site, a.tab
}

func (a *pageAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s, tab := a.get()
	var v any
	var err error
	switch r.URL.Path {
	case "/e2e-api/requests":
		if a.proxied != nil {
			v = seenRequests(a.proxied.take())
		} else {
			v = seenRequests(takeRequests(s))
		}
	case "/e2e-api/oauth":
		v, err = followOAuth(s.URL, r.URL.Query().Get("url"))
	case "/e2e-api/cookies":
		if tab == nil {
			err = errors.New("no tab")
			break
		}
		v, err = cookiesOf(tab, s.URL)
	default:
		if !troubled(w, r) {
			http.NotFound(w, r)
		}
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// troubled serves the APIs in trouble that scenarios point a GoTrue at
// (APIUrl /e2e-api/down and so on): it answers every path below them the
// same way, and reports whether the path was one of them.
func troubled(w http.ResponseWriter, r *http.Request) bool {
	answers := map[string]struct {
		status      int
		contentType string
		body        string
	}{
		"down":       {http.StatusServiceUnavailable, "application/json", `{"code":503,"msg":"Service Unavailable"}`},
		"badjson":    {http.StatusOK, "application/json", `{not json`},
		"badgateway": {http.StatusBadGateway, "application/json", `<html>Bad Gateway</html>`},
	}
	name, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/e2e-api/"), "/")
	a, ok := answers[name]
	if !ok {
		return false
	}
	w.Header().Set("Content-Type", a.contentType)
	w.WriteHeader(a.status)
	_, _ = w.Write([]byte(a.body))
	return true
}

// seenRequest is what a transcript keeps of a request to the identity
// API: the headers the contract speaks of (when sent), the nf_jwt cookie
// the browser attached, and the body (JSON parsed, a form as text).
type seenRequest struct {
	Method  string            `json:"method"`
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers,omitempty"`
	Cookie  string            `json:"nf_jwt,omitempty"`
	Body    any               `json:"body,omitempty"`
}

var recordedHeaders = []string{"X-Nf-Client", "Content-Type", "X-JWT-AUD", "X-Use-Cookie", "Authorization"}

// takeRequests returns the embedded server's requests since the last call
// and forgets them.
func takeRequests(s *pagetest.Site) []gotruetest.RecordedRequest {
	reqs := s.Identity.Requests()
	s.Identity.ResetRequests()
	return reqs
}

// seenRequests keeps what a transcript compares of each request.
func seenRequests(reqs []gotruetest.RecordedRequest) []seenRequest {
	out := make([]seenRequest, 0, len(reqs))
	for _, r := range reqs {
		sr := seenRequest{Method: r.Method, Path: r.Path, Headers: map[string]string{}}
		for _, h := range recordedHeaders {
			if vs, ok := r.Header[http.CanonicalHeaderKey(h)]; ok {
				sr.Headers[h] = strings.Join(vs, ", ")
			}
		}
		if c, err := (&http.Request{Header: r.Header}).Cookie("nf_jwt"); err == nil {
			sr.Cookie = c.Value
		}
		if r.Body != "" {
			sr.Body = r.Body
			if json.Valid([]byte(r.Body)) {
				sr.Body = json.RawMessage(r.Body)
			}
		}
		out = append(out, sr)
	}
	return out
}

// followOAuth walks an /authorize URL through the fake provider without
// following the last redirect, and returns the fragment it lands on.
func followOAuth(origin, start string) (map[string]string, error) {
	client := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	next, err := url.Parse(origin + start)
	if err != nil {
		return nil, err
	}
	for range 5 {
		resp, err := client.Get(next.String())
		if err != nil {
			return nil, err
		}
		resp.Body.Close()
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusFound || loc == "" {
			return nil, fmt.Errorf("oauth: %s answered %d without a redirect", next.Path, resp.StatusCode)
		}
		if next, err = next.Parse(loc); err != nil {
			return nil, err
		}
		if next.Fragment != "" {
			return map[string]string{"hash": next.EscapedFragment()}, nil
		}
	}
	return nil, errors.New("oauth: too many redirects")
}

// seenCookie is a cookie as a transcript keeps it; the expiry is relative,
// since the clocks of two runs differ.
type seenCookie struct {
	Name     string `json:"name"`
	Value    string `json:"value"`
	Path     string `json:"path"`
	HTTPOnly bool   `json:"httpOnly"`
	Secure   bool   `json:"secure"`
	Expires  string `json:"expires"`
}

func cookiesOf(tab context.Context, origin string) ([]seenCookie, error) {
	cs, err := pagetest.Cookies(tab, origin+"/")
	if err != nil {
		return nil, err
	}
	out := []seenCookie{}
	for _, c := range cs {
		exp := "session"
		if !c.Session {
			h := math.Round((c.Expires - float64(time.Now().Unix())) / 3600)
			exp = fmt.Sprintf("in %gh", h)
		}
		out = append(out, seenCookie{Name: c.Name, Value: c.Value, Path: c.Path, HTTPOnly: c.HTTPOnly, Secure: c.Secure, Expires: exp})
	}
	return out, nil
}
