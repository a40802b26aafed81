package gotrue

import (
	"context"
	"errors"
	"sync"
	"time"
)

// StorageKey is where the session is saved, as gotrue-js saves it.
const StorageKey = "gotrue.user"

// How long a refresh waits for the cross-tab lock before going on without
// it: a tab that hangs while holding it must not block the others forever.
const lockTimeout = 10 * time.Second

// How long one token refresh may take, as in gotrue-js.
const refreshTimeout = 30 * time.Second

// SessionStore is the session state that gotrue-js keeps at module level:
// the saved session in storage, the current user in memory, and the token
// refreshes under way. Clients that share a SessionStore share all three.
type SessionStore struct {
	storage Storage
	locker  Locker

	mu      sync.Mutex
	current *User
	flights map[string]*flight // by refresh token
}

// flight is one refresh request shared by everyone who needs it.
type flight struct {
	done chan struct{}
	tok  *Token
	err  error
}

// NewSessionStore returns a session store over storage. locker is shared
// with the other processes (tabs) that use the same storage; nil means a
// lock within this process only.
func NewSessionStore(storage Storage, locker Locker) *SessionStore {
	if locker == nil {
		locker = NewProcessLocker()
	}
	return &SessionStore{storage: storage, locker: locker, flights: make(map[string]*flight)}
}

// Storage is the storage the session is saved in.
func (s *SessionStore) Storage() Storage { return s.storage }

// Invalidate drops the in-memory current user, so that the next
// CurrentUser reads storage again. The browser calls it when another tab
// writes the saved session (the storage event).
func (s *SessionStore) Invalidate() {
	s.mu.Lock()
	s.current = nil
	s.mu.Unlock()
}

func (s *SessionStore) setCurrent(u *User) {
	s.mu.Lock()
	s.current = u
	s.mu.Unlock()
}

// saved reads the saved session; errors of the storage count as none.
func (s *SessionStore) saved() string {
	v, ok, err := s.storage.Get(StorageKey)
	if err != nil || !ok {
		return ""
	}
	return v
}

// save writes u's session. A storage that refuses (full, disabled) leaves
// the user in memory; the failure goes to the log.
func (s *SessionStore) save(u *User) {
	b, err := u.MarshalJSON()
	if err == nil {
		err = s.storage.Set(StorageKey, string(b))
	}
	if err != nil {
		u.client.log.Error("gotrue: could not save the session: " + err.Error())
	}
}

// refreshSaved rewrites the saved session only if one is saved, as
// gotrue-js's _refreshSavedSession.
func (s *SessionStore) refreshSaved(u *User) {
	if s.saved() != "" {
		s.save(u)
	}
}

func (s *SessionStore) removeSaved(log Logger) {
	if err := s.storage.Remove(StorageKey); err != nil {
		log.Error("gotrue: could not remove the saved session: " + err.Error())
	}
}

// recover returns the current user, or the one saved in storage, or nil.
// A corrupt entry is logged and left in place, as gotrue-js does.
//
// Storage and the logger are called without holding s.mu: in the browser
// they are JavaScript that a page can hook, and that may call back in.
func (s *SessionStore) recover(c *Client) *User {
	s.mu.Lock()
	cur := s.current
	s.mu.Unlock()
	if cur != nil {
		return cur
	}
	raw := s.saved()
	if raw == "" {
		return nil
	}
	u, err := parseSavedUser(c, raw)
	if err != nil {
		c.log.Error("Gotrue-js: Error recovering session: " + err.Error())
		return nil
	}
	if u == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current == nil { // a concurrent caller may have recovered first
		s.current = u
	}
	return s.current
}

// errSavedToken: a saved token that is not an object cannot be used;
// gotrue-js would go on with a user whose jwt() resolves undefined.
var errSavedToken = errors.New("the saved token is not a JSON object")

// parseSavedUser reads a saved session. Valid JSON without a url or a token
// is no session (nil, nil), as in gotrue-js.
func parseSavedUser(c *Client, raw string) (*User, error) {
	if !ValidJSON([]byte(raw)) {
		return nil, errors.New("SyntaxError: the saved session is not valid JSON")
	}
	data, err := ParseObject([]byte(raw))
	if err != nil {
		return nil, nil // valid JSON that is not an object: no url, no token
	}
	url, _ := data.Get("url")
	tokRaw, _ := data.Get("token")
	if !jsTruthy(url) || !jsTruthy(tokRaw) {
		return nil, nil
	}
	tok, err := ParseToken(tokRaw)
	if err != nil {
		return nil, errSavedToken
	}
	u := newUser(c, tok, data.String("audience"))
	u.saveUserData(data)
	u.fromStorage = true
	return u, nil
}

// adoptable returns the saved token of the same user when another tab has
// already replaced rt with a newer one, so that we use it instead of
// spending rt, which the server no longer accepts.
func (s *SessionStore) adoptable(u *User, rt string) *Token {
	raw := s.saved()
	if raw == "" {
		return nil
	}
	data, err := ParseObject([]byte(raw))
	if err != nil {
		return nil
	}
	id := u.Field("id")
	if id == "" || data.String("id") != id {
		return nil
	}
	tokRaw, _ := data.Get("token")
	tok, err := ParseToken(tokRaw)
	if err != nil || tok.RefreshToken() == "" || tok.RefreshToken() == rt {
		return nil
	}
	return tok
}

// refresh buys a new access token with rt, once for every caller that
// holds rt at the same time. The request outlives any one caller's ctx.
func (s *SessionStore) refresh(ctx context.Context, u *User, rt string) (*Token, error) {
	s.mu.Lock()
	f, ok := s.flights[rt]
	if !ok {
		f = &flight{done: make(chan struct{})}
		s.flights[rt] = f
		go func() {
			defer func() {
				if r := recover(); r != nil {
					f.err = errors.New("gotrue: internal error during token refresh")
				}
				s.mu.Lock()
				delete(s.flights, rt)
				s.mu.Unlock()
				close(f.done)
			}()
			f.tok, f.err = s.runRefresh(u, rt)
		}()
	}
	s.mu.Unlock()
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// runRefresh does one refresh under the cross-tab lock: it adopts a token
// another tab already bought, else posts the refresh token; on success the
// new token is saved before the lock is released, so that the next tab
// finds it. Only a 4xx answer (the server rejecting the refresh token)
// clears the session; a network failure, a timeout or a 5xx keeps it.
func (s *SessionStore) runRefresh(u *User, rt string) (*Token, error) {
	c := u.client
	ctx, cancel := context.WithTimeout(context.Background(), refreshTimeout)
	defer cancel()

	lockCtx, lockCancel := context.WithTimeout(ctx, lockTimeout)
	release, err := s.locker.Lock(lockCtx, StorageKey)
	lockCancel()
	if err != nil {
		c.log.Warn("gotrue: refreshing without the cross-tab lock: " + err.Error())
		release = func() {}
	}
	defer release()

	spend := rt
	if tok := s.adoptable(u, rt); tok != nil {
		if tok.ExpiresAt()-expiryMargin.Milliseconds() >= c.clock.Now().UnixMilli() {
			u.replaceToken(rt, tok)
			return tok, nil
		}
		spend = tok.RefreshToken()
	}

	body := "grant_type=refresh_token&refresh_token=" + encodeURIComponent(spend)
	raw, err := c.send(ctx, call{
		method: "POST",
		path:   "/token",
		header: map[string]string{"Content-Type": formContentType},
		body:   []byte(body),
	})
	if err == nil {
		var tok *Token
		tok, err = c.tokenFromAnswer(raw, 200)
		if err == nil {
			tok.setExpiry(c.clock.Now(), c.log)
			u.replaceToken(rt, tok)
			s.refreshSaved(u)
			return tok, nil
		}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		err = errRefreshTimeout
	}
	if isRejection(err) {
		u.dropToken(rt)
		s.removeSaved(c.log)
		s.setCurrent(nil)
	}
	return nil, err
}

var errRefreshTimeout = errors.New("Token refresh timeout")
