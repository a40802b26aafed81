//go:build js

package main

import (
	"syscall/js"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/internal/plumbing"
	"github.com/gotrue-wasm/gotrue-wasm/wasm/browser"
)

// The API class: gotrue.api, and the API objects a page or
// User.recoverSession() makes. Each is a client of the core whose settings
// (apiURL, _sameOrigin, defaultHeaders) are read back from the object
// before every request, as gotrue-js reads them.

// newAPI is the API constructor: newAPI(this, apiURL, options), with
// options.defaultHeaders, as gotrue-js's.
func (b *bindings) newAPI(this js.Value, args []js.Value) (js.Value, error) {
	if !isType(this, js.TypeObject) || b.handles.lookup(this) != nil {
		return js.Undefined(), &argError{"gotrue: API must be called with new"}
	}
	url := ""
	if v := arg(args, 0); jsBoolean.Invoke(v).Bool() {
		url = jsString(v)
	}
	headers := jsObject.New()
	if opts := arg(args, 1); isType(opts, js.TypeObject) {
		if h := browser.Get(opts, "defaultHeaders"); jsBoolean.Invoke(h).Bool() {
			headers = h
		}
	}
	setAPIFields(this, url, headers)
	b.adoptAPI(this)
	return js.Undefined(), nil
}

// adoptAPI gives an API object that Go did not make with a GoTrue a client
// of its own.
func (b *bindings) adoptAPI(api js.Value) *client {
	// New warns about an http:// URL, as gotrue-js's GoTrue does; its API
	// class does not, so the URL comes with the settings read below.
	c := gotrue.New("", gotrue.Options{Transport: b.transport, Session: b.session, Logger: b.log})
	cl := &client{c: c}
	b.handles.addClient(js.Undefined(), cl, api, b.shells.registry)
	b.pull(cl, js.Undefined(), api)
	return cl
}

// apiOf is the client behind an API object, its settings read back first.
func (b *bindings) apiOf(this js.Value, method string) (*client, error) {
	if cl := b.handles.apiClient(this); cl != nil {
		b.pull(cl, js.Undefined(), this)
		return cl, nil
	}
	return nil, &argError{"gotrue: " + method + " must be called on an API (gotrue.api)"}
}

// apiHeaders is api.headers(extra): the default headers, then
// Content-Type, then extra, as one new object in that order.
func (b *bindings) apiHeaders(this js.Value, args []js.Value) (js.Value, error) {
	if _, err := b.apiOf(this, "headers"); err != nil {
		return js.Undefined(), err
	}
	ct := jsObject.New()
	ct.Set("Content-Type", gotrue.JSONContentType)
	return jsObject.Call("assign", jsObject.New(), browser.Get(this, "defaultHeaders"), ct, arg(args, 0)), nil
}

// apiRequest is api.request(path, options): no audience, and an error
// keeps the status text as its message.
func (b *bindings) apiRequest(this js.Value, args []js.Value) (js.Value, later, error) {
	cl, err := b.apiOf(this, "request")
	a := argList{args: args, err: err}
	path, opts := a.str(0, "path"), a.options(1)
	if a.err != nil {
		return failed(a.err)
	}
	return deferred(func() (js.Value, error) {
		return jsonAnswer(plumbing.APIRequest(browser.Background(), cl.c, path, opts))
	})
}

// parseJSONResponse is API.parseJsonResponse(response): the body of a
// fetch Response as JSON, or a JSONHTTPError when the status is not 2xx.
func (b *bindings) parseJSONResponse(_ js.Value, args []js.Value) (js.Value, later, error) {
	resp := arg(args, 0)
	if !isType(resp, js.TypeObject) {
		return failed(typeError("response", "a fetch Response", resp))
	}
	body := resp.Call("json") // a Response whose body was read throws here
	return deferred(func() (js.Value, error) {
		v, err := browser.Await(browser.Background(), body)
		if err != nil {
			return js.Undefined(), err
		}
		if !jsBoolean.Invoke(browser.Get(resp, "ok")).Bool() {
			return js.Undefined(), &browser.JSError{Value: b.shells.jsonHTTPError.New(resp, v)}
		}
		return v, nil
	})
}

// options reads the options of a request(path, options) call: method,
// headers, body, credentials and audience, as fetch would read them.
// undefined means none.
func (a *argList) options(i int) gotrue.RequestOptions {
	var o gotrue.RequestOptions
	v := arg(a.args, i)
	if v.IsUndefined() {
		return o
	}
	if !isType(v, js.TypeObject) {
		a.fail(typeError("options", "an object", v))
		return o
	}
	text := func(name string) string {
		if x := browser.Get(v, name); jsBoolean.Invoke(x).Bool() {
			return jsString(x)
		}
		return ""
	}
	o.Method, o.Credentials, o.Audience = text("method"), text("credentials"), text("audience")
	o.Body = []byte(text("body")) // gotrue-js sends no Content-Type for a falsy body
	if h := browser.Get(v, "headers"); jsBoolean.Invoke(h).Bool() {
		o.Header = headersFrom(h)
	}
	return o
}
