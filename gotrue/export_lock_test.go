package gotrue

import "time"

// QueuedWait is how long a refresh that queued for the cross-tab lock
// watches storage for the holder's write before spending its own token.
const QueuedWait = time.Duration(queuedWait)
