package gotruetest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAdminAccess(t *testing.T) {
	a := newAPI(t, func(c *Config) { c.OperatorToken = "operator-secret" })
	a.seed("plain@example.com", "pw")
	plain := a.accessToken("plain@example.com", "pw")
	a.seed("role@example.com", "pw", func(p *UserParams) { p.Role = "admin" })
	byRole := a.accessToken("role@example.com", "pw")
	a.seed("roles@example.com", "pw", func(p *UserParams) { p.AppMetadata = map[string]any{"roles": []any{"x", "admin"}} })
	byRoles := a.accessToken("roles@example.com", "pw")
	a.seed("elsewhere@example.com", "pw", func(p *UserParams) { p.Role = "admin"; p.Aud = "other" })

	a.do("GET", "/admin/users", nil).wantErr(t, 401, "This endpoint requires a Bearer token")
	r := a.do("GET", "/admin/users", nil, bearer("garbage")...)
	assert.Equal(t, 401, r.Status)
	assert.Contains(t, r.object(t)["msg"], "Invalid token: ")
	a.do("GET", "/admin/users", nil, bearer(plain)...).wantErr(t, 401, "User not allowed")
	a.do("POST", "/invite", map[string]string{"email": "i@example.com"}, bearer(plain)...).wantErr(t, 401, "User not allowed")
	for _, tok := range []string{byRole, "operator-secret", systemUser(t, "0"), systemUser(t, "00000000-0000-0000-0000-000000000000")} {
		assert.Equal(t, 200, a.do("GET", "/admin/users", nil, bearer(tok)...).Status)
	}
	// app_metadata.roles is no admin right unless AppMetadataAdmins is on.
	a.do("GET", "/admin/users", nil, bearer(byRoles)...).wantErr(t, 401, "User not allowed")
	a.srv.SetConfig(func(c *Config) { c.AppMetadataAdmins = true })
	assert.Equal(t, 200, a.do("GET", "/admin/users", nil, bearer(byRoles)...).Status)
	a.srv.SetConfig(func(c *Config) { c.AppMetadataAdmins = false })
	// An admin of the default audience is no admin of another one.
	a.do("GET", "/admin/users", nil, append(bearer(byRole), "X-JWT-AUD", "other")...).wantErr(t, 401, "User not allowed")
	a.do("POST", "/admin/users", map[string]string{"aud": "other", "email": "n@example.com"}, bearer(byRole)...).
		wantErr(t, 401, "User not allowed")
	a.do("POST", "/admin/users", "[1]", bearer(byRole)...).
		wantErr(t, 400, "Could not decode admin user params: json: cannot unmarshal array into Go value of type struct { Aud string \"json:\\\"aud\\\"\" }")
	other := a.login("elsewhere@example.com", "pw", "X-JWT-AUD", "other")["access_token"].(string)
	// Its own token carries aud "other", which is then the request's audience.
	assert.Equal(t, 200, a.do("GET", "/admin/users", nil, bearer(other)...).Status)

	// A valid token whose user is gone.
	ghost, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": newUUID()}).SignedString([]byte(testSecret))
	require.NoError(t, err)
	a.do("GET", "/admin/users", nil, bearer(ghost)...).wantErr(t, 401, "Invalid admin user")
}

// systemUser signs a token for the real server's system user, an admin
// in every audience.
func systemUser(t *testing.T, sub string) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": sub}).SignedString([]byte(testSecret))
	require.NoError(t, err)
	return tok
}

func TestAdminUsersCRUD(t *testing.T) {
	clk := newClock()
	a := newAPI(t, func(c *Config) { c.Now = clk.Now; c.OperatorToken = "op" })
	op := bearer("op")

	r := a.do("POST", "/admin/users", map[string]any{
		"email": "made@example.com", "password": "pw", "role": " editor ", "confirm": true,
		"app_metadata":  map[string]any{"roles": []any{"admin"}, "provider": "github"},
		"user_metadata": map[string]any{"full_name": "Made"},
	}, op...)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	assertUserKeys(t, r.Body, "confirmed_at")
	made := r.object(t)
	id := made["id"].(string)
	assert.Equal(t, "editor", made["role"])
	// Creating ignores app_metadata (and gotrue-js's "data"), as the real server does.
	assert.Equal(t, map[string]any{"provider": "email"}, made["app_metadata"])
	assert.Equal(t, map[string]any{"full_name": "Made"}, made["user_metadata"])
	a.login("made@example.com", "pw")

	r = a.do("POST", "/admin/users", map[string]any{"email": "data@example.com", "data": map[string]any{"a": "b"}}, op...)
	require.Equal(t, 200, r.Status)
	assert.Nil(t, r.object(t)["user_metadata"])
	assert.Contains(t, r.object(t), "user_metadata")
	assert.NotContains(t, r.object(t), "confirmed_at")
	a.do("POST", "/admin/users", map[string]any{"email": ""}, op...).wantErr(t, 422, "An email address is required")

	a.do("POST", "/admin/users", map[string]any{"email": "MADE@example.com"}, op...).wantErr(t, 422, "Email address already registered by another user")
	a.do("POST", "/admin/users", map[string]any{"email": "nope"}, op...).wantErr(t, 422, "Unable to validate email address: invalid format")
	a.do("POST", "/admin/users", "{", op...).wantErr(t, 400, "Could not decode admin user params: unexpected EOF")
	r = a.do("POST", "/admin/users", map[string]any{"email": "aud@example.com", "aud": "elsewhere"}, op...)
	assert.Equal(t, "elsewhere", r.object(t)["aud"])

	r = a.do("GET", "/admin/users/"+strings.ToUpper(id), nil, op...)
	require.Equal(t, 200, r.Status)
	got := r.object(t)
	assert.NotContains(t, got, "last_sign_in_at")
	assert.Equal(t, made, got)
	a.do("GET", "/admin/users/123", nil, op...).wantErr(t, 400, "user_id must be an UUID")
	a.do("DELETE", "/admin/users/not-a-uuid", nil, op...).wantErr(t, 400, "user_id must be an UUID")
	a.do("GET", "/admin/users/"+newUUID(), nil, op...).wantErr(t, 404, "User not found")
	a.do("PUT", "/admin/users/"+newUUID(), map[string]any{}, op...).wantErr(t, 404, "User not found")

	clk.Add(time.Minute)
	a.seed("taken@example.com", "pw")
	a.do("PUT", "/admin/users/"+id, map[string]any{"email": "taken@example.com"}, op...).wantErr(t, 422, "Email address already registered by another user")
	a.do("PUT", "/admin/users/"+id, map[string]any{"email": "bad"}, op...).wantErr(t, 422, "Unable to validate email address: invalid format")
	a.do("PUT", "/admin/users/"+id, "nope", op...).wantErr(t, 400, "Could not decode admin user params: invalid character 'o' in literal null (expecting 'u')")
	r = a.do("PUT", "/admin/users/"+id, map[string]any{
		"role": "boss", "email": "renamed@example.com", "password": "pw2",
		"app_metadata":  map[string]any{"roles": nil, "plan": "pro"},
		"user_metadata": map[string]any{"full_name": nil, "nick": "m"},
	}, op...)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	upd := r.object(t)
	assert.Equal(t, "boss", upd["role"])
	assert.Equal(t, "renamed@example.com", upd["email"])
	assert.Equal(t, map[string]any{"provider": "email", "plan": "pro"}, upd["app_metadata"])
	assert.Equal(t, map[string]any{"nick": "m"}, upd["user_metadata"])
	assert.Equal(t, "2030-01-02T03:05:05Z", upd["updated_at"])
	a.login("renamed@example.com", "pw2")

	// confirm through PUT; empty role keeps the role.
	unconfirmed := a.do("POST", "/admin/users", map[string]any{"email": "later@example.com", "password": "pw"}, op...).object(t)
	r = a.do("PUT", "/admin/users/"+unconfirmed["id"].(string), map[string]any{"confirm": true, "role": ""}, op...)
	assert.Equal(t, "2030-01-02T03:05:05Z", r.object(t)["confirmed_at"])
	a.login("later@example.com", "pw")

	sess := a.login("renamed@example.com", "pw2")
	r = a.do("DELETE", "/admin/users/"+id+"/", nil, op...)
	require.Equal(t, 200, r.Status)
	assert.Equal(t, "{}", string(r.Body))
	a.do("GET", "/admin/users/"+id, nil, op...).wantErr(t, 404, "User not found")
	a.do("POST", "/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {sess["refresh_token"].(string)}}).
		wantOAuthErr(t, "invalid_grant", "Invalid Refresh Token")
}

func TestAdminHandlersSeeConcurrentDelete(t *testing.T) {
	// The user may vanish between the path check and the handler.
	s := New(Config{})
	for _, h := range []handler{(*Server).adminGet, (*Server).adminUpdate, (*Server).adminDelete} {
		c := &call{w: nopWriter{}, r: &http.Request{}, body: []byte("{}"), target: newUUID()}
		assert.Equal(t, userNotFound, h(s, c))
	}
}

type nopWriter struct{}

func (nopWriter) Header() http.Header         { return http.Header{} }
func (nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (nopWriter) WriteHeader(int)             {}

func TestAdminListPagination(t *testing.T) {
	clk := newClock()
	a := newAPI(t, func(c *Config) { c.Now = clk.Now; c.OperatorToken = "op" })
	var ids []string
	for i := range 5 {
		ids = append(ids, a.seed(fmt.Sprintf("u%d@example.com", i), "pw"))
		if i != 3 { // two users share a creation time: later creation still sorts first
			clk.Add(time.Second)
		}
	}
	a.seed("x@example.com", "pw", func(p *UserParams) { p.Aud = "other" })

	r := a.do("GET", "/admin/users?per_page=2", nil, bearer("op")...)
	require.Equal(t, 200, r.Status)
	assert.Equal(t, []string{"aud", "users"}, keys(t, r.Body))
	assert.Equal(t, "5", r.Header.Get("X-Total-Count"))
	assert.Equal(t, `</admin/users?page=2&per_page=2>; rel="next", </admin/users?page=3&per_page=2>; rel="last"`, r.Header.Get("Link"))
	body := r.object(t)
	assert.Equal(t, "", body["aud"])
	users := body["users"].([]any)
	require.Len(t, users, 2)
	assert.Equal(t, ids[4], users[0].(map[string]any)["id"])
	assert.Equal(t, ids[3], users[1].(map[string]any)["id"])

	r = a.do("GET", "/admin/users?per_page=2&page=3", nil, bearer("op")...)
	assert.Equal(t, `</admin/users?page=3&per_page=2>; rel="last"`, r.Header.Get("Link"))
	users = r.object(t)["users"].([]any)
	require.Len(t, users, 1)
	assert.Equal(t, ids[0], users[0].(map[string]any)["id"])

	r = a.do("GET", "/admin/users?page=9", nil, bearer("op")...)
	assert.Empty(t, r.object(t)["users"])
	assert.Equal(t, `</admin/users?page=1>; rel="last"`, r.Header.Get("Link"))

	r = a.do("GET", "/admin/users", nil, "Authorization", "Bearer op", "X-JWT-AUD", "other")
	assert.Equal(t, "1", r.Header.Get("X-Total-Count"))
	assert.Equal(t, "other", r.object(t)["aud"])
	r = a.do("GET", "/admin/users", nil, "Authorization", "Bearer op", "X-JWT-AUD", "nobody")
	assert.Equal(t, `{"aud":"nobody","users":[]}`, string(r.Body))
	assert.Equal(t, `</admin/users?page=0>; rel="last"`, r.Header.Get("Link"))

	a.do("GET", "/admin/users?page=x", nil, bearer("op")...).wantErr(t, 400, `Bad Pagination Parameters: strconv.ParseUint: parsing "x": invalid syntax`)
	a.do("GET", "/admin/users?per_page=-1", nil, bearer("op")...).wantErr(t, 400, `Bad Pagination Parameters: strconv.ParseUint: parsing "-1": invalid syntax`)
	r = a.do("GET", "/admin/users?per_page=0&page=99999999999999", nil, bearer("op")...)
	assert.Equal(t, 200, r.Status, "zero and huge numbers do not break the arithmetic")
}

func TestInvite(t *testing.T) {
	clk := newClock()
	a := newAPI(t, func(c *Config) {
		c.Now = clk.Now
		c.DisableSignup = true // invites work even then
		c.SiteURL = "http://site.test"
		c.OperatorToken = "op"
	})
	r := a.do("POST", "/invite", map[string]any{"email": "guest@example.com", "data": map[string]any{"team": "a"}}, bearer("op")...)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	assertUserKeys(t, r.Body, "invited_at")
	u := r.object(t)
	assert.Equal(t, "2030-01-02T03:04:05Z", u["invited_at"])
	assert.Equal(t, map[string]any{"team": "a"}, u["user_metadata"])
	mail, ok := a.srv.LastMail("guest@example.com", KindInvite)
	require.True(t, ok)
	assert.Equal(t, "http://site.test/#invite_token="+mail.Token, mail.Link)
	assert.Equal(t, "You have been invited", mail.Subject)

	a.do("POST", "/invite", map[string]any{"email": "guest@example.com"}, bearer("op")...).wantErr(t, 422, "Email address already registered by another user")
	a.do("POST", "/invite", map[string]any{"email": "x"}, bearer("op")...).wantErr(t, 422, "Unable to validate email address: invalid format")
	a.do("POST", "/invite", map[string]any{"email": ""}, bearer("op")...).wantErr(t, 422, "An email address is required")
	a.do("POST", "/invite", "{", bearer("op")...).wantErr(t, 400, "Could not read Invite params: unexpected EOF")
	a.do("POST", "/invite", map[string]any{"email": "y@example.com"}).wantErr(t, 401, "This endpoint requires a Bearer token")

	a.do("POST", "/verify", map[string]string{"type": "signup", "token": mail.Token}).wantErr(t, 422, "Invited users must specify a password")
	r = a.do("POST", "/verify", map[string]string{"type": "signup", "token": mail.Token, "password": "chosen"})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	r = a.do("GET", "/user", nil, bearer(r.object(t)["access_token"].(string))...)
	assertUserKeys(t, r.Body, "confirmed_at", "invited_at")
	a.login("guest@example.com", "chosen")
}

func TestInviteThenSignupStillNeedsPassword(t *testing.T) {
	// An invited user who signs up instead and then confirms with the
	// confirmation link (gotrue-js confirm()) has no password yet.
	a := newAPI(t, func(c *Config) { c.OperatorToken = "op" })
	a.do("POST", "/invite", map[string]any{"email": "both@example.com"}, bearer("op")...)
	r := a.do("POST", "/signup", map[string]string{"email": "both@example.com", "password": "ignored"})
	require.Equal(t, 200, r.Status)
	mail, _ := a.srv.LastMail("both@example.com", KindConfirmation)
	a.do("POST", "/verify", map[string]string{"type": "signup", "token": mail.Token}).wantErr(t, 422, "Invited users must specify a password")
	assert.Equal(t, 200, a.do("POST", "/verify", map[string]string{"type": "signup", "token": mail.Token, "password": "pw"}).Status)
}
