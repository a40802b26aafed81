//go:build js

package main

import (
	"strings"
	"syscall/js"
	"testing"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
)

func TestConstructorDefaults(t *testing.T) {
	g := class("GoTrue").New()
	if !g.InstanceOf(class("GoTrue")) {
		t.Fatal("not a GoTrue")
	}
	if got := jsonOf(g); got != `{"setCookie":false,"api":{"apiURL":"/.netlify/identity","_sameOrigin":true,"defaultHeaders":{"X-Nf-Client":"gotrue-js"}}}` {
		t.Fatalf("new GoTrue() = %s", got)
	}
	if jsEval("return 'audience' in a", g).Bool() {
		t.Fatal("audience set although empty")
	}
	// The handle is invisible: no own enumerable or string-keyed property.
	if keys := jsonOf(jsEval("return Object.getOwnPropertyNames(a)", g)); keys != `["setCookie","api"]` {
		t.Fatalf("own properties %s", keys)
	}
}

func TestConstructorOptions(t *testing.T) {
	warns := recordConsole(t, "warn")
	g := class("GoTrue").New(map[string]any{"APIUrl": "http://example.com/id", "audience": "aud-1", "setCookie": 1, "clientName": "widget"})
	if got := jsonOf(g); got != `{"audience":"aud-1","setCookie":true,"api":{"apiURL":"http://example.com/id","_sameOrigin":false,"defaultHeaders":{"X-Nf-Client":"widget"}}}` {
		t.Fatalf("new GoTrue(opts) = %s", got)
	}
	if warns.Length() != 1 || warns.Index(0).Index(0).String() != "Warning:\n\nDO NOT USE HTTP IN PRODUCTION FOR GOTRUE EVER!\nGoTrue REQUIRES HTTPS to work securely." {
		t.Fatalf("console.warn calls: %s", jsonOf(warns))
	}
	class("GoTrue").New(map[string]any{"APIUrl": "https://example.com/id"})
	if warns.Length() != 1 {
		t.Fatal("warned for https")
	}
}

func TestConstructorBadOptions(t *testing.T) {
	for _, c := range []struct {
		name, expr, class, msg string
	}{
		{"number", "new G(5)", "TypeError", "gotrue: the options of new GoTrue() must be an object, not number"},
		{"null", "new G(null)", "TypeError", "gotrue: the options of new GoTrue() must be an object, not null"},
		{"APIUrl", "new G({APIUrl: 42})", "TypeError", "gotrue: APIUrl must be a string, not number"},
		{"audience", "new G({audience: Symbol('x')})", "TypeError", "gotrue: audience must be a string, not symbol"},
		{"clientName", "new G({clientName: 10n})", "TypeError", "gotrue: clientName must be a string, not bigint"},
		{"getter", "new G({get APIUrl() { throw new RangeError('from a getter'); }})", "RangeError", "from a getter"},
		{"proxy", "new G(new Proxy({}, {get() { throw new RangeError('from a proxy'); }}))", "RangeError", "from a proxy"},
		{"without new", "G()", "TypeError", "…"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := jsFunc("G", "try { "+c.expr+"; } catch (e) { return e; }").Invoke(class("GoTrue"))
			wantError(t, e, c.class, c.msg)
		})
	}
	// The module still works.
	if got := class("GoTrue").New().Call("loginExternalUrl", "github").String(); got != "/.netlify/identity/authorize?provider=github" {
		t.Fatalf("after bad options: %q", got)
	}
}

func TestExternalURLs(t *testing.T) {
	g := class("GoTrue").New(map[string]any{"APIUrl": "https://example.com/.netlify/identity"})
	if v := g.Call("loginExternalUrl", "github"); v.Type() != js.TypeString || v.String() != "https://example.com/.netlify/identity/authorize?provider=github" {
		t.Fatalf("loginExternalUrl = %v", v)
	}
	if v := g.Call("acceptInviteExternalUrl", "gitlab", "tok123"); v.Type() != js.TypeString || v.String() != "https://example.com/.netlify/identity/authorize?provider=gitlab&invite_token=tok123" {
		t.Fatalf("acceptInviteExternalUrl = %v", v)
	}
	e, _ := throws(g, "loginExternalUrl", 5)
	wantError(t, e, "TypeError", "gotrue: provider must be a string, not number")
	e, _ = throws(g, "acceptInviteExternalUrl", "github")
	wantError(t, e, "TypeError", "gotrue: token must be a string, not undefined")
}

func TestSettings(t *testing.T) {
	needServer(t)
	s := await(t, newGoTrue(t, nil).Call("settings"))
	if !s.Get("external").Get("email").Bool() || s.Get("autoconfirm").Type() != js.TypeBoolean || s.Get("disable_signup").Type() != js.TypeBoolean {
		t.Fatalf("settings = %s", jsonOf(s))
	}
}

func TestSignupLoginLogout(t *testing.T) {
	needServer(t)
	reset(t)
	g := newGoTrue(t, nil)
	email := newEmail()

	s := await(t, g.Call("signup", email, password, map[string]any{"full_name": "Ann"}))
	if s.InstanceOf(class("User")) || s.Get("email").String() != email || s.Get("user_metadata").Get("full_name").String() != "Ann" {
		t.Fatalf("signup = %s", jsonOf(s))
	}
	if !s.Get("confirmed_at").Truthy() {
		tok := mail(t, email, "confirmation")
		await(t, g.Call("confirm", tok))
		reset(t)
	}

	u := await(t, g.Call("login", email, password))
	if !u.InstanceOf(class("User")) || u.Get("email").String() != email {
		t.Fatalf("login = %s", jsonOf(u))
	}
	tok := u.Get("token")
	if tok.Get("access_token").Type() != js.TypeString || tok.Get("token_type").String() != "bearer" || tok.Get("expires_at").Type() != js.TypeNumber || tok.Get("refresh_token").String() == "" {
		t.Fatalf("token = %s", jsonOf(tok))
	}
	if !u.Get("api").Equal(g.Get("api")) || u.Get("url").String() != apiURL || u.Get("audience").String() != "" {
		t.Fatal("api, url or audience wrong")
	}
	if keys := jsonOf(jsEval("return Object.keys(a).slice(0, 5)", u)); keys != `["token","api","url","audience","id"]` {
		t.Fatalf("key order %s", keys)
	}
	if jsEval("return '_fromStorage' in a", u).Bool() {
		t.Fatal("_fromStorage set on a fresh login")
	}
	if saved() != "" {
		t.Fatal("saved without remember")
	}
	if !g.Call("currentUser").Equal(u) {
		t.Fatal("currentUser() is not the logged-in user")
	}
	if jwt := await(t, u.Call("jwt")); jwt.String() != tok.Get("access_token").String() {
		t.Fatal("jwt() is not the access token")
	}
	if !u.Call("tokenDetails").Equal(u.Get("token")) {
		t.Fatal("tokenDetails() !== user.token")
	}
	if got := await(t, u.Call("getUserData")); !got.Equal(u) {
		t.Fatal("getUserData() did not resolve with the user")
	}
	if got := await(t, u.Call("update", map[string]any{"data": map[string]any{"full_name": "Ann B"}})); !got.Equal(u) || u.Get("user_metadata").Get("full_name").String() != "Ann B" {
		t.Fatalf("update: %s", jsonOf(u))
	}
	if r := await(t, u.Call("logout")); !r.IsUndefined() {
		t.Fatalf("logout resolved %v", r)
	}
	if !u.Get("token").IsNull() || !u.Call("tokenDetails").IsNull() || !g.Call("currentUser").IsNull() {
		t.Fatal("session not cleared by logout")
	}
	wantError(t, rejection(t, u.Call("jwt")), "Error", "Gotrue-js: failed getting jwt access token")
	// A second logout (no token) still resolves.
	await(t, u.Call("logout"))
}

func TestRememberAndRecover(t *testing.T) {
	needServer(t)
	reset(t)
	g := newGoTrue(t, nil)
	u, email := login(t, g, true)
	if saved() == "" || saved() != details(u) {
		t.Fatalf("saved %s\nwant  %s", saved(), details(u))
	}

	// Another tab (or a reload) recovers it: a new object with _fromStorage.
	dispatchStorageEvent(gotrue.StorageKey)
	r := g.Call("currentUser")
	if r.Equal(u) || !r.InstanceOf(class("User")) || r.Get("email").String() != email || !r.Get("_fromStorage").Bool() {
		t.Fatalf("recovered %s", jsonOf(r))
	}
	if want := strings.TrimSuffix(saved(), "}") + `,"_fromStorage":true}`; details(r) != want {
		t.Fatalf("recovered %s\nwant      %s", details(r), want)
	}
	if !r.Get("api").Equal(g.Get("api")) {
		t.Fatal("the recovered user does not carry the GoTrue's api")
	}
	await(t, r.Call("update", map[string]any{"data": map[string]any{"n": 2}}))
	if saved() != details(r) || !strings.Contains(saved(), `"n":2`) {
		t.Fatalf("update did not rewrite the session: %s", saved())
	}
	r.Call("clearSession")
	if saved() != "" || !r.Get("token").IsNull() || !g.Call("currentUser").IsNull() {
		t.Fatal("clearSession left a session")
	}
}

// A session saved by gotrue-js, with its key order and extra fields, is
// recovered as it is.
func TestRecoverGotrueJSSession(t *testing.T) {
	reset(t)
	const stored = `{"token":{"access_token":"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjQxMDI0NDQ4MDAsInN1YiI6IjEifQ.c2ln","token_type":"bearer","expires_in":3600,"refresh_token":"r1","expires_at":4102444800000},"url":"https://example.com/.netlify/identity","audience":"","id":"1","aud":"","role":"","email":"zoë@example.com","app_metadata":{"provider":"email"},"user_metadata":{"full_name":"Zoë <&>"},"created_at":"2024-01-01T00:00:00Z","custom":[1,2.5,null]}`
	js.Global().Get("localStorage").Call("setItem", gotrue.StorageKey, stored)
	g := class("GoTrue").New(map[string]any{"APIUrl": "https://example.com/.netlify/identity"})
	u := g.Call("currentUser")
	if u.IsNull() {
		t.Fatal("no user recovered")
	}
	if want := strings.TrimSuffix(stored, "}") + `,"_fromStorage":true}`; details(u) != want {
		t.Fatalf("recovered %s\nwant      %s", details(u), want)
	}
	if !g.Call("currentUser").Equal(u) {
		t.Fatal("currentUser() identity")
	}
	// A fresh token answers at once: the Promise is already resolved.
	p := u.Call("jwt")
	if first := await(t, jsEval("return Promise.race([a, Promise.resolve('pending')])", p)); first.String() == "pending" {
		t.Fatal("jwt() of a fresh token waited")
	}
	reset(t)
}

func TestCorruptSession(t *testing.T) {
	reset(t)
	errs := recordConsole(t, "error")
	js.Global().Get("localStorage").Call("setItem", gotrue.StorageKey, "{not json")
	if u := class("GoTrue").New().Call("currentUser"); !u.IsNull() {
		t.Fatal("a user from corrupt storage")
	}
	if errs.Length() != 1 {
		t.Fatalf("%d console.error calls", errs.Length())
	}
	wantError(t, errs.Index(0).Index(0), "Error", "Gotrue-js: Error recovering session: …")
	if saved() != "{not json" {
		t.Fatal("the corrupt item was not left in place")
	}
	reset(t)
}

func TestStorageEvent(t *testing.T) {
	needServer(t)
	reset(t)
	g := newGoTrue(t, nil)
	u, _ := login(t, g, true)

	// Another tab rewrites the session: no effect until its event arrives.
	changed := strings.Replace(saved(), `"email":"`, `"email":"other.`, 1)
	js.Global().Get("localStorage").Call("setItem", gotrue.StorageKey, changed)
	if !g.Call("currentUser").Equal(u) {
		t.Fatal("the cached user was dropped without an event")
	}
	dispatchStorageEvent("some.other.key")
	if !g.Call("currentUser").Equal(u) {
		t.Fatal("an event for another key dropped the user")
	}
	dispatchStorageEvent(gotrue.StorageKey)
	r := g.Call("currentUser")
	if r.Equal(u) || !strings.HasPrefix(r.Get("email").String(), "other.") {
		t.Fatalf("after the event: %s", jsonOf(r))
	}

	// localStorage.clear() in another tab: key null.
	js.Global().Get("localStorage").Call("clear")
	dispatchStorageEvent(nil)
	if !g.Call("currentUser").IsNull() {
		t.Fatal("a user after the other tab cleared storage")
	}
}

func TestCurrentUserIdentity(t *testing.T) {
	needServer(t)
	reset(t)
	g := newGoTrue(t, nil)
	if !g.Call("currentUser").IsNull() {
		t.Fatal("a user before login")
	}
	u, _ := login(t, g, false)
	if !g.Call("currentUser").Equal(g.Call("currentUser")) || !g.Call("currentUser").Equal(u) {
		t.Fatal("currentUser() === currentUser() does not hold")
	}
	// Every GoTrue of the page shares the current user, as in gotrue-js.
	if !newGoTrue(t, nil).Call("currentUser").Equal(u) {
		t.Fatal("another GoTrue sees another user")
	}
	u.Call("clearSession")
}

func TestSetCookie(t *testing.T) {
	needServer(t)
	reset(t)
	g := newGoTrue(t, map[string]any{"setCookie": true})
	email := account(t, g)
	header := func() string { return g.Get("api").Get("defaultHeaders").Get("X-Use-Cookie").String() }

	await(t, g.Call("login", email, password, true))
	if header() != "1" {
		t.Fatalf("X-Use-Cookie = %q after login(remember)", header())
	}
	await(t, g.Call("login", email, password, false))
	if header() != "session" {
		t.Fatalf("X-Use-Cookie = %q after login()", header())
	}
	if jsonOf(g.Get("api").Get("defaultHeaders")) != `{"X-Nf-Client":"gotrue-js","X-Use-Cookie":"session"}` {
		t.Fatalf("defaultHeaders = %s", jsonOf(g.Get("api").Get("defaultHeaders")))
	}
	// A user recovered from storage asks for a persistent cookie.
	await(t, g.Call("login", email, password, true))
	dispatchStorageEvent(gotrue.StorageKey)
	g.Call("currentUser")
	if header() != "1" {
		t.Fatalf("X-Use-Cookie = %q after recovering", header())
	}
	reset(t)
	// Without setCookie the header never appears.
	g2 := newGoTrue(t, nil)
	await(t, g2.Call("login", email, password, true))
	if !g2.Get("api").Get("defaultHeaders").Get("X-Use-Cookie").IsUndefined() {
		t.Fatal("X-Use-Cookie without setCookie")
	}
	reset(t)
}

func TestValidateCurrentSession(t *testing.T) {
	needServer(t)
	reset(t)
	g := newGoTrue(t, nil)
	if v := await(t, g.Call("validateCurrentSession")); !v.IsNull() {
		t.Fatal("validated a session that does not exist")
	}
	u, _ := login(t, g, true)
	if v := await(t, g.Call("validateCurrentSession")); !v.Equal(u) {
		t.Fatal("validateCurrentSession() is not the current user")
	}

	// A session the server rejects is cleared, on the object too.
	bad := strings.Replace(saved(), u.Get("token").Get("access_token").String(), "e30.e30.e30", 1)
	js.Global().Get("localStorage").Call("setItem", gotrue.StorageKey, bad)
	dispatchStorageEvent(gotrue.StorageKey)
	recordConsole(t, "error") // the unreadable claims are logged
	r := g.Call("currentUser")
	if v := await(t, g.Call("validateCurrentSession")); !v.IsNull() {
		t.Fatal("a rejected session validated")
	}
	if !r.Get("token").IsNull() || saved() != "" || !g.Call("currentUser").IsNull() {
		t.Fatalf("the rejected session was not cleared: %s / %q", jsonOf(r.Get("token")), saved())
	}
}

func TestCreateUser(t *testing.T) {
	needServer(t)
	reset(t)
	g := newGoTrue(t, nil)
	email := account(t, g)
	resp := do(t, &gotrue.Request{Method: "POST", URL: apiURL + "/token",
		Header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"},
		Body:   []byte("grant_type=password&username=" + email + "&password=" + strings.ReplaceAll(password, " ", "%20"))})
	// As the widget passes an OAuth callback's URL hash: all strings.
	hash := jsEval("const t = JSON.parse(a); return {access_token: t.access_token, token_type: t.token_type, expires_in: String(t.expires_in), refresh_token: t.refresh_token};", string(resp.Body))
	u := await(t, g.Call("createUser", hash, true))
	if !u.InstanceOf(class("User")) || u.Get("email").String() != email || u.Get("token").Get("expires_at").Type() != js.TypeNumber {
		t.Fatalf("createUser = %s", jsonOf(u))
	}
	if saved() != details(u) {
		t.Fatal("createUser(…, true) did not save the session")
	}
	wantError(t, rejection(t, g.Call("createUser", map[string]any{})), "Error", "gotrue: the token response has no access_token")
	wantError(t, rejection(t, g.Call("createUser", "token")), "TypeError", "gotrue: tokenResponse must be an object, not string")
	reset(t)
}

func TestConfirmRecoverVerifyInvite(t *testing.T) {
	needServer(t)
	reset(t)
	g := newGoTrue(t, nil)

	t.Run("confirm", func(t *testing.T) {
		email := newEmail()
		s := await(t, g.Call("signup", email, password))
		if s.Get("confirmed_at").Truthy() {
			t.Skip("the server autoconfirms: no confirmation mail")
		}
		u := await(t, g.Call("confirm", mail(t, email, "confirmation"), true))
		if !u.InstanceOf(class("User")) || u.Get("email").String() != email || saved() != details(u) {
			t.Fatalf("confirm = %s", jsonOf(u))
		}
		reset(t)
	})
	t.Run("confirm bad token", func(t *testing.T) {
		e := rejection(t, g.Call("confirm", "no-such-token"))
		wantError(t, e, "JSONHTTPError", "User not found")
		if e.Get("status").Int() != 404 {
			t.Fatalf("status %d", e.Get("status").Int())
		}
	})
	t.Run("recover", func(t *testing.T) {
		email := account(t, g)
		if r := await(t, g.Call("requestPasswordRecovery", email)); jsonOf(r) != "{}" {
			t.Fatalf("requestPasswordRecovery = %s", jsonOf(r))
		}
		u := await(t, g.Call("recover", mail(t, email, "recovery")))
		if u.Get("email").String() != email || saved() != "" {
			t.Fatalf("recover = %s", jsonOf(u))
		}
		reset(t)
	})
	t.Run("verify", func(t *testing.T) {
		email := account(t, g)
		await(t, g.Call("requestPasswordRecovery", email))
		u := await(t, g.Call("verify", "recovery", mail(t, email, "recovery"), 1))
		if u.Get("email").String() != email || saved() != details(u) {
			t.Fatalf("verify = %s", jsonOf(u))
		}
		reset(t)
	})
	t.Run("acceptInvite", func(t *testing.T) {
		email := newEmail()
		operator(t, "POST", "/invite", `{"email":"`+email+`"}`)
		u := await(t, g.Call("acceptInvite", mail(t, email, "invite"), password, true))
		if u.Get("email").String() != email || saved() != details(u) {
			t.Fatalf("acceptInvite = %s", jsonOf(u))
		}
		reset(t)
		if v := await(t, g.Call("login", email, password)); v.Get("email").String() != email {
			t.Fatal("cannot log in with the invite's password")
		}
		reset(t)
	})
}

func TestJWTRefresh(t *testing.T) {
	needServer(t)
	reset(t)
	g := newGoTrue(t, nil)
	u, _ := login(t, g, true)
	before := u.Get("token").Get("refresh_token").String()
	jwt := await(t, u.Call("jwt", true))
	after := u.Get("token")
	if jwt.Type() != js.TypeString || after.Get("refresh_token").String() == before || after.Get("access_token").String() != jwt.String() {
		t.Fatalf("jwt(true) = %v, token %s", jwt, jsonOf(after))
	}
	if !u.Call("tokenDetails").Equal(u.Get("token")) || saved() != details(u) {
		t.Fatal("the refreshed token is not on the object or in storage")
	}
	// The server rejects a spent refresh token: the session is cleared and
	// the error carries no token.
	spent := strings.Replace(saved(), after.Get("refresh_token").String(), before, 1)
	js.Global().Get("localStorage").Call("setItem", gotrue.StorageKey, spent)
	dispatchStorageEvent(gotrue.StorageKey)
	r := g.Call("currentUser")
	e := rejection(t, r.Call("jwt", true))
	wantError(t, e, "JSONHTTPError", "Bad Request")
	if strings.Contains(jsonOf(jsEval("return [a.message, String(a.stack)]", e)), before) {
		t.Fatal("the refresh token is in the error")
	}
	if !r.Get("token").IsNull() || saved() != "" {
		t.Fatal("a rejected refresh did not clear the session")
	}
	reset(t)
}
