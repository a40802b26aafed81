//go:build js

package gotrue_test

import "testing"

// bubble skips f in the browser build: the core's timers there are
// setTimeout (gotrue/internal/xtime), which no synctest bubble's fake
// clock drives. TestLateWriteRealTime and the shims' own tests cover them.
func bubble(t *testing.T, f func(*testing.T)) {
	t.Skip("the core's timers are setTimeout in the browser build, outside any synctest bubble")
}
