// Package gotrue is a client for GoTrue, the identity service behind Netlify
// Identity. It is a Go port of the behaviour of the JavaScript library
// gotrue-js 1.0.1: the same requests, the same answers, the same session
// format in storage, so that a session saved by one is recovered by the other.
//
// The package is pure Go and runs both natively and in the browser
// (GOOS=js GOARCH=wasm). It reaches the outside world only through three
// small interfaces it owns:
//
//   - [Transport] sends one HTTP request (net/http natively, fetch in the
//     browser);
//   - [Storage] keeps the saved session (a map natively, localStorage in the
//     browser);
//   - [Clock] tells the time used for token expiry.
//
// A [SessionStore] ties the storage to the in-memory current user and to the
// sharing of token refreshes, so that several clients in one page behave as
// gotrue-js's module-level state does.
//
// Where this package deliberately behaves better than gotrue-js, the
// difference is documented on the method: a token refresh that fails for
// any reason other than the server rejecting the refresh token keeps the
// session, and a refresh takes a cross-tab lock (see [Locker]) so that two
// tabs never spend the same refresh token.
//
// No error, log line or panic value produced by this package contains an
// access token, a refresh token or a password.
package gotrue
