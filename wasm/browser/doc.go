//go:build js

// Package browser implements the interfaces of package gotrue with the
// browser's own APIs: fetch ([FetchTransport]), localStorage
// ([LocalStorage]), Web Locks ([WebLocks]) and the console ([Console]),
// plus the storage event ([OnStorageChange]) and the page's visibility
// ([Visible], [OnVisibilityChange]).
//
// It converts values and nothing else: every rule (headers, expiry,
// session format, error mapping) lives in package gotrue. Every call into
// JavaScript is guarded, so that a throwing browser API becomes an error
// and never a panic that would end the Go program.
package browser
