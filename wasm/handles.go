//go:build js

package main

import (
	"sync"
	"syscall/js"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/internal/plumbing"
	"github.com/gotrue-wasm/gotrue-wasm/wasm/browser"
)

// handleTable ties the page's GoTrue and User objects to Go values. Each
// object carries its handle in a non-enumerable property under a Symbol
// (invisible to JSON.stringify and for…in, and no server field can take
// its name). The loader's FinalizationRegistry calls release when the
// object is collected, so Go memory follows the page's.
//
// A User is found again through a WeakRef, so that currentUser() ===
// currentUser() while the page keeps the object, and a new object (with a
// new handle) is made once it is gone; a late release of the old handle
// then frees only the old handle.
//
// An API object (gotrue.api, or one a page or User.recoverSession made)
// has a handle too, to the client whose settings it holds.
//
// The WeakRefs live in a JavaScript Map, not in Go:
// syscall/js lets go of a JS value when the finalizer of its Go Value
// runs, and Go's tiny allocator puts two such finalizers in one 16-byte
// block that is only freed as a whole, so a long-lived Go Value can pin
// the page object whose Value shared its block, and with it the handle.
// Go keeps no js.Value beyond a call except a few made at start-up.
type handleTable struct {
	key  js.Value // the Symbol
	objs js.Value // Map: handle → WeakRef to a User, or to a client's API object

	mu      sync.Mutex
	next    int
	values  map[int]any // *client (a GoTrue), *apiRef or *gotrue.User
	users   map[*gotrue.User]*userRef
	clients map[*gotrue.Client]*client
}

// userRef is the page's object of one Go user.
type userRef struct {
	handle int
	synced uint64 // the user's revision as last copied onto the object
	// Hashes of what was last copied onto the object, to tell the page's
	// own writes (gotrue-js reads user.token and user.audience at every
	// call). Hashes, not strings: a small string kept here would share a
	// tiny-allocator block with the finalizer of some js.Value and keep its
	// page object alive (see handleTable).
	token, audience uint64
}

// apiRef is the value behind an API object: the client it configures.
type apiRef struct{ cl *client }

func newHandleTable() *handleTable {
	return &handleTable{
		key:     js.Global().Get("Symbol").Invoke("gotrue-wasm handle"),
		objs:    js.Global().Get("Map").New(),
		values:  make(map[int]any),
		users:   make(map[*gotrue.User]*userRef),
		clients: make(map[*gotrue.Client]*client),
	}
}

// attach gives obj a new handle for v and registers obj for release.
func (t *handleTable) attach(obj js.Value, v any, registry js.Value) int {
	t.mu.Lock()
	t.next++
	h := t.next
	t.values[h] = v
	t.mu.Unlock()
	desc := jsObject.New()
	desc.Set("value", h) // neither enumerable, writable nor configurable
	jsObject.Call("defineProperty", obj, t.key, desc)
	registry.Call("register", obj, h)
	return h
}

// lookup is the Go value behind a page object, nil for anything else.
func (t *handleTable) lookup(obj js.Value) any {
	if !isType(obj, js.TypeObject) {
		return nil
	}
	h := jsReflect.Call("get", obj, t.key)
	if h.Type() != js.TypeNumber {
		return nil
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.values[h.Int()]
}

// addClient ties a GoTrue object (or, when obj is undefined, only an API
// object) and its API object to cl.
func (t *handleTable) addClient(obj js.Value, cl *client, api js.Value, registry js.Value) {
	h := t.attach(api, &apiRef{cl}, registry)
	if !obj.IsUndefined() {
		h = t.attach(obj, cl, registry)
	}
	cl.handle = h
	t.objs.Call("set", h, jsWeakRef.New(api))
	t.mu.Lock()
	t.clients[cl.c] = cl
	t.mu.Unlock()
}

// client is the live client of c, nil once the page dropped its GoTrue.
func (t *handleTable) client(c *gotrue.Client) *client {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.clients[c]
}

// clientAt is the client of GoTrue handle h, nil for any other handle.
func (t *handleTable) clientAt(h int) *client {
	t.mu.Lock()
	defer t.mu.Unlock()
	cl, _ := t.values[h].(*client)
	return cl
}

// syncedUserAt is the user of User handle h when its page object holds
// the user's current state (see isSynced), so that the object's own
// properties are the answer.
func (t *handleTable) syncedUserAt(h int) (*gotrue.User, bool) {
	t.mu.Lock()
	u, _ := t.values[h].(*gotrue.User)
	handle, synced := t.refOf(u)
	t.mu.Unlock()
	if u == nil || handle != h {
		return nil, false
	}
	return u, isSynced(u, synced)
}

// syncedHandle is the handle of u's page object when it holds the user's
// current state, 0 otherwise.
func (t *handleTable) syncedHandle(u *gotrue.User) int {
	t.mu.Lock()
	handle, synced := t.refOf(u)
	t.mu.Unlock()
	if handle == 0 || !isSynced(u, synced) {
		return 0
	}
	return handle
}

// refOf is the handle of u's page object (0 for none) and the revision
// last copied onto it. t.mu is held.
func (t *handleTable) refOf(u *gotrue.User) (handle int, synced uint64) {
	if r := t.users[u]; r != nil {
		return r.handle, r.synced
	}
	return 0, 0
}

// isSynced is the one rule for "the page object is current": nothing of
// the user changed since revision synced was copied onto it.
func isSynced(u *gotrue.User, synced uint64) bool {
	return synced == plumbing.Revision(u)
}

// api is the API object of cl, or undefined once the page dropped it.
func (t *handleTable) api(cl *client) js.Value { return deref(t.objs.Call("get", cl.handle)) }

// apiClient is the client behind an API object, nil for anything else.
func (t *handleTable) apiClient(obj js.Value) *client {
	if r, ok := t.lookup(obj).(*apiRef); ok {
		return r.cl
	}
	return nil
}

// deref is a WeakRef's object, undefined when there is none (any more).
func deref(ref js.Value) js.Value {
	if ref.IsUndefined() {
		return ref
	}
	return ref.Call("deref")
}

func (t *handleTable) addUser(obj js.Value, u *gotrue.User, synced uint64, registry js.Value) {
	h := t.attach(obj, u, registry)
	t.objs.Call("set", h, jsWeakRef.New(obj))
	t.mu.Lock()
	t.users[u] = &userRef{handle: h, synced: synced}
	t.mu.Unlock()
}

// userObject is u's page object while it is alive, else undefined.
func (t *handleTable) userObject(u *gotrue.User) js.Value {
	t.mu.Lock()
	r := t.users[u]
	t.mu.Unlock()
	if r == nil {
		return js.Undefined()
	}
	return deref(t.objs.Call("get", r.handle))
}

// setSynced records revision rev as copied onto u's object; it reports
// whether the object holds an older one.
func (t *handleTable) setSynced(u *gotrue.User, rev uint64) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.users[u]
	if r == nil || r.synced == rev {
		return false
	}
	r.synced = rev
	return true
}

// setWritten records the token JSON and audience last written onto u's
// object (or adopted from it).
func (t *handleTable) setWritten(u *gotrue.User, token []byte, audience string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if r := t.users[u]; r != nil {
		r.token, r.audience = hash(token), hash([]byte(audience))
	}
}

// unchanged reports whether u's object still shows the token JSON and the
// audience recorded by setWritten, as far as it knows of it: ok is false
// when u has no object.
func (t *handleTable) unchanged(u *gotrue.User, token []byte, audience string) (sameToken, sameAudience, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	r := t.users[u]
	if r == nil {
		return false, false, false
	}
	return r.token == hash(token), r.audience == hash([]byte(audience)), true
}

// hash is 64-bit FNV-1a.
func hash(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h = (h ^ uint64(c)) * 1099511628211
	}
	return h
}

// release forgets handle h, whose object the page no longer has.
func (t *handleTable) release(h int) {
	var dropped *client // a GoTrue the page dropped: its listeners and timers end
	t.mu.Lock()
	switch v := t.values[h].(type) {
	case *gotrue.User:
		if r := t.users[v]; r != nil && r.handle == h {
			delete(t.users, v)
		}
	case *client:
		if t.clients[v.c] == v {
			delete(t.clients, v.c)
		}
		dropped = v
	case *apiRef:
		if t.clients[v.cl.c] == v.cl && v.cl.handle == h {
			delete(t.clients, v.cl.c)
		}
	}
	delete(t.values, h)
	t.mu.Unlock()
	t.objs.Call("delete", h)
	if dropped != nil {
		dropped.close()
	}
}

// release is the loader's FinalizationRegistry callback: release(handle).
func (b *bindings) release(_ js.Value, args []js.Value) any {
	_ = browser.Try(func() {
		if h := arg(args, 0); h.Type() == js.TypeNumber {
			b.handles.release(h.Int())
		}
	})
	return nil
}

// debugHandles answers {handles, users, clients}: how many page objects Go
// still holds values for, for leak tests.
func (b *bindings) debugHandles(js.Value, []js.Value) any {
	t := b.handles
	t.mu.Lock()
	defer t.mu.Unlock()
	return map[string]any{"handles": len(t.values), "users": len(t.users), "clients": len(t.clients)}
}
