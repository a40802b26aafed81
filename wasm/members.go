//go:build js

package main

import (
	"syscall/js"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/internal/plumbing"
	"github.com/gotrue-wasm/gotrue-wasm/wasm/browser"
)

// The members of User that gotrue-js's types call private but pages and
// libraries reach: its constructor, the statics recoverSession and
// removeSavedSession, and the underscore methods. Each is one call of the
// core.

// newUser is `new User(api, tokenResponse, audience)`: a user made from a
// token response without asking the server, and made the current user.
func (b *bindings) newUser(this js.Value, args []js.Value) (js.Value, error) {
	if !isType(this, js.TypeObject) || b.handles.lookup(this) != nil {
		return js.Undefined(), &argError{"gotrue: User must be called with new"}
	}
	api := arg(args, 0)
	cl := b.handles.apiClient(api)
	if cl == nil {
		return js.Undefined(), typeError("the api of new User()", "an API (gotrue.api)", api)
	}
	b.pull(cl, js.Undefined(), api)
	tok, err := tokenArg(arg(args, 1))
	if err != nil {
		return js.Undefined(), err
	}
	aud := ""
	if v := arg(args, 2); jsBoolean.Invoke(v).Bool() {
		aud = jsString(v)
	}
	u := plumbing.NewUser(cl.c, tok, aud).(*gotrue.User)
	browser.Set(this, "token", js.Null()) // first, as gotrue-js's constructor sets it
	browser.Set(this, "api", api)
	b.handles.addUser(this, u, plumbing.Revision(u), b.shells.registry)
	b.assignUser(this, u)
	return js.Undefined(), nil
}

// tokenArg reads a token response: a plain object, such as the fields of
// an OAuth callback's URL hash (all strings).
func tokenArg(v js.Value) (*gotrue.Token, error) {
	if !isType(v, js.TypeObject) {
		return nil, typeError("tokenResponse", "an object", v)
	}
	raw, _ := stringify(v)
	tok, err := gotrue.ParseToken(raw)
	if err != nil {
		return nil, &argError{"gotrue: tokenResponse must be a plain object"}
	}
	return tok, nil
}

// recoverSession is User.recoverSession(api?): the current user, else the
// saved one with api as its API object, or with a new API object for the
// saved URL when api is left out, as gotrue-js.
func (b *bindings) recoverSession(_ js.Value, args []js.Value) (js.Value, error) {
	var cl *client
	if api := arg(args, 0); jsBoolean.Invoke(api).Bool() {
		if cl = b.handles.apiClient(api); cl == nil {
			return js.Undefined(), typeError("the api of User.recoverSession()", "an API (gotrue.api)", api)
		}
		b.pull(cl, js.Undefined(), api)
	}
	u, _ := plumbing.RecoverSession(b.session, func(savedURL string) any {
		if cl == nil {
			cl = b.adoptAPI(b.newAPIObject(savedURL, jsObject.New())) // gotrue-js's new API(url, {})
		}
		return cl.c
	}).(*gotrue.User)
	return b.userValue(u), nil
}

// removeSavedSession is User.removeSavedSession(): the saved session goes,
// the user in memory stays.
func (b *bindings) removeSavedSession(js.Value, []js.Value) (js.Value, error) {
	plumbing.RemoveSavedSession(b.session, b.log)
	return js.Undefined(), nil
}

// userMember is a sync member of User: it reads back the page's writes,
// runs fn, and brings the object up to date. It answers the user object
// (gotrue-js's `return this`) unless fn answers something else.
func (b *bindings) userMember(this js.Value, method string, fn func(u *gotrue.User) (js.Value, error)) (js.Value, error) {
	u, err := b.userOf(this, method)
	if err != nil {
		return js.Undefined(), err
	}
	b.pullUser(this, u)
	v, err := fn(u)
	obj := b.syncUser(u, true)
	if err != nil || !v.IsUndefined() {
		return v, err
	}
	return obj, nil
}

// userSaveUserData is user._saveUserData(attributes, fromStorage).
func (b *bindings) userSaveUserData(this js.Value, args []js.Value) (js.Value, error) {
	return b.userMember(this, "_saveUserData", func(u *gotrue.User) (js.Value, error) {
		a := argList{args: args}
		data := a.object(0, "attributes")
		if a.err != nil {
			return js.Undefined(), a.err
		}
		plumbing.SaveUserData(u, data, a.flag(1))
		return js.Undefined(), nil
	})
}

// userProcessTokenResponse is user._processTokenResponse(tokenResponse);
// it answers undefined, as gotrue-js.
func (b *bindings) userProcessTokenResponse(this js.Value, args []js.Value) (js.Value, error) {
	_, err := b.userMember(this, "_processTokenResponse", func(u *gotrue.User) (js.Value, error) {
		passed := arg(args, 0)
		tok, err := tokenArg(passed)
		if err != nil {
			return js.Undefined(), err
		}
		plumbing.ProcessTokenResponse(u, tok)
		// gotrue-js keeps the object passed as user.token, with expires_at
		// set on it.
		if t := u.Token(); t != nil {
			browser.Set(passed, "expires_at", t.ExpiresAt())
		}
		browser.Set(this, "token", passed)
		b.adopted(this, u)
		return js.Undefined(), nil
	})
	return js.Undefined(), err
}

// userRefreshSavedSession is user._refreshSavedSession().
func (b *bindings) userRefreshSavedSession(this js.Value, args []js.Value) (js.Value, error) {
	return b.userMember(this, "_refreshSavedSession", func(u *gotrue.User) (js.Value, error) {
		plumbing.RefreshSavedSession(u)
		return js.Undefined(), nil
	})
}

// userSaveSession is user._saveSession().
func (b *bindings) userSaveSession(this js.Value, args []js.Value) (js.Value, error) {
	return b.userMember(this, "_saveSession", func(u *gotrue.User) (js.Value, error) {
		plumbing.SaveSession(u)
		return js.Undefined(), nil
	})
}

// userDetails is the user._details getter: what _saveSession saves, as a
// new object.
func (b *bindings) userDetails(this js.Value, args []js.Value) (js.Value, error) {
	return b.userMember(this, "_details", func(u *gotrue.User) (js.Value, error) {
		data, _ := u.MarshalJSON() // never fails: the core holds valid JSON
		return parse(data), nil
	})
}

// userRequest is user._request(path, options).
func (b *bindings) userRequest(this js.Value, args []js.Value) (js.Value, later, error) {
	u, err := b.userOf(this, "_request")
	if err == nil {
		b.pullUser(this, u)
	}
	a := argList{args: args, err: err}
	path, opts := a.str(0, "path"), a.options(1)
	if a.err != nil {
		return failed(a.err)
	}
	return deferred(b.onUser(u, func(ctx browser.Context) (js.Value, error) {
		return jsonAnswer(u.Request(ctx, path, opts))
	}))
}

// userRefreshToken is user._refreshToken(refresh_token): it resolves with
// the new access token.
func (b *bindings) userRefreshToken(this js.Value, args []js.Value) (js.Value, later, error) {
	u, err := b.userOf(this, "_refreshToken")
	if err == nil {
		b.pullUser(this, u)
	}
	a := argList{args: args, err: err}
	rt := a.str(0, "refresh_token")
	if a.err != nil {
		return failed(a.err)
	}
	return deferred(b.onUser(u, func(ctx browser.Context) (js.Value, error) {
		tok, err := plumbing.Refresh(ctx, u, rt)
		if err != nil {
			return js.Undefined(), err
		}
		return js.ValueOf(tok), nil
	}))
}
