package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// svgElement is one element of the chart, as an XML decoder reads it.
type svgElement struct {
	Name  string
	Class string
	Attr  map[string]string
	Text  string
}

// num is a numeric attribute of e.
func (e svgElement) num(t *testing.T, name string) int {
	t.Helper()
	n, err := strconv.Atoi(e.Attr[name])
	if err != nil {
		t.Fatalf("<%s class=%q> %s=%q: %v", e.Name, e.Class, name, e.Attr[name], err)
	}
	return n
}

// parseSVG decodes the chart strictly, as XML, and returns its root
// element and the elements within, in order.
func parseSVG(t *testing.T, data []byte) (root svgElement, elems []svgElement) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	var stack []*svgElement
	var all []*svgElement
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, data)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := &svgElement{Name: tok.Name.Local, Attr: map[string]string{}}
			for _, a := range tok.Attr {
				e.Attr[a.Name.Local] = a.Value
			}
			e.Class = e.Attr["class"]
			if len(stack) == 0 && tok.Name.Space != "http://www.w3.org/2000/svg" {
				t.Errorf("root element in namespace %q", tok.Name.Space)
			}
			stack = append(stack, e)
			all = append(all, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(tok)
			}
		}
	}
	if len(all) == 0 || all[0].Name != "svg" {
		t.Fatalf("no <svg> root:\n%s", data)
	}
	for _, e := range all[1:] {
		elems = append(elems, *e)
	}
	return *all[0], elems
}

func TestChart(t *testing.T) {
	bars := []Bar{
		{Label: "WASM / FLOOR RAW", Value: 1.66, Goal: 2, Verdict: Met},
		{Label: "READY / FLOOR", Value: 3, Goal: 2, Verdict: NotMet},
		{Label: "DOWNLOAD / GOTRUE-JS", Value: 160, Verdict: Info},
		{Label: "MISSING", Value: math.NaN()},
		{Label: "SMALLER", Value: 0.3, Goal: 1, Verdict: Met},
		{Label: "ZERO", Value: 0, Goal: 1, Verdict: Met},
		{Label: `<SCRIPT> & "QUOTES" ]]>`, Value: 1.1, Verdict: Info},
	}
	data := Chart("TITLE <&>", bars)
	root, elems := parseSVG(t, data)
	if w, h := root.num(t, "width"), root.num(t, "height"); w != chartW || h != marginTop+len(bars)*rowH+footerH {
		t.Fatalf("size %dx%d", w, h)
	}

	// Text is real text, escaped: what the decoder reads back is the label.
	var title, labels, ticks, legend []string
	var barRects, goals []svgElement
	for _, e := range elems {
		switch {
		case e.Name == "title":
			title = append(title, e.Text)
		case e.Name == "text" && e.Class == "title":
			title = append(title, e.Text)
		case e.Name == "text" && e.Class == "label":
			labels = append(labels, e.Text)
		case e.Name == "text" && e.Class == "tick":
			ticks = append(ticks, e.Text)
		case e.Name == "text" && e.Class == "legend":
			legend = append(legend, e.Text)
		case e.Name == "rect" && e.Class == "bar":
			barRects = append(barRects, e)
		case e.Name == "rect" && e.Class == "goal":
			goals = append(goals, e)
		}
	}
	if want := []string{"TITLE <&>", "TITLE <&>"}; !reflect.DeepEqual(title, want) {
		t.Errorf("titles %q, want %q", title, want)
	}
	wantLabels := []string{"WASM / FLOOR RAW 1.66×", "READY / FLOOR 3.00×", "DOWNLOAD / GOTRUE-JS 160×", "MISSING",
		"SMALLER 0.30×", "ZERO 0.00×", `<SCRIPT> & "QUOTES" ]]> 1.10×`}
	if !reflect.DeepEqual(labels, wantLabels) {
		t.Errorf("labels %q,\nwant %q", labels, wantLabels)
	}
	if want := []string{"0.01×", "0.1×", "1×", "10×", "100×", "1000×"}; !reflect.DeepEqual(ticks, want) {
		t.Errorf("axis %q, want %q", ticks, want)
	}
	if want := []string{"GOAL MET", "GOAL NOT MET", "NO GOAL", "GOAL"}; !reflect.DeepEqual(legend, want) {
		t.Errorf("legend %q, want %q", legend, want)
	}
	if bytes.Contains(data, []byte("<SCRIPT>")) || bytes.Contains(data, []byte("<&>")) {
		t.Error("text not escaped")
	}

	// Each bar is coloured by its verdict and runs from 1× to its value, in
	// its row; NaN, zero and below draw none.
	row := func(e svgElement) int { return (e.num(t, "y") - marginTop) / rowH }
	one := axisX(1)
	want := []struct {
		row    int
		x0, x1 int
		fill   string
	}{
		{0, one, axisX(1.66), green},
		{1, one, axisX(3), red},
		{2, one, axisX(160), infoBG},
		{4, axisX(0.3), one, green},
		{6, one, axisX(1.1), infoBG},
	}
	if len(barRects) != len(want) {
		t.Fatalf("%d bars, want %d", len(barRects), len(want))
	}
	for i, w := range want {
		b := barRects[i]
		x0, x1 := b.num(t, "x"), b.num(t, "x")+b.num(t, "width")
		if row(b) != w.row || x0 != w.x0 || x1 != w.x1 || b.Attr["fill"] != w.fill || b.num(t, "height") != barH {
			t.Errorf("bar %d: row %d, x %d…%d, fill %s; want row %d, x %d…%d, fill %s",
				i, row(b), x0, x1, b.Attr["fill"], w.row, w.x0, w.x1, w.fill)
		}
	}
	// A goal line on each bar with a goal, at the goal.
	wantGoals := map[int]int{0: axisX(2), 1: axisX(2), 4: axisX(1)}
	if len(goals) != len(wantGoals) {
		t.Fatalf("%d goal lines, want %d", len(goals), len(wantGoals))
	}
	for _, g := range goals {
		x := wantGoals[row(g)]
		if g.num(t, "x") > x || g.num(t, "x")+g.num(t, "width") <= x || g.Attr["fill"] != black {
			t.Errorf("goal line in row %d at x=%s, width %s, fill %s; want across %d", row(g), g.Attr["x"], g.Attr["width"], g.Attr["fill"], x)
		}
	}
}

func TestAxis(t *testing.T) {
	if axisX(axisMin) != axisLeft || axisX(1e3) != axisRight {
		t.Errorf("axis ends: %d, %d", axisX(axisMin), axisX(1e3))
	}
	if axisX(1e-9) != axisLeft || axisX(1e9) != axisRight {
		t.Error("values off the axis are not clamped")
	}
	if !(axisX(1) < axisX(1.1) && axisX(1.1) < axisX(2)) {
		t.Error("axis not increasing")
	}
}

// The longest label of a real report fits left of the axis.
func TestChartLabelsFit(t *testing.T) {
	for _, b := range fakeResults().report().Bars {
		label := b.Label + " " + fmtRatio(b.Value)
		if x := marginLeft + textWidth(label); x > axisLeft-8 {
			t.Errorf("label %q runs to x=%d, past the axis at %d", label, x, axisLeft)
		}
	}
	if x := marginLeft + textWidth(chartTitle); x > chartW-marginLeft {
		t.Errorf("the title runs to x=%d", x)
	}
}

// results.json keeps the report, NaN bars included, and -chart-from draws
// the same chart from it as the run did.
func TestResultsJSON(t *testing.T) {
	r := fakeResults().report()
	r.Bars = append(r.Bars, Bar{Label: "UNMEASURED", Value: math.NaN(), Goal: 1, Verdict: Missing})
	dir := t.TempDir()
	if err := writeResults(dir, r); err != nil {
		t.Fatal(err)
	}
	back, err := readJSON(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := back.Table(), r.Table(); got != want {
		t.Errorf("table after a round trip:\n%s\nwant:\n%s", got, want)
	}
	if !reflect.DeepEqual(back.Notes, r.Notes) {
		t.Error("notes differ after a round trip")
	}
	if len(back.Bars) != len(r.Bars) {
		t.Fatalf("%d bars, want %d", len(back.Bars), len(r.Bars))
	}
	for i, b := range back.Bars {
		w := r.Bars[i]
		same := b.Value == w.Value || math.IsNaN(b.Value) && math.IsNaN(w.Value)
		if b.Label != w.Label || !same || b.Goal != w.Goal || b.Verdict != w.Verdict {
			t.Errorf("bar %d: %+v, want %+v", i, b, w)
		}
	}

	svg := filepath.Join(dir, "results.svg")
	first := mustRead(t, svg)
	var out strings.Builder
	if err := run([]string{"-chart-from", filepath.Join(dir, "results.json"), "-out", dir}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if again := mustRead(t, svg); !bytes.Equal(again, first) {
		t.Error("-chart-from drew another chart")
	}
	if !strings.Contains(string(mustRead(t, filepath.Join(dir, "RESULTS.md"))), "](results.svg)") {
		t.Error("RESULTS.md does not show results.svg")
	}
	if _, err := readJSON(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("a missing results.json read")
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
