package pagetest

import (
	"net/http"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The harness serves the demo origin and a page that loads gotrue.wasm
// through the ES module loader, then calls it.
func TestSiteAndBrowser(t *testing.T) {
	site := StartSite(t, Options{Handle: map[string]http.Handler{
		"/t.html": http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte(`<script type="module">import GoTrue from '/js/gotrue.mjs'; window.g = new GoTrue({APIUrl: '/.netlify/identity'});</script>`))
		}),
	}})
	ctx := WithTimeout(t, NewBrowser(t), 60*time.Second)
	if err := chromedp.Run(ctx, chromedp.Navigate(site.URL+"/t.html"), WaitFor(`window.g`)); err != nil {
		t.Fatal(err)
	}
	var settings struct {
		External map[string]bool `json:"external"`
	}
	if err := Await(ctx, `g.settings()`, &settings); err != nil {
		t.Fatal(err)
	}
	if !settings.External["email"] {
		t.Fatalf("settings = %+v", settings)
	}
	tab := NewTab(t, ctx)
	var url string
	if err := chromedp.Run(tab, chromedp.Navigate(site.URL+"/t.html"), WaitFor(`window.g`), chromedp.Evaluate(`g.loginExternalUrl('github')`, &url)); err != nil {
		t.Fatal(err)
	}
	if url != "/.netlify/identity/authorize?provider=github" {
		t.Fatalf("url = %q", url)
	}
}
