package devserver

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ModulePath identifies the repository root when looking for js/.
const ModulePath = "github.com/gotrue-wasm/gotrue-wasm"

// FindJSDir returns the js folder of the gotrue-wasm checkout that holds
// dir, looking up from dir for the go.mod of ModulePath, so that the demo
// runs from the repository root or any folder below it.
func FindJSDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := abs; ; d = filepath.Dir(d) {
		if isRepoRoot(d) {
			return filepath.Join(d, "js"), nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no %s checkout above %s: run the demo from inside the repository or pass -js DIR", ModulePath, abs)
		}
	}
}

func isRepoRoot(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`) == ModulePath
		}
	}
	return false
}

// CheckJSDir fails with what to do when the loader folder has no
// gotrue.wasm: a fresh checkout has not built it yet.
func CheckJSDir(dir string) error {
	if dir == "" {
		return errors.New("no loader folder given (the js/ folder holding gotrue.mjs and gotrue.wasm)")
	}
	wasm := filepath.Join(dir, "gotrue.wasm")
	st, err := os.Stat(wasm)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s is missing: run `make wasm` first to build it (or pass -js DIR)", wasm)
	case err != nil:
		return fmt.Errorf("loader folder: %w", err)
	case st.IsDir():
		return fmt.Errorf("%s is a folder, not the compiled client: run `make wasm`", wasm)
	}
	return nil
}
