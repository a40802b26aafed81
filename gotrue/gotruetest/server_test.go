package gotruetest

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSettings(t *testing.T) {
	a := newAPI(t)
	r := a.do("GET", "/settings", nil)
	require.Equal(t, http.StatusOK, r.Status)
	assert.JSONEq(t, `{"external":{"bitbucket":true,"github":true,"gitlab":true,"google":true,"facebook":false,"email":true,"saml":false},
		"external_labels":{},"disable_signup":false,"autoconfirm":false}`, string(r.Body))
	assert.Equal(t, []string{"external", "external_labels", "disable_signup", "autoconfirm"}, keys(t, r.Body))

	a.srv.SetConfig(func(c *Config) {
		c.Autoconfirm, c.DisableSignup = true, true
		c.ExternalProviders = []string{"facebook"}
	})
	assert.JSONEq(t, `{"external":{"bitbucket":false,"github":false,"gitlab":false,"google":false,"facebook":true,"email":true,"saml":false},
		"external_labels":{},"disable_signup":true,"autoconfirm":true}`, string(a.do("GET", "/settings", nil).Body))
}

func TestHealth(t *testing.T) {
	a := newAPI(t)
	m := a.do("GET", "/health", nil).object(t)
	assert.Equal(t, "GoTrue", m["name"])
}

func TestNotFoundAndMethodNotAllowed(t *testing.T) {
	a := newAPI(t)
	tok := a.admin()
	for _, p := range []string{"/", "/nope", "/settings/", "/signupx", "/user/extra", "/admin/nope", "/admin/users/x/y"} {
		r := a.do("GET", p, nil, bearer(tok)...)
		assert.Equal(t, http.StatusNotFound, r.Status, p)
		assert.Equal(t, "text/plain; charset=utf-8", r.Header.Get("Content-Type"), p)
		assert.Equal(t, "404 page not found\n", string(r.Body), p)
	}
	for _, c := range []struct{ method, path, allow string }{
		{"GET", "/signup", "POST"},
		{"PUT", "/token", "POST"},
		{"POST", "/settings", "GET"},
		{"DELETE", "/user", "GET, PUT"},
		{"PATCH", "/admin/users", "GET, POST"},
		{"GET", "/invite", "POST"},
	} {
		r := a.do(c.method, c.path, nil, bearer(tok)...)
		assert.Equal(t, http.StatusMethodNotAllowed, r.Status, c.path)
		assert.Empty(t, r.Body, c.path)
		assert.Equal(t, c.allow, r.Header.Get("Allow"), c.path)
	}
	// The group's auth check comes before its 404, as in the real router.
	a.do("GET", "/user/extra", nil).wantErr(t, 401, "This endpoint requires a Bearer token")
	a.do("GET", "/admin/nope", nil).wantErr(t, 401, "This endpoint requires a Bearer token")
	// Trailing slashes work where the real subrouters accept them.
	assert.Equal(t, http.StatusOK, a.do("GET", "/user/", nil, bearer(tok)...).Status)
	assert.Equal(t, http.StatusOK, a.do("GET", "/admin/users/", nil, bearer(tok)...).Status)
}

func TestCORS(t *testing.T) {
	a := newAPI(t, func(c *Config) { c.AllowedOrigins = []string{"http://app.test"} })
	pre := func(origin string) reply {
		return a.do("OPTIONS", "/token", nil, "Origin", origin, "Access-Control-Request-Method", "POST",
			"Access-Control-Request-Headers", "authorization,x-use-cookie")
	}
	r := pre("http://app.test")
	assert.Equal(t, http.StatusNoContent, r.Status)
	assert.Empty(t, r.Body)
	assert.Equal(t, "http://app.test", r.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "true", r.Header.Get("Access-Control-Allow-Credentials"))
	assert.Contains(t, r.Header.Get("Access-Control-Allow-Methods"), "PUT")
	for _, h := range []string{"Authorization", "Content-Type", "X-JWT-AUD", "X-Nf-Client", "X-Use-Cookie"} {
		assert.Contains(t, r.Header.Get("Access-Control-Allow-Headers"), h)
	}
	assert.Contains(t, r.Header.Values("Vary"), "Origin")

	r = pre("http://evil.test")
	assert.Equal(t, http.StatusNoContent, r.Status)
	assert.Empty(t, r.Header.Get("Access-Control-Allow-Origin"))
	assert.Empty(t, r.Header.Get("Access-Control-Allow-Methods"))

	r = a.do("GET", "/settings", nil, "Origin", "http://app.test")
	assert.Equal(t, "http://app.test", r.Header.Get("Access-Control-Allow-Origin"))
	assert.Equal(t, "Link, X-Total-Count", r.Header.Get("Access-Control-Expose-Headers"))
	// Errors carry CORS headers too, so a page can read them.
	r = a.do("GET", "/user", nil, "Origin", "http://app.test")
	assert.Equal(t, 401, r.Status)
	assert.Equal(t, "http://app.test", r.Header.Get("Access-Control-Allow-Origin"))

	a.srv.SetConfig(func(c *Config) { c.AllowedOrigins = []string{"*"} })
	r = pre("http://any.test")
	assert.Equal(t, "http://any.test", r.Header.Get("Access-Control-Allow-Origin"))
	r = a.do("GET", "/settings", nil)
	assert.Empty(t, r.Header.Get("Access-Control-Allow-Origin"), "no Origin, no CORS headers")
}

func TestBodyErrors(t *testing.T) {
	a := newAPI(t, func(c *Config) { c.MaxBodyBytes = 100 })
	for path, what := range map[string]string{
		"/signup": "Signup", "/verify": "verification", "/recover": "verification",
	} {
		r := a.do("POST", path, "{nope")
		require.Equal(t, 400, r.Status, path)
		assert.Equal(t, "Could not read "+what+" params: invalid character 'n' looking for beginning of object key string", r.object(t)["msg"], path)
		r = a.do("POST", path, "")
		assert.Equal(t, "Could not read "+what+" params: EOF", r.object(t)["msg"], path)
	}
	r := a.do("POST", "/signup", `{"email":5}`)
	assert.Equal(t, 400, r.Status)

	r = a.do("POST", "/signup", strings.Repeat("x", 101))
	r.wantErr(t, http.StatusRequestEntityTooLarge, "Request body too large")
	r = a.do("POST", "/token", "grant_type=password&"+strings.Repeat("x", 100), "Content-Type", "application/x-www-form-urlencoded")
	r.wantErr(t, http.StatusRequestEntityTooLarge, "Request body too large")
	// At the limit is fine.
	r = a.do("POST", "/signup", `{"email":"a@b.co","password":"p"}`+strings.Repeat(" ", 100-34))
	assert.Equal(t, 200, r.Status, "%s", r.Body)
}

type failingBody struct{}

func (failingBody) Read([]byte) (int, error) { return 0, fmt.Errorf("boom") }

func TestUnreadableBody(t *testing.T) {
	s := New(Config{})
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("POST", "/signup", failingBody{}))
	assert.Equal(t, 400, w.Code)
	assert.JSONEq(t, `{"code":400,"msg":"Could not read request body"}`, w.Body.String())
}

func TestPanicBecomes500(t *testing.T) {
	s := New(Config{Now: func() time.Time { panic("clock broke") }})
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest("GET", "/settings", nil))
	assert.Equal(t, 500, w.Code)
	assert.Equal(t, "application/json", w.Header().Get("Content-Type"))
	assert.JSONEq(t, `{"code":500,"msg":"Internal server error"}`, w.Body.String())

	assert.PanicsWithValue(t, http.ErrAbortHandler, func() {
		s := New(Config{Now: func() time.Time { panic(http.ErrAbortHandler) }})
		s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/settings", nil))
	}, "ErrAbortHandler must keep aborting the connection")
}

func TestWriteErrFallbacks(t *testing.T) {
	w := httptest.NewRecorder()
	writeErr(w, fmt.Errorf("unexpected"))
	assert.Equal(t, 500, w.Code)
	assert.JSONEq(t, `{"code":500,"msg":"Internal server error"}`, w.Body.String())

	w = httptest.NewRecorder()
	writeJSON(w, 200, map[string]any{"bad": make(chan int)})
	assert.Equal(t, 500, w.Code)
	assert.JSONEq(t, `{"code":500,"msg":"Internal server error"}`, w.Body.String())

	assert.Equal(t, "400: x", badRequest("x").Error())
	assert.Equal(t, "invalid_grant: d", (&oauthError{Err: "invalid_grant", Description: "d"}).Error())
	assert.Equal(t, "method not allowed", methodNotAllowed("GET").Error())
}

func TestRequestsRecorded(t *testing.T) {
	a := newAPI(t)
	a.do("GET", "/settings?x=1", nil, "X-Nf-Client", "gotrue-js")
	a.do("POST", "/signup", map[string]string{"email": "r@example.com", "password": "pw"})
	a.do("GET", "/settings", nil)

	reqs := a.srv.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "GET", reqs[0].Method)
	assert.Equal(t, "/settings?x=1", reqs[0].Path)
	assert.Equal(t, "gotrue-js", reqs[0].Header.Get("X-Nf-Client"))
	assert.JSONEq(t, `{"email":"r@example.com","password":"pw"}`, reqs[1].Body)
	reqs[0].Header.Set("X-Nf-Client", "changed")
	assert.Equal(t, "gotrue-js", a.srv.Requests()[0].Header.Get("X-Nf-Client"), "Requests returns copies")

	assert.Equal(t, 2, a.srv.CountRequests("GET", "/settings"))
	assert.Equal(t, 1, a.srv.CountRequests("GET", "/settings?x=1"))
	assert.Equal(t, 3, a.srv.CountRequests("", "/settings")+a.srv.CountRequests("", "/signup"))
	assert.Equal(t, 0, a.srv.CountRequests("POST", "/settings"))

	a.srv.ResetRequests()
	assert.Empty(t, a.srv.Requests())
}

func TestRequestsCapped(t *testing.T) {
	s := New(Config{})
	for i := range maxRecorded + 5 {
		s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", fmt.Sprintf("/settings?i=%d", i), nil))
	}
	reqs := s.Requests()
	require.Len(t, reqs, maxRecorded)
	assert.Equal(t, "/settings?i=5", reqs[0].Path, "the oldest are dropped")
	assert.Equal(t, fmt.Sprintf("/settings?i=%d", maxRecorded+4), reqs[len(reqs)-1].Path)
}

func TestConcurrentSignupsAndLogins(t *testing.T) {
	a := newAPI(t, func(c *Config) { c.Autoconfirm = true })
	const n = 40
	var wg sync.WaitGroup
	errs := make(chan string, 4*n)
	for i := range n {
		wg.Go(func() {
			email := fmt.Sprintf("user%d@example.com", i)
			req, _ := http.NewRequest("POST", a.srv.URL+"/signup", strings.NewReader(`{"email":"`+email+`","password":"pw"}`))
			resp, err := a.hc.Do(req)
			if err != nil || resp.StatusCode != 200 {
				errs <- "signup " + email
				return
			}
			resp.Body.Close()
			for range 3 {
				resp, err := a.hc.PostForm(a.srv.URL+"/token", url.Values{"grant_type": {"password"}, "username": {email}, "password": {"pw"}})
				if err != nil || resp.StatusCode != 200 {
					errs <- "login " + email
					return
				}
				var tok tokenResponse
				json.NewDecoder(resp.Body).Decode(&tok)
				resp.Body.Close()
				req, _ := http.NewRequest("GET", a.srv.URL+"/user", nil)
				req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
				resp, err = a.hc.Do(req)
				if err != nil || resp.StatusCode != 200 {
					errs <- "user " + email
					return
				}
				resp.Body.Close()
			}
		})
		// Readers of the Go API run alongside.
		wg.Go(func() { a.srv.Mails(); a.srv.Users(); a.srv.Requests(); a.srv.SetConfig(func(c *Config) {}) })
	}
	// Everyone signing up with one address at once: exactly one user.
	for range n {
		wg.Go(func() {
			resp, err := a.hc.Post(a.srv.URL+"/signup", "application/json", strings.NewReader(`{"email":"same@example.com","password":"pw"}`))
			if err == nil {
				resp.Body.Close()
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	assert.Len(t, a.srv.Users(), n+1)
}

// FuzzHandler feeds arbitrary requests to the handler: it must never
// panic, never answer 500, and a JSON Content-Type must carry JSON.
func FuzzHandler(f *testing.F) {
	f.Add("POST", "/signup", "", `{"email":"a@b.co","password":"x","data":{"k":null}}`)
	f.Add("POST", "/token", "application/x-www-form-urlencoded", "grant_type=password&username=a%40b.co&password=x")
	f.Add("POST", "/token", "application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=%zz")
	f.Add("GET", "/user", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x", "")
	f.Add("PUT", "/user", "Bearer x.y.z", `{"data":[1]}`)
	f.Add("POST", "/verify", "", `{"type":"signup","token":" "}`)
	f.Add("GET", "/admin/users?page=-1&per_page=99999999999999999999", "Bearer op", "")
	f.Add("GET", "/admin/users?filter=%25_%5C&sort=created_at%20asc&page=9223372036854775807", "Bearer op", "")
	f.Add("GET", "/admin/audit?query=author:%25a_&page=0&per_page=18446744073709551615", "Bearer op", "")
	f.Add("DELETE", "/admin/users/00000000-0000-4000-8000-000000000000", "Bearer op", "[]")
	f.Add("GET", "/authorize?provider=GitHub&invite_token=zz", "", "")
	f.Add("GET", "/callback?state=", "", "")
	f.Add("OPTIONS", "/x", "", "")
	f.Add("POST", "/invite", "Bearer op", `{"email":"i@b.co"}`)
	f.Add("POST", "/recover", "", `{"email":"a@b.co"}`)

	f.Fuzz(func(t *testing.T, method, path, header, body string) {
		// A fresh server per input keeps a found failure reproducible.
		s := New(Config{OperatorToken: "op", SiteURL: "http://site.test", AllowedOrigins: []string{"*"}})
		if _, err := s.CreateUser(UserParams{Email: "a@b.co", Password: "x", Confirmed: true, Role: "admin"}); err != nil {
			t.Fatal(err)
		}
		u, err := url.ParseRequestURI(path)
		if err != nil {
			return
		}
		req, err := http.NewRequest(method, "http://h"+u.RequestURI(), strings.NewReader(body))
		if err != nil {
			return
		}
		// The header string goes to the headers a client controls.
		req.Header.Set("Authorization", header)
		req.Header.Set("Content-Type", header)
		req.Header.Set("X-JWT-AUD", header)
		req.Header.Set("X-Use-Cookie", header)
		req.Header.Set("Origin", header)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		// The one 500 that is by design is the real server's answer to
		// a page past 2^63 rows (its SQL gets a negative OFFSET).
		pastTheEnd := strings.HasPrefix(u.Path, "/admin/") && (w.Body.String() == `{"code":500,"msg":"Database error finding users"}` ||
			w.Body.String() == `{"code":500,"msg":"Error searching for audit logs"}`)
		if w.Code == http.StatusInternalServerError && !pastTheEnd {
			t.Fatalf("500 for %s %s: %s", method, path, w.Body)
		}
		if ct, _, _ := mime.ParseMediaType(w.Header().Get("Content-Type")); strings.Contains(ct, "json") {
			if !json.Valid(w.Body.Bytes()) {
				t.Fatalf("invalid JSON for %s %s: %q", method, path, w.Body)
			}
		}
	})
}

func TestCheckOrigin(t *testing.T) {
	for _, ok := range []string{"*", "http://localhost:5173", "https://app.example", "http://[::1]:3000", "http://127.0.0.1", "moz-extension://abc"} {
		assert.NoError(t, CheckOrigin(ok), ok)
	}
	for _, bad := range []string{"", "**", "localhost", "localhost:5173", "http://", "http://a.example/", "http://a.example/x",
		"http://a.example?q", "http://a.example#f", "http://u@a.example", "http://a.example:", "http://a.example:x", "HTTP://a.example", "http://A.example"} {
		assert.Error(t, CheckOrigin(bad), bad)
	}
}
