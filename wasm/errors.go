//go:build js

package main

import (
	"errors"
	"syscall/js"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/internal/plumbing"
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
		v = js.Global().Get("Error").New(jsMessage(err))
	}
	return v
}

func (b *bindings) errorValueOf(err error) js.Value {
	if je, ok := errors.AsType[*gotrue.JSONHTTPError](err); ok {
		return b.shells.jsonHTTPError.New(response(&je.HTTPError), parse(je.JSON))
	}
	if te, ok := errors.AsType[*gotrue.TextHTTPError](err); ok {
		return b.shells.textHTTPError.New(response(&te.HTTPError), te.Data)
	}
	if he, ok := errors.AsType[*gotrue.HTTPError](err); ok {
		return b.shells.httpError.New(response(he))
	}
	if jse, ok := errors.AsType[*browser.JSError](err); ok {
		return jse.Value
	}
	if ae, ok := errors.AsType[*argError](err); ok {
		return js.Global().Get("TypeError").New(ae.msg)
	}
	return js.Global().Get("Error").New(jsMessage(err))
}

// jsMessage is err's message as a page sees it: gotrue-js's own words
// where gotrue-js has an error for the case, the core's otherwise.
func jsMessage(err error) string {
	switch {
	case errors.Is(err, gotrue.ErrNoToken):
		return "Gotrue-js: failed getting jwt access token"
	case errors.Is(err, plumbing.ErrRefreshTimeout):
		return "Token refresh timeout"
	}
	return err.Error()
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
