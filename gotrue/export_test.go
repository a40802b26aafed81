package gotrue

import (
	"time"

	context "github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xcontext"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xtime"
)

// SetLateWriteWait shortens how long a refused refresh watches storage, so
// that the many refusals of the tests do not each wait a second. Call it
// only from TestMain, before any refresh runs.
func SetLateWriteWait(d time.Duration) { lateWriteWait = xtime.Duration(d) }

// IsReservedKey is isReservedKey, for the external tests.
func IsReservedKey(key string) bool { return isReservedKey(key) }

// The members the bindings reach through internal/plumbing, under their
// gotrue-js names, for the external tests (plumbing_test.go checks that
// every hook is set and forwards to them).

func SameOrigin(apiURL string) bool { return isSameOrigin(apiURL) }

func (c *Client) SetRememberHeaders(remember bool) { c.setRememberHeaders(remember) }
func (c *Client) APIRequest(ctx context.Context, path string, opts RequestOptions) (RawJSON, error) {
	return c.apiRequest(ctx, path, opts)
}
func (c *Client) NewUser(tok *Token, audience string) *User { return c.newCurrentUser(tok, audience) }

func (s *SessionStore) RecoverSession(client func(savedURL string) *Client) *User {
	return s.recoverSession(client)
}
func (s *SessionStore) RemoveSavedSession(log Logger) { s.removeSavedSession(log) }
func (s *SessionStore) StorageChanged(oldValue, newValue string) {
	s.storageChanged(oldValue, newValue)
}
func (u *User) SaveUserData(fields Object, fromStorage bool)           { u.saveFields(fields, fromStorage) }
func (u *User) ProcessTokenResponse(tok *Token)                        { u.processTokenResponse(tok) }
func (u *User) SetToken(tok *Token)                                    { u.setToken(tok) }
func (u *User) SetAudience(audience string)                            { u.setAudience(audience) }
func (u *User) SaveSession()                                           { u.saveSession() }
func (u *User) RefreshSavedSession()                                   { u.refreshSavedSession() }
func (u *User) Refresh(ctx context.Context, rt string) (string, error) { return u.refresh(ctx, rt) }
