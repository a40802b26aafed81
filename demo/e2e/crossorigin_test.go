package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gotrue-wasm/gotrue-wasm/demo/devserver"
	"github.com/gotrue-wasm/gotrue-wasm/internal/pagetest"
)

// A page on another origin (an app's own dev server, say) can use the
// demo's identity API when the demo allows that origin (-allow-origin),
// and gets the browser's CORS refusal when it does not.
func TestCrossOriginPage(t *testing.T) {
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/js/", http.StripPrefix("/js", http.FileServer(http.Dir(pagetest.JSDir(t)))))
	mux.Handle("/e2e/", http.StripPrefix("/e2e", http.FileServer(http.Dir(testdata))))
	app := httptest.NewServer(mux)
	t.Cleanup(app.Close)

	for _, allowed := range []bool{true, false} {
		t.Run(fmt.Sprintf("allowed=%v", allowed), func(t *testing.T) {
			cfg := devserver.Config{Autoconfirm: true}
			if allowed {
				cfg.AllowedOrigins = []string{app.URL}
			}
			demo := pagetest.StartSite(t, pagetest.Options{Config: cfg})
			tab := newTab(t, 60*time.Second)
			if err := chromedp.Run(tab, chromedp.Navigate(app.URL+"/e2e/blank.html")); err != nil {
				t.Fatal(err)
			}
			flow := fmt.Sprintf(`(async () => {
				const { default: GoTrue } = await import('/js/gotrue.mjs');
				const auth = new GoTrue({ APIUrl: %q });
				try {
					await auth.signup('cross@example.com', 'cross-pw');
					const user = await auth.login('cross@example.com', 'cross-pw', true);
					const fresh = await user.getUserData();
					await user.logout();
					return { email: fresh.email, current: auth.currentUser() };
				} catch (e) {
					return { failed: e instanceof Error };
				}
			})()`, demo.URL+devserver.IdentityPath)
			if allowed {
				runSteps(t, tab, []step{{"signup, login, getUserData, logout from " + app.URL, flow, `{"email":"cross@example.com","current":null}`}})
				return
			}
			runSteps(t, tab, []step{{"the browser refuses the API to " + app.URL, flow, `{"failed":true}`}})
			if n := len(demo.Identity.Users()); n != 1 { // the seeded admin
				t.Errorf("the refused signup created a user anyway: %d users", n)
			}
		})
	}
}
