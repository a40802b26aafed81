// Package reliability holds the browser-side reliability and security
// tests of gotrue-wasm (issue 6): a JavaScript fuzz of every method that
// must never end the Go runtime, hostile server answers and hostile
// localStorage that must never lose or corrupt a session, token refreshes
// that never log a user out by accident (offline, 5xx, several tabs, a tab
// that holds the cross-tab lock and hangs), and a check, shared by every
// test, that no token or password ever reaches the console or an error.
//
// The tests live in _test.go files and run in headless Chromium through
// internal/pagetest; `go test ./demo/reliability -args -long` runs
// the slow variants too (make reliability-long).
package reliability
