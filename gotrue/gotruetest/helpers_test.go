package gotruetest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testSecret = "test-secret"

// api talks to a TestServer over real HTTP without following redirects.
type api struct {
	t   *testing.T
	srv *TestServer
	hc  *http.Client
}

func newAPI(t *testing.T, opts ...func(*Config)) *api {
	t.Helper()
	opts = append([]func(*Config){func(c *Config) { c.JWTSecret = testSecret }}, opts...)
	srv := NewServer(t, opts...)
	hc := srv.Client()
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &api{t: t, srv: srv, hc: hc}
}

type reply struct {
	Status int
	Header http.Header
	Body   []byte
}

// do sends a request. body may be nil, a string (sent as is), url.Values
// (form-encoded) or anything else (JSON). headers are name, value pairs.
func (a *api) do(method, path string, body any, headers ...string) reply {
	a.t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case url.Values:
		rd, ctype = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	default:
		raw, err := json.Marshal(b)
		require.NoError(a.t, err)
		rd, ctype = bytes.NewReader(raw), "application/json"
	}
	req, err := http.NewRequest(method, a.srv.URL+path, rd)
	require.NoError(a.t, err)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := a.hc.Do(req)
	require.NoError(a.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(a.t, err)
	return reply{Status: resp.StatusCode, Header: resp.Header, Body: raw}
}

// object decodes a JSON object answer.
func (r reply) object(t *testing.T) map[string]any {
	t.Helper()
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &m), "body: %s", r.Body)
	return m
}

// wantErr asserts a {code,msg} answer.
func (r reply) wantErr(t *testing.T, status int, msg string) {
	t.Helper()
	require.Equal(t, status, r.Status, "body: %s", r.Body)
	assert.Equal(t, map[string]any{"code": float64(status), "msg": msg}, r.object(t))
}

// wantOAuthErr asserts a /token failure: always 400 {error,error_description}.
func (r reply) wantOAuthErr(t *testing.T, code, desc string) {
	t.Helper()
	require.Equal(t, http.StatusBadRequest, r.Status, "body: %s", r.Body)
	want := map[string]any{"error": code}
	if desc != "" {
		want["error_description"] = desc
	}
	assert.Equal(t, want, r.object(t))
}

func bearer(tok string) []string { return []string{"Authorization", "Bearer " + tok} }

// seed creates a confirmed user and returns its id.
func (a *api) seed(email, password string, mod ...func(*UserParams)) string {
	a.t.Helper()
	p := UserParams{Email: email, Password: password, Confirmed: true}
	for _, m := range mod {
		m(&p)
	}
	id, err := a.srv.CreateUser(p)
	require.NoError(a.t, err)
	return id
}

// login answers the token response of a password grant.
func (a *api) login(email, password string, headers ...string) map[string]any {
	a.t.Helper()
	r := a.do("POST", "/token", url.Values{"grant_type": {"password"}, "username": {email}, "password": {password}}, headers...)
	require.Equal(a.t, http.StatusOK, r.Status, "body: %s", r.Body)
	return r.object(a.t)
}

func (a *api) accessToken(email, password string) string {
	a.t.Helper()
	return a.login(email, password)["access_token"].(string)
}

// admin seeds an admin user and returns its access token.
func (a *api) admin() string {
	a.t.Helper()
	a.seed("admin@example.com", "adminpw", func(p *UserParams) { p.Role = "admin" })
	return a.accessToken("admin@example.com", "adminpw")
}

// keys lists the keys of a JSON object in the order they appear.
func keys(t *testing.T, raw []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok)
	var out []string
	for dec.More() {
		k, err := dec.Token()
		require.NoError(t, err)
		out = append(out, k.(string))
		var skip json.RawMessage
		require.NoError(t, dec.Decode(&skip))
	}
	return out
}

// clock is a settable Config.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
