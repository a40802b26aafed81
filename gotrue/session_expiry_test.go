package gotrue_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/internal/plumbing"
)

// One expiry rule, gotrue-js's float compare: refresh when
// expires_at - 60000 < Date.now(). A saved expires_at out of int64's range
// must not make a token look fresh forever. A token whose claims cannot
// be read keeps the expires_at it was saved with, so these reach the rule.
func TestExpiryRuleOnSavedExpiresAt(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	w.api.handle("POST /token", func(*gotrue.Request) *gotrue.Response { return jsonAnswer(200, w.issue()) })
	now := w.clock.at().UnixMilli()
	ms := func(d int64) string { return strconv.FormatInt(now+d, 10) }
	const maxDate = 8_640_000_000_000_000
	for _, tc := range []struct {
		name, expiresAt string // "" leaves expires_at out
		fresh           bool
		at              int64 // ExpiresAt, clamped to what a Date holds
	}{
		{"-1e19", "-1e19", false, -maxDate},
		{"1e19", "1e19", true, maxDate},
		{"1e300", "1e300", true, maxDate},
		{"1e400 (Infinity)", "1e400", true, maxDate},
		{"-1e400 (-Infinity)", "-1e400", false, -maxDate},
		{"-0", "-0", false, 0},
		{"an hour", ms(3_600_000), true, now + 3_600_000},
		{"exactly at the margin", ms(60_000), true, now + 60_000},
		{"half a ms inside the margin", ms(59_999) + ".5", false, now + 59_999},
		{"half a ms outside the margin", ms(60_000) + ".5", true, now + 60_000},
		{"a ms inside the margin", ms(59_999), false, now + 59_999},
		{"missing", "", false, 0}, // unknown: refresh (gotrue-js never would)
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok := `{"access_token":"a.b.c","token_type":"bearer","refresh_token":"r"`
			if tc.expiresAt != "" {
				tok += `,"expires_at":` + tc.expiresAt
			}
			entry := `{"token":` + tok + `},"url":"https://example.com/api","audience":"","id":"u1"}`
			c := w.tab(&gotrue.MemoryStorage{}, nil)
			require.NoError(t, c.Session().Storage().Set(gotrue.StorageKey, entry))
			u := c.CurrentUser()
			require.NotNil(t, u)
			assert.Equal(t, tc.at, u.Token().ExpiresAt())
			_, fresh := plumbing.FreshAccessToken(u)
			assert.Equal(t, tc.fresh, fresh, "FreshAccessToken")
			before := w.api.count("POST /token")
			_, _ = u.JWT(ctx, false)
			assert.Equal(t, !tc.fresh, w.api.count("POST /token") > before, "JWT refreshes")
		})
	}
}

// A token another tab saved is adopted only if it is fresh by the same
// rule; else its refresh token is spent.
func TestAdoptedTokenExpiryRule(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	w.login(t, true)
	w.session.Invalidate()
	u := w.client.CurrentUser()
	require.NotNil(t, u)
	// Another tab refreshed: its token has a newer refresh token, and an
	// expires_at that wraps around as an int64.
	data, err := gotrue.ParseObject([]byte(w.saved()))
	require.NoError(t, err)
	data.Set("token", gotrue.RawJSON(`{"access_token":"a.b.c","token_type":"bearer","refresh_token":"refresh-1b","expires_at":-1e19}`))
	b, err := data.MarshalJSON()
	require.NoError(t, err)
	require.NoError(t, w.storage.Set(gotrue.StorageKey, string(b)))
	w.mu.Lock()
	w.refresh = "refresh-1b" // the server took refresh-1 from the other tab
	w.mu.Unlock()
	w.clock.advance(2 * time.Hour)

	_, err = u.JWT(ctx, false)
	require.NoError(t, err)
	assert.Equal(t, 2, w.api.count("POST /token"), "the stale adopted token is refreshed")
	assert.Equal(t, "grant_type=refresh_token&refresh_token=refresh-1b", string(w.api.last().Body))
}
