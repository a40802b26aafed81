package gotruetest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var userKeys = []string{"id", "aud", "role", "email", "confirmed_at", "invited_at", "confirmation_sent_at",
	"recovery_sent_at", "new_email", "email_change_sent_at", "app_metadata", "user_metadata",
	"created_at", "updated_at"}

// assertUserKeys checks that a user JSON has the given optional keys, and
// that all keys are in the real server's order.
func assertUserKeys(t *testing.T, raw []byte, optional ...string) {
	t.Helper()
	var want []string
	for _, k := range userKeys {
		switch k {
		case "confirmed_at", "invited_at", "confirmation_sent_at", "recovery_sent_at", "new_email", "email_change_sent_at":
			if !contains(optional, k) {
				continue
			}
		}
		want = append(want, k)
	}
	assert.Equal(t, want, keys(t, raw))
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestSignupConfirmLogin(t *testing.T) {
	clk := newClock()
	a := newAPI(t, func(c *Config) { c.Now = clk.Now; c.SiteURL = "http://site.test/" })

	r := a.do("POST", "/signup", map[string]any{"email": "Ann@Example.com", "password": "pw1", "data": map[string]any{"full_name": "Ann"}})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	assertUserKeys(t, r.Body, "confirmation_sent_at")
	u := r.object(t)
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, u["id"])
	assert.Equal(t, "", u["aud"])
	assert.Equal(t, "", u["role"])
	assert.Equal(t, "Ann@Example.com", u["email"])
	assert.Equal(t, "2030-01-02T03:04:05Z", u["confirmation_sent_at"])
	assert.Equal(t, "2030-01-02T03:04:05Z", u["created_at"])
	assert.Equal(t, map[string]any{"provider": "email"}, u["app_metadata"])
	assert.Equal(t, map[string]any{"full_name": "Ann"}, u["user_metadata"])

	mail, ok := a.srv.LastMail("ann@example.com", KindConfirmation)
	require.True(t, ok)
	assert.Equal(t, "Ann@Example.com", mail.To)
	assert.Equal(t, "Confirm Your Signup", mail.Subject)
	assert.Equal(t, "http://site.test/#confirmation_token="+mail.Token, mail.Link)
	assert.Equal(t, clk.Now(), mail.SentAt)

	a.do("POST", "/token", url.Values{"grant_type": {"password"}, "username": {"ann@example.com"}, "password": {"pw1"}}).
		wantOAuthErr(t, "invalid_grant", "Email not confirmed")

	clk.Add(time.Minute)
	r = a.do("POST", "/verify", map[string]string{"type": "signup", "token": mail.Token})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	tok := r.object(t)
	assert.Equal(t, []string{"access_token", "token_type", "expires_in", "refresh_token"}, keys(t, r.Body))
	assert.Equal(t, "bearer", tok["token_type"])
	assert.Equal(t, float64(3600), tok["expires_in"])

	a.do("POST", "/verify", map[string]string{"type": "signup", "token": mail.Token}).wantErr(t, 404, "User not found")

	clk.Add(time.Minute)
	tok = a.login("ann@example.com", "pw1")
	r = a.do("GET", "/user", nil, bearer(tok["access_token"].(string))...)
	require.Equal(t, 200, r.Status)
	assertUserKeys(t, r.Body, "confirmed_at", "confirmation_sent_at")
	u = r.object(t)
	assert.Equal(t, "2030-01-02T03:05:05Z", u["confirmed_at"])
	// Neither the confirmation nor the login changed updated_at.
	assert.Equal(t, "2030-01-02T03:04:05Z", u["updated_at"])
}

func TestSignupErrors(t *testing.T) {
	clk := newClock()
	a := newAPI(t, func(c *Config) { c.Now = clk.Now })
	a.do("POST", "/signup", map[string]string{"email": "a@example.com"}).wantErr(t, 422, "Signup requires a valid password")
	a.do("POST", "/signup", map[string]string{"password": "x"}).wantErr(t, 422, "An email address is required")
	a.do("POST", "/signup", map[string]string{"email": "", "password": "x"}).wantErr(t, 422, "An email address is required")
	a.do("POST", "/signup", map[string]string{"email": "not-an-email", "password": "x"}).wantErr(t, 422, "Unable to validate email address: invalid format")

	a.srv.SetConfig(func(c *Config) { c.DisableSignup = true })
	a.do("POST", "/signup", map[string]string{"email": "a@example.com", "password": "x"}).wantErr(t, 403, "Signups not allowed for this instance")
	a.srv.SetConfig(func(c *Config) { c.DisableSignup = false })

	// Signing up again before confirming: 200, data merged, first password kept,
	// and no second mail within the mail interval (the real silent cooldown).
	a.do("POST", "/signup", map[string]any{"email": "b@example.com", "password": "first", "data": map[string]any{"a": 1, "b": 2}})
	first, _ := a.srv.LastMail("b@example.com", KindConfirmation)
	r := a.do("POST", "/signup", map[string]any{"email": "B@example.com", "password": "second", "data": map[string]any{"b": nil, "c": 3}})
	require.Equal(t, 200, r.Status)
	assert.Equal(t, map[string]any{"a": float64(1), "c": float64(3)}, r.object(t)["user_metadata"])
	assert.Len(t, a.srv.Mails(), 1)

	clk.Add(16 * time.Minute)
	a.do("POST", "/signup", map[string]any{"email": "b@example.com", "password": "third"})
	second, _ := a.srv.LastMail("b@example.com", KindConfirmation)
	require.Len(t, a.srv.Mails(), 2, "a new mail once the interval passed")
	assert.NotEqual(t, first.Token, second.Token)
	a.do("POST", "/verify", map[string]string{"type": "signup", "token": first.Token}).wantErr(t, 404, "User not found")
	require.Equal(t, 200, a.do("POST", "/verify", map[string]string{"type": "signup", "token": second.Token}).Status)
	a.login("b@example.com", "first")
	a.do("POST", "/token", url.Values{"grant_type": {"password"}, "username": {"b@example.com"}, "password": {"second"}}).
		wantOAuthErr(t, "invalid_grant", "No user found with that email, or password invalid.")

	a.do("POST", "/signup", map[string]string{"email": "b@example.com", "password": "x"}).
		wantErr(t, 400, "A user with this email address has already been registered")
}

func TestSignupAutoconfirm(t *testing.T) {
	a := newAPI(t, func(c *Config) { c.Autoconfirm = true })
	r := a.do("POST", "/signup", map[string]string{"email": "auto@example.com", "password": "pw"})
	require.Equal(t, 200, r.Status)
	assertUserKeys(t, r.Body, "confirmed_at")
	assert.Empty(t, a.srv.Mails())
	a.login("auto@example.com", "pw")
}

func TestSignupAudience(t *testing.T) {
	a := newAPI(t, func(c *Config) { c.Autoconfirm = true; c.Audience = "default-aud" })
	r := a.do("POST", "/signup", map[string]string{"email": "x@example.com", "password": "pw"})
	assert.Equal(t, "default-aud", r.object(t)["aud"])
	r = a.do("POST", "/signup", map[string]string{"email": "x@example.com", "password": "pw"}, "X-JWT-AUD", "other")
	require.Equal(t, 200, r.Status, "one address may exist once per audience")
	assert.Equal(t, "other", r.object(t)["aud"])
	// A login finds the user of the request's audience only.
	a.login("x@example.com", "pw")
	a.login("x@example.com", "pw", "X-JWT-AUD", "other")
	a.do("POST", "/token", url.Values{"grant_type": {"password"}, "username": {"x@example.com"}, "password": {"pw"}}, "X-JWT-AUD", "third").
		wantOAuthErr(t, "invalid_grant", "No user found with that email, or password invalid.")
}

func TestTokenErrors(t *testing.T) {
	a := newAPI(t)
	a.seed("t@example.com", "right")
	bad := "No user found with that email, or password invalid."
	form := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}
	a.do("POST", "/token", form("grant_type", "password", "username", "t@example.com", "password", "wrong")).wantOAuthErr(t, "invalid_grant", bad)
	a.do("POST", "/token", form("grant_type", "password", "username", "nobody@example.com", "password", "right")).wantOAuthErr(t, "invalid_grant", bad)
	a.do("POST", "/token", form("grant_type", "password")).wantOAuthErr(t, "invalid_grant", bad)
	a.do("POST", "/token", form("grant_type", "client_credentials")).wantOAuthErr(t, "unsupported_grant_type", "")
	a.do("POST", "/token", nil).wantOAuthErr(t, "unsupported_grant_type", "")
	a.do("POST", "/token", map[string]string{"grant_type": "password"}).wantOAuthErr(t, "unsupported_grant_type", "")
	a.do("POST", "/token", form("grant_type", "refresh_token")).wantOAuthErr(t, "invalid_request", "refresh_token required")
	a.do("POST", "/token", form("grant_type", "refresh_token", "refresh_token", "nope")).wantOAuthErr(t, "invalid_grant", "Invalid Refresh Token")
	// A user without a password (invited, external) cannot log in with an empty one.
	a.seed("nopw@example.com", "")
	a.do("POST", "/token", form("grant_type", "password", "username", "nopw@example.com", "password", "")).wantOAuthErr(t, "invalid_grant", bad)
}

func TestAccessToken(t *testing.T) {
	clk := newClock()
	a := newAPI(t, func(c *Config) { c.Now = clk.Now; c.TokenLifetime = 90 * time.Second })
	id := a.seed("jwt@example.com", "pw", func(p *UserParams) {
		p.AppMetadata = map[string]any{"roles": []any{"editor"}}
		p.UserMetadata = map[string]any{"full_name": "J"}
	})
	tok := a.login("jwt@example.com", "pw")
	assert.Equal(t, float64(90), tok["expires_in"])
	access := tok["access_token"].(string)

	parts := strings.Split(access, ".")
	require.Len(t, parts, 3)
	header, err := base64.RawURLEncoding.DecodeString(parts[0])
	require.NoError(t, err)
	assert.Equal(t, `{"alg":"HS256","kid":"nf-ident","typ":"JWT"}`, string(header))

	claims := jwt.MapClaims{}
	_, err = jwt.NewParser(jwt.WithTimeFunc(clk.Now)).ParseWithClaims(access, claims, func(*jwt.Token) (any, error) { return []byte(testSecret), nil })
	require.NoError(t, err)
	assert.Equal(t, jwt.MapClaims{
		"exp":           float64(clk.Now().Add(90 * time.Second).Unix()),
		"sub":           id,
		"email":         "jwt@example.com",
		"app_metadata":  map[string]any{"provider": "email", "roles": []any{"editor"}},
		"user_metadata": map[string]any{"full_name": "J"},
	}, claims, "no aud when empty, no iat, no jti")

	a.srv.SetConfig(func(c *Config) { c.Audience = "site-aud" })
	a.seed("aud@example.com", "pw")
	access = a.accessToken("aud@example.com", "pw")
	claims = jwt.MapClaims{}
	_, _, err = jwt.NewParser().ParseUnverified(access, claims)
	require.NoError(t, err)
	assert.Equal(t, "site-aud", claims["aud"], "aud is a plain string")

	// The refresh token is opaque.
	assert.NotContains(t, tok["refresh_token"], ".")
}

func TestTokenExpiresWithClock(t *testing.T) {
	clk := newClock()
	a := newAPI(t, func(c *Config) { c.Now = clk.Now })
	a.seed("clock@example.com", "pw")
	tok := a.accessToken("clock@example.com", "pw")
	clk.Add(59 * time.Minute)
	assert.Equal(t, 200, a.do("GET", "/user", nil, bearer(tok)...).Status)
	clk.Add(time.Minute)
	r := a.do("GET", "/user", nil, bearer(tok)...)
	r.wantErr(t, 401, "Invalid token: token is expired")
	assert.NotContains(t, string(r.Body), tok)
}

func TestRefreshRotation(t *testing.T) {
	clk := newClock()
	a := newAPI(t, func(c *Config) { c.Now = clk.Now })
	a.seed("rot@example.com", "pw")
	first := a.login("rot@example.com", "pw")
	refresh := func(rt string) reply {
		return a.do("POST", "/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}})
	}
	clk.Add(time.Second)
	r := refresh(first["refresh_token"].(string))
	require.Equal(t, 200, r.Status, "%s", r.Body)
	second := r.object(t)
	assert.NotEqual(t, first["refresh_token"], second["refresh_token"])
	assert.NotEqual(t, first["access_token"], second["access_token"])
	assert.Equal(t, 200, a.do("GET", "/user", nil, bearer(second["access_token"].(string))...).Status)

	refresh(first["refresh_token"].(string)).wantOAuthErr(t, "invalid_grant", "Invalid Refresh Token")
	assert.Equal(t, 200, refresh(second["refresh_token"].(string)).Status)
	refresh(second["refresh_token"].(string)).wantOAuthErr(t, "invalid_grant", "Invalid Refresh Token")
}

func TestLogout(t *testing.T) {
	a := newAPI(t)
	id := a.seed("out@example.com", "pw")
	s1 := a.login("out@example.com", "pw")
	s2 := a.login("out@example.com", "pw")

	r := a.do("POST", "/logout", nil, bearer(s1["access_token"].(string))...)
	assert.Equal(t, http.StatusNoContent, r.Status)
	assert.Empty(t, r.Body)
	assert.Contains(t, r.Header.Get("Set-Cookie"), "nf_jwt=; Path=/; Expires=")
	assert.Contains(t, r.Header.Get("Set-Cookie"), "Max-Age=0; HttpOnly; Secure")
	for _, s := range []map[string]any{s1, s2} {
		a.do("POST", "/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {s["refresh_token"].(string)}}).
			wantOAuthErr(t, "invalid_grant", "Invalid Refresh Token")
	}
	// The access token itself stays valid until it expires (it is stateless).
	assert.Equal(t, 200, a.do("GET", "/user", nil, bearer(s1["access_token"].(string))...).Status)

	a.do("POST", "/logout", nil).wantErr(t, 401, "This endpoint requires a Bearer token")
	a.do("POST", "/logout", nil, "Authorization", "Basic abc").wantErr(t, 401, "This endpoint requires a Bearer token")

	admin := a.admin()
	a.do("DELETE", "/admin/users/"+id, nil, bearer(admin)...)
	a.do("POST", "/logout", nil, bearer(s1["access_token"].(string))...).wantErr(t, 401, "Invalid user")
}

func TestGetUserErrors(t *testing.T) {
	a := newAPI(t, func(c *Config) { c.Audience = "site" })
	id := a.seed("get@example.com", "pw")
	tok := a.accessToken("get@example.com", "pw")

	r := a.do("GET", "/user", nil)
	r.wantErr(t, 401, "This endpoint requires a Bearer token")
	assert.Contains(t, r.Header.Get("Set-Cookie"), "Max-Age=0", "an auth failure clears the cookie")

	r = a.do("GET", "/user", nil, bearer("not.a.jwt")...)
	assert.Equal(t, 401, r.Status)
	assert.True(t, strings.HasPrefix(r.object(t)["msg"].(string), "Invalid token: token is malformed"), "%s", r.Body)
	assert.Contains(t, r.Header.Get("Set-Cookie"), "Max-Age=0")

	forged := tok[:len(tok)-4] + "AAAA"
	r = a.do("GET", "/user", nil, bearer(forged)...)
	r.wantErr(t, 401, "Invalid token: signature is invalid")
	assert.NotContains(t, string(r.Body), forged)

	none := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"sub": id})
	unsigned, err := none.SignedString(jwt.UnsafeAllowNoneSignatureType)
	require.NoError(t, err)
	assert.Equal(t, 401, a.do("GET", "/user", nil, bearer(unsigned)...).Status, "alg none is refused")

	a.do("GET", "/user", nil, append(bearer(tok), "X-JWT-AUD", "other")...).wantErr(t, 400, "Token audience doesn't match request audience")
	a.do("PUT", "/user", map[string]any{}, append(bearer(tok), "X-JWT-AUD", "other")...).wantErr(t, 400, "Token audience doesn't match request audience")
	assert.Equal(t, 200, a.do("GET", "/user", nil, append(bearer(tok), "X-JWT-AUD", "site")...).Status)

	sign := func(claims jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString([]byte(testSecret))
		require.NoError(t, err)
		return s
	}
	a.do("GET", "/user", nil, bearer(sign(jwt.MapClaims{"sub": "1", "aud": "site"}))...).wantErr(t, 400, "Could not read User ID claim")
	a.do("GET", "/user", nil, bearer(sign(jwt.MapClaims{"sub": newUUID(), "aud": "site"}))...).wantErr(t, 404, "User not found")
	// A token without aud on a server with a default audience does not match.
	a.do("GET", "/user", nil, bearer(sign(jwt.MapClaims{"sub": id}))...).wantErr(t, 400, "Token audience doesn't match request audience")
}

func TestUpdateUser(t *testing.T) {
	clk := newClock()
	a := newAPI(t, func(c *Config) { c.Now = clk.Now; c.SiteURL = "http://site.test" })
	a.seed("taken@example.com", "pw")
	a.seed("me@example.com", "old", func(p *UserParams) { p.UserMetadata = map[string]any{"keep": true, "drop": "x"} })
	tok := a.accessToken("me@example.com", "old")
	put := func(body any) reply { return a.do("PUT", "/user", body, bearer(tok)...) }

	clk.Add(time.Hour - time.Second)
	r := put(map[string]any{"data": map[string]any{"drop": nil, "new": []any{1, "two"}}, "password": "new"})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	u := r.object(t)
	assert.Equal(t, map[string]any{"keep": true, "new": []any{float64(1), "two"}}, u["user_metadata"])
	assert.Equal(t, "2030-01-02T04:04:04Z", u["updated_at"])
	a.login("me@example.com", "new")

	put(map[string]any{"app_metadata": map[string]any{"roles": []any{"admin"}}}).wantErr(t, 401, "Updating app_metadata requires admin privileges")
	put(map[string]any{"email": "bad"}).wantErr(t, 422, "Unable to validate email address: invalid format")
	put(map[string]any{"email": "TAKEN@example.com"}).wantErr(t, 422, "Email address already registered by another user")
	put(map[string]any{"email_change_token": "guess"}).wantErr(t, 401, "Email Change Token didn't match token on file")
	put("{").wantErr(t, 400, "Could not read User Update params: unexpected EOF")

	// Email change: a mail to the new address, then the token applies it.
	r = put(map[string]any{"email": "new@example.com"})
	require.Equal(t, 200, r.Status)
	assertUserKeys(t, r.Body, "confirmed_at", "new_email", "email_change_sent_at")
	u = r.object(t)
	assert.Equal(t, "me@example.com", u["email"])
	assert.Equal(t, "new@example.com", u["new_email"])
	mail, ok := a.srv.LastMail("new@example.com", KindEmailChange)
	require.True(t, ok)
	assert.Equal(t, "http://site.test/#email_change_token="+mail.Token, mail.Link)
	assert.Equal(t, "Confirm Email Change", mail.Subject)
	put(map[string]any{"email_change_token": "wrong"}).wantErr(t, 401, "Email Change Token didn't match token on file")
	r = put(map[string]any{"email_change_token": mail.Token})
	require.Equal(t, 200, r.Status)
	u = r.object(t)
	assert.Equal(t, "new@example.com", u["email"])
	assert.NotContains(t, u, "new_email")
	a.login("new@example.com", "new")
	// Same address again: nothing to change, no mail.
	n := len(a.srv.Mails())
	assert.Equal(t, 200, put(map[string]any{"email": "NEW@example.com"}).Status)
	assert.Len(t, a.srv.Mails(), n)

	// A pending change whose address got taken meanwhile is refused.
	put(map[string]any{"email": "race@example.com"})
	mail, _ = a.srv.LastMail("race@example.com", KindEmailChange)
	a.seed("race@example.com", "pw")
	put(map[string]any{"email_change_token": mail.Token}).wantErr(t, 422, "Email address already registered by another user")

	// An admin may change its own app_metadata (null deletes a key).
	a.seed("boss@example.com", "pw", func(p *UserParams) {
		p.Role = "admin"
		p.AppMetadata = map[string]any{"roles": []any{"admin"}, "plan": "free"}
	})
	boss := a.accessToken("boss@example.com", "pw")
	r = a.do("PUT", "/user", map[string]any{"app_metadata": map[string]any{"plan": nil, "team": "x"}}, bearer(boss)...)
	require.Equal(t, 200, r.Status, "%s", r.Body)
	assert.Equal(t, map[string]any{"provider": "email", "roles": []any{"admin"}, "team": "x"}, r.object(t)["app_metadata"])
}

func TestVerify(t *testing.T) {
	a := newAPI(t)
	a.do("POST", "/verify", map[string]string{"type": "signup"}).wantErr(t, 422, "Verify requires a token")
	a.do("POST", "/verify", map[string]string{"type": "signup", "token": "  \t"}).wantErr(t, 422, "Verify requires a token")
	a.do("POST", "/verify", map[string]string{"type": "signup", "token": "unknown"}).wantErr(t, 404, "User not found")
	a.do("POST", "/verify", map[string]string{"type": "recovery", "token": "unknown"}).wantErr(t, 404, "User not found")
	a.do("POST", "/verify", map[string]string{"type": "magic", "token": "x"}).wantErr(t, 422, "Verify requires a verification type")
	a.do("POST", "/verify", map[string]string{"token": "x"}).wantErr(t, 422, "Verify requires a verification type")
}

func TestRecover(t *testing.T) {
	clk := newClock()
	a := newAPI(t, func(c *Config) { c.Now = clk.Now; c.SiteURL = "http://site.test" })
	// An unconfirmed user: following the recovery link confirms the address.
	a.do("POST", "/signup", map[string]string{"email": "lost@example.com", "password": "forgotten"})

	r := a.do("POST", "/recover", map[string]string{"email": "LOST@example.com"})
	require.Equal(t, 200, r.Status)
	assert.Equal(t, "{}", string(r.Body))
	mail, ok := a.srv.LastMail("lost@example.com", KindRecovery)
	require.True(t, ok)
	assert.Equal(t, "http://site.test/#recovery_token="+mail.Token, mail.Link)
	assert.Equal(t, "Reset Your Password", mail.Subject)

	r = a.do("POST", "/recover", map[string]string{"email": "nobody@example.com"})
	assert.Equal(t, 200, r.Status)
	assert.Equal(t, "{}", string(r.Body), "unknown addresses look the same")

	a.do("POST", "/recover", map[string]string{"email": "lost@example.com"}).wantErr(t, 429, "Rate limit exceeded, try again later")
	r = a.do("POST", "/recover", map[string]string{"email": "nobody@example.com"})
	assert.Equal(t, "{}", string(r.Body), "no limit for unknown addresses, as on the real server")
	a.do("POST", "/recover", map[string]string{}).wantErr(t, 422, "Password recovery requires an email")

	r = a.do("POST", "/verify", map[string]string{"type": "recovery", "token": mail.Token})
	require.Equal(t, 200, r.Status, "%s", r.Body)
	tok := r.object(t)["access_token"].(string)
	a.do("POST", "/verify", map[string]string{"type": "recovery", "token": mail.Token}).wantErr(t, 404, "User not found")
	r = a.do("GET", "/user", nil, bearer(tok)...)
	assertUserKeys(t, r.Body, "confirmed_at", "confirmation_sent_at", "recovery_sent_at")
	require.Equal(t, 200, a.do("PUT", "/user", map[string]string{"password": "remembered"}, bearer(tok)...).Status)
	a.login("lost@example.com", "remembered")

	clk.Add(15*time.Minute + time.Second)
	assert.Equal(t, 200, a.do("POST", "/recover", map[string]string{"email": "lost@example.com"}).Status)
}

// TestCookies pins where nf_jwt is set: /token, /verify and refreshes set
// it when asked (X-Use-Cookie "session" or anything else for a day);
// /user never does; an auth failure and /logout clear it. Cookie values
// are compared without printing them.
// TestInvalidTokenMessages pins the real server's 401 texts for broken
// bearers (recorded from netlify/gotrue), except where it would quote the
// decoded token: there gotruetest says "token is malformed".
func TestInvalidTokenMessages(t *testing.T) {
	a := newAPI(t)
	for tok, msg := range map[string]string{
		"a.b":                                 "token contains an invalid number of segments",
		"not-a-jwt":                           "token contains an invalid number of segments",
		"###.e30.sig":                         "illegal base64 data at input byte 0",
		"eyJhbGciOiJIUzI1NiJ9.###.sig":        "illegal base64 data at input byte 0",
		"e30.e30.sig":                         "signing method (alg) is unspecified.",
		"eyJhbGciOiJIUzI1NiJ9.e30.sig":        "signature is invalid",
		"eyJhbGciOiJub25lIn0.e30.":            "signing method none is invalid",
		"eyJhbGciOiJSUzI1NiJ9.e30.sig":        "signing method RS256 is invalid",
		"eyJhbGciOiJzZWNyZXQifQ.e30.sig":      "signing method (alg) is unavailable.",
		"eyJhbGciOiJIUzI1NiJ9.bm90anNvbg.sig": "token is malformed", // v4 would quote the JSON error
	} {
		a.do("GET", "/user", nil, bearer(tok)...).wantErr(t, 401, "Invalid token: "+msg)
	}
}

func TestCookies(t *testing.T) {
	clk := newClock()
	a := newAPI(t, func(c *Config) { c.Now = clk.Now; c.Autoconfirm = true })
	a.seed("c@example.com", "pw")
	form := url.Values{"grant_type": {"password"}, "username": {"c@example.com"}, "password": {"pw"}}
	setsToken := func(r reply, token, attrs string) {
		t.Helper()
		got := r.Header.Get("Set-Cookie")
		assert.True(t, got == "nf_jwt="+token+attrs, "Set-Cookie is not nf_jwt=<the access token>%s (got %d bytes)", attrs, len(got))
	}
	const day = "; Path=/; Expires=Thu, 03 Jan 2030 03:04:05 GMT; Max-Age=86400; HttpOnly; Secure"

	r := a.do("POST", "/token", form, "X-Use-Cookie", "1")
	require.Equal(t, 200, r.Status)
	setsToken(r, r.object(t)["access_token"].(string), day)

	r = a.do("POST", "/token", form, "X-Use-Cookie", "session")
	tok := r.object(t)
	setsToken(r, tok["access_token"].(string), "; Path=/; HttpOnly; Secure")

	r = a.do("POST", "/token", form)
	assert.Empty(t, r.Header.Values("Set-Cookie"), "no cookie without X-Use-Cookie")

	access := tok["access_token"].(string)
	for _, mode := range []string{"session", "1"} {
		r = a.do("GET", "/user", nil, append(bearer(access), "X-Use-Cookie", mode)...)
		assert.Equal(t, 200, r.Status)
		assert.Empty(t, r.Header.Values("Set-Cookie"), "GET /user with X-Use-Cookie %s", mode)
		r = a.do("PUT", "/user", map[string]any{}, append(bearer(access), "X-Use-Cookie", mode)...)
		assert.Equal(t, 200, r.Status)
		assert.Empty(t, r.Header.Values("Set-Cookie"), "PUT /user with X-Use-Cookie %s", mode)
	}

	r = a.do("POST", "/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)}}, "X-Use-Cookie", "1")
	require.Equal(t, 200, r.Status)
	setsToken(r, r.object(t)["access_token"].(string), day)

	a.do("POST", "/recover", map[string]string{"email": "c@example.com"})
	mail, _ := a.srv.LastMail("c@example.com", KindRecovery)
	r = a.do("POST", "/verify", map[string]string{"type": "recovery", "token": mail.Token}, "X-Use-Cookie", "1")
	require.Equal(t, 200, r.Status)
	setsToken(r, r.object(t)["access_token"].(string), day)

	cleared := "nf_jwt=; Path=/; Expires=Tue, 01 Jan 2030 17:04:05 GMT; Max-Age=0; HttpOnly; Secure"
	r = a.do("GET", "/user", nil, "X-Use-Cookie", "1", "Authorization", "Bearer x")
	assert.Equal(t, 401, r.Status)
	assert.Equal(t, cleared, r.Header.Get("Set-Cookie"))
	r = a.do("POST", "/logout", nil, bearer(access)...)
	assert.Equal(t, cleared, r.Header.Get("Set-Cookie"))
}

// TestRefreshTokenExpiry: a refresh token works for RefreshTokenLifetime
// after it was issued; each refresh issues a new one.
func TestRefreshTokenExpiry(t *testing.T) {
	clk := newClock()
	a := newAPI(t, func(c *Config) { c.Now = clk.Now; c.RefreshTokenLifetime = time.Hour })
	a.seed("x@example.com", "pw")
	refresh := func(rt string) reply {
		return a.do("POST", "/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}, "X-Use-Cookie", "1")
	}
	tok := a.login("x@example.com", "pw")
	clk.Add(time.Hour)
	r := refresh(tok["refresh_token"].(string))
	require.Equal(t, 200, r.Status, "a token exactly as old as the lifetime still works")
	next := r.object(t)["refresh_token"].(string)

	clk.Add(time.Hour + time.Second)
	r = refresh(next)
	r.wantOAuthErr(t, "invalid_grant", "Refresh token expired")
	assert.Contains(t, r.Header.Get("Set-Cookie"), "nf_jwt=; ")
}

// TestRefreshTokenFailures: a revoked (rotated) refresh token clears the
// cookie; one deleted by /logout, or never issued, does not.
func TestRefreshTokenFailures(t *testing.T) {
	a := newAPI(t)
	a.seed("r@example.com", "pw")
	first := a.login("r@example.com", "pw")
	refresh := func(rt string) reply {
		return a.do("POST", "/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}, "X-Use-Cookie", "1")
	}
	r := refresh(first["refresh_token"].(string))
	require.Equal(t, 200, r.Status)
	second := r.object(t)

	r = refresh(first["refresh_token"].(string))
	r.wantOAuthErr(t, "invalid_grant", "Invalid Refresh Token")
	assert.Contains(t, r.Header.Get("Set-Cookie"), "nf_jwt=; ")

	require.Equal(t, 204, a.do("POST", "/logout", nil, bearer(second["access_token"].(string))...).Status)
	for _, rt := range []string{second["refresh_token"].(string), "never-issued"} {
		r = refresh(rt)
		r.wantOAuthErr(t, "invalid_grant", "Invalid Refresh Token")
		assert.Empty(t, r.Header.Values("Set-Cookie"))
	}
}

func TestUserJSONNeverLeaksSecrets(t *testing.T) {
	a := newAPI(t)
	a.do("POST", "/signup", map[string]string{"email": "s@example.com", "password": "hunter2"})
	mail, _ := a.srv.LastMail("s@example.com", KindConfirmation)
	for _, u := range a.srv.Users() {
		raw, err := json.Marshal(u)
		require.NoError(t, err)
		assert.NotContains(t, string(raw), "hunter2")
		assert.NotContains(t, string(raw), mail.Token)
	}
}
