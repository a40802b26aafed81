// Package chrome starts the headless Chromium that the end-to-end tests and
// the benchmark drive with chromedp, with the flags this kind of machine
// needs: no background networking (the network is closed, and Chromium
// otherwise retries its own services many times a second), no GPU, a fresh
// profile per browser.
package chrome

import (
	"context"
	"os/exec"

	"github.com/chromedp/chromedp"
)

// ExecPath finds Chromium or Chrome on PATH; "" lets chromedp search.
func ExecPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New starts a browser and returns a context for its first tab. Cancel it
// to close the browser. extra adds allocator options (a window size, say).
func New(parent context.Context, extra ...chromedp.ExecAllocatorOption) (context.Context, context.CancelFunc) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
	)
	if p := ExecPath(); p != "" {
		opts = append(opts, chromedp.ExecPath(p))
	}
	opts = append(opts, extra...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	return ctx, func() {
		cancelCtx()
		cancelAlloc()
	}
}
