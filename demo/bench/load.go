package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/gotrue-wasm/gotrue-wasm/demo/internal/pagetest"
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

func (p profile) String() string {
	c := p.Conditions
	if c == nil {
		return p.Name + " (loopback, no emulation)"
	}
	return fmt.Sprintf("%s: %.1f Mbps down, %.0f kbps up, %.0f ms RTT", p.Name,
		c.DownloadThroughput*8/1e6, c.UploadThroughput*8/1e3, c.Latency)
}

// The three pages of a cold load, in pages/.
var readyPages = []struct{ key, path string }{
	{"wasm", "/bench/ready-wasm.html"},
	{"ref", "/bench/ready-ref.html"},
	{"bare", "/bench/ready-bare.html"},
}

// loadResult is one cold load: ms from navigation start until GoTrue (or
// the bare program) was ready, and the response bodies' bytes as they
// came over the wire.
type loadResult struct {
	Ready float64 `json:"ready"`
	Wire  float64 `json:"wire"`
	Error string  `json:"error"`
}

// coldLoad opens url in a fresh browser context (its own cache, storage
// and connections) with the cache disabled, under p, and waits for ready.
func coldLoad(browser context.Context, url string, p profile) (loadResult, error) {
	ctx, cancel, err := newIsolatedTab(browser)
	if err != nil {
		return loadResult{}, err
	}
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 90*time.Second)
	defer cancelT()
	actions := []chromedp.Action{network.SetCacheDisabled(true)}
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
	err = pagetest.Await(ctx, `({
		ready: window.__ready || 0,
		error: window.__error || '',
		wire: performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))
			.reduce((sum, e) => sum + e.encodedBodySize, 0),
	})`, &r)
	if err == nil && r.Error != "" {
		err = fmt.Errorf("%s: %s", url, r.Error)
	}
	return r, err
}

// readyTimes makes n cold loads of each page, interleaved (wasm, ref,
// bare, then ref, bare, wasm, …) so that a slow spell of the shared
// machine hits all three alike. With warmUp, an unrecorded round comes
// first: the first loads of a new browser pay for starting its processes.
func readyTimes(browser context.Context, base string, p profile, n int, warmUp bool, progress io.Writer) (ready, wire map[string]Sample, err error) {
	ready, wire = map[string]Sample{}, map[string]Sample{}
	first := 0
	if warmUp {
		first = -1
	}
	for round := first; round < n; round++ {
		for k := range readyPages {
			pg := readyPages[(k+max(round, 0))%len(readyPages)]
			r, err := coldLoad(browser, base+pg.path, p)
			for try := 1; err != nil && try < 3; try++ {
				// A poll can race the navigation that replaces the page's
				// execution context ("Cannot find context with specified
				// id"): load again in a new context.
				fmt.Fprintf(progress, "time to ready, %s: %v; loading again\n", p.Name, err)
				r, err = coldLoad(browser, base+pg.path, p)
			}
			if err != nil {
				return nil, nil, err
			}
			if round >= 0 {
				ready[pg.key] = append(ready[pg.key], r.Ready)
				wire[pg.key] = append(wire[pg.key], r.Wire)
			}
		}
		if done := round + 1; done == n || done%10 == 0 {
			fmt.Fprintf(progress, "time to ready, %s: %d/%d cold loads of each page\n", p.Name, done, n)
		}
	}
	return ready, wire, nil
}
