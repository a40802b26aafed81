//go:build js

package main

import (
	"syscall/js"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/wasm/browser"
)

// Every admin export takes the Admin as this and uses the token of its
// user (admin.user, as gotrue-js stores it).

func (b *bindings) adminOf(this js.Value, method string) (*gotrue.User, error) {
	var user js.Value
	if isType(this, js.TypeObject) {
		user = browser.Get(this, "user")
	}
	u, err := b.userOf(user, "admin."+method+" (on the Admin of a User)")
	if err == nil {
		b.pullUser(user, u)
	}
	return u, err
}

// adminCall runs an admin request that answers JSON.
func (b *bindings) adminCall(u *gotrue.User, call func(browser.Context, *gotrue.Admin) (gotrue.RawJSON, error)) (js.Value, later, error) {
	return deferred(b.onUser(u, func(ctx browser.Context) (js.Value, error) {
		return jsonAnswer(call(ctx, u.Admin()))
	}))
}

// adminListUsers(this, aud): a falsy aud means the user's audience.
func (b *bindings) adminListUsers(this js.Value, args []js.Value) (js.Value, later, error) {
	u, err := b.adminOf(this, "listUsers")
	a := argList{args: args, err: err}
	aud := ""
	if a.flag(0) {
		aud = a.str(0, "aud")
	}
	if a.err != nil {
		return failed(a.err)
	}
	return b.adminCall(u, func(ctx browser.Context, adm *gotrue.Admin) (gotrue.RawJSON, error) {
		return adm.ListUsers(ctx, aud)
	})
}

func (b *bindings) adminGetUser(this js.Value, args []js.Value) (js.Value, later, error) {
	u, err := b.adminOf(this, "getUser")
	a := argList{args: args, err: err}
	id := a.id(0)
	if a.err != nil {
		return failed(a.err)
	}
	return b.adminCall(u, func(ctx browser.Context, adm *gotrue.Admin) (gotrue.RawJSON, error) {
		return adm.GetUser(ctx, id)
	})
}

func (b *bindings) adminUpdateUser(this js.Value, args []js.Value) (js.Value, later, error) {
	u, err := b.adminOf(this, "updateUser")
	a := argList{args: args, err: err}
	id, attrs := a.id(0), a.object(1, "attributes")
	if a.err != nil {
		return failed(a.err)
	}
	return b.adminCall(u, func(ctx browser.Context, adm *gotrue.Admin) (gotrue.RawJSON, error) {
		return adm.UpdateUser(ctx, id, attrs)
	})
}

func (b *bindings) adminCreateUser(this js.Value, args []js.Value) (js.Value, later, error) {
	u, err := b.adminOf(this, "createUser")
	a := argList{args: args, err: err}
	email, password, attrs := a.str(0, "email"), a.str(1, "password"), a.object(2, "attributes")
	if a.err != nil {
		return failed(a.err)
	}
	return b.adminCall(u, func(ctx browser.Context, adm *gotrue.Admin) (gotrue.RawJSON, error) {
		return adm.CreateUser(ctx, email, password, attrs)
	})
}

func (b *bindings) adminDeleteUser(this js.Value, args []js.Value) (js.Value, later, error) {
	u, err := b.adminOf(this, "deleteUser")
	a := argList{args: args, err: err}
	id := a.id(0)
	if a.err != nil {
		return failed(a.err)
	}
	return b.adminCall(u, func(ctx browser.Context, adm *gotrue.Admin) (gotrue.RawJSON, error) {
		return adm.DeleteUser(ctx, id)
	})
}
