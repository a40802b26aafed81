package gotrue

import (
	"sync"

	context "github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xcontext"
	time "github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xtime"
)

// The auto-refresh's timing.
const (
	// autoRefreshLead: the token is refreshed this long before it enters
	// the expiry margin, so that no call ever waits for a refresh.
	autoRefreshLead = 30 * time.Second
	// netlify/gotrue allows one IP 30 requests to /token in 5 minutes;
	// the auto-refresh alone never makes more.
	refreshRateWindow = 5 * time.Minute
	refreshRateLimit  = 30
	// After a failed refresh, the next waits backoffFirst, doubling up to
	// backoffMax.
	backoffFirst = 2 * time.Second
	backoffMax   = 5 * time.Minute
)

// AutoRefresh keeps the current user's access token fresh in the
// background, so that a page's calls never wait for a refresh and a
// session does not lapse while the page is open: it refreshes the token
// shortly before it would need one (or halfway through a short-lived
// token's life), under the cross-tab lock (a tab that finds a token
// another tab bought uses it), backs off after a failure, and never asks
// for more than the server's /token rate limit allows. It waits while
// there is no current user. Subscribers see each refresh as
// EventTokenRefresh.
type AutoRefresh struct {
	c           *Client
	wake        chan struct{} // poked to look again: an event, Resume
	stop        chan struct{}
	stopOnce    sync.Once
	unsubscribe func()

	mu     sync.Mutex
	paused bool
	sent   []int64 // the times (Unix ms) of the recent refreshes, oldest first

	// The access token last seen and when (Unix ms): a short-lived
	// token's due time is halfway through its life as first seen, not
	// halfway from each later look, which would never arrive.
	seenToken string
	seenAt    int64
}

// StartAutoRefresh starts keeping the current user's token fresh; Stop
// ends it.
func (c *Client) StartAutoRefresh() *AutoRefresh {
	a := &AutoRefresh{c: c, wake: make(chan struct{}, 1), stop: make(chan struct{})}
	a.unsubscribe = c.Subscribe(func(Event) { a.poke() })
	go a.run()
	return a
}

// Pause stops refreshing until Resume, such as while the page is hidden:
// a hidden tab need not keep a token fresh, and the next call refreshes
// it if it must.
func (a *AutoRefresh) Pause() { a.setPaused(true) }

// Resume refreshes again, at once if the token is due.
func (a *AutoRefresh) Resume() { a.setPaused(false) }

// Stop ends the auto-refresh for good.
func (a *AutoRefresh) Stop() {
	a.stopOnce.Do(func() {
		a.unsubscribe()
		close(a.stop)
	})
}

func (a *AutoRefresh) setPaused(p bool) {
	a.mu.Lock()
	a.paused = p
	a.mu.Unlock()
	a.poke()
}

// poke makes the loop look again, without blocking.
func (a *AutoRefresh) poke() {
	select {
	case a.wake <- struct{}{}:
	default:
	}
}

func (a *AutoRefresh) run() {
	failures := 0
	var lastFailure int64
	for {
		a.mu.Lock()
		paused := a.paused
		a.mu.Unlock()
		if paused {
			if !a.wait(-1) {
				return
			}
			continue
		}
		u := a.c.session.recover(a.c)
		var tok *Token
		if u != nil {
			tok = u.Token()
		}
		if tok == nil || tok.RefreshToken() == "" {
			if !a.wait(-1) { // until a login
				return
			}
			continue
		}
		now := a.c.clock.Now().UnixMilli()
		if tok.AccessToken() != a.seenToken {
			a.seenToken, a.seenAt = tok.AccessToken(), now
		}
		due := refreshDue(tok.ExpiresAt(), a.seenAt)
		if failures > 0 {
			due = max(due, lastFailure+backoff(failures).Milliseconds())
		}
		due = max(due, a.allowedAt(now))
		if due > now {
			if !a.wait(time.Duration(due-now) * time.Millisecond) {
				return
			}
			continue
		}
		a.note(now)
		if _, err := u.refresh(context.Background(), tok.RefreshToken()); err != nil {
			failures, lastFailure = failures+1, now
		} else {
			failures = 0
		}
	}
}

// refreshDue is when (Unix ms) a token that expires at expiresAt, first
// seen at seen, is refreshed: autoRefreshLead before the expiry margin,
// but not before halfway through its life from seen, so that a token
// shorter-lived than the margin is not refreshed over and over. An
// expired or unknown expiry is due at once.
func refreshDue(expiresAt, seen int64) int64 {
	if expiresAt <= seen {
		return seen
	}
	return max(expiresAt-(expiryMargin+autoRefreshLead).Milliseconds(), seen+(expiresAt-seen)/2)
}

// backoff is the wait after n failures in a row.
func backoff(n int) time.Duration {
	d := backoffFirst
	for i := 1; i < n && d < backoffMax; i++ {
		d *= 2
	}
	return min(d, backoffMax)
}

// allowedAt is the first time (Unix ms) a refresh stays within the rate
// limit.
func (a *AutoRefresh) allowedAt(now int64) int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.sent = dropBefore(a.sent, now-refreshRateWindow.Milliseconds())
	if len(a.sent) < refreshRateLimit {
		return now
	}
	return a.sent[len(a.sent)-refreshRateLimit] + refreshRateWindow.Milliseconds()
}

// note records a refresh at now.
func (a *AutoRefresh) note(now int64) {
	a.mu.Lock()
	a.sent = append(a.sent, now)
	a.mu.Unlock()
}

// dropBefore drops the times before t from the sorted list.
func dropBefore(times []int64, t int64) []int64 {
	i := 0
	for i < len(times) && times[i] <= t {
		i++
	}
	return append(times[:0], times[i:]...)
}

// wait waits d (forever when negative), a poke or Stop; false means Stop.
func (a *AutoRefresh) wait(d time.Duration) bool {
	var timeout <-chan time.Time
	if d >= 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-timeout:
	case <-a.wake:
	case <-a.stop:
		return false
	}
	return true
}
