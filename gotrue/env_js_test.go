//go:build js

package gotrue_test

import (
	"encoding/json"
	"os"
	"syscall/js"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue"
	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
	"github.com/gotrue-wasm/gotrue-wasm/wasm/browser"
)

// newServerEnv, in the browser: the server runs outside the page, started
// by `make test` (gotruetest-server), and is reached with fetch; the
// session is kept in the page's localStorage.
func newServerEnv(t *testing.T) *serverEnv {
	t.Helper()
	url := os.Getenv("GOTRUE_TEST_URL")
	if url == "" {
		const msg = "GOTRUE_TEST_URL is not set: run through `make test-browser`"
		if serverRequired() {
			// make test-browser or CI: a run that skips every server test
			// would pass having tested nothing.
			t.Fatal(msg + " (required: GOTRUE_TEST_REQUIRED or CI is set)")
		}
		t.Skip(msg)
	}
	js.Global().Get("localStorage").Call("clear")
	storage, err := browser.NewLocalStorage()
	require.NoError(t, err)
	tr := &browser.FetchTransport{}
	mailbox := os.Getenv("GOTRUE_TEST_MAILBOX_URL")
	return &serverEnv{
		URL:           url,
		OperatorToken: os.Getenv("GOTRUE_TEST_OPERATOR_TOKEN"),
		newStorage:    func() gotrue.Storage { return storage },
		transport:     tr,
		mails: func(t *testing.T) []gotruetest.Mail {
			resp, err := tr.Do(ctx, &gotrue.Request{Method: "GET", URL: mailbox})
			require.NoError(t, err)
			var mails []gotruetest.Mail
			require.NoError(t, json.Unmarshal(resp.Body, &mails))
			return mails
		},
	}
}

// serverRequired reports whether a missing server is an error rather than
// a reason to skip: under `make test-browser` (GOTRUE_TEST_REQUIRED=1)
// and in CI (CI set).
func serverRequired() bool {
	return os.Getenv("GOTRUE_TEST_REQUIRED") != "" || os.Getenv("CI") != ""
}

// rawPost sends a JSON request the client has no method for (POST /invite).
func rawPost(t *testing.T, e *serverEnv, path, bearer, body string) (int, string) {
	t.Helper()
	resp, err := e.transport.Do(ctx, &gotrue.Request{
		Method: "POST",
		URL:    e.URL + path,
		Header: map[string]string{"Content-Type": "application/json", "Authorization": "Bearer " + bearer},
		Body:   []byte(body),
	})
	require.NoError(t, err)
	return resp.Status, string(resp.Body)
}
