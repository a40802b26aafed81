//go:build js

package main

import (
	"syscall/js"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/wasm/browser"
)

// listener is one gotrue.on(event, fn) of the page.
type listener struct {
	kind gotrue.EventKind
	fn   js.Value
}

// eventKind reads an event name; the names are the core's.
func eventKind(v js.Value) (gotrue.EventKind, error) {
	if isType(v, js.TypeString) {
		for _, k := range gotrue.EventKinds {
			if string(k) == v.String() {
				return k, nil
			}
		}
	}
	return "", &argError{"gotrue: the event must be one of 'login', 'logout', 'token_refresh', 'user_update', not " + describeArg(v)}
}

// describeArg names a bad argument without quoting a long string.
func describeArg(v js.Value) string {
	if isType(v, js.TypeString) && len(v.String()) <= 40 {
		return "'" + v.String() + "'"
	}
	return kind(v)
}

// on is gotrue.on(event, listener): the shell returns the function that
// calls off. Adding a listener twice adds it once, as addEventListener.
func (b *bindings) on(this js.Value, args []js.Value) (js.Value, error) {
	cl, k, fn, err := b.listenerArgs(this, args, "on")
	if err != nil {
		return js.Undefined(), err
	}
	cl.mu.Lock()
	defer cl.mu.Unlock()
	for _, l := range cl.listeners {
		if l.kind == k && l.fn.Equal(fn) {
			return js.Undefined(), nil
		}
	}
	cl.listeners = append(cl.listeners, listener{k, fn})
	return js.Undefined(), nil
}

// off is gotrue.off(event, listener).
func (b *bindings) off(this js.Value, args []js.Value) (js.Value, error) {
	cl, k, fn, err := b.listenerArgs(this, args, "off")
	if err != nil {
		return js.Undefined(), err
	}
	cl.mu.Lock()
	defer cl.mu.Unlock()
	for i, l := range cl.listeners {
		if l.kind == k && l.fn.Equal(fn) {
			cl.listeners = append(cl.listeners[:i:i], cl.listeners[i+1:]...)
			break
		}
	}
	return js.Undefined(), nil
}

func (b *bindings) listenerArgs(this js.Value, args []js.Value, method string) (*client, gotrue.EventKind, js.Value, error) {
	cl, err := b.clientOf(this, method)
	if err != nil {
		return nil, "", js.Value{}, err
	}
	k, err := eventKind(arg(args, 0))
	if err != nil {
		return nil, "", js.Value{}, err
	}
	fn := arg(args, 1)
	if !isType(fn, js.TypeFunction) {
		return nil, "", js.Value{}, typeError("the listener", "a function", fn)
	}
	return cl, k, fn, nil
}

// listen subscribes a new GoTrue to its session's events, for as long as
// the page keeps it.
func (b *bindings) listen(cl *client) {
	cl.unsubscribe = cl.c.Subscribe(func(e gotrue.Event) { b.dispatch(cl, e) })
}

// dispatch takes in an event of the session. The user's page object, if
// it has one, shows the change at once: a token refreshed in the
// background or bought by another tab is in user.token without a call.
// Then the page's listeners of the event get it: the shell's emit calls
// each in a microtask, so that a listener runs after the change and before
// the caller's await resumes, and one that throws is reported without
// stopping the others or the call.
func (b *bindings) dispatch(cl *client, e gotrue.Event) {
	cl.mu.Lock()
	var fns []js.Value
	for _, l := range cl.listeners {
		if l.kind == e.Kind {
			fns = append(fns, l.fn)
		}
	}
	cl.mu.Unlock()
	if len(fns) == 0 {
		b.syncUser(e.User, false)
		return
	}
	user := js.Undefined()
	if e.User != nil {
		user = b.userValue(e.User)
	}
	list := jsArray.New(len(fns))
	for i, fn := range fns {
		list.SetIndex(i, fn)
	}
	_ = browser.Try(func() { b.shells.emit.Invoke(list, user) })
}

// close ends what a GoTrue started, once the page has dropped it.
func (cl *client) close() {
	cl.mu.Lock()
	unsubscribe, stop := cl.unsubscribe, cl.stopAutoRefresh
	cl.unsubscribe, cl.stopAutoRefresh, cl.listeners = nil, nil, nil
	cl.mu.Unlock()
	if unsubscribe != nil {
		unsubscribe()
	}
	if stop != nil {
		stop()
	}
}

// startAutoRefresh runs the core's auto-refresh for the client while the
// page is visible.
func (b *bindings) startAutoRefresh(cl *client) {
	ar := cl.c.StartAutoRefresh()
	if !browser.Visible() {
		ar.Pause()
	}
	stopWatching := browser.OnVisibilityChange(func(visible bool) {
		if visible {
			ar.Resume()
		} else {
			ar.Pause()
		}
	})
	cl.stopAutoRefresh = func() {
		stopWatching()
		ar.Stop()
	}
}
