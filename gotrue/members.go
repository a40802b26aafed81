package gotrue

import context "github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xcontext"

// This file holds the lower-level members of gotrue-js that pages and
// libraries call although its TypeScript types call some of them private:
// API.request, GoTrue._request, User._request, User.recoverSession and the
// session helpers of User. The browser bindings reach the unexported ones
// through internal/plumbing and expose them under gotrue-js's names; Go
// callers have Client.Request and User.Request for routes the client has
// no method for.

// RequestOptions is one request of [Client.Request] or [User.Request], as
// gotrue-js's request(path, options) takes it.
type RequestOptions struct {
	Method string            // default GET
	Header map[string]string // applied after the default headers
	Body   []byte            // none when empty; then no Content-Type either
	// Audience is sent as X-JWT-AUD instead of the client's or user's
	// (api.request, which the bindings reach through apiRequest, sends
	// none).
	Audience string
	// Credentials replaces fetch's "same-origin" for a client whose API
	// URL is relative to the page.
	Credentials string
}

func (o RequestOptions) call(path string) call {
	return call{method: o.Method, path: path, header: o.Header, body: o.Body, audience: o.Audience, credentials: o.Credentials}
}

// apiRequest sends one request to the API as gotrue-js's api.request
// does: the default headers, no audience, and an error's message left as
// the status text. The answer is the server's JSON, or its text as a JSON
// string when the answer is not JSON.
func (c *Client) apiRequest(ctx context.Context, path string, opts RequestOptions) (RawJSON, error) {
	opts.Audience = ""
	return c.send(ctx, opts.call(path))
}

// Request sends one request as gotrue-js's GoTrue._request does: as
// api.request (apiRequest), plus the audience (the options' or the client's) and the
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

// newCurrentUser makes a user from a token response without asking the server
// for its data, and makes it the current user, as gotrue-js's User
// constructor does.
func (c *Client) newCurrentUser(tok *Token, audience string) *User {
	u := newUser(c, tok.clone(), audience)
	c.session.setCurrent(u)
	return u
}

// recoverSession is gotrue-js's User.recoverSession: the current user in
// memory, else the one saved in storage, else nil. client makes the client
// a recovered user belongs to, from the API URL it was saved with; it is
// called only when a saved session is read.
func (s *SessionStore) recoverSession(client func(savedURL string) *Client) *User {
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

// removeSavedSession removes the saved session (gotrue-js's
// User.removeSavedSession); the user in memory stays. A storage that
// refuses is reported to log, which may be nil.
func (s *SessionStore) removeSavedSession(log Logger) {
	if log == nil {
		log = nopLogger{}
	}
	s.removeSaved(log)
}

// saveFields copies fields onto the user, leaving out the names that
// would overwrite its own properties (see reservedKeys); fromStorage
// marks it as recovered from storage. It is gotrue-js's _saveUserData and
// changes nothing saved.
func (u *User) saveFields(fields Object, fromStorage bool) {
	u.saveUserData(fields)
	if fromStorage {
		u.mu.Lock()
		u.fromStorage = true
		u.revision++ // _fromStorage is saved too
		u.mu.Unlock()
	}
}

// processTokenResponse makes tok the user's token, with its expiry read
// from the access token, as gotrue-js's _processTokenResponse. It changes
// nothing saved.
func (u *User) processTokenResponse(tok *Token) {
	tok = tok.clone()
	tok.setExpiry(u.client.clock.Now(), u.client.log)
	u.setToken(tok)
}

// setToken makes tok the user's token as it is (nil: none), for a page
// that writes user.token: gotrue-js reads it at every call.
func (u *User) setToken(tok *Token) {
	if tok != nil {
		tok = tok.clone()
	}
	u.mu.Lock()
	u.token = tok
	u.revision++
	u.mu.Unlock()
}

// setAudience changes the audience the user's requests are sent with, for
// a page that writes user.audience.
func (u *User) setAudience(audience string) {
	u.mu.Lock()
	u.audience = audience
	u.revision++
	u.mu.Unlock()
}

// saveSession saves the user's session in storage, as gotrue-js's
// _saveSession.
func (u *User) saveSession() { u.client.session.save(u) }

// refreshSavedSession saves the user's session only if a session is saved
// already, as gotrue-js's _refreshSavedSession.
func (u *User) refreshSavedSession() { u.client.session.refreshSaved(u) }
