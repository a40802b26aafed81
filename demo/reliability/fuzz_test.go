package reliability

import (
	"encoding/json"
	"flag"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/gotrue-wasm/gotrue-wasm/demo/devserver"
	"github.com/gotrue-wasm/gotrue-wasm/internal/pagetest"
)

var (
	fuzzSeed  = flag.Int64("seed", 0, "seed of the JavaScript fuzz; default 1, or one from the clock with -long (printed either way)")
	fuzzCalls = flag.Int("calls", 0, "calls of the JavaScript fuzz; default 10,000, or 100,000 with -long")
)

// fuzzStats is rt.fuzz's answer.
type fuzzStats struct {
	Seed                int64          `json:"seed"`
	Calls               int            `json:"calls"`
	Returned            int            `json:"returned"`
	Resolved            int            `json:"resolved"`
	ThrownError         int            `json:"thrownError"`
	RejectedError       int            `json:"rejectedError"`
	PageThrowPassedBack int            `json:"pageThrowPassedBack"`
	NonError            int            `json:"nonError"`
	Hung                int            `json:"hung"`
	ByMethod            map[string]int `json:"byMethod"`
	ErrorNames          map[string]int `json:"errorNames"`
	NonErrorSamples     []any          `json:"nonErrorSamples"`
	HungSamples         []string       `json:"hungSamples"`
	Messages            []string       `json:"messages"`
}

// TestRuntimeNeverDies calls every method of GoTrue, User and Admin, their
// constructors and the user.admin getter, with random receivers and random
// argument lists of hostile values, and requires that every call returns
// or throws or rejects with an Error, that nothing hangs, and that the Go
// runtime is alive afterwards: the same page still builds URLs and logs a
// user in against the real identity server.
func TestRuntimeNeverDies(t *testing.T) {
	// A fixed seed keeps `make test` deterministic; the long run explores.
	seed := *fuzzSeed
	switch {
	case seed != 0:
	case *long:
		seed = time.Now().UnixNano() % (1 << 31)
	default:
		seed = 1
	}
	calls := *fuzzCalls
	if calls == 0 {
		calls = 10_000
		if *long {
			calls = 100_000
		}
	}
	t.Logf("fuzz seed %d (replay with: go test ./demo/reliability -run TestRuntimeNeverDies -args -seed %d -calls %d)", seed, seed, calls)

	s := startSite(t, siteOptions{})
	fuzzEmail, fuzzPassword := s.newUser(t, "fuzz")
	finalEmail, finalPassword := s.newUser(t, "after-fuzz")
	ctx := pagetest.WithTimeout(t, newBrowser(t), 10*time.Minute)
	open(t, ctx, s, "", false)
	// chromedp turns on the Network domain, whose five events per request
	// cost more than the calls themselves; the leak check listens to the
	// Runtime and Log domains, which stay on.
	if err := chromedp.Run(ctx, network.Disable()); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Run(ctx, chromedp.Evaluate(`(() => { const s = document.createElement('script'); s.src = '/t/fuzz.js'; document.head.append(s); })()`, nil), pagetest.WaitFor("rt.fuzz")); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	var st fuzzStats
	must(t, ctx, fmt.Sprintf(`rt.fuzz(%s)`, mustJSON(map[string]any{
		"seed": seed, "calls": calls, "batch": 25, "timeoutMs": 40_000,
		"stub": "/stub", "real": devserver.IdentityPath,
		"realEmail": fuzzEmail, "realPassword": fuzzPassword,
		"fakeJWT": stubAccess,
	})), &st)
	elapsed := time.Since(start)
	for _, m := range st.Messages {
		leaks.observe(t.Name()+" caught", m)
	}

	// The runtime must be alive: a sync call, a real login, a refresh.
	var after struct {
		URL       string `json:"url"`
		Login     outcome
		JWT       outcome
		Exited    bool `json:"exited"`
		Instances int  `json:"instances"` // Go instances seen: 1, or the exited flag proves nothing
	}
	must(t, ctx, fmt.Sprintf(`(async () => ({
		url: new rt.GoTrue().loginExternalUrl('x'),
		login: await rt.outcome(() => new rt.GoTrue().login(%s, %s, true)),
		jwt: await rt.outcome(() => new rt.GoTrue().currentUser().jwt(true)),
		exited: rt.exited(),
		instances: rt.goInstances.length,
	}))()`, jsString(finalEmail), jsString(finalPassword)), &after)
	// An exit shows as the loader's console.error, as "Go program has
	// already exited" thrown by every later call, or as the exited flag.
	var pageSaid []string
	must(t, ctx, `rt.console.filter((c) => c.text.includes('Go program')).map((c) => c.text)`, &pageSaid)
	exitMessages := append(leaks.matching(t.Name(), "Go program has already exited"), leaks.matching(t.Name(), "gotrue-wasm: the Go program")...)
	exitMessages = append(exitMessages, pageSaid...)
	for _, m := range st.Messages {
		if strings.Contains(m, "Go program has already exited") {
			exitMessages = append(exitMessages, m)
		}
	}
	exits := len(exitMessages)
	if after.Exited {
		exits++
	}

	methods := slices.Sorted(func(yield func(string) bool) {
		for m := range st.ByMethod {
			if !yield(m) {
				return
			}
		}
	})
	var per []string
	for _, m := range methods {
		per = append(per, fmt.Sprintf("%s %d", m, st.ByMethod[m]))
	}
	t.Logf("fuzz: %d calls in %v (seed %d): %d returned, %d resolved, %d threw an Error, %d rejected with an Error, %d handed back the page's own non-Error throw, %d non-Error throws, %d never settled, %d runtime exits",
		st.Calls, elapsed.Round(time.Millisecond), st.Seed, st.Returned, st.Resolved, st.ThrownError, st.RejectedError, st.PageThrowPassedBack, st.NonError, st.Hung, exits)
	t.Logf("fuzz: calls per method: %s", strings.Join(per, ", "))
	t.Logf("fuzz: errors by class: %v", st.ErrorNames)
	t.Logf("fuzz: afterwards: loginExternalUrl=%q, login %v, jwt(true) %v, exited=%v", after.URL, after.Login, after.JWT, after.Exited)

	if st.Calls != calls {
		t.Errorf("the fuzz made %d calls, want %d", st.Calls, calls)
	}
	if st.NonError != 0 {
		t.Errorf("%d calls threw or rejected with something that is not an Error; first ones: %s", st.NonError, mustJSON(st.NonErrorSamples))
	}
	if st.Hung != 0 {
		t.Errorf("%d calls never settled; first ones: %v", st.Hung, st.HungSamples)
	}
	if exits != 0 {
		t.Errorf("the Go runtime exited: exited flag %v, console: %q", after.Exited, exitMessages)
	}
	if after.Instances != 1 {
		t.Errorf("the page saw %d Go instances, want 1: the exited flag cannot be read", after.Instances)
	}
	if after.URL != devserver.IdentityPath+"/authorize?provider=x" {
		t.Errorf("after the fuzz, loginExternalUrl('x') = %q", after.URL)
	}
	if !after.Login.OK || !after.JWT.OK {
		t.Errorf("after the fuzz, a real login fails: login %v, jwt(true) %v", after.Login, after.JWT)
	}
	for _, m := range methods {
		if st.ByMethod[m] == 0 {
			t.Errorf("the fuzz never called %s", m)
		}
	}
}

// mustJSON is v as JSON, for page expressions and messages.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
