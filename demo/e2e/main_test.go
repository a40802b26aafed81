// Package e2e drives gotrue-wasm in headless Chromium the way a page does:
// user flows through the public JavaScript API (flows_test.go), and the
// side-by-side comparison with gotrue-js 1.0.1, where the same scenario
// scripts run against both clients and their transcripts must match except
// for the listed deviations (sidebyside_test.go); and gotrue-js against
// gotruetest compared with transcripts recorded from a real netlify/gotrue
// (netlify_test.go).
//
// One browser serves the whole package (a tab per page); each page gets a
// fresh site, so its origin, localStorage and module state are new.
// `make test` builds gotrue.wasm and installs the reference first.
//
// While working on scenarios: E2E_SCENARIOS=a,b runs only those, and
// E2E_TRANSCRIPTS=dir writes both normalised transcripts of each.
package e2e

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/gotrue-wasm/gotrue-wasm/internal/pagetest"
)

var shared struct {
	once   sync.Once
	ctx    context.Context
	cancel context.CancelFunc
	err    error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.cancel != nil {
		shared.cancel()
	}
	os.Exit(code)
}

// browser is the package's Chromium, started by the first test that needs
// it, so that tests without a page (the normaliser's) start none.
func browser(t *testing.T) context.Context {
	t.Helper()
	shared.once.Do(func() {
		shared.ctx, shared.cancel, shared.err = pagetest.StartBrowser()
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.ctx
}

// newTab opens a tab of the shared browser for this test, bounded by d,
// and closes it when the test ends.
func newTab(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	return pagetest.WithTimeout(t, pagetest.NewTab(t, browser(t)), d)
}
