package main

import (
	"compress/gzip"
	"github.com/gotrue-wasm/gotrue-wasm/internal/compress"
	"os"
	"path/filepath"
	"sync"
)

// Sizes are the bytes of a file, or of the files a page downloads, as
// stored and compressed at the best gzip and brotli levels: the same
// measure as tools/wasmsize's Measure (a main package cannot be
// imported).
type Sizes struct{ Raw, Gzip, Brotli int }

func (s Sizes) add(t Sizes) Sizes {
	return Sizes{s.Raw + t.Raw, s.Gzip + t.Gzip, s.Brotli + t.Brotli}
}

// file is one downloaded file with its compressed forms.
type file struct {
	path         string
	data, gz, br []byte
}

func (f *file) sizes() Sizes { return Sizes{len(f.data), len(f.gz), len(f.br)} }

// loadFiles reads and compresses the files, two at a time (the brotli of a
// 3 MB wasm takes seconds; the machine has two cores).
func loadFiles(paths ...string) (map[string]*file, error) {
	out := make(map[string]*file, len(paths))
	errs := make([]error, len(paths))
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		sem = make(chan struct{}, 2)
	)
	for i, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			data, err := os.ReadFile(p)
			if err != nil {
				errs[i] = err
				return
			}
			f := &file{path: p, data: data, gz: compress.Gzip(data, gzip.BestCompression), br: compress.Brotli(data)}
			mu.Lock()
			out[p] = f
			mu.Unlock()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// total adds up the sizes of the named files.
func total(files map[string]*file, paths ...string) Sizes {
	var s Sizes
	for _, p := range paths {
		s = s.add(files[p].sizes())
	}
	return s
}

// Where each side's files are.
type layout struct {
	jsDir, refDir, bare, callFloor string
}

// The files a page downloads to use gotrue.wasm: the loader imports
// gotrue-core.js and wasm_exec.js, then fetches the wasm.
func (l layout) wasmPage() []string {
	return []string{
		filepath.Join(l.jsDir, "gotrue.wasm"),
		filepath.Join(l.jsDir, "gotrue.mjs"),
		filepath.Join(l.jsDir, "gotrue-core.js"),
		filepath.Join(l.jsDir, "wasm_exec.js"),
	}
}

func (l layout) refESM() string    { return filepath.Join(l.refDir, "lib", "index.js") }
func (l layout) refBundle() string { return filepath.Join(l.refDir, "browser", "gotrue.js") }

// floorPage is what the floor's page downloads: the bare wasm and wasm_exec.js.
func (l layout) floorPage() []string {
	return []string{l.bare, filepath.Join(l.jsDir, "wasm_exec.js")}
}

func (l layout) all() []string {
	return append(l.wasmPage(), l.refESM(), l.refBundle(), l.bare, l.callFloor)
}
