//go:build js

package main

import (
	"errors"
	"syscall/js"
	"testing"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
)

func TestJSONHTTPError(t *testing.T) {
	needServer(t)
	reset(t)
	g := newGoTrue(t, nil)
	e := rejection(t, g.Call("login", newEmail(), "wrong"))
	wantError(t, e, "JSONHTTPError", "invalid_grant: No user found with that email, or password invalid.")
	for _, c := range []string{"HTTPError", "Error"} {
		if !e.InstanceOf(class(c)) {
			t.Errorf("not an instance of %s", c)
		}
	}
	if e.Get("name").String() != "JSONHTTPError" || e.Get("status").Int() != 400 || e.Get("json").Get("error").String() != "invalid_grant" ||
		e.Get("json").Get("error_description").String() != "No user found with that email, or password invalid." {
		t.Fatalf("error = %s", jsonOf(jsEval("return {name: a.name, status: a.status, json: a.json}", e)))
	}
	// {code, msg} answers: message is msg.
	e = rejection(t, g.Call("signup", "", ""))
	wantError(t, e, "JSONHTTPError", "…")
	if e.Get("status").Int() != 422 || e.Get("message").String() != e.Get("json").Get("msg").String() {
		t.Fatalf("signup error = %s", jsonOf(jsEval("return {status: a.status, message: a.message, json: a.json}", e)))
	}
}

func TestTextHTTPError(t *testing.T) {
	needServer(t)
	g := newGoTrue(t, map[string]any{"APIUrl": apiURL + "/no-such-prefix"})
	e := rejection(t, g.Call("settings"))
	wantError(t, e, "TextHTTPError", "Not Found")
	if !e.InstanceOf(class("HTTPError")) || e.InstanceOf(class("JSONHTTPError")) || e.Get("name").String() != "TextHTTPError" ||
		e.Get("status").Int() != 404 || e.Get("data").String() != "404 page not found\n" {
		t.Fatalf("error = %s", jsonOf(jsEval("return {name: a.name, status: a.status, data: a.data}", e)))
	}
}

// A network failure rejects with the browser's own TypeError.
func TestNetworkError(t *testing.T) {
	g := class("GoTrue").New(map[string]any{"APIUrl": "https://127.0.0.1:1"})
	e := rejection(t, g.Call("settings"))
	if !e.InstanceOf(js.Global().Get("TypeError")) || e.InstanceOf(class("HTTPError")) {
		t.Fatalf("rejected with %s", jsEval("return String(a)", e).String())
	}
}

// Every kind of Go error maps onto its JavaScript class.
func TestErrorValue(t *testing.T) {
	b := testBindings
	he := &gotrue.HTTPError{Status: 500, StatusText: "Internal Server Error", Message: "Internal Server Error"}
	e := b.errorValue(he)
	wantError(t, e, "HTTPError", "Internal Server Error")
	if e.InstanceOf(class("TextHTTPError")) || e.Get("name").String() != "HTTPError" || e.Get("status").Int() != 500 {
		t.Fatal("HTTPError fields")
	}
	e = b.errorValue(&gotrue.TextHTTPError{HTTPError: *he, Data: "oops"})
	wantError(t, e, "TextHTTPError", "Internal Server Error")
	if e.Get("data").String() != "oops" {
		t.Fatal("TextHTTPError.data")
	}
	e = b.errorValue(&gotrue.JSONHTTPError{HTTPError: gotrue.HTTPError{Status: 401, StatusText: "Unauthorized", Message: "User not allowed"}, JSON: gotrue.RawJSON(`{"code":401,"msg":"User not allowed"}`)})
	wantError(t, e, "JSONHTTPError", "User not allowed")
	if e.Get("json").Get("code").Int() != 401 || e.Get("status").Int() != 401 {
		t.Fatal("JSONHTTPError.json")
	}
	wantError(t, b.errorValue(errors.New("plain")), "Error", "plain")
	wantError(t, b.errorValue(&argError{"gotrue: bad"}), "TypeError", "gotrue: bad")
	wantError(t, b.errorValue(gotrue.ErrNoToken), "Error", "Gotrue-js: failed getting jwt access token")
}
