package devserver

import (
	"bytes"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// upstream stands in for https://example.netlify.app and remembers the
// last request it got.
type upstream struct {
	*httptest.Server
	mu   sync.Mutex
	last *http.Request
	body string
}

func newUpstream(t *testing.T) *upstream {
	u := &upstream{}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		u.mu.Lock()
		u.last, u.body = r, string(b)
		u.mu.Unlock()
		http.SetCookie(w, &http.Cookie{Name: "nf_jwt", Value: "jwt", Path: "/", Domain: "example.netlify.app", HttpOnly: true, Secure: true})
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"from":"upstream"}`))
	}))
	t.Cleanup(u.Close)
	return u
}

func (u *upstream) lastRequest() (*http.Request, string) {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.last, u.body
}

func TestProxyRewritesPathAndHost(t *testing.T) {
	up := newUpstream(t)
	s := newTestServer(t, Config{IdentityURL: up.URL + "/.netlify/identity/"})
	assert.Nil(t, s.Identity())

	r := s.do(t, "PUT", "/.netlify/identity/user?x=1", `{"data":{}}`,
		"Authorization", "Bearer abc", "Origin", s.URL, "X-Nf-Client", "gotrue-js")
	require.Equal(t, 200, r.status)
	assert.JSONEq(t, `{"from":"upstream"}`, string(r.body))

	got, body := up.lastRequest()
	require.NotNil(t, got)
	assert.Equal(t, "PUT", got.Method)
	assert.Equal(t, "/.netlify/identity/user", got.URL.Path, "prefix stripped, then joined to the upstream's base")
	assert.Equal(t, "x=1", got.URL.RawQuery)
	assert.Equal(t, strings.TrimPrefix(up.URL, "http://"), got.Host, "Host is the upstream's")
	assert.Equal(t, "Bearer abc", got.Header.Get("Authorization"))
	assert.Equal(t, "gotrue-js", got.Header.Get("X-Nf-Client"))
	assert.Empty(t, got.Header.Get("Origin"))
	assert.Equal(t, `{"data":{}}`, body)

	cookie := r.header.Get("Set-Cookie")
	assert.Contains(t, cookie, "nf_jwt=jwt")
	assert.NotContains(t, strings.ToLower(cookie), "domain=", "the cookie lands on the demo's origin")
	assert.Contains(t, cookie, "HttpOnly")
}

func TestProxyUpstreamAtRoot(t *testing.T) {
	up := newUpstream(t)
	s := newTestServer(t, Config{IdentityURL: up.URL})
	s.get(t, "/.netlify/identity/settings")
	got, _ := up.lastRequest()
	require.NotNil(t, got)
	assert.Equal(t, "/settings", got.URL.Path)
}

func TestProxyHasNoMailbox(t *testing.T) {
	up := newUpstream(t)
	s := newTestServer(t, Config{IdentityURL: up.URL})
	r := s.get(t, "/mailbox")
	assert.Equal(t, 404, r.status)
	assert.Contains(t, string(r.body), "No local mailbox")
}

func TestProxyUnreachableUpstream(t *testing.T) {
	up := newUpstream(t)
	addr := up.URL
	up.Close()
	var logs bytes.Buffer
	s := newTestServer(t, Config{IdentityURL: addr, Log: log.New(&logs, "", 0)})
	r := s.get(t, "/.netlify/identity/authorize?provider=github&invite_token=SECRET")
	assert.Equal(t, 502, r.status)
	assert.Contains(t, string(r.body), "Identity upstream unreachable")
	assert.NotContains(t, logs.String(), "SECRET")
}

func TestProxyRejectsBadURLs(t *testing.T) {
	for _, u := range []string{"example.netlify.app", "ftp://example.com", "https://", "https://x.app/?a=1", "https://user:pw@x.app/"} {
		_, err := New(Config{JSDir: fakeJSDir(t), IdentityURL: u})
		assert.Error(t, err, u)
	}
}
