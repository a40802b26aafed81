package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/gotrue-wasm/gotrue-wasm/demo/internal/pagetest"
)

// firstRefreshes times the first jwt(true) of n fresh pages per client,
// interleaved: what a returning visitor's page pays when its first call
// forces a refresh. Each page opens in a new browser context with the
// client's session saved before any of its scripts runs; the rotated
// session it saves seeds the next page.
func firstRefreshes(browser context.Context, clients []*client, n int, progress io.Writer) (map[string]Sample, error) {
	saved := map[string]string{}
	for _, c := range clients {
		if err := c.login(); err != nil {
			return nil, err
		}
		var s string
		if err := c.call("saved()", &s); err != nil {
			return nil, err
		}
		saved[c.key] = s
	}
	out := map[string]Sample{}
	for i := 0; i < n; i++ {
		err := alternate(i, clients, func(c *client) error {
			ms, next, err := firstRefresh(browser, c.url, saved[c.key])
			if err != nil {
				return fmt.Errorf("%s: first jwt(true): %w", c.key, err)
			}
			out[c.key] = append(out[c.key], ms)
			saved[c.key] = next
			return nil
		})
		if err != nil {
			return nil, err
		}
		if done := i + 1; done == n || done%10 == 0 {
			fmt.Fprintf(progress, "first jwt(true): %d/%d fresh pages of each client\n", done, n)
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

// firstRefresh loads url in a fresh browser context with session saved
// and answers the ms its first jwt(true) took and the session it saved.
func firstRefresh(browser context.Context, url, session string) (float64, string, error) {
	ctx, cancel, err := newIsolatedTab(browser)
	if err != nil {
		return 0, "", err
	}
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, time.Minute)
	defer cancelT()
	quoted, _ := json.Marshal(session) // a string: no error
	seed := "localStorage.setItem('gotrue.user', " + string(quoted) + ")"
	err = chromedp.Run(ctx,
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, err := page.AddScriptToEvaluateOnNewDocument(seed).Do(ctx)
			return err
		}),
		chromedp.Navigate(url),
		pagetest.WaitFor(`window.__ready || window.__error`))
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
