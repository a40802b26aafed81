//go:build js

package main

import (
	"syscall/js"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/wasm/browser"
)

// JavaScript built-ins, looked up once.
var (
	jsObject   = js.Global().Get("Object")
	jsArray    = js.Global().Get("Array")
	jsNumber   = js.Global().Get("Number")
	jsJSON     = js.Global().Get("JSON")
	jsPromise  = js.Global().Get("Promise")
	jsReflect  = js.Global().Get("Reflect")
	jsWeakRef  = js.Global().Get("WeakRef")
	jsBoolean  = js.Global().Get("Boolean")
	jsStringFn = js.Global().Get("String")
)

// argError is an argument of the wrong type: the page gets a TypeError,
// as from JavaScript's own APIs.
type argError struct{ msg string }

func (e *argError) Error() string { return e.msg }

func typeError(what, want string, v js.Value) error {
	return &argError{"gotrue: " + what + " must be " + want + ", not " + kind(v)}
}

// arg is args[i], or undefined when the page passed fewer arguments.
func arg(args []js.Value, i int) js.Value {
	if i < len(args) {
		return args[i]
	}
	return js.Undefined()
}

// kind is JavaScript's typeof, with "null" for null. It never panics:
// js.Value.Type panics on a BigInt.
func kind(v js.Value) string {
	k := "bigint"
	_ = browser.Try(func() { k = v.Type().String() })
	return k
}

func isType(v js.Value, t js.Type) bool { return kind(v) == t.String() }

// argList reads a method's arguments and keeps the first error, so that
// an export says what it takes in one line per argument.
type argList struct {
	args []js.Value
	err  error
}

// str is a required string argument.
func (a *argList) str(i int, what string) string {
	v := arg(a.args, i)
	if !isType(v, js.TypeString) {
		a.fail(typeError(what, "a string", v))
		return ""
	}
	return v.String()
}

// flag is a flag such as remember, with JavaScript's truthiness as in
// gotrue-js.
func (a *argList) flag(i int) bool {
	return jsBoolean.Invoke(arg(a.args, i)).Bool()
}

// object is an attributes argument: a plain object read through
// JSON.stringify (toJSON and all), or {} when left out.
func (a *argList) object(i int, what string) gotrue.Object {
	o, err := objectArg(a.args, i, what)
	a.fail(err)
	return o
}

// id is the id of a user argument: a User or the user data the admin API
// answered.
func (a *argList) id(i int) string {
	v := arg(a.args, i)
	if !isType(v, js.TypeObject) {
		a.fail(typeError("user", "an object with an id", v))
		return ""
	}
	id := browser.Get(v, "id")
	if !isType(id, js.TypeString) || id.String() == "" {
		a.fail(typeError("user.id", "a non-empty string", id))
		return ""
	}
	return id.String()
}

func (a *argList) fail(err error) {
	if a.err == nil {
		a.err = err
	}
}

// stringify is JSON.stringify(v); ok is false when that gives undefined
// (undefined, a function, a symbol), which gotrue-js's bodies leave out.
// A throw (a cycle, a BigInt) reaches the page as the browser's own error.
func stringify(v js.Value) (raw gotrue.RawJSON, ok bool) {
	s := jsJSON.Call("stringify", v)
	if s.Type() != js.TypeString {
		return nil, false
	}
	return gotrue.RawJSON(s.String()), true
}

// objectArg is an attributes argument: a plain object read through
// JSON.stringify (toJSON and all), or {} when left out.
func objectArg(args []js.Value, i int, what string) (gotrue.Object, error) {
	v := arg(args, i)
	if v.IsUndefined() {
		return gotrue.Object{}, nil
	}
	if !isType(v, js.TypeObject) {
		return gotrue.Object{}, typeError(what, "an object", v)
	}
	raw, ok := stringify(v)
	if !ok {
		return gotrue.Object{}, typeError(what, "an object", v)
	}
	o, err := gotrue.ParseObject(raw)
	if err != nil {
		return gotrue.Object{}, &argError{"gotrue: " + what + " must be a plain object, not an array or a value with toJSON"}
	}
	return o, nil
}

// jsString is String(v), as a template literal or fetch turns a value
// into text.
func jsString(v js.Value) string { return jsStringFn.Invoke(v).String() }

// parse turns JSON from the core into a JavaScript value; the browser's
// JSON.parse is faster than building values one by one.
func parse(raw []byte) js.Value {
	return jsJSON.Call("parse", string(raw))
}
