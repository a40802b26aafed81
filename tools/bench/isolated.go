package main

import (
	"context"
	"errors"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// newIsolatedTab opens a tab in a new browser context of the browser: its
// own cache, cookies, localStorage and connections, like another person's
// browser. chromedp.WithNewBrowserContext cannot do this with headless
// Chromium 156: the tab it creates has no window to go in ("Failed to open
// new tab - no browser is open"), so this one is made in a new window.
// cancel closes the tab and disposes of its browser context.
func newIsolatedTab(browser context.Context) (context.Context, context.CancelFunc, error) {
	c := chromedp.FromContext(browser)
	if c == nil || c.Browser == nil {
		return nil, nil, errors.New("newIsolatedTab needs the context of a running browser")
	}
	exec := cdp.WithExecutor(browser, c.Browser)
	bc, err := target.CreateBrowserContext().Do(exec)
	if err != nil {
		return nil, nil, err
	}
	dispose := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = target.DisposeBrowserContext(bc).Do(cdp.WithExecutor(ctx, c.Browser))
	}
	id, err := target.CreateTarget("about:blank").WithBrowserContextID(bc).WithNewWindow(true).Do(exec)
	if err != nil {
		dispose()
		return nil, nil, err
	}
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithTargetID(id))
	closeTab := func() {
		cancel() // closes the tab
		dispose()
	}
	if err := chromedp.Run(ctx); err != nil { // attach now
		closeTab()
		return nil, nil, err
	}
	return ctx, closeTab, nil
}

// newDefaultTab opens a tab in a new window of the browser's default
// context, which shares its cache (HTTP and code cache, on disk in the
// profile) and storage with the browser's first tab. cancel closes it.
func newDefaultTab(browser context.Context) (context.Context, context.CancelFunc, error) {
	c := chromedp.FromContext(browser)
	if c == nil || c.Browser == nil {
		return nil, nil, errors.New("newDefaultTab needs the context of a running browser")
	}
	id, err := target.CreateTarget("about:blank").WithNewWindow(true).Do(cdp.WithExecutor(browser, c.Browser))
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithTargetID(id))
	if err := chromedp.Run(ctx); err != nil { // attach now
		cancel()
		return nil, nil, err
	}
	return ctx, cancel, nil
}
