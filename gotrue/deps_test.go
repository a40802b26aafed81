//go:build !js

package gotrue_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Packages the browser build (./wasm, which is gotrue.wasm) must not link,
// each with the reason. A package here that comes back is what the size
// budget of gotrue.wasm pays for first.
var forbiddenInBrowser = []struct{ pkg, why string }{
	// time's initialisation pulls in internal/godebug and the runtime's
	// metrics; with context, about 330 KB. The core takes both through
	// gotrue/internal/xtime and xcontext: the standard packages natively,
	// small setTimeout shims in the browser build.
	{"time", "use gotrue/internal/xtime"},
	{"context", "use gotrue/internal/xcontext"},
	// fmt brings reflect, and its formatting of every kind of value.
	{"fmt", "build strings with strconv and +"},
	// encoding/json works by reflection; the core has its own JSON reader
	// and writer (json.go), which keep key order as gotrue-js does.
	{"encoding/json", "use the core's own JSON (json.go)"},
	// net/http's js transport wraps fetch in its own Request/Response and
	// brings crypto/tls, mime and textproto; the browser transport calls
	// fetch itself (wasm/browser).
	{"net/http", "use wasm/browser's FetchTransport"},
	// net/url: the core encodes as gotrue-js does (encodeURIComponent);
	// its query parsing is the page's URL class.
	{"net/url", "encode with the core's encodeURIComponent"},
	// reflect is large by itself, and a call of Value.Method makes the
	// linker keep every exported method of every type it can reach.
	{"reflect", "no reflection in the browser build"},
}

func TestBrowserBuildLinksNoForbiddenPackage(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	cmd := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}}: {{join .Imports " "}}`, "github.com/gotrue-wasm/gotrue-wasm/wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	importers := map[string][]string{} // package → the linked packages that import it
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ": ")
		importers[pkg] = importers[pkg] // linked, whoever imports it
		for _, imp := range strings.Fields(imports) {
			importers[imp] = append(importers[imp], pkg)
		}
	}
	if _, ok := importers["github.com/gotrue-wasm/gotrue-wasm/gotrue"]; !ok {
		t.Fatal("go list -deps ./wasm does not list the core: the test reads its output wrongly")
	}
	for _, f := range forbiddenInBrowser {
		if by, linked := importers[f.pkg]; linked {
			t.Errorf("the browser build (./wasm) links package %s (%s), imported by %s", f.pkg, f.why, strings.Join(by, ", "))
		}
	}
}
