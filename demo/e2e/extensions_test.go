package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/gotrue-wasm/gotrue-wasm/demo/devserver"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
	"github.com/gotrue-wasm/gotrue-wasm/internal/pagetest"
)

// The API gotrue-wasm adds to gotrue-js's, in a real page:
// gotrue.handleRedirect(), user.admin.inviteUser() and the paged
// user.admin.listUsers({...}), and new GoTrue({autoRefresh: true}).
// As in flows_test.go, no expression returns a token: tokens are compared
// inside the page.

// harnessPage is the harness page with our client; a fragment or another
// query can follow.
var harnessPage = "/e2e/harness.html?client=" + url.QueryEscape(oursModule)

// spyFetch wraps the page's fetch (which gotrue.wasm calls for each
// request) to note every identity request with the address bar's
// fragment at the time it was sent, token values masked:
// window.fetched = [{method, path, hash}].
const spyFetch = `window.fetched = []; {
	const f = window.fetch;
	window.fetch = function (input, init) {
		const u = new URL(String(input instanceof Request ? input.url : input), location.href);
		if (u.pathname.startsWith('/.netlify/identity/')) {
			const hash = location.hash.replace(/((?:^#|&)[^=&]*token=)[^&]*/g, '$1***');
			fetched.push({method: (init && init.method) || 'GET', path: u.pathname.slice('/.netlify/identity'.length), hash});
		}
		return f.apply(this, arguments);
	};
} true`

// mailFragment is the fragment of the newest mail of that kind to that
// address (#<kind>_token=…), checking the link's shape on the way.
func mailFragment(t *testing.T, s *site, to, kind string) string {
	t.Helper()
	m, ok := s.Identity.LastMail(to, kind)
	if !ok {
		t.Fatalf("no %s mail to %s", kind, to)
	}
	base, frag, _ := strings.Cut(m.Link, "#")
	if base != s.URL+"/" || frag != kind+"_token="+m.Token {
		t.Fatalf("the %s mail's link is not %s/#%s_token=<token>", kind, s.URL, kind)
	}
	return frag
}

// postIdentity sends a JSON request to the site's identity API from Go,
// as a browser elsewhere would (a signup, a recovery request).
func postIdentity(t *testing.T, s *site, path, body string) {
	t.Helper()
	resp, err := http.Post(s.URL+devserver.IdentityPath+path, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %s", path, resp.Status)
	}
}

// navigate loads page in tab (a full load: page must differ from the
// current URL in more than its fragment) and waits until it is ready.
func navigate(t *testing.T, tab context.Context, s *site, page string) {
	t.Helper()
	if err := chromedp.Run(tab, chromedp.Navigate(s.URL+page), pagetest.WaitFor(`document.documentElement.dataset.state === 'ready'`)); err != nil {
		t.Fatalf("loading %s: %v", page, err)
	}
}

func seedUser(t *testing.T, s *site, p gotruetest.UserParams) {
	t.Helper()
	p.Confirmed = true
	if _, err := s.Identity.CreateUser(p); err != nil {
		t.Fatal(err)
	}
}

// A confirmation link logs its user in (a login event, remembered by
// default) and leaves the address bar before the first request, other
// parameters kept; the spent token, pasted, rejects as confirm() does.
func TestRedirectConfirmation(t *testing.T) {
	s := startSite(t)
	postIdentity(t, s, "/signup", `{"email":"rae@example.com","password":"rae-pw"}`)
	tab := s.open(t, harnessPage+"#"+mailFragment(t, s, "rae@example.com", "confirmation")+"&tab=2")
	runSteps(t, tab, []step{
		{"listen, spy on fetch", listenAll + `; ` + spyFetch, `true`},
		{"handleRedirect()", `auth.handleRedirect().then(r => ({
			keys: Object.keys(r), type: r.type, email: r.user.email, isUser: r.user instanceof mod.User,
			current: auth.currentUser() === r.user, confirmed: !!r.user.confirmed_at,
			saved: JSON.parse(localStorage.getItem('gotrue.user')).email, seen: seen.slice(),
			hash: location.hash, requests: fetched.length > 0, hashAtRequests: [...new Set(fetched.map(f => f.hash))],
		}))`, `{"keys":["type","user"],"type":"confirmation","email":"rae@example.com","isUser":true,"current":true,"confirmed":true,
			"saved":"rae@example.com","seen":["login:rae@example.com"],"hash":"#tab=2","requests":true,"hashAtRequests":["#tab=2"]}`},
		{"nothing is left to handle", `auth.handleRedirect()`, `null`},
		{"the spent token, pasted, rejects as confirm() does and leaves location alone", `(async () => {
			const tok = await e2e.mailToken('rae@example.com', 'confirmation');
			const href = location.href, n = fetched.length;
			const sum = e => ({rejected: e.constructor.name, status: e.status, message: e.message, json: JSON.stringify(e.json)});
			const pasted = await auth.handleRedirect(location.origin + '/#confirmation_token=' + encodeURIComponent(tok)).then(() => 'resolved', sum);
			const direct = await auth.confirm(tok).then(() => 'resolved', sum);
			return {same: JSON.stringify(pasted) === JSON.stringify(direct), rejected: pasted.rejected, status: pasted.status,
				requested: fetched.length > n, location: location.href === href};
		})()`, `{"same":true,"rejected":"JSONHTTPError","status":404,"requested":true,"location":true}`},
		{"an unknown token too", `(async () => {
			const sum = e => ({rejected: e.constructor.name, status: e.status, message: e.message, json: JSON.stringify(e.json)});
			const pasted = await auth.handleRedirect('https://elsewhere.example/#confirmation_token=nope').then(() => 'resolved', sum);
			const direct = await auth.confirm('nope').then(() => 'resolved', sum);
			return {same: JSON.stringify(pasted) === JSON.stringify(direct), pasted};
		})()`, `{"same":true,"pasted":{"rejected":"JSONHTTPError","status":404,"message":"User not found","json":"{\"code\":404,\"msg\":\"User not found\"}"}}`},
		{"the user is still logged in", `auth.currentUser().email`, `"rae@example.com"`},
	})
}

// A recovery link logs its user in; with remember false nothing is saved.
func TestRedirectRecovery(t *testing.T) {
	s := startSite(t)
	seedUser(t, s, gotruetest.UserParams{Email: "max@example.com", Password: "old-pw"})
	postIdentity(t, s, "/recover", `{"email":"max@example.com"}`)
	tab := s.open(t, harnessPage+"#"+mailFragment(t, s, "max@example.com", "recovery"))
	runSteps(t, tab, []step{
		{"listen, spy on fetch", listenAll + `; ` + spyFetch, `true`},
		{"handleRedirect(undefined, false)", `auth.handleRedirect(undefined, false).then(r => ({
			type: r.type, email: r.user.email, current: auth.currentUser() === r.user, seen: seen.slice(),
			saved: localStorage.getItem('gotrue.user'), hash: location.hash, href: location.href.includes('#'),
			hashAtRequests: [...new Set(fetched.map(f => f.hash))],
		}))`, `{"type":"recovery","email":"max@example.com","current":true,"seen":["login:max@example.com"],"saved":null,"hash":"","href":false,"hashAtRequests":[""]}`},
		{"the page can now set a new password", `auth.currentUser().update({password: 'new-pw'}).then(u => u.email)`, `"max@example.com"`},
		{"which logs in", `auth.login('max@example.com', 'new-pw').then(u => u.email)`, `"max@example.com"`},
	})
}

// An invitation link gives its token back without a request; the page
// then accepts it with the password the user chose.
func TestRedirectInvite(t *testing.T) {
	s := startSite(t)
	admin := s.harness(t, oursModule)
	runSteps(t, admin, []step{{"the admin invites", `window.auth = new mod.default(); ` + adminLogin + `.then(a => a.admin.inviteUser('nia@example.com')).then(u => u.email)`, `"nia@example.com"`}})
	tab := s.open(t, harnessPage+"#"+mailFragment(t, s, "nia@example.com", "invite")+"&tab=2")
	runSteps(t, tab, []step{
		{"listen, spy on fetch", listenAll + `; ` + spyFetch, `true`},
		{"handleRedirect()", `(async () => {
			const r = await auth.handleRedirect();
			const tok = await e2e.mailToken('nia@example.com', 'invite');
			return {keys: Object.keys(r), type: r.type, token: r.token === tok, hash: location.hash, requests: fetched.length, current: auth.currentUser(), seen: seen.slice()};
		})()`, `{"keys":["type","token"],"type":"invite","token":true,"hash":"#tab=2","requests":0,"current":null,"seen":[]}`},
		{"acceptInvite with its token", `e2e.mailToken('nia@example.com', 'invite').then(t => auth.acceptInvite(t, 'nia-pw', true)).then(u => ({email: u.email, current: auth.currentUser() === u, seen: seen.slice()}))`,
			`{"email":"nia@example.com","current":true,"seen":["login:nia@example.com"]}`},
		{"login with the chosen password", `auth.login('nia@example.com', 'nia-pw').then(u => u.email)`, `"nia@example.com"`},
	})
}

// An email change link changes the current user's email; without one it
// rejects.
func TestRedirectEmailChange(t *testing.T) {
	s := startSite(t)
	seedUser(t, s, gotruetest.UserParams{Email: "eli@example.com", Password: "eli-pw"})
	first := s.harness(t, oursModule)
	runSteps(t, first, []step{{"ask for a new email", `window.auth = new mod.default(); auth.login('eli@example.com', 'eli-pw').then(u => u.update({email: 'eli.new@example.com'})).then(u => ({email: u.email, new_email: u.new_email}))`,
		`{"email":"eli@example.com","new_email":"eli.new@example.com"}`}})
	frag := mailFragment(t, s, "eli.new@example.com", "email_change")

	tab := s.open(t, harnessPage+"#"+frag+"&tab=2")
	var hashAfter string
	runSteps(t, tab, []step{
		{"spy on fetch", spyFetch, `true`},
		{"without a current user it rejects", `new mod.default().handleRedirect().then(() => 'resolved', e => ({
			isError: e instanceof Error, loggedIn: /log(ged)?[ -]?in/i.test(e.message), requests: fetched.length}))`,
			`{"isError":true,"loggedIn":true,"requests":0}`},
	})
	if err := pagetest.Await(tab, `location.hash`, &hashAfter); err != nil {
		t.Fatal(err)
	}
	// The link stays, so that the page can ask the user to log in and
	// call again (compared without printing the token).
	if hashAfter != "#"+frag+"&tab=2" {
		t.Fatalf("after the rejection the address bar's fragment changed (%d chars); the link must stay for a call after the login", len(hashAfter))
	}

	runSteps(t, tab, []step{
		{"listen (fetch is spied on already)", listenAll, `true`},
		{"log in", `auth.login('eli@example.com', 'eli-pw').then(u => (window.mark = fetched.length, u.email))`, `"eli@example.com"`},
		{"handleRedirect() in the same page then changes the email", `auth.handleRedirect().then(r => ({
			keys: Object.keys(r), type: r.type, email: r.user.email, current: auth.currentUser() === r.user, seen: seen.slice(1),
			hash: location.hash, requests: fetched.slice(mark).map(f => f.method + ' ' + f.path + ' ' + f.hash),
		}))`, `{"keys":["type","user"],"type":"email_change","email":"eli.new@example.com","current":true,"seen":["user_update:eli.new@example.com"],
			"hash":"#tab=2","requests":["PUT /user #tab=2"]}`},
		{"the new email logs in", `auth.login('eli.new@example.com', 'eli-pw').then(u => u.email)`, `"eli.new@example.com"`},
	})
}

// The fragment of an external login's end (#access_token=…) logs its user
// in.
func TestRedirectExternal(t *testing.T) {
	s := startSite(t)
	got, err := followOAuth(s.URL, devserver.IdentityPath+"/authorize?provider=github")
	if err != nil {
		t.Fatal(err)
	}
	hash := got["hash"]
	for _, p := range []string{"access_token=", "expires_in=", "refresh_token=", "token_type=bearer"} {
		if !strings.Contains(hash, p) {
			t.Fatalf("the provider's redirect fragment has no %s", strings.TrimSuffix(p, "="))
		}
	}
	tab := s.open(t, harnessPage+"#"+hash+"&tab=2")
	runSteps(t, tab, []step{
		{"listen, spy on fetch", listenAll + `; ` + spyFetch, `true`},
		{"handleRedirect()", `auth.handleRedirect().then(r => ({
			keys: Object.keys(r), type: r.type, email: r.user.email, isUser: r.user instanceof mod.User, current: auth.currentUser() === r.user,
			saved: JSON.parse(localStorage.getItem('gotrue.user')).email, seen: seen.slice(), hash: location.hash,
			hashAtRequests: [...new Set(fetched.map(f => f.hash))],
		}))`, `{"keys":["type","user"],"type":"external","email":"github-user@example.com","isUser":true,"current":true,
			"saved":"github-user@example.com","seen":["login:github-user@example.com"],"hash":"#tab=2","hashAtRequests":["#tab=2"]}`},
		{"its jwt is the token", `auth.currentUser().jwt().then(j => j === auth.currentUser().token.access_token)`, `true`},
	})
}

// An external login that failed: {type: 'error', error}, no request.
func TestRedirectError(t *testing.T) {
	s := startSite(t)
	tab := s.open(t, harnessPage+"#error=access_denied&error_description=Signups+not%20allowed+%26+more&tab=2")
	runSteps(t, tab, []step{
		{"listen, spy on fetch", listenAll + `; ` + spyFetch, `true`},
		{"handleRedirect()", `auth.handleRedirect().then(r => ({
			keys: Object.keys(r), type: r.type, isError: r.error instanceof Error, message: r.error.message,
			hash: location.hash, requests: fetched.length, current: auth.currentUser(), seen: seen.slice(),
		}))`, `{"keys":["type","error"],"type":"error","isError":true,"message":"Signups not allowed & more","hash":"#tab=2","requests":0,"current":null,"seen":[]}`},
		{"a pasted error link leaves location alone", `(() => {
			const href = location.href;
			return auth.handleRedirect('https://elsewhere.example/cb#error=server_error').then(r => ({type: r.type, message: r.error.message, location: location.href === href}));
		})()`, `{"type":"error","message":"server_error","location":true}`},
	})
}

// Nothing to handle resolves null; a url that is not a string rejects
// with a TypeError (a rejection, not a throw).
func TestRedirectNothingAndBadArguments(t *testing.T) {
	s := startSite(t)
	tab := s.open(t, harnessPage+"#tab=2")
	runSteps(t, tab, []step{
		{"spy on fetch", `window.auth = new mod.default(); ` + spyFetch, `true`},
		{"nothing to handle", `Promise.all([auth.handleRedirect(), auth.handleRedirect(''), auth.handleRedirect(location.origin + '/'), auth.handleRedirect('https://elsewhere.example/#foo=bar&access_token=')])
			.then(rs => ({rs, hash: location.hash, requests: fetched.length}))`, `{"rs":[null,null,null,null],"hash":"#tab=2","requests":0}`},
		{"a url that is not a string", `(() => {
			const out = [];
			for (const url of [5, {}, null, ['#confirmation_token=x']]) {
				let p;
				try { p = auth.handleRedirect(url); } catch (e) { out.push(Promise.resolve('threw ' + e.constructor.name)); continue; }
				out.push(p.then(() => 'resolved', e => e.constructor.name));
			}
			return Promise.all(out).then(rs => ({rs, requests: fetched.length}));
		})()`, `{"rs":["TypeError","TypeError","TypeError","TypeError"],"requests":0}`},
	})
}

// user.admin.inviteUser: the new user, with data as user_metadata, and an
// invitation mail; a user who is not an admin gets the server's 401.
func TestAdminExtensionsInviteUser(t *testing.T) {
	s := startSite(t)
	seedUser(t, s, gotruetest.UserParams{Email: "pat@example.com", Password: "pat-pw"})
	tab := s.harness(t, oursModule)
	runSteps(t, tab, []step{
		{"the admin logs in", `window.auth = new mod.default(); ` + adminLogin + `.then(u => (window.admin = u.admin, u.email))`, fmt.Sprintf("%q", devserver.AdminEmail)},
		{"inviteUser with data", `admin.inviteUser('ivy@example.com', {full_name: 'Ivy', team: 'blue'}).then(u => ({
			email: u.email, meta: u.user_metadata, invited: !!u.invited_at, confirmed: !!u.confirmed_at, plain: Object.getPrototypeOf(u) === Object.prototype}))`,
			`{"email":"ivy@example.com","meta":{"full_name":"Ivy","team":"blue"},"invited":true,"confirmed":false,"plain":true}`},
		{"an invitation mail reached ivy", `e2e.mailToken('ivy@example.com', 'invite').then(t => typeof t === 'string' && t.length > 0)`, `true`},
		{"the server keeps the data", `admin.listUsers().then(r => r.users.find(u => u.email === 'ivy@example.com').user_metadata)`, `{"full_name":"Ivy","team":"blue"}`},
		{"inviteUser without data", `admin.inviteUser('joe@example.com').then(u => ({email: u.email, invited: !!u.invited_at}))`, `{"email":"joe@example.com","invited":true}`},
		{"an address already registered", `admin.inviteUser('pat@example.com').then(() => 'resolved', ` + rejection + `)`,
			`{"rejected":"JSONHTTPError","status":422,"message":"Email address already registered by another user"}`},
		{"pat logs in", `auth.currentUser().logout().then(() => auth.login('pat@example.com', 'pat-pw')).then(u => (window.pat = u, u.email))`, `"pat@example.com"`},
		{"a non-admin gets the server's 401, as a direct request does", `(async () => {
			const got = await pat.admin.inviteUser('zoe@example.com').then(() => 'resolved', ` + rejection + `);
			const res = await fetch('/.netlify/identity/invite', {method: 'POST', headers: {Authorization: 'Bearer ' + await pat.jwt()}, body: JSON.stringify({email: 'zoe@example.com'})});
			const json = await res.json();
			return {got, direct: {status: res.status, msg: json.msg}};
		})()`, `{"got":{"rejected":"JSONHTTPError","status":401,"message":"User not allowed"},"direct":{"status":401,"msg":"User not allowed"}}`},
	})
	for _, m := range s.mails() {
		if m.To == "zoe@example.com" {
			t.Errorf("a %s mail went to zoe@example.com, whom only a non-admin invited", m.Kind)
		}
	}
	if m, ok := s.Identity.LastMail("ivy@example.com", gotruetest.KindInvite); !ok || !strings.Contains(m.Link, "#invite_token=") {
		t.Errorf("no invite link to ivy@example.com in the mailbox")
	}
}

// user.admin.listUsers({page, perPage, filter, aud}) answers a page and
// the total; listUsers() and listUsers(aud) keep gotrue-js's shape.
func TestAdminExtensionsListUsers(t *testing.T) {
	s := startSite(t)
	// Seeded in this order, so listed newest first: kim, eve, dee, bob, ann,
	// then the admin the dev server seeded first.
	for _, u := range []struct{ email, name string }{
		{"ann@example.com", "ann lee"}, {"bob@example.com", "bob stone"}, {"dee@example.com", "dee hakim"},
		{"eve@example.com", "eve moss"}, {"kim@example.com", "kim ray"},
	} {
		seedUser(t, s, gotruetest.UserParams{Email: u.email, Password: "pw", UserMetadata: map[string]any{"full_name": u.name}})
	}
	admin := devserver.AdminEmail
	tab := s.harness(t, oursModule)
	runSteps(t, tab, []step{
		{"the admin logs in", `window.auth = new mod.default(); ` + adminLogin + `.then(u => (window.admin = u.admin, u.email))`, fmt.Sprintf("%q", admin)},
		{"an options object answers {aud, users, total}", `admin.listUsers({perPage: 2}).then(r => ({keys: Object.keys(r), aud: r.aud, n: r.users.length, total: r.total}))`,
			`{"keys":["aud","users","total"],"aud":"","n":2,"total":6}`},
		{"pages do not overlap and cover everyone, newest first", `Promise.all([1, 2, 3, 4].map(page => admin.listUsers({page, perPage: 2}))).then(rs => ({
			sizes: rs.map(r => r.users.length), totals: rs.map(r => r.total), distinct: new Set(rs.flatMap(r => r.users.map(u => u.id))).size,
			emails: rs.flatMap(r => r.users.map(u => u.email))}))`,
			fmt.Sprintf(`{"sizes":[2,2,2,0],"totals":[6,6,6,6],"distinct":6,"emails":["kim@example.com","eve@example.com","dee@example.com","bob@example.com","ann@example.com",%q]}`, admin)},
		{"page 2 differs from page 1", `Promise.all([admin.listUsers({page: 1, perPage: 3}), admin.listUsers({page: 2, perPage: 3})]).then(([a, b]) =>
			a.users.every(u => !b.users.some(v => v.id === u.id)) && a.users.length === 3 && b.users.length === 3)`, `true`},
		{"{} is the server's default page, as listUsers()", `Promise.all([admin.listUsers(), admin.listUsers({})]).then(([a, b]) => ({
			plainKeys: Object.keys(a), pagedKeys: Object.keys(b), same: JSON.stringify(a.users) === JSON.stringify(b.users), total: b.total}))`,
			`{"plainKeys":["aud","users"],"pagedKeys":["aud","users","total"],"same":true,"total":6}`},
		{"listUsers('') keeps gotrue-js's shape", `admin.listUsers('').then(r => ({keys: Object.keys(r), total: 'total' in r, n: r.users.length}))`,
			`{"keys":["aud","users"],"total":false,"n":6}`},
		{"bad options reject with TypeError, without a request", spyFetch + ` && (() => {
			const out = [];
			for (const o of [{page: 0}, {page: 1.5}, {perPage: '10'}, {filter: 3}, {perPage: -1}, {aud: 1}]) {
				let p;
				try { p = admin.listUsers(o); } catch (e) { out.push(Promise.resolve('threw ' + e.constructor.name)); continue; }
				out.push(p.then(() => 'resolved', e => e.constructor.name));
			}
			return Promise.all(out).then(rs => ({rs, requests: fetched.length}));
		})()`, `{"rs":["TypeError","TypeError","TypeError","TypeError","TypeError","TypeError"],"requests":0}`},
		{"a user who is not an admin gets the server's 401", `auth.login('ann@example.com', 'pw').then(u => u.admin.listUsers({page: 1})).then(() => 'resolved', ` + rejection + `)`,
			`{"rejected":"JSONHTTPError","status":401,"message":"User not allowed"}`},
	})

	// filter is new in gotruetest: its own subtest, so that its state is
	// plain in the results.
	t.Run("filter", func(t *testing.T) {
		runSteps(t, tab, []step{
			{"the admin again", adminLogin + `.then(u => (window.admin = u.admin, u.email))`, fmt.Sprintf("%q", admin)},
			{"filter matches the email or the full name", `admin.listUsers({filter: 'kim'}).then(r => ({emails: r.users.map(u => u.email), total: r.total}))`,
				`{"emails":["kim@example.com","dee@example.com"],"total":2}`},
			{"filter with a space (encoded)", `admin.listUsers({filter: 'dee hak'}).then(r => ({emails: r.users.map(u => u.email), total: r.total}))`,
				`{"emails":["dee@example.com"],"total":1}`},
			{"filter with paging", `admin.listUsers({filter: 'kim', perPage: 1, page: 2}).then(r => ({emails: r.users.map(u => u.email), total: r.total}))`,
				`{"emails":["dee@example.com"],"total":2}`},
			{"filter that matches nobody", `admin.listUsers({filter: 'nobody'}).then(r => ({emails: r.users.map(u => u.email), total: r.total}))`,
				`{"emails":[],"total":0}`},
		})
	})
}

// shortTokens makes the site's identity server sign 4-second access
// tokens by the real clock (startSite installs a stepping clock, which
// the page's timers would not follow).
func shortTokens(s *site) {
	s.Identity.SetConfig(func(c *gotruetest.Config) {
		c.TokenLifetime = 4 * time.Second
		c.Now = time.Now
	})
}

// refreshRequests counts the refresh grants the site's identity server
// received.
func refreshRequests(s *site) int {
	n := 0
	for _, r := range s.Identity.Requests() {
		if r.Method == http.MethodPost && strings.HasPrefix(r.Path, "/token") && strings.Contains(r.Body, "grant_type=refresh_token") {
			n++
		}
	}
	return n
}

// setShown shows or hides the page: headless Chromium's tabs are hidden
// (document.visibilityState), and focus emulation makes one shown, as the
// tab of a window in front, with a visibilitychange event either way.
func setShown(t *testing.T, tab context.Context, shown bool) {
	t.Helper()
	want := map[bool]string{true: "visible", false: "hidden"}[shown]
	if err := chromedp.Run(tab, emulation.SetFocusEmulationEnabled(shown), pagetest.WaitFor(`document.visibilityState === '`+want+`'`)); err != nil {
		t.Fatalf("making the page %s: %v", want, err)
	}
}

// autoListen makes window.auth with autoRefresh and logs its events into
// window.seen, as listenAll does, and the time of each token_refresh into
// window.refreshedAt; refreshes() counts the token_refresh.
const autoListen = `window.auth = new mod.default({autoRefresh: true}); window.seen = []; window.refreshedAt = [];
	for (const e of ['login', 'logout', 'token_refresh', 'user_update']) {
		auth.on(e, (u) => seen.push(u === undefined ? e : e + ':' + (u instanceof mod.User ? u.email : typeof u)));
	}
	auth.on('token_refresh', () => refreshedAt.push(Date.now()));
	window.refreshes = () => refreshedAt.length;
	document.visibilityState`

// A login with a token this short refreshes it at once, to read the user
// (gotrue-js refreshes any token within 60 s of its expiry): what the
// auto-refresh does is counted from the end of the login, window.mark.

// The auto-refresh keeps a 4-second token going on its own, one request
// per token_refresh event; a token it bought long-lived is what jwt()
// answers without a request; it stops at logout.
func TestAutoRefreshKeepsTheToken(t *testing.T) {
	s := startSite(t)
	shortTokens(s)
	seedUser(t, s, gotruetest.UserParams{Email: "ari@example.com", Password: "ari-pw"})
	tab := s.harness(t, oursModule)
	setShown(t, tab, true)
	runSteps(t, tab, []step{
		{"new GoTrue({autoRefresh: true}), the page visible", autoListen, `"visible"`},
		{"login", `auth.login('ari@example.com', 'ari-pw', true).then(u => (window.first = u.token.access_token, window.loginExpiry = u.token.expires_at, window.mark = refreshes(), u.email))`, `"ari@example.com"`},
	})
	start := refreshRequests(s)
	waitUntil(t, tab, "no token_refresh after login", `refreshes() > mark`)

	// "halfway through a short-lived token's life" (gotrue/autorefresh.go):
	// the login's token lives 3 to 4 s, so its refresh comes about 2 s
	// before it expires; 1 s is the least this accepts.
	t.Run("a short token is refreshed halfway through its life", func(t *testing.T) {
		var before int64
		if err := pagetest.Await(tab, `loginExpiry - refreshedAt[mark]`, &before); err != nil {
			t.Fatal(err)
		}
		if before < 1000 {
			t.Errorf("the first auto-refresh ended %d ms before the token expired (negative: after); want it about halfway, at least 1000 ms before", before)
		}
	})

	// A 4-second token is never fresh by gotrue-js's rule, so jwt() would
	// refresh it whatever the auto-refresh did. The server now signs
	// hour-long tokens: once the auto-refresh has bought one, jwt()
	// answers it without a request.
	s.Identity.SetConfig(func(c *gotruetest.Config) { c.TokenLifetime = time.Hour })
	waitUntil(t, tab, "the auto-refresh bought no second token, a long-lived one",
		`refreshes() >= mark + 2 && auth.currentUser().token.expires_at - Date.now() > 30 * 60 * 1000`)
	var events int
	if err := pagetest.Await(tab, `refreshes() - mark`, &events); err != nil {
		t.Fatal(err)
	}
	if n := refreshRequests(s) - start; n < events || n > events+1 {
		t.Errorf("%d refresh requests for %d token_refresh events: want one each (one more in flight at most)", n, events)
	}
	runSteps(t, tab, []step{
		{"the token changed, and is the one saved; no other event", `(u => ({changed: u.token.access_token !== first, saved: JSON.parse(localStorage.getItem('gotrue.user')).token.access_token === u.token.access_token,
			seen: seen.filter(e => !e.startsWith('token_refresh'))}))(auth.currentUser())`,
			`{"changed":true,"saved":true,"seen":["login:ari@example.com"]}`},
	})
	t.Run("jwt needs no request after an auto-refresh", func(t *testing.T) {
		n0 := len(s.Identity.Requests())
		runSteps(t, tab, []step{
			{"jwt() is the current token", `(async () => { const u = auth.currentUser(), n = refreshes(); const j = await u.jwt(); return {same: j === u.token.access_token, changed: j !== first, events: refreshes() - n}; })()`,
				`{"same":true,"changed":true,"events":0}`},
		})
		if n := len(s.Identity.Requests()) - n0; n != 0 {
			t.Errorf("jwt() made %d requests; want none", n)
		}
	})

	// Back to 4-second tokens: a forced refresh buys one, and the
	// auto-refresh must then refresh it; after logout it must not. The
	// absence is measured over the page's own timer, 5 s, more than the
	// token's life: that wait is the thing measured, not a guess at how
	// long something takes.
	t.Run("logout stops it", func(t *testing.T) {
		shortTokens(s)
		runSteps(t, tab, []step{{"jwt(true) buys a 4-second token", `auth.currentUser().jwt(true).then(() => (window.mark = refreshes(), auth.currentUser().token.expires_at - Date.now() < 5000))`, `true`}})
		waitUntil(t, tab, "the auto-refresh did not refresh the 4-second token", `refreshes() > mark`)
		runSteps(t, tab, []step{{"logout", `auth.currentUser().logout().then(() => (window.mark = refreshes(), auth.currentUser()))`, `null`}})
		before := refreshRequests(s)
		runSteps(t, tab, []step{{"5 s later (the page's timer)", `new Promise(r => setTimeout(r, 5000)).then(() => ({events: refreshes() - mark, current: auth.currentUser(), saved: localStorage.getItem('gotrue.user')}))`,
			`{"events":0,"current":null,"saved":null}`}})
		if n := refreshRequests(s) - before; n != 0 {
			t.Errorf("%d refresh requests within 5 s after logout; want none", n)
		}
	})
}

// Two tabs with autoRefresh and the same remembered user refresh it about
// once per period between them, not once each, and stay logged in; and a
// GoTrue without autoRefresh (on another site, in the same window of time)
// refreshes nothing on its own.
func TestAutoRefreshTwoTabs(t *testing.T) {
	s := startSite(t)
	shortTokens(s)
	seedUser(t, s, gotruetest.UserParams{Email: "pia@example.com", Password: "pia-pw"})
	a := s.harness(t, oursModule)
	b := s.harness(t, oursModule)

	plain := startSite(t)
	shortTokens(plain)
	seedUser(t, plain, gotruetest.UserParams{Email: "ola@example.com", Password: "ola-pw"})
	c := plain.harness(t, oursModule)
	setShown(t, c, true)
	runSteps(t, c, []step{{"a GoTrue without autoRefresh logs in and remembers", `window.auth = new mod.default(); auth.login('ola@example.com', 'ola-pw', true).then(u => (window.olaFirst = u.token.access_token, u.email))`,
		`"ola@example.com"`}})
	plainStart := refreshRequests(plain)

	// Both shown, as two windows side by side: a hidden tab would pause
	// and leave the refreshes to the other.
	for _, tab := range []context.Context{a, b} {
		setShown(t, tab, true)
		runSteps(t, tab, []step{{"new GoTrue({autoRefresh: true}), the page visible", autoListen, `"visible"`}})
	}
	runSteps(t, a, []step{{"tab A logs in and remembers", `auth.login('pia@example.com', 'pia-pw', true).then(u => (window.mark = refreshes(), u.email))`, `"pia@example.com"`}})
	waitUntil(t, b, "tab B saw no login", `seen[0] === 'login:pia@example.com' && (window.mark = refreshes(), true)`)
	start := refreshRequests(s)
	// About 3 periods; a logout ends the wait early.
	for name, tab := range map[string]context.Context{"A": a, "B": b} {
		waitUntil(t, tab, "tab "+name+" saw no three token_refresh events", `refreshes() - mark >= 3 || seen.includes('logout')`)
	}
	var evA, evB int
	if err := pagetest.Await(a, `refreshes() - mark`, &evA); err != nil {
		t.Fatal(err)
	}
	if err := pagetest.Await(b, `refreshes() - mark`, &evB); err != nil {
		t.Fatal(err)
	}
	reqs := refreshRequests(s) - start
	t.Logf("%d refresh requests; token_refresh events: tab A %d, tab B %d", reqs, evA, evB)
	// Each refresh, by either tab, is one token_refresh in each tab (its
	// own, or the one the other tab saved).
	if periods := min(evA, evB); reqs > periods+1 {
		t.Errorf("the two tabs made %d refresh requests for %d periods (token_refresh events in each tab): want about one per period (at most %d)", reqs, periods, periods+1)
	}
	for _, tc := range []struct {
		name string
		tab  context.Context
		seen string
	}{{"A", a, `["login:pia@example.com"]`}, {"B", b, `["login:pia@example.com"]`}} {
		t.Run("tab "+tc.name+" stays logged in", func(t *testing.T) {
			runSteps(t, tc.tab, []step{{"no logout, nothing but token_refresh after the login",
				`seen.filter(e => !e.startsWith('token_refresh'))`, tc.seen}})
			waitUntil(t, tc.tab, "tab "+tc.name+" does not hold the saved token",
				`(u => u && u.token && u.token.access_token === JSON.parse(localStorage.getItem('gotrue.user')).token.access_token)(auth.currentUser())`)
		})
	}

	t.Run("a GoTrue without autoRefresh refreshes nothing", func(t *testing.T) {
		if n := refreshRequests(plain) - plainStart; n != 0 {
			t.Errorf("the GoTrue without autoRefresh made %d refresh requests on its own; want none", n)
		}
		runSteps(t, c, []step{{"it still holds its first token", `(u => u.token.access_token === olaFirst)(auth.currentUser())`, `true`}})
	})
}

// While the page is hidden the auto-refresh waits; shown again, it
// refreshes the token at once if it is due.
func TestAutoRefreshPausesWhileHidden(t *testing.T) {
	s := startSite(t)
	shortTokens(s)
	seedUser(t, s, gotruetest.UserParams{Email: "hal@example.com", Password: "hal-pw"})
	tab := s.harness(t, oursModule)
	setShown(t, tab, false)
	runSteps(t, tab, []step{
		{"new GoTrue({autoRefresh: true}), the page hidden", autoListen, `"hidden"`},
		{"login", `auth.login('hal@example.com', 'hal-pw', true).then(u => (window.mark = refreshes(), u.email))`, `"hal@example.com"`},
	})
	before := refreshRequests(s)
	// The page's own timer: 3 s is past the ~2 s the auto-refresh of a
	// shown page would wait.
	runSteps(t, tab, []step{{"3 s later (the page's timer), hidden", `new Promise(r => setTimeout(r, 3000)).then(() => ({events: refreshes() - mark, email: auth.currentUser().email}))`,
		`{"events":0,"email":"hal@example.com"}`}})
	if n := refreshRequests(s) - before; n != 0 {
		t.Errorf("%d refresh requests while the page was hidden; want none", n)
	}
	setShown(t, tab, true)
	ctx, cancel := context.WithTimeout(tab, time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, pagetest.WaitFor(`refreshes() > mark`)); err != nil {
		t.Fatalf("no token_refresh within 1 s of the page being shown, with the token due: %v", err)
	}
	if n := refreshRequests(s) - before; n != 1 {
		t.Errorf("%d refresh requests once shown; want 1", n)
	}
}
