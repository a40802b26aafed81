package gotruetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

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
	assert.Equal(t, `</admin/users?page=2&per_page=2>; rel="prev", </admin/users?page=3&per_page=2>; rel="last"`, r.Header.Get("Link"))
	users = r.object(t)["users"].([]any)
	require.Len(t, users, 1)
	assert.Equal(t, ids[0], users[0].(map[string]any)["id"])

	r = a.do("GET", "/admin/users?page=9", nil, bearer("op")...)
	assert.Empty(t, r.object(t)["users"])
	assert.Equal(t, `</admin/users?page=8>; rel="prev", </admin/users?page=1>; rel="last"`, r.Header.Get("Link"))

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

// listEmails asks /admin/users with query and returns the emails in order.
func (a *api) listEmails(query string, headers ...string) (reply, []string) {
	a.t.Helper()
	r := a.do("GET", "/admin/users"+query, nil, headers...)
	require.Equal(a.t, 200, r.Status, "%s", r.Body)
	var body struct{ Users []User }
	require.NoError(a.t, json.Unmarshal(r.Body, &body))
	emails := []string{}
	for _, u := range body.Users {
		emails = append(emails, u.Email)
	}
	return r, emails
}

// The filter, ported from the real server's models.FindUsersInAudience
// (which MariaDB cannot run: it answers 500 there, see DIFFERENCES.md):
// email LIKE '%filter%' OR user_metadata.full_name LIKE '%filter%', under
// utf8mb4_unicode_ci.
func TestAdminListFilter(t *testing.T) {
	clk := newClock()
	a := newAPI(t, func(c *Config) { c.Now = clk.Now; c.OperatorToken = "op" })
	op := bearer("op")
	seed := func(email string, meta map[string]any) {
		a.seed(email, "pw", func(p *UserParams) { p.UserMetadata = meta })
		clk.Add(time.Second)
	}
	seed("Ann.Smith@Example.com", map[string]any{"full_name": "Ann Smith"})
	seed("bob@example.com", map[string]any{"full_name": "José Núñez"})
	seed("carl_x@example.org", nil)
	seed("carlyx@example.org", map[string]any{"nick": "ann"}) // only full_name counts
	seed("dee@example.net", map[string]any{"full_name": "Tab%"})
	seed("eve@example.net", map[string]any{"full_name": 42.0})
	seed("fay@example.net", map[string]any{"full_name": map[string]any{"first": "Fay", "last": "Lo"}})
	a.seed("ann@elsewhere.test", "pw", func(p *UserParams) { p.Aud = "other"; p.UserMetadata = map[string]any{"full_name": "Ann"} })

	for _, tc := range []struct {
		filter string
		want   []string
	}{
		{"ann", []string{"Ann.Smith@Example.com"}}, // email and full_name, any case; not nick
		{"EXAMPLE.COM", []string{"bob@example.com", "Ann.Smith@Example.com"}},
		{"jose nunez", []string{"bob@example.com"}}, // accents do not count
		{"NÚÑEZ", []string{"bob@example.com"}},
		{"carl_x", []string{"carlyx@example.org", "carl_x@example.org"}}, // _ is any one character
		{`carl\_x`, []string{"carl_x@example.org"}},                      // \_ is an underscore
		{"smith%com", []string{"Ann.Smith@Example.com"}},                 // % is any run
		{`ab\`, []string{"dee@example.net"}},                             // the real pattern is %ab\%: ends with "ab%"
		{"42", []string{"eve@example.net"}},                              // a number, as MySQL writes it
		{`"first": "Fay"`, []string{"fay@example.net"}},                  // an object, as MySQL writes it
		{"nobody", []string{}},
		{"%", []string{"fay@example.net", "eve@example.net", "dee@example.net", "carlyx@example.org", "carl_x@example.org", "bob@example.com", "Ann.Smith@Example.com"}},
	} {
		r, got := a.listEmails("?filter="+url.QueryEscape(tc.filter), op...)
		assert.Equal(t, tc.want, got, "filter %q", tc.filter)
		assert.Equal(t, fmt.Sprint(len(tc.want)), r.Header.Get("X-Total-Count"), "filter %q counts what it keeps", tc.filter)
	}

	// The count and the pages are those of the filtered list, and the
	// links keep the filter; sort applies to what the filter keeps.
	r, got := a.listEmails("?filter=.NET&per_page=2&sort=created_at+asc", op...)
	assert.Equal(t, []string{"dee@example.net", "eve@example.net"}, got)
	assert.Equal(t, "3", r.Header.Get("X-Total-Count"))
	assert.Equal(t, `</admin/users?filter=.NET&page=2&per_page=2&sort=created_at+asc>; rel="next", `+
		`</admin/users?filter=.NET&page=2&per_page=2&sort=created_at+asc>; rel="last"`, r.Header.Get("Link"))
	_, got = a.listEmails("?filter=.NET&per_page=2&sort=created_at+asc&page=2", op...)
	assert.Equal(t, []string{"fay@example.net"}, got)

	// Only the request's audience.
	_, got = a.listEmails("?filter=ann", "Authorization", "Bearer op", "X-JWT-AUD", "other")
	assert.Equal(t, []string{"ann@elsewhere.test"}, got)

	// A huge filter is just a filter that matches nobody, and quickly.
	for _, huge := range []string{strings.Repeat("%_", 200000), strings.Repeat("a%", 200000), strings.Repeat(`\`, 100001)} {
		r, got = a.listEmails("?filter="+url.QueryEscape(huge), op...)
		assert.Empty(t, got)
		assert.Equal(t, "0", r.Header.Get("X-Total-Count"))
	}
}

// likeCase is a LIKE the way MariaDB 10.11 answered it under
// utf8mb4_unicode_ci (SELECT s COLLATE utf8mb4_unicode_ci LIKE p).
type likeCase struct {
	s, p string
	want bool
}

func TestLikeMatchesMySQL(t *testing.T) {
	for _, tc := range []likeCase{
		{"José@x", "%jose%", true},
		{"ANN", "%ann%", true},
		{"Straße", "%strasse%", false}, // = says equal, LIKE compares one character at a time
		{"axb", `%a\_b%`, false},
		{"a_b", `%a\_b%`, true},
		{"øl", "ol", false},
		{"łódź", "lodz", false},
		{"æ", "ae", false},
		{"ΣΑΣ", "σας", true},
		{"abc%", `%abc\%`, true},
		{"abcx", `%abc\%`, false},
		{`a\b`, `%\%`, false},
		{`a\b`, `a\b`, false}, // \b is b
		{"ab", `a\b`, true},
		{"ǅ", "ǆ", true},
		{"ﬁ", "fi", false},
		{"ı", "i", false},
		{"ſ", "s", true},
		{"K", "k", true}, // the Kelvin sign
		{"Émile", "_mile", true},
		{"café", "%CAFE%", true},
		{"cafe", "%café%", true},
		{"ǹ", "n", true},
		{"ａ", "a", true}, // fullwidth
		{"", "%", true},
		{"", "_", false},
		{"abc", "a%%%c", true},
		{"abc", "%", true},
		{"ab", "a_c", false},
		{`a\`, `a\`, true}, // a trailing backslash is itself
		{"mississippi", "%iss%ppi", true},
		{"mississippi", "%iss%ppx", false},
	} {
		assert.Equal(t, tc.want, compileLike(tc.p).match(tc.s), "%q LIKE %q", tc.s, tc.p)
	}
	// Every character of the fold table is its letter, in either case.
	for _, line := range ciFolds {
		base, size := utf8.DecodeRuneInString(line)
		for _, r := range line[size:] {
			assert.True(t, compileLike(string(unicode.ToUpper(base))).match(string(r)), "%c is %c", r, base)
		}
	}
}

func TestAdminListSort(t *testing.T) {
	clk := newClock()
	a := newAPI(t, func(c *Config) { c.Now = clk.Now; c.OperatorToken = "op" })
	op := bearer("op")
	a.seed("one@example.com", "pw")
	clk.Add(time.Second)
	a.seed("two@example.com", "pw")
	a.seed("three@example.com", "pw") // the same time as two
	clk.Add(time.Second)
	a.seed("four@example.com", "pw")

	newest := []string{"four@example.com", "three@example.com", "two@example.com", "one@example.com"}
	oldest := []string{"one@example.com", "two@example.com", "three@example.com", "four@example.com"}
	for q, want := range map[string][]string{
		"":                      newest,
		"?sort=created_at":      newest,
		"?sort=created_at+DESC": newest,
		"?sort=created_at+asc":  oldest,
		"?sort=created_at%20Asc&sort=created_at+desc": oldest, // the first decides
	} {
		_, got := a.listEmails(q, op...)
		assert.Equal(t, want, got, q)
	}
	for q, msg := range map[string]string{
		"?sort=email+asc,created_at+desc":                      "Bad Sort Parameters: bad field for sort 'email'",
		"?sort=created_at+asc,created_at+desc":                 "Bad Sort Parameters: bad direction for sort 'asc,created_at desc', only 'asc' and 'desc' allowed",
		"?sort=created_at+up":                                  "Bad Sort Parameters: bad direction for sort 'up', only 'asc' and 'desc' allowed",
		"?sort=created_at%20%20asc":                            "Bad Sort Parameters: bad direction for sort ' asc', only 'asc' and 'desc' allowed",
		"?sort=":                                               "Bad Sort Parameters: bad field for sort ''",
		"?sort=CREATED_AT":                                     "Bad Sort Parameters: bad field for sort 'CREATED_AT'",
		"?sort=created_at&sort=updated_at":                     "Bad Sort Parameters: bad field for sort 'updated_at'",
		"?sort=" + url.QueryEscape(strings.Repeat("x", 1<<16)): "Bad Sort Parameters: bad field for sort '" + strings.Repeat("x", 1<<16) + "'",
		"?sort=email&page=-2":                                  `Bad Pagination Parameters: strconv.ParseUint: parsing "-2": invalid syntax`,
	} {
		a.do("GET", "/admin/users"+q, nil, op...).wantErr(t, 400, msg)
	}
}

// The paging arithmetic of the real server's database layer, for page
// numbers no client would send (recorded: page=0 and page=2^64-1; ported
// from gobuffalo/pop: the rest).
func TestAdminListPageArithmetic(t *testing.T) {
	a := newAPI(t, func(c *Config) { c.OperatorToken = "op" })
	op := bearer("op")
	for i := range 25 {
		a.seed(fmt.Sprintf("u%02d@example.com", i), "pw")
	}
	r, got := a.listEmails("?page=0&per_page=10", op...)
	assert.Len(t, got, 10)
	assert.Equal(t, `</admin/users?page=1&per_page=10>; rel="next", </admin/users?page=3&per_page=10>; rel="last"`, r.Header.Get("Link"))

	// Above 2^63-1 the page wraps to a negative number: page 1.
	r, got = a.listEmails("?page=18446744073709551615&per_page=10", op...)
	assert.Len(t, got, 10)
	assert.Equal(t, `</admin/users?page=18446744073709551614&per_page=10>; rel="prev", </admin/users?page=3&per_page=10>; rel="last"`, r.Header.Get("Link"))
	// So does per_page: 20 rows then, while the headers use the number as sent.
	r, got = a.listEmails("?per_page=18446744073709551615", op...)
	assert.Len(t, got, 20)
	assert.Equal(t, `</admin/users?page=1&per_page=18446744073709551615>; rel="last"`, r.Header.Get("Link"))
	assert.Equal(t, "25", r.Header.Get("X-Total-Count"))

	// An offset past 2^63 is a negative OFFSET, an SQL error.
	for _, q := range []string{"?page=9223372036854775807", "?page=4611686018427387905&per_page=2"} {
		a.do("GET", "/admin/users"+q, nil, op...).wantErr(t, 500, "Database error finding users")
		a.do("GET", "/admin/audit"+q, nil, op...).wantErr(t, 500, "Error searching for audit logs")
	}
	// One that wraps to a positive number lands on that row.
	_, got = a.listEmails("?page=4611686018427387905&per_page=4&sort=created_at+asc", op...)
	assert.Equal(t, []string{"u00@example.com", "u01@example.com", "u02@example.com", "u03@example.com"}, got)
}

// sqlText is what MySQL's ->> makes of a metadata value (from MySQL's
// JSON documentation: keys shorter first, ", " and ": " between items).
func TestSQLText(t *testing.T) {
	for _, tc := range []struct {
		v    any
		want string
	}{
		{"Ann \"A\"", `Ann "A"`},
		{42.0, "42"},
		{1.5, "1.5"},
		{true, "true"},
		{nil, "null"},
		{[]any{"a", 1.0, nil}, `["a", 1, null]`},
		{map[string]any{"first": "Fay", "last": "Lo", "b": map[string]any{}}, `{"b": {}, "last": "Lo", "first": "Fay"}`},
	} {
		got, ok := sqlText(map[string]any{"k": tc.v}, "k")
		assert.True(t, ok)
		assert.Equal(t, tc.want, got)
	}
	_, ok := sqlText(map[string]any{}, "k")
	assert.False(t, ok, "no key is SQL NULL")
}
