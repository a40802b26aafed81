package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/gotrue-wasm/gotrue-wasm/internal/pagetest"
)

// profile is a network the loads run on; a nil Conditions is the
// loopback as it is.
type profile struct {
	Name       string
	Conditions *network.Conditions
}

// fast3G is DevTools' classic "Fast 3G" as the issue states it. DevTools'
// own preset scales these numbers (latency × 3.75, throughput × 0.9);
// these are the ones applied, as said.
var fast3G = profile{
	Name: "Fast 3G",
	Conditions: &network.Conditions{
		Latency:            150,       // ms from request sent to headers received
		DownloadThroughput: 1.6e6 / 8, // bytes/s
		UploadThroughput:   750e3 / 8, // bytes/s
		ConnectionType:     network.ConnectionTypeCellular3g,
	},
}

var unthrottled = profile{Name: "unthrottled"}

// The keys of the loads that are not Fast 3G's, and how many warm loads
// of each page go unrecorded: the first fills the HTTP cache, the second
// lets Chromium cache the compiled wasm it has by then.
const (
	coldKey  = "cold"
	warmKey  = "warm"
	warmSkip = 2
)

func (p profile) String() string {
	c := p.Conditions
	if c == nil {
		return p.Name + " (loopback, no emulation)"
	}
	return fmt.Sprintf("%s: %.1f Mbps down, %.0f kbps up, %.0f ms RTT", p.Name,
		c.DownloadThroughput*8/1e6, c.UploadThroughput*8/1e3, c.Latency)
}

// The three pages whose time to ready is measured, in pages/. Each starts
// with a saved session in localStorage; the clients' pages note when their
// first currentUser() answered it.
type readyPage struct {
	key, path string
	wasm      string // the URL path of its wasm module; "" for gotrue-js
}

var readyPages = []readyPage{
	{"wasm", "/bench/ready-wasm.html", "/js/gotrue.wasm"},
	{"ref", "/bench/ready-ref.html", ""},
	{"bare", "/bench/ready-bare.html", "/bare/bare.wasm"},
}

// loadResult is one load: ms from navigation start until GoTrue (or the
// bare program) was ready and until currentUser() answered the saved
// session (0 for the floor), and the response bodies' bytes as they came
// over the wire.
type loadResult struct {
	Ready float64 `json:"ready"`
	User  float64 `json:"user"`
	Wire  float64 `json:"wire"`
	Error string  `json:"error"`
}

// loadPage loads url in tab under p, the cache disabled or not, with
// session saved in localStorage before any script of the page runs, and
// waits until it is ready.
func loadPage(tab context.Context, url string, p profile, cacheDisabled bool, session string) (loadResult, error) {
	ctx, cancelT := context.WithTimeout(tab, 90*time.Second)
	defer cancelT()
	quoted, _ := json.Marshal(session) // a string: no error
	actions := []chromedp.Action{
		network.SetCacheDisabled(cacheDisabled),
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, err := page.AddScriptToEvaluateOnNewDocument("localStorage.setItem('gotrue.user', " + string(quoted) + ")").Do(ctx)
			return err
		}),
	}
	if p.Conditions != nil {
		actions = append(actions, chromedp.ActionFunc(func(ctx context.Context) error {
			// The rule form replaced Network.emulateNetworkConditions; an
			// empty URL pattern matches every request.
			_, err := network.EmulateNetworkConditionsByRule([]*network.Conditions{p.Conditions}).Do(ctx)
			return err
		}))
	}
	actions = append(actions, chromedp.Navigate(url), pagetest.WaitFor(`window.__ready || window.__error`))
	if err := chromedp.Run(ctx, actions...); err != nil {
		return loadResult{}, fmt.Errorf("loading %s: %w", url, err)
	}
	var r loadResult
	err := pagetest.Await(ctx, `({
		ready: window.__ready || 0,
		user: window.__user || 0,
		error: window.__error || '',
		wire: performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
			.reduce((sum, e) => sum + e.encodedBodySize, 0),
	})`, &r)
	if err == nil && r.Error != "" {
		err = fmt.Errorf("%s: %s", url, r.Error)
	}
	return r, err
}

// coldLoad opens url in a fresh browser context (its own cache, storage
// and connections) with the cache disabled, under p, and waits for ready.
func coldLoad(browser context.Context, url string, p profile, session string) (loadResult, error) {
	tab, cancel, err := newIsolatedTab(browser)
	if err != nil {
		return loadResult{}, err
	}
	defer cancel()
	return loadPage(tab, url, p, true, session)
}

// warmLoad opens url in a new tab of the browser's default context, the
// one with a profile on disk, with the cache enabled: a visitor who comes
// back. Chromium keeps compiled wasm (V8's code cache) only there: an
// off-the-record context, which newIsolatedTab makes, has no code cache.
func warmLoad(browser context.Context, url, session string) (loadResult, error) {
	tab, cancel, err := newDefaultTab(browser)
	if err != nil {
		return loadResult{}, err
	}
	defer cancel()
	return loadPage(tab, url, unthrottled, false, session)
}

// loads are n loads of each ready page, interleaved (wasm, ref, bare,
// then ref, bare, wasm, …) so that a slow spell of the shared machine hits
// all three alike, after skip unrecorded rounds (load's fill is true for
// those). sessions holds each client's saved session by page key.
func loads(what string, n, skip int, sessions map[string]string, progress io.Writer, load func(pg readyPage, session string, fill bool) (loadResult, error)) (ready, user, wire map[string]Sample, err error) {
	ready, user, wire = map[string]Sample{}, map[string]Sample{}, map[string]Sample{}
	for round := -skip; round < n; round++ {
		for k := range readyPages {
			pg := readyPages[(k+max(round, 0))%len(readyPages)]
			r, err := load(pg, sessions[pg.key], round < 0)
			for try := 1; err != nil && try < 3; try++ {
				// A poll can race the navigation that replaces the page's
				// execution context ("Cannot find context with specified
				// id"): load again in a new tab.
				fmt.Fprintf(progress, "%s: %v; loading again\n", what, err)
				r, err = load(pg, sessions[pg.key], round < 0)
			}
			if err == nil && pg.key != "bare" && r.User == 0 {
				err = fmt.Errorf("%s: currentUser() answered no user for the saved session", pg.path)
			}
			if err != nil {
				return nil, nil, nil, err
			}
			if round >= 0 {
				ready[pg.key] = append(ready[pg.key], r.Ready)
				wire[pg.key] = append(wire[pg.key], r.Wire)
				if pg.key != "bare" {
					user[pg.key] = append(user[pg.key], r.User)
				}
			}
		}
		if done := round + 1; done == n || done > 0 && done%10 == 0 {
			fmt.Fprintf(progress, "%s: %d/%d loads of each page\n", what, done, n)
		}
	}
	return ready, user, wire, nil
}
