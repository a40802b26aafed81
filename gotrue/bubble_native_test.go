//go:build !js

package gotrue_test

import (
	"testing"
	"testing/synctest"
)

// bubble runs f in a synctest bubble, whose fake clock drives the core's
// timers (the lock and refresh timeouts, the late-write polling).
func bubble(t *testing.T, f func(*testing.T)) { synctest.Test(t, f) }
