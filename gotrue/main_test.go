package gotrue_test

import (
	"os"
	"testing"
	"time"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
)

func TestMain(m *testing.M) {
	gotrue.SetLateWriteWait(100 * time.Millisecond)
	os.Exit(m.Run())
}
