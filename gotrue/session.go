package gotrue

import (
	"errors"
	"sync"

	context "github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xcontext"
	time "github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xtime"
)

// StorageKey is where the session is saved, as gotrue-js saves it.
const StorageKey = "gotrue.user"

// How long a refresh waits for the cross-tab lock before going on without
// it: a tab that hangs while holding it must not block the others forever.
const lockTimeout = 10 * time.Second

// How long one token refresh may take, as in gotrue-js.
const refreshTimeout = 30 * time.Second

// After the server refuses a refresh token, how long to watch storage for
// the token another tab bought with it: localStorage writes reach other
// tabs asynchronously, so a tab can be granted the lock before it sees the
// previous holder's write.
var lateWriteWait = time.Second // a var for the tests, which shorten it

// A refresh that had to queue for the lock (another tab held it, most
// likely refreshing the same token) first gives that tab's write this long
// to arrive, rather than spending a token the server has rotated.
const (
	queuedWait    = 250 * time.Millisecond
	lateWritePoll = 10 * time.Millisecond
)

// SessionStore is the session state that gotrue-js keeps at module level:
// the saved session in storage, the current user in memory, and the token
// refreshes under way. Clients that share a SessionStore share all three.
type SessionStore struct {
	storage Storage
	locker  Locker

	mu      sync.Mutex
	current *User
	flights map[string]*flight // by refresh token

	subs subscribers // of the session's events
}

// flight is one refresh request shared by everyone who needs it.
type flight struct {
	done    chan struct{}
	tok     *Token
	err     error
	cleared bool // the server refused the refresh token: the session ended
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

// Current is the current user held in memory, without reading storage:
// nil when none is (yet) recovered.
func (s *SessionStore) Current() *User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.current
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

// saveRefreshed rewrites the saved session with u's refreshed token only
// if it is u's (given no refresh token to tell apart, lookSaved returns
// any token of u's saved): another tab may have saved another user's
// session since, which a refresh of u must not overwrite. GetUserData and
// Update keep gotrue-js's rewrite-if-anything-is-saved (refreshSaved).
func (s *SessionStore) saveRefreshed(u *User) {
	if tok, _ := s.lookSaved(u, ""); tok != nil {
		s.save(u)
	}
}

// clearCurrent forgets the current user if it is u, or another copy of
// u's session holding a refused refresh token (rt, or the saved one it
// spent): a user who logged in since (on another client of this session,
// or while u's refresh was under way) stays logged in.
func (s *SessionStore) clearCurrent(u *User, rt, spent string) (cleared bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// s.mu before u.mu: nothing takes them the other way round.
	if cur := s.current; cur != nil {
		if r := cur.refreshToken(); cur == u || r == rt || r == spent {
			s.current = nil
			return true
		}
	}
	return false
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
	if !validJSON([]byte(raw)) {
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

// lookSaved reads the saved session once. newer is u's token with a
// refresh token other than rt when another tab saved one, so that we use
// it instead of spending rt, which the server no longer accepts; same
// reports whether u's session with rt itself is saved. One read: a write
// landing between two reads would look like neither.
func (s *SessionStore) lookSaved(u *User, rt string) (newer *Token, same bool) {
	data, err := ParseObject([]byte(s.saved()))
	if err != nil {
		return nil, false
	}
	id := u.Field("id")
	if id == "" || data.String("id") != id {
		return nil, false
	}
	tokRaw, _ := data.Get("token")
	tok, err := ParseToken(tokRaw)
	if err != nil || tok.RefreshToken() == "" {
		return nil, false
	}
	if tok.RefreshToken() == rt {
		return nil, true
	}
	return tok, false
}

// refresh buys a new access token with rt, once for every caller that
// holds rt at the same time. The request outlives any one caller's ctx.
func (s *SessionStore) refresh(ctx context.Context, u *User, rt string) (*Token, bool, error) {
	s.mu.Lock()
	f, ok := s.flights[rt]
	if !ok {
		f = &flight{done: make(chan struct{})}
		s.flights[rt] = f
		go func() {
			var event EventKind
			defer func() {
				if r := recover(); r != nil {
					f.err = errors.New("gotrue: internal error during token refresh")
				}
				s.mu.Lock()
				delete(s.flights, rt)
				s.mu.Unlock()
				// After the cross-tab lock is released and the flight is
				// over, so that a subscriber may refresh again, and
				// before the callers go on.
				s.announce(event, u)
				close(f.done)
			}()
			f.tok, f.cleared, event, f.err = s.runRefresh(u, rt)
		}()
	}
	s.mu.Unlock()
	select {
	case <-f.done:
		return f.tok, f.cleared, f.err
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
}

// runRefresh does one refresh under the cross-tab lock: it adopts a token
// another tab already bought, else posts the refresh token; on success the
// new token is saved before the lock is released, so that the next tab
// finds it. Only a 4xx answer (the server refusing the refresh token)
// clears the session, and only when no other tab turns out to have bought
// a newer token with it; a network failure, a timeout or a 5xx keeps it.
// cleared reports whether the session ended; event is what to tell the
// subscribers ("" for nothing).
func (s *SessionStore) runRefresh(u *User, rt string) (tok *Token, cleared bool, event EventKind, err error) {
	c := u.client
	ctx, cancel := context.WithTimeout(context.Background(), refreshTimeout)
	defer cancel()

	lockCtx, lockCancel := context.WithTimeout(ctx, lockTimeout)
	release, queued, err := s.locker.Lock(lockCtx, StorageKey)
	lockCancel()
	locked := err == nil
	if !locked {
		c.log.Warn("gotrue: refreshing without the cross-tab lock: " + err.Error())
		release = func() {}
	}
	defer release()

	spend := rt
	tok, _ = s.lookSaved(u, rt)
	if tok == nil && locked && queued {
		tok = s.awaitLateWrite(ctx, u, rt, queuedWait)
	}
	if tok != nil {
		if tok.usable(c.clock.Now()) {
			return tok, false, adopted(u, rt, tok), nil
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
			if u.replaceToken(tok, rt, spend) {
				event = EventTokenRefresh
			}
			s.saveRefreshed(u)
			return tok, false, event, nil
		}
	}
	if errors.Is(err, ErrTimeout) {
		err = errRefreshTimeout
	}
	if !isRejection(err) {
		return nil, false, "", err
	}
	if tok := s.awaitLateWrite(ctx, u, spend, lateWriteWait); tok != nil {
		return tok, false, adopted(u, rt, tok), nil
	}
	if !locked {
		// Without the lock the refusal may be another tab's refresh of
		// the same token still under way: keep the session; the next call
		// adopts the token that tab saves.
		return nil, false, "", err
	}
	dropped := u.dropToken(rt)
	s.removeSavedToken(spend, c.log)
	// The session ended if it was the current one, or if u's was the
	// only one there was; a user who logged in since stays, and hears
	// nothing of the old one.
	if s.clearCurrent(u, rt, spend) || dropped && s.Current() == nil {
		event = EventLogout
	}
	return nil, true, event, err
}

// adopted gives u the token tok another tab bought with rt, and is
// EventTokenRefresh when that changed u ("" for a user who has it already,
// from the storage event).
func adopted(u *User, rt string, tok *Token) EventKind {
	if u.replaceToken(tok, rt) {
		return EventTokenRefresh
	}
	return ""
}

// announce tells the subscribers of a refresh's outcome: u's new token,
// unless u is still being logged in (a login whose token needs a refresh
// at once, as a short-lived one does, is announced by EventLogin alone),
// or the end of the session.
func (s *SessionStore) announce(event EventKind, u *User) {
	switch event {
	case EventLogout:
		s.emit(EventLogout, nil)
	case EventTokenRefresh:
		u.mu.Lock()
		pending := u.pending
		u.mu.Unlock()
		if !pending {
			s.emit(EventTokenRefresh, u)
		}
	}
}

// awaitLateWrite watches storage for a newer token of u than spent, for
// up to wait, when what this tab sees saved is u's session with spent in
// it: the view that another tab's write may not have reached yet.
func (s *SessionStore) awaitLateWrite(ctx context.Context, u *User, spent string, wait time.Duration) *Token {
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	tick := time.NewTicker(lateWritePoll)
	defer tick.Stop()
	for {
		tok, same := s.lookSaved(u, spent)
		if tok != nil {
			return tok
		}
		if !same {
			return nil // not u's session any more: no write of u's to wait for
		}
		select {
		case <-tick.C:
		case <-deadline.C:
			return nil
		case <-ctx.Done():
			return nil
		}
	}
}

// removeSavedToken removes the saved session unless it holds a refresh
// token other than refused: another tab's newer session must survive.
func (s *SessionStore) removeSavedToken(refused string, log Logger) {
	if raw := s.saved(); raw != "" {
		if data, err := ParseObject([]byte(raw)); err == nil {
			tokRaw, _ := data.Get("token")
			if tok, err := ParseToken(tokRaw); err == nil && tok.RefreshToken() != "" && tok.RefreshToken() != refused {
				return
			}
		}
	}
	s.removeSaved(log)
}

var errRefreshTimeout = &timeoutError{"gotrue: the token refresh did not finish in time"}
