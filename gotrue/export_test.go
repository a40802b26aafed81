package gotrue

import (
	"time"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xtime"
)

// SetLateWriteWait shortens how long a refused refresh watches storage, so
// that the many refusals of the tests do not each wait a second. Call it
// only from TestMain, before any refresh runs.
func SetLateWriteWait(d time.Duration) { lateWriteWait = xtime.Duration(d) }
