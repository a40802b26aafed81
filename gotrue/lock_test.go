package gotrue_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xcontext"
)

// slowLocker grants a free lock only after a while, as Chromium's first
// Web Locks request of a page does: slow, but nobody else held it.
type slowLocker struct {
	gotrue.Locker
	delay time.Duration
}

func (l slowLocker) Lock(ctx xcontext.Context, name string) (func(), bool, error) {
	select {
	case <-time.After(l.delay):
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
	return l.Locker.Lock(ctx, name)
}

// A refresh nobody else holds the lock for does not wait for another
// tab's write, however long the lock took to come.
func TestUncontendedRefreshDoesNotWait(t *testing.T) {
	bubble(t, func(t *testing.T) {
		w := newWorld(t, gotrue.Options{})
		w.login(t, true)
		const grant = 10 * time.Millisecond
		u := w.tab(w.storage, slowLocker{gotrue.NewProcessLocker(), grant}).CurrentUser()
		require.NotNil(t, u)
		start := time.Now() // the bubble's clock
		_, err := u.JWT(ctx, true)
		require.NoError(t, err)
		assert.Equal(t, grant, time.Since(start), "only the lock's own delay")
		assert.Equal(t, 2, w.api.count("POST /token"))
	})
}

// A refresh that queued behind another tab's holds on until that tab's
// write reaches it, and adopts the token rather than spending the one the
// server has just rotated.
func TestQueuedRefreshAdoptsTheHoldersWrite(t *testing.T) {
	bubble(t, func(t *testing.T) {
		w := newWorld(t, gotrue.Options{})
		w.login(t, true)
		w.session.Invalidate()
		tabA := w.client.CurrentUser()
		require.NotNil(t, tabA)
		locker := gotrue.NewProcessLocker()
		viewB := &laggingStorage{Storage: w.storage}
		tabB := w.tab(viewB, locker).CurrentUser()
		require.NotNil(t, tabB)

		// Tab A holds the cross-tab lock while it refreshes.
		release, queued, err := locker.Lock(ctx, gotrue.StorageKey)
		require.NoError(t, err)
		require.False(t, queued)
		viewB.freeze()
		type result struct {
			jwt string
			err error
		}
		done := make(chan result)
		go func() {
			jwt, err := tabB.JWT(ctx, true)
			done <- result{jwt, err}
		}()
		synctest.Wait() // tab B waits for the lock
		jwtA, err := tabA.JWT(ctx, true)
		require.NoError(t, err)
		time.AfterFunc(50*time.Millisecond, viewB.thaw) // A's write reaches B late
		release()

		r := <-done
		require.NoError(t, r.err)
		assert.True(t, r.jwt == jwtA, "tab B adopts tab A's token")
		assert.Equal(t, 2, w.api.count("POST /token"), "login and tab A's refresh: tab B spends nothing")
	})
}

// A refresh that queued behind a holder that writes nothing (its refresh
// failed, or it held the lock for something else) watches storage for
// QueuedWait, no longer, then spends its own token, which the server
// still accepts.
func TestQueuedRefreshWaitsOnlyBriefly(t *testing.T) {
	bubble(t, func(t *testing.T) {
		w := newWorld(t, gotrue.Options{})
		w.login(t, true)
		locker := gotrue.NewProcessLocker()
		tabB := w.tab(w.storage, locker).CurrentUser()
		require.NotNil(t, tabB)

		release, _, err := locker.Lock(ctx, gotrue.StorageKey)
		require.NoError(t, err)
		done := make(chan error)
		go func() {
			_, err := tabB.JWT(ctx, true)
			done <- err
		}()
		synctest.Wait() // tab B waits for the lock
		start := time.Now()
		release()

		require.NoError(t, <-done)
		assert.Equal(t, gotrue.QueuedWait, time.Since(start), "tab B waited for a write, and no longer than QueuedWait")
		assert.Equal(t, 2, w.api.count("POST /token"), "login and tab B's own refresh")
		assert.Equal(t, "grant_type=refresh_token&refresh_token=refresh-1", string(w.api.last().Body))
	})
}

// The process locker takes a free lock at once and says so; a taker that
// finds it held waits, reports that it queued, and may give up.
func TestProcessLockerReportsQueueing(t *testing.T) {
	bubble(t, func(t *testing.T) {
		l := gotrue.NewProcessLocker()
		release, queued, err := l.Lock(ctx, "a")
		require.NoError(t, err)
		assert.False(t, queued, "a free lock")
		other, queued, err := l.Lock(ctx, "b")
		require.NoError(t, err)
		assert.False(t, queued, "locks of other names are independent")
		other()

		short, cancel := context.WithTimeout(ctx, time.Second)
		_, _, err = l.Lock(short, "a")
		cancel()
		assert.ErrorIs(t, err, context.DeadlineExceeded)

		got := make(chan bool)
		go func() {
			r, queued, err := l.Lock(ctx, "a")
			if err != nil {
				t.Error(err)
				r = func() {}
			}
			r()
			got <- queued
		}()
		synctest.Wait()
		select {
		case <-got:
			t.Fatal("the lock was granted twice")
		default:
		}
		release()
		release() // a second release is harmless
		assert.True(t, <-got, "the second taker queued")

		release, queued, err = l.Lock(ctx, "a")
		require.NoError(t, err)
		assert.False(t, queued, "free again")
		release()
	})
}
