// Package soak holds the demo origin's soak test: thousands of mixed
// requests from concurrent clients through the real client core, then
// checks that goroutines, heap, users and mails are as they should be.
// `make test` runs a short soak; `make soak` the full one (-soak or SOAK=1).
package soak
