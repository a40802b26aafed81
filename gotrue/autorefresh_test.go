package gotrue_test

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xcontext"
	"github.com/gotrue-wasm/gotrue-wasm/internal/plumbing"
)

// arServer is a small GoTrue for the auto-refresh tests, which run in a
// synctest bubble: its tokens expire lifetime after the bubble's now, and
// the clients over it keep the default (system) clock, which in a bubble
// is the bubble's fake clock that the auto-refresh's timers follow.
type arServer struct {
	api      *fakeAPI
	storage  *gotrue.MemoryStorage
	log      *logRecorder
	lifetime time.Duration

	mu        sync.Mutex
	serial    int
	valid     string      // the refresh token the server accepts now
	refreshes []time.Time // when each refresh request arrived, failed or not
}

func newARServer(lifetime time.Duration) *arServer {
	s := &arServer{api: newFakeAPI(), storage: &gotrue.MemoryStorage{}, log: &logRecorder{}, lifetime: lifetime}
	s.api.handle("POST /token", func(r *gotrue.Request) *gotrue.Response {
		body := string(r.Body)
		s.mu.Lock()
		defer s.mu.Unlock()
		if strings.HasPrefix(body, "grant_type=refresh_token") {
			if s.valid == "" || body != "grant_type=refresh_token&refresh_token="+s.valid {
				return jsonAnswer(400, refusedRefresh)
			}
		}
		s.serial++
		s.valid = "rt-" + strconv.Itoa(s.serial)
		access := makeJWT(map[string]any{"exp": time.Now().Add(s.lifetime).Unix(), "sub": "11111111-2222-4333-8444-555555555555", "n": s.serial})
		return jsonAnswer(200, `{"access_token":"`+access+`","token_type":"bearer","expires_in":`+strconv.Itoa(int(s.lifetime/time.Second))+`,"refresh_token":"`+s.valid+`"}`)
	})
	s.api.handle("GET /user", func(*gotrue.Request) *gotrue.Response { return jsonAnswer(200, fakeUserJSON) })
	return s
}

// Do records the time of each refresh request, before the fakeAPI answers
// (or fails it as a dead network).
func (s *arServer) Do(ctx xcontext.Context, req *gotrue.Request) (*gotrue.Response, error) {
	if req.Method == "POST" && strings.HasSuffix(req.URL, "/token") && strings.HasPrefix(string(req.Body), "grant_type=refresh_token") {
		s.mu.Lock()
		s.refreshes = append(s.refreshes, time.Now())
		s.mu.Unlock()
	}
	return s.api.Do(ctx, req)
}

// client is a new tab over the server's storage; locker nil is a lock of
// its own.
func (s *arServer) client(locker gotrue.Locker) *gotrue.Client {
	return gotrue.New("https://example.com/api", gotrue.Options{Transport: s, Session: gotrue.NewSessionStore(s.storage, locker), Logger: s.log})
}

func (s *arServer) login(t *testing.T, c *gotrue.Client) *gotrue.User {
	t.Helper()
	u, err := c.Login(ctx, "ann@example.com", "secret", true)
	require.NoError(t, err)
	return u
}

// refreshTimes are the times of the refresh requests so far.
func (s *arServer) refreshTimes() []time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.refreshes...)
}

func (s *arServer) refreshCount() int { return len(s.refreshTimes()) }

// requestCount is the number of requests of any kind so far.
func (s *arServer) requestCount() int {
	s.api.mu.Lock()
	defer s.api.mu.Unlock()
	return len(s.api.requests)
}

// sleep advances the synctest bubble's fake clock by d (no real time
// passes: inside a bubble, time.Sleep returns as soon as every other
// goroutine is blocked) and waits until the bubble settles. Only called
// inside bubble(...).
func sleep(d time.Duration) {
	time.Sleep(d)
	synctest.Wait()
}

// With a 4 s token, the auto-refresh refreshes at half-life, every 2 s,
// and the subscribers see each refresh.
func TestAutoRefreshShortToken(t *testing.T) {
	bubble(t, func(t *testing.T) {
		s := newARServer(4 * time.Second)
		c := s.client(nil)
		u := s.login(t, c)
		n0 := s.refreshCount() // a 4 s token is never fresh: the login refreshed it too
		events := record(t, c)
		start := time.Now()
		a := c.StartAutoRefresh()
		defer a.Stop()

		synctest.Wait()
		assert.Equal(t, n0, s.refreshCount(), "nothing before half-life")
		sleep(2*time.Second - time.Millisecond)
		assert.Equal(t, n0, s.refreshCount())
		sleep(time.Millisecond)
		require.Equal(t, n0+1, s.refreshCount(), "at half-life")
		got := events.all()
		require.Len(t, got, 1, "%v", events.kinds())
		assert.Equal(t, gotrue.EventTokenRefresh, got[0].Kind)
		sameUser(t, u, got[0].User)

		sleep(10 * time.Second)
		times := s.refreshTimes()[n0:]
		require.Len(t, times, 6, "every 2 s")
		for i, at := range times {
			assert.Equal(t, time.Duration(i+1)*2*time.Second, at.Sub(start), "refresh %d", i)
		}
		assert.Equal(t, 6, events.count(gotrue.EventTokenRefresh))
		assert.True(t, u.Token().RefreshToken() == "rt-"+strconv.Itoa(n0+7), "the user holds the last token")
		assert.True(t, strings.Contains(s.saved(), `"refresh_token":"rt-`+strconv.Itoa(n0+7)+`"`), "each refresh is saved")
	})
}

func (s *arServer) saved() string {
	v, _, _ := s.storage.Get(gotrue.StorageKey)
	return v
}

// With a 1 h token, nothing is asked for until 90 s before expiry (30 s
// before the expiry margin); then the token is refreshed once.
func TestAutoRefreshLongToken(t *testing.T) {
	bubble(t, func(t *testing.T) {
		s := newARServer(time.Hour)
		c := s.client(nil)
		u := s.login(t, c)
		before := s.requestCount()
		a := c.StartAutoRefresh()
		defer a.Stop()
		exp := time.UnixMilli(u.Token().ExpiresAt())

		sleep(time.Hour - 90*time.Second - time.Millisecond)
		assert.Equal(t, before, s.requestCount(), "no request at all")
		sleep(time.Millisecond)
		times := s.refreshTimes()
		require.Len(t, times, 1)
		assert.Equal(t, 90*time.Second, exp.Sub(times[0]))
		fresh, ok := plumbing.FreshAccessToken(u)
		assert.True(t, ok, "the token is fresh again")
		assert.NotEmpty(t, fresh)

		// The next one 90 s before the new token's expiry.
		sleep(time.Hour - 90*time.Second)
		assert.Equal(t, 2, s.refreshCount())
	})
}

// Pause stops the refreshes; Resume after the due time refreshes at once.
func TestAutoRefreshPauseResume(t *testing.T) {
	bubble(t, func(t *testing.T) {
		s := newARServer(time.Hour)
		c := s.client(nil)
		u := s.login(t, c)
		a := c.StartAutoRefresh()
		defer a.Stop()
		synctest.Wait()
		a.Pause()
		sleep(2 * time.Hour)
		assert.Equal(t, 0, s.refreshCount(), "paused")
		_, ok := plumbing.FreshAccessToken(u)
		assert.False(t, ok, "the token lapsed")

		resumed := time.Now()
		a.Resume()
		synctest.Wait()
		times := s.refreshTimes()
		require.Len(t, times, 1, "at once")
		assert.Equal(t, resumed, times[0])
		_, ok = plumbing.FreshAccessToken(u)
		assert.True(t, ok)

		// Paused and resumed before the due time: the due time stands.
		a.Pause()
		sleep(time.Minute)
		a.Resume()
		synctest.Wait()
		assert.Equal(t, 1, s.refreshCount(), "not due yet")
		sleep(time.Hour - 90*time.Second - time.Minute)
		assert.Equal(t, 2, s.refreshCount())
	})
}

// Stop ends the auto-refresh's goroutine (the bubble would report it
// blocked forever otherwise); a second Stop, and Pause or Resume after it,
// are harmless.
func TestAutoRefreshStop(t *testing.T) {
	bubble(t, func(t *testing.T) {
		s := newARServer(4 * time.Second)
		c := s.client(nil)
		s.login(t, c)
		n0 := s.refreshCount()
		a := c.StartAutoRefresh()
		defer a.Stop()
		sleep(2 * time.Second)
		require.Equal(t, n0+1, s.refreshCount())
		a.Stop()
		a.Stop()
		a.Pause()
		a.Resume()
		sleep(time.Minute)
		assert.Equal(t, n0+1, s.refreshCount(), "no refresh after Stop")

		// Stopped while waiting for a login.
		c2 := s.client(nil)
		require.NoError(t, s.storage.Remove(gotrue.StorageKey))
		a2 := c2.StartAutoRefresh()
		defer a2.Stop()
		synctest.Wait()
		a2.Stop()
		// Stopped while paused.
		a3 := c2.StartAutoRefresh()
		defer a3.Stop()
		a3.Pause()
		synctest.Wait()
		a3.Stop()
	})
}

// Without a current user nothing is asked for; a login wakes the
// auto-refresh, and a logout puts it back to sleep.
func TestAutoRefreshWaitsForALogin(t *testing.T) {
	bubble(t, func(t *testing.T) {
		s := newARServer(time.Hour)
		c := s.client(nil)
		a := c.StartAutoRefresh()
		defer a.Stop()
		sleep(3 * time.Hour)
		assert.Zero(t, s.requestCount(), "no request without a user")

		u := s.login(t, c)
		loggedIn := time.Now()
		synctest.Wait()
		sleep(time.Hour - 90*time.Second)
		times := s.refreshTimes()
		require.Len(t, times, 1, "the login woke it")
		assert.Equal(t, time.Hour-90*time.Second, times[0].Sub(loggedIn))

		u.ClearSession()
		synctest.Wait()
		sleep(3 * time.Hour)
		assert.Equal(t, 1, s.refreshCount(), "no user, no refresh")
	})
}

// A session another tab saved is picked up when a storage event tells of
// it.
func TestAutoRefreshWakesOnAnotherTabsLogin(t *testing.T) {
	bubble(t, func(t *testing.T) {
		s := newARServer(time.Hour)
		c := s.client(nil)
		a := c.StartAutoRefresh()
		defer a.Stop()
		synctest.Wait()

		other := s.client(nil)
		s.login(t, other)
		c.Session().StorageChanged("", s.saved())
		synctest.Wait()
		sleep(time.Hour - 90*time.Second)
		assert.Equal(t, 1, s.refreshCount())
	})
}

// Failed refreshes (the network is down) are retried after 2 s, 4 s, 8 s …;
// once one succeeds, the cadence is the token's again.
func TestAutoRefreshBacksOff(t *testing.T) {
	bubble(t, func(t *testing.T) {
		s := newARServer(4 * time.Second)
		c := s.client(nil)
		u := s.login(t, c)
		n0 := s.refreshCount()
		events := record(t, c)
		s.api.failNetwork("POST /token", errors.New("TypeError: Failed to fetch"))
		a := c.StartAutoRefresh()
		defer a.Stop()

		sleep(2*time.Second + 2*time.Second + 4*time.Second + 8*time.Second + 16*time.Second + 32*time.Second)
		times := s.refreshTimes()[n0:]
		require.Len(t, times, 6)
		for i, want := range []time.Duration{2, 4, 8, 16, 32} {
			assert.Equal(t, want*time.Second, times[i+1].Sub(times[i]), "wait after failure %d", i+1)
		}
		assert.NotNil(t, u.Token(), "a network failure keeps the session")
		assert.Empty(t, events.all())

		// The network is back: the next try (64 s after the last) succeeds,
		// and the one after comes at the new token's half-life.
		s.api.failNetwork("POST /token", nil)
		sleep(64 * time.Second)
		times = s.refreshTimes()[n0:]
		require.Len(t, times, 7)
		assert.Equal(t, 64*time.Second, times[6].Sub(times[5]))
		assert.Equal(t, []gotrue.EventKind{gotrue.EventTokenRefresh}, events.kinds())
		sleep(2 * time.Second)
		times = s.refreshTimes()[n0:]
		require.Len(t, times, 8)
		assert.Equal(t, 2*time.Second, times[7].Sub(times[6]))
	})
}

// The backoff is capped at 5 minutes.
func TestAutoRefreshBackoffCap(t *testing.T) {
	bubble(t, func(t *testing.T) {
		s := newARServer(time.Hour)
		c := s.client(nil)
		s.login(t, c)
		s.api.failNetwork("POST /token", errors.New("TypeError: Failed to fetch"))
		a := c.StartAutoRefresh()
		defer a.Stop()
		sleep(3 * time.Hour)
		times := s.refreshTimes()
		require.Greater(t, len(times), 10)
		for i := 1; i < len(times); i++ {
			assert.LessOrEqual(t, times[i].Sub(times[i-1]), 5*time.Minute)
		}
		assert.Equal(t, 5*time.Minute, times[len(times)-1].Sub(times[len(times)-2]))
	})
}

// The server refusing the refresh token ends the session: the auto-refresh
// stops asking and waits for a login.
func TestAutoRefreshRefusedEndsTheSession(t *testing.T) {
	bubble(t, func(t *testing.T) {
		s := newARServer(time.Hour)
		c := s.client(nil)
		u := s.login(t, c)
		events := record(t, c)
		s.mu.Lock()
		s.valid = "" // the server forgets every refresh token
		s.mu.Unlock()
		a := c.StartAutoRefresh()
		defer a.Stop()
		sleep(time.Hour)
		assert.Equal(t, 1, s.refreshCount())
		assert.True(t, u.Token() == nil, "expected nil")
		assert.True(t, c.CurrentUser() == nil, "expected nil")
		assert.Equal(t, []gotrue.EventKind{gotrue.EventLogout}, events.kinds())
		sleep(5 * time.Hour)
		assert.Equal(t, 1, s.refreshCount(), "nothing more")
	})
}

// Tokens that are expired when they are issued would be refreshed in a
// loop: the auto-refresh never makes more than 30 requests in 5 minutes.
func TestAutoRefreshRateLimit(t *testing.T) {
	bubble(t, func(t *testing.T) {
		s := newARServer(0)
		c := s.client(nil)
		s.login(t, c)
		n0 := s.refreshCount()
		a := c.StartAutoRefresh()
		defer a.Stop()
		sleep(21 * time.Minute)
		times := s.refreshTimes()[n0:]
		require.Greater(t, len(times), 30, "it keeps refreshing")
		for i := 0; i+30 < len(times); i++ {
			assert.GreaterOrEqual(t, times[i+30].Sub(times[i]), 5*time.Minute, "requests %d and %d", i, i+30)
		}
		// 30 now, then 30 at each 5-minute mark: 0, 5, 10, 15, 20 min.
		assert.Equal(t, 150, len(times))
	})
}

// Two tabs over one storage and one cross-tab locker, both with the
// auto-refresh on, make one refresh request per due time: the second tab
// adopts the first one's token.
func TestAutoRefreshTwoTabs(t *testing.T) {
	bubble(t, func(t *testing.T) {
		s := newARServer(time.Hour)
		locker := gotrue.NewProcessLocker()
		tabA, tabB := s.client(locker), s.client(locker)
		uA := s.login(t, tabA)
		uB := tabB.CurrentUser()
		require.NotNil(t, uB)
		eventsB := record(t, tabB)
		a := tabA.StartAutoRefresh()
		defer a.Stop()
		b := tabB.StartAutoRefresh()
		defer b.Stop()

		for cycle := 1; cycle <= 3; cycle++ {
			sleep(time.Hour - 90*time.Second)
			assert.Equal(t, cycle, s.refreshCount(), "cycle %d: one request", cycle)
			assert.True(t, uA.Token().AccessToken() == uB.Token().AccessToken(), "cycle %d: both tabs hold the new token", cycle)
			assert.True(t, uA.Token().RefreshToken() == uB.Token().RefreshToken(), "cycle %d: the same refresh token", cycle)
			assert.Equal(t, cycle, eventsB.count(gotrue.EventTokenRefresh), "tab B hears each refresh")
		}
		assert.NotContains(t, strings.Join(s.log.all(), "\n"), "without the cross-tab lock")
	})
}

// The same with tokens shorter-lived than the expiry margin, refreshed at
// half-life: such a token is never fresh by the margin's measure, yet the
// second tab adopts it rather than spending it again.
func TestAutoRefreshTwoTabsShortToken(t *testing.T) {
	bubble(t, func(t *testing.T) {
		s := newARServer(4 * time.Second)
		locker := gotrue.NewProcessLocker()
		tabA, tabB := s.client(locker), s.client(locker)
		s.login(t, tabA)
		require.NotNil(t, tabB.CurrentUser())
		n0 := s.refreshCount()
		a := tabA.StartAutoRefresh()
		defer a.Stop()
		b := tabB.StartAutoRefresh()
		defer b.Stop()
		sleep(2 * time.Second)
		assert.Equal(t, n0+1, s.refreshCount())
		sleep(8 * time.Second)
		assert.Equal(t, n0+5, s.refreshCount())
	})
}
