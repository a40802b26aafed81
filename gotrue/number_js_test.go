//go:build js

package gotrue

import (
	"math"
	"strconv"
	"testing"
)

// JavaScript's Number reads JSON number literals as strconv.ParseFloat.
func TestParseNumberAsStrconv(t *testing.T) {
	for _, s := range []string{
		"0", "-0", "1", "-1", "0.1", "1.5e3", "1E-7", "1e+21", "123456789012345678901234567890",
		"9007199254740993", "4.9e-324", "2.2250738585072011e-308", "1.7976931348623157e308",
		"1e400", "-1e400", "1e-400", "0.30000000000000004", "1900000000", "8.64e15",
		"1700000000000", "-42", "999999999999999", "1000000000000000",
	} {
		want, err := strconv.ParseFloat(s, 64)
		if err != nil && !math.IsInf(want, 0) && want != 0 {
			t.Fatalf("strconv.ParseFloat(%q): %v", s, err)
		}
		got, ok := parseNumber([]byte(s))
		if !ok || math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("parseNumber(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "0x10", "Infinity", "-Infinity", " 1", "1 ", "01", "1.", ".5", "+1", "1e", "NaN", `"1"`, "true"} {
		if f, ok := parseNumber([]byte(s)); ok {
			t.Errorf("parseNumber(%q) = %v; want refused", s, f)
		}
	}
}
