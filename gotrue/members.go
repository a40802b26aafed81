package gotrue

import context "github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xcontext"

// This file holds the lower-level members of gotrue-js that pages and
// libraries call although its TypeScript types call some of them private:
// API.request, GoTrue._request, User._request, User.recoverSession and the
// session helpers of User. The browser bindings expose them under
// gotrue-js's names; Go callers may use them to reach routes the client
// has no method for.

// RequestOptions is one request of [Client.APIRequest], [Client.Request]
// or [User.Request], as gotrue-js's request(path, options) takes it.
type RequestOptions struct {
	Method string            // default GET
	Header map[string]string // applied after the default headers
	Body   []byte            // none when empty; then no Content-Type either
	// Audience is sent as X-JWT-AUD instead of the client's or user's
	// (Request and User.Request only; APIRequest sends none).
	Audience string
	// Credentials replaces fetch's "same-origin" for a client whose API
	// URL is relative to the page.
	Credentials string
}

func (o RequestOptions) call(path string) call {
	return call{method: o.Method, path: path, header: o.Header, body: o.Body, audience: o.Audience, credentials: o.Credentials}
}

// APIRequest sends one request to the API as gotrue-js's api.request
// does: the default headers, no audience, and an error's message left as
// the status text. The answer is the server's JSON, or its text as a JSON
// string when the answer is not JSON.
func (c *Client) APIRequest(ctx context.Context, path string, opts RequestOptions) (RawJSON, error) {
	opts.Audience = ""
	return c.send(ctx, opts.call(path))
}

// Request sends one request as gotrue-js's GoTrue._request does: as
// APIRequest, plus the audience (the options' or the client's) and the
// message of a JSON error rewritten from its msg or error fields.
func (c *Client) Request(ctx context.Context, path string, opts RequestOptions) (RawJSON, error) {
	return c.request(ctx, opts.call(path))
}

// Request sends one request on the user's behalf, as gotrue-js's
// User._request does: as Client.Request with the user's audience, and the
// user's access token as the bearer (refreshed first when it is about to
// expire).
func (u *User) Request(ctx context.Context, path string, opts RequestOptions) (RawJSON, error) {
	return u.request(ctx, opts.call(path))
}

// NewUser makes a user from a token response without asking the server
// for its data, and makes it the current user, as gotrue-js's User
// constructor does. Most callers want [Client.CreateUser].
func (c *Client) NewUser(tok *Token, audience string) *User {
	u := newUser(c, tok.clone(), audience)
	c.session.setCurrent(u)
	return u
}

// RecoverSession is gotrue-js's User.recoverSession: the current user in
// memory, else the one saved in storage, else nil. client makes the client
// a recovered user belongs to, from the API URL it was saved with; it is
// called only when a saved session is read.
func (s *SessionStore) RecoverSession(client func(savedURL string) *Client) *User {
	if u := s.Current(); u != nil {
		return u
	}
	raw := s.saved()
	if raw == "" {
		return nil
	}
	url := ""
	if data, err := ParseObject([]byte(raw)); err == nil {
		url = data.String("url")
	}
	return s.recover(client(url))
}

// RemoveSavedSession removes the saved session (gotrue-js's
// User.removeSavedSession); the user in memory stays. A storage that
// refuses is reported to log, which may be nil.
func (s *SessionStore) RemoveSavedSession(log Logger) {
	if log == nil {
		log = nopLogger{}
	}
	s.removeSaved(log)
}

// SaveUserData copies fields onto the user, leaving out the names that
// would overwrite its own properties (see [IsReservedKey]); fromStorage
// marks it as recovered from storage. It is gotrue-js's _saveUserData and
// changes nothing saved.
func (u *User) SaveUserData(fields Object, fromStorage bool) {
	u.saveUserData(fields)
	if fromStorage {
		u.mu.Lock()
		u.fromStorage = true
		u.revision++ // _fromStorage is saved too
		u.mu.Unlock()
	}
}

// ProcessTokenResponse makes tok the user's token, with its expiry read
// from the access token, as gotrue-js's _processTokenResponse. It changes
// nothing saved.
func (u *User) ProcessTokenResponse(tok *Token) {
	tok = tok.clone()
	tok.setExpiry(u.client.clock.Now(), u.client.log)
	u.SetToken(tok)
}

// SetToken makes tok the user's token as it is (nil: none), for a page
// that writes user.token: gotrue-js reads it at every call.
func (u *User) SetToken(tok *Token) {
	if tok != nil {
		tok = tok.clone()
	}
	u.mu.Lock()
	u.token = tok
	u.revision++
	u.mu.Unlock()
}

// SetAudience changes the audience the user's requests are sent with, for
// a page that writes user.audience.
func (u *User) SetAudience(audience string) {
	u.mu.Lock()
	u.audience = audience
	u.revision++
	u.mu.Unlock()
}

// SaveSession saves the user's session in storage, as gotrue-js's
// _saveSession.
func (u *User) SaveSession() { u.client.session.save(u) }

// RefreshSavedSession saves the user's session only if a session is saved
// already, as gotrue-js's _refreshSavedSession.
func (u *User) RefreshSavedSession() { u.client.session.refreshSaved(u) }
