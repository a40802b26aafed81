package gotrue

import "time"

// SetLateWriteWait shortens how long a refused refresh watches storage, so
// that the many refusals of the tests do not each wait a second. Call it
// only from TestMain, before any refresh runs.
func SetLateWriteWait(d time.Duration) { lateWriteWait = d }
