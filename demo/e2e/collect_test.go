package e2e

import (
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/chromedp"

	"github.com/gotrue-wasm/gotrue-wasm/demo/devserver"
	"github.com/gotrue-wasm/gotrue-wasm/internal/pagetest"
)

// Users a page drops are collected, and Go lets go of them: login, jwt()
// and logout in a loop, as a long-lived page does, must not grow the
// objects alive or Go's handles from one round to the next. (A small Go
// string kept per user once pinned every user object through Go's
// tiny-allocator blocks: 1,450 alive after three rounds.)
func TestDroppedUsersAreCollected(t *testing.T) {
	s := startSite(t)
	tab := s.harness(t, oursModule)
	type reading struct{ Alive, Handles, Users int }
	read := func() reading {
		t.Helper()
		for i := 0; i < 3; i++ { // collect, let the registry release, collect again
			if err := chromedp.Run(tab, heapprofiler.CollectGarbage()); err != nil {
				t.Fatal(err)
			}
			var done bool
			if err := pagetest.Await(tab, `new Promise((r) => setTimeout(() => r(true), 100))`, &done); err != nil {
				t.Fatal(err)
			}
		}
		var r reading
		expr := `(() => {
			const d = globalThis.__gotrueWasm.debugHandles();
			return {alive: (globalThis.__refs || []).filter((r) => r.deref()).length, handles: d.handles, users: d.users};
		})()`
		if err := pagetest.Await(tab, expr, &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	const cycles = 300
	churn := fmt.Sprintf(`(async () => {
		const g = new mod.default();
		for (let i = 0; i < %d; i++) {
			const u = await g.login(%q, %q, true);
			(globalThis.__refs ||= []).push(new WeakRef(u));
			await u.jwt();
			u.token = {...u.token}; // a page write, read back by the next call
			await u.getUserData();
			await u.logout();
		}
		return true;
	})()`, cycles, devserver.AdminEmail, devserver.AdminPassword)
	var rounds []reading
	for i := 0; i < 3; i++ {
		var ok bool
		if err := pagetest.Await(tab, churn, &ok); err != nil {
			t.Fatal(err)
		}
		rounds = append(rounds, read())
	}
	t.Logf("after each round of %d logins: %+v", cycles, rounds)
	last := rounds[len(rounds)-1]
	if last.Alive > cycles/2 || last.Handles > cycles/2 || last.Users > cycles/2 {
		t.Errorf("after %d rounds of %d logins, %d users are alive and Go holds %d handles (%d users): dropped users are kept", len(rounds), cycles, last.Alive, last.Handles, last.Users)
	}
}
