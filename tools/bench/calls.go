package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/chromedp"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
	"github.com/gotrue-wasm/gotrue-wasm/internal/pagetest"
)

// client is one side of the comparison in its own page: gotrue.wasm or
// gotrue-js, each in its own browser context (so that the two never share
// localStorage) and with its own user (so that one's logout, which revokes
// all of a user's refresh tokens, never touches the other's session).
type client struct {
	key             string // "wasm" or "ref"
	url             string // its page
	ctx             context.Context
	email, password string
}

// openClient seeds the client's user and loads its page in a fresh
// browser context.
func openClient(h *harness, browser context.Context, id *gotruetest.Server, key, url string) *client {
	c := &client{key: key, url: url, email: "bench-" + key + "@example.com", password: "bench-password-" + key}
	if _, err := id.CreateUser(gotruetest.UserParams{Email: c.email, Password: c.password, Confirmed: true}); err != nil {
		h.Fatal(err)
	}
	c.ctx = openPage(h, browser, url)
	return c
}

// call awaits bench.<expr> in the client's page.
func (c *client) call(expr string, out any) error {
	ctx, cancel := context.WithTimeout(c.ctx, 5*time.Minute)
	defer cancel()
	if err := pagetest.Await(ctx, "window.bench."+expr, out); err != nil {
		return fmt.Errorf("%s: bench.%s: %w", c.key, expr, err)
	}
	return nil
}

func (c *client) login() error {
	var ok bool
	if err := c.call("login("+strconv.Quote(c.email)+", "+strconv.Quote(c.password)+")", &ok); err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%s: login answered a user with another email", c.key)
	}
	return nil
}

func (c *client) logout() error { return c.call("logout()", nil) }

// alternate runs f for each client, the first one changing every round.
func alternate(round int, clients []*client, f func(*client) error) error {
	for i := range clients {
		if err := f(clients[(i+round)%len(clients)]); err != nil {
			return err
		}
	}
	return nil
}

// hotOps are the calls that answer at once.
var hotOps = []string{"currentUser", "tokenDetails", "jwt", "loginExternalUrl"}

// floorOps are the floor page's no-op counterparts of the hot calls, and
// floorOnly the calls measured only there (see tools/callfloor/main.go).
var (
	floorOps  = map[string]string{"currentUser": "funcOf", "tokenDetails": "funcOf", "jwt": "funcOfAwait", "loginExternalUrl": "funcOf"}
	floorOnly = []string{"funcOfLookup", "wasmexport", "wasmexportLookup"}
)

// openPage loads a page without a client in a fresh browser context.
func openPage(h *harness, browser context.Context, url string) context.Context {
	ctx, cancel, err := newIsolatedTab(browser)
	if err != nil {
		h.Fatal(err)
	}
	h.Cleanup(cancel)
	if err := chromedp.Run(ctx, chromedp.Navigate(url), pagetest.WaitFor(`window.__ready || window.__error`)); err != nil {
		h.Fatalf("loading %s: %v", url, err)
	}
	var failed string
	if err := pagetest.Await(ctx, `window.__error || ''`, &failed); err != nil || failed != "" {
		h.Fatalf("%s: %v%s", url, err, failed)
	}
	return ctx
}

// hotCalls measures calls per second of each op for each client and of
// its counterpart in the floor page, reps times, interleaved; each measure
// runs for at least window. The floor's figures are under the key "bare".
func hotCalls(clients []*client, floor context.Context, reps int, window time.Duration) (map[string]map[string]Sample, error) {
	out := map[string]map[string]Sample{}
	for _, op := range append(hotOps, floorOnly...) {
		out[op] = map[string]Sample{}
	}
	for _, c := range clients {
		if err := c.login(); err != nil {
			return nil, err
		}
	}
	floorRate := func(op, name string) error {
		var r float64
		if err := pagetest.Await(floor, fmt.Sprintf("window.bench.rate(%q, %d)", name, window.Milliseconds()), &r); err != nil {
			return fmt.Errorf("floor: rate(%q): %w", name, err)
		}
		out[op]["bare"] = append(out[op]["bare"], r)
		return nil
	}
	for rep := 0; rep < reps; rep++ {
		for _, op := range hotOps {
			err := alternate(rep, clients, func(c *client) error {
				var r float64
				if err := c.call(fmt.Sprintf("rate(%q, %d)", op, window.Milliseconds()), &r); err != nil {
					return err
				}
				out[op][c.key] = append(out[op][c.key], r)
				return nil
			})
			if err == nil {
				err = floorRate(op, floorOps[op])
			}
			if err != nil {
				return nil, err
			}
		}
		for _, name := range floorOnly {
			if err := floorRate(name, name); err != nil {
				return nil, err
			}
		}
	}
	for _, c := range clients {
		if err := c.logout(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// tripSteps are the steps of a round trip, as bench.trips names them,
// then the forced refresh.
var tripSteps = []string{"login", "getUserData", "logout", "cycle", "jwt(true)"}

// roundTrips times n login → getUserData → logout rounds and n jwt(true)
// per client, in chunks of chunk that alternate between the clients.
func roundTrips(clients []*client, n, chunk int, progress io.Writer) (map[string]map[string]Sample, error) {
	out := map[string]map[string]Sample{}
	for _, s := range tripSteps {
		out[s] = map[string]Sample{}
	}
	for done, round := 0, 0; done < n; done, round = done+chunk, round+1 {
		k := min(chunk, n-done)
		err := alternate(round, clients, func(c *client) error {
			var r map[string]Sample
			if err := c.call(fmt.Sprintf("trips(%q, %q, %d)", c.email, c.password, k), &r); err != nil {
				return err
			}
			for step, v := range r {
				out[step][c.key] = append(out[step][c.key], v...)
			}
			if err := c.login(); err != nil {
				return err
			}
			var jwts Sample
			if err := c.call(fmt.Sprintf("refreshes(%d)", k), &jwts); err != nil {
				return err
			}
			out["jwt(true)"][c.key] = append(out["jwt(true)"][c.key], jwts...)
			return c.logout()
		})
		if err != nil {
			return nil, err
		}
		if done+k == n || (done+k)%100 == 0 {
			fmt.Fprintf(progress, "round trips: %d/%d\n", done+k, n)
		}
	}
	return out, nil
}

// memReading is what bench.memory() answers after a forced collection;
// NaN where a client has no such figure (gotrue-js has no linear memory).
type memReading struct {
	Heap, Wasm float64
	Handles    int // Go's handles for page objects; -1 for gotrue-js
}

// memoryRun is a client's readings before the workload, after it, and
// after it again (growth in the second round is a leak, not warm-up).
type memoryRun struct{ Before, After, Again memReading }

func (c *client) readMemory() (memReading, error) {
	// Collect, let the FinalizationRegistry callbacks release Go's
	// handles, then collect what they freed.
	for i := 0; i < 2; i++ {
		if err := chromedp.Run(c.ctx, heapprofiler.CollectGarbage()); err != nil {
			return memReading{}, fmt.Errorf("%s: HeapProfiler.collectGarbage: %w", c.key, err)
		}
		if err := c.call("settle(200)", nil); err != nil {
			return memReading{}, err
		}
	}
	var r struct {
		Heap, Wasm *float64
		Handles    *struct{ Handles int }
	}
	if err := c.call("memory()", &r); err != nil {
		return memReading{}, err
	}
	m := memReading{Heap: math.NaN(), Wasm: math.NaN(), Handles: -1}
	if r.Heap != nil {
		m.Heap = *r.Heap
	}
	if r.Wasm != nil {
		m.Wasm = *r.Wasm
	}
	if r.Handles != nil {
		m.Handles = r.Handles.Handles
	}
	return m, nil
}

// memory runs the churn workload (jwts fresh jwt() calls, then cycles
// logins and logouts) twice per client, reading memory around it.
func memory(clients []*client, jwts, cycles int) (map[string]memoryRun, error) {
	out := map[string]memoryRun{}
	churn := func(c *client, j, n int) error {
		return c.call(fmt.Sprintf("churn(%q, %q, %d, %d)", c.email, c.password, j, n), nil)
	}
	for _, c := range clients {
		// Warm up with a tenth of the workload: the first logins build
		// what any page keeps, and Go's heap settles on its size.
		if err := churn(c, max(jwts/10, 10), max(cycles/10, 2)); err != nil {
			return nil, err
		}
		var run memoryRun
		var err error
		if run.Before, err = c.readMemory(); err != nil {
			return nil, err
		}
		if err := churn(c, jwts, cycles); err != nil {
			return nil, err
		}
		if run.After, err = c.readMemory(); err != nil {
			return nil, err
		}
		if err := churn(c, jwts, cycles); err != nil {
			return nil, err
		}
		if run.Again, err = c.readMemory(); err != nil {
			return nil, err
		}
		out[c.key] = run
	}
	return out, nil
}

// concurrencyRun is a client's answers to n concurrent jwt(true), reps
// times: the /token requests the server saw each time and the time until
// all had settled.
type concurrencyRun struct {
	Requests     []int
	Settle       Sample
	Distinct     int // most distinct tokens the calls of one rep resolved to
	Failed       int
	FirstFailure string
}

func concurrency(clients []*client, id *gotruetest.Server, n, reps int) (map[string]*concurrencyRun, error) {
	out := map[string]*concurrencyRun{}
	for _, c := range clients {
		out[c.key] = &concurrencyRun{}
	}
	for rep := 0; rep < reps; rep++ {
		err := alternate(rep, clients, func(c *client) error {
			if err := c.login(); err != nil {
				return err
			}
			before := id.CountRequests("POST", "/token")
			var r struct {
				MS           float64
				Distinct     int
				Failed       int
				FirstFailure string
			}
			if err := c.call(fmt.Sprintf("concurrent(%d)", n), &r); err != nil {
				return err
			}
			run := out[c.key]
			run.Requests = append(run.Requests, id.CountRequests("POST", "/token")-before)
			run.Settle = append(run.Settle, r.MS)
			run.Distinct = max(run.Distinct, r.Distinct)
			run.Failed += r.Failed
			if run.FirstFailure == "" {
				run.FirstFailure = r.FirstFailure
			}
			return c.logout()
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
