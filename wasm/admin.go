//go:build js

package main

import (
	"context"
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
	return b.userOf(user, "admin."+method+" (on the Admin of a User)")
}

// idArg reads the id of a user argument: a User or the user data the
// admin API answered.
func idArg(args []js.Value, i int) (string, error) {
	v := arg(args, i)
	if !isType(v, js.TypeObject) {
		return "", typeError("user", "an object with an id", v)
	}
	id := browser.Get(v, "id")
	if !isType(id, js.TypeString) || id.String() == "" {
		return "", typeError("user.id", "a non-empty string", id)
	}
	return id.String(), nil
}

// adminCall runs an admin request that answers JSON.
func (b *bindings) adminCall(u *gotrue.User, call func(context.Context, *gotrue.Admin) (gotrue.RawJSON, error)) (js.Value, later, error) {
	return deferred(b.onUser(u, func(ctx context.Context) (js.Value, error) {
		return jsonAnswer(call(ctx, u.Admin()))
	}))
}

// adminListUsers(this, aud): a falsy aud means the user's audience.
func (b *bindings) adminListUsers(this js.Value, args []js.Value) (js.Value, later, error) {
	u, err := b.adminOf(this, "listUsers")
	if err != nil {
		return failed(err)
	}
	aud := ""
	if boolArg(args, 0) {
		if aud, err = stringArg(args, 0, "aud"); err != nil {
			return failed(err)
		}
	}
	return b.adminCall(u, func(ctx context.Context, a *gotrue.Admin) (gotrue.RawJSON, error) {
		return a.ListUsers(ctx, aud)
	})
}

func (b *bindings) adminGetUser(this js.Value, args []js.Value) (js.Value, later, error) {
	u, err := b.adminOf(this, "getUser")
	if err != nil {
		return failed(err)
	}
	id, err := idArg(args, 0)
	if err != nil {
		return failed(err)
	}
	return b.adminCall(u, func(ctx context.Context, a *gotrue.Admin) (gotrue.RawJSON, error) {
		return a.GetUser(ctx, id)
	})
}

func (b *bindings) adminUpdateUser(this js.Value, args []js.Value) (js.Value, later, error) {
	u, err := b.adminOf(this, "updateUser")
	if err != nil {
		return failed(err)
	}
	id, err := idArg(args, 0)
	if err != nil {
		return failed(err)
	}
	attrs, err := objectArg(args, 1, "attributes")
	if err != nil {
		return failed(err)
	}
	return b.adminCall(u, func(ctx context.Context, a *gotrue.Admin) (gotrue.RawJSON, error) {
		return a.UpdateUser(ctx, id, attrs)
	})
}

func (b *bindings) adminCreateUser(this js.Value, args []js.Value) (js.Value, later, error) {
	u, err := b.adminOf(this, "createUser")
	if err != nil {
		return failed(err)
	}
	email, err := stringArg(args, 0, "email")
	if err != nil {
		return failed(err)
	}
	password, err := stringArg(args, 1, "password")
	if err != nil {
		return failed(err)
	}
	attrs, err := objectArg(args, 2, "attributes")
	if err != nil {
		return failed(err)
	}
	return b.adminCall(u, func(ctx context.Context, a *gotrue.Admin) (gotrue.RawJSON, error) {
		return a.CreateUser(ctx, email, password, attrs)
	})
}

func (b *bindings) adminDeleteUser(this js.Value, args []js.Value) (js.Value, later, error) {
	u, err := b.adminOf(this, "deleteUser")
	if err != nil {
		return failed(err)
	}
	id, err := idArg(args, 0)
	if err != nil {
		return failed(err)
	}
	return b.adminCall(u, func(ctx context.Context, a *gotrue.Admin) (gotrue.RawJSON, error) {
		return a.DeleteUser(ctx, id)
	})
}
