//go:build js

package main

import (
	"syscall/js"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/wasm/browser"
)

// handleRedirect(this, url = location.href, remember = true) resolves
// {type, user?, token?, error?}, or null when the URL holds nothing to
// handle. When url is the page's own, the parameters used leave the
// address bar (history.replaceState) before any request, so that a
// reload cannot spend a mail's token twice; an email change link opened
// with nobody logged in rejects and stays, for a call after the login.
func (b *bindings) handleRedirect(this js.Value, args []js.Value) (js.Value, later, error) {
	cl, err := b.clientOf(this, "handleRedirect")
	if err != nil {
		return failed(err)
	}
	here := pageURL()
	url := here
	if v := arg(args, 0); !v.IsUndefined() {
		if !isType(v, js.TypeString) {
			return failed(typeError("url", "a string", v))
		}
		url = v.String()
	}
	remember := true
	if v := arg(args, 1); !v.IsUndefined() {
		remember = jsBoolean.Invoke(v).Bool()
	}
	r := gotrue.ParseRedirect(url)
	if r == nil {
		return js.Null(), nil, nil
	}
	if r.Kind == gotrue.RedirectEmailChange && cl.c.CurrentUser() == nil {
		// The link stays in the address bar: once the user has logged
		// in, the page calls again.
		return failed(gotrue.ErrNotLoggedIn)
	}
	if url == here {
		replaceURL(r.URL)
	}
	switch r.Kind {
	case gotrue.RedirectInvite, gotrue.RedirectError, gotrue.RedirectEmailChange:
	default:
		b.rememberNow(cl, remember) // as login: X-Use-Cookie from the first request
	}
	return deferred(func() (js.Value, error) {
		res, err := cl.c.HandleRedirect(browser.Background(), r, remember)
		b.syncHeaders(cl)
		if err != nil {
			return js.Undefined(), err
		}
		out := jsObject.New()
		out.Set("type", string(res.Kind))
		if res.User != nil {
			out.Set("user", b.userValue(res.User))
		}
		if res.Token != "" {
			out.Set("token", res.Token)
		}
		if res.Err != nil {
			out.Set("error", b.errorValue(res.Err))
		}
		return out, nil
	})
}

// pageURL is location.href, "" where there is none.
func pageURL() string {
	href := ""
	_ = browser.Try(func() {
		if v := browser.Get(browser.Get(js.Global(), "location"), "href"); isType(v, js.TypeString) {
			href = v.String()
		}
	})
	return href
}

// replaceURL shows url in the address bar without a navigation, keeping
// the history entry's state.
func replaceURL(url string) {
	_ = browser.Try(func() {
		h := browser.Get(js.Global(), "history")
		h.Call("replaceState", browser.Get(h, "state"), "", url)
	})
}
