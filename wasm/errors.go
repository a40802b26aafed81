//go:build js

package main

import (
	"syscall/js"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/wasm/browser"
)

// errorValue is the JavaScript error a Promise rejects with or a sync
// method throws: the loader's HTTP error classes for the server's answers,
// the browser's own error for a network failure or a throwing argument, a
// TypeError for a wrong argument, and an Error with the message otherwise.
// Messages come from the core, which never puts a token into one.
func (b *bindings) errorValue(err error) js.Value {
	var v js.Value
	if browser.Try(func() { v = b.errorValueOf(err) }) != nil {
		v = js.Global().Get("Error").New(err.Error())
	}
	return v
}

func (b *bindings) errorValueOf(err error) js.Value {
	if je, ok := gotrue.As[*gotrue.JSONHTTPError](err); ok {
		return b.shells.jsonHTTPError.New(response(&je.HTTPError), parse(je.JSON))
	}
	if te, ok := gotrue.As[*gotrue.TextHTTPError](err); ok {
		return b.shells.textHTTPError.New(response(&te.HTTPError), te.Data)
	}
	if he, ok := gotrue.As[*gotrue.HTTPError](err); ok {
		return b.shells.httpError.New(response(he))
	}
	if jse, ok := gotrue.As[*browser.JSError](err); ok {
		return jse.Value
	}
	if ae, ok := gotrue.As[*argError](err); ok {
		return js.Global().Get("TypeError").New(ae.msg)
	}
	return js.Global().Get("Error").New(err.Error())
}

// response is what the error classes take, shaped like fetch's Response
// as gotrue-js's constructors expect; statusText carries the message the
// core rewrote from the answer's JSON.
func response(e *gotrue.HTTPError) js.Value {
	r := jsObject.New()
	r.Set("status", e.Status)
	r.Set("statusText", e.Message)
	return r
}

// thrown wraps err for a sync export; the class shell throws it.
func (b *bindings) thrown(err error) js.Value {
	v := b.errorValue(err)
	var t js.Value
	if browser.Try(func() { t = b.shells.thrown.New(v) }) != nil {
		return v // no loader: the caller gets the error as a value
	}
	return t
}
