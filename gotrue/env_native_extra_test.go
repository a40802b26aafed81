//go:build !js

package gotrue_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
)

// rawPost sends a JSON request the client has no method for (POST /invite).
func rawPost(t *testing.T, e *serverEnv, path, bearer, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("POST", e.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+bearer)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// An OAuth login: the browser follows /authorize to the provider and back
// to the site with the token in the fragment, all strings, which
// createUser turns into a user, as netlify-identity-widget does.
func TestServerExternalLoginCreateUser(t *testing.T) {
	e := newServerEnv(t)
	e.server.SetConfig(func(c *gotruetest.Config) { c.SiteURL = "https://site.example" })
	c := e.client(gotrue.Options{})
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	next := c.LoginExternalURL("github")
	var location string
	for i := 0; i < 5 && !strings.HasPrefix(next, "https://site.example"); i++ {
		resp, err := noFollow.Get(next)
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusFound, resp.StatusCode)
		loc, err := resp.Request.URL.Parse(resp.Header.Get("Location"))
		require.NoError(t, err)
		location = loc.String()
		next = location
	}
	require.True(t, strings.HasPrefix(location, "https://site.example/#"), location)
	frag, err := url.ParseQuery(location[strings.Index(location, "#")+1:])
	require.NoError(t, err)
	var tok gotrue.Object
	for _, k := range []string{"access_token", "expires_in", "refresh_token", "token_type"} {
		tok.SetString(k, frag.Get(k))
	}
	parsed, err := gotrue.ParseToken(tok.Bytes())
	require.NoError(t, err)
	u, err := c.CreateUser(ctx, parsed, true)
	require.NoError(t, err)
	assert.Equal(t, "github-user@example.com", u.Email())
	assert.Greater(t, u.Token().ExpiresAt(), int64(0))
	saved, _, _ := c.Session().Storage().Get(gotrue.StorageKey)
	assert.Contains(t, saved, `"expires_in":"3600"`, "the callback's strings are kept as they came")
}
