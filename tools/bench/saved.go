package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
)

// results.json is the Report of a run as JSON, beside RESULTS.md: the
// table's cells as printed and the chart's bars with their exact values.

// writeJSON writes r to path.
func writeJSON(path string, r *Report) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// readJSON reads a Report that writeJSON wrote.
func readJSON(path string) (*Report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	r := &Report{}
	if err := json.Unmarshal(b, r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(r.Bars) == 0 {
		return nil, fmt.Errorf("%s: no bars to draw", path)
	}
	return r, nil
}

// MarshalText names a verdict in results.json.
func (v Verdict) MarshalText() ([]byte, error) {
	for name, w := range verdictNames {
		if w == v {
			return []byte(name), nil
		}
	}
	return nil, fmt.Errorf("unknown verdict %d", int(v))
}

// UnmarshalText reads a verdict from results.json.
func (v *Verdict) UnmarshalText(b []byte) error {
	w, ok := verdictNames[string(b)]
	if !ok {
		return fmt.Errorf("unknown verdict %q", b)
	}
	*v = w
	return nil
}

var verdictNames = map[string]Verdict{"info": Info, "met": Met, "not met": NotMet, "missing": Missing}

// barJSON is a Bar in results.json, where a value that is not a number
// (not measured) is null.
type barJSON struct {
	Label   string   `json:"label"`
	Value   *float64 `json:"value"`
	Goal    float64  `json:"goal,omitempty"`
	Verdict Verdict  `json:"verdict"`
}

func (b Bar) MarshalJSON() ([]byte, error) {
	j := barJSON{Label: b.Label, Goal: b.Goal, Verdict: b.Verdict}
	if !math.IsNaN(b.Value) && !math.IsInf(b.Value, 0) {
		j.Value = &b.Value
	}
	return json.Marshal(j)
}

func (b *Bar) UnmarshalJSON(data []byte) error {
	var j barJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*b = Bar{Label: j.Label, Value: math.NaN(), Goal: j.Goal, Verdict: j.Verdict}
	if j.Value != nil {
		b.Value = *j.Value
	}
	return nil
}
