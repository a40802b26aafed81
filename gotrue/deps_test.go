//go:build !js

package gotrue_test

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// gotrue.wasm links neither time nor context: between them they would add
// about 330 KB (package time's initialisation pulls in internal/godebug
// and the runtime's metrics). The core takes them through
// gotrue/internal/xtime and xcontext, which are the standard packages
// natively and small setTimeout shims in the browser build.
func TestBrowserBuildLinksNoTimeOrContext(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	cmd := exec.Command("go", "list", "-deps", "github.com/gotrue-wasm/gotrue-wasm/wasm")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if pkg == "time" || pkg == "context" {
			t.Errorf("the browser build (./wasm) imports package %s", pkg)
		}
	}
}
