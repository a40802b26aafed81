//go:build js

package main

import (
	"context"
	"syscall/js"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/wasm/browser"
)

// userValue is the page's User object for u (null for nil), made when
// none is alive, with u's data copied on.
func (b *bindings) userValue(u *gotrue.User) js.Value { return b.syncUser(u, true) }

// syncUser copies u's data onto its page object when it changed since the
// last copy (its revision moved), so that cached answers (currentUser(),
// tokenDetails()) cost no JSON at all. Without create, a user with no live
// object is left alone.
func (b *bindings) syncUser(u *gotrue.User, create bool) js.Value {
	if u == nil {
		return js.Null()
	}
	rev := u.Revision() // read first: a change after it syncs again next time
	obj := b.handles.userObject(u)
	if obj.IsUndefined() {
		if !create {
			return obj
		}
		obj = b.shells.user.New()
		browser.Set(obj, "token", js.Null()) // first, as gotrue-js's constructor sets it
		browser.Set(obj, "api", b.apiOf(u))
		assignUser(obj, u)
		b.handles.addUser(obj, u, rev, b.shells.registry)
		return obj
	}
	if b.handles.setSynced(u, rev) {
		assignUser(obj, u)
	}
	return obj
}

// assignUser copies the user's JSON, parsed by the browser, onto obj with
// Object.assign: the object holds token, api, url, audience and then the
// server's fields, in the order gotrue-js builds them and JSON.stringify
// shows them.
func assignUser(obj js.Value, u *gotrue.User) {
	data, _ := u.MarshalJSON() // never fails: the core holds valid JSON
	jsObject.Call("assign", obj, parse(data))
}

// apiOf is the api object of u's GoTrue, or a copy when the page has
// dropped that GoTrue.
func (b *bindings) apiOf(u *gotrue.User) js.Value {
	if cl := b.handles.client(u.Client()); cl != nil {
		return b.handles.api(cl)
	}
	return apiValue(u.Client())
}

// userOf is the Go user behind a page object.
func (b *bindings) userOf(v js.Value, what string) (*gotrue.User, error) {
	if u, ok := b.handles.lookup(v).(*gotrue.User); ok {
		return u, nil
	}
	return nil, &argError{"gotrue: " + what + " must be called on a User"}
}

// pullUser reads back the api object a user shares with its GoTrue before
// a request: the page may have changed its apiURL or defaultHeaders.
func (b *bindings) pullUser(obj js.Value, u *gotrue.User) {
	if cl := b.handles.client(u.Client()); cl != nil {
		b.pull(cl, js.Undefined(), browser.Get(obj, "api"))
	}
}

// onUser runs call in a goroutine, then brings u's page object up to date
// whatever the outcome: a refresh may have replaced the token, a rejected
// one cleared it.
func (b *bindings) onUser(u *gotrue.User, call func(context.Context) (js.Value, error)) later {
	return func() (js.Value, error) {
		v, err := call(context.Background())
		b.syncUser(u, false)
		return v, err
	}
}

// userUpdate(this, attributes) resolves with the user, as gotrue-js.
func (b *bindings) userUpdate(this js.Value, args []js.Value) (js.Value, later, error) {
	u, err := b.userOf(this, "update")
	if err == nil {
		b.pullUser(this, u)
	}
	a := argList{args: args, err: err}
	attrs := a.object(0, "attributes")
	if a.err != nil {
		return failed(a.err)
	}
	return deferred(b.onUser(u, func(ctx context.Context) (js.Value, error) {
		if err := u.Update(ctx, attrs); err != nil {
			return js.Undefined(), err
		}
		return b.userValue(u), nil
	}))
}

// userJWT(this, forceRefresh): a token that needs no refresh resolves at
// once, without a goroutine.
func (b *bindings) userJWT(this js.Value, args []js.Value) (js.Value, later, error) {
	u, err := b.userOf(this, "jwt")
	if err != nil {
		return failed(err)
	}
	force := (&argList{args: args}).flag(0)
	if !force {
		if tok, ok := u.FreshAccessToken(); ok {
			return js.ValueOf(tok), nil, nil
		}
	}
	b.pullUser(this, u) // a refresh is a request
	return deferred(b.onUser(u, func(ctx context.Context) (js.Value, error) {
		tok, err := u.JWT(ctx, force)
		if err != nil {
			return js.Undefined(), err
		}
		return js.ValueOf(tok), nil
	}))
}

func (b *bindings) userGetUserData(this js.Value, args []js.Value) (js.Value, later, error) {
	u, err := b.userOf(this, "getUserData")
	if err == nil {
		b.pullUser(this, u)
	}
	if err != nil {
		return failed(err)
	}
	return deferred(b.onUser(u, func(ctx context.Context) (js.Value, error) {
		if err := u.GetUserData(ctx); err != nil {
			return js.Undefined(), err
		}
		return b.userValue(u), nil
	}))
}

// userLogout always resolves undefined, as gotrue-js: the session is
// cleared whether the server answered or not.
func (b *bindings) userLogout(this js.Value, args []js.Value) (js.Value, later, error) {
	u, err := b.userOf(this, "logout")
	if err == nil {
		b.pullUser(this, u)
	}
	if err != nil {
		return failed(err)
	}
	return deferred(b.onUser(u, func(ctx context.Context) (js.Value, error) {
		_ = u.Logout(ctx)
		return js.Undefined(), nil
	}))
}

// userTokenDetails answers the object's token, brought up to date first,
// so that user.tokenDetails() === user.token.
func (b *bindings) userTokenDetails(this js.Value, args []js.Value) (js.Value, error) {
	u, err := b.userOf(this, "tokenDetails")
	if err != nil {
		return js.Undefined(), err
	}
	return browser.Get(b.userValue(u), "token"), nil
}

func (b *bindings) userClearSession(this js.Value, args []js.Value) (js.Value, error) {
	u, err := b.userOf(this, "clearSession")
	if err != nil {
		return js.Undefined(), err
	}
	u.ClearSession()
	b.syncUser(u, false)
	return js.Undefined(), nil
}
