//go:build js

package xcontext

import (
	"testing"
	"time"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue/internal/xtime"
)

func ended(t *testing.T, c Context, want error) {
	t.Helper()
	select {
	case <-c.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the context did not end")
	}
	if err := c.Err(); err != want {
		t.Fatalf("Err() = %v; want %v", err, want)
	}
}

func TestBackground(t *testing.T) {
	if Background().Done() != nil || Background().Err() != nil {
		t.Fatal("Background ends")
	}
}

func TestWithTimeout(t *testing.T) {
	c, cancel := WithTimeout(Background(), 10*xtime.Millisecond)
	defer cancel()
	if c.Err() != nil {
		t.Fatal("ended at once")
	}
	ended(t, c, DeadlineExceeded)
	cancel()
	if c.Err() != DeadlineExceeded {
		t.Fatal("cancel after the deadline changed Err")
	}
}

func TestCancel(t *testing.T) {
	c, cancel := WithTimeout(Background(), xtime.Duration(time.Hour))
	cancel()
	ended(t, c, Canceled)
}

func TestParentEnds(t *testing.T) {
	parent, cancelParent := WithTimeout(Background(), xtime.Second*3600)
	child, cancel := WithTimeout(parent, xtime.Second*3600)
	defer cancel()
	cancelParent()
	ended(t, child, Canceled)

	short, cancelShort := WithTimeout(Background(), 10*xtime.Millisecond)
	defer cancelShort()
	long, cancelLong := WithTimeout(short, xtime.Second*3600)
	defer cancelLong()
	ended(t, long, DeadlineExceeded)

	gone, _ := WithTimeout(parent, xtime.Second)
	ended(t, gone, Canceled) // made from an ended parent
}
