package gotrue

import (
	"bytes"
	"encoding/base64"
	"testing"
)

// FuzzDecodeBase64URL: decodeBase64URL accepts exactly what
// base64.RawURLEncoding accepts, and decodes it to the same bytes.
func FuzzDecodeBase64URL(f *testing.F) {
	for _, s := range []string{
		"", "e", "eyJ", "eyJh", "eyJhIjoxfQ", "eyJhIjoxfQ==", "eyJ\nhIj\r\noxfQ",
		"-_-_", "AB", "AC", "ABC", "ABD", "A=B", "a b", "a+b/", "\n", "\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, werr := base64.RawURLEncoding.DecodeString(s)
		got, ok := decodeBase64URL(s)
		if ok != (werr == nil) {
			t.Fatalf("decodeBase64URL(%q): ok = %v; encoding/base64 says %v", s, ok, werr)
		}
		if ok && !bytes.Equal(got, want) {
			t.Fatalf("decodeBase64URL(%q) = %x; encoding/base64 gives %x", s, got, want)
		}
	})
}
