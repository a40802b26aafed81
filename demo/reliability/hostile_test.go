package reliability

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gotrue-wasm/gotrue-wasm/demo/devserver"
	"github.com/gotrue-wasm/gotrue-wasm/internal/pagetest"
)

// The methods each hostile case runs, one at a time, each from a fresh
// logged-in state: a session saved with remember=true and recovered by a
// GoTrue whose APIUrl is the hostile server.
var hostileMethods = []string{"settings", "login", "createUser", "getUserData", "jwt(true)"}

// methodExpr is the page expression of a method. email, password and the
// token response of createUser are set by the test.
var methodExpr = map[string]string{
	"settings":    "auth.settings()",
	"login":       "auth.login(email, password, true)",
	"createUser":  "auth.createUser(JSON.parse(tokenResponse), true)",
	"getUserData": "user.getUserData()",
	"jwt(true)":   "user.jwt(true)",
}

// want is what a method must do against a hostile answer: its outcome
// (outcome.String's prefix) and what becomes of the saved session: "same"
// (byte for byte), "cleared" (the contract's 4xx refresh rule) or
// "changed" (a login or a refresh that succeeded), or "any" (a success
// that may rewrite it with the server's newer fields).
type want struct {
	outcome string
	storage string
}

// serveFunc answers a request to a hostile API; path is relative to it,
// and forward gets the real identity server's answer to the request.
type serveFunc func(w http.ResponseWriter, r *http.Request, path string, forward func() *httptest.ResponseRecorder)

// pathFunc answers one path; real is the real server's answer for /token
// and /verify (to edit), nil otherwise.
type pathFunc func(w http.ResponseWriter, r *http.Request, real *httptest.ResponseRecorder)

// hostileCase is one kind of hostile server. serve answers the requests
// made to its API (path relative to it); forward passes a request on to
// the real identity server.
type hostileCase struct {
	name  string
	serve serveFunc
	// api, when set, is the APIUrl (a dead port, another origin); else
	// /h/<name>.
	api  func() string
	want map[string]want
	// check inspects the saved session after a method that succeeded.
	check func(t *testing.T, method string, stored map[string]any)
	// logs is what our client must print on the console for this case.
	logs string
	note string // how gotrue-js compares, for the report
}

// answer writes a fixed answer.
func answer(status int, contentType, body string) serveFunc {
	return func(w http.ResponseWriter, r *http.Request, _ string, _ func() *httptest.ResponseRecorder) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}
}

// onPaths answers the given paths with their handlers and forwards the
// others to the real server.
func onPaths(m map[string]pathFunc) serveFunc {
	return func(w http.ResponseWriter, r *http.Request, path string, forward func() *httptest.ResponseRecorder) {
		if h, ok := m[path]; ok {
			var fw *httptest.ResponseRecorder
			if path == "/token" || path == "/verify" {
				fw = forward() // the real answer, for handlers that edit it
			}
			h(w, r, fw)
			return
		}
		copyAnswer(w, forward())
	}
}

func copyAnswer(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

// editToken answers /token and /verify with the real token response
// changed by edit, and /user with the canned user when the real server
// cannot check the (edited) bearer.
func editToken(edit func(tok map[string]any), cannedUser bool) serveFunc {
	edited := func(w http.ResponseWriter, _ *http.Request, fw *httptest.ResponseRecorder) {
		if fw.Code != http.StatusOK {
			copyAnswer(w, fw)
			return
		}
		var tok map[string]any
		if err := json.Unmarshal(fw.Body.Bytes(), &tok); err != nil {
			copyAnswer(w, fw)
			return
		}
		edit(tok)
		b, _ := json.Marshal(tok)
		writeJSON(w, http.StatusOK, string(b))
	}
	m := map[string]pathFunc{"/token": edited, "/verify": edited}
	if cannedUser {
		m["/user"] = func(w http.ResponseWriter, _ *http.Request, _ *httptest.ResponseRecorder) {
			writeJSON(w, http.StatusOK, `{"id":"hostile-user","aud":"","role":"","email":"hostile@example.com","app_metadata":{},"user_metadata":{}}`)
		}
	}
	return onPaths(m)
}

// crafted is an access token with this payload (raw, not encoded, when
// rawPayload is set), registered as a secret.
func crafted(payload string, rawPayload bool) string {
	tok := fakeJWT(payload)
	if rawPayload {
		parts := strings.Split(tok, ".")
		parts[1] = payload
		tok = strings.Join(parts, ".")
		leaks.token("fake token", tok)
	}
	return tok
}

// twoParts is a token of two parts (no signature), registered as a secret.
func twoParts(exp int64) string {
	payload := b64(fmt.Sprintf(`{"exp":%d,"nonce":"two-parts-%d"}`, exp, time.Now().UnixNano()))
	tok := b64(`{"alg":"HS256"}`) + "." + payload
	leaks.secret("fake token", tok)
	leaks.secret("fake token (payload)", payload)
	return tok
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// sameAll is the expectation of a case where every method fails alike.
func sameAll(outcome string, jwtStorage string) map[string]want {
	m := map[string]want{}
	for _, meth := range hostileMethods {
		m[meth] = want{outcome, "same"}
	}
	m["jwt(true)"] = want{outcome, jwtStorage}
	return m
}

func hostileCases(hang <-chan struct{}, deadURL, corsURL string) []hostileCase {
	const (
		invalid     = "Error: gotrue: invalid answer from the server (status 200): "
		notJSON     = invalid + "the body is not valid JSON"
		tokNotObj   = invalid + "the token response is not a JSON object"
		tokNoAccess = invalid + "the token response has no access_token"
		userNotObj  = invalid + "the user is not a JSON object"
		tooLarge    = invalid + "the body is larger than the 8 MiB the client accepts"
	)
	in := time.Now().Add(2 * time.Hour).Unix()
	big := `{"pad":"` + strings.Repeat("x", 10<<20) + `"}`
	deep := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)

	// Tokens whose claims cannot be read: login and refresh go on with
	// expires_at = now + expires_in (gotrue-js leaves it unset: NaN).
	tokenCase := func(name, token, note string, fallback bool) hostileCase {
		return hostileCase{
			name:  name,
			serve: editToken(func(tok map[string]any) { tok["access_token"] = token }, true),
			want: map[string]want{
				"settings": {"ok", "same"}, "login": {"ok", "changed"}, "createUser": {"ok", "changed"},
				"getUserData": {"ok", "changed"}, "jwt(true)": {"ok", "changed"},
			},
			check: func(t *testing.T, method string, stored map[string]any) {
				if method != "login" && method != "jwt(true)" {
					return
				}
				tok, _ := stored["token"].(map[string]any)
				at, _ := tok["expires_at"].(float64)
				now := float64(time.Now().UnixMilli())
				switch {
				case tok["access_token"] != token:
					t.Errorf("%s: the saved access token is not the server's", method)
				case fallback && (at < now+3000e3 || at > now+3700e3):
					t.Errorf("%s: expires_at = %.0f, want now + expires_in (%.0f)", method, at, now+3600e3)
				case !fallback && at != 8.64e15:
					t.Errorf("%s: expires_at = %.0f, want the largest Date, 8.64e15", method, at)
				}
			},
			logs: map[bool]string{true: "Gotrue-js: Failed to parse tokenResponse claims: gotrue: "}[fallback],
			note: note,
		}
	}

	return []hostileCase{
		{name: "html-502", serve: answer(502, "text/html", "<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>"),
			want: sameAll("TextHTTPError 502: Bad Gateway", "same"),
			note: "gotrue-js: the same TextHTTPError, but jwt(true) clears the session"},
		{name: "empty-200", serve: answer(200, "", ""),
			want: map[string]want{
				"settings": {"ok", "same"}, "login": {tokNotObj, "same"}, "createUser": {userNotObj, "same"},
				"getUserData": {userNotObj, "same"}, "jwt(true)": {tokNotObj, "same"},
			},
			note: "gotrue-js: settings resolves \"\" too; login resolves and saves a user whose token is \"\" over the good session; createUser and getUserData resolve unchanged users; jwt(true) rejects 'Token not set after refresh' and clears the session"},
		{name: "empty-json-200", serve: answer(200, "application/json", ""), want: sameAll(notJSON, "same"),
			note: "gotrue-js: SyntaxError (Unexpected end of JSON input); jwt(true) clears the session"},
		{name: "invalid-json-200", serve: answer(200, "application/json; charset=utf-8", `{"access_token": "x", "user": {`), want: sameAll(notJSON, "same"),
			note: "gotrue-js: SyntaxError; jwt(true) clears the session"},
		{name: "invalid-json-500", serve: answer(500, "application/json", `<html>oops`), want: sameAll("TextHTTPError 500: Internal Server Error", "same"),
			note: "gotrue-js: SyntaxError, the status is lost; jwt(true) clears the session"},
		{name: "invalid-json-400", serve: answer(400, "application/json", `{"error":`), want: sameAll("TextHTTPError 400: Bad Request", "cleared"),
			note: "gotrue-js: SyntaxError; jwt(true) clears the session (a 4xx refresh clears it in both)"},
		{name: "access-token-number", serve: editToken(func(tok map[string]any) { tok["access_token"] = 5 }, false),
			want: map[string]want{
				"settings": {"ok", "same"}, "login": {tokNoAccess, "same"}, "createUser": {"ok", "changed"},
				"getUserData": {"ok", "any"}, "jwt(true)": {tokNoAccess, "same"},
			},
			note: "gotrue-js: login removes the saved session, then GETs /user with 'Bearer 5' and rejects 401 (logged out); jwt(true) resolves 5 and saves it"},
		{name: "expires-in-string", serve: editToken(func(tok map[string]any) { tok["expires_in"] = "x" }, false),
			want: map[string]want{
				"settings": {"ok", "same"}, "login": {"ok", "changed"}, "createUser": {"ok", "changed"},
				"getUserData": {"ok", "any"}, "jwt(true)": {"ok", "changed"},
			},
			check: func(t *testing.T, method string, stored map[string]any) {
				tok, _ := stored["token"].(map[string]any)
				if (method == "login" || method == "jwt(true)") && tok["expires_in"] != "x" {
					t.Errorf("%s: expires_in = %v, want the server's \"x\" kept as it is", method, tok["expires_in"])
				}
				if at, _ := tok["expires_at"].(float64); at < float64(time.Now().Add(30*time.Minute).UnixMilli()) {
					t.Errorf("%s: expires_at = %v, want the JWT's exp", method, tok["expires_at"])
				}
			},
			note: "gotrue-js: the same (expires_at comes from the JWT)"},
		{name: "user-array", serve: onPaths(map[string]pathFunc{
			"/user": func(w http.ResponseWriter, _ *http.Request, _ *httptest.ResponseRecorder) {
				writeJSON(w, 200, `[{"id":"x","email":"array@example.com"}]`)
			}}),
			want: map[string]want{
				"settings": {"ok", "same"}, "login": {userNotObj, "same"}, "createUser": {userNotObj, "same"},
				"getUserData": {userNotObj, "same"}, "jwt(true)": {"ok", "changed"},
			},
			note: "gotrue-js: resolves, copies the array's indexes onto the user (user[0]) and saves that"},
		{name: "user-null", serve: onPaths(map[string]pathFunc{
			"/user": func(w http.ResponseWriter, _ *http.Request, _ *httptest.ResponseRecorder) { writeJSON(w, 200, `null`) }}),
			want: map[string]want{
				"settings": {"ok", "same"}, "login": {userNotObj, "same"}, "createUser": {userNotObj, "same"},
				"getUserData": {userNotObj, "same"}, "jwt(true)": {"ok", "changed"},
			},
			note: "gotrue-js: resolves and saves the user unchanged"},
		{name: "token-response-string", serve: onPaths(map[string]pathFunc{
			"/token": func(w http.ResponseWriter, _ *http.Request, fw *httptest.ResponseRecorder) {
				var tok map[string]any
				_ = json.Unmarshal(fw.Body.Bytes(), &tok)
				b, _ := json.Marshal(tok["access_token"])
				writeJSON(w, 200, string(b))
			}}),
			want: map[string]want{
				"settings": {"ok", "same"}, "login": {tokNotObj, "same"}, "createUser": {"ok", "changed"},
				"getUserData": {"ok", "any"}, "jwt(true)": {tokNotObj, "same"},
			},
			note: "gotrue-js: login removes the saved session, then rejects 401 (logged out); jwt(true) resolves undefined and saves the string as the token"},
		{name: "body-10MB", serve: answer(200, "application/json", big), want: sameAll(tooLarge, "same"),
			note: "gotrue-js: settings resolves the 10 MB; the others then fail to save 10 MB (QuotaExceededError) and login and jwt(true) clear the session; our 8 MiB cap is deliberate (wasm/browser FetchTransport.MaxBody)"},
		{name: "body-10MB-chunked", serve: func(w http.ResponseWriter, _ *http.Request, _ string, _ func() *httptest.ResponseRecorder) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(200)
			w.(http.Flusher).Flush() // no Content-Length: the cap must hold while reading
			_, _ = w.Write([]byte(big))
		}, want: sameAll(tooLarge, "same"), note: "as body-10MB"},
		{name: "json-nested-100k", serve: answer(200, "application/json", deep),
			want: map[string]want{
				"settings": {"ok", "same"}, "login": {tokNotObj, "same"}, "createUser": {userNotObj, "same"},
				"getUserData": {userNotObj, "same"}, "jwt(true)": {tokNotObj, "same"},
			},
			note: "valid JSON at any depth, as JSON.parse reads it: settings resolves the array, as with gotrue-js; where an object is needed we reject and change nothing, where gotrue-js overflows the stack (RangeError), login clears the saved session and jwt(true) resolves undefined and saves a token-less session"},
		{name: "hung-page-abort", serve: func(w http.ResponseWriter, r *http.Request, _ string, _ func() *httptest.ResponseRecorder) {
			select { // never answers; the page's fetch gives up after 250 ms
			case <-r.Context().Done():
			case <-hang:
			}
		},
			want: sameAll("TimeoutError: signal timed out", "same"),
			note: "a hung server, with the page's fetch timing out after 250 ms (the client has no shorter timeout than its 30 s); gotrue-js: the same error, jwt(true) clears the session"},
		{name: "dead-port", api: func() string { return deadURL }, want: sameAll("TypeError: Failed to fetch", "same"),
			note: "gotrue-js: the same TypeError; jwt(true) clears the session"},
		{name: "cors-refused", api: func() string { return corsURL }, want: sameAll("TypeError: Failed to fetch", "same"),
			note: "gotrue-js: the same TypeError; jwt(true) clears the session"},
		tokenCase("token-2-parts", twoParts(in), "gotrue-js: expires_at stays unset (NaN): the token is never refreshed", true),
		tokenCase("token-bad-base64", crafted("%%%not*base64!!", true), "gotrue-js: expires_at unset, never refreshed", true),
		tokenCase("token-payload-not-json", crafted(b64("not json at all"), true), "gotrue-js: expires_at unset, never refreshed", true),
		tokenCase("token-exp-missing", crafted(`{"sub":"x","email":"hostile@example.com"}`, false), "gotrue-js: expires_at NaN (saved as null), never refreshed", true),
		tokenCase("token-exp-string", crafted(fmt.Sprintf(`{"exp":"%d"}`, in), false), "gotrue-js: \"123\" * 1000 works, expires_at is right and nothing is logged; we log and use expires_in", true),
		tokenCase("token-exp-huge", crafted(`{"exp":1e300}`, false), "gotrue-js: expires_at 1e303 (not a valid Date)", false),
		tokenCase("token-exp-zero", crafted(`{"exp":0}`, false), "gotrue-js: expires_at 0: every jwt() refreshes", true),
	}
}

// abortHungFetch makes the page's fetch give up after 250 ms on the
// hung-page-abort case's server (and only there), as a page with its own
// timeout would; the client's own timeout is 30 s, with no option to
// shorten it (TestHungServerTimeout waits it out under -long).
const abortHungFetch = `const f = window.fetch;
window.fetch = (u, o = {}) => String(u).includes('/h/hung-page-abort/')
  ? f(u, { ...o, signal: AbortSignal.any([o.signal, AbortSignal.timeout(250)].filter(Boolean)) })
  : f(u, o);`

// TestHostileAnswers runs each method against each hostile server, from a
// saved session, and checks the error (or the fallback) and that the saved
// session is unchanged. The same cases then run on gotrue-js 1.0.1 for the
// comparison the report prints; a case where we lose a session that
// gotrue-js keeps, or fail where it does not, fails the test.
func TestHostileAnswers(t *testing.T) {
	hang := make(chan struct{})
	var mu sync.Mutex
	cases := map[string]hostileCase{}

	var s *site
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, path, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/h/"), "/")
		mu.Lock()
		c, ok := cases[name]
		mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		var body bytes.Buffer
		_, _ = body.ReadFrom(r.Body)
		forward := func() *httptest.ResponseRecorder {
			r2 := r.Clone(context.Background())
			r2.URL.Path = devserver.IdentityPath + "/" + path
			r2.RequestURI = ""
			r2.Body = io.NopCloser(bytes.NewReader(body.Bytes()))
			rec := httptest.NewRecorder()
			s.tap.ServeHTTP(rec, r2)
			return rec
		}
		c.serve(w, r, "/"+path, forward)
	})
	s = startSite(t, siteOptions{handle: map[string]http.Handler{"/h/": h}, reference: true})
	t.Cleanup(func() { close(hang) }) // runs before the server closes

	// A port nobody listens on, and another origin without CORS headers.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadURL := "http://" + l.Addr().String()
	l.Close()
	cors := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"external":{"email":true}}`)
	}))
	t.Cleanup(cors.Close)

	list := hostileCases(hang, deadURL, cors.URL)
	mu.Lock()
	for _, c := range list {
		cases[c.name] = c
	}
	mu.Unlock()
	email, password := s.newUser(t, "hostile")

	// One page per library serves every case: a case only changes the
	// APIUrl, and each method starts from a freshly seeded session. The
	// two pages are in two browsers, so they never share localStorage.
	tabs := map[bool]context.Context{}
	for _, reference := range []bool{false, true} {
		tab := pagetest.WithTimeout(t, newBrowser(t), 5*time.Minute)
		open(t, tab, s, abortHungFetch, reference)
		must(t, tab, fmt.Sprintf(`(() => { window.email = %s; window.password = %s; return true; })()`, jsString(email), jsString(password)), nil)
		tabs[reference] = tab
	}
	type result struct {
		o       outcome
		storage string
		current bool
	}
	run := func(t *testing.T, c hostileCase, reference bool) map[string]result {
		tab := tabs[reference]
		api := "/h/" + c.name
		if c.api != nil {
			api = c.api()
		}
		must(t, tab, fmt.Sprintf(`(() => { window.auth = new rt.GoTrue({APIUrl: %s}); rt.console.length = 0; return true; })()`, jsString(api)), nil)
		out := map[string]result{}
		for _, m := range hostileMethods {
			saved := s.session(t, email, password)
			var tokenResponse map[string]any
			_ = json.Unmarshal([]byte(s.session(t, email, password)), &tokenResponse)
			tr, _ := json.Marshal(tokenResponse["token"])
			var ready bool
			must(t, tab, fmt.Sprintf(`(() => {
				const u = auth.currentUser(); if (u) u.clearSession();
				localStorage.setItem('gotrue.user', %s);
				window.tokenResponse = %s;
				window.user = auth.currentUser();
				return !!user;
			})()`, jsString(saved), jsString(string(tr))), &ready)
			if !ready {
				t.Fatalf("%s: no user recovered from the saved session", m)
			}
			o := call(t, tab, methodExpr[m])
			var after struct {
				Stored  *string `json:"stored"`
				Current bool    `json:"current"`
				Exited  bool    `json:"exited"`
			}
			must(t, tab, `({stored: rt.stored(), current: !!auth.currentUser(), exited: rt.exited()})`, &after)
			if after.Exited {
				t.Fatalf("%s: the Go runtime exited", m)
			}
			r := result{o: o, current: after.Current}
			switch {
			case after.Stored == nil:
				r.storage = "cleared"
			case *after.Stored == saved:
				r.storage = "same"
			default:
				r.storage = "changed"
				if !reference && c.check != nil && o.OK {
					var stored map[string]any
					_ = json.Unmarshal([]byte(*after.Stored), &stored)
					c.check(t, m, stored)
				}
			}
			out[m] = r
		}
		return out
	}

	var report []string
	for _, c := range list {
		t.Run(c.name, func(t *testing.T) {
			ours := run(t, c, false)
			if c.logs != "" {
				var n int
				must(t, tabs[false], fmt.Sprintf(`rt.console.filter((c) => c.level === 'error' && c.isError && c.text.includes(%s)).length`, jsString(c.logs)), &n)
				if n == 0 {
					t.Errorf("no console.error(Error) says %q", c.logs)
				}
			}
			ref := run(t, c, true)
			for _, m := range hostileMethods {
				o, r, w := ours[m], ref[m], c.want[m]
				line := fmt.Sprintf("%-24s %-12s ours: %s [%s]  gotrue-js: %s [%s]", c.name, m, o.o, o.storage, r.o, r.storage)
				report = append(report, line)
				if o.o.Error != nil && !o.o.Error.IsError {
					t.Errorf("%s: rejected with a non-Error: %v", m, o.o)
				}
				if !strings.HasPrefix(o.o.String(), w.outcome) {
					t.Errorf("%s: %v, want %q", m, o.o, w.outcome)
				}
				if w.storage != "any" && o.storage != w.storage {
					t.Errorf("%s: the saved session is %s, want %s", m, o.storage, w.storage)
				}
				if w.storage != "cleared" && !o.current {
					t.Errorf("%s: currentUser() is null afterwards: the user was logged out", m)
				}
				// Worse than gotrue-js: a session it keeps and we lose.
				if (o.storage == "cleared" || !o.current) && r.storage != "cleared" && r.current {
					t.Errorf("%s: WORSE than gotrue-js: we lose the session (%s), gotrue-js keeps it", m, o.storage)
				}
			}
			t.Logf("%s: %s", c.name, c.note)
		})
	}
	t.Logf("hostile answers, ours vs gotrue-js 1.0.1 (%d cases × %d methods):\n%s", len(list), len(hostileMethods), strings.Join(report, "\n"))
}

// TestHungServerTimeout (-long only: it waits out the client's 30 s
// timeout, which no option shortens): a server that never answers. Every
// method must give up on its own with an Error, and the session stays.
func TestHungServerTimeout(t *testing.T) {
	if !*long {
		t.Skip("waits for the client's 30 s timeout; run with -long (make reliability-long)")
	}
	hang := make(chan struct{})
	hung := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-hang:
		}
	})
	s := startSite(t, siteOptions{handle: map[string]http.Handler{"/hung/": hung}})
	t.Cleanup(func() { close(hang) })
	email, password := s.newUser(t, "hung")
	saved := s.session(t, email, password)
	var tokenResponse map[string]any
	_ = json.Unmarshal([]byte(s.session(t, email, password)), &tokenResponse)
	tr, _ := json.Marshal(tokenResponse["token"])

	tab := pagetest.WithTimeout(t, newBrowser(t), 2*time.Minute)
	open(t, tab, s, "localStorage.setItem('gotrue.user', "+jsString(saved)+")", false)
	var res struct {
		Outcomes map[string]outcome `json:"outcomes"`
		Seconds  map[string]float64 `json:"seconds"`
		Stored   *string            `json:"stored"`
		Current  bool               `json:"current"`
	}
	exprs := []string{}
	for _, m := range hostileMethods {
		exprs = append(exprs, fmt.Sprintf(`[%s, (async () => { const t0 = performance.now(); const o = await rt.outcome(() => %s, 90000); return [o, (performance.now() - t0) / 1000]; })()]`, jsString(m), methodExpr[m]))
	}
	must(t, tab, fmt.Sprintf(`(async () => {
		window.auth = new rt.GoTrue({APIUrl: '/hung'});
		window.email = %s; window.password = %s; window.tokenResponse = %s;
		window.user = auth.currentUser();
		const runs = [%s];
		const outcomes = {}, seconds = {};
		for (const [m, p] of runs) { const [o, s] = await p; outcomes[m] = o; seconds[m] = s; }
		return {outcomes, seconds, stored: rt.stored(), current: !!auth.currentUser()};
	})()`, jsString(email), jsString(password), jsString(string(tr)), strings.Join(exprs, ",")), &res)
	for _, m := range hostileMethods {
		o, sec := res.Outcomes[m], res.Seconds[m]
		t.Logf("hung server: %-12s %v after %.1f s", m, o, sec)
		if o.Error != nil {
			leaks.observe(t.Name()+" caught", o.Error.Text+" "+o.Error.Stack)
		}
		if o.OK || o.Hung || o.Error == nil || !o.Error.IsError {
			t.Errorf("%s: %v, want an Error once the client's timeout ends", m, o)
			continue
		}
		if msg := strings.ToLower(o.Error.Message); !strings.Contains(msg, "timeout") && !strings.Contains(msg, "deadline") && !strings.Contains(msg, "timed out") {
			t.Errorf("%s: the error %q does not say that the request timed out", m, o.Error.Message)
		}
		if sec < 29 || sec > 45 {
			t.Errorf("%s: gave up after %.1f s, want the 30 s timeout", m, sec)
		}
	}
	if res.Stored == nil || *res.Stored != saved || !res.Current {
		t.Errorf("the session changed while the server hung: saved %v, currentUser %v", res.Stored != nil && *res.Stored == saved, res.Current)
	}
}
