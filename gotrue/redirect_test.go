package gotrue_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
)

func TestParseRedirect(t *testing.T) {
	const site = "https://site.example/"
	cases := []struct {
		name string
		url  string
		want *gotrue.Redirect // TokenResponse is checked apart
		tok  string           // the TokenResponse's JSON
	}{
		{"confirmation", site + "#confirmation_token=abc",
			&gotrue.Redirect{Kind: gotrue.RedirectConfirmation, Token: "abc", URL: site}, ""},
		{"recovery after #/", site + "#/recovery_token=x",
			&gotrue.Redirect{Kind: gotrue.RedirectRecovery, Token: "x", URL: site}, ""},
		{"invite keeps the other parameters", site + "page#invite_token=t&foo=1",
			&gotrue.Redirect{Kind: gotrue.RedirectInvite, Token: "t", URL: site + "page#foo=1"}, ""},
		{"other parameters first", site + "#foo=1&invite_token=t&bar=a%20b",
			&gotrue.Redirect{Kind: gotrue.RedirectInvite, Token: "t", URL: site + "#foo=1&bar=a%20b"}, ""},
		{"email change", "/#email_change_token=e",
			&gotrue.Redirect{Kind: gotrue.RedirectEmailChange, Token: "e", URL: "/"}, ""},
		{"token form-decoded", site + "#invite_token=a%2Bb+c%zz",
			&gotrue.Redirect{Kind: gotrue.RedirectInvite, Token: "a+b c%zz", URL: site}, ""},
		{"first mail token wins", site + "#recovery_token=r&confirmation_token=c",
			&gotrue.Redirect{Kind: gotrue.RedirectConfirmation, Token: "c", URL: site + "#recovery_token=r"}, ""},
		{"external", site + "#access_token=A&expires_in=3600&refresh_token=R&token_type=bearer",
			&gotrue.Redirect{Kind: gotrue.RedirectExternal, URL: site},
			`{"access_token":"A","token_type":"bearer","expires_in":"3600","refresh_token":"R"}`},
		{"external with state", site + "app?x=1#access_token=A&token_type=bearer&state=s1&keep=1",
			&gotrue.Redirect{Kind: gotrue.RedirectExternal, URL: site + "app?x=1#keep=1"},
			`{"access_token":"A","token_type":"bearer"}`},
		{"error, + as a space", site + "#error=access_denied&error_description=Signups+not+allowed",
			&gotrue.Redirect{Kind: gotrue.RedirectError, Err: &gotrue.ExternalLoginError{Code: "access_denied", Description: "Signups not allowed"}, URL: site}, ""},
		{"error, %20 as a space", site + "#error=access_denied&error_description=Signups%20not%20allowed%21",
			&gotrue.Redirect{Kind: gotrue.RedirectError, Err: &gotrue.ExternalLoginError{Code: "access_denied", Description: "Signups not allowed!"}, URL: site}, ""},
		{"error without description", site + "#error=server_error",
			&gotrue.Redirect{Kind: gotrue.RedirectError, Err: &gotrue.ExternalLoginError{Code: "server_error"}, URL: site}, ""},
		{"no fragment", site + "?confirmation_token=abc", nil, ""},
		{"empty", "", nil, ""},
		{"empty fragment", site + "#", nil, ""},
		{"only a slash", site + "#/", nil, ""},
		{"an anchor", site + "#section-2", nil, ""},
		{"unrelated parameters", site + "#foo=bar&baz", nil, ""},
		{"empty confirmation token", site + "#confirmation_token=", nil, ""},
		{"empty invite token", site + "#invite_token", nil, ""},
		{"empty access token", site + "#access_token=&token_type=bearer", nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := gotrue.ParseRedirect(tc.url)
			if tc.want == nil {
				assert.True(t, got == nil, "expected nil")
				return
			}
			require.NotNil(t, got)
			assert.Equal(t, tc.want.Kind, got.Kind)
			assert.Equal(t, tc.want.Token, got.Token)
			assert.Equal(t, tc.want.URL, got.URL)
			assert.Equal(t, tc.want.Err, got.Err)
			if tc.tok == "" {
				assert.True(t, got.TokenResponse == nil, "expected nil")
				return
			}
			require.NotNil(t, got.TokenResponse)
			b, err := got.TokenResponse.MarshalJSON()
			require.NoError(t, err)
			assert.True(t, string(b) == tc.tok, "the token response holds the fragment's parameters as strings")
		})
	}
}

func TestExternalLoginErrorText(t *testing.T) {
	assert.Equal(t, "Signups not allowed", (&gotrue.ExternalLoginError{Code: "access_denied", Description: "Signups not allowed"}).Error())
	assert.Equal(t, "access_denied", (&gotrue.ExternalLoginError{Code: "access_denied"}).Error())
}

// redirectWorld is a world whose /verify hands out tokens and records what
// it was sent.
func redirectWorld(t *testing.T) (*world, *[]string, *eventLog) {
	w := newWorld(t, gotrue.Options{})
	return w, serveVerify(w), record(t, w.client)
}

func TestHandleRedirectConfirmation(t *testing.T) {
	for _, tc := range []struct {
		url, body string
	}{
		{"https://site.example/#confirmation_token=abc", `{"token":"abc","type":"signup"}`},
		{"https://site.example/#recovery_token=x", `{"token":"x","type":"recovery"}`},
	} {
		w, bodies, events := redirectWorld(t)
		r := gotrue.ParseRedirect(tc.url)
		require.NotNil(t, r)
		res, err := w.client.HandleRedirect(ctx, r, true)
		require.NoError(t, err, tc.url)
		assert.Equal(t, r.Kind, res.Kind)
		require.NotNil(t, res.User, tc.url)
		assert.Equal(t, "ann@example.com", res.User.Email())
		assert.Empty(t, res.Token)
		assert.True(t, res.Err == nil, "expected nil")
		assert.Equal(t, []string{tc.body}, *bodies)
		require.Equal(t, 2, len(w.api.requests), "POST /verify, GET /user")
		assert.Equal(t, "POST", w.api.requests[0].Method)
		assert.True(t, strings.HasSuffix(w.api.requests[0].URL, "/verify"))
		assert.Equal(t, "GET", w.api.requests[1].Method)
		assert.True(t, strings.HasSuffix(w.api.requests[1].URL, "/user"))
		sameUser(t, res.User, w.client.CurrentUser())
		assert.True(t, strings.Contains(w.saved(), `"email":"ann@example.com"`), "remember saves the session")
		got := events.all()
		require.Len(t, got, 1, "%v", events.kinds())
		assert.Equal(t, gotrue.EventLogin, got[0].Kind)
		sameUser(t, res.User, got[0].User)
	}
}

func TestHandleRedirectNotRemembered(t *testing.T) {
	w, _, _ := redirectWorld(t)
	res, err := w.client.HandleRedirect(ctx, gotrue.ParseRedirect("/#confirmation_token=abc"), false)
	require.NoError(t, err)
	sameUser(t, res.User, w.client.CurrentUser())
	assert.True(t, w.saved() == "", "nothing saved")
}

// An invitation only hands its token back: the page asks for a password
// first, then calls AcceptInvite.
func TestHandleRedirectInvite(t *testing.T) {
	w, _, events := redirectWorld(t)
	res, err := w.client.HandleRedirect(ctx, gotrue.ParseRedirect("/#invite_token=t&foo=1"), true)
	require.NoError(t, err)
	assert.Equal(t, gotrue.RedirectInvite, res.Kind)
	assert.Equal(t, "t", res.Token)
	assert.True(t, res.User == nil, "expected nil")
	assert.Zero(t, len(w.api.requests), "no request")
	assert.Empty(t, events.all())
	assert.True(t, w.client.CurrentUser() == nil, "expected nil")
}

func TestHandleRedirectEmailChange(t *testing.T) {
	w, _, events := redirectWorld(t)
	r := gotrue.ParseRedirect("/#email_change_token=e")
	res, err := w.client.HandleRedirect(ctx, r, true)
	assert.ErrorIs(t, err, gotrue.ErrNotLoggedIn)
	assert.True(t, res == nil, "expected nil")
	assert.Zero(t, len(w.api.requests), "no request")

	u := w.login(t, true)
	events.reset()
	var body, auth string
	w.api.handle("PUT /user", func(req *gotrue.Request) *gotrue.Response {
		body, auth = string(req.Body), req.Header["Authorization"]
		return jsonAnswer(200, strings.Replace(fakeUserJSON, "ann@example.com", "new@example.com", 1))
	})
	res, err = w.client.HandleRedirect(ctx, r, true)
	require.NoError(t, err)
	assert.Equal(t, gotrue.RedirectEmailChange, res.Kind)
	sameUser(t, u, res.User)
	assert.Equal(t, `{"email_change_token":"e"}`, body)
	assert.True(t, auth == "Bearer "+u.Token().AccessToken(), "the user's bearer")
	assert.Equal(t, "new@example.com", u.Email())
	assert.True(t, strings.Contains(w.saved(), `"email":"new@example.com"`), "the saved session follows")
	assert.Equal(t, []gotrue.EventKind{gotrue.EventUserUpdate}, events.kinds())

	// The server refuses the token: its error, the user unchanged.
	w.api.handle("PUT /user", func(*gotrue.Request) *gotrue.Response {
		return jsonAnswer(422, `{"code":422,"msg":"Invalid email change token"}`)
	})
	res, err = w.client.HandleRedirect(ctx, r, true)
	assert.True(t, res == nil, "expected nil")
	je, ok := errors.AsType[*gotrue.JSONHTTPError](err)
	require.True(t, ok, "%T", err)
	assert.Equal(t, 422, je.Status)
	assert.Equal(t, "Invalid email change token", err.Error())
	sameUser(t, u, w.client.CurrentUser())
}

func TestHandleRedirectExternal(t *testing.T) {
	w, _, events := redirectWorld(t)
	var auth string
	w.api.handle("GET /user", func(req *gotrue.Request) *gotrue.Response {
		auth = req.Header["Authorization"]
		return jsonAnswer(200, fakeUserJSON)
	})
	r := gotrue.ParseRedirect("https://site.example/#access_token=A&expires_in=3600&refresh_token=R&token_type=bearer")
	require.NotNil(t, r)
	res, err := w.client.HandleRedirect(ctx, r, true)
	require.NoError(t, err)
	assert.Equal(t, gotrue.RedirectExternal, res.Kind)
	require.NotNil(t, res.User)
	assert.True(t, auth == "Bearer A", "GET /user with the fragment's access token")
	assert.Equal(t, 1, len(w.api.requests), "GET /user only")
	assert.Equal(t, "ann@example.com", res.User.Email())
	tok := res.User.Token()
	assert.True(t, tok.AccessToken() == "A" && tok.RefreshToken() == "R", "the fragment's token")
	// "A" is no JWT: the expiry falls back to expires_in, a string here.
	assert.Equal(t, w.clock.at().Add(time.Hour).UnixMilli(), tok.ExpiresAt())
	assert.True(t, strings.Contains(w.saved(), `"expires_in":"3600"`), "saved as gotrue-js saves the widget's strings")
	sameUser(t, res.User, w.client.CurrentUser())
	assert.Equal(t, []gotrue.EventKind{gotrue.EventLogin}, events.kinds())

	// The redirect's token is the caller's: the user holds a copy.
	b, _ := r.TokenResponse.MarshalJSON()
	assert.NotContains(t, string(b), "expires_at")
}

func TestHandleRedirectError(t *testing.T) {
	w, _, events := redirectWorld(t)
	res, err := w.client.HandleRedirect(ctx, gotrue.ParseRedirect("/#error=access_denied&error_description=Signups+not+allowed+for+this+instance"), true)
	require.NoError(t, err, "the login's error is the result's")
	assert.Equal(t, gotrue.RedirectError, res.Kind)
	var le *gotrue.ExternalLoginError
	require.True(t, errors.As(res.Err, &le), "%T", res.Err)
	assert.Equal(t, "access_denied", le.Code)
	assert.Equal(t, "Signups not allowed for this instance", le.Description)
	assert.EqualError(t, res.Err, "Signups not allowed for this instance")
	assert.True(t, res.User == nil, "expected nil")
	assert.Zero(t, len(w.api.requests), "no request")
	assert.Empty(t, events.all())
}

// The server's errors are returned as errors, typed as every request's.
func TestHandleRedirectServerError(t *testing.T) {
	w, _, events := redirectWorld(t)
	w.api.handle("POST /verify", func(*gotrue.Request) *gotrue.Response {
		return jsonAnswer(404, `{"code":404,"msg":"User not found"}`)
	})
	for _, url := range []string{"/#confirmation_token=abc", "/#recovery_token=x"} {
		res, err := w.client.HandleRedirect(ctx, gotrue.ParseRedirect(url), true)
		assert.True(t, res == nil, url)
		var je *gotrue.JSONHTTPError
		require.True(t, errors.As(err, &je), "%s: %T", url, err)
		assert.Equal(t, 404, je.Status)
		assert.Equal(t, "User not found", err.Error())
		var he *gotrue.HTTPError
		assert.True(t, errors.As(err, &he))
	}
	assert.True(t, w.client.CurrentUser() == nil, "expected nil")
	assert.True(t, w.saved() == "", "nothing saved")
	assert.Empty(t, events.all())

	// An external login whose token the server does not know.
	w.api.handle("GET /user", func(*gotrue.Request) *gotrue.Response {
		return jsonAnswer(401, `{"code":401,"msg":"Invalid token: signature is invalid"}`)
	})
	res, err := w.client.HandleRedirect(ctx, gotrue.ParseRedirect("/#access_token=A&expires_in=3600&refresh_token=R&token_type=bearer"), true)
	assert.True(t, res == nil, "expected nil")
	var je *gotrue.JSONHTTPError
	require.True(t, errors.As(err, &je), "%T", err)
	assert.Equal(t, 401, je.Status)
	assert.True(t, w.client.CurrentUser() == nil, "expected nil")
	assert.Empty(t, events.all())
}

func TestHandleRedirectUnknownKind(t *testing.T) {
	w, _, _ := redirectWorld(t)
	res, err := w.client.HandleRedirect(ctx, &gotrue.Redirect{Kind: "magic"}, true)
	assert.Error(t, err)
	assert.True(t, res == nil, "expected nil")
	assert.Zero(t, len(w.api.requests), "no request")
}
