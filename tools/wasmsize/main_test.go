package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompressWritesDecodableFiles(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "x.wasm")
	data := bytes.Repeat([]byte("gotrue-wasm "), 1000)
	require.NoError(t, os.WriteFile(name, data, 0o644))
	require.NoError(t, run([]string{"-compress", name}, io.Discard))

	gz, err := os.ReadFile(name + ".gz")
	require.NoError(t, err)
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	require.NoError(t, err)
	got, err := io.ReadAll(zr)
	require.NoError(t, err)
	assert.Equal(t, data, got)

	br, err := os.ReadFile(name + ".br")
	require.NoError(t, err)
	got, err = io.ReadAll(brotli.NewReader(bytes.NewReader(br)))
	require.NoError(t, err)
	assert.Equal(t, data, got)
}

func TestSizeTable(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "bare.wasm")
	file := filepath.Join(dir, "gotrue.wasm")
	require.NoError(t, os.WriteFile(base, bytes.Repeat([]byte{1, 2, 3, 4}, 100), 0o644))
	require.NoError(t, os.WriteFile(file, bytes.Repeat([]byte{1, 2, 3, 4}, 200), 0o644))
	var out bytes.Buffer
	require.NoError(t, run([]string{"-base", base, file}, &out))
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 4)
	assert.Contains(t, lines[1], "400")
	assert.Contains(t, lines[2], "800")
	assert.Contains(t, lines[3], "2.00x")
	assert.Error(t, run(nil, &out))
	assert.Error(t, run([]string{filepath.Join(dir, "missing")}, &out))
}
