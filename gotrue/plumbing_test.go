package gotrue_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/internal/plumbing"
)

// Every hook the bindings call is set once package gotrue is loaded.
func TestPlumbingIsConnected(t *testing.T) {
	for name, set := range map[string]bool{
		"Configure":            plumbing.Configure != nil,
		"SameOrigin":           plumbing.SameOrigin != nil,
		"Revision":             plumbing.Revision != nil,
		"FreshAccessToken":     plumbing.FreshAccessToken != nil,
		"RememberHeaderSet":    plumbing.RememberHeaderSet != nil,
		"SetRememberHeaders":   plumbing.SetRememberHeaders != nil,
		"APIRequest":           plumbing.APIRequest != nil,
		"Signup":               plumbing.Signup != nil,
		"NewUser":              plumbing.NewUser != nil,
		"RecoverSession":       plumbing.RecoverSession != nil,
		"RemoveSavedSession":   plumbing.RemoveSavedSession != nil,
		"StorageChanged":       plumbing.StorageChanged != nil,
		"SaveUserData":         plumbing.SaveUserData != nil,
		"ProcessTokenResponse": plumbing.ProcessTokenResponse != nil,
		"SetToken":             plumbing.SetToken != nil,
		"SetAudience":          plumbing.SetAudience != nil,
		"SaveSession":          plumbing.SaveSession != nil,
		"RefreshSavedSession":  plumbing.RefreshSavedSession != nil,
		"Refresh":              plumbing.Refresh != nil,
		"ErrRefreshTimeout":    plumbing.ErrRefreshTimeout != nil,
		"TooLarge":             plumbing.TooLarge != nil,
	} {
		assert.True(t, set, "plumbing.%s is not set", name)
	}
}

// The hooks' conversions: nil answers are untyped nils, nil arguments are
// accepted where the members accept them, and the calls reach the core.
func TestPlumbingForwards(t *testing.T) {
	w := newWorld(t, gotrue.Options{SetCookie: true})
	assert.Nil(t, plumbing.RecoverSession(w.session, func(string) any { t.Fatal("nothing saved: no client needed"); return nil }))

	u := w.login(t, true)
	assert.Same(t, u, plumbing.RecoverSession(w.session, func(string) any { return w.client }))
	rev := plumbing.Revision(u)
	plumbing.SetAudience(u, "aud2")
	assert.Equal(t, "aud2", u.Audience())
	assert.NotEqual(t, rev, plumbing.Revision(u), "a change moves the revision")

	access, fresh := plumbing.FreshAccessToken(u)
	assert.True(t, fresh)
	assert.Equal(t, u.Token().AccessToken(), access)

	plumbing.SetRememberHeaders(w.client, false)
	assert.True(t, plumbing.RememberHeaderSet(w.client, false))
	assert.False(t, plumbing.RememberHeaderSet(w.client, true))

	plumbing.SetToken(u, (*gotrue.Token)(nil))
	assert.Nil(t, u.Token())
	_, fresh = plumbing.FreshAccessToken(u)
	assert.False(t, fresh)

	plumbing.RemoveSavedSession(w.session, nil)
	assert.Empty(t, w.saved())

	plumbing.Configure(w.client, plumbing.Config{APIURL: "", DefaultHeaders: map[string]string{"X-Nf-Client": "page"}})
	assert.Equal(t, "", w.client.APIURL(), "the page's empty URL is kept")
	assert.Equal(t, map[string]string{"X-Nf-Client": "page"}, w.client.DefaultHeaders())

	raw, err := plumbing.Signup(w.client, "ann@example.com", "pw", []byte(`{}`))
	require.Error(t, err, "no /signup route in this world")
	assert.Nil(t, raw)
	assert.Equal(t, `{"email":"ann@example.com","password":"pw","data":{}}`, string(w.api.last().Body), "{} is sent as the page passed it")
}
