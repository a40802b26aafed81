package gotrue_test

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
)

// eventLog records the events a subscriber receives.
type eventLog struct {
	mu     sync.Mutex
	events []gotrue.Event
}

// record subscribes a new eventLog to c's session; the subscription ends
// with the test.
func record(t *testing.T, c *gotrue.Client) *eventLog {
	t.Helper()
	l := &eventLog{}
	t.Cleanup(c.Subscribe(func(e gotrue.Event) {
		l.mu.Lock()
		l.events = append(l.events, e)
		l.mu.Unlock()
	}))
	return l
}

func (l *eventLog) all() []gotrue.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]gotrue.Event(nil), l.events...)
}

func (l *eventLog) kinds() []gotrue.EventKind {
	var ks []gotrue.EventKind
	for _, e := range l.all() {
		ks = append(ks, e.Kind)
	}
	return ks
}

// count is the number of events of kind.
func (l *eventLog) count(kind gotrue.EventKind) int {
	n := 0
	for _, e := range l.all() {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

func (l *eventLog) reset() {
	l.mu.Lock()
	l.events = nil
	l.mu.Unlock()
}

// sameUser asserts that got is the user want. It prints neither: a user's
// dump holds its tokens, which no failure message may show.
func sameUser(t *testing.T, want, got *gotrue.User, msgAndArgs ...any) bool {
	t.Helper()
	msg := fmt.Sprintf("not the same *User (want %p, got %p)", want, got)
	if len(msgAndArgs) > 0 {
		if f, ok := msgAndArgs[0].(string); ok {
			msg = fmt.Sprintf(f, msgAndArgs[1:]...) + ": " + msg
		}
	}
	return assert.True(t, want == got, msg)
}

// requireSameUser is sameUser, stopping the test when it fails.
func requireSameUser(t *testing.T, want, got *gotrue.User, msgAndArgs ...any) {
	t.Helper()
	if !sameUser(t, want, got, msgAndArgs...) {
		t.FailNow()
	}
}

// serveVerify answers POST /verify with a fresh token, recording the bodies.
func serveVerify(w *world) *[]string {
	var bodies []string
	var mu sync.Mutex
	w.api.handle("POST /verify", func(r *gotrue.Request) *gotrue.Response {
		mu.Lock()
		bodies = append(bodies, string(r.Body))
		mu.Unlock()
		return jsonAnswer(200, w.issue())
	})
	return &bodies
}

func TestEventKinds(t *testing.T) {
	assert.Equal(t, []gotrue.EventKind{"login", "logout", "token_refresh", "user_update"}, gotrue.EventKinds)
}

// Every way of logging a user in tells the subscribers once, with the user.
func TestEveryLoginPathEmitsOneLogin(t *testing.T) {
	paths := map[string]func(w *world) (*gotrue.User, error){
		"Login": func(w *world) (*gotrue.User, error) {
			return w.client.Login(ctx, "ann@example.com", "secret", true)
		},
		"Confirm": func(w *world) (*gotrue.User, error) { return w.client.Confirm(ctx, "ct", true) },
		"Recover": func(w *world) (*gotrue.User, error) { return w.client.Recover(ctx, "rt", false) },
		"Verify": func(w *world) (*gotrue.User, error) {
			return w.client.Verify(ctx, "signup", "vt", true)
		},
		"AcceptInvite": func(w *world) (*gotrue.User, error) {
			return w.client.AcceptInvite(ctx, "it", "pw", true)
		},
		"CreateUser": func(w *world) (*gotrue.User, error) {
			tok := gotrue.NewToken(makeJWT(map[string]any{"exp": w.clock.at().Add(time.Hour).Unix()}), "bearer", 3600, "r")
			return w.client.CreateUser(ctx, tok, false)
		},
	}
	for name, login := range paths {
		t.Run(name, func(t *testing.T) {
			w := newWorld(t, gotrue.Options{})
			serveVerify(w)
			events := record(t, w.client)
			u, err := login(w)
			require.NoError(t, err)
			got := events.all()
			require.Len(t, got, 1, "one event: %v", events.kinds())
			assert.Equal(t, gotrue.EventLogin, got[0].Kind)
			sameUser(t, u, got[0].User)
			sameUser(t, u, w.client.CurrentUser())
		})
	}
}

// A login whose token must be refreshed at once (it lives less than the
// expiry margin) is announced by the login alone, not by a token_refresh
// of a user nobody has heard of yet.
func TestShortLivedLoginEmitsOnlyLogin(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	serial := 0
	w.api.handle("POST /token", func(*gotrue.Request) *gotrue.Response {
		serial++
		access := makeJWT(map[string]any{"exp": w.clock.at().Add(30 * time.Second).Unix(), "n": serial})
		return jsonAnswer(200, `{"access_token":"`+access+`","token_type":"bearer","expires_in":30,"refresh_token":"r`+strconv.Itoa(serial)+`"}`)
	})
	events := record(t, w.client)
	u := w.login(t, true)
	require.Equal(t, 2, w.api.count("POST /token"), "the login and the refresh its GET /user needed")
	got := events.all()
	require.Len(t, got, 1, "%v", events.kinds())
	assert.Equal(t, gotrue.EventLogin, got[0].Kind)
	sameUser(t, u, got[0].User)

	// Once logged in, the next refresh is told.
	_, err := u.JWT(ctx, false)
	require.NoError(t, err)
	assert.Equal(t, []gotrue.EventKind{gotrue.EventLogin, gotrue.EventTokenRefresh}, events.kinds())
}

// A login that fails tells nobody anything.
func TestFailedLoginEmitsNothing(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	events := record(t, w.client)
	_, err := w.client.Login(ctx, "ann@example.com", "wrong", true)
	require.Error(t, err)
	w.api.handle("GET /user", func(*gotrue.Request) *gotrue.Response { return textAnswer(502, "<html>") })
	_, err = w.client.Login(ctx, "ann@example.com", "secret", true)
	require.Error(t, err)
	assert.Empty(t, events.all())
}

// Logout and ClearSession end the session once: clearing it again, or
// logging out a user whose session was cleared, is not another logout.
func TestLogoutEmitsOnce(t *testing.T) {
	t.Run("Logout", func(t *testing.T) {
		w := newWorld(t, gotrue.Options{})
		u := w.login(t, true)
		events := record(t, w.client)
		require.NoError(t, u.Logout(ctx))
		assert.ErrorIs(t, u.Logout(ctx), gotrue.ErrNoToken, "no token left to log out with")
		u.ClearSession()
		got := events.all()
		require.Len(t, got, 1, "%v", events.kinds())
		assert.Equal(t, gotrue.EventLogout, got[0].Kind)
		assert.True(t, got[0].User == nil, "expected nil")
	})
	t.Run("ClearSession", func(t *testing.T) {
		w := newWorld(t, gotrue.Options{})
		u := w.login(t, false)
		events := record(t, w.client)
		u.ClearSession()
		u.ClearSession()
		got := events.all()
		require.Len(t, got, 1, "%v", events.kinds())
		assert.Equal(t, gotrue.EventLogout, got[0].Kind)
		assert.True(t, got[0].User == nil, "expected nil")
		assert.True(t, w.client.CurrentUser() == nil, "expected nil")
	})
}

// The server refusing the refresh token ends the session: one logout, and
// the caller gets the error; logging out afterwards is no second logout.
func TestRefusedRefreshEmitsLogout(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, true)
	events := record(t, w.client)
	w.mu.Lock()
	w.refresh = "" // the server forgets every refresh token
	w.mu.Unlock()
	_, err := u.JWT(ctx, true)
	require.Error(t, err)
	got := events.all()
	require.Len(t, got, 1, "%v", events.kinds())
	assert.Equal(t, gotrue.EventLogout, got[0].Kind)
	assert.True(t, got[0].User == nil, "expected nil")
	assert.True(t, w.client.CurrentUser() == nil, "expected nil")

	_ = u.Logout(ctx)
	assert.Equal(t, 1, events.count(gotrue.EventLogout), "the session had ended already")
}

// A refresh that fails for want of a network keeps the session: no event.
func TestNetworkFailureEmitsNothing(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, true)
	events := record(t, w.client)
	w.api.failNetwork("POST /token", errors.New("TypeError: Failed to fetch"))
	_, err := u.JWT(ctx, true)
	require.Error(t, err)
	assert.Empty(t, events.all())
	sameUser(t, u, w.client.CurrentUser())
}

// jwt(true) buys a token: one token_refresh with the user.
func TestForcedJWTEmitsTokenRefresh(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, true)
	events := record(t, w.client)
	before := u.Token().AccessToken()
	w.clock.advance(time.Second) // a token issued a second later differs
	jwt, err := u.JWT(ctx, true)
	require.NoError(t, err)
	assert.False(t, jwt == before, "a new access token")
	got := events.all()
	require.Len(t, got, 1, "%v", events.kinds())
	assert.Equal(t, gotrue.EventTokenRefresh, got[0].Kind)
	sameUser(t, u, got[0].User)
	assert.True(t, got[0].User.Token().AccessToken() == jwt, "the event's user holds the new token")

	// A cached jwt changes nothing.
	_, err = u.JWT(ctx, false)
	require.NoError(t, err)
	assert.Len(t, events.all(), 1)
}

// Tab A refreshes; tab B's stale user adopts A's token from storage, and
// B's subscribers see a token_refresh without B spending anything.
func TestAdoptedTokenEmitsTokenRefreshInTheOtherTab(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	tabA := w.login(t, true)
	clientB := w.tab(w.storage, nil)
	tabB := clientB.CurrentUser()
	require.NotNil(t, tabB)
	eventsA, eventsB := record(t, w.client), record(t, clientB)

	w.clock.advance(59*time.Minute + 30*time.Second)
	jwtA, err := tabA.JWT(ctx, false)
	require.NoError(t, err)
	require.Equal(t, 2, w.api.count("POST /token"), "login and tab A's refresh")
	assert.Equal(t, []gotrue.EventKind{gotrue.EventTokenRefresh}, eventsA.kinds())
	assert.Empty(t, eventsB.all(), "tab B has not looked yet")

	jwtB, err := tabB.JWT(ctx, false)
	require.NoError(t, err)
	assert.True(t, jwtA == jwtB, "tab B adopts tab A's token")
	assert.Equal(t, 2, w.api.count("POST /token"), "tab B makes no request")
	got := eventsB.all()
	require.Len(t, got, 1, "%v", eventsB.kinds())
	assert.Equal(t, gotrue.EventTokenRefresh, got[0].Kind)
	sameUser(t, tabB, got[0].User)
	assert.Len(t, eventsA.all(), 1, "tab A's subscribers hear nothing of tab B's adoption")
}

// A refused refresh that adopts another tab's late write is a
// token_refresh, not a logout.
func TestLateWriteAdoptionEmitsTokenRefresh(t *testing.T) {
	bubble(t, func(t *testing.T) {
		_, tabA, tabB, viewB := lateWriteTabs(t)
		eventsB := record(t, tabB.Client())
		viewB.freeze()
		_, err := tabA.JWT(ctx, true)
		require.NoError(t, err)
		time.AfterFunc(30*time.Millisecond, viewB.thaw)
		_, err = tabB.JWT(ctx, true)
		require.NoError(t, err)
		got := eventsB.all()
		require.Len(t, got, 1, "%v", eventsB.kinds())
		assert.Equal(t, gotrue.EventTokenRefresh, got[0].Kind)
		sameUser(t, tabB, got[0].User)
	})
}

// ValidateCurrentSession with a session the server rejects: one logout.
func TestRejectedSessionEmitsLogout(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	w.login(t, true)
	events := record(t, w.client)
	w.api.handle("GET /user", func(*gotrue.Request) *gotrue.Response {
		return jsonAnswer(401, `{"code":401,"msg":"Invalid token: token is expired"}`)
	})
	u, err := w.client.ValidateCurrentSession(ctx)
	require.NoError(t, err)
	assert.True(t, u == nil, "expected nil")
	assert.Equal(t, []gotrue.EventKind{gotrue.EventLogout}, events.kinds())

	// Offline: the session stays, no event.
	w2 := newWorld(t, gotrue.Options{})
	w2.login(t, true)
	events2 := record(t, w2.client)
	w2.api.handle("GET /user", func(*gotrue.Request) *gotrue.Response { return textAnswer(503, "down") })
	u, err = w2.client.ValidateCurrentSession(ctx)
	require.Error(t, err, "kept, not validated")
	assert.NotNil(t, u)
	assert.Empty(t, events2.all())
}

// Update and GetUserData tell the subscribers only when a field changed.
func TestUserUpdateOnlyWhenAFieldChanged(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, true)
	events := record(t, w.client)

	require.NoError(t, u.GetUserData(ctx), "the server answers the same user")
	assert.Empty(t, events.all())

	changed := strings.Replace(fakeUserJSON, `"full_name":"Ann \u0026 Co"`, `"full_name":"Ann"`, 1)
	w.api.handle("PUT /user", func(*gotrue.Request) *gotrue.Response { return jsonAnswer(200, changed) })
	var attrs gotrue.Object
	attrs.Set("data", gotrue.RawJSON(`{"full_name":"Ann"}`))
	require.NoError(t, u.Update(ctx, attrs))
	got := events.all()
	require.Len(t, got, 1, "%v", events.kinds())
	assert.Equal(t, gotrue.EventUserUpdate, got[0].Kind)
	sameUser(t, u, got[0].User)

	require.NoError(t, u.Update(ctx, attrs), "the same answer again")
	assert.Len(t, events.all(), 1)

	// GetUserData with an answer that differs from the user: an update.
	require.NoError(t, u.GetUserData(ctx))
	assert.Equal(t, []gotrue.EventKind{gotrue.EventUserUpdate, gotrue.EventUserUpdate}, events.kinds())

	// A failed update tells nothing.
	w.api.handle("PUT /user", func(*gotrue.Request) *gotrue.Response { return jsonAnswer(422, `{"msg":"no"}`) })
	require.Error(t, u.Update(ctx, attrs))
	assert.Len(t, events.all(), 2)
}

// A user recovered from storage, reloaded from a server that answers the
// same user: no field changed, no event. The saved session holds the
// fields as JSON.stringify writes them ("&"), the server's answer as Go's
// encoding/json does (\u0026): the same values.
func TestGetUserDataOfARecoveredUserWithTheSameAnswer(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	w.login(t, true)
	w.session.Invalidate()
	u := w.client.CurrentUser()
	require.NotNil(t, u)
	events := record(t, w.client)
	require.NoError(t, u.GetUserData(ctx))
	assert.Empty(t, events.kinds())
	_, err := w.client.ValidateCurrentSession(ctx)
	require.NoError(t, err)
	assert.Empty(t, events.kinds())
}

// Unsubscribing stops the calls; calling it twice is harmless, and the
// other subscribers go on.
func TestUnsubscribeStopsCalls(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	var calls int
	unsubscribe := w.client.Subscribe(func(gotrue.Event) { calls++ })
	other := record(t, w.client)
	u := w.login(t, true)
	assert.Equal(t, 1, calls)
	unsubscribe()
	unsubscribe()
	u.ClearSession()
	w.login(t, false)
	assert.Equal(t, 1, calls)
	assert.Equal(t, []gotrue.EventKind{gotrue.EventLogin, gotrue.EventLogout, gotrue.EventLogin}, other.kinds())
}

// Subscribers are called in the order they subscribed; an unsubscribe in
// the middle keeps the order of the rest.
func TestSubscribersInOrder(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	var order []int
	var unsubs []func()
	for i := range 4 {
		unsubs = append(unsubs, w.client.Subscribe(func(gotrue.Event) { order = append(order, i) }))
	}
	unsubs[1]()
	w.login(t, false)
	assert.Equal(t, []int{0, 2, 3}, order)
	for _, u := range unsubs {
		u()
	}
}

// Clients sharing a session share its subscribers: a login through one is
// heard by the subscribers of the other.
func TestSubscribersOfASharedSession(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	other := gotrue.New("https://example.com/api", gotrue.Options{Transport: w.api, Session: w.session, Clock: w.clock})
	events := record(t, other)
	u := w.login(t, false)
	got := events.all()
	require.Len(t, got, 1)
	sameUser(t, u, got[0].User)
}

// A subscriber that panics is logged; the login goes through and the next
// subscriber is called.
func TestPanickingSubscriber(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	unsubscribe := w.client.Subscribe(func(gotrue.Event) { panic("boom") })
	defer unsubscribe()
	events := record(t, w.client)
	u, err := w.client.Login(ctx, "ann@example.com", "secret", true)
	require.NoError(t, err)
	require.NotNil(t, u)
	sameUser(t, u, w.client.CurrentUser())
	assert.NotEmpty(t, w.saved())
	assert.Equal(t, []gotrue.EventKind{gotrue.EventLogin}, events.kinds())
	assert.Contains(t, w.log.all(), "error: gotrue: an event subscriber panicked on login")

	// A panic inside a refresh (the refresh's own goroutine) neither.
	jwt, err := u.JWT(ctx, true)
	require.NoError(t, err)
	assert.NotEmpty(t, jwt)
	assert.Contains(t, w.log.all(), "error: gotrue: an event subscriber panicked on token_refresh")
	for _, line := range w.log.all() {
		assert.False(t, strings.Contains(line, jwt), "no token in the log")
	}
	assert.Equal(t, []gotrue.EventKind{gotrue.EventLogin, gotrue.EventTokenRefresh}, events.kinds())
}

// Subscribers may call back into the client and the user, and subscribe
// or unsubscribe, from inside the call.
func TestSubscribersMayCallBack(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	type seen struct {
		kind    gotrue.EventKind
		current *gotrue.User
		jwt     string
	}
	var got []seen
	var late []gotrue.EventKind
	var unsubLate func()
	unsubscribe := w.client.Subscribe(func(e gotrue.Event) {
		s := seen{kind: e.Kind, current: w.client.CurrentUser()}
		if e.User != nil {
			s.jwt, _ = e.User.JWT(ctx, false)
			_ = e.User.Fields()
			_, _ = e.User.MarshalJSON()
		}
		_ = w.session.Current()
		got = append(got, s)
		if unsubLate == nil {
			unsubLate = w.client.Subscribe(func(e gotrue.Event) { late = append(late, e.Kind) })
		}
	})
	defer unsubscribe()

	u := w.login(t, true)
	jwt, err := u.JWT(ctx, true)
	require.NoError(t, err)
	u.ClearSession()
	require.Len(t, got, 3)
	assert.Equal(t, gotrue.EventLogin, got[0].kind)
	sameUser(t, u, got[0].current, "the user is current when login is told")
	assert.True(t, got[0].jwt != "", "the user has a token when login is told")
	assert.Equal(t, gotrue.EventTokenRefresh, got[1].kind)
	sameUser(t, u, got[1].current)
	assert.True(t, got[1].jwt == jwt, "the new token is in place when token_refresh is told")
	assert.Equal(t, gotrue.EventLogout, got[2].kind)
	assert.True(t, got[2].current == nil && got[2].jwt == "", "no current user when logout is told")
	assert.Equal(t, []gotrue.EventKind{gotrue.EventTokenRefresh, gotrue.EventLogout}, late, "a subscription made during a call hears the next events")
	unsubLate()
}

// A token_refresh subscriber that itself refreshes the token (say, to
// forward a fresh one to a worker) runs with no lock held, as Subscribe
// documents: its refresh does not wait for the cross-tab lock.
func TestTokenRefreshSubscriberMayRefresh(t *testing.T) {
	bubble(t, func(t *testing.T) {
		w := newWorld(t, gotrue.Options{})
		u := w.login(t, true)
		var first atomic.Bool
		var inner error
		unsubscribe := w.client.Subscribe(func(e gotrue.Event) {
			if e.Kind == gotrue.EventTokenRefresh && first.CompareAndSwap(false, true) {
				_, inner = e.User.JWT(ctx, true)
			}
		})
		defer unsubscribe()
		start := time.Now()
		_, err := u.JWT(ctx, true)
		require.NoError(t, err)
		require.NoError(t, inner)
		assert.Equal(t, time.Duration(0), time.Since(start), "no wait for the lock")
		assert.Equal(t, 3, w.api.count("POST /token"))
		assert.NotContains(t, strings.Join(w.log.all(), "\n"), "without the cross-tab lock")
	})
}

// Ann's refresh is refused after Bob logged in on the same session: Bob is
// still the current user, so the subscribers must not be told of a logout.
func TestRefusedRefreshOfAFormerUserEmitsNoLogout(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	ann := w.login(t, true)
	var bob *gotrue.User
	var events *eventLog
	w.refusedRefreshAround(t, ann, func() {
		w.userAnswer(bobID, "bob@example.com")
		bob = w.login(t, true)
		events = record(t, w.client)
	})
	requireSameUser(t, bob, w.client.CurrentUser())
	assert.Empty(t, events.all(), "Bob's session goes on")
}

// -- StorageChanged: another tab's write of the saved session --

// otherTab is another tab over the world's storage, as the browser's
// storage event describes its writes to this one.
type otherTab struct {
	w      *world
	client *gotrue.Client
}

func (w *world) otherTab() *otherTab { return &otherTab{w: w, client: w.tab(w.storage, nil)} }

// do runs f in the other tab and returns the saved entry before and after.
func (o *otherTab) do(t *testing.T, f func(c *gotrue.Client)) (oldValue, newValue string) {
	t.Helper()
	oldValue = o.w.saved()
	f(o.client)
	return oldValue, o.w.saved()
}

// Another tab logs in: this tab, which had no user, hears a login with the
// user recovered from storage, who is then its current user.
func TestStorageChangedLogin(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	events := record(t, w.client)
	oldValue, newValue := w.otherTab().do(t, func(c *gotrue.Client) {
		_, err := c.Login(ctx, "ann@example.com", "secret", true)
		require.NoError(t, err)
	})
	require.True(t, oldValue == "", "nothing was saved before")
	w.session.StorageChanged(oldValue, newValue)
	got := events.all()
	require.Len(t, got, 1, "%v", events.kinds())
	assert.Equal(t, gotrue.EventLogin, got[0].Kind)
	require.NotNil(t, got[0].User)
	assert.Equal(t, "ann@example.com", got[0].User.Email())
	assert.True(t, got[0].User.FromStorage())
	sameUser(t, got[0].User, w.client.CurrentUser(), "the event's user is the current user")
}

// Two clients of the session hear the same recovered user.
func TestStorageChangedLoginSharedSession(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	second := gotrue.New("https://example.com/api", gotrue.Options{Transport: w.api, Session: w.session, Clock: w.clock})
	e1, e2 := record(t, w.client), record(t, second)
	oldValue, newValue := w.otherTab().do(t, func(c *gotrue.Client) {
		_, err := c.Login(ctx, "ann@example.com", "secret", true)
		require.NoError(t, err)
	})
	w.session.StorageChanged(oldValue, newValue)
	require.Len(t, e1.all(), 1)
	require.Len(t, e2.all(), 1)
	sameUser(t, e1.all()[0].User, e2.all()[0].User)
	sameUser(t, e1.all()[0].User, second.CurrentUser())
}

// Another tab logs out: a logout with no user, and no current user here.
func TestStorageChangedLogout(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	w.login(t, true)
	events := record(t, w.client)
	oldValue, newValue := w.otherTab().do(t, func(c *gotrue.Client) {
		u := c.CurrentUser()
		require.NotNil(t, u)
		require.NoError(t, u.Logout(ctx))
	})
	require.True(t, newValue == "", "nothing is saved after the logout")
	w.session.StorageChanged(oldValue, newValue)
	got := events.all()
	require.Len(t, got, 1, "%v", events.kinds())
	assert.Equal(t, gotrue.EventLogout, got[0].Kind)
	assert.True(t, got[0].User == nil, "expected nil")
	assert.True(t, w.client.CurrentUser() == nil, "expected nil")
}

// Another tab logs another user in: logout, then login of the new user.
func TestStorageChangedAnotherUser(t *testing.T) {
	for _, inMemory := range []bool{true, false} {
		w := newWorld(t, gotrue.Options{})
		ann := w.login(t, true)
		if !inMemory {
			w.session.Invalidate()
		}
		events := record(t, w.client)
		w.userAnswer(bobID, "bob@example.com")
		oldValue, newValue := w.otherTab().do(t, func(c *gotrue.Client) {
			_, err := c.Login(ctx, "ann@example.com", "secret", true)
			require.NoError(t, err)
		})
		w.session.StorageChanged(oldValue, newValue)
		got := events.all()
		require.Len(t, got, 2, "in memory %v: %v", inMemory, events.kinds())
		assert.Equal(t, gotrue.EventLogout, got[0].Kind)
		assert.True(t, got[0].User == nil, "expected nil")
		assert.Equal(t, gotrue.EventLogin, got[1].Kind)
		require.NotNil(t, got[1].User)
		assert.Equal(t, bobID, got[1].User.ID())
		sameUser(t, got[1].User, w.client.CurrentUser())
		assert.NotNil(t, ann.Token(), "Ann's object is not this tab's to clear")
	}
}

// Another tab refreshed the token: this tab drops its in-memory user (the
// next CurrentUser reads storage, as the contract says), and the
// subscribers get the recovered user, who holds the other tab's token and
// needs no refresh of its own. The object the page held before still
// works: its next refresh adopts the saved token instead of spending its
// own.
func TestStorageChangedTokenRefresh(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, true)
	events := record(t, w.client)
	fields := u.Fields()
	var jwt string
	oldValue, newValue := w.otherTab().do(t, func(c *gotrue.Client) {
		other := c.CurrentUser()
		require.NotNil(t, other)
		w.clock.advance(time.Second) // a token issued a second later differs
		var err error
		jwt, err = other.JWT(ctx, true)
		require.NoError(t, err)
	})
	require.True(t, oldValue != newValue, "the other tab saved a new entry")
	w.session.StorageChanged(oldValue, newValue)
	got := events.all()
	require.Len(t, got, 1, "%v", events.kinds())
	assert.Equal(t, gotrue.EventTokenRefresh, got[0].Kind)
	cur := w.client.CurrentUser()
	sameUser(t, cur, got[0].User, "the subscribers get the current user")
	assert.True(t, cur != u, "the in-memory user was dropped and storage read again")
	assert.True(t, cur.FromStorage(), "recovered from storage")
	assert.True(t, cur.Token().AccessToken() == jwt, "the user holds the other tab's access token")
	assert.JSONEq(t, string(fields.Bytes()), string(cur.Fields().Bytes()), "the fields are the same")

	before := w.api.count("POST /token")
	got2, err := cur.JWT(ctx, false)
	require.NoError(t, err)
	assert.True(t, got2 == jwt, "no refresh of its own")
	got3, err := u.JWT(ctx, true)
	require.NoError(t, err)
	assert.True(t, got3 == jwt, "the old object adopts the saved token")
	assert.Equal(t, before, w.api.count("POST /token"))
}

// A refresh within the same second can give the same access token (it has
// no issue time) with a new refresh token: no event, and the recovered
// user holds the new refresh token, not the spent one.
func TestStorageChangedSameAccessTokenNewRefreshToken(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, true)
	events := record(t, w.client)
	access := u.Token().AccessToken()
	oldValue, newValue := w.otherTab().do(t, func(c *gotrue.Client) {
		jwt, err := c.CurrentUser().JWT(ctx, true)
		require.NoError(t, err)
		require.True(t, jwt == access, "the same claims in the same second: the same access token")
	})
	require.True(t, strings.Contains(newValue, `"refresh_token":"refresh-2"`), "the other tab saved its new refresh token")
	w.session.StorageChanged(oldValue, newValue)
	assert.True(t, w.client.CurrentUser().Token().RefreshToken() == "refresh-2", "the current user has the saved token")
	assert.Empty(t, events.kinds(), "the access token did not change")
}

// The same with no user in memory here: a token_refresh with the user
// recovered from storage.
func TestStorageChangedTokenRefreshNothingInMemory(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	w.login(t, true)
	w.session.Invalidate()
	events := record(t, w.client)
	w.clock.advance(time.Second) // a token issued a second later differs
	oldValue, newValue := w.otherTab().do(t, func(c *gotrue.Client) {
		_, err := c.CurrentUser().JWT(ctx, true)
		require.NoError(t, err)
	})
	w.session.StorageChanged(oldValue, newValue)
	got := events.all()
	require.Len(t, got, 1, "%v", events.kinds())
	assert.Equal(t, gotrue.EventTokenRefresh, got[0].Kind)
	require.NotNil(t, got[0].User)
	assert.True(t, got[0].User.Token().RefreshToken() == "refresh-2", "the recovered user holds the new token")
	sameUser(t, got[0].User, w.client.CurrentUser())
}

// Another tab saved new fields of the same user: user_update, on the same
// *User, which now has them.
func TestStorageChangedUserUpdate(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, true)
	events := record(t, w.client)
	access := u.Token().AccessToken()
	changed := strings.Replace(fakeUserJSON, `"full_name":"Ann \u0026 Co"`, `"full_name":"Ann"`, 1)
	w.api.handle("PUT /user", func(*gotrue.Request) *gotrue.Response { return jsonAnswer(200, changed) })
	oldValue, newValue := w.otherTab().do(t, func(c *gotrue.Client) {
		var attrs gotrue.Object
		attrs.Set("data", gotrue.RawJSON(`{"full_name":"Ann"}`))
		require.NoError(t, c.CurrentUser().Update(ctx, attrs))
	})
	w.session.StorageChanged(oldValue, newValue)
	got := events.all()
	require.Len(t, got, 1, "%v", events.kinds())
	assert.Equal(t, gotrue.EventUserUpdate, got[0].Kind)
	cur := w.client.CurrentUser()
	sameUser(t, cur, got[0].User, "the subscribers get the current user, read from storage")
	assert.True(t, cur != u)
	md, _ := cur.Fields().Get("user_metadata")
	assert.Equal(t, `{"full_name":"Ann"}`, string(md))
	assert.True(t, cur.Token().AccessToken() == access, "the token is the same")
}

// Another tab rewrote the saved session with the same user and token (its
// GetUserData found nothing new): nothing changed, no event. The server
// (Go's encoding/json) escapes "&" as \u0026, JSON.stringify does not:
// the same field, written two ways.
func TestStorageChangedSameUserNoEvent(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, true)
	events := record(t, w.client)
	oldValue, newValue := w.otherTab().do(t, func(c *gotrue.Client) {
		require.NoError(t, c.CurrentUser().GetUserData(ctx))
	})
	require.True(t, oldValue != newValue, "the other tab rewrote the entry (_fromStorage)")
	w.session.StorageChanged(oldValue, newValue)
	assert.Empty(t, events.kinds(), "the same user, token and fields")
	cur := w.client.CurrentUser()
	assert.True(t, cur != nil && cur != u && cur.ID() == u.ID(), "the same user, read from storage again")
}

// A corrupt entry is no session: a logout, and no panic.
func TestStorageChangedCorruptEntry(t *testing.T) {
	for _, corrupt := range []string{`{not json`, `null`, `[]`, `{"token":"abc","url":"x"}`} {
		w := newWorld(t, gotrue.Options{})
		u := w.login(t, true)
		events := record(t, w.client)
		oldValue := w.saved()
		require.NoError(t, w.storage.Set(gotrue.StorageKey, corrupt))
		assert.NotPanics(t, func() { w.session.StorageChanged(oldValue, corrupt) }, corrupt)
		got := events.all()
		require.Len(t, got, 1, "%s: %v", corrupt, events.kinds())
		assert.Equal(t, gotrue.EventLogout, got[0].Kind, corrupt)
		assert.True(t, w.client.CurrentUser() == nil, corrupt)
		assert.NotNil(t, u.Token(), "this tab's object is not cleared")

		// From corrupt to corrupt: nothing.
		events.reset()
		assert.NotPanics(t, func() { w.session.StorageChanged(corrupt, `{also bad`) })
		assert.Empty(t, events.all(), corrupt)
	}
}

// An entry without a url is no session for CurrentUser (as in gotrue-js):
// the subscribers must hear a logout rather than nothing.
func TestStorageChangedEntryWithoutURL(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	u := w.login(t, true)
	events := record(t, w.client)
	oldValue := w.saved()
	newValue := `{"token":{"access_token":"a.b.c","refresh_token":"r9"},"id":"11111111-2222-4333-8444-555555555555"}`
	require.NoError(t, w.storage.Set(gotrue.StorageKey, newValue))
	w.session.StorageChanged(oldValue, newValue)
	cur := w.client.CurrentUser()
	if cur == nil {
		assert.Equal(t, []gotrue.EventKind{gotrue.EventLogout}, events.kinds())
	} else {
		sameUser(t, u, cur)
	}
}

// Without subscribers, every kind of change is safe, and still updates the
// session.
func TestStorageChangedWithoutSubscribers(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	var saved string
	assert.NotPanics(t, func() {
		w.session.StorageChanged("", "")
		oldValue, newValue := w.otherTab().do(t, func(c *gotrue.Client) {
			_, err := c.Login(ctx, "ann@example.com", "secret", true)
			require.NoError(t, err)
		})
		saved = newValue
		w.session.StorageChanged(oldValue, newValue)
		require.NotNil(t, w.client.CurrentUser())
		w.session.StorageChanged(newValue, newValue)
		w.session.StorageChanged(newValue, `{bad`)
		require.NoError(t, w.storage.Remove(gotrue.StorageKey))
		w.session.StorageChanged(newValue, "")
	})
	assert.NotEmpty(t, saved)
	assert.True(t, w.client.CurrentUser() == nil, "expected nil")
}

// A subscriber of a storage change may call back into the client.
func TestStorageChangedSubscriberMayCallBack(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	var current []*gotrue.User
	unsubscribe := w.client.Subscribe(func(gotrue.Event) { current = append(current, w.client.CurrentUser()) })
	defer unsubscribe()
	oldValue, newValue := w.otherTab().do(t, func(c *gotrue.Client) {
		_, err := c.Login(ctx, "ann@example.com", "secret", true)
		require.NoError(t, err)
	})
	w.session.StorageChanged(oldValue, newValue)
	require.Len(t, current, 1)
	assert.NotNil(t, current[0])
}

// Concurrent events and subscriptions are safe (run with -race).
func TestConcurrentSubscribeAndEmit(t *testing.T) {
	bubble(t, func(t *testing.T) {
		w := newWorld(t, gotrue.Options{})
		u := w.login(t, true)
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for range 20 {
					un := w.client.Subscribe(func(gotrue.Event) {})
					un()
				}
			})
		}
		for range 4 {
			wg.Go(func() {
				for range 5 {
					if _, err := u.JWT(ctx, true); err != nil {
						t.Error(err)
					}
				}
			})
		}
		wg.Wait()
		synctest.Wait()
	})
}

// A page's own storage listener may run before the library's and call
// CurrentUser, which then already holds the user another tab saved: the
// subscribers must still hear of the login, with that same user.
func TestStorageChangedAfterThePageRecoveredTheUser(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	events := record(t, w.client)
	oldValue, newValue := w.otherTab().do(t, func(c *gotrue.Client) {
		_, err := c.Login(ctx, "ann@example.com", "secret", true)
		require.NoError(t, err)
	})
	u := w.client.CurrentUser() // the page's listener, first
	require.True(t, u != nil, "the page recovers the saved user")
	w.session.StorageChanged(oldValue, newValue)
	assert.Equal(t, []gotrue.EventKind{gotrue.EventLogin}, events.kinds())
	requireSameUser(t, events.all()[0].User, w.client.CurrentUser())

	// The same for a refresh: the page's listener saw the new token first.
	w.clock.advance(time.Second) // a new access token, not only a new refresh token
	oldValue, newValue = w.otherTab().do(t, func(c *gotrue.Client) {
		_, err := c.CurrentUser().JWT(ctx, true)
		require.NoError(t, err)
	})
	w.session.Invalidate()
	v := w.client.CurrentUser()
	events.reset()
	w.session.StorageChanged(oldValue, newValue)
	assert.Equal(t, []gotrue.EventKind{gotrue.EventTokenRefresh}, events.kinds())
	assert.True(t, v.Token().AccessToken() == w.client.CurrentUser().Token().AccessToken())
}
