package main

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"strconv"
)

// Bar is one ratio in the chart, drawn on a log scale so that 1.1× and
// 160× fit on one axis, from 1× (parity) to the left or right.
type Bar struct {
	Label   string  // drawn in the built-in font: upper case, digits, a few signs
	Value   float64 // the ratio; NaN draws no bar
	Goal    float64 // the goal's bound as a ratio, drawn as a line; 0 for none
	Verdict Verdict // colours the bar
}

// The chart's geometry in pixels, and its log axis.
const (
	chartW      = 1100
	labelScale  = 2
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

var (
	white  = color.RGBA{255, 255, 255, 255}
	black  = color.RGBA{20, 20, 20, 255}
	grey   = color.RGBA{150, 150, 150, 255}
	light  = color.RGBA{225, 225, 225, 255}
	green  = color.RGBA{46, 160, 67, 255}
	red    = color.RGBA{207, 34, 46, 255}
	infoBG = color.RGBA{120, 140, 170, 255}
)

// axisX is where ratio v falls on the axis, clamped to its ends.
func axisX(v float64) int {
	f := (math.Log10(v) - math.Log10(axisMin)) / axisDecades
	f = min(max(f, 0), 1)
	return axisLeft + int(math.Round(f*float64(axisRight-axisLeft)))
}

func barColor(v Verdict) color.RGBA {
	switch v {
	case Met:
		return green
	case NotMet:
		return red
	}
	return infoBG
}

// Chart draws the bars: a label and the ratio on the left, the bar from
// 1× to the ratio on a log axis, and a black line at the goal. Green bars
// meet their goal, red ones do not, blue-grey ones have none. A ratio of
// zero or less (memory that shrank) has no bar.
func Chart(title string, bars []Bar) *image.RGBA {
	h := marginTop + len(bars)*rowH + footerH
	img := image.NewRGBA(image.Rect(0, 0, chartW, h))
	draw.Draw(img, img.Bounds(), &image.Uniform{white}, image.Point{}, draw.Src)
	drawText(img, marginLeft, 16, title, labelScale, black)

	top, bottom := marginTop-6, marginTop+len(bars)*rowH
	for v := axisMin; v <= axisMin*math.Pow(10, axisDecades)*1.001; v *= 10 {
		x := axisX(v)
		fill(img, image.Rect(x, top, x+1, bottom), light)
		label := strconv.FormatFloat(v, 'g', -1, 64) + "×"
		lx := min(x-textWidth(label, labelScale)/2, chartW-textWidth(label, labelScale)-4)
		drawText(img, lx, bottom+6, label, labelScale, grey)
	}
	one := axisX(1) // the line where gotrue.wasm equals the other
	fill(img, image.Rect(one, top, one+2, bottom), grey)

	for i, b := range bars {
		y := marginTop + i*rowH
		text := b.Label
		if !math.IsNaN(b.Value) {
			text += " " + fmtRatio(b.Value)
		}
		drawText(img, marginLeft, y+(rowH-glyphH*labelScale)/2-2, text, labelScale, black)
		if math.IsNaN(b.Value) || b.Value <= 0 {
			continue
		}
		x0, x1 := min(one, axisX(b.Value)), max(one, axisX(b.Value))
		fill(img, image.Rect(x0, y+(rowH-barH)/2-2, max(x1, x0+2), y+(rowH+barH)/2-2), barColor(b.Verdict))
		if b.Goal > 0 {
			x := axisX(b.Goal)
			fill(img, image.Rect(x-1, y+1, x+2, y+rowH-5), black)
		}
	}
	legend := []struct {
		c    color.RGBA
		text string
	}{{green, "GOAL MET"}, {red, "GOAL NOT MET"}, {infoBG, "NO GOAL"}, {black, "GOAL"}}
	x, y := marginLeft, h-26
	for _, l := range legend {
		fill(img, image.Rect(x, y, x+14, y+14), l.c)
		drawText(img, x+20, y, l.text, labelScale, black)
		x += 20 + textWidth(l.text, labelScale) + 30
	}
	return img
}

// fill paints r in c.
func fill(img *image.RGBA, r image.Rectangle, c color.Color) {
	draw.Draw(img, r, &image.Uniform{c}, image.Point{}, draw.Src)
}

// encodePNG is the chart as PNG bytes.
func encodePNG(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	err := png.Encode(&buf, img)
	return buf.Bytes(), err
}
