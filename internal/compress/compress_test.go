package compress

import (
	"bytes"
	"compress/gzip"
	"io"
	"testing"

	"github.com/andybalholm/brotli"
)

func TestRoundTrip(t *testing.T) {
	data := bytes.Repeat([]byte("gotrue-wasm "), 500)
	zr, err := gzip.NewReader(bytes.NewReader(Gzip(data, gzip.BestCompression)))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(zr); !bytes.Equal(got, data) {
		t.Fatal("gzip round trip differs")
	}
	if got, _ := io.ReadAll(brotli.NewReader(bytes.NewReader(Brotli(data)))); !bytes.Equal(got, data) {
		t.Fatal("brotli round trip differs")
	}
	if len(Gzip(data, 99)) == 0 {
		t.Fatal("an invalid level must still compress")
	}
}
