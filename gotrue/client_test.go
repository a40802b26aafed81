package gotrue_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xcontext"
	"github.com/gotrue-wasm/gotrue-wasm/internal/plumbing"
)

var ctx = context.Background()

func TestNewDefaultsAndHTTPWarning(t *testing.T) {
	log := &logRecorder{}
	c := gotrue.New(gotrue.DefaultAPIURL, gotrue.Options{Logger: log})
	assert.Equal(t, "/.netlify/identity", c.APIURL())
	assert.Equal(t, map[string]string{"X-Nf-Client": "gotrue-js"}, c.DefaultHeaders())
	assert.Equal(t, "", c.Audience())
	assert.False(t, c.SetCookie())
	assert.Empty(t, log.all())

	c = gotrue.New("http://localhost:8080", gotrue.Options{Logger: log, ClientName: "my-app", Audience: "aud1", SetCookie: true})
	assert.Equal(t, []string{"warn: Warning:\n\nDO NOT USE HTTP IN PRODUCTION FOR GOTRUE EVER!\nGoTrue REQUIRES HTTPS to work securely."}, log.all())
	assert.Equal(t, map[string]string{"X-Nf-Client": "my-app"}, c.DefaultHeaders())
	assert.Equal(t, "aud1", c.Audience())
	assert.True(t, c.SetCookie())
}

func TestExternalURLs(t *testing.T) {
	c := gotrue.New("https://x.netlify.app/.netlify/identity", gotrue.Options{})
	assert.Equal(t, "https://x.netlify.app/.netlify/identity/authorize?provider=github", c.LoginExternalURL("github"))
	assert.Equal(t, "https://x.netlify.app/.netlify/identity/authorize?provider=gitlab&invite_token=tok", c.AcceptInviteExternalURL("gitlab", "tok"))
}

func TestRequestHeadersAndBody(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	w.api.handle("GET /settings", func(*gotrue.Request) *gotrue.Response { return jsonAnswer(200, `{"autoconfirm":false}`) })
	w.api.handle("POST /signup", func(*gotrue.Request) *gotrue.Response { return jsonAnswer(200, fakeUserJSON) })

	v, err := w.client.Settings(ctx)
	require.NoError(t, err)
	assert.JSONEq(t, `{"autoconfirm":false}`, string(v))
	r := w.api.last()
	assert.Equal(t, "GET", r.Method)
	assert.Equal(t, "https://example.com/api/settings", r.URL)
	assert.Equal(t, map[string]string{"X-Nf-Client": "gotrue-js"}, r.Header, "no Content-Type without a body, no audience")
	assert.Empty(t, r.Credentials, "absolute URL: no credentials")

	_, err = w.client.Signup(ctx, "ann@example.com", "pw \"x\"", mustObject(t, `{"full_name":"Ann"}`))
	require.NoError(t, err)
	r = w.api.last()
	assert.Equal(t, "POST", r.Method)
	assert.Equal(t, map[string]string{"X-Nf-Client": "gotrue-js", "Content-Type": "application/json"}, r.Header)
	assert.Equal(t, `{"email":"ann@example.com","password":"pw \"x\"","data":{"full_name":"Ann"}}`, string(r.Body))

	_, err = w.client.Signup(ctx, "ann@example.com", "pw", gotrue.Object{})
	require.NoError(t, err)
	assert.Equal(t, `{"email":"ann@example.com","password":"pw"}`, string(w.api.last().Body), "data undefined is left out, as JSON.stringify does")

	w.login(t, false)
	r = w.api.requests[len(w.api.requests)-2]
	assert.Equal(t, "grant_type=password&username=ann%40example.com&password=secret", string(r.Body))
	assert.Equal(t, "application/x-www-form-urlencoded", r.Header["Content-Type"], "the call's own header wins")
}

func TestAudienceHeader(t *testing.T) {
	w := newWorld(t, gotrue.Options{Audience: "aud-1"})
	w.api.handle("GET /settings", func(*gotrue.Request) *gotrue.Response { return jsonAnswer(200, `{}`) })
	_, err := w.client.Settings(ctx)
	require.NoError(t, err)
	assert.Equal(t, "aud-1", w.api.last().Header["X-JWT-AUD"])

	u := w.login(t, false)
	assert.Equal(t, "aud-1", w.api.last().Header["X-JWT-AUD"], "GET /user carries the user's audience")
	assert.Equal(t, "aud-1", u.Audience())

	w.api.handle("GET /admin/users", func(*gotrue.Request) *gotrue.Response { return jsonAnswer(200, `{"aud":"other","users":[]}`) })
	_, err = u.Admin().ListUsers(ctx, gotrue.ListUsersOptions{Audience: "other"})
	require.NoError(t, err)
	assert.Equal(t, "other", w.api.last().Header["X-JWT-AUD"], "listUsers(aud) overrides")
	_, err = u.Admin().ListUsers(ctx, gotrue.ListUsersOptions{})
	require.NoError(t, err)
	assert.Equal(t, "aud-1", w.api.last().Header["X-JWT-AUD"])

	_, err = u.JWT(ctx, true)
	require.NoError(t, err)
	_, has := w.api.last().Header["X-JWT-AUD"]
	assert.False(t, has, "a refresh carries no audience")
}

func TestCredentialsSameOriginOnlyForRelativeURLs(t *testing.T) {
	for url, want := range map[string]string{"/.netlify/identity": "same-origin", "//cdn.example.com/id": "", "https://a.b/id": ""} {
		var got *gotrue.Request
		tr := gotrue.TransportFunc(func(_ xcontext.Context, r *gotrue.Request) (*gotrue.Response, error) {
			got = r
			return jsonAnswer(200, `{}`), nil
		})
		_, err := gotrue.New(url, gotrue.Options{Transport: tr}).Settings(ctx)
		require.NoError(t, err)
		assert.Equal(t, want, got.Credentials, url)
	}
}

func TestUserRequestsCarryBearer(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, false)
	r := w.api.last()
	assert.Equal(t, "GET", r.Method)
	tok := u.Token()
	require.NotNil(t, tok)
	assert.Equal(t, "Bearer "+tok.AccessToken(), r.Header["Authorization"])
	_, hasCT := r.Header["Content-Type"]
	assert.False(t, hasCT)
}

func TestSetCookieRememberHeaders(t *testing.T) {
	w := newWorld(t, gotrue.Options{SetCookie: true})
	w.login(t, true)
	assert.Equal(t, "1", w.api.last().Header["X-Use-Cookie"])
	assert.Equal(t, "1", w.api.requests[0].Header["X-Use-Cookie"], "sent on /token itself")
	assert.Equal(t, "1", w.client.DefaultHeaders()["X-Use-Cookie"], "kept for later requests")

	// The reference's quirk: currentUser() of a user who logged in during
	// this page load (not recovered) switches to a session cookie.
	w.client.CurrentUser()
	assert.Equal(t, "session", w.client.DefaultHeaders()["X-Use-Cookie"])

	// A recovered user asks for a persistent one.
	w.session.Invalidate()
	require.NotNil(t, w.client.CurrentUser())
	assert.Equal(t, "1", w.client.DefaultHeaders()["X-Use-Cookie"])

	w.login(t, false)
	assert.Equal(t, "session", w.api.last().Header["X-Use-Cookie"])

	plain := newWorld(t, gotrue.Options{})
	plain.login(t, true)
	_, has := plain.api.last().Header["X-Use-Cookie"]
	assert.False(t, has, "without setCookie the header is never sent")
}

func TestAnswersAndErrors(t *testing.T) {
	cases := []struct {
		name    string
		answer  *gotrue.Response
		value   string
		check   func(t *testing.T, err error)
		message string
	}{
		{name: "json", answer: jsonAnswer(200, `{"a":1}`), value: `{"a":1}`},
		{name: "text 2xx", answer: textAnswer(200, "hello"), value: `"hello"`},
		// response.text() decodes bytes as the WHATWG decoder does: the
		// bytes of a surrogate are three bad bytes, not a lone surrogate.
		{name: "text 2xx, bad bytes", answer: textAnswer(200, "a\xed\xa0\x80b\xff"), value: "\"a\uFFFD\uFFFD\uFFFDb\uFFFD\""},
		{name: "array msg", answer: jsonAnswer(400, `{"msg":[1,[2,[null,"x"]],{},[],true,1e21]}`), message: "1,2,,x,[object Object],,true,1e+21"},
		{name: "nested empty arrays", answer: jsonAnswer(400, `{"msg":[[],[[]]]}`), message: ","},
		{name: "null msg falls through", answer: jsonAnswer(400, `{"msg":null,"error":null}`), message: "Bad Request"},
		{name: "empty 204", answer: &gotrue.Response{Status: 204, StatusText: "No Content"}, value: `""`},
		{name: "msg", answer: jsonAnswer(422, `{"code":422,"msg":"Verify requires a token"}`), message: "Verify requires a token",
			check: func(t *testing.T, err error) {
				var je *gotrue.JSONHTTPError
				require.ErrorAs(t, err, &je)
				assert.Equal(t, 422, je.Status)
				assert.Equal(t, "Unprocessable Entity", je.StatusText)
				assert.JSONEq(t, `{"code":422,"msg":"Verify requires a token"}`, string(je.JSON))
				var he *gotrue.HTTPError
				require.ErrorAs(t, err, &he, "errors.As finds the HTTPError inside")
				assert.Equal(t, 422, he.Status)
			}},
		{name: "error and description", answer: jsonAnswer(400, `{"error":"invalid_grant","error_description":"Email not confirmed"}`), message: "invalid_grant: Email not confirmed"},
		{name: "error without description", answer: jsonAnswer(400, `{"error":"x"}`), message: "x: undefined"},
		{name: "empty msg falls to error", answer: jsonAnswer(400, `{"msg":"","error":"e","error_description":"d"}`), message: "e: d"},
		{name: "no known field", answer: jsonAnswer(500, `{"other":1}`), message: "Internal Server Error"},
		{name: "json null", answer: jsonAnswer(500, `null`), message: "Internal Server Error"},
		{name: "numeric msg", answer: jsonAnswer(400, `{"msg":5}`), message: "5"},
		{name: "text error", answer: textAnswer(404, "404 page not found\n"), message: "Not Found",
			check: func(t *testing.T, err error) {
				var te *gotrue.TextHTTPError
				require.ErrorAs(t, err, &te)
				assert.Equal(t, "404 page not found\n", te.Data)
				var he *gotrue.HTTPError
				require.ErrorAs(t, err, &he)
			}},
		{name: "html 502", answer: &gotrue.Response{Status: 502, StatusText: "Bad Gateway", Header: map[string]string{"content-type": "text/html"}, Body: []byte("<html>bad gateway</html>")}, message: "Bad Gateway"},
		{name: "broken json error", answer: jsonAnswer(500, `{"msg":`), message: "Internal Server Error",
			check: func(t *testing.T, err error) {
				var te *gotrue.TextHTTPError
				require.ErrorAs(t, err, &te, "kept as text, with the status")
				assert.Equal(t, `{"msg":`, te.Data)
			}},
		{name: "broken json 200", answer: jsonAnswer(200, `{"a":`),
			check: func(t *testing.T, err error) {
				var ie *gotrue.InvalidAnswerError
				require.ErrorAs(t, err, &ie)
				assert.Contains(t, err.Error(), "not valid JSON")
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tr := gotrue.TransportFunc(func(xcontext.Context, *gotrue.Request) (*gotrue.Response, error) { return tc.answer, nil })
			v, err := gotrue.New("/id", gotrue.Options{Transport: tr}).Settings(ctx)
			if tc.value != "" {
				require.NoError(t, err)
				assert.Equal(t, tc.value, string(v))
				return
			}
			require.Error(t, err)
			if tc.message != "" {
				assert.Equal(t, tc.message, err.Error())
			}
			if tc.check != nil {
				tc.check(t, err)
			}
		})
	}
}

func TestTimeoutIsAClearError(t *testing.T) {
	tr := gotrue.TransportFunc(func(xcontext.Context, *gotrue.Request) (*gotrue.Response, error) {
		return nil, fmt.Errorf("fetch: %w", xcontext.DeadlineExceeded) // context.DeadlineExceeded, natively
	})
	_, err := gotrue.New("/id", gotrue.Options{Transport: tr}).Settings(ctx)
	assert.ErrorIs(t, err, gotrue.ErrTimeout)
	assert.Equal(t, "gotrue: the server did not answer in time", err.Error())
}

func TestNetworkErrorPassesThrough(t *testing.T) {
	boom := errors.New("TypeError: Failed to fetch")
	tr := gotrue.TransportFunc(func(xcontext.Context, *gotrue.Request) (*gotrue.Response, error) { return nil, boom })
	_, err := gotrue.New("/id", gotrue.Options{Transport: tr}).Settings(ctx)
	assert.Same(t, boom, err)
}

func TestClientEndpoints(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	var verifyBodies []string
	w.api.handle("POST /verify", func(r *gotrue.Request) *gotrue.Response {
		verifyBodies = append(verifyBodies, string(r.Body))
		return jsonAnswer(200, w.issue())
	})
	w.api.handle("POST /recover", func(r *gotrue.Request) *gotrue.Response { return jsonAnswer(200, `{}`) })

	_, err := w.client.Confirm(ctx, "ct", false)
	require.NoError(t, err)
	_, err = w.client.Recover(ctx, "rt", false)
	require.NoError(t, err)
	_, err = w.client.AcceptInvite(ctx, "it", "pw", false)
	require.NoError(t, err)
	_, err = w.client.Verify(ctx, "signup", "vt", false)
	require.NoError(t, err)
	assert.Equal(t, []string{
		`{"token":"ct","type":"signup"}`,
		`{"token":"rt","type":"recovery"}`,
		`{"token":"it","password":"pw","type":"signup"}`,
		`{"token":"vt","type":"signup"}`,
	}, verifyBodies)

	v, err := w.client.RequestPasswordRecovery(ctx, "ann@example.com")
	require.NoError(t, err)
	assert.Equal(t, `{}`, string(v))
	assert.Equal(t, `{"email":"ann@example.com"}`, string(w.api.last().Body))
}

func TestAdminEndpoints(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, false)
	for _, route := range []string{"GET /admin/users/abc", "PUT /admin/users/abc", "POST /admin/users", "DELETE /admin/users/abc"} {
		w.api.handle(route, func(*gotrue.Request) *gotrue.Response { return jsonAnswer(200, `{}`) })
	}
	a := u.Admin()
	_, err := a.GetUser(ctx, "abc")
	require.NoError(t, err)
	var attrs gotrue.Object
	attrs.SetString("role", "editor")
	_, err = a.UpdateUser(ctx, "abc", attrs)
	require.NoError(t, err)
	assert.Equal(t, `{"role":"editor"}`, string(w.api.last().Body))
	attrs.SetString("email", "first@x")
	_, err = a.CreateUser(ctx, "new@example.com", "pw", attrs)
	require.NoError(t, err)
	assert.Equal(t, `{"role":"editor","email":"new@example.com","password":"pw"}`, string(w.api.last().Body), "email keeps its place, password is added")
	assert.Equal(t, `{"role":"editor","email":"first@x"}`, string(attrs.Bytes()), "the caller's attributes are not changed")
	_, err = a.DeleteUser(ctx, "abc")
	require.NoError(t, err)
	assert.Equal(t, "DELETE", w.api.last().Method)
	assert.NotEmpty(t, w.api.last().Header["Authorization"])
}

// A page may change a client's public settings after construction, as
// gotrue-js reads them at every request; the bindings pass them on.
func TestConfigure(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	w.api.handle("GET /settings", func(*gotrue.Request) *gotrue.Response { return jsonAnswer(200, `{}`) })
	plumbing.Configure(w.client, plumbing.Config{
		APIURL:         "https://example.com/api",
		DefaultHeaders: map[string]string{"X-Nf-Client": "page", "X-Extra": "1"},
		Audience:       "aud2",
		SetCookie:      true,
	})
	_, err := w.client.Settings(ctx)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"X-Nf-Client": "page", "X-Extra": "1", "X-JWT-AUD": "aud2"}, w.api.last().Header)
	assert.True(t, w.client.SetCookie())
	w.login(t, true)
	assert.Equal(t, "1", w.api.last().Header["X-Use-Cookie"])

	plumbing.Configure(w.client, plumbing.Config{APIURL: "/relative", SameOrigin: true})
	assert.Equal(t, "/relative/authorize?provider=x", w.client.LoginExternalURL("x"))
	assert.Equal(t, map[string]string{}, w.client.DefaultHeaders())
}

// A message made of an array 100,000 deep is read in one pass: an error
// answer must not stall the page (each level once re-read all below it,
// which took a minute at this depth).
func TestDeepArrayMessage(t *testing.T) {
	const depth = 100_000
	body := `{"msg":` + strings.Repeat("[", depth) + `"x"` + strings.Repeat("]", depth) + `}`
	tr := gotrue.TransportFunc(func(xcontext.Context, *gotrue.Request) (*gotrue.Response, error) {
		return jsonAnswer(400, body), nil
	})
	_, err := gotrue.New("/id", gotrue.Options{Transport: tr}).Settings(ctx)
	require.Error(t, err)
	assert.Equal(t, "x", err.Error())
}

// As matches errors.As: direct, wrapped, through As methods, in joins.
func TestAsMatchesErrorsAs(t *testing.T) {
	je := &gotrue.JSONHTTPError{HTTPError: gotrue.HTTPError{Status: 400, Message: "m"}}
	wrapped := fmt.Errorf("outer: %w", je)
	joined := errors.Join(errors.New("x"), wrapped)
	for _, err := range []error{je, wrapped, joined} {
		got, ok := errors.AsType[*gotrue.JSONHTTPError](err)
		assert.True(t, ok)
		assert.Same(t, je, got)
		he, ok := errors.AsType[*gotrue.HTTPError](err)
		assert.True(t, ok, "through JSONHTTPError's As method")
		assert.Equal(t, 400, he.Status)
	}
	_, ok := errors.AsType[*gotrue.TextHTTPError](joined)
	assert.False(t, ok)
	_, ok = errors.AsType[*gotrue.HTTPError](nil)
	assert.False(t, ok)
	_, ok = errors.AsType[*gotrue.HTTPError](errors.New("plain"))
	assert.False(t, ok)
}
