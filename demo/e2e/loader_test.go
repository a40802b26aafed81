package e2e

import (
	"net/http"
	"sync"
	"testing"
	"time"
)

// wasmGate holds back one loader file until gotrue.wasm has been asked
// for: a loader that fetched in sequence (that file, then the wasm) would
// wait for ever, so the page fails its deadline instead of passing slowly.
type wasmGate struct {
	once      sync.Once
	requested chan struct{}
	mu        sync.Mutex
	dev       http.Handler // the site's own handler, set once it runs
}

func (g *wasmGate) setSite(h http.Handler) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.dev = h
}

func (g *wasmGate) serve(w http.ResponseWriter, r *http.Request) {
	g.mu.Lock()
	dev := g.dev
	g.mu.Unlock()
	dev.ServeHTTP(w, r)
}

func newWasmGate() *wasmGate { return &wasmGate{requested: make(chan struct{})} }

func (g *wasmGate) wasm() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g.once.Do(func() { close(g.requested) })
		g.serve(w, r)
	})
}

func (g *wasmGate) held(t *testing.T) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-g.requested:
		case <-r.Context().Done():
			return
		case <-time.After(20 * time.Second):
			t.Errorf("%s was asked for before gotrue.wasm, and gotrue.wasm not at all while it was held: the loader fetches in sequence", r.URL.Path)
		}
		g.serve(w, r)
	})
}

// The loader asks for gotrue.wasm while the JavaScript it needs is still
// on its way, not after: on a slow network every file fetched in sequence
// costs a round trip. As a module, gotrue.mjs fetches the wasm alongside
// wasm_exec.js; as a classic script, gotrue.js preloads everything
// before gotrue.mjs arrives.
func TestLoaderFetchesWasmInParallel(t *testing.T) {
	for _, tc := range []struct{ name, page, held string }{
		{"module", "/e2e/module.html", "/js/wasm_exec.js"},
		{"classic script", "/e2e/script.html?src=/js/gotrue.js", "/js/gotrue.mjs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := newWasmGate()
			s := startSiteWith(t, map[string]http.Handler{"/js/gotrue.wasm": g.wasm(), tc.held: g.held(t)})
			g.setSite(s.Dev)
			tab := s.open(t, tc.page)
			runSteps(t, tab, []step{{"a working client", `(async () => {
				const err = await new window.GoTrue().login('nobody@example.com', 'wrong').catch((e) => e);
				return err.status;
			})()`, `400`}})
		})
	}
}
