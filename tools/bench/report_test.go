package main

import (
	"math"
	"strings"
	"testing"
)

// sample is n copies of v.
func sample(v float64, n int) Sample {
	s := make(Sample, n)
	for i := range s {
		s[i] = v
	}
	return s
}

func fakeResults() *results {
	pair := func(w, ref float64) map[string]Sample {
		return map[string]Sample{"wasm": sample(w, 5), "ref": sample(ref, 5), "bare": sample(w/2, 5)}
	}
	return &results{
		cfg:       config{loads: 30, warm: 30, slowLoads: 20, trips: 200, reps: 5, jwts: 10000, cycles: 500, concurrent: 100, firsts: 30},
		profile:   fast3G,
		wasm:      Sizes{3_000_000, 800_000, 620_000},
		bare:      Sizes{2_000_000, 620_000, 440_000},
		wasmPage:  Sizes{3_020_000, 806_000, 560_000},
		floorPage: Sizes{2_017_000, 605_000, 444_000},
		refESM:    Sizes{13_000, 3_400, 3_000},
		refBundle: Sizes{7_800, 2_900, 2_500},
		ready: map[string]map[string]Sample{
			coldKey:   {"wasm": sample(250, 30), "ref": sample(60, 30), "bare": sample(100, 30)},
			warmKey:   {"wasm": sample(125, 30), "ref": sample(30, 30), "bare": sample(100, 30)},
			"Fast 3G": {"wasm": sample(4000, 20), "ref": sample(400, 20), "bare": sample(2800, 20)},
		},
		user: map[string]map[string]Sample{
			coldKey: {"wasm": sample(120, 30), "ref": sample(40, 30)},
			warmKey: {"wasm": sample(20, 30), "ref": sample(10, 30)},
		},
		wire: map[string]Sample{"wasm": sample(600_000, 30), "ref": sample(3_800, 30), "bare": sample(443_000, 30)},
		hot: map[string]map[string]Sample{
			"currentUser": pair(150_000, 1e8), "tokenDetails": pair(90_000, 1e8),
			"jwt": pair(30_000, 1e7), "loginExternalUrl": pair(50_000, 1e8),
		},
		trips: map[string]map[string]Sample{
			"login": pair(9, 7), "getUserData": pair(5, 4), "logout": pair(4, 4),
			"cycle": pair(18, 16.5), "jwt(true)": pair(6, 4),
		},
		memory: map[string]memoryRun{
			"wasm": {Before: memReading{Heap: 2e6, Wasm: 20e6, Handles: 3}, After: memReading{Heap: 2.5e6, Wasm: 22e6, Handles: 3}, Again: memReading{Heap: 2.5e6, Wasm: 22e6, Handles: 3}},
			"ref":  {Before: memReading{Heap: 6e5, Wasm: math.NaN(), Handles: -1}, After: memReading{Heap: 6e5, Wasm: math.NaN(), Handles: -1}},
		},
		concurrency: map[string]*concurrencyRun{
			"wasm": {Requests: []int{1, 1, 2}, Settle: sample(11, 3), Distinct: 1},
			"ref":  {Requests: []int{1, 1, 1}, Settle: sample(3.5, 3), Distinct: 1},
		},
		first:         map[string]Sample{"wasm": sample(6, 30), "ref": sample(5, 30)},
		firstNextPage: map[string]Sample{"wasm": sample(5.5, 30), "ref": sample(5, 30)},
	}
}

// row finds the row whose figure starts with prefix in the section whose
// title starts with section.
func row(t *testing.T, r *Report, section, prefix string) Row {
	t.Helper()
	for _, s := range r.Sections {
		if !strings.HasPrefix(s.Title, section) {
			continue
		}
		for _, x := range s.Rows {
			if strings.HasPrefix(x.Figure, prefix) {
				return x
			}
		}
	}
	t.Fatalf("no row %q in section %q", prefix, section)
	return Row{}
}

func TestReportVerdicts(t *testing.T) {
	r := fakeResults().report()
	for _, c := range []struct {
		section, figure string
		want            Verdict
	}{
		{"1.", "gotrue.wasm vs bare.wasm, raw", NotMet},    // 1.5×
		{"1.", "gotrue.wasm vs bare.wasm, gzip", Met},      // 1.29×
		{"1.", "gotrue.wasm vs bare.wasm, brotli", NotMet}, // 1.41×
		{"1.", "whole download, brotli", Met},              // 560,000 ≤ 560,000
		{"1.", "whole download, gzip", Info},
		{"2.", "cold, median", NotMet}, // 2.5× the floor
		{"2.", "cold, p95", Info},
		{"2.", "warm, median", Met}, // exactly 1.25×
		{"2.", "Fast 3G, cold, median", NotMet},
		{"2.", "Fast 3G, cold, p95", Info},
		{"3.", "cold, median", Info},
		{"3.", "warm, median", Info},
		{"4.", "currentUser()", Met},
		{"4.", "tokenDetails()", NotMet},
		{"4.", "jwt()", Met}, // exactly the goal
		{"4.", "loginExternalUrl()", Info},
		{"5.", "login → getUserData → logout", Met}, // 18 / 16.5 = 1.09
		{"5.", "jwt(true)", NotMet},
		{"5.", "login()", Info},
		{"6.", "wasm linear memory growth", NotMet}, // +2 MB
		{"6.", "JS heap growth", Met},               // +0.5 MB
		{"7.", "/token requests", NotMet},           // one burst sent 2
		{"7.", "time to settle", NotMet},            // 11 / 3.5 = 3.14
		{"8.", "new visitor, median", Met},          // 6 / 5 = 1.2
		{"8.", "new visitor, p95", Info},
		{"8.", "next page, median", Met}, // 5.5 / 5 = 1.1
		{"8.", "next page, p95", Info},
	} {
		if got := row(t, r, c.section, c.figure).Verdict; got != c.want {
			t.Errorf("%s %q: %v, want %v", c.section, c.figure, got, c.want)
		}
	}
	if got := row(t, r, "1.", "gotrue.wasm vs bare.wasm, raw").Ratio; got != "1.50× floor" {
		t.Errorf("ratio cell %q", got)
	}
	if got := row(t, r, "2.", "cold, median").Ratio; got != "2.50× floor, 4.17× js" {
		t.Errorf("ratio cell %q", got)
	}
	if got := row(t, r, "3.", "cold, median"); got.Ratio != "3.00× js" || got.Wasm != "120 ms" || got.Goal != "" {
		t.Errorf("first currentUser() row %+v", got)
	}
	if got := row(t, r, "2.", "warm, median").Goal; got != "≤ 1.25× floor" {
		t.Errorf("goal cell %q", got)
	}
	if got := row(t, r, "6.", "Go handles").Wasm; got != "3 → 3 → 3" {
		t.Errorf("handles cell %q", got)
	}
	met, notMet := r.Count()
	if met+notMet != 18 {
		t.Errorf("%d goals judged, want 18", met+notMet)
	}
	// Every bar has a label and a value.
	if len(r.Bars) < 10 {
		t.Fatalf("%d bars", len(r.Bars))
	}
	for _, b := range r.Bars {
		if b.Label == "" {
			t.Errorf("bar %+v has no label", b)
		}
		if math.IsNaN(b.Value) {
			t.Errorf("bar %q has no value", b.Label)
		}
	}
}

func TestReportMissing(t *testing.T) {
	res := fakeResults()
	res.concurrency = nil
	res.first, res.firstNextPage = nil, nil
	res.user = nil
	res.hot = map[string]map[string]Sample{}
	r := res.report()
	if got := row(t, r, "4.", "currentUser()").Verdict; got != Missing {
		t.Errorf("unmeasured hot call: %v, want n/a", got)
	}
	_ = r.Table() // renders without the missing sections' rows
}

func TestCodeCacheNote(t *testing.T) {
	res := fakeResults()
	if got := res.codeCacheNote(); !strings.Contains(got, "cached no compiled code") {
		t.Errorf("nothing cached: %q", got)
	}
	res.codeCache = map[string]int64{"wasm": 17_849}
	res.cacheHits = map[string]cacheHit{"wasm": {Hit: true, Bytes: 17_800}}
	if got := res.codeCacheNote(); !strings.Contains(got, "17,849 B for gotrue.wasm") || !strings.Contains(got, "for: gotrue.wasm (17,800 B)") {
		t.Errorf("gotrue.wasm cached: %q", got)
	}
}
