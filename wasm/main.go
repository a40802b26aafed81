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
	// One session per page, as gotrue-js keeps its current user and its
	// refreshes at module level; the storage event of another tab drops
	// the cached user.
	session := gotrue.NewSessionStore(browser.NewStorage(), browser.NewLocker())
	browser.OnStorageChange(gotrue.StorageKey, session.Invalidate)
	b := &bindings{
		session:   session,
		transport: &browser.FetchTransport{},
		log:       browser.Console{},
		handles:   newHandleTable(),
	}
	exports := jsObject.New()
	for name, fn := range b.exports() {
		exports.Set(name, fn)
	}
	// What the fast paths of the class shells need (see fast.go).
	exports.Set("handleKey", b.handles.key)
	exports.Set("objects", b.handles.objs)
	global.Set(bridgeName, exports)
	fast = b
	return b
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
}

// exports maps each exported name to its function. They live as long as
// the page, so they are never released.
func (b *bindings) exports() map[string]js.Func {
	return map[string]js.Func{
		"init":         js.FuncOf(b.init),
		"release":      js.FuncOf(b.release),
		"debugHandles": js.FuncOf(b.debugHandles),

		"newAPI":            b.sync(b.newAPI),
		"apiHeaders":        b.sync(b.apiHeaders),
		"apiRequest":        b.async(b.apiRequest),
		"parseJsonResponse": b.async(b.parseJSONResponse),

		"newGoTrue":               b.sync(b.newGoTrue),
		"request":                 b.async(b.request),
		"setRememberHeaders":      b.sync(b.setRememberHeaders),
		"settings":                b.async(b.settings),
		"signup":                  b.async(b.signup),
		"login":                   b.async(b.login),
		"confirm":                 b.async(b.confirm),
		"recover":                 b.async(b.recover),
		"verify":                  b.async(b.verify),
		"acceptInvite":            b.async(b.acceptInvite),
		"requestPasswordRecovery": b.async(b.requestPasswordRecovery),
		"loginExternalUrl":        b.sync(b.loginExternalURL),
		"acceptInviteExternalUrl": b.sync(b.acceptInviteExternalURL),
		"createUser":              b.async(b.createUser),
		"currentUser":             b.sync(b.currentUser),
		"validateCurrentSession":  b.async(b.validateCurrentSession),

		"newUser":            b.sync(b.newUser),
		"recoverSession":     b.sync(b.recoverSession),
		"removeSavedSession": b.sync(b.removeSavedSession),

		"userUpdate":       b.async(b.userUpdate),
		"userJwt":          b.async(b.userJWT),
		"userGetUserData":  b.async(b.userGetUserData),
		"userLogout":       b.async(b.userLogout),
		"userTokenDetails": b.sync(b.userTokenDetails),
		"userClearSession": b.sync(b.userClearSession),

		"userRequest":              b.async(b.userRequest),
		"userRefreshToken":         b.async(b.userRefreshToken),
		"userSaveUserData":         b.sync(b.userSaveUserData),
		"userProcessTokenResponse": b.sync(b.userProcessTokenResponse),
		"userRefreshSavedSession":  b.sync(b.userRefreshSavedSession),
		"userSaveSession":          b.sync(b.userSaveSession),
		"userDetails":              b.sync(b.userDetails),

		"adminListUsers":  b.async(b.adminListUsers),
		"adminGetUser":    b.async(b.adminGetUser),
		"adminUpdateUser": b.async(b.adminUpdateUser),
		"adminCreateUser": b.async(b.adminCreateUser),
		"adminDeleteUser": b.async(b.adminDeleteUser),
	}
}

// init receives the loader's classes and helpers: {API, User, HTTPError,
// TextHTTPError, JSONHTTPError, Thrown, registry, assign}.
func (b *bindings) init(_ js.Value, args []js.Value) any {
	err := browser.Try(func() {
		c := arg(args, 0)
		b.shells = shells{
			api:           browser.Get(c, "API"),
			user:          browser.Get(c, "User"),
			httpError:     browser.Get(c, "HTTPError"),
			textHTTPError: browser.Get(c, "TextHTTPError"),
			jsonHTTPError: browser.Get(c, "JSONHTTPError"),
			thrown:        browser.Get(c, "Thrown"),
			registry:      browser.Get(c, "registry"),
			assign:        browser.Get(c, "assign"),
		}
	})
	if err != nil {
		return b.errorValue(err)
	}
	return nil
}
