package reliability

import (
	"fmt"
	"testing"
	"time"

	"github.com/gotrue-wasm/gotrue-wasm/internal/pagetest"
)

// TestLeakCheckSeesEveryChannel proves that the shared leak check would
// notice a token: a page shows a planted value through every channel the
// recorder listens to, and a private recorder that knows the value must
// find it in each. (The planted value is not registered in the package's
// recorder, so that TestMain does not fail on it.)
func TestLeakCheckSeesEveryChannel(t *testing.T) {
	s := startSite(t, siteOptions{})
	tab := pagetest.WithTimeout(t, newBrowser(t), time.Minute)
	open(t, tab, s, "", false)
	planted := fmt.Sprintf("planted-%d-zz9", time.Now().UnixNano())
	channels := map[string]string{
		"console.log of an object":      `console.log({ user: { token: { access_token: P } } })`,
		"console.error of an Error":     `console.error(new Error('bad ' + P))`,
		"console.warn of a long string": `console.warn('x'.repeat(500) + P)`,
		"uncaught exception":            `setTimeout(() => { throw new Error('uncaught ' + P); })`,
		"unhandled rejection":           `Promise.reject(new Error('unhandled ' + P))`,
		"browser log entry (URL)":       `fetch('/nowhere?token=' + P).catch(() => {})`,
	}
	n := 0
	for name, js := range channels {
		n++
		value := fmt.Sprintf("%s-%d", planted, n)
		t.Run(name, func(t *testing.T) {
			where := t.Name()
			must(t, tab, fmt.Sprintf(`(() => { const P = %s; %s; return true; })()`, jsString(value), js), nil)
			private := newRecorder()
			private.secret("planted", value)
			deadline := time.Now().Add(10 * time.Second)
			for {
				// The tab is watched under the parent test's name.
				for _, m := range leaks.messagesSeen("TestLeakCheckSeesEveryChannel") {
					private.observe(where, m)
				}
				if found, _, _, _ := private.check(); len(found) > 0 {
					return
				}
				if time.Now().After(deadline) {
					t.Fatalf("the recorder never saw the planted value shown by %s", name)
				}
				time.Sleep(50 * time.Millisecond) // events arrive asynchronously
			}
		})
	}
}
