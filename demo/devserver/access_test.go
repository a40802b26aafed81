package devserver

import (
	"encoding/json"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func preflight(t *testing.T, s *testServer, path, origin string) reply {
	t.Helper()
	return s.do(t, "OPTIONS", path, "", "Origin", origin, "Access-Control-Request-Method", "PUT",
		"Access-Control-Request-Headers", "authorization,content-type")
}

// Pages on an allowed extra origin may call the API and the mailbox with
// credentials; other origins may not, and the site's own stays allowed.
func TestAllowedOriginsGetCORS(t *testing.T) {
	const extra = "http://localhost:5173"
	s := newTestServer(t, Config{AllowedOrigins: []string{extra, "https://app.example"}})

	for _, origin := range []string{extra, "https://app.example", s.URL} {
		r := preflight(t, s, "/.netlify/identity/user", origin)
		assert.Equal(t, 204, r.status, origin)
		assert.Equal(t, origin, r.header.Get("Access-Control-Allow-Origin"), origin)
		assert.Equal(t, "true", r.header.Get("Access-Control-Allow-Credentials"), origin)
		assert.Contains(t, r.header.Get("Access-Control-Allow-Headers"), "Authorization", origin)

		r = s.get(t, "/.netlify/identity/settings", "Origin", origin)
		assert.Equal(t, 200, r.status, origin)
		assert.Equal(t, origin, r.header.Get("Access-Control-Allow-Origin"), origin)

		r = s.get(t, "/mailbox", "Origin", origin)
		assert.Equal(t, origin, r.header.Get("Access-Control-Allow-Origin"), origin)
	}
	for _, origin := range []string{"http://localhost:5174", "https://evil.example", "null"} {
		r := preflight(t, s, "/.netlify/identity/user", origin)
		assert.Empty(t, r.header.Get("Access-Control-Allow-Origin"), origin)
		assert.Empty(t, r.header.Get("Access-Control-Allow-Credentials"), origin)
		r = s.get(t, "/.netlify/identity/settings", "Origin", origin)
		assert.Empty(t, r.header.Get("Access-Control-Allow-Origin"), origin)
	}

	// Moving the site keeps the extra origins.
	s.SetSiteURL("http://127.0.0.1:9999")
	assert.Equal(t, extra, preflight(t, s, "/.netlify/identity/user", extra).header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "http://127.0.0.1:9999", preflight(t, s, "/.netlify/identity/user", "http://127.0.0.1:9999").header.Get("Access-Control-Allow-Origin"))
	assert.Empty(t, preflight(t, s, "/.netlify/identity/user", s.URL).header.Get("Access-Control-Allow-Origin"), "the old site origin")
}

func TestNoExtraOriginsByDefault(t *testing.T) {
	s := newTestServer(t, Config{})
	assert.Empty(t, preflight(t, s, "/.netlify/identity/user", "http://localhost:5173").header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, s.URL, preflight(t, s, "/.netlify/identity/user", s.URL).header.Get("Access-Control-Allow-Origin"))
}

func TestAllowedOriginStar(t *testing.T) {
	s := newTestServer(t, Config{AllowedOrigins: []string{"*"}})
	r := preflight(t, s, "/.netlify/identity/user", "https://anywhere.example")
	assert.Equal(t, "https://anywhere.example", r.header.Get("Access-Control-Allow-Origin"))
}

func TestNewRejectsBadConfig(t *testing.T) {
	js := fakeJSDir(t)
	const upstream = "https://example.netlify.app/.netlify/identity"
	tests := map[string]Config{
		"origin with path":        {AllowedOrigins: []string{"http://localhost:5173/app"}},
		"origin with slash":       {AllowedOrigins: []string{"http://localhost:5173/"}},
		"origin without scheme":   {AllowedOrigins: []string{"localhost:5173"}},
		"empty origin":            {AllowedOrigins: []string{""}},
		"origins with proxy":      {IdentityURL: upstream, AllowedOrigins: []string{"http://localhost:5173"}},
		"operator token w/ proxy": {IdentityURL: upstream, OperatorToken: "op"},
	}
	for name, cfg := range tests {
		cfg.JSDir = js
		_, err := New(cfg)
		assert.Error(t, err, name)
	}
}

var hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)

// The operator token is an admin's bearer on /admin/users and /invite.
func TestOperatorToken(t *testing.T) {
	s := newTestServer(t, Config{OperatorToken: "operator-token-of-this-test"})
	assert.Equal(t, "operator-token-of-this-test", s.OperatorToken())
	r := s.get(t, "/.netlify/identity/admin/users", "Authorization", "Bearer "+s.OperatorToken())
	require.Equal(t, 200, r.status, "%s", r.body)
	assert.Contains(t, string(r.body), AdminEmail)
	r = s.do(t, "POST", "/.netlify/identity/invite", `{"email":"friend@example.com"}`, "Authorization", "Bearer "+s.OperatorToken())
	assert.Equal(t, 200, r.status, "%s", r.body)
	assert.Equal(t, 401, s.get(t, "/.netlify/identity/admin/users", "Authorization", "Bearer not-the-token").status)

	// Without one in the Config, a random one per server.
	a, b := newTestServer(t, Config{}), newTestServer(t, Config{})
	assert.True(t, hex32.MatchString(a.OperatorToken()), "16 random bytes in hex")
	assert.True(t, a.OperatorToken() != b.OperatorToken(), "a new token per server")
	assert.Equal(t, 200, a.get(t, "/.netlify/identity/admin/users", "Authorization", "Bearer "+a.OperatorToken()).status)
	assert.Equal(t, 401, a.get(t, "/.netlify/identity/admin/users", "Authorization", "Bearer "+b.OperatorToken()).status)
}

func TestProxyHasNoOperatorToken(t *testing.T) {
	srv, err := New(Config{JSDir: fakeJSDir(t), IdentityURL: "https://example.netlify.app/.netlify/identity"})
	require.NoError(t, err)
	assert.Empty(t, srv.OperatorToken())
	assert.Nil(t, srv.Identity())
}

// The seeded admin is an admin by its role field, as netlify/gotrue
// counts them, and still lists admin in app_metadata.roles for the page.
func TestSeededAdminRole(t *testing.T) {
	s := newTestServer(t, Config{})
	form := url.Values{"grant_type": {"password"}, "username": {AdminEmail}, "password": {AdminPassword}}
	r := s.do(t, "POST", "/.netlify/identity/token", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
	require.Equal(t, 200, r.status, "the seeded admin cannot log in")
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	require.NoError(t, json.Unmarshal(r.body, &tok))

	r = s.get(t, "/.netlify/identity/user", "Authorization", "Bearer "+tok.AccessToken)
	require.Equal(t, 200, r.status, "%s", r.body)
	var u struct {
		Role        string `json:"role"`
		AppMetadata struct {
			Roles []string `json:"roles"`
		} `json:"app_metadata"`
	}
	require.NoError(t, json.Unmarshal(r.body, &u))
	assert.Equal(t, "admin", u.Role)
	assert.Equal(t, []string{"admin"}, u.AppMetadata.Roles)

	r = s.get(t, "/.netlify/identity/admin/users", "Authorization", "Bearer "+tok.AccessToken)
	require.Equal(t, 200, r.status, "%s", r.body)
	var list struct {
		Users []struct{ Email string } `json:"users"`
	}
	require.NoError(t, json.Unmarshal(r.body, &list))
	require.Len(t, list.Users, 1)
	assert.Equal(t, AdminEmail, list.Users[0].Email)
}
