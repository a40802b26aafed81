package e2e

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/gotrue-wasm/gotrue-wasm/demo/devserver"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
	"github.com/gotrue-wasm/gotrue-wasm/internal/pagetest"
)

// The events of gotrue.on(), as a page sees them. window.seen logs each
// listener call as "event:email" (or "event" without a user), in order.

// listenAll makes window.auth and logs every event of it into window.seen.
const listenAll = `window.auth = new mod.default(); window.seen = [];
	for (const e of ['login', 'logout', 'token_refresh', 'user_update']) {
		auth.on(e, (u) => seen.push(u === undefined ? e : e + ':' + (u instanceof mod.User ? u.email : typeof u)));
	}
	true`

// waitUntil polls expr in tab until it is true, or fails with what.
func waitUntil(t *testing.T, tab context.Context, what, expr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 15*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, pagetest.WaitFor(expr)); err != nil {
		var seen any
		_ = pagetest.Await(tab, `window.seen`, &seen)
		t.Fatalf("%s: %v (seen: %v)", what, err, seen)
	}
}

func TestEventsInAPage(t *testing.T) {
	s := startSite(t)
	tab := s.harness(t, oursModule)
	admin := devserver.AdminEmail
	runSteps(t, tab, []step{
		{"listen", listenAll, `true`},
		{"on returns an unsubscribe function; off and it both stop a listener", `(() => {
			let n = 0; const f = () => n++;
			const stop = auth.on('login', f); stop();
			auth.on('logout', f); auth.off('logout', f);
			window.countStopped = () => n;
			return typeof stop;
		})()`, `"function"`},
		{"a throwing listener does not break the others nor the call", `(() => {
			window.reported = [];
			window.addEventListener('error', (e) => { reported.push(String(e.error && e.error.message)); e.preventDefault(); });
			auth.on('login', () => { throw new Error('listener boom'); });
			return true;
		})()`, `true`},
		{"login fires login once, before the await resumes", adminLogin + `.then(u => ({email: u.email, seen: seen.slice()}))`,
			fmt.Sprintf(`{"email":%q,"seen":["login:%s"]}`, admin, admin)},
		{"the thrown error was reported", `reported`, `["listener boom"]`},
		{"the listener gets the same object as the call", `(() => { let same; const f = (u) => { same = u === auth.currentUser(); }; auth.on('token_refresh', f); return auth.currentUser().jwt(true).then(() => { auth.off('token_refresh', f); return [same, seen.slice(1)]; }); })()`,
			fmt.Sprintf(`[true, ["token_refresh:%s"]]`, admin)},
		{"update fires user_update", `auth.currentUser().update({data: {team: 'blue'}}).then(() => seen.slice(2))`,
			fmt.Sprintf(`["user_update:%s"]`, admin)},
		// The server answers an update with the time of the request as
		// updated_at but never saves it (as netlify/gotrue does): the
		// next read changes the user back.
		{"getUserData that changes the user fires user_update", `auth.currentUser().getUserData().then(() => seen.slice(3))`,
			fmt.Sprintf(`["user_update:%s"]`, admin)},
		{"getUserData with nothing changed fires nothing", `auth.currentUser().getUserData().then(() => seen.length)`, `4`},
		{"logout fires logout without a user", `(window.last = auth.currentUser()).logout().then(() => seen.slice(4))`, `["logout"]`},
		{"clearing the session again fires nothing", `last.clearSession(), Promise.resolve().then(() => seen.length)`, `5`},
		{"stopped listeners were never called", `countStopped()`, `0`},
		{"bad arguments are TypeErrors", `(() => { const r = []; for (const f of [() => auth.on('nope', () => {}), () => auth.on('login', 'x'), () => auth.off(1, null)]) { try { f(); r.push('no throw'); } catch (e) { r.push(e.constructor.name + ': ' + e.message); } } return r; })()`,
			`["TypeError: gotrue: the event must be one of 'login', 'logout', 'token_refresh', 'user_update', not 'nope'","TypeError: gotrue: the listener must be a function, not string","TypeError: gotrue: the event must be one of 'login', 'logout', 'token_refresh', 'user_update', not number"]`},
	})
}

func TestEventsAcrossTabs(t *testing.T) {
	s := startSite(t)
	if _, err := s.Identity.CreateUser(gotruetest.UserParams{Email: "pia@example.com", Password: "pia-pw", Confirmed: true}); err != nil {
		t.Fatal(err)
	}
	a := s.harness(t, oursModule)
	b := s.harness(t, oursModule)
	c := s.openWithEarlyScript(t, "/e2e/harness.html?client="+url.QueryEscape(oursModule),
		`window.addEventListener('storage', () => { if (window.auth) window.early = auth.currentUser(); });`)
	runSteps(t, b, []step{{"tab B listens", listenAll, `true`}})
	// Tab C's page added its own storage listener before gotrue.wasm
	// loaded, so it runs first, and it reads currentUser() at once: the
	// login must still be told.
	runSteps(t, c, []step{{"tab C listens", listenAll, `true`}})
	runSteps(t, a, []step{{"tab A logs in and remembers", `window.auth = new mod.default(); auth.login('pia@example.com', 'pia-pw', true).then(u => u.email)`, `"pia@example.com"`}})
	waitUntil(t, b, "tab B saw no login", `seen.join() === 'login:pia@example.com'`)
	waitUntil(t, c, "tab C saw no login after its own listener read the user", `seen.join() === 'login:pia@example.com' && early && early.email === 'pia@example.com'`)
	runSteps(t, b, []step{{"tab B's current user is the one its listener got", `(window.held = auth.currentUser()).email`, `"pia@example.com"`}})

	runSteps(t, a, []step{{"tab A refreshes", `auth.currentUser().jwt(true).then(() => true)`, `true`}})
	waitUntil(t, b, "tab B saw no token_refresh", `seen.join() === 'login:pia@example.com,token_refresh:pia@example.com'`)
	// As in gotrue-js's contract, another tab's write drops the cached
	// user: currentUser() reads storage again, and holds tab A's token.
	runSteps(t, b, []step{{"tab B's current user holds tab A's token, read from storage", `(u => u !== held && u._fromStorage && u.token.access_token === JSON.parse(localStorage.getItem('gotrue.user')).token.access_token)(auth.currentUser())`, `true`}})

	runSteps(t, a, []step{{"tab A logs out", `auth.currentUser().logout().then(() => true)`, `true`}})
	waitUntil(t, b, "tab B saw no logout", `seen.join() === 'login:pia@example.com,token_refresh:pia@example.com,logout'`)
	runSteps(t, b, []step{{"tab B has no user", `auth.currentUser()`, `null`}})
}

// openWithEarlyScript opens a testdata page with script run before any of
// the page's own (as a page's inline script before its module would be).
func (s *site) openWithEarlyScript(t *testing.T, path, script string) context.Context {
	t.Helper()
	tab := newTab(t, 60*time.Second)
	s.api.set(s.Site, tab)
	if err := chromedp.Run(tab, chromedp.ActionFunc(func(ctx context.Context) error {
		_, err := page.AddScriptToEvaluateOnNewDocument(script).Do(ctx)
		return err
	})); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(tab, chromedp.Navigate(s.URL+path), pagetest.WaitFor(`document.documentElement.dataset.state === 'ready'`)); err != nil {
		t.Fatalf("loading %s: %v", path, err)
	}
	return tab
}
