//go:build !js

package gotrue

import (
	"errors"
	"strconv"
)

// parseFloat reads a JSON number literal; out of float64's range is ±Inf,
// as in JavaScript.
func parseFloat(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false
	}
	return f, true
}
