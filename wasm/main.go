//go:build js

// Command wasm is gotrue.wasm, the browser build of package gotrue.
//
// It exports, on globalThis.__gotrueWasm, the functions that the class
// shells of the loader (js/gotrue-core.js) call: one per method of GoTrue,
// User and Admin. The classes are plain JavaScript, so that instanceof and
// strict CSP work; all state (clients, users, the session) is held here,
// and all rules live in package gotrue. This package converts values.
package main

import (
	"syscall/js"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/internal/plumbing"
	"github.com/gotrue-wasm/gotrue-wasm/wasm/browser"
)

// bridgeName is the global the loader reads the exports from.
const bridgeName = "__gotrueWasm"

func main() {
	register(js.Global())
	select {} // the exports must outlive main
}

// register builds the page's state and publishes the exports.
func register(global js.Value) *bindings {
	b := &bindings{
		transport: &browser.FetchTransport{},
		log:       browser.Console{},
		handles:   newHandleTable(),
	}
	exports := jsObject.New()
	b.publish(exports)
	// What the fast paths of the class shells need (see fast.go).
	exports.Set("handleKey", b.handles.key)
	exports.Set("objects", b.handles.objs)
	global.Set(bridgeName, exports)
	fast = b
	return b
}

// newSession makes the page's one session, as gotrue-js keeps its current
// user and its refreshes at module level. In localStorage, the storage
// event of another tab updates the current user and tells the page's
// listeners (login, logout, token_refresh, user_update).
func newSession(storage js.Value) *gotrue.SessionStore {
	if storage.Type() == js.TypeString && storage.String() == "memory" {
		return gotrue.NewSessionStore(&gotrue.MemoryStorage{}, browser.NewLocker())
	}
	session := gotrue.NewSessionStore(browser.NewStorage(), browser.NewLocker())
	browser.OnStorageChange(gotrue.StorageKey, func(oldValue, newValue string) {
		plumbing.StorageChanged(session, oldValue, newValue)
	})
	return session
}

// bindings is the state behind the exports.
type bindings struct {
	session   *gotrue.SessionStore
	transport gotrue.Transport
	log       gotrue.Logger
	handles   *handleTable
	shells    shells // the loader's classes, from init
}

// shells are the classes the loader defines and Go instantiates.
type shells struct {
	api, user, httpError, textHTTPError, jsonHTTPError js.Value
	thrown                                             js.Value // wraps an error a sync method throws
	registry                                           js.Value // FinalizationRegistry calling release
	assign                                             js.Value // assign(user, data): copies data, notes the token
	emit                                               js.Value // emit(listeners, user): calls them in a microtask
}

// The exports, as tables of method expressions rather than a map literal
// of method values: one closure shape instead of one per export, which
// cost 26 KB of gotrue.wasm. They live as long as the page, so they are
// never released.
var (
	asyncExports = [...]struct {
		name string
		fn   func(*bindings, js.Value, []js.Value) (js.Value, later, error)
	}{
		{"apiRequest", (*bindings).apiRequest},
		{"parseJsonResponse", (*bindings).parseJSONResponse},
		{"request", (*bindings).request},
		{"settings", (*bindings).settings},
		{"signup", (*bindings).signup},
		{"login", (*bindings).login},
		{"confirm", (*bindings).confirm},
		{"recover", (*bindings).recover},
		{"verify", (*bindings).verify},
		{"acceptInvite", (*bindings).acceptInvite},
		{"requestPasswordRecovery", (*bindings).requestPasswordRecovery},
		{"createUser", (*bindings).createUser},
		{"validateCurrentSession", (*bindings).validateCurrentSession},
		{"handleRedirect", (*bindings).handleRedirect},
		{"userUpdate", (*bindings).userUpdate},
		{"userJwt", (*bindings).userJWT},
		{"userGetUserData", (*bindings).userGetUserData},
		{"userLogout", (*bindings).userLogout},
		{"userRequest", (*bindings).userRequest},
		{"userRefreshToken", (*bindings).userRefreshToken},
		{"adminListUsers", (*bindings).adminListUsers},
		{"adminGetUser", (*bindings).adminGetUser},
		{"adminUpdateUser", (*bindings).adminUpdateUser},
		{"adminCreateUser", (*bindings).adminCreateUser},
		{"adminDeleteUser", (*bindings).adminDeleteUser},
		{"adminInviteUser", (*bindings).adminInviteUser},
	}
	syncExports = [...]struct {
		name string
		fn   func(*bindings, js.Value, []js.Value) (js.Value, error)
	}{
		{"newAPI", (*bindings).newAPI},
		{"apiHeaders", (*bindings).apiHeaders},
		{"newGoTrue", (*bindings).newGoTrue},
		{"setRememberHeaders", (*bindings).setRememberHeaders},
		{"on", (*bindings).on},
		{"off", (*bindings).off},
		{"loginExternalUrl", (*bindings).loginExternalURL},
		{"acceptInviteExternalUrl", (*bindings).acceptInviteExternalURL},
		{"currentUser", (*bindings).currentUser},
		{"newUser", (*bindings).newUser},
		{"recoverSession", (*bindings).recoverSession},
		{"removeSavedSession", (*bindings).removeSavedSession},
		{"userTokenDetails", (*bindings).userTokenDetails},
		{"userClearSession", (*bindings).userClearSession},
		{"userSaveUserData", (*bindings).userSaveUserData},
		{"userProcessTokenResponse", (*bindings).userProcessTokenResponse},
		{"userRefreshSavedSession", (*bindings).userRefreshSavedSession},
		{"userSaveSession", (*bindings).userSaveSession},
		{"userDetails", (*bindings).userDetails},
	}
)

// publish sets every export on exports.
func (b *bindings) publish(exports js.Value) {
	exports.Set("init", js.FuncOf(b.init))
	exports.Set("release", js.FuncOf(b.release))
	exports.Set("debugHandles", js.FuncOf(b.debugHandles))
	for i := range asyncExports {
		fn := asyncExports[i].fn
		exports.Set(asyncExports[i].name, b.async(func(this js.Value, args []js.Value) (js.Value, later, error) { return fn(b, this, args) }))
	}
	for i := range syncExports {
		fn := syncExports[i].fn
		exports.Set(syncExports[i].name, b.sync(func(this js.Value, args []js.Value) (js.Value, error) { return fn(b, this, args) }))
	}
}

// init receives the loader's classes and helpers: {API, User, HTTPError,
// TextHTTPError, JSONHTTPError, Thrown, registry, assign, storage}, and
// makes the session. storage "memory" (the Node.js loader) keeps it in
// memory without looking for localStorage, which Node.js either lacks or
// warns about.
func (b *bindings) init(_ js.Value, args []js.Value) any {
	err := browser.Try(func() {
		c := arg(args, 0)
		if b.session == nil {
			b.session = newSession(browser.Get(c, "storage"))
		}
		b.shells = shells{
			api:           browser.Get(c, "API"),
			user:          browser.Get(c, "User"),
			httpError:     browser.Get(c, "HTTPError"),
			textHTTPError: browser.Get(c, "TextHTTPError"),
			jsonHTTPError: browser.Get(c, "JSONHTTPError"),
			thrown:        browser.Get(c, "Thrown"),
			registry:      browser.Get(c, "registry"),
			assign:        browser.Get(c, "assign"),
			emit:          browser.Get(c, "emit"),
		}
	})
	if err != nil {
		return b.errorValue(err)
	}
	return nil
}
