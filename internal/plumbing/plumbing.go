// Package plumbing is what the browser bindings (package main in wasm/)
// need from the core that a Go program does not: the members gotrue-js
// keeps private but pages call anyway (user._saveSession, api.request,
// User.recoverSession…), the page's own writes to a client's settings and
// a user's token, and the checks of the fast paths. Keeping them here
// keeps package gotrue's API to what a Go user needs.
//
// Package gotrue fills the variables in when it is initialised. Their
// arguments are typed any because this package cannot import gotrue
// (gotrue imports it); each one says what it takes, and anything else
// panics, which only the bindings and the tests can do.
package plumbing

// Context is the part of context.Context the core's browser build takes;
// a context.Context is one.
type Context = interface {
	Done() <-chan struct{}
	Err() error
}

// Config is a client's public settings as a page sees them on its GoTrue
// object: api.apiURL, api._sameOrigin, api.defaultHeaders, audience and
// setCookie. gotrue-js reads them from its objects at every request, so a
// page may change them between calls.
type Config struct {
	APIURL string
	// SameOrigin sends fetch's credentials: 'same-origin'. gotrue-js sets
	// it from the URL it was made with and never again.
	SameOrigin     bool
	DefaultHeaders map[string]string
	Audience       string
	SetCookie      bool
}

// The page's settings and the fast paths.
var (
	// Configure(*gotrue.Client, Config) replaces the client's public
	// settings with the page's.
	Configure func(client any, cfg Config)

	// SameOrigin(apiURL) reports whether fetch must send the page's
	// credentials to apiURL: gotrue-js's api._sameOrigin, for a URL
	// relative to the page.
	SameOrigin func(apiURL string) bool

	// Revision(*gotrue.User) changes whenever the user's token or fields
	// change: the bindings copy a user onto its page object only when it
	// moved.
	Revision func(user any) uint64

	// FreshAccessToken(*gotrue.User) is the access token when it needs no
	// refresh, so that jwt() can answer without a request.
	FreshAccessToken func(user any) (string, bool)

	// RememberHeaderSet(*gotrue.Client, remember) reports whether
	// SetRememberHeaders(remember) would change nothing, so that
	// currentUser() would change no header.
	RememberHeaderSet func(client any, remember bool) bool
)

// gotrue-js's members that its types call private, by their names there.
var (
	// SetRememberHeaders(*gotrue.Client, remember) is
	// gotrue._setRememberHeaders: X-Use-Cookie for every later request.
	SetRememberHeaders func(client any, remember bool)

	// APIRequest(ctx, *gotrue.Client, path, gotrue.RequestOptions) is
	// api.request: the default headers, no audience, an error's message
	// left as the status text.
	APIRequest func(ctx Context, client any, path string, opts any) ([]byte, error)

	// Signup(*gotrue.Client, email, password, data) signs up with data as
	// the page passed it: any JSON value, {} and null included, or none
	// when nil. The answer is the server's as it is.
	Signup func(client any, email, password string, data []byte) ([]byte, error)

	// NewUser(*gotrue.Client, *gotrue.Token, audience) *gotrue.User is
	// new User(api, tokenResponse, audience): the current user at once,
	// without asking the server for its data.
	NewUser func(client any, tok any, audience string) any

	// RecoverSession(*gotrue.SessionStore, clientFor) *gotrue.User is
	// User.recoverSession: the current user, else the saved one, else
	// nil. clientFor(savedURL) returns the *gotrue.Client a recovered
	// user belongs to.
	RecoverSession func(store any, clientFor func(savedURL string) any) any

	// RemoveSavedSession(*gotrue.SessionStore, gotrue.Logger) is
	// User.removeSavedSession.
	RemoveSavedSession func(store any, log any)

	// StorageChanged(*gotrue.SessionStore, oldValue, newValue) takes in
	// another tab's write of the saved session (the storage event).
	StorageChanged func(store any, oldValue, newValue string)

	// SaveUserData(*gotrue.User, gotrue.Object, fromStorage) is
	// user._saveUserData.
	SaveUserData func(user any, fields any, fromStorage bool)

	// ProcessTokenResponse(*gotrue.User, *gotrue.Token) is
	// user._processTokenResponse.
	ProcessTokenResponse func(user any, tok any)

	// SetToken(*gotrue.User, *gotrue.Token or nil) and
	// SetAudience(*gotrue.User, audience) take in a page's writes to
	// user.token and user.audience.
	SetToken    func(user any, tok any)
	SetAudience func(user any, audience string)

	// SaveSession(*gotrue.User) is user._saveSession;
	// RefreshSavedSession(*gotrue.User) is user._refreshSavedSession.
	SaveSession         func(user any)
	RefreshSavedSession func(user any)

	// Refresh(ctx, *gotrue.User, refreshToken) is user._refreshToken.
	Refresh func(ctx Context, user any, refreshToken string) (string, error)
)

// Errors the bindings give gotrue-js's words, and the client's own.
var (
	// ErrRefreshTimeout is the error of a token refresh that did not
	// finish in time; gotrue-js rejects then with "Token refresh timeout".
	ErrRefreshTimeout error

	// TooLarge(status, limit) is the client's error for an answer longer
	// than limit bytes, for a transport that refuses one before reading it.
	TooLarge func(status, limit int) error
)
