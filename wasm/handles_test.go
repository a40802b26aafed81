//go:build js

package main

import (
	"runtime"
	"slices"
	"syscall/js"
	"testing"
	"time"
)

func liveHandles() (handles, users, clients int) {
	d := js.Global().Get(bridgeName).Call("debugHandles")
	return d.Get("handles").Int(), d.Get("users").Int(), d.Get("clients").Int()
}

// collect runs both garbage collectors until cond holds: Go's, which lets
// go of the JS values Go received, then V8's, whose FinalizationRegistry
// gives the handles back. The objects have lived long enough to be in
// V8's old generation, which only a full GC sweeps: without gc() (Chromium
// hides it), fill the old generation with objects that outlive a few
// scavenges, then drop them.
func collect(t *testing.T, cond func() bool) {
	t.Helper()
	defer jsEval(`delete globalThis.__gotrueTestFill`)
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			h, u, c := liveHandles()
			t.Fatalf("handles not released: %d handles, %d users, %d clients", h, u, c)
		}
		gcRound(t)
	}
}

// handleOf is the handle of a page object.
func handleOf(obj js.Value) int { return jsReflect.Call("get", obj, testBindings.handles.key).Int() }

// released reports whether Go has let go of handle h.
func released(h int) bool {
	tb := testBindings.handles
	tb.mu.Lock()
	defer tb.mu.Unlock()
	_, ok := tb.values[h]
	return !ok
}

func gcRound(t *testing.T) {
	runtime.GC()
	jsEval(`if (typeof gc === 'function') { gc(); return; }
		const f = []; for (let i = 0; i < 1e6; i++) f.push({i}); globalThis.__gotrueTestFill = f;`)
	// Give the event loop a turn, for the tasks the collection queued
	// (the FinalizationRegistry's cleanup), and with it a microtask
	// checkpoint: V8 keeps the target of a WeakRef made or deref'd in a
	// job until one. collect repeats the rounds until its condition holds.
	await(t, jsEval(`return new Promise(r => setTimeout(r, 0))`))
}

func TestHandlesDoNotLeak(t *testing.T) {
	needServer(t)
	reset(t)
	g := newGoTrue(t, nil)
	email := account(t, g)
	collect(t, func() bool { h, _, _ := liveHandles(); return h < 50 })
	base, _, _ := liveHandles()

	const cycles = 500
	for i := 0; i < cycles; i++ {
		u := await(t, g.Call("login", email, password))
		if i%100 == 0 && !g.Call("currentUser").Equal(u) {
			t.Fatal("identity lost")
		}
		await(t, u.Call("logout"))
	}
	for i := 0; i < cycles; i++ {
		class("GoTrue").New(map[string]any{"APIUrl": "https://example.com"})
	}
	h, _, _ := liveHandles()
	collect(t, func() bool { h, _, _ := liveHandles(); return h <= base+20 })
	after, _, _ := liveHandles()
	t.Logf("%d login/logout cycles and %d GoTrue objects: %d handles before, %d after, %d once collected", cycles, cycles, base, h, after)
}

// While the page keeps a user, its handle and identity stay: through
// the collections that give back the handle of a user made just before
// it, which the page dropped.
func TestHandleKeptWhileReferenced(t *testing.T) {
	needServer(t)
	reset(t)
	// Users the page drops, all of one GoTrue: with a newGoTrue for each,
	// none came back within a minute in Chromium, most likely pinned by
	// the Values newGoTrue keeps until the test's end, through Go's tiny
	// allocator (see handleTable).
	var dropped []int
	other := newGoTrue(t, nil)
	for i := 0; i < 3; i++ {
		u, _ := login(t, other, false)
		dropped = append(dropped, handleOf(u))
	}
	g := newGoTrue(t, nil)
	u, _ := login(t, g, false)
	kept := handleOf(u)
	// A dropped user is older than u: a collection that takes it has
	// looked at u too (V8's young generation, or all of the heap), and
	// the FinalizationRegistry's cleanup has run since. One is enough:
	// Go's tiny allocator can keep a few alive (see handleTable).
	collect(t, func() bool { return slices.ContainsFunc(dropped, released) })
	if released(kept) {
		t.Fatal("the handle of a referenced user was released")
	}
	if !g.Call("currentUser").Equal(u) || !isPromise(u.Call("jwt")) {
		t.Fatal("a referenced user lost its identity")
	}
	if jwt := await(t, u.Call("jwt")); jwt.String() != u.Get("token").Get("access_token").String() {
		t.Fatal("the referenced user no longer works")
	}
	u.Call("clearSession")
}
