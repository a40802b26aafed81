package gotruetest

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// oauth walks /authorize -> /callback and returns the final Location.
func (a *api) oauth(query string) string {
	a.t.Helper()
	r := a.do("GET", "/authorize?"+query, nil)
	require.Equal(a.t, http.StatusFound, r.Status, "%s", r.Body)
	loc := r.Header.Get("Location")
	require.True(a.t, strings.HasPrefix(loc, "callback?"), loc)
	r = a.do("GET", "/"+loc, nil)
	require.Equal(a.t, http.StatusFound, r.Status, "%s", r.Body)
	return r.Header.Get("Location")
}

// fragment parses the #... of a redirect.
func fragment(t *testing.T, loc string) url.Values {
	t.Helper()
	_, frag, ok := strings.Cut(loc, "#")
	require.True(t, ok, loc)
	v, err := url.ParseQuery(frag)
	require.NoError(t, err)
	return v
}

func TestExternalLogin(t *testing.T) {
	a := newAPI(t, func(c *Config) { c.SiteURL = "http://site.test" })
	loc := a.oauth("provider=GitHub")
	require.True(t, strings.HasPrefix(loc, "http://site.test/#"), loc)
	f := fragment(t, loc)
	assert.Equal(t, "bearer", f.Get("token_type"))
	assert.Equal(t, "3600", f.Get("expires_in"))
	assert.NotEmpty(t, f.Get("refresh_token"))

	r := a.do("GET", "/user", nil, bearer(f.Get("access_token"))...)
	require.Equal(t, 200, r.Status)
	assertUserKeys(t, r.Body, "confirmed_at")
	u := r.object(t)
	assert.Equal(t, "github-user@example.com", u["email"])
	assert.Equal(t, map[string]any{"provider": "github"}, u["app_metadata"])
	assert.Equal(t, map[string]any{"full_name": "github user"}, u["user_metadata"])

	// A second login finds the same user.
	f = fragment(t, a.oauth("provider=github"))
	r = a.do("GET", "/user", nil, bearer(f.Get("access_token"))...)
	assert.Equal(t, u["id"], r.object(t)["id"])
	assert.Len(t, a.srv.Users(), 1)
}

func TestExternalErrors(t *testing.T) {
	a := newAPI(t, func(c *Config) { c.ExternalProviders = []string{"github"} })
	a.do("GET", "/authorize?provider=myspace", nil).wantErr(t, 400, "Unsupported provider: Provider myspace could not be found")
	a.do("GET", "/authorize", nil).wantErr(t, 400, "Unsupported provider: Provider  could not be found")
	a.do("GET", "/authorize?provider=gitlab", nil).wantErr(t, 400, "Unsupported provider: Provider is not enabled")
	a.do("GET", "/authorize?provider=github&invite_token=nope", nil).wantErr(t, 404, "User not found")
	a.do("GET", "/callback?state=forged", nil).wantErr(t, 400, "OAuth state is invalid")

	// A state works once.
	loc := a.do("GET", "/authorize?provider=github", nil).Header.Get("Location")
	assert.Equal(t, http.StatusFound, a.do("GET", "/"+loc, nil).Status)
	a.do("GET", "/"+loc, nil).wantErr(t, 400, "OAuth state is invalid")

	// A new account with signups disabled goes back to the site with an error.
	a.srv.SetConfig(func(c *Config) { c.DisableSignup = true; c.ExternalProviders = []string{"github", "gitlab"} })
	f := fragment(t, a.oauth("provider=gitlab"))
	assert.Equal(t, "access_denied", f.Get("error"))
	assert.Equal(t, "Signups not allowed for this instance", f.Get("error_description"))
	assert.Empty(t, f.Get("access_token"))
	// The existing github user still logs in.
	assert.NotEmpty(t, fragment(t, a.oauth("provider=github")).Get("access_token"))
}

func TestExternalStateExpires(t *testing.T) {
	clk := newClock()
	a := newAPI(t, func(c *Config) { c.Now = clk.Now })
	stale := a.do("GET", "/authorize?provider=github", nil).Header.Get("Location")
	clk.Add(oauthStateLifetime + 1)
	fresh := a.do("GET", "/authorize?provider=github", nil).Header.Get("Location")
	a.do("GET", "/"+stale, nil).wantErr(t, 400, "OAuth state is invalid")
	assert.Equal(t, http.StatusFound, a.do("GET", "/"+fresh, nil).Status)
	a.srv.mu.Lock()
	assert.Empty(t, a.srv.states, "abandoned and used states are dropped")
	a.srv.mu.Unlock()
}

func TestExternalAcceptInvite(t *testing.T) {
	a := newAPI(t, func(c *Config) { c.OperatorToken = "op" })
	a.do("POST", "/invite", map[string]any{"email": "inv@example.com"}, bearer("op")...)
	mail, _ := a.srv.LastMail("inv@example.com", KindInvite)

	loc := a.oauth("provider=google&invite_token=" + mail.Token)
	require.True(t, strings.HasPrefix(loc, "/#access_token="), "SiteURL \"\" sends the browser to this origin's root: %s", loc)
	r := a.do("GET", "/user", nil, bearer(fragment(t, loc).Get("access_token"))...)
	u := r.object(t)
	assert.Equal(t, "inv@example.com", u["email"])
	assert.Equal(t, "google", u["app_metadata"].(map[string]any)["provider"])
	assert.Contains(t, u, "confirmed_at")
	a.do("POST", "/verify", map[string]string{"type": "signup", "token": mail.Token}).wantErr(t, 404, "User not found")

	// The invite is used up between /authorize and /callback.
	a.do("POST", "/invite", map[string]any{"email": "inv2@example.com"}, bearer("op")...)
	mail, _ = a.srv.LastMail("inv2@example.com", KindInvite)
	step := a.do("GET", "/authorize?provider=google&invite_token="+mail.Token, nil).Header.Get("Location")
	require.Equal(t, 200, a.do("POST", "/verify", map[string]string{"type": "signup", "token": mail.Token, "password": "pw"}).Status)
	f := fragment(t, a.do("GET", "/"+step, nil).Header.Get("Location"))
	assert.Equal(t, "server_error", f.Get("error"))
	assert.Equal(t, "User not found", f.Get("error_description"))
}

// Mounted under a prefix, the redirect to the fake provider keeps the
// prefix: a browser (here Go's client) resolves it against the request.
func TestExternalUnderPrefix(t *testing.T) {
	s := New(Config{SiteURL: "http://site.test"})
	mux := http.NewServeMux()
	mux.Handle("/.netlify/identity/", http.StripPrefix("/.netlify/identity", s))
	ts := httptest.NewServer(mux)
	defer ts.Close()

	var final string
	hc := ts.Client()
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Host == "site.test" {
			final = req.URL.String()
			return http.ErrUseLastResponse
		}
		return nil
	}
	resp, err := hc.Get(ts.URL + "/.netlify/identity/authorize?provider=bitbucket")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusFound, resp.StatusCode)
	assert.True(t, strings.HasPrefix(final, "http://site.test/#access_token="), final)
	assert.Equal(t, 1, s.CountRequests("GET", "/callback"))
}
