package gotrue

import (
	"sync"

	context "github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xcontext"
	time "github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xtime"
)

// expiryMargin: a token is refreshed this long before it expires.
const expiryMargin = 60 * time.Second

// reservedKeys are the names a server field may not take on a user:
// gotrue-js skips api, token, audience and url and every name found on
// User.prototype (its methods, getters and Object.prototype's members).
var reservedKeys = map[string]bool{
	"api": true, "token": true, "audience": true, "url": true, "_fromStorage": true,
	"constructor": true, "admin": true, "update": true, "jwt": true, "logout": true,
	"_refreshToken": true, "_request": true, "getUserData": true, "_saveUserData": true,
	"_processTokenResponse": true, "_refreshSavedSession": true, "_details": true,
	"_saveSession": true, "tokenDetails": true, "clearSession": true,
	"toString": true, "toLocaleString": true, "valueOf": true, "hasOwnProperty": true,
	"isPrototypeOf": true, "propertyIsEnumerable": true, "__proto__": true,
	"__defineGetter__": true, "__defineSetter__": true, "__lookupGetter__": true,
	"__lookupSetter__": true,
}

// isReservedKey reports whether a server field named key is kept off the
// user, because it would overwrite one of the user's own properties.
func isReservedKey(key string) bool { return reservedKeys[key] }

// User is a logged-in user, the counterpart of gotrue-js's User. It holds
// the token and the server's fields of the user. It is safe for concurrent
// use.
type User struct {
	client *Client

	mu          sync.Mutex
	token       *Token // nil once the session is cleared
	url         string
	audience    string
	fields      Object // the server's user JSON, reserved keys left out
	fromStorage bool
	pending     bool   // being logged in: not yet announced by EventLogin
	revision    uint64 // counts changes, so that copies know when to refresh

	// The JSON of revision jsonRev: a refresh or getUserData both saves
	// the user and copies it onto its page object, so it is asked for
	// twice per change.
	json    []byte
	jsonRev uint64
}

func newUser(c *Client, tok *Token, audience string) *User {
	tok.setExpiry(c.clock.Now(), c.log)
	return &User{client: c, token: tok, url: c.APIURL(), audience: audience}
}

// Token returns a copy of the token, or nil once the session is cleared
// (user.tokenDetails()).
func (u *User) Token() *Token {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.token == nil {
		return nil
	}
	return u.token.clone()
}

// refreshToken is the refresh token held now, "" once the session ended.
func (u *User) refreshToken() string {
	u.mu.Lock()
	tok := u.token
	u.mu.Unlock()
	if tok == nil {
		return ""
	}
	return tok.RefreshToken()
}

// Fields returns a copy of the server's fields of the user.
func (u *User) Fields() Object {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.fields.Clone()
}

// Field returns a string field of the user, such as "id" or "email".
func (u *User) Field(key string) string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.fields.String(key)
}

// ID is the user's id.
func (u *User) ID() string { return u.Field("id") }

// Email is the user's email address.
func (u *User) Email() string { return u.Field("email") }

// URL is the API URL of the client the user belongs to.
func (u *User) URL() string { return u.url }

// Audience is the user's audience.
func (u *User) Audience() string {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.audience
}

// FromStorage tells whether the user was recovered from storage.
func (u *User) FromStorage() bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.fromStorage
}

// currentRevision changes whenever the user's token or fields change: the
// browser bindings copy the user onto its page object only when it moved.
func (u *User) currentRevision() uint64 {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.revision
}

// Client is the client the user belongs to.
func (u *User) Client() *Client { return u.client }

// MarshalJSON writes the user as gotrue-js saves it: token, url, audience,
// the server's fields in their order, and _fromStorage when set.
func (u *User) MarshalJSON() ([]byte, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.json == nil || u.jsonRev != u.revision {
		b, err := u.marshal()
		if err != nil {
			return nil, err
		}
		u.json, u.jsonRev = b, u.revision
	}
	return append([]byte(nil), u.json...), nil // the caller may change its copy
}

// marshal encodes the user; u.mu is held.
func (u *User) marshal() ([]byte, error) {
	var o Object
	if u.token == nil {
		o.put("token", RawJSON("null"))
	} else {
		tb, err := u.token.MarshalJSON()
		if err != nil {
			return nil, err
		}
		o.put("token", tb)
	}
	o.put("url", jsonString(u.url))
	o.put("audience", jsonString(u.audience))
	for _, k := range u.fields.keys {
		o.put(k, u.fields.vals[k])
	}
	if u.fromStorage {
		o.put("_fromStorage", RawJSON("true"))
	}
	return o.MarshalJSON()
}

// saveUserData copies the server's fields onto the user, leaving out the
// reserved names (gotrue-js's _saveUserData). It reports whether a field
// changed.
func (u *User) saveUserData(data Object) (changed bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, k := range data.keys {
		if reservedKeys[k] {
			continue
		}
		if old, ok := u.fields.Get(k); !ok || !sameJSON(old, data.vals[k]) {
			changed = true
		}
		u.fields.put(k, data.vals[k])
	}
	u.revision++
	return changed
}

// replaceToken installs tok if the user still holds one of the refresh
// tokens olds: the one a refresh started with, or the one it spent, which
// the user may have taken from another tab's write in the meantime. It
// reports whether it did.
func (u *User) replaceToken(tok *Token, olds ...string) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.token == nil {
		return false
	}
	for _, old := range olds {
		if u.token.RefreshToken() == old {
			u.token = tok.clone()
			u.revision++
			return true
		}
	}
	return false
}

// dropToken forgets the token if it still is the one with refresh token
// old, and reports whether it did.
func (u *User) dropToken(old string) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.token != nil && u.token.RefreshToken() == old {
		u.token = nil
		u.revision++
		return true
	}
	return false
}

// JWT returns the access token, refreshing it first when force is true or
// when it expires within a minute. Callers that need a refresh at the same
// time share one request.
//
// Deviation from gotrue-js: the session is cleared only when the server
// rejects the refresh token (a 4xx answer). A network failure, a timeout
// or a 5xx returns the error and keeps the session, so that an offline user
// is not logged out; the next call tries again.
func (u *User) JWT(ctx context.Context, force bool) (string, error) {
	u.mu.Lock()
	tok := u.token
	u.mu.Unlock()
	if tok == nil {
		return "", ErrNoToken
	}
	if !force && tok.fresh(u.client.clock.Now()) {
		return tok.AccessToken(), nil
	}
	return u.refresh(ctx, tok.RefreshToken())
}

// refresh buys a new access token with the refresh token rt, as gotrue-js's
// _refreshToken(rt): callers refreshing the same token share one request,
// and only a server that refuses rt ends the session (see [User.JWT]).
func (u *User) refresh(ctx context.Context, rt string) (string, error) {
	fresh, cleared, err := u.client.session.refresh(ctx, u, rt)
	if err != nil {
		if cleared {
			u.dropToken(rt)
		}
		return "", err
	}
	u.replaceToken(fresh, rt)
	return fresh.AccessToken(), nil
}

// freshAccessToken returns the access token when it needs no refresh, for
// callers (the browser bindings) that answer at once in that case.
func (u *User) freshAccessToken() (string, bool) {
	u.mu.Lock()
	tok := u.token
	u.mu.Unlock()
	if tok == nil || !tok.fresh(u.client.clock.Now()) {
		return "", false
	}
	return tok.AccessToken(), true
}

// request is gotrue-js's User._request: the user's audience, a fresh
// bearer token, and the message rewrite of JSON errors.
func (u *User) request(ctx context.Context, cl call) (RawJSON, error) {
	if cl.audience == "" {
		cl.audience = u.Audience()
	}
	jwt, err := u.JWT(ctx, false)
	if err != nil {
		return nil, rewriteMessage(err)
	}
	h := map[string]string{"Authorization": "Bearer " + jwt}
	for k, v := range cl.header {
		h[k] = v
	}
	cl.header = h
	v, err := u.client.send(ctx, cl)
	return v, rewriteMessage(err)
}

// fetchUserData gets the user's JSON from the server.
func (u *User) fetchUserData(ctx context.Context, cl call) (Object, error) {
	raw, err := u.request(ctx, cl)
	if err != nil {
		return Object{}, err
	}
	data, err := ParseObject(raw)
	if err != nil {
		return Object{}, &InvalidAnswerError{Status: 200, Reason: "the user is not a JSON object"}
	}
	return data, nil
}

// GetUserData reloads the user's fields from the server and rewrites the
// saved session if one is saved.
func (u *User) GetUserData(ctx context.Context) error {
	data, err := u.fetchUserData(ctx, call{method: "GET", path: "/user"})
	if err != nil {
		return err
	}
	u.updated(data)
	return nil
}

// Update changes the user (PUT /user with attributes such as email,
// password and data), copies the answer onto the user and rewrites the
// saved session if one is saved.
func (u *User) Update(ctx context.Context, attributes Object) error {
	data, err := u.fetchUserData(ctx, call{method: "PUT", path: "/user", body: attributes.Bytes()})
	if err != nil {
		return err
	}
	u.updated(data)
	return nil
}

// updated saves the server's answer onto the user and the saved session,
// and tells the subscribers when the user changed.
func (u *User) updated(data Object) {
	changed := u.saveUserData(data)
	u.client.session.refreshSaved(u)
	if changed {
		u.client.session.emit(EventUserUpdate, u)
	}
}

// Logout revokes the user's refresh tokens on the server and clears the
// session, whether the request succeeds or not. The error is the request's,
// for callers that care; gotrue-js ignores it.
func (u *User) Logout(ctx context.Context) error {
	_, err := u.request(ctx, call{method: "POST", path: "/logout"})
	u.ClearSession()
	return err
}

// ClearSession removes the saved session, forgets the token and the
// current user.
//
// It tells the subscribers of EventLogout when the user still had a
// session: clearing one twice is one logout.
func (u *User) ClearSession() {
	u.mu.Lock()
	had := u.token != nil
	u.token = nil
	u.revision++
	u.mu.Unlock()
	u.client.session.removeSaved(u.client.log)
	u.client.session.setCurrent(nil)
	if had {
		u.client.session.emit(EventLogout, nil)
	}
}

// Admin returns the admin API bound to this user's token.
func (u *User) Admin() *Admin { return &Admin{user: u} }
