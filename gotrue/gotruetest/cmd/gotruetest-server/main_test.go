package main

import (
	"bytes"
	"context"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The command sees the server's URL and can reach it; its exit status is
// passed on.
func TestRunPassesEnvironmentAndStatus(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("needs curl")
	}
	var out, errOut bytes.Buffer
	code, err := run(context.Background(), []string{"--", "sh", "-c",
		`curl -fsS "$GOTRUE_TEST_URL/settings" >/dev/null && curl -fsS "$GOTRUE_TEST_MAILBOX_URL" && test -n "$GOTRUE_TEST_OPERATOR_TOKEN" && exit 3`}, &out, &errOut)
	require.NoError(t, err, errOut.String())
	assert.Equal(t, 3, code)
	assert.Equal(t, "[]", string(bytes.TrimSpace(out.Bytes())))
}

func TestRunServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	done := make(chan struct{})
	go func() {
		defer close(done)
		code, err := run(ctx, nil, &out, &out)
		assert.NoError(t, err)
		assert.Equal(t, 0, code)
	}()
	cancel()
	<-done
}

func TestRunBadFlag(t *testing.T) {
	var out bytes.Buffer
	code, err := run(context.Background(), []string{"-nope"}, &out, &out)
	assert.Error(t, err)
	assert.Equal(t, 2, code)
}
