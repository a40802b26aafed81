//go:build js

package main

import (
	"syscall/js"
	"testing"
)

func TestAdminNotAllowed(t *testing.T) {
	needServer(t)
	reset(t)
	u, _ := login(t, newGoTrue(t, nil), false)
	e := rejection(t, u.Get("admin").Call("listUsers"))
	wantError(t, e, "JSONHTTPError", "User not allowed")
	if e.Get("status").Int() != 401 {
		t.Fatalf("status %d", e.Get("status").Int())
	}
	u.Call("clearSession")
}

func TestAdmin(t *testing.T) {
	needServer(t)
	reset(t)
	g := newGoTrue(t, nil)
	u, _ := login(t, g, true)
	operator(t, "PUT", "/admin/users/"+u.Get("id").String(), `{"role":"admin"}`)
	admin := u.Get("admin")
	if !admin.InstanceOf(class("Admin")) || !admin.Get("user").Equal(u) {
		t.Fatal("user.admin is not the user's Admin")
	}

	email := newEmail()
	created := await(t, admin.Call("createUser", email, password, map[string]any{"user_metadata": map[string]any{"team": "blue"}, "confirm": true}))
	if created.InstanceOf(class("User")) || created.Get("email").String() != email || created.Get("id").Type() != js.TypeString {
		t.Fatalf("createUser = %s", jsonOf(created))
	}
	list := await(t, admin.Call("listUsers"))
	found := false
	users := list.Get("users")
	for i := 0; i < users.Length(); i++ {
		found = found || users.Index(i).Get("id").String() == created.Get("id").String()
	}
	if !found || list.Get("aud").Type() != js.TypeString {
		t.Fatalf("listUsers does not list the new user: %s", jsonOf(list))
	}
	if got := await(t, admin.Call("getUser", created)); got.Get("email").String() != email {
		t.Fatalf("getUser = %s", jsonOf(got))
	}
	upd := await(t, admin.Call("updateUser", created, map[string]any{"app_metadata": map[string]any{"plan": "pro"}}))
	if upd.Get("app_metadata").Get("plan").String() != "pro" {
		t.Fatalf("updateUser = %s", jsonOf(upd))
	}
	// The new user can log in: createUser sent email and password.
	reset(t)
	if v := await(t, g.Call("login", email, password)); v.Get("email").String() != email {
		t.Fatal("the created user cannot log in")
	}
	if d := await(t, admin.Call("deleteUser", map[string]any{"id": created.Get("id")})); jsonOf(d) != "{}" {
		t.Fatalf("deleteUser = %s", jsonOf(d))
	}
	e := rejection(t, admin.Call("getUser", created))
	wantError(t, e, "JSONHTTPError", "User not found")
	e = rejection(t, admin.Call("getUser", map[string]any{"id": "not-a-uuid"}))
	wantError(t, e, "JSONHTTPError", "user_id must be an UUID")
	reset(t)
}
