// Command wasmsize writes the .gz and .br files served beside a file, and
// reports raw, gzip and brotli sizes of files against a baseline.
//
//	wasmsize -compress js/gotrue.wasm         writes js/gotrue.wasm.gz and .br
//	wasmsize -base bare.wasm js/gotrue.wasm   prints the size table and ratios
//
// Brotli comes from a pure-Go encoder so that neither `make wasm` nor the
// demo needs a system brotli tool.
package main

import (
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/gotrue-wasm/gotrue-wasm/internal/compress"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "wasmsize:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("wasmsize", flag.ContinueOnError)
	compress := fs.Bool("compress", false, "write FILE.gz and FILE.br beside each FILE")
	base := fs.String("base", "", "a baseline file to compare each FILE with")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("no files given")
	}
	var baseSizes Sizes
	if *base != "" {
		data, err := os.ReadFile(*base)
		if err != nil {
			return err
		}
		baseSizes = Measure(data)
		fmt.Fprintf(out, "%-28s %10s %10s %10s\n", "file", "raw", "gzip", "brotli")
		printRow(out, filepath.Base(*base)+" (baseline)", baseSizes)
	}
	for _, name := range fs.Args() {
		data, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		if *compress {
			if err := writeCompressed(name, data); err != nil {
				return err
			}
			continue
		}
		s := Measure(data)
		printRow(out, filepath.Base(name), s)
		if *base != "" {
			fmt.Fprintf(out, "%-28s %9.2fx %9.2fx %9.2fx\n", "  ratio to baseline",
				ratio(s.Raw, baseSizes.Raw), ratio(s.Gzip, baseSizes.Gzip), ratio(s.Brotli, baseSizes.Brotli))
		}
	}
	return nil
}

// Sizes are the byte counts of one file as served.
type Sizes struct{ Raw, Gzip, Brotli int }

// Measure compresses data at the levels the build serves.
func Measure(data []byte) Sizes {
	return Sizes{Raw: len(data), Gzip: len(Gzip(data)), Brotli: len(Brotli(data))}
}

// Gzip compresses at the best level.
func Gzip(data []byte) []byte { return compress.Gzip(data, gzip.BestCompression) }

// Brotli compresses at the best level.
func Brotli(data []byte) []byte { return compress.Brotli(data) }

func writeCompressed(name string, data []byte) error {
	if err := os.WriteFile(name+".gz", Gzip(data), 0o644); err != nil {
		return err
	}
	return os.WriteFile(name+".br", Brotli(data), 0o644)
}

func printRow(out io.Writer, label string, s Sizes) {
	fmt.Fprintf(out, "%-28s %10d %10d %10d\n", label, s.Raw, s.Gzip, s.Brotli)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
