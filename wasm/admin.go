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

// rawUser is the server's answer of a call that answers a user: pages see
// it as it came.
func rawUser(d *gotrue.UserData, err error) (gotrue.RawJSON, error) {
	if err != nil {
		return nil, err
	}
	return d.Raw, nil
}

// adminListUsers(this, aud) answers gotrue-js's {aud, users}; a falsy aud
// means the user's audience. adminListUsers(this, {page, perPage, filter,
// aud}) answers one page: {aud, users, total}, total from the server's
// X-Total-Count (null when the page cannot read it).
func (b *bindings) adminListUsers(this js.Value, args []js.Value) (js.Value, later, error) {
	u, err := b.adminOf(this, "listUsers")
	if err != nil {
		return failed(err)
	}
	if opts := arg(args, 0); isType(opts, js.TypeObject) {
		o, err := listOptions(opts)
		if err != nil {
			return failed(err)
		}
		return deferred(b.onUser(u, func(ctx browser.Context) (js.Value, error) {
			page, err := u.Admin().ListUsers(ctx, o)
			if err != nil {
				return js.Undefined(), err
			}
			v := parse(page.JSON)
			if page.Total >= 0 {
				v.Set("total", page.Total)
			} else {
				v.Set("total", js.Null())
			}
			return v, nil
		}))
	}
	a := argList{args: args}
	aud := ""
	if a.flag(0) {
		aud = a.str(0, "aud")
	}
	if a.err != nil {
		return failed(a.err)
	}
	return b.adminCall(u, func(ctx browser.Context, adm *gotrue.Admin) (gotrue.RawJSON, error) {
		page, err := adm.ListUsers(ctx, gotrue.ListUsersOptions{Audience: aud})
		if err != nil {
			return nil, err
		}
		return page.JSON, nil
	})
}

// listOptions reads {page, perPage, filter, aud}: each may be left out.
func listOptions(opts js.Value) (gotrue.ListUsersOptions, error) {
	var o gotrue.ListUsersOptions
	for _, n := range []struct {
		name string
		to   *int
	}{{"page", &o.Page}, {"perPage", &o.PerPage}} {
		v := browser.Get(opts, n.name)
		if v.IsUndefined() {
			continue
		}
		if !isType(v, js.TypeNumber) || !jsNumber.Call("isSafeInteger", v).Bool() || v.Int() < 1 {
			return o, typeError("listUsers' "+n.name, "a whole number from 1", v)
		}
		*n.to = v.Int()
	}
	for _, s := range []struct {
		name string
		to   *string
	}{{"filter", &o.Filter}, {"aud", &o.Audience}} {
		v := browser.Get(opts, s.name)
		if v.IsUndefined() {
			continue
		}
		if !isType(v, js.TypeString) {
			return o, typeError("listUsers' "+s.name, "a string", v)
		}
		*s.to = v.String()
	}
	return o, nil
}

// adminInviteUser(this, email, data?) resolves the invited user.
func (b *bindings) adminInviteUser(this js.Value, args []js.Value) (js.Value, later, error) {
	u, err := b.adminOf(this, "inviteUser")
	a := argList{args: args, err: err}
	email, data := a.str(0, "email"), a.object(1, "data")
	if a.err != nil {
		return failed(a.err)
	}
	return b.adminCall(u, func(ctx browser.Context, adm *gotrue.Admin) (gotrue.RawJSON, error) {
		return rawUser(adm.InviteUser(ctx, email, data))
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
		return rawUser(adm.GetUser(ctx, id))
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
		return rawUser(adm.UpdateUser(ctx, id, attrs))
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
		return rawUser(adm.CreateUser(ctx, email, password, attrs))
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
