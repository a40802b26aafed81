package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// Bar is one ratio in the chart, drawn on a log scale so that 1.1× and
// 160× fit on one axis, from 1× (parity) to the left or right.
type Bar struct {
	Label   string
	Value   float64 // the ratio; NaN draws no bar
	Goal    float64 // the goal's bound as a ratio, drawn as a line; 0 for none
	Verdict Verdict // colours the bar
}

// chartTitle is the title of results.svg.
const chartTitle = "GOTRUE.WASM: RATIOS TO THE GO FLOOR, TO GOTRUE-JS AND TO THE GOALS (LOG SCALE)"

// The chart's geometry in SVG user units (pixels), and its log axis.
const (
	chartW      = 1100
	fontSize    = 16  // monospace, so that a label's width is known without a font
	charW       = 9.6 // the advance of one character at fontSize: 0.6 em
	rowH        = 30
	barH        = 18
	marginTop   = 56
	marginLeft  = 16
	axisLeft    = 560
	axisRight   = chartW - 40
	axisMin     = 0.01 // left end of the axis
	axisDecades = 5    // 0.01 … 1000
	footerH     = 70
)

// The chart's colours.
const (
	white  = "#ffffff"
	black  = "#141414"
	grey   = "#969696"
	light  = "#e1e1e1"
	green  = "#2ea043"
	red    = "#cf222e"
	infoBG = "#788caa"
)

// axisX is where ratio v falls on the axis, clamped to its ends.
func axisX(v float64) int {
	f := (math.Log10(v) - math.Log10(axisMin)) / axisDecades
	f = min(max(f, 0), 1)
	return axisLeft + int(math.Round(f*float64(axisRight-axisLeft)))
}

func barColor(v Verdict) string {
	switch v {
	case Met:
		return green
	case NotMet:
		return red
	}
	return infoBG
}

// textWidth is about the width of s drawn at fontSize.
func textWidth(s string) int {
	return int(math.Ceil(float64(utf8.RuneCountInString(s)) * charW))
}

// Chart draws the bars as an SVG image: a label and the ratio on the
// left, the bar from 1× to the ratio on a log axis, and a black line at
// the goal. Green bars meet their goal, red ones do not, blue-grey ones
// have none. A ratio of zero or less (memory that shrank) has no bar.
// Text is SVG text in the viewer's monospace font; each element has a
// class (title, label, tick, bar, goal, legend) that says what it is.
func Chart(title string, bars []Bar) []byte {
	h := marginTop + len(bars)*rowH + footerH
	var b bytes.Buffer
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace" font-size="%d">
`, chartW, h, chartW, h, fontSize)
	b.WriteString("<title>" + escape(title) + "</title>\n")
	rect(&b, "background", 0, 0, chartW, h, white)
	// Text is placed by its baseline: a capital's middle sits 0.35 em
	// above it.
	baseline := func(middle int) int { return middle + int(math.Round(0.35*fontSize)) }
	text(&b, "title", marginLeft, baseline(23), black, title)

	top, bottom := marginTop-6, marginTop+len(bars)*rowH
	for v := axisMin; v <= axisMin*math.Pow(10, axisDecades)*1.001; v *= 10 {
		x := axisX(v)
		rect(&b, "grid", x, top, 1, bottom-top, light)
		label := strconv.FormatFloat(v, 'g', -1, 64) + "×"
		lx := min(x-textWidth(label)/2, chartW-textWidth(label)-4)
		text(&b, "tick", lx, baseline(bottom+13), grey, label)
	}
	one := axisX(1) // the line where gotrue.wasm equals the other
	rect(&b, "parity", one, top, 2, bottom-top, grey)

	for i, bar := range bars {
		y := marginTop + i*rowH
		label := bar.Label
		if !math.IsNaN(bar.Value) {
			label += " " + fmtRatio(bar.Value)
		}
		text(&b, "label", marginLeft, baseline(y+rowH/2-2), black, label)
		if math.IsNaN(bar.Value) || bar.Value <= 0 {
			continue
		}
		x0, x1 := min(one, axisX(bar.Value)), max(one, axisX(bar.Value))
		rect(&b, "bar", x0, y+(rowH-barH)/2-2, max(x1-x0, 2), barH, barColor(bar.Verdict))
		if bar.Goal > 0 {
			rect(&b, "goal", axisX(bar.Goal)-1, y+1, 3, rowH-6, black)
		}
	}
	legend := []struct{ color, text string }{
		{green, "GOAL MET"}, {red, "GOAL NOT MET"}, {infoBG, "NO GOAL"}, {black, "GOAL"},
	}
	x, y := marginLeft, h-26
	for _, l := range legend {
		rect(&b, "legend", x, y, 14, 14, l.color)
		text(&b, "legend", x+20, baseline(y+7), black, l.text)
		x += 20 + textWidth(l.text) + 30
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}

// rect writes a filled rectangle.
func rect(b *bytes.Buffer, class string, x, y, w, h int, fill string) {
	fmt.Fprintf(b, `<rect class="%s" x="%d" y="%d" width="%d" height="%d" fill="%s"/>`+"\n", class, x, y, w, h, fill)
}

// text writes s from x, with its baseline at y.
func text(b *bytes.Buffer, class string, x, y int, fill, s string) {
	fmt.Fprintf(b, `<text class="%s" x="%d" y="%d" fill="%s">%s</text>`+"\n", class, x, y, fill, escape(s))
}

// escape makes s safe as the text of an XML element.
func escape(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s)) // a bytes.Buffer does not fail
	return b.String()
}
