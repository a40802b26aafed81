package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/gotrue-wasm/gotrue-wasm/internal/pagetest"
)

// firstRefreshes times the first jwt(true) of n fresh pages per client,
// interleaved: what a visitor's page pays when its first call forces a
// refresh. Each page starts with the client's session saved before any of
// its scripts runs; the rotated session it saves seeds the next page.
// With nextPage, each client's pages follow one another in one tab, as a
// visitor goes from page to page of a site (the browser keeps the compiled
// wasm of the tab's process, after one unrecorded page); otherwise each
// page is a new visitor's: a new tab in a new browser context, nothing
// cached, every function compiled as it first runs.
func firstRefreshes(browser context.Context, clients []*client, n int, nextPage bool, progress io.Writer) (map[string]Sample, error) {
	saved := map[string]string{}
	tabs := map[string]context.Context{}
	for _, c := range clients {
		if err := c.login(); err != nil {
			return nil, err
		}
		var s string
		if err := c.call("saved()", &s); err != nil {
			return nil, err
		}
		saved[c.key] = s
		if nextPage {
			tab, cancel, err := newIsolatedTab(browser)
			if err != nil {
				return nil, err
			}
			defer cancel()
			tabs[c.key] = tab
		}
	}
	kind, start := "new visitor", 0
	if nextPage {
		kind, start = "next page", -1 // one unrecorded page compiles the code
	}
	out := map[string]Sample{}
	for i := start; i < n; i++ {
		err := alternate(max(i, 0), clients, func(c *client) error {
			tab := tabs[c.key]
			if tab == nil {
				t, cancel, err := newIsolatedTab(browser)
				if err != nil {
					return err
				}
				defer cancel()
				tab = t
			}
			ms, next, err := firstRefresh(tab, c.url, saved[c.key])
			if err != nil {
				return fmt.Errorf("%s: first jwt(true), %s: %w", c.key, kind, err)
			}
			if i >= 0 {
				out[c.key] = append(out[c.key], ms)
			}
			saved[c.key] = next
			return nil
		})
		if err != nil {
			return nil, err
		}
		if done := i + 1; done == n || done > 0 && done%10 == 0 {
			fmt.Fprintf(progress, "first jwt(true), %s: %d/%d fresh pages of each client\n", kind, done, n)
		}
	}
	// The clients' pages still hold an access token the server accepts:
	// logout needs no refresh.
	for _, c := range clients {
		if err := c.logout(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// firstRefresh loads url in tab with session saved and answers the ms its
// first jwt(true) took and the session it saved.
func firstRefresh(tab context.Context, url, session string) (float64, string, error) {
	ctx, cancelT := context.WithTimeout(tab, time.Minute)
	defer cancelT()
	quoted, _ := json.Marshal(session) // a string: no error
	seed := "localStorage.setItem('gotrue.user', " + string(quoted) + ")"
	var seedID page.ScriptIdentifier
	err := chromedp.Run(ctx,
		chromedp.ActionFunc(func(ctx context.Context) (err error) {
			seedID, err = page.AddScriptToEvaluateOnNewDocument(seed).Do(ctx)
			return err
		}),
		chromedp.Navigate(url),
		pagetest.WaitFor(`window.__ready || window.__error`),
		// Only this page: the tab's next page must find the session this
		// one rotated.
		chromedp.ActionFunc(func(ctx context.Context) error {
			return page.RemoveScriptToEvaluateOnNewDocument(seedID).Do(ctx)
		}))
	if err != nil {
		return 0, "", err
	}
	var r struct {
		MS    float64
		Saved string
		Error string
	}
	if err := pagetest.Await(ctx, `window.__error ? {error: window.__error} : window.bench.firstRefresh()`, &r); err != nil {
		return 0, "", err
	}
	if r.Error != "" {
		return 0, "", fmt.Errorf("%s: %s", url, r.Error)
	}
	return r.MS, r.Saved, nil
}
