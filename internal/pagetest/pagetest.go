// Package pagetest runs the demo origin on a local port and drives pages
// in headless Chromium: the shared harness of the end-to-end tests, the
// reliability tests and the benchmark, which load gotrue.wasm (or the
// reference gotrue-js) the way a front-end developer's page does.
package pagetest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"

	"github.com/gotrue-wasm/gotrue-wasm/demo/devserver"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
	"github.com/gotrue-wasm/gotrue-wasm/internal/chrome"
)

// Root is the repository's root: the folder above the working directory
// that holds go.mod.
func Root(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("pagetest: no go.mod above the working directory")
		}
		dir = parent
	}
}

// ReferenceDir is where `make reference` installs gotrue-js 1.0.1.
func ReferenceDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(Root(t), "demo", "reference", "node_modules", "gotrue-js")
	if _, err := os.Stat(filepath.Join(dir, "lib", "index.js")); err != nil {
		t.Fatalf("pagetest: gotrue-js is not installed in %s: run `make reference`", dir)
	}
	return dir
}

// JSDir is the loader folder, with gotrue.wasm built by `make wasm`.
func JSDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(Root(t), "js")
	if _, err := os.Stat(filepath.Join(dir, "gotrue.wasm")); err != nil {
		t.Fatalf("pagetest: %s/gotrue.wasm is missing: run `make wasm`", dir)
	}
	return dir
}

// Site is the demo origin on a local port: the site, the loader, the
// identity API at /.netlify/identity and the mailbox, plus extra folders.
type Site struct {
	URL      string
	Dev      *devserver.Server
	Identity *gotruetest.Server
}

// Options adjust a Site.
type Options struct {
	// Config is the dev server's; JSDir defaults to the checkout's js/.
	Config devserver.Config
	// Mount serves extra folders: URL prefix (like "/ref/") → folder.
	Mount map[string]string
	// Handle serves extra handlers: URL pattern → handler.
	Handle map[string]http.Handler
}

// StartSite starts a fresh origin for the test and stops it at the end.
func StartSite(t testing.TB, opt Options) *Site {
	t.Helper()
	cfg := opt.Config
	if cfg.JSDir == "" {
		cfg.JSDir = JSDir(t)
	}
	dev, err := devserver.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/", dev)
	for prefix, dir := range opt.Mount {
		mux.Handle(prefix, http.StripPrefix(strings.TrimSuffix(prefix, "/"), http.FileServer(http.Dir(dir))))
	}
	for pattern, h := range opt.Handle {
		mux.Handle(pattern, h)
	}
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	dev.SetSiteURL(ts.URL)
	return &Site{URL: ts.URL, Dev: dev, Identity: dev.Identity()}
}

// NewBrowser starts a headless Chromium for the test and returns the
// context of its first tab; it is closed at the end of the test.
func NewBrowser(t testing.TB, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	ctx, cancel, err := StartBrowser(extra...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cancel)
	return ctx
}

// StartBrowser starts a headless Chromium outside any one test, for a
// package that shares a browser between its tests (started once, closed
// by TestMain); cancel closes it.
func StartBrowser(extra ...chromedp.ExecAllocatorOption) (context.Context, context.CancelFunc, error) {
	if chrome.ExecPath() == "" {
		return nil, nil, errors.New("pagetest: no Chromium on PATH: run through make, which installs Debian's chromium")
	}
	ctx, cancel := chrome.New(context.Background(), extra...)
	if err := chromedp.Run(ctx); err != nil { // start the browser now
		cancel()
		return nil, nil, fmt.Errorf("pagetest: starting Chromium: %w", err)
	}
	return ctx, cancel, nil
}

// Cookies reads the browser's cookies for the URLs through CDP, HttpOnly
// ones included, which the page itself cannot see.
func Cookies(ctx context.Context, urls ...string) ([]*network.Cookie, error) {
	var out []*network.Cookie
	err := chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		out, err = network.GetCookies().WithURLs(urls).Do(ctx)
		return err
	}))
	return out, err
}

// ClearStorage removes what the browser keeps for an origin (localStorage,
// IndexedDB, caches, its cookies): a test server's port, and so its
// origin, may come back in a later test of the same browser.
func ClearStorage(ctx context.Context, origin string) error {
	return chromedp.Run(ctx, storage.ClearDataForOrigin(origin, "all"))
}

// ClearCookies removes every cookie of the browser. Cookies do not
// isolate ports, so two sites on 127.0.0.1 share them.
func ClearCookies(ctx context.Context) error {
	return chromedp.Run(ctx, network.ClearBrowserCookies())
}

// NewTab opens another tab of the same browser (same profile, so the same
// localStorage and cookies: another tab of the user's).
func NewTab(t testing.TB, browser context.Context) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	if err := chromedp.Run(ctx); err != nil {
		t.Fatal(err)
	}
	return ctx
}

// Await evaluates a JavaScript expression in the page, awaits it if it is
// a Promise, and decodes its JSON value into out (nil to ignore it).
func Await(ctx context.Context, expr string, out any) error {
	return chromedp.Run(ctx, chromedp.Evaluate(expr, out, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
		return p.WithAwaitPromise(true)
	}))
}

// WithTimeout bounds one step of a test.
func WithTimeout(t testing.TB, ctx context.Context, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(ctx, d)
	t.Cleanup(cancel)
	return ctx
}

// WaitFor polls a JavaScript expression until it is truthy.
func WaitFor(expr string) chromedp.Action {
	var ok bool
	return chromedp.Poll("!!("+expr+")", &ok, chromedp.WithPollingInterval(20*time.Millisecond))
}
