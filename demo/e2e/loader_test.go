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
	site      lateHandler // the site's own handler, set once it runs
}

func (g *wasmGate) setSite(h http.Handler) { g.site.set(h) }

func (g *wasmGate) serve(w http.ResponseWriter, r *http.Request) { g.site.ServeHTTP(w, r) }

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

// A URL that answers something other than WebAssembly, most often a dev
// server's index.html for a file it does not have, gets an error that
// says so, not the engine's "expected magic word"; and a load that failed
// before the Go program started can be tried again.
func TestLoaderSaysWhenTheWasmIsNot(t *testing.T) {
	answer := func(contentType, body string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", contentType)
			_, _ = w.Write([]byte(body))
		})
	}
	html := "<!doctype html><html><body>app</body></html>"
	s := startSiteWith(t, map[string]http.Handler{
		"/fallback/html.wasm":  answer("text/html; charset=utf-8", html),
		"/fallback/typed.wasm": answer("application/wasm", html),
		"/fallback/bytes.wasm": answer("application/octet-stream", html),
	})
	tab := s.open(t, "/e2e/blank.html")
	load := func(url string) string {
		return `import('/js/gotrue-core.js').then((m) => m.load({ wasmURL: '` + url + `' })).then(() => 'loaded', (e) => e.message)`
	}
	origin := s.URL
	runSteps(t, tab, []step{
		{"text/html", load("/fallback/html.wasm"),
			`"gotrue-wasm: ` + origin + `/fallback/html.wasm returned text/html, not WebAssembly (a dev-server fallback?)"`},
		{"HTML sent as application/wasm", load("/fallback/typed.wasm"),
			`"gotrue-wasm: ` + origin + `/fallback/typed.wasm returned application/wasm, not WebAssembly"`},
		{"another type", load("/fallback/bytes.wasm"),
			`"gotrue-wasm: ` + origin + `/fallback/bytes.wasm returned application/octet-stream, not WebAssembly"`},
		{"missing", load("/fallback/missing.wasm"),
			`"gotrue-wasm: could not load ` + origin + `/fallback/missing.wasm: 404 Not Found"`},
		{"then the right one", `import('/js/gotrue-core.js').then(async (m) => {
			const { GoTrue, JSONHTTPError } = await m.load();
			const again = await m.load({ wasmURL: '/fallback/html.wasm' });
			const err = await new GoTrue().login('nobody@example.com', 'wrong').catch((e) => e);
			return { same: again.GoTrue === GoTrue, json: err instanceof JSONHTTPError, status: err.status };
		})`, `{"same":true,"json":true,"status":400}`},
	})
}
