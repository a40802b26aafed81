//go:build js

package xtime

import (
	"sync"
	"syscall/js"
)

// Duration counts nanoseconds, as time.Duration does.
type Duration int64

const (
	Nanosecond  Duration = 1
	Microsecond          = 1000 * Nanosecond
	Millisecond          = 1000 * Microsecond
	Second               = 1000 * Millisecond
	Minute               = 60 * Second
)

// Milliseconds is d in whole milliseconds.
func (d Duration) Milliseconds() int64 { return int64(d / Millisecond) }

// Time is an instant with the precision of Date.now: Unix milliseconds.
// The zero Time is no instant, as time.Time's zero value is none that a
// server would send.
type Time struct {
	msec int64
	set  bool
}

// IsZero reports whether t is the zero Time.
func (t Time) IsZero() bool { return !t.set }

// Equal reports whether t and u are the same instant.
func (t Time) Equal(u Time) bool { return t == u }

// dateNow is Date.now, invoked as a plain function: Call("now") would
// decode the name "now" on every call, which halved the rate of the
// fast jwt() path (Date.now needs no this).
var dateNow = js.Global().Get("Date").Get("now")

// Now is Date.now().
func Now() Time { return Time{int64(dateNow.Invoke().Float()), true} }

// UnixMilli is the Time msec milliseconds after the Unix epoch.
func UnixMilli(msec int64) Time { return Time{msec, true} }

// UnixMilli is t in milliseconds since the Unix epoch.
func (t Time) UnixMilli() int64 { return t.msec }

var (
	setTimeout   = js.Global().Get("setTimeout")
	clearTimeout = js.Global().Get("clearTimeout")
)

// Timer calls f once after d through setTimeout, unless stopped; as
// time.Timer, a Timer made by NewTimer sends the time on C instead.
type Timer struct {
	C <-chan Time

	mu      sync.Mutex
	id      js.Value // the setTimeout id; undefined once fired or stopped
	cb      js.Func
	d       Duration
	f       func()
	stopped bool
}

// AfterFunc calls f in its own goroutine after d, as time.AfterFunc does.
func AfterFunc(d Duration, f func()) *Timer {
	t := &Timer{d: d, f: func() { go f() }}
	t.start()
	return t
}

// NewTimer sends the time on C after d.
func NewTimer(d Duration) *Timer {
	c := make(chan Time, 1)
	t := &Timer{C: c, d: d, f: func() { send(c) }}
	t.start()
	return t
}

// send sends the time without blocking, as a time.Timer's channel gets it.
func send(c chan Time) {
	select {
	case c <- Now():
	default:
	}
}

func (t *Timer) start() {
	t.cb = js.FuncOf(func(js.Value, []js.Value) any {
		t.mu.Lock()
		fire := !t.stopped
		t.stopped = true
		t.cb.Release()
		t.mu.Unlock()
		if fire {
			t.f() // never blocks: a send with default, or a new goroutine
		}
		return nil
	})
	ms := t.d.Milliseconds()
	if ms < 0 {
		ms = 0
	}
	t.id = setTimeout.Invoke(t.cb, ms)
}

// Stop prevents the Timer from firing; it reports whether that stopped it.
func (t *Timer) Stop() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return false
	}
	t.stopped = true
	clearTimeout.Invoke(t.id)
	t.cb.Release()
	return true
}

// Ticker sends the time on C every d, dropping ticks a slow reader misses,
// as time.Ticker does.
type Ticker struct {
	C <-chan Time

	mu sync.Mutex
	t  *Timer
}

// NewTicker starts a Ticker; d must be positive.
func NewTicker(d Duration) *Ticker {
	c := make(chan Time, 1)
	tk := &Ticker{C: c}
	var tick func()
	tick = func() {
		send(c)
		tk.mu.Lock()
		defer tk.mu.Unlock()
		if tk.t != nil { // not stopped
			tk.t = &Timer{d: d, f: tick}
			tk.t.start()
		}
	}
	tk.mu.Lock()
	tk.t = &Timer{d: d, f: tick}
	tk.t.start()
	tk.mu.Unlock()
	return tk
}

// Stop stops the ticks.
func (tk *Ticker) Stop() {
	tk.mu.Lock()
	defer tk.mu.Unlock()
	if tk.t != nil {
		tk.t.Stop()
		tk.t = nil
	}
}
