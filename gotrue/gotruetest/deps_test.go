//go:build !js

package gotruetest

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// NewServer takes a TB, not a testing.TB: whatever a test passes keeps
// compiling.
var (
	_ TB = (*testing.T)(nil)
	_ TB = (*testing.B)(nil)
	_ TB = (*testing.F)(nil)
)

// The programs built on this package must not link package testing: it
// would register its flags and add its code to the demo server and
// gotruetest-server. Only test files here may import it.
func TestProgramsLinkNoTesting(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	for _, prog := range []string{
		"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest/cmd/gotruetest-server",
		"github.com/gotrue-wasm/gotrue-wasm/demo/cmd/demo",
	} {
		cmd := exec.Command("go", "list", "-deps", "-f", `{{.ImportPath}}: {{join .Imports " "}}`, prog)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list %s: %v", prog, err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			pkg, imports, _ := strings.Cut(line, ": ")
			if slices.Contains(strings.Fields(imports), "testing") {
				t.Errorf("%s links package testing: %s imports it", prog, pkg)
			}
		}
	}
}
