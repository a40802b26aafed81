package gotrue

import (
	"errors"
	"math"
	"strconv"
	"testing"
)

// FuzzParseNumber: parseNumber (its exact path for short integers, and
// parseFloat for the rest) reads every JSON number literal to the bits
// strconv.ParseFloat gives, and refuses whatever is not one.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{
		"0", "-0", "7", "-42", "1700000000000", "999999999999999", "-999999999999999",
		"1000000000000000", "9007199254740993", "", "0.5", "1e3", "-0.0", "01", "-", "1.", "+1", "1a",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseNumber([]byte(s))
		isLiteral := false
		if len(s) > 0 && (s[0] == '-' || s[0] >= '0' && s[0] <= '9') {
			end, err := scanNumber([]byte(s), 0)
			isLiteral = err == nil && end == len(s)
		}
		if ok != isLiteral {
			t.Fatalf("parseNumber(%q) ok = %v; a JSON number literal: %v", s, ok, isLiteral)
		}
		if !ok {
			return
		}
		want, err := strconv.ParseFloat(s, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			t.Fatalf("strconv.ParseFloat(%q): %v", s, err)
		}
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("parseNumber(%q) = %v; strconv.ParseFloat gives %v", s, got, want)
		}
	})
}
