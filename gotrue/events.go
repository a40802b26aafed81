package gotrue

import (
	"bytes"
	"sync"
)

// EventKind names a change of the session.
type EventKind string

// The events of a session, named as a page subscribes to them.
const (
	// EventLogin: a user became the current user (Login, Confirm,
	// Recover, Verify, AcceptInvite, CreateUser, HandleRedirect), or
	// another tab saved a login.
	EventLogin EventKind = "login"
	// EventLogout: the session ended (Logout, ClearSession, a refresh
	// token the server refused), or another tab removed it. Its User is
	// nil.
	EventLogout EventKind = "logout"
	// EventTokenRefresh: the user's access token changed (a refresh, the
	// auto-refresh, or a token another tab bought).
	EventTokenRefresh EventKind = "token_refresh"
	// EventUserUpdate: Update or GetUserData changed the user's fields,
	// or another tab saved new ones.
	EventUserUpdate EventKind = "user_update"
)

// EventKinds lists every kind, in the order above.
var EventKinds = []EventKind{EventLogin, EventLogout, EventTokenRefresh, EventUserUpdate}

// Event is one change of the session.
type Event struct {
	Kind EventKind
	User *User // nil for EventLogout
}

// subscription is one Subscribe: fn, and the client whose settings a
// user recovered for it from another tab's write is made with.
type subscription struct {
	client *Client
	fn     func(Event)
}

// subscribers is a session's subscriptions, in the order they were made.
type subscribers struct {
	mu   sync.Mutex
	subs []*subscription
}

// Subscribe calls fn for every event of the client's session, whichever
// client of the session caused it; it returns the function that stops
// the calls. fn runs on the goroutine that made the change, after the
// change and with no lock held, so it may call the client. A panic in fn
// is recovered and logged: one subscriber cannot break the call that
// caused the event, nor the other subscribers.
func (c *Client) Subscribe(fn func(Event)) (unsubscribe func()) {
	s := &c.session.subs
	sub := &subscription{client: c, fn: fn}
	s.mu.Lock()
	s.subs = append(s.subs, sub)
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			for i, x := range s.subs {
				if x == sub {
					s.subs = append(s.subs[:i:i], s.subs[i+1:]...)
					break
				}
			}
		})
	}
}

// list is a copy of the subscriptions, to call without the lock.
func (s *subscribers) list() []*subscription {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.subs
}

// emit tells every subscriber of kind about u. It must be called with no
// lock held: subscribers may call back in.
func (s *SessionStore) emit(kind EventKind, u *User) {
	for _, sub := range s.subs.list() {
		sub.call(Event{Kind: kind, User: u})
	}
}

// call runs the subscriber, recovering a panic.
func (sub *subscription) call(e Event) {
	defer func() {
		if r := recover(); r != nil {
			sub.client.log.Error("gotrue: an event subscriber panicked on " + string(e.Kind))
		}
	}()
	sub.fn(e)
}

// storageChanged takes in another tab's write of the saved session
// (localStorage's storage event: the entry's old and new values, "" for
// none). The in-memory current user is dropped, so that the next
// CurrentUser reads storage again (a page's currentUser() then returns a
// user recovered from storage, as after a reload); and the subscribers
// are told what the write means for this tab:
//
//   - no user before, one now: EventLogin;
//   - a user before, none now: EventLogout;
//   - another user now: EventLogout, then EventLogin;
//   - the same user: EventTokenRefresh when the access token changed,
//     else EventUserUpdate when the fields did.
//
// "Before" is this tab's current user when it has one in memory, else
// what was saved; a current user that already is the saved one (the
// page's own storage listener ran first and called CurrentUser) tells
// nothing, and the change is told as from the old value. Subscribers get
// the user recovered from storage. An event without values (one a page
// dispatches itself, or localStorage.clear()) is read from storage, and
// compared with this tab's memory only.
func (s *SessionStore) storageChanged(oldValue, newValue string) {
	unknown := oldValue == "" && newValue == ""
	if unknown {
		newValue = s.saved()
	}
	before, after := readSessionView(oldValue), readSessionView(newValue)
	if unknown {
		before = after // nothing known to have changed, but by this tab's memory
	}
	if cur := s.Current(); cur != nil {
		if v := cur.view(); v != after {
			before = v
		}
	}
	s.Invalidate()
	switch {
	case !before.present && !after.present:
	case !after.present:
		s.emit(EventLogout, nil)
	case !before.present:
		s.emitRecovered(EventLogin)
	case before.id != after.id:
		s.emit(EventLogout, nil)
		s.emitRecovered(EventLogin)
	case before.access != after.access:
		s.emitRecovered(EventTokenRefresh)
	case before.fields != after.fields:
		s.emitRecovered(EventUserUpdate)
	}
}

// emitRecovered tells each subscriber about the user saved now, recovered
// with the subscriber's client (the first one makes the current user;
// the others find it).
func (s *SessionStore) emitRecovered(kind EventKind) {
	for _, sub := range s.subs.list() {
		if u := s.recover(sub.client); u != nil {
			sub.call(Event{Kind: kind, User: u})
		}
	}
}

// sessionView is what tells two sessions apart: whether there is one,
// the user's id, the access token and the user's fields (as JSON, as the
// encoder writes them, so that equal values compare equal).
type sessionView struct {
	present                     bool
	id, access, refresh, fields string
}

// readSessionView reads a saved entry. What CurrentUser would not recover
// (corrupt, or without a url or a token object) is no session.
func readSessionView(raw string) sessionView {
	data, err := ParseObject([]byte(raw))
	if err != nil {
		return sessionView{}
	}
	url, _ := data.Get("url")
	tokRaw, _ := data.Get("token")
	if !jsTruthy(url) || !jsTruthy(tokRaw) {
		return sessionView{}
	}
	tok, err := ParseToken(tokRaw)
	if err != nil {
		return sessionView{}
	}
	var f Object
	for _, k := range data.keys {
		if !reservedKeys[k] {
			f.put(k, data.vals[k])
		}
	}
	return sessionView{present: true, id: data.String("id"), access: tok.AccessToken(), refresh: tok.RefreshToken(), fields: string(f.Bytes())}
}

// view is the user's sessionView; one whose token is gone has none.
func (u *User) view() sessionView {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.token == nil {
		return sessionView{}
	}
	return sessionView{present: true, id: u.fields.String("id"), access: u.token.AccessToken(), refresh: u.token.RefreshToken(), fields: string(u.fields.Bytes())}
}

// sameJSON reports whether two JSON values read the same: the server
// escapes "&" as \u0026 where JSON.stringify, which wrote the saved
// session, does not.
func sameJSON(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	var x, y bytes.Buffer
	(&encoder{buf: &x}).write(a)
	(&encoder{buf: &y}).write(b)
	return bytes.Equal(x.Bytes(), y.Bytes())
}
