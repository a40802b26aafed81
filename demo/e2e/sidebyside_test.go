package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gotrue-wasm/gotrue-wasm/demo/devserver"
	"github.com/gotrue-wasm/gotrue-wasm/internal/pagetest"
)

// TestSideBySide runs every scenario script of testdata/scenarios against
// gotrue-js 1.0.1 and against gotrue-wasm, each on a fresh site in a fresh
// tab, and compares the normalised transcripts. Any difference must be on
// the allow-list (allowlist_test.go), which names the deviation behind it;
// allowed ones are logged with their reason.
//
// E2E_TRANSCRIPTS=dir writes both normalised transcripts of each scenario
// there, for reading a failure side by side.
func TestSideBySide(t *testing.T) {
	if n := len(scenarioFiles(t)); n < 12 {
		t.Fatalf("only %d scenarios in testdata/scenarios; the comparison needs at least 12", n)
	}
	names := scenarioNames(t)
	used := map[*deviation]bool{}
	ran := map[string]bool{}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			ran[name] = true
			ref := runScenario(t, name, refModule)
			ours := runScenario(t, name, oursModule)
			dump(t, name, ref, ours)
			if len(ref.failedChecks) > 0 {
				t.Errorf("the script's assumptions fail against gotrue-js itself (fix the script): %s", strings.Join(ref.failedChecks, "; "))
			}
			if len(ours.failedChecks) > 0 {
				t.Errorf("the script's assumptions fail against gotrue-wasm: %s", strings.Join(ours.failedChecks, "; "))
			}
			var unexplained []string
			explained := map[*deviation][]string{}
			var order []*deviation
			for _, d := range diffSteps(ref.steps, ours.steps) {
				dev := allowed(name, d)
				if dev == nil {
					unexplained = append(unexplained, d.String())
					continue
				}
				if explained[dev] == nil {
					order = append(order, dev)
				}
				explained[dev] = append(explained[dev], d.String())
				used[dev] = true
			}
			for _, dev := range order {
				t.Logf("allowed: %s\n  why: %s\n  %s", dev.Name, dev.Reason, strings.Join(explained[dev], "\n  "))
			}
			if len(unexplained) > 0 {
				t.Errorf("gotrue-wasm differs from gotrue-js 1.0.1 in %d place(s) that no deviation explains:\n  %s",
					len(unexplained), strings.Join(unexplained, "\n  "))
			}
		})
	}
	// An entry that explains nothing any more hides nothing either, but it
	// misleads the reader: report it (when its scenario ran and passed).
	for i, dev := range deviations {
		if !used[&deviations[i]] && ran[dev.Scenario] && !t.Failed() {
			t.Errorf("allow-list entry %q (%s) matched no difference: remove it", dev.Name, dev.Scenario)
		}
	}
}

// run is one scenario run, normalised.
type run struct {
	steps        []any
	failedChecks []string
}

// runScenario runs one scenario script against one client module on a
// fresh site and tab, and appends the browser's cookies at the end.
func runScenario(t *testing.T, name, module string) run {
	t.Helper()
	return runScenarioOn(t, startSite(t), name, module)
}

// runScenarioOn runs a scenario on a given site; prepare, if any, may
// rewrite the raw steps before they are normalised.
func runScenarioOn(t *testing.T, s *site, name, module string, prepare ...func(steps []any)) run {
	t.Helper()
	tab := s.harness(t, module)
	if err := pagetest.ClearCookies(tab); err != nil { // cookies do not isolate ports
		t.Fatal(err)
	}
	env, _ := json.Marshal(map[string]string{"adminEmail": devserver.AdminEmail, "adminPassword": devserver.AdminPassword})
	var out string
	ctx := pagetest.WithTimeout(t, tab, 45*time.Second)
	if err := pagetest.Await(ctx, fmt.Sprintf("e2e.run(%q, %s)", name, env), &out); err != nil {
		t.Fatalf("running %s with %s: %v", name, module, err)
	}
	v, err := decodeOrdered([]byte(out))
	if err != nil {
		t.Fatalf("the transcript of %s with %s is not JSON: %v", name, module, err)
	}
	tr := v.(*object)
	cookies, err := cookiesOf(tab, s.URL)
	if err != nil {
		t.Fatal(err)
	}
	last, _ := json.Marshal(map[string]any{"step": "cookies at the end", "value": cookies})
	lastStep, _ := decodeOrdered(last)
	steps := append(tr.vals["steps"].([]any), lastStep)
	for _, p := range prepare {
		p(steps)
	}

	norm := normalise(steps, s.URL, s.mails()).([]any)
	var failed []string
	for _, f := range tr.vals["failedChecks"].([]any) {
		failed = append(failed, f.(string))
	}
	return run{steps: norm, failedChecks: failed}
}

// scenarioFiles lists testdata/scenarios/*.js.
func scenarioFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "scenarios", "*.js"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenario scripts in testdata/scenarios (%v)", err)
	}
	return files
}

// scenarioNames are the scripts' names, or those E2E_SCENARIOS lists
// (comma-separated), to rerun a few while working on them.
func scenarioNames(t *testing.T) []string {
	t.Helper()
	var names []string
	for _, f := range scenarioFiles(t) {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".js"))
	}
	if only := os.Getenv("E2E_SCENARIOS"); only != "" {
		names = slices.DeleteFunc(names, func(n string) bool { return !slices.Contains(strings.Split(only, ","), n) })
	}
	return names
}

// dump writes the two normalised transcripts, one step per line, when
// E2E_TRANSCRIPTS names a folder.
func dump(t *testing.T, name string, ref, ours run) {
	dir := os.Getenv("E2E_TRANSCRIPTS")
	if dir == "" {
		return
	}
	for side, r := range map[string]run{"gotrue-js": ref, "gotrue-wasm": ours} {
		var b strings.Builder
		for _, s := range r.steps {
			b.WriteString(encodeCompact(s))
			b.WriteByte('\n')
		}
		if err := os.WriteFile(filepath.Join(dir, name+"."+side+".jsonl"), []byte(b.String()), 0o644); err != nil {
			t.Error(err)
		}
	}
}
