package gotrue

import (
	context "github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xcontext"
	"github.com/gotrue-wasm/gotrue-wasm/internal/plumbing"
)

// The browser bindings reach these through internal/plumbing, so that they
// stay out of the package's API.
func init() {
	plumbing.Configure = func(c any, cfg plumbing.Config) { c.(*Client).configure(cfg) }
	plumbing.SameOrigin = isSameOrigin
	plumbing.Revision = func(u any) uint64 { return u.(*User).currentRevision() }
	plumbing.FreshAccessToken = func(u any) (string, bool) { return u.(*User).freshAccessToken() }
	plumbing.RememberHeaderSet = func(c any, remember bool) bool { return c.(*Client).rememberHeaderSet(remember) }

	plumbing.SetRememberHeaders = func(c any, remember bool) { c.(*Client).setRememberHeaders(remember) }
	plumbing.APIRequest = func(ctx plumbing.Context, c any, path string, opts any) ([]byte, error) {
		return c.(*Client).apiRequest(asContext(ctx), path, opts.(RequestOptions))
	}
	plumbing.Signup = func(c any, email, password string, data []byte) ([]byte, error) {
		return c.(*Client).signup(context.Background(), email, password, data)
	}
	plumbing.NewUser = func(c any, tok any, audience string) any {
		return c.(*Client).newCurrentUser(tok.(*Token), audience)
	}
	plumbing.RecoverSession = func(s any, clientFor func(string) any) any {
		u := s.(*SessionStore).recoverSession(func(url string) *Client { return clientFor(url).(*Client) })
		if u == nil {
			return nil // not a typed nil in an interface
		}
		return u
	}
	plumbing.RemoveSavedSession = func(s any, log any) {
		l, _ := log.(Logger)
		s.(*SessionStore).removeSavedSession(l)
	}
	plumbing.StorageChanged = func(s any, oldValue, newValue string) { s.(*SessionStore).storageChanged(oldValue, newValue) }
	plumbing.SaveUserData = func(u any, fields any, fromStorage bool) { u.(*User).saveFields(fields.(Object), fromStorage) }
	plumbing.ProcessTokenResponse = func(u any, tok any) { u.(*User).processTokenResponse(tok.(*Token)) }
	plumbing.SetToken = func(u any, tok any) {
		t, _ := tok.(*Token)
		u.(*User).setToken(t)
	}
	plumbing.SetAudience = func(u any, audience string) { u.(*User).setAudience(audience) }
	plumbing.SaveSession = func(u any) { u.(*User).saveSession() }
	plumbing.RefreshSavedSession = func(u any) { u.(*User).refreshSavedSession() }
	plumbing.Refresh = func(ctx plumbing.Context, u any, rt string) (string, error) {
		return u.(*User).refresh(asContext(ctx), rt)
	}

	plumbing.ErrRefreshTimeout = errRefreshTimeout
	plumbing.TooLarge = errTooLarge
}

// asContext is the core's context from the bindings': the same type in
// the browser build, a context.Context that the caller passed natively.
func asContext(ctx plumbing.Context) context.Context { return ctx.(context.Context) }
