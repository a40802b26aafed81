package gotrue_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/internal/plumbing"
)

var badLoginForm = gotrue.RequestOptions{
	Method: "POST",
	Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
	Body:   []byte("grant_type=password&username=x&password=y"),
}

// APIRequest is api.request: no audience, and a JSON error keeps the
// status text; Request is gotrue._request: the audience, and the message
// rewritten from the answer.
func TestAPIRequestAndRequest(t *testing.T) {
	w := newWorld(t, gotrue.Options{Audience: "aud1"})
	_, err := w.client.APIRequest(ctx, "/token", gotrue.RequestOptions{Method: badLoginForm.Method, Header: badLoginForm.Header, Body: badLoginForm.Body, Audience: "ignored"})
	je, ok := errors.AsType[*gotrue.JSONHTTPError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, "Bad Request", je.Message)
	assert.NotContains(t, w.api.last().Header, "X-JWT-AUD")
	assert.Equal(t, "application/x-www-form-urlencoded", w.api.last().Header["Content-Type"])

	_, err = w.client.Request(ctx, "/token", badLoginForm)
	je, ok = errors.AsType[*gotrue.JSONHTTPError](err)
	require.True(t, ok, "%v", err)
	assert.Equal(t, "invalid_grant: No user found with that email, or password invalid.", je.Message)
	assert.Equal(t, "aud1", w.api.last().Header["X-JWT-AUD"])

	_, err = w.client.Request(ctx, "/token", gotrue.RequestOptions{Method: "POST", Body: []byte("x"), Audience: "aud2"})
	require.Error(t, err)
	assert.Equal(t, "aud2", w.api.last().Header["X-JWT-AUD"], "the call's audience wins")

	// A text answer is a JSON string; no body means no Content-Type.
	v, err := w.client.APIRequest(ctx, "/logout", gotrue.RequestOptions{Method: "POST"})
	require.NoError(t, err)
	assert.Equal(t, `""`, string(v))
	assert.NotContains(t, w.api.last().Header, "Content-Type")
	assert.Equal(t, "gotrue-js", w.api.last().Header["X-Nf-Client"])
}

// Credentials: same-origin for a same-origin client unless the call says
// otherwise; none for another origin, whatever the call says.
func TestRequestCredentials(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	plumbing.Configure(w.client, plumbing.Config{APIURL: "/api", SameOrigin: true})
	_, _ = w.client.APIRequest(ctx, "/settings", gotrue.RequestOptions{})
	assert.Equal(t, "same-origin", w.api.last().Credentials)
	_, _ = w.client.APIRequest(ctx, "/settings", gotrue.RequestOptions{Credentials: "include"})
	assert.Equal(t, "include", w.api.last().Credentials)
	plumbing.Configure(w.client, plumbing.Config{APIURL: "/api", SameOrigin: false})
	_, _ = w.client.APIRequest(ctx, "/settings", gotrue.RequestOptions{Credentials: "include"})
	assert.Empty(t, w.api.last().Credentials, "gotrue-js decides _sameOrigin once; a page may clear it")
	assert.True(t, gotrue.SameOrigin("/x"))
	assert.False(t, gotrue.SameOrigin("//x"))
	assert.False(t, gotrue.SameOrigin("https://x"))
}

// User.Request is user._request: the bearer, the user's audience or the
// call's.
func TestUserRequest(t *testing.T) {
	w := newWorld(t, gotrue.Options{Audience: "aud1"})
	u := w.login(t, false)
	v, err := u.Request(ctx, "/user", gotrue.RequestOptions{})
	require.NoError(t, err)
	assert.JSONEq(t, fakeUserJSON, string(v))
	assert.Equal(t, "Bearer "+u.Token().AccessToken(), w.api.last().Header["Authorization"])
	assert.Equal(t, "aud1", w.api.last().Header["X-JWT-AUD"])
	u.SetAudience("written")
	_, _ = u.Request(ctx, "/user", gotrue.RequestOptions{})
	assert.Equal(t, "written", w.api.last().Header["X-JWT-AUD"])
	_, _ = u.Request(ctx, "/user", gotrue.RequestOptions{Audience: "call"})
	assert.Equal(t, "call", w.api.last().Header["X-JWT-AUD"])
}

// A token the page writes is the one sent, with the expiry it carries;
// none at all is gotrue-js's "failed getting jwt access token".
func TestSetToken(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, false)
	rev := plumbing.Revision(u)
	forged, err := gotrue.ParseToken([]byte(`{"access_token":"forged","refresh_token":"r","expires_at":1e300}`))
	require.NoError(t, err)
	u.SetToken(forged)
	assert.Greater(t, plumbing.Revision(u), rev)
	jwt, err := u.JWT(ctx, false)
	require.NoError(t, err)
	assert.Equal(t, "forged", jwt)
	_, _ = u.Request(ctx, "/user", gotrue.RequestOptions{})
	assert.Equal(t, "Bearer forged", w.api.last().Header["Authorization"])

	u.SetToken(nil)
	_, err = u.JWT(ctx, false)
	assert.ErrorIs(t, err, gotrue.ErrNoToken)
	assert.Nil(t, u.Token())
}

// ProcessTokenResponse installs a token response with its expiry read from
// the JWT, and saves nothing; SaveUserData copies fields, never reserved
// ones, and marks a user recovered.
func TestProcessTokenResponseAndSaveUserData(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, false)
	tok, err := gotrue.ParseToken([]byte(w.issue()))
	require.NoError(t, err)
	u.ProcessTokenResponse(tok)
	assert.Equal(t, tok.AccessToken(), u.Token().AccessToken())
	assert.Equal(t, w.clock.at().Add(3600e9).UnixMilli(), u.Token().ExpiresAt())
	assert.Empty(t, w.saved())

	fields, err := gotrue.ParseObject([]byte(`{"nickname":"nick","token":"no","jwt":"no","url":"no"}`))
	require.NoError(t, err)
	u.SaveUserData(fields, false)
	assert.Equal(t, "nick", u.Field("nickname"))
	assert.False(t, u.FromStorage())
	assert.Equal(t, "", u.Field("jwt"))
	assert.Equal(t, "https://example.com/api", u.URL())
	u.SaveUserData(gotrue.Object{}, true)
	assert.True(t, u.FromStorage())
	assert.Empty(t, w.saved(), "_saveUserData saves nothing")
}

// SaveSession saves; RefreshSavedSession saves only over a saved session;
// RemoveSavedSession removes it and keeps the user in memory.
func TestSaveRefreshAndRemoveSavedSession(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, false)
	u.RefreshSavedSession()
	assert.Empty(t, w.saved())
	u.SaveSession()
	saved := w.saved()
	assert.Contains(t, saved, `"email":"ann@example.com"`)
	fields, _ := gotrue.ParseObject([]byte(`{"nickname":"nick"}`))
	u.SaveUserData(fields, false)
	u.RefreshSavedSession()
	assert.Contains(t, w.saved(), `"nickname":"nick"`)

	w.session.RemoveSavedSession(nil)
	assert.Empty(t, w.saved())
	assert.Same(t, u, w.client.CurrentUser())
}

// RecoverSession: the current user first; else the saved one, on the
// client the callback makes for the saved URL, called only then.
func TestRecoverSession(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	calls := 0
	mk := func(url string) *gotrue.Client {
		calls++
		assert.Equal(t, "https://example.com/api", url)
		return gotrue.New(url, gotrue.Options{Transport: w.api, Session: w.session, Clock: w.clock, Logger: w.log})
	}
	assert.Nil(t, w.session.RecoverSession(mk))
	assert.Equal(t, 0, calls, "nothing saved: no client made")
	u := w.login(t, true)
	assert.Same(t, u, w.session.RecoverSession(mk))
	assert.Equal(t, 0, calls)

	w.session.Invalidate()
	r := w.session.RecoverSession(mk)
	require.NotNil(t, r)
	assert.Equal(t, 1, calls)
	assert.True(t, r.FromStorage())
	assert.Equal(t, u.Email(), r.Email())
	assert.NotSame(t, w.client, r.Client())
	assert.Same(t, r, w.client.CurrentUser(), "the recovered user is the current user")
}

// NewUser makes the current user from a token response without a request.
func TestNewUser(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	tok, err := gotrue.ParseToken([]byte(w.issue()))
	require.NoError(t, err)
	before := len(w.api.requests)
	u := w.client.NewUser(tok, "aud9")
	assert.Len(t, w.api.requests, before)
	assert.Same(t, u, w.client.CurrentUser())
	assert.Equal(t, "aud9", u.Audience())
	assert.Equal(t, w.clock.at().Add(3600e9).UnixMilli(), u.Token().ExpiresAt())
	assert.Empty(t, w.saved())
}

// Refresh is _refreshToken(rt): the new access token, rotated in.
func TestRefresh(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, true)
	old := u.Token()
	access, err := u.Refresh(context.Background(), old.RefreshToken())
	require.NoError(t, err)
	assert.Equal(t, u.Token().AccessToken(), access)
	assert.NotEqual(t, old.RefreshToken(), u.Token().RefreshToken())
	assert.Contains(t, w.saved(), u.Token().RefreshToken())

	// A refused token ends the session (nothing saved to adopt from).
	u.ClearSession()
	m := w.login(t, false)
	rt := m.Token().RefreshToken()
	_, err = m.Refresh(context.Background(), rt)
	require.NoError(t, err)
	_, err = m.Refresh(context.Background(), rt)
	require.Error(t, err)
}

// MarshalJSON answers from the encoding of the user's last revision, so
// every change must show in the next call, and a caller's changes to its
// copy must not.
func TestMarshalJSONFollowsEveryChange(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, true)
	marshal := func() string {
		b, err := u.MarshalJSON()
		require.NoError(t, err)
		return string(b)
	}
	first, err := u.MarshalJSON()
	require.NoError(t, err)
	copy(first, "XXXXXXXX")
	assert.True(t, strings.HasPrefix(marshal(), `{"token":`), "a caller's copy is its own")

	steps := []struct {
		name   string
		change func()
		want   string
	}{
		{"SetAudience", func() { u.SetAudience("aud7") }, `"audience":"aud7"`},
		{"SetToken", func() { u.SetToken(gotrue.NewToken("a.b.c", "bearer", 3600, "rt-7")) }, `"refresh_token":"rt-7"`},
		{"SaveUserData", func() { u.SaveUserData(mustObject(t, `{"nick":"n7"}`), false) }, `"nick":"n7"`},
		{"SaveUserData from storage", func() { u.SaveUserData(gotrue.Object{}, true) }, `"_fromStorage":true`},
		{"ClearSession", func() { u.ClearSession() }, `{"token":null,`},
	}
	for _, s := range steps {
		before := marshal()
		s.change()
		after := marshal()
		assert.NotContains(t, before, s.want, s.name)
		assert.Contains(t, after, s.want, s.name)
	}
}

func mustObject(t *testing.T, s string) gotrue.Object {
	t.Helper()
	o, err := gotrue.ParseObject(gotrue.RawJSON(s))
	require.NoError(t, err)
	return o
}
