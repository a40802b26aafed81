package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Verdict is a figure's standing against the goal for it.
type Verdict int

const (
	Info    Verdict = iota // no goal: shown for information
	Met                    // the goal holds
	NotMet                 // the goal does not hold
	Missing                // the figure could not be measured
)

func (v Verdict) String() string {
	switch v {
	case Met:
		return "met"
	case NotMet:
		return "NOT MET"
	case Missing:
		return "n/a"
	}
	return "–"
}

// atMost judges a figure that must not exceed limit.
func atMost(v, limit float64) Verdict {
	switch {
	case math.IsNaN(v):
		return Missing
	case v <= limit:
		return Met
	}
	return NotMet
}

// atLeast judges a figure that must reach limit.
func atLeast(v, limit float64) Verdict {
	switch {
	case math.IsNaN(v):
		return Missing
	case v >= limit:
		return Met
	}
	return NotMet
}

// Row is one figure: its value for gotrue.wasm, gotrue-js and the bare Go
// program (empty where it does not apply), their ratio, and the goal.
type Row struct {
	Figure  string  `json:"figure"`
	Wasm    string  `json:"wasm,omitempty"`
	Ref     string  `json:"ref,omitempty"`
	Floor   string  `json:"floor,omitempty"`
	Ratio   string  `json:"ratio,omitempty"`
	Goal    string  `json:"goal,omitempty"`
	Verdict Verdict `json:"verdict"`
}

// Section groups the rows of one of the six measurements.
type Section struct {
	Title string `json:"title"`
	Rows  []Row  `json:"rows"`
}

// Report is everything one run measured. results.json holds it, so that
// the chart can be drawn again without measuring (-chart-from).
type Report struct {
	Sections []Section `json:"sections"`
	Notes    []string  `json:"notes"` // how it was measured: the network profile, the browser, …
	Bars     []Bar     `json:"bars"`  // the chart's ratios
}

// Count tallies the verdicts of all rows.
func (r *Report) Count() (met, notMet int) {
	for _, s := range r.Sections {
		for _, row := range s.Rows {
			switch row.Verdict {
			case Met:
				met++
			case NotMet:
				notMet++
			}
		}
	}
	return met, notMet
}

var tableHeader = []string{"Figure", "gotrue.wasm", "gotrue-js 1.0.1", "Go floor", "Ratio", "Goal", "Verdict"}

// Table renders the report as one Markdown table, padded so that it also
// reads as plain text in a terminal. Each section starts with a bold row.
func (r *Report) Table() string {
	rows := [][]string{tableHeader}
	for _, s := range r.Sections {
		rows = append(rows, []string{"**" + s.Title + "**", "", "", "", "", "", ""})
		for _, x := range s.Rows {
			rows = append(rows, []string{x.Figure, x.Wasm, x.Ref, x.Floor, x.Ratio, x.Goal, x.Verdict.String()})
		}
	}
	width := make([]int, len(tableHeader))
	for _, row := range rows {
		for i, c := range row {
			width[i] = max(width[i], utf8.RuneCountInString(escapeCell(c)))
		}
	}
	var b strings.Builder
	line := func(cells []string) {
		b.WriteString("|")
		for i, c := range cells {
			c = escapeCell(c)
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i > 0 && i < len(cells)-2 { // numbers right-aligned
				b.WriteString(" " + pad + c + " |")
			} else {
				b.WriteString(" " + c + pad + " |")
			}
		}
		b.WriteString("\n")
	}
	line(rows[0])
	b.WriteString("|")
	for i, w := range width {
		if i > 0 && i < len(width)-2 {
			b.WriteString(" " + strings.Repeat("-", w-1) + ": |")
		} else {
			b.WriteString(" " + strings.Repeat("-", w) + " |")
		}
	}
	b.WriteString("\n")
	for _, row := range rows[1:] {
		line(row)
	}
	return b.String()
}

// escapeCell keeps a cell from breaking the Markdown table.
func escapeCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// Markdown is the whole RESULTS.md: a title, then Body.
func (r *Report) Markdown(title string) string {
	return "# " + title + "\n\n" + r.Body()
}

// Body is the table, the tally of goals and the notes on method.
func (r *Report) Body() string {
	var b strings.Builder
	b.WriteString(r.Table())
	met, notMet := r.Count()
	fmt.Fprintf(&b, "\nGoals: %d met, %d not met.\n", met, notMet)
	if len(r.Notes) > 0 {
		b.WriteString("\n")
		for _, n := range r.Notes {
			b.WriteString("- " + n + "\n")
		}
	}
	return b.String()
}

// Number formats.

// fmtBytes is a byte count with thousands separators: 3,178,137.
func fmtBytes(n int) string { return group(strconv.Itoa(n)) }

// fmtMS is a duration in milliseconds with about three significant digits.
func fmtMS(ms float64) string {
	switch {
	case math.IsNaN(ms):
		return ""
	case ms < 10:
		return strconv.FormatFloat(ms, 'f', 2, 64) + " ms"
	case ms < 100:
		return strconv.FormatFloat(ms, 'f', 1, 64) + " ms"
	}
	return group(strconv.FormatFloat(ms, 'f', 0, 64)) + " ms"
}

// fmtRate is calls per second, rounded to three significant digits.
func fmtRate(r float64) string {
	if math.IsNaN(r) {
		return ""
	}
	return group(strconv.FormatFloat(roundSig(r, 3), 'f', 0, 64)) + "/s"
}

// fmtRatio is a ratio such as 1.66×.
func fmtRatio(r float64) string {
	switch {
	case math.IsNaN(r) || math.IsInf(r, 0):
		return ""
	case r >= 100:
		return group(strconv.FormatFloat(r, 'f', 0, 64)) + "×"
	case r >= 10:
		return strconv.FormatFloat(r, 'f', 1, 64) + "×"
	case r > 0 && r < 0.01:
		return strconv.FormatFloat(roundSig(r, 2), 'f', -1, 64) + "×"
	}
	return strconv.FormatFloat(r, 'f', 2, 64) + "×"
}

// fmtMB is a signed byte delta in MB (10⁶ bytes), for memory growth.
func fmtMB(n float64) string {
	if math.IsNaN(n) {
		return ""
	}
	s := strconv.FormatFloat(n/1e6, 'f', 2, 64)
	if n >= 0 {
		s = "+" + s
	}
	return s + " MB"
}

func roundSig(v float64, digits int) float64 {
	if v == 0 {
		return 0
	}
	p := math.Pow(10, float64(digits)-math.Ceil(math.Log10(math.Abs(v))))
	return math.Round(v*p) / p
}

// group puts commas between thousands of the integer part of a decimal.
func group(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	return sign + b.String()
}
