package devserver

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMissingWasmSaysToRunMakeWasm(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "gotrue.mjs", []byte("export default 1"))
	_, err := New(Config{JSDir: dir})
	require.Error(t, err)
	assert.Contains(t, err.Error(), filepath.Join(dir, "gotrue.wasm"))
	assert.Contains(t, err.Error(), "make wasm")

	_, err = New(Config{JSDir: filepath.Join(dir, "absent")})
	assert.ErrorContains(t, err, "make wasm")
	_, err = New(Config{})
	assert.Error(t, err)
}

func TestFindJSDir(t *testing.T) {
	root := t.TempDir()
	write(t, root, "go.mod", []byte("// comment\nmodule "+ModulePath+"\n\ngo 1.26\n"))
	deep := filepath.Join(root, "demo", "cmd", "demo")
	require.NoError(t, os.MkdirAll(deep, 0o755))

	for _, from := range []string{root, deep} {
		got, err := FindJSDir(from)
		require.NoError(t, err)
		assert.Equal(t, filepath.Join(root, "js"), got)
	}

	// Another module's go.mod is not the repository root.
	other := t.TempDir()
	write(t, other, "go.mod", []byte("module example.com/other\n"))
	_, err := FindJSDir(other)
	assert.ErrorContains(t, err, "-js")
}

// The real checkout: the tests run in demo/devserver.
func TestFindJSDirFromThisPackage(t *testing.T) {
	got, err := FindJSDir(".")
	require.NoError(t, err)
	abs, _ := filepath.Abs("../../js")
	assert.Equal(t, abs, got)
}
