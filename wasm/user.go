//go:build js

package main

import (
	"syscall/js"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/internal/plumbing"
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
	rev := plumbing.Revision(u) // read first: a change after it syncs again next time
	obj := b.handles.userObject(u)
	if obj.IsUndefined() {
		if !create {
			return obj
		}
		// Made without the class's constructor, which is the page's.
		obj = jsObject.Call("create", browser.Get(b.shells.user, "prototype"))
		browser.Set(obj, "token", js.Null()) // first, as gotrue-js's constructor sets it
		browser.Set(obj, "api", b.userAPI(u))
		b.handles.addUser(obj, u, rev, b.shells.registry)
		b.assignUser(obj, u)
		return obj
	}
	if b.handles.setSynced(u, rev) {
		b.assignUser(obj, u)
	}
	return obj
}

// assignUser copies the user's JSON, parsed by the browser, onto obj with
// Object.assign: the object holds token, api, url, audience and then the
// server's fields, in the order gotrue-js builds them and JSON.stringify
// shows them. What it wrote is remembered, to tell the page's own writes.
func (b *bindings) assignUser(obj js.Value, u *gotrue.User) {
	data, _ := u.MarshalJSON() // never fails: the core holds valid JSON
	b.shells.assign.Invoke(obj, parse(data))
	b.wroteUser(obj, u)
}

// wroteUser records user.token and user.audience as they are on obj now,
// as Go's own, so that pullUser tells a later write of the page's. (The
// loader's fast paths keep their own record, made by its assign.)
func (b *bindings) wroteUser(obj js.Value, u *gotrue.User) {
	tok, _ := stringify(browser.Get(obj, "token"))
	b.handles.setWritten(u, tok, u.Audience())
}

// userAPI is the API object of u's client, or a new one when the page has
// dropped it.
func (b *bindings) userAPI(u *gotrue.User) js.Value {
	if cl := b.handles.client(u.Client()); cl != nil {
		if api := b.handles.api(cl); !api.IsUndefined() {
			return api
		}
	}
	api := b.apiValue(u.Client())
	b.handles.addClient(js.Undefined(), &client{c: u.Client()}, api, b.shells.registry)
	return api
}

// userOf is the Go user behind a page object.
func (b *bindings) userOf(v js.Value, what string) (*gotrue.User, error) {
	if u, ok := b.handles.lookup(v).(*gotrue.User); ok {
		return u, nil
	}
	return nil, &argError{"gotrue: " + what + " must be called on a User"}
}

// pullUser reads back what the page may have changed before a user's call,
// as gotrue-js reads it at every call: the api object a user shares with
// its GoTrue (apiURL, defaultHeaders), user.token (replaced, or changed in
// place) and user.audience. A page's write wins over what Go last wrote.
func (b *bindings) pullUser(obj js.Value, u *gotrue.User) {
	if cl := b.handles.client(u.Client()); cl != nil {
		b.pull(cl, js.Undefined(), browser.Get(obj, "api"))
	}
	if !b.handles.userObject(u).Equal(obj) {
		return // not u's live object: nothing of the page's to read
	}
	tokRaw, _ := stringify(browser.Get(obj, "token"))
	aud := ""
	if v := browser.Get(obj, "audience"); jsBoolean.Invoke(v).Bool() {
		aud = jsString(v)
	}
	sameTok, sameAud, ok := b.handles.unchanged(u, tokRaw, aud)
	if !ok || sameTok && sameAud {
		return
	}
	if !sameTok {
		tok, err := gotrue.ParseToken(tokRaw)
		if err != nil {
			tok = nil // null, or not an object: no token, as jwt() then finds
		}
		plumbing.SetToken(u, tok)
	}
	if !sameAud {
		plumbing.SetAudience(u, aud)
	}
	b.adopted(obj, u)
}

// adopted marks obj as showing u as it is now, without copying onto it:
// after the page's own writes, so that user.token stays the page's object.
func (b *bindings) adopted(obj js.Value, u *gotrue.User) {
	b.handles.setSynced(u, plumbing.Revision(u))
	b.shells.assign.Invoke(obj, js.Undefined())
	b.wroteUser(obj, u)
}

// onUser runs call in a goroutine, then brings u's page object up to date
// whatever the outcome: a refresh may have replaced the token, a rejected
// one cleared it.
func (b *bindings) onUser(u *gotrue.User, call func(browser.Context) (js.Value, error)) later {
	return func() (js.Value, error) {
		v, err := call(browser.Background())
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
	return deferred(b.onUser(u, func(ctx browser.Context) (js.Value, error) {
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
	b.pullUser(this, u)
	if !force {
		if tok, ok := plumbing.FreshAccessToken(u); ok {
			return js.ValueOf(tok), nil, nil
		}
	}
	return deferred(b.onUser(u, func(ctx browser.Context) (js.Value, error) {
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
	return deferred(b.onUser(u, func(ctx browser.Context) (js.Value, error) {
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
	return deferred(b.onUser(u, func(ctx browser.Context) (js.Value, error) {
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
	b.pullUser(this, u)
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
