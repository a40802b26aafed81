package e2e

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gotrue-wasm/gotrue-wasm/gotrue/gotruetest"
)

// Tests of the harness itself: the normaliser, the diff, the allow-list,
// and that a wrong client does not pass.

func fakeJWT(exp string) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"HS256"}`)) + "." + enc([]byte(`{"exp":`+exp+`}`)) + ".c2lnbmF0dXJl"
}

func TestNormalise(t *testing.T) {
	a, b := fakeJWT("1700000000"), fakeJWT("1700000001")
	rt1, rt2 := "AAAAAAAAAAAAAAAAAAAAAA", "BBBBBBBBBBBBBBBBBBBBBB"
	mailTok := "CCCCCCCCCCCCCCCCCCCCCC"
	site := "http://127.0.0.1:4242"
	in := `[
	 {"step":"login","value":{"token":{"access_token":"` + a + `","refresh_token":"` + rt1 + `","expires_at":1700000000000},
	   "id":"0b7c6f5e-1d2a-4c3b-8e9f-a0b1c2d3e4f5","created_at":"2026-01-02T03:04:05.123456Z"},
	  "storage":"{\"token\":{\"access_token\":\"` + a + `\",\"expires_at\":1}}"},
	 {"step":"refresh","requests":[{"body":"grant_type=refresh_token&refresh_token=` + rt1 + `","headers":{"Authorization":"Bearer ` + a + `"}}],
	  "value":{"access_token":"` + b + `","refresh_token":"` + rt2 + `"}},
	 {"step":"mail","value":{"link":"` + site + `/#confirmation_token=` + mailTok + `","token":"` + mailTok + `"},"args":["x"]},
	 {"step":"set storage","args":["{\"token\":{\"access_token\":\"` + b + `\",\"expires_at\":1700000001000}}"]}
	]`
	v, err := decodeOrdered([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	got := encodeCompact(normalise(v, site, []gotruetest.Mail{{Kind: "confirmation", Token: mailTok}}))
	want := `[` +
		`{"step":"login","value":{"token":{"access_token":"<access_token#1>","refresh_token":"<refresh_token#1>","expires_at":"<exp×1000>"},` +
		`"id":"<id#1>","created_at":"<time>"},"storage":{"token":{"access_token":"<access_token#1>","expires_at":"<expires_at ≠ exp×1000>"}}},` +
		`{"step":"refresh","requests":[{"body":"grant_type=refresh_token&refresh_token=<refresh_token#1>","headers":{"Authorization":"Bearer <access_token#1>"}}],` +
		`"value":{"access_token":"<access_token#2>","refresh_token":"<refresh_token#2>"}},` +
		`{"step":"mail","value":{"link":"<site>/#confirmation_token=<confirmation_token#1>","token":"<confirmation_token#1>"},"args":["x"]},` +
		`{"step":"set storage","args":[{"JSON text":{"token":{"access_token":"<access_token#2>","expires_at":"<exp×1000>"}}}]}]`
	if got != want {
		t.Errorf("normalise:\n got  %s\n want %s", got, want)
	}
	for _, secret := range []string{a, b, rt1, rt2, mailTok} {
		if strings.Contains(got, secret) {
			t.Error("a secret survived normalising")
		}
	}
}

func TestDiff(t *testing.T) {
	parse := func(s string) []any {
		v, err := decodeOrdered([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return v.([]any)
	}
	ref := parse(`[{"step":"a","value":{"x":1,"y":[1,2],"z":"s"}},{"step":"b"}]`)
	ours := parse(`[{"step":"a","value":{"y":[1],"x":1,"w":null}}]`)
	var got []string
	for _, d := range diffSteps(ref, ours) {
		got = append(got, d.Step+" › "+d.Path+": "+d.Ref+" | "+d.Ours)
	}
	want := []string{
		`#1 a › value.y[1]: 2 | (absent)`,
		`#1 a › value.z: "s" | (absent)`,
		`#1 a › value.w: (absent) | null`,
		`#1 a › value.(key order): x,y | y,x`,
		`#2 b › : {"step":"b"} | (absent)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diff:\n got\n  %s\n want\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// Every allow-list entry names its deviation, says why, and is bound to
// an existing scenario and to steps, so that it cannot hide a regression
// elsewhere.
func TestAllowListIsNarrow(t *testing.T) {
	for _, d := range deviations {
		if d.Name == "" || d.Reason == "" || d.Scenario == "" || d.Step == nil {
			t.Errorf("allow-list entry %q needs a name, a reason, a scenario and a step", d.Name)
		}
		if _, err := os.Stat(filepath.Join("testdata", "scenarios", d.Scenario+".js")); err != nil {
			t.Errorf("allow-list entry %q: no scenario %s", d.Name, d.Scenario)
		}
	}
}

// A client that gets one thing wrong (login ignores remember) must fail
// the comparison, with differences no deviation explains.
func TestSideBySideNoticesAWrongClient(t *testing.T) {
	ref := runScenario(t, "login_remember", refModule)
	mutant := runScenario(t, "login_remember", "/e2e/mutant.mjs")
	var unexplained []difference
	for _, d := range diffSteps(ref.steps, mutant.steps) {
		if allowed("login_remember", d) == nil {
			unexplained = append(unexplained, d)
		}
	}
	if len(unexplained) == 0 {
		t.Fatal("a client whose login forgets remember matched gotrue-js")
	}
	if d := unexplained[0]; d.Step != "#2 gotrue#1.login" || d.Path != "storage" {
		t.Errorf("the first difference is %s, want the storage after #2 gotrue#1.login", d)
	}
}
