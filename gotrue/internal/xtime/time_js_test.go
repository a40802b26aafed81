//go:build js

package xtime

import (
	"testing"
	"time"
)

// within fails the test unless c delivers before a generous deadline.
func within[T any](t *testing.T, c <-chan T, what string) {
	t.Helper()
	select {
	case <-c:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s did not happen", what)
	}
}

func TestNow(t *testing.T) {
	if got, want := Now().UnixMilli(), time.Now().UnixMilli(); got < want-1000 || got > want+1000 {
		t.Fatalf("Now() = %d ms; time.Now() = %d ms", got, want)
	}
	if UnixMilli(42).UnixMilli() != 42 || (1500*Millisecond).Milliseconds() != 1500 {
		t.Fatal("UnixMilli or Milliseconds is wrong")
	}
}

func TestTimer(t *testing.T) {
	tm := NewTimer(10 * Millisecond)
	within(t, tm.C, "the timer")
	if tm.Stop() {
		t.Fatal("Stop after firing reported stopping it")
	}
	stopped := NewTimer(10 * Millisecond)
	if !stopped.Stop() {
		t.Fatal("Stop before firing did not report stopping it")
	}
	later := NewTimer(30 * Millisecond) // fires after stopped would have
	within(t, later.C, "the later timer")
	select {
	case <-stopped.C:
		t.Fatal("a stopped timer fired")
	default:
	}
}

func TestAfterFunc(t *testing.T) {
	done := make(chan struct{})
	AfterFunc(0, func() { close(done) })
	within(t, done, "the function call")
}

func TestTicker(t *testing.T) {
	tk := NewTicker(5 * Millisecond)
	for range 3 {
		within(t, tk.C, "a tick")
	}
	tk.Stop()
	select { // at most the one tick already sent
	case <-tk.C:
	default:
	}
	later := NewTimer(30 * Millisecond)
	within(t, later.C, "the later timer")
	select {
	case <-tk.C:
		t.Fatal("a stopped ticker ticked")
	default:
	}
}
