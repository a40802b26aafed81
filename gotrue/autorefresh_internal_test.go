package gotrue

import (
	"testing"

	time "github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xtime"
)

func TestRefreshDue(t *testing.T) {
	const seen = int64(1_800_000_000_000)
	sec := func(n int64) int64 { return n * 1000 }
	cases := []struct {
		name      string
		expiresAt int64
		want      int64
	}{
		{"1 h: 90 s before expiry", seen + sec(3600), seen + sec(3510)},
		{"10 min", seen + sec(600), seen + sec(510)},
		{"180 s: both rules agree", seen + sec(180), seen + sec(90)},
		{"100 s: half-life", seen + sec(100), seen + sec(50)},
		{"4 s: half-life", seen + sec(4), seen + sec(2)},
		{"3 ms", seen + 3, seen + 1},
		{"1 ms", seen + 1, seen},
		{"expires now", seen, seen},
		{"expired", seen - sec(10), seen},
		{"unknown (0)", 0, seen},
	}
	for _, tc := range cases {
		if got := refreshDue(tc.expiresAt, seen); got != tc.want {
			t.Errorf("%s: refreshDue = seen%+d ms, want seen%+d ms", tc.name, got-seen, tc.want-seen)
		}
	}
	if autoRefreshLead+expiryMargin != 90*time.Second {
		t.Errorf("lead + margin = %d ms, want 90 s", (autoRefreshLead + expiryMargin).Milliseconds())
	}
}

func TestBackoff(t *testing.T) {
	want := map[int]time.Duration{
		1: 2 * time.Second, 2: 4 * time.Second, 3: 8 * time.Second, 4: 16 * time.Second,
		5: 32 * time.Second, 6: 64 * time.Second, 7: 128 * time.Second, 8: 256 * time.Second,
		9: 5 * time.Minute, 10: 5 * time.Minute, 100: 5 * time.Minute, 1 << 30: 5 * time.Minute,
	}
	for n, d := range want {
		if got := backoff(n); got != d {
			t.Errorf("backoff(%d) = %d ms, want %d ms", n, got.Milliseconds(), d.Milliseconds())
		}
	}
	// Never shorter than the one before.
	for n := 2; n < 40; n++ {
		if backoff(n) < backoff(n-1) {
			t.Errorf("backoff(%d) < backoff(%d)", n, n-1)
		}
	}
}

// The rate window: 30 refreshes in any 5 minutes, the 31st when the oldest
// of the last 30 leaves the window.
func TestRateWindow(t *testing.T) {
	a := &AutoRefresh{}
	const t0 = int64(1_800_000_000_000)
	window := refreshRateWindow.Milliseconds()
	if refreshRateLimit != 30 || window != 300_000 {
		t.Fatalf("limit %d per %d ms, want 30 per 5 min", refreshRateLimit, window)
	}
	for i := range int64(29) {
		now := t0 + i*1000
		if at := a.allowedAt(now); at != now {
			t.Fatalf("refresh %d: allowed at now%+d ms, want now", i+1, at-now)
		}
		a.note(now)
	}
	last := t0 + 29*1000
	if at := a.allowedAt(last); at != last {
		t.Fatalf("refresh 30: allowed at now%+d ms, want now", at-last)
	}
	a.note(last)
	if at := a.allowedAt(last); at != t0+window {
		t.Errorf("refresh 31: allowed at t0%+d ms, want t0+5 min", at-t0)
	}
	if at := a.allowedAt(t0 + window - 1); at != t0+window {
		t.Errorf("1 ms early: allowed at t0%+d ms, want t0+5 min", at-t0)
	}
	if at := a.allowedAt(t0 + window); at != t0+window {
		t.Errorf("at t0+5 min: allowed at t0%+d ms, want at once", at-t0)
	}
	if n := len(a.sent); n != 29 {
		t.Errorf("%d refreshes kept, want the 29 still in the window", n)
	}
	if at := a.allowedAt(t0 + window + 10*60*1000); at != t0+window+10*60*1000 || len(a.sent) != 0 {
		t.Errorf("later: allowed at t0%+d ms with %d kept", at-t0, len(a.sent))
	}
}

func TestDropBefore(t *testing.T) {
	for _, tc := range []struct {
		in   []int64
		t    int64
		want []int64
	}{
		{nil, 5, nil},
		{[]int64{1, 2, 3}, 0, []int64{1, 2, 3}},
		{[]int64{1, 2, 3}, 2, []int64{3}},
		{[]int64{1, 2, 3}, 3, []int64{}},
		{[]int64{1, 1, 4}, 1, []int64{4}},
	} {
		got := dropBefore(append([]int64(nil), tc.in...), tc.t)
		if len(got) != len(tc.want) {
			t.Errorf("dropBefore(%v, %d) = %v, want %v", tc.in, tc.t, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("dropBefore(%v, %d) = %v, want %v", tc.in, tc.t, got, tc.want)
			}
		}
	}
}
