package main

import (
	"math"
	"strings"
	"testing"
)

func TestFormats(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{fmtBytes(3178137), "3,178,137"},
		{fmtBytes(999), "999"},
		{fmtBytes(1000), "1,000"},
		{fmtMS(3.14159), "3.14 ms"},
		{fmtMS(31.4159), "31.4 ms"},
		{fmtMS(3141.59), "3,142 ms"},
		{fmtMS(math.NaN()), ""},
		{fmtRate(123456), "123,000/s"},
		{fmtRate(9876543), "9,880,000/s"},
		{fmtRate(42.4), "42/s"},
		{fmtRatio(1.6612), "1.66×"},
		{fmtRatio(16.612), "16.6×"},
		{fmtRatio(166.12), "166×"},
		{fmtRatio(1661.2), "1,661×"},
		{fmtRatio(math.Inf(1)), ""},
		{fmtRatio(0.000123), "0.00012×"},
		{fmtRatio(0), "0.00×"},
		{fmtMB(1.5e6), "+1.50 MB"},
		{fmtMB(-2e5), "-0.20 MB"},
		{group("-1234567.5"), "-1,234,567.5"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestVerdicts(t *testing.T) {
	if atMost(2, 2) != Met || atMost(2.01, 2) != NotMet || atMost(math.NaN(), 2) != Missing {
		t.Error("atMost")
	}
	if atLeast(1e5, 1e5) != Met || atLeast(9e4, 1e5) != NotMet || atLeast(math.NaN(), 1) != Missing {
		t.Error("atLeast")
	}
	if Info.String() != "–" || Met.String() != "met" || NotMet.String() != "NOT MET" {
		t.Error("Verdict.String")
	}
}

func TestTable(t *testing.T) {
	r := &Report{Sections: []Section{
		{Title: "1. Bytes", Rows: []Row{
			{Figure: "gotrue.wasm raw", Wasm: "3,178,137", Floor: "1,914,860", Ratio: "1.66×", Goal: "≤ 2.0× floor", Verdict: Met},
			{Figure: "a | b", Wasm: "1", Verdict: NotMet},
		}},
	}}
	got := r.Table()
	lines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("%d lines, want header, rule, section, 2 rows:\n%s", len(lines), got)
	}
	width := len([]rune(lines[0]))
	for i, l := range lines {
		if len([]rune(l)) != width {
			t.Errorf("line %d is %d runes wide, want %d (columns padded):\n%s", i, len([]rune(l)), width, got)
		}
		if !strings.HasPrefix(l, "| ") || !strings.HasSuffix(l, " |") {
			t.Errorf("line %d is not a table row: %q", i, l)
		}
	}
	if !strings.Contains(lines[1], "---: |") {
		t.Errorf("numbers are not right-aligned: %q", lines[1])
	}
	if !strings.Contains(lines[2], "**1. Bytes**") {
		t.Errorf("no section row: %q", lines[2])
	}
	if !strings.Contains(got, `a \| b`) {
		t.Error("a pipe in a cell is not escaped")
	}
	if !strings.Contains(lines[3], "  3,178,137 |") {
		t.Errorf("number not right-aligned: %q", lines[3])
	}
	md := r.Markdown("Title")
	if !strings.HasPrefix(md, "# Title\n\n| Figure") || !strings.Contains(md, "Goals: 1 met, 1 not met.") {
		t.Errorf("Markdown:\n%s", md)
	}
}
