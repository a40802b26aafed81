//go:build js

package gotrue

import (
	"math"
	"syscall/js"
)

var jsNumberFunc = js.Global().Get("Number")

// parseFloat reads a JSON number literal with JavaScript's Number, which
// rounds as strconv.ParseFloat does and gives ±Inf out of float64's range:
// strconv.ParseFloat (its parser and its NumError, which quotes with
// Unicode tables) would add about 45 KB to gotrue.wasm. Number accepts
// more (hex, "Infinity", spaces): parseNumber asks it only about JSON
// number literals.
func parseFloat(s string) (float64, bool) {
	f := jsNumberFunc.Invoke(s).Float()
	if f == 0 && s[0] == '-' {
		f = math.Copysign(0, -1) // syscall/js hands back -0 as 0
	}
	return f, true
}
