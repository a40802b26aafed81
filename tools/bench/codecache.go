package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"time"

	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

// Chromium keeps the compiled code of a wasm module in the profile's code
// cache (Default/Code Cache/wasm, a disk cache whose entry files hold their
// key, the module's URL) when V8 offers it: once a module compiled by
// WebAssembly.instantiateStreaming or compileStreaming from a cacheable
// response has tiered up some functions and no more tiered up for two
// seconds (V8's --wasm-caching-timeout-ms). The cache is keyed by URL and
// checked against the response, so a 304 keeps it.

// codeCacheEntry answers the bytes of the code cache entry for url in the
// profile at dir, 0 when there is none.
func codeCacheEntry(dir, url string) int64 {
	files, _ := filepath.Glob(filepath.Join(dir, "Default", "Code Cache", "wasm", "*_0"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err == nil && bytes.Contains(data, []byte(url)) {
			return int64(len(data))
		}
	}
	return 0
}

// awaitCodeCache polls the profile until it holds compiled code for url,
// as a visitor's first visit stays on the page long enough for Chromium
// to cache it; 0 when none came within limit.
func awaitCodeCache(dir, url string, limit time.Duration) int64 {
	deadline := time.Now().Add(limit)
	for {
		if n := codeCacheEntry(dir, url); n > 0 || time.Now().After(deadline) {
			return n
		}
		time.Sleep(100 * time.Millisecond) // the browser writes it on its own schedule: poll
	}
}

// cacheHit is what a trace of one load says about a wasm module: whether
// V8 took its compiled code from the code cache, and how many bytes.
type cacheHit struct {
	Hit   bool
	Bytes int64
}

// tracedWarmLoad is a warm load of page that records Chromium's timeline
// trace and answers whether the module at wasmURL came from the code
// cache (the trace event v8.wasm.moduleCacheHit). It is not timed: the
// trace costs time.
func tracedWarmLoad(browser context.Context, page, wasmURL, session string) (cacheHit, error) {
	tab, cancel, err := newDefaultTab(browser)
	if err != nil {
		return cacheHit{}, err
	}
	defer cancel()
	var hit cacheHit
	done := make(chan struct{})
	chromedp.ListenTarget(tab, func(ev any) {
		switch e := ev.(type) {
		case *tracing.EventDataCollected:
			for _, raw := range e.Value {
				if !bytes.Contains([]byte(raw), []byte("v8.wasm.moduleCacheHit")) {
					continue
				}
				var te struct {
					Name string
					Args struct {
						URL               string `json:"url"`
						ConsumedCacheSize int64  `json:"consumedCacheSize"`
					}
				}
				if json.Unmarshal([]byte(raw), &te) == nil && te.Name == "v8.wasm.moduleCacheHit" && te.Args.URL == wasmURL {
					hit = cacheHit{Hit: true, Bytes: te.Args.ConsumedCacheSize}
				}
			}
		case *tracing.EventTracingComplete:
			close(done)
		}
	})
	start := tracing.Start().WithTransferMode(tracing.TransferModeReportEvents).
		WithTraceConfig(&tracing.TraceConfig{IncludedCategories: []string{"disabled-by-default-devtools.timeline"}})
	if err := chromedp.Run(tab, start); err != nil {
		return cacheHit{}, err
	}
	if _, err := loadPage(tab, page, unthrottled, false, session); err != nil {
		return cacheHit{}, err
	}
	if err := chromedp.Run(tab, tracing.End()); err != nil {
		return cacheHit{}, err
	}
	ctx, cancelT := context.WithTimeout(tab, 30*time.Second)
	defer cancelT()
	select {
	case <-done:
	case <-ctx.Done():
		return cacheHit{}, ctx.Err()
	}
	return hit, nil
}
