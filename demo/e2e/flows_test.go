package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gotrue-wasm/gotrue-wasm/demo/devserver"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
	"github.com/gotrue-wasm/gotrue-wasm/internal/pagetest"
)

// The flows drive gotrue-wasm through its public JavaScript API in the
// harness page (window.mod is the module, e2e.mailToken reads /mailbox).

// step is one call of a flow: a JavaScript expression (awaited when it is
// a Promise) and the JSON it must come to. Expressions sum their result up
// (an email, a flag, a message), never return a token, so that a failure
// prints nothing secret.
type step struct {
	name, expr, want string
}

func runSteps(t *testing.T, tab context.Context, steps []step) {
	t.Helper()
	for _, st := range steps {
		var got, want any
		if err := json.Unmarshal([]byte(st.want), &want); err != nil {
			t.Fatalf("%s: the test's want is not JSON: %v", st.name, err)
		}
		if err := pagetest.Await(tab, st.expr, &got); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if !reflect.DeepEqual(got, want) {
			b, _ := json.Marshal(got)
			t.Fatalf("%s:\n  got  %s\n  want %s", st.name, b, st.want)
		}
	}
}

// rejection sums up a rejected call for a step's want.
const rejection = `e => ({rejected: e.constructor.name, status: e.status, message: e.message})`

var adminLogin = fmt.Sprintf(`auth.login(%q, %q, false)`, devserver.AdminEmail, devserver.AdminPassword)

func TestFlowSignupToLogout(t *testing.T) {
	s := startSite(t)
	tab := s.harness(t, oursModule)
	runSteps(t, tab, []step{
		{"new GoTrue", `window.auth = new mod.default(); auth instanceof mod.default`, `true`},
		{"signup", `auth.signup('lee@example.com', 'lee-pw-1', {full_name: 'Lee'}).then(u => ({email: u.email, mailed: !!u.confirmation_sent_at, confirmed: 'confirmed_at' in u, user: u instanceof mod.User}))`,
			`{"email":"lee@example.com","mailed":true,"confirmed":false,"user":false}`},
		{"confirm with the mailed token", `e2e.mailToken('lee@example.com', 'confirmation').then(t => auth.confirm(t, true)).then(u => ({email: u.email, confirmed: !!u.confirmed_at, name: u.user_metadata.full_name, user: u instanceof mod.User, current: auth.currentUser() === u, saved: JSON.parse(localStorage.getItem('gotrue.user')).email}))`,
			`{"email":"lee@example.com","confirmed":true,"name":"Lee","user":true,"current":true,"saved":"lee@example.com"}`},
		{"logout", `auth.currentUser().logout().then(r => ({resolved: typeof r, current: auth.currentUser(), saved: localStorage.getItem('gotrue.user')}))`,
			`{"resolved":"undefined","current":null,"saved":null}`},
		{"login", `auth.login('lee@example.com', 'lee-pw-1', true).then(u => ({email: u.email, current: auth.currentUser() === u}))`,
			`{"email":"lee@example.com","current":true}`},
		{"jwt is the access token, its claims the user's", `(async () => {
			const u = auth.currentUser();
			const jwt = await u.jwt();
			const claims = JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
			return {same: jwt === u.token.access_token, sub: claims.sub === u.id, email: claims.email, expiresAt: claims.exp * 1000 === u.token.expires_at};
		})()`, `{"same":true,"sub":true,"email":"lee@example.com","expiresAt":true}`},
		{"update", `auth.currentUser().update({data: {full_name: 'Lee Two'}}).then(u => ({name: u.user_metadata.full_name, saved: JSON.parse(localStorage.getItem('gotrue.user')).user_metadata.full_name}))`,
			`{"name":"Lee Two","saved":"Lee Two"}`},
		{"logout again", `auth.currentUser().logout().then(() => ({current: auth.currentUser(), saved: localStorage.getItem('gotrue.user')}))`,
			`{"current":null,"saved":null}`},
		{"a wrong password", `auth.login('lee@example.com', 'lee-pw-2', true).then(() => 'resolved', ` + rejection + `)`,
			`{"rejected":"JSONHTTPError","status":400,"message":"invalid_grant: No user found with that email, or password invalid."}`},
	})
}

func TestFlowRecovery(t *testing.T) {
	s := startSite(t)
	if _, err := s.Identity.CreateUser(gotruetest.UserParams{Email: "max@example.com", Password: "old-pw", Confirmed: true}); err != nil {
		t.Fatal(err)
	}
	tab := s.harness(t, oursModule)
	runSteps(t, tab, []step{
		{"new GoTrue", `window.auth = new mod.default(); true`, `true`},
		{"request a recovery mail", `auth.requestPasswordRecovery('max@example.com')`, `{}`},
		{"recover with the mailed token", `e2e.mailToken('max@example.com', 'recovery').then(t => auth.recover(t, true)).then(u => ({email: u.email, saved: !!localStorage.getItem('gotrue.user')}))`,
			`{"email":"max@example.com","saved":true}`},
		{"set a new password", `auth.currentUser().update({password: 'new-pw'}).then(u => u.email)`, `"max@example.com"`},
		{"logout", `auth.currentUser().logout().then(() => auth.currentUser())`, `null`},
		{"the old password no longer works", `auth.login('max@example.com', 'old-pw').then(() => 'resolved', ` + rejection + `)`,
			`{"rejected":"JSONHTTPError","status":400,"message":"invalid_grant: No user found with that email, or password invalid."}`},
		{"login with the new one", `auth.login('max@example.com', 'new-pw').then(u => u.email)`, `"max@example.com"`},
	})
}

func TestFlowInvite(t *testing.T) {
	s := startSite(t)
	tab := s.harness(t, oursModule)
	runSteps(t, tab, []step{
		{"new GoTrue", `window.auth = new mod.default(); true`, `true`},
		{"the admin invites with its jwt", adminLogin + `.then(a => a.jwt()).then(jwt => fetch('/.netlify/identity/invite', {method: 'POST', headers: {Authorization: 'Bearer ' + jwt}, body: JSON.stringify({email: 'nia@example.com'})})).then(r => r.json()).then(u => ({email: u.email, invited: !!u.invited_at}))`,
			`{"email":"nia@example.com","invited":true}`},
		{"accept the invite", `e2e.mailToken('nia@example.com', 'invite').then(t => auth.acceptInvite(t, 'nia-pw', true)).then(u => ({email: u.email, confirmed: !!u.confirmed_at, current: auth.currentUser() === u}))`,
			`{"email":"nia@example.com","confirmed":true,"current":true}`},
		{"login with the chosen password", `auth.login('nia@example.com', 'nia-pw').then(u => u.email)`, `"nia@example.com"`},
	})
}

func TestFlowAdminCRUD(t *testing.T) {
	s := startSite(t)
	tab := s.harness(t, oursModule)
	runSteps(t, tab, []step{
		{"the seeded admin logs in", `window.auth = new mod.default(); ` + adminLogin + `.then(u => (window.admin = u.admin, u.email))`, fmt.Sprintf("%q", devserver.AdminEmail)},
		{"user.admin is an Admin", `admin instanceof mod.Admin`, `true`},
		{"createUser", `admin.createUser('oli@example.com', 'oli-pw', {confirm: true, user_metadata: {full_name: 'Oli'}}).then(u => (window.oli = u, {email: u.email, confirmed: !!u.confirmed_at, name: u.user_metadata.full_name}))`,
			`{"email":"oli@example.com","confirmed":true,"name":"Oli"}`},
		{"listUsers, newest first", `admin.listUsers().then(r => r.users.map(u => u.email))`, fmt.Sprintf(`["oli@example.com",%q]`, devserver.AdminEmail)},
		{"getUser", `admin.getUser(oli).then(u => u.email)`, `"oli@example.com"`},
		{"updateUser", `admin.updateUser(oli, {app_metadata: {roles: ['editor']}}).then(u => u.app_metadata.roles)`, `["editor"]`},
		{"deleteUser", `admin.deleteUser(oli)`, `{}`},
		{"the deleted user is gone", `admin.getUser(oli).then(() => 'resolved', ` + rejection + `)`,
			`{"rejected":"JSONHTTPError","status":404,"message":"User not found"}`},
	})
}

// A reload keeps the user only when remember was true: currentUser() of a
// new page reads the saved entry.
func TestFlowRememberAcrossReload(t *testing.T) {
	for _, tc := range []struct {
		remember bool
		want     string
	}{
		{true, `{"email":"admin@example.com","fromStorage":true,"saved":true,"jwt":true}`},
		{false, `{"email":null,"fromStorage":null,"saved":false,"jwt":null}`},
	} {
		t.Run(fmt.Sprintf("remember=%v", tc.remember), func(t *testing.T) {
			s := startSite(t)
			tab := s.harness(t, oursModule)
			runSteps(t, tab, []step{{"login", fmt.Sprintf(`new mod.default().login(%q, %q, %v).then(u => u.email)`,
				devserver.AdminEmail, devserver.AdminPassword, tc.remember), fmt.Sprintf("%q", devserver.AdminEmail)}})
			if err := chromedp.Run(tab, chromedp.Reload(), pagetest.WaitFor(`document.documentElement.dataset.state === 'ready'`)); err != nil {
				t.Fatalf("reloading: %v", err)
			}
			runSteps(t, tab, []step{{"currentUser() after the reload", `(async () => {
				const u = new mod.default().currentUser();
				return {email: u && u.email, fromStorage: u && u._fromStorage, saved: localStorage.getItem('gotrue.user') !== null,
					jwt: u && (await u.jwt()) === u.token.access_token};
			})()`, tc.want}})
		})
	}
}

// setCookie: true makes the server set the HttpOnly nf_jwt cookie on login
// (persistent with remember, a session cookie without) and clear it on
// logout. The page cannot read it; CDP can.
func TestFlowSetCookie(t *testing.T) {
	for _, remember := range []bool{true, false} {
		t.Run(fmt.Sprintf("remember=%v", remember), func(t *testing.T) {
			s := startSite(t)
			tab := s.harness(t, oursModule)
			if err := pagetest.ClearCookies(tab); err != nil { // cookies do not isolate ports
				t.Fatal(err)
			}
			var access string // never printed
			login := fmt.Sprintf(`window.auth = new mod.default({setCookie: true}); auth.login(%q, %q, %v).then(u => u.token.access_token)`,
				devserver.AdminEmail, devserver.AdminPassword, remember)
			if err := pagetest.Await(tab, login, &access); err != nil {
				t.Fatalf("login: %v", err)
			}
			c := nfJWT(t, tab, s.URL)
			switch {
			case c == nil:
				t.Fatal("no nf_jwt cookie after login")
			case c.Value != access:
				t.Error("nf_jwt is not the user's access token")
			case !c.HTTPOnly || !c.Secure || c.Path != "/":
				t.Errorf("nf_jwt: HttpOnly %v, Secure %v, Path %q; want HttpOnly, Secure, /", c.HTTPOnly, c.Secure, c.Path)
			case c.Session == remember:
				t.Errorf("nf_jwt is a session cookie: %v; want %v with remember %v", c.Session, !remember, remember)
			}
			runSteps(t, tab, []step{
				{"the page cannot see it", `document.cookie.includes('nf_jwt')`, `false`},
				{"logout", `auth.currentUser().logout().then(() => auth.currentUser())`, `null`},
			})
			if c := nfJWT(t, tab, s.URL); c != nil {
				t.Error("nf_jwt is still set after logout")
			}
		})
	}
}

// siteCookie is what the test checks of a cookie.
type siteCookie struct {
	Value                     string
	Path                      string
	HTTPOnly, Secure, Session bool
}

// nfJWT is the site's nf_jwt cookie, or nil.
func nfJWT(t *testing.T, tab context.Context, origin string) *siteCookie {
	t.Helper()
	cs, err := pagetest.Cookies(tab, origin+"/")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Name == "nf_jwt" {
			return &siteCookie{Value: c.Value, Path: c.Path, HTTPOnly: c.HTTPOnly, Secure: c.Secure, Session: c.Session}
		}
	}
	return nil
}

// Two tabs of one browser share the saved session: the storage event
// makes the other tab drop its in-memory user, so that its next
// currentUser() reads storage.
func TestFlowTwoTabs(t *testing.T) {
	s := startSite(t)
	if _, err := s.Identity.CreateUser(gotruetest.UserParams{Email: "pia@example.com", Password: "pia-pw", Confirmed: true}); err != nil {
		t.Fatal(err)
	}
	a := s.harness(t, oursModule)
	b := s.harness(t, oursModule)
	wait := func(tab context.Context, what, expr string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(tab, 10*time.Second)
		defer cancel()
		if err := chromedp.Run(ctx, pagetest.WaitFor(expr)); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	admin := fmt.Sprintf(`auth.login(%q, %q, true).then(u => u.email)`, devserver.AdminEmail, devserver.AdminPassword)
	runSteps(t, a, []step{{"tab A: login, remember", `window.auth = new mod.default(); ` + admin, fmt.Sprintf("%q", devserver.AdminEmail)}})
	// localStorage reaches another tab's process asynchronously: poll.
	runSteps(t, b, []step{{"tab B: new GoTrue", `window.auth = new mod.default(); true`, `true`}})
	wait(b, "tab B does not see the user tab A saved", fmt.Sprintf(`(u => u && u.email === %q && u._fromStorage)(auth.currentUser())`, devserver.AdminEmail))
	runSteps(t, a, []step{{"tab A: logout", `auth.currentUser().logout().then(() => auth.currentUser())`, `null`}})
	wait(b, "tab B still has the user after tab A logged out (storage event not handled?)", `auth.currentUser() === null`)

	// B holds a user in memory only; A's login with remember replaces it.
	runSteps(t, b, []step{{"tab B: login without remember", `auth.login('pia@example.com', 'pia-pw', false).then(u => auth.currentUser() === u)`, `true`}})
	runSteps(t, a, []step{{"tab A: login, remember", admin, fmt.Sprintf("%q", devserver.AdminEmail)}})
	wait(b, "tab B still has its own user after tab A logged in with remember (storage event not handled?)",
		fmt.Sprintf(`(u => u && u.email === %q)(auth.currentUser())`, devserver.AdminEmail))
}

// The README's examples, run unchanged by the classic script js/gotrue.js
// once window.GoTrueReady resolves, including the login form that calls a
// Netlify function with the user's bearer token.
func TestReadmeExamplesClassicScript(t *testing.T) {
	fn := &fakeFunction{}
	s := startSiteWith(t, map[string]http.Handler{"/.netlify/functions/hello": fn})
	tab := s.open(t, "/e2e/readme.html")
	runSteps(t, tab, []step{
		{"window.GoTrue is the class", `typeof GoTrue === 'function' && GoTrue === window.GoTrue && window.GoTrueReady instanceof Promise`, `true`},
	})
	// The login example reads the README's form.
	fill := func(password string) chromedp.Tasks {
		return chromedp.Tasks{
			chromedp.SetValue(`form[name=login] input[name=email]`, "readme@example.com"),
			chromedp.SetValue(`form[name=login] input[name=password]`, password),
		}
	}
	if err := chromedp.Run(tab, fill("readme-password")); err != nil {
		t.Fatal(err)
	}
	for _, ex := range []struct{ name, then string }{
		{"instantiate", `auth instanceof GoTrue`},
		{"signup", `logged('Confirmation email sent')`},
		{"confirm", `logs.filter(l => l === 'Confirmation email sent').length === 2`},
		{"login", `logged('Success! Response')`},
		{"currentUser", `logged('current user readme@example.com')`},
		{"update", `logged('Updated user %s')`},
		{"jwt", `logged('This is a JWT token')`},
		{"logout", `logged('User logged out')`},
		{"requestPasswordRecovery", `logged('Recovery email sent')`},
		{"recover", `logged('Logged in as %s')`},
	} {
		ctx, cancel := context.WithTimeout(tab, 10*time.Second)
		err := chromedp.Run(ctx, chromedp.Evaluate(`examples.`+ex.name+`(); true`, nil), pagetest.WaitFor(ex.then))
		cancel()
		if err != nil {
			var logs []string
			_ = pagetest.Await(tab, `window.logs`, &logs)
			t.Fatalf("README example %s: %v; the page logged %q", ex.name, err, logs)
		}
	}
	// The login form example: its submit handler logs in and calls the
	// function with "Bearer " + the access token.
	err := chromedp.Run(tab,
		chromedp.Evaluate(`examples.lambdaForm(); true`, nil),
		fill("password"), // set by the update example
		chromedp.Click(`form[name=login] button`),
		pagetest.WaitFor(`window.logs.filter(l => l === 'object').length > 0`),
	)
	if err != nil {
		t.Fatalf("README login form example: %v", err)
	}
	if got := fn.email(); got != "readme@example.com" {
		t.Errorf("the function saw a bearer token for %q, want readme@example.com", got)
	}
	var logs []string
	if err := pagetest.Await(tab, `window.logs`, &logs); err != nil {
		t.Fatal(err)
	}
	for _, l := range logs {
		if strings.HasPrefix(l, "Failed") || strings.HasPrefix(l, "Error") || strings.Contains(l, "error") || strings.HasSuffix(l, "failed") {
			t.Errorf("an example failed: %q (all: %q)", l, logs)
		}
	}
}

// fakeFunction is /.netlify/functions/hello: it notes the email claim of
// the bearer token it receives (without checking the signature, which
// Netlify's edge would do).
type fakeFunction struct {
	mu  sync.Mutex
	got string
}

func (f *fakeFunction) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	jwt, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	var claims struct {
		Email string `json:"email"`
	}
	if payload, ok := jwtPayload(jwt); ok {
		_ = json.Unmarshal(payload, &claims)
	}
	f.mu.Lock()
	f.got = claims.Email
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"hello":"world"}`))
}

func (f *fakeFunction) email() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.got
}

// The script-tag builds: ours sets window.GoTrue to the class; gotrue-js
// 1.0.1's bundle overwrites it with its module namespace, so `new GoTrue()`
// fails there (docs/behaviour.md §5.5). Code written for that bundle
// (window.GoTrue.default, window.GoTrue.JSONHTTPError, …) works on both.
func TestScriptTagGlobal(t *testing.T) {
	const bundleStyle = `(async () => {
		const G = window.GoTrue;
		const auth = new G.default();
		const err = await auth.login('nobody@example.com', 'wrong').catch((e) => e);
		return {
			jsonError: err instanceof G.JSONHTTPError, httpError: err instanceof G.HTTPError,
			text: typeof G.TextHTTPError, user: typeof G.User, admin: typeof G.Admin,
			message: err.message,
		};
	})()`
	const bundleWant = `{"jsonError":true,"httpError":true,"text":"function","user":"function","admin":"function",` +
		`"message":"invalid_grant: No user found with that email, or password invalid."}`
	for _, tc := range []struct {
		name, src, want string
	}{
		{"gotrue-wasm", "/js/gotrue.js", `{"type":"function","isDefault":true,"constructs":true}`},
		{"gotrue-js 1.0.1", "/ref/browser/gotrue.js", `{"type":"object","isDefault":true,"constructs":false}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := startSite(t)
			tab := s.open(t, "/e2e/script.html?src="+tc.src)
			runSteps(t, tab, []step{{"window.GoTrue", `(() => {
				let constructs = true;
				try { new window.GoTrue(); } catch { constructs = false; }
				return {type: typeof window.GoTrue, isDefault: typeof window.GoTrue.default === 'function', constructs};
			})()`, tc.want}, {"code written for the bundle", bundleStyle, bundleWant}})
		})
	}
}

// The demo page loads gotrue.wasm and a click-through of its login form
// shows the user.
func TestDemoPageLogin(t *testing.T) {
	s := startSite(t)
	tab := newTab(t, 60*time.Second)
	err := chromedp.Run(tab,
		chromedp.Navigate(s.URL+"/"),
		chromedp.WaitVisible(`#status[data-state="ready"]`),
		chromedp.SendKeys(`#login-email`, devserver.AdminEmail),
		chromedp.SendKeys(`#login-password`, devserver.AdminPassword),
		chromedp.Click(`#login-button`),
		chromedp.WaitVisible(`#current-user[data-state="user"]`),
	)
	if err != nil {
		t.Fatalf("logging in on the demo page: %v", err)
	}
	var email, result string
	if err := chromedp.Run(tab,
		chromedp.AttributeValue(`#current-user`, "data-email", &email, nil),
		chromedp.AttributeValue(`#result`, "data-state", &result, nil),
	); err != nil {
		t.Fatal(err)
	}
	if email != devserver.AdminEmail || result != "ok" {
		t.Errorf("#current-user data-email = %q, #result data-state = %q; want %q, ok", email, result, devserver.AdminEmail)
	}
}

// The cached answers (currentUser(), tokenDetails(), a fresh jwt()) take a
// //go:wasmexport fast path in the loader: they must give what the Go path
// gives, follow every change of the user, and fall back when in doubt.
func TestFlowFastPathsFollowTheUser(t *testing.T) {
	s := startSite(t)
	tab := s.harness(t, oursModule)
	runSteps(t, tab, []step{
		{"login", `window.auth = new mod.default(); auth.signup('fay@example.com', 'fay-pw', {}).then(() => e2e.mailToken('fay@example.com', 'confirmation')).then(t => auth.confirm(t, true)).then(u => (window.fay = u, u.email))`,
			`"fay@example.com"`},
		{"cached answers are the user's own", `(async () => {
			const u = fay;
			const jwt = await u.jwt();
			return {current: auth.currentUser() === u, again: auth.currentUser() === auth.currentUser(), details: u.tokenDetails() === u.token, jwt: jwt === u.token.access_token};
		})()`, `{"current":true,"again":true,"details":true,"jwt":true}`},
		{"a refresh moves every answer", `(async () => {
			const u = fay, before = u.token.access_token, beforeRT = u.token.refresh_token;
			const forced = await u.jwt(true);
			const cached = await u.jwt();
			return {rotated: u.token.refresh_token !== beforeRT, details: u.tokenDetails() === u.token, cached: cached === forced, current: auth.currentUser() === u};
		})()`, `{"rotated":true,"details":true,"cached":true,"current":true}`},
		{"a page's write to user.token is what jwt() reads, as in gotrue-js", `(async () => {
			const u = fay, kept = u.token;
			u.token = null;
			const err = await u.jwt().then(() => 'resolved', e => e.message);
			u.token = kept;
			const jwt = await u.jwt();
			return {err, jwt: jwt === kept.access_token, details: u.tokenDetails() === kept};
		})()`, `{"err":"Gotrue-js: failed getting jwt access token","jwt":true,"details":true}`},
		{"setCookie switched on takes the Go path once", `(() => {
			auth.setCookie = true;
			const u = auth.currentUser();
			return {same: u === fay, header: auth.api.defaultHeaders['X-Use-Cookie']};
		})()`, `{"same":true,"header":"session"}`},
		{"clearSession ends every answer", `(async () => {
			const u = fay;
			u.clearSession();
			const err = await u.jwt().then(() => 'resolved', e => e.message);
			return {details: u.tokenDetails(), current: auth.currentUser(), jwt: err};
		})()`, `{"details":null,"current":null,"jwt":"Gotrue-js: failed getting jwt access token"}`},
		{"odd this", `(() => {
			const r = [];
			for (const self of [null, undefined, 5, {}, new Proxy({}, {get() { throw new Error('trap'); }})]) {
				try { r.push(String(mod.User.prototype.tokenDetails.call(self))); } catch (e) { r.push(e instanceof Error); }
				r.push(mod.User.prototype.jwt.call(self) instanceof Promise);
			}
			return r.every(x => x === true || x === 'true');
		})()`, `true`},
	})
}
