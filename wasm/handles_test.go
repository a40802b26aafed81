//go:build js

package main

import (
	"runtime"
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

func gcRound(t *testing.T) {
	runtime.GC()
	jsEval(`if (typeof gc === 'function') { gc(); return; }
		const f = []; for (let i = 0; i < 1e6; i++) f.push({i}); globalThis.__gotrueTestFill = f;`)
	time.Sleep(50 * time.Millisecond)
	// V8 keeps the target of a WeakRef made or deref'd in a job until a
	// microtask checkpoint that runs microtasks: run one.
	await(t, js.Global().Get("Promise").Call("resolve"))
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

// While the page keeps a user, its handle and identity stay.
func TestHandleKeptWhileReferenced(t *testing.T) {
	needServer(t)
	reset(t)
	g := newGoTrue(t, nil)
	u, _ := login(t, g, false)
	for i := 0; i < 5; i++ {
		gcRound(t)
	}
	jsEval(`delete globalThis.__gotrueTestFill`)
	if !g.Call("currentUser").Equal(u) || !isPromise(u.Call("jwt")) {
		t.Fatal("a referenced user lost its identity")
	}
	if jwt := await(t, u.Call("jwt")); jwt.String() != u.Get("token").Get("access_token").String() {
		t.Fatal("the referenced user no longer works")
	}
	u.Call("clearSession")
}
