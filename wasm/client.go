//go:build js

package main

import (
	"maps"
	"sync"
	"syscall/js"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/internal/keys"
	"github.com/gotrue-wasm/gotrue-wasm/internal/plumbing"
	"github.com/gotrue-wasm/gotrue-wasm/wasm/browser"
)

// client is one `new GoTrue(...)` of the page; its api object (which the
// client's users share) is kept by the handle table.
type client struct {
	c      *gotrue.Client
	handle int

	mu      sync.Mutex
	headers map[string]string // defaultHeaders as last copied onto api
	pulled  pulled            // the page's settings as last read

	listeners       []listener // gotrue.on's, in the order added
	unsubscribe     func()     // from the session's events
	stopAutoRefresh func()     // with new GoTrue({autoRefresh: true})
}

// syncHeaders copies the client's default headers onto api.defaultHeaders
// when they changed (X-Use-Cookie is set by login and currentUser). It
// updates the page's object in place, so that a reference the page keeps
// stays current.
func (b *bindings) syncHeaders(cl *client) {
	h := cl.c.DefaultHeaders()
	cl.mu.Lock()
	changed := cl.headers == nil || !maps.Equal(h, cl.headers)
	cl.headers = h
	cl.mu.Unlock()
	if !changed {
		return
	}
	api := b.handles.api(cl)
	if api.IsUndefined() {
		return
	}
	obj := browser.Get(api, "defaultHeaders")
	if !isType(obj, js.TypeObject) {
		browser.Set(api, "defaultHeaders", headersValue(h))
		return
	}
	for k := range headersFrom(obj) {
		if _, ok := h[k]; !ok {
			jsReflect.Call("deleteProperty", obj, k)
		}
	}
	for _, k := range keys.Sorted(h) {
		browser.Set(obj, k, h[k])
	}
}

// pull reads the client's public settings back from the page before a
// call: gotrue-js reads gotrue.api.apiURL, api.defaultHeaders,
// gotrue.audience and gotrue.setCookie at every request, so a page may
// change them. this is the GoTrue; undefined for a user's call, which
// reads only the api object the user shares with its GoTrue.
//
// Reading costs a few JavaScript calls; the settings are parsed and passed
// to the core only when they differ from the last ones seen.
func (b *bindings) pull(cl *client, this js.Value, api js.Value) {
	cfg := plumbing.Config{
		APIURL:     jsString(browser.Get(api, "apiURL")),
		SameOrigin: jsBoolean.Invoke(browser.Get(api, "_sameOrigin")).Bool(),
		Audience:   cl.c.Audience(),
		SetCookie:  cl.c.SetCookie(),
	}
	if !this.IsUndefined() {
		cfg.Audience = ""
		if aud := browser.Get(this, "audience"); jsBoolean.Invoke(aud).Bool() {
			cfg.Audience = jsString(aud)
		}
		cfg.SetCookie = jsBoolean.Invoke(browser.Get(this, "setCookie")).Bool()
	}
	headers := browser.Get(api, "defaultHeaders")
	raw, _ := stringify(headers)
	seen := pulled{cfg.APIURL, string(raw), cfg.Audience, cfg.SetCookie, cfg.SameOrigin}
	cl.mu.Lock()
	same := cl.pulled == seen
	cl.mu.Unlock()
	if same {
		return
	}
	cfg.DefaultHeaders = headersFrom(headers)
	plumbing.Configure(cl.c, cfg)
	cl.mu.Lock()
	cl.pulled, cl.headers = seen, cfg.DefaultHeaders
	cl.mu.Unlock()
}

// settingsAre reports whether the page's setCookie, as the shell read it,
// is what the client last pulled and uses: then a call would pass nothing
// new to the core.
func (cl *client) settingsAre(setCookie bool) bool {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	return cl.pulled.setCookie == setCookie && cl.c.SetCookie() == setCookie
}

// pulled is what pull last read from the page.
type pulled struct {
	apiURL, headers, audience string
	setCookie, sameOrigin     bool
}

// headersFrom reads a headers object as fetch would: every own
// enumerable property, its value turned into a string.
func headersFrom(v js.Value) map[string]string {
	h := map[string]string{}
	if !isType(v, js.TypeObject) {
		return h
	}
	entries := jsObject.Call("entries", v)
	for i, n := 0, entries.Length(); i < n; i++ {
		e := entries.Index(i)
		h[e.Index(0).String()] = jsString(e.Index(1))
	}
	return h
}

// headersValue is a header map as a JavaScript object, names sorted: the
// order gotrue-js builds them in (X-Nf-Client, then X-Use-Cookie).
func headersValue(h map[string]string) js.Value {
	obj := jsObject.New()
	for _, k := range keys.Sorted(h) {
		obj.Set(k, h[k])
	}
	return obj
}

// apiValue is a new API object for c's settings.
func (b *bindings) apiValue(c *gotrue.Client) js.Value {
	return b.newAPIObject(c.APIURL(), headersValue(c.DefaultHeaders()))
}

// newAPIObject is an API object made as gotrue-js's constructor makes one,
// without running the class's constructor (which is the page's).
func (b *bindings) newAPIObject(url string, headers js.Value) js.Value {
	api := jsObject.Call("create", browser.Get(b.shells.api, "prototype"))
	setAPIFields(api, url, headers)
	return api
}

// setAPIFields gives an API object its own properties as gotrue-js's
// constructor does: apiURL, _sameOrigin and defaultHeaders, in that order.
func setAPIFields(api js.Value, url string, headers js.Value) {
	browser.Set(api, "apiURL", url)
	browser.Set(api, "_sameOrigin", plumbing.SameOrigin(url))
	browser.Set(api, "defaultHeaders", headers)
}

// newGoTrue is the GoTrue constructor: newGoTrue(this, {APIUrl, audience,
// setCookie, clientName}). It sets audience (when not empty), setCookie and
// api on this, in gotrue-js's order.
func (b *bindings) newGoTrue(this js.Value, args []js.Value) (js.Value, error) {
	opts := arg(args, 0)
	if opts.IsUndefined() {
		opts = jsObject.New()
	}
	if !isType(opts, js.TypeObject) {
		return js.Undefined(), typeError("the options of new GoTrue()", "an object", opts)
	}
	if !isType(this, js.TypeObject) || b.handles.lookup(this) != nil {
		return js.Undefined(), &argError{"gotrue: GoTrue must be called with new"}
	}
	apiURL, err := stringOption(opts, "APIUrl", gotrue.DefaultAPIURL)
	if err != nil {
		return js.Undefined(), err
	}
	audience, err := stringOption(opts, "audience", "")
	if err != nil {
		return js.Undefined(), err
	}
	clientName, err := stringOption(opts, "clientName", "")
	if err != nil {
		return js.Undefined(), err
	}
	c := gotrue.New(apiURL, gotrue.Options{
		Audience:   audience,
		SetCookie:  jsBoolean.Invoke(browser.Get(opts, "setCookie")).Bool(),
		ClientName: clientName,
		Transport:  b.transport,
		Session:    b.session,
		Logger:     b.log,
	})
	if apiURL == "" {
		// gotrue-js keeps an empty APIUrl (only a missing one means the
		// default), where New takes the default.
		plumbing.Configure(c, plumbing.Config{DefaultHeaders: c.DefaultHeaders(), Audience: c.Audience(), SetCookie: c.SetCookie()})
	}
	if c.Audience() != "" {
		browser.Set(this, "audience", c.Audience())
	}
	browser.Set(this, "setCookie", c.SetCookie())
	cl := &client{c: c, headers: c.DefaultHeaders()}
	api := b.apiValue(c)
	browser.Set(this, "api", api)
	b.handles.addClient(this, cl, api, b.shells.registry)
	b.listen(cl)
	if jsBoolean.Invoke(browser.Get(opts, "autoRefresh")).Bool() {
		b.startAutoRefresh(cl)
	}
	return js.Undefined(), nil
}

// setRememberHeaders is gotrue._setRememberHeaders(remember): at once, as
// gotrue-js sets X-Use-Cookie in api.defaultHeaders before its request.
func (b *bindings) setRememberHeaders(this js.Value, args []js.Value) (js.Value, error) {
	cl, err := b.clientOf(this, "_setRememberHeaders")
	if err != nil {
		return js.Undefined(), err
	}
	b.rememberNow(cl, (&argList{args: args}).flag(0))
	return js.Undefined(), nil
}

// rememberNow sets the remember headers and shows them on api at once:
// the methods that log a user in set them before their first request.
func (b *bindings) rememberNow(cl *client, remember bool) {
	plumbing.SetRememberHeaders(cl.c, remember)
	b.syncHeaders(cl)
}

// request is gotrue._request(path, options).
func (b *bindings) request(this js.Value, args []js.Value) (js.Value, later, error) {
	cl, err := b.clientOf(this, "_request")
	a := argList{args: args, err: err}
	path, opts := a.str(0, "path"), a.options(1)
	if a.err != nil {
		return failed(a.err)
	}
	return deferred(func() (js.Value, error) {
		return jsonAnswer(cl.c.Request(browser.Background(), path, opts))
	})
}

// stringOption reads an option that must be a string when given.
func stringOption(opts js.Value, name, def string) (string, error) {
	v := browser.Get(opts, name)
	if v.IsUndefined() {
		return def, nil
	}
	if !isType(v, js.TypeString) {
		return "", typeError(name, "a string", v)
	}
	return v.String(), nil
}

// clientOf is the client behind this, the GoTrue a method was called on.
// Its public settings are read back from the page first (see pull).
func (b *bindings) clientOf(this js.Value, method string) (*client, error) {
	if cl, ok := b.handles.lookup(this).(*client); ok {
		b.pull(cl, this, browser.Get(this, "api"))
		return cl, nil
	}
	return nil, &argError{"gotrue: " + method + " must be called on a GoTrue"}
}

// failed is an async export's answer to bad arguments.
func failed(err error) (js.Value, later, error) { return js.Undefined(), nil, err }

// deferred is an async export's answer: work for a goroutine.
func deferred(run later) (js.Value, later, error) { return js.Undefined(), run, nil }

// jsonAnswer is the server's JSON as a plain JavaScript value.
func jsonAnswer(raw gotrue.RawJSON, err error) (js.Value, error) {
	if err != nil {
		return js.Undefined(), err
	}
	return parse(raw), nil
}

// logsIn runs a client method that logs a user in. X-Use-Cookie is set
// at once, in the caller's turn, as gotrue-js sets it; the client's
// default headers are copied onto api again when the call ends.
func (b *bindings) logsIn(cl *client, remember bool, call func(browser.Context) (*gotrue.User, error)) later {
	b.rememberNow(cl, remember)
	return func() (js.Value, error) {
		u, err := call(browser.Background())
		b.syncHeaders(cl)
		if err != nil {
			return js.Undefined(), err
		}
		return b.userValue(u), nil
	}
}

func (b *bindings) settings(this js.Value, args []js.Value) (js.Value, later, error) {
	cl, err := b.clientOf(this, "settings")
	if err != nil {
		return failed(err)
	}
	return deferred(func() (js.Value, error) { return jsonAnswer(cl.c.Settings(browser.Background())) })
}

// signup(this, email, password, data): data undefined is left out, as
// JSON.stringify leaves it out of gotrue-js's body.
func (b *bindings) signup(this js.Value, args []js.Value) (js.Value, later, error) {
	cl, err := b.clientOf(this, "signup")
	a := argList{args: args, err: err}
	email, password := a.str(0, "email"), a.str(1, "password")
	if a.err != nil {
		return failed(a.err)
	}
	data, _ := stringify(arg(args, 2))
	return deferred(func() (js.Value, error) {
		return jsonAnswer(plumbing.Signup(cl.c, email, password, data))
	})
}

func (b *bindings) login(this js.Value, args []js.Value) (js.Value, later, error) {
	cl, err := b.clientOf(this, "login")
	a := argList{args: args, err: err}
	email, password, remember := a.str(0, "email"), a.str(1, "password"), a.flag(2)
	if a.err != nil {
		return failed(a.err)
	}
	return deferred(b.logsIn(cl, remember, func(ctx browser.Context) (*gotrue.User, error) {
		return cl.c.Login(ctx, email, password, remember)
	}))
}

func (b *bindings) confirm(this js.Value, args []js.Value) (js.Value, later, error) {
	cl, err := b.clientOf(this, "confirm")
	a := argList{args: args, err: err}
	token, remember := a.str(0, "token"), a.flag(1)
	if a.err != nil {
		return failed(a.err)
	}
	return deferred(b.logsIn(cl, remember, func(ctx browser.Context) (*gotrue.User, error) {
		return cl.c.Confirm(ctx, token, remember)
	}))
}

func (b *bindings) recover(this js.Value, args []js.Value) (js.Value, later, error) {
	cl, err := b.clientOf(this, "recover")
	a := argList{args: args, err: err}
	token, remember := a.str(0, "token"), a.flag(1)
	if a.err != nil {
		return failed(a.err)
	}
	return deferred(b.logsIn(cl, remember, func(ctx browser.Context) (*gotrue.User, error) {
		return cl.c.Recover(ctx, token, remember)
	}))
}

func (b *bindings) verify(this js.Value, args []js.Value) (js.Value, later, error) {
	cl, err := b.clientOf(this, "verify")
	a := argList{args: args, err: err}
	typ, token, remember := a.str(0, "type"), a.str(1, "token"), a.flag(2)
	if a.err != nil {
		return failed(a.err)
	}
	return deferred(b.logsIn(cl, remember, func(ctx browser.Context) (*gotrue.User, error) {
		return cl.c.Verify(ctx, typ, token, remember)
	}))
}

func (b *bindings) acceptInvite(this js.Value, args []js.Value) (js.Value, later, error) {
	cl, err := b.clientOf(this, "acceptInvite")
	a := argList{args: args, err: err}
	token, password, remember := a.str(0, "token"), a.str(1, "password"), a.flag(2)
	if a.err != nil {
		return failed(a.err)
	}
	return deferred(b.logsIn(cl, remember, func(ctx browser.Context) (*gotrue.User, error) {
		return cl.c.AcceptInvite(ctx, token, password, remember)
	}))
}

func (b *bindings) requestPasswordRecovery(this js.Value, args []js.Value) (js.Value, later, error) {
	cl, err := b.clientOf(this, "requestPasswordRecovery")
	a := argList{args: args, err: err}
	email := a.str(0, "email")
	if a.err != nil {
		return failed(a.err)
	}
	return deferred(func() (js.Value, error) {
		return jsonAnswer(cl.c.RequestPasswordRecovery(browser.Background(), email))
	})
}

func (b *bindings) loginExternalURL(this js.Value, args []js.Value) (js.Value, error) {
	cl, err := b.clientOf(this, "loginExternalUrl")
	a := argList{args: args, err: err}
	provider := a.str(0, "provider")
	if a.err != nil {
		return js.Undefined(), a.err
	}
	return js.ValueOf(cl.c.LoginExternalURL(provider)), nil
}

func (b *bindings) acceptInviteExternalURL(this js.Value, args []js.Value) (js.Value, error) {
	cl, err := b.clientOf(this, "acceptInviteExternalUrl")
	a := argList{args: args, err: err}
	provider, token := a.str(0, "provider"), a.str(1, "token")
	if a.err != nil {
		return js.Undefined(), a.err
	}
	return js.ValueOf(cl.c.AcceptInviteExternalURL(provider, token)), nil
}

// createUser(this, tokenResponse, remember): tokenResponse is a plain
// object, such as the fields of an OAuth callback's URL hash (all strings).
func (b *bindings) createUser(this js.Value, args []js.Value) (js.Value, later, error) {
	cl, err := b.clientOf(this, "createUser")
	if err != nil {
		return failed(err)
	}
	tok, err := tokenArg(arg(args, 0))
	if err != nil {
		return failed(err)
	}
	remember := (&argList{args: args}).flag(1)
	return deferred(b.logsIn(cl, remember, func(ctx browser.Context) (*gotrue.User, error) {
		return cl.c.CreateUser(ctx, tok, remember)
	}))
}

// currentUser answers at once, with the same object for the same user.
func (b *bindings) currentUser(this js.Value, args []js.Value) (js.Value, error) {
	cl, err := b.clientOf(this, "currentUser")
	if err != nil {
		return js.Undefined(), err
	}
	u := cl.c.CurrentUser()
	b.syncHeaders(cl)
	return b.userValue(u), nil
}

func (b *bindings) validateCurrentSession(this js.Value, args []js.Value) (js.Value, later, error) {
	cl, err := b.clientOf(this, "validateCurrentSession")
	if err != nil {
		return failed(err)
	}
	// The user the core will validate: when the server rejects the
	// session, its page object must show the cleared token too.
	prev := cl.c.CurrentUser()
	return deferred(func() (js.Value, error) {
		u, err := cl.c.ValidateCurrentSession(browser.Background())
		b.syncHeaders(cl)
		b.syncUser(prev, false)
		// A user kept while the server could not be reached comes with
		// the error; the page gets the user, as from a validated session.
		if err != nil && u == nil {
			return js.Undefined(), err
		}
		return b.userValue(u), nil
	})
}
