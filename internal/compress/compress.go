// Package compress compresses served files the way the project serves
// them: gzip and brotli at the best levels, for the .gz/.br files beside
// gotrue.wasm and for the size figures of make size and make bench.
package compress

import (
	"bytes"
	"compress/gzip"

	"github.com/andybalholm/brotli"
)

// Gzip compresses data at level (gzip.BestCompression for stored files).
func Gzip(data []byte, level int) []byte {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, level)
	if err != nil { // an invalid level: fall back to the default
		w = gzip.NewWriter(&buf)
	}
	_, _ = w.Write(data) // writes to a bytes.Buffer cannot fail
	_ = w.Close()
	return buf.Bytes()
}

// Brotli compresses data at the best level.
func Brotli(data []byte) []byte {
	var buf bytes.Buffer
	w := brotli.NewWriterLevel(&buf, brotli.BestCompression)
	_, _ = w.Write(data)
	_ = w.Close()
	return buf.Bytes()
}
