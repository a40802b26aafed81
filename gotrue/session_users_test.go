package gotrue_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
)

const bobID = "99999999-2222-4333-8444-555555555555"

// A refused refresh of Ann ends Ann's session only: Bob, who logged in on
// the same session while Ann's refresh was under way, stays logged in,
// whether his session is saved or lives in memory.
func TestRefusedRefreshKeepsAUserWhoLoggedInSince(t *testing.T) {
	for _, remember := range []bool{true, false} {
		w := newWorld(t, gotrue.Options{})
		ann := w.login(t, true)
		var bob *gotrue.User
		var saved string
		w.refusedRefreshAround(t, ann, func() {
			w.userAnswer(bobID, "bob@example.com")
			bob = w.login(t, remember)
			saved = w.saved()
		})

		assert.Nil(t, ann.Token(), "Ann's session ended")
		assert.Same(t, bob, w.client.CurrentUser(), "Bob is still logged in (remember=%v)", remember)
		assert.True(t, saved == w.saved(), "Bob's saved session is untouched (remember=%v)", remember)
	}
}

// The same with Ann logging in again: the refused refresh belongs to her
// previous session, not to the one she has now.
func TestRefusedRefreshKeepsTheSameUsersNewerLogin(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	old := w.login(t, true)
	var again *gotrue.User
	w.refusedRefreshAround(t, old, func() {
		again = w.login(t, false) // in memory only: no newer token to adopt
	})
	assert.Same(t, again, w.client.CurrentUser())
	assert.NotNil(t, again.Token())
}

// A successful refresh of Ann never overwrites the session of Bob that
// another tab saved meanwhile: that tab's user would be logged out of
// every tab, or logged in as Ann.
func TestRefreshKeepsAnotherUsersSavedSession(t *testing.T) {
	w := newWorld(t, gotrue.Options{})
	ann := w.login(t, true)
	// Saved entries are compared with ==: a failure must not print a token.
	bob := `{"token":{"access_token":"a.b.c","token_type":"bearer","refresh_token":"bobs","expires_at":1},"url":"https://example.com/api","audience":"","id":"` + bobID + `","email":"bob@example.com"}`
	require.NoError(t, w.storage.Set(gotrue.StorageKey, bob))

	jwt, err := ann.JWT(ctx, true)
	require.NoError(t, err)
	assert.True(t, jwt == ann.Token().AccessToken(), "Ann has her new token in memory")
	assert.True(t, bob == w.saved(), "Bob's session is not overwritten")
}
