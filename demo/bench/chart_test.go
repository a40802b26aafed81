package main

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"testing"
)

func TestChart(t *testing.T) {
	bars := []Bar{
		{Label: "WASM / FLOOR RAW", Value: 1.66, Goal: 2, Verdict: Met},
		{Label: "READY / FLOOR", Value: 3, Goal: 2, Verdict: NotMet},
		{Label: "DOWNLOAD / GOTRUE-JS", Value: 160, Verdict: Info},
		{Label: "MISSING", Value: math.NaN()},
		{Label: "SMALLER", Value: 0.3, Goal: 1, Verdict: Met},
		{Label: "ZERO", Value: 0, Goal: 1, Verdict: Met},
	}
	img := Chart("TITLE", bars)
	if w, h := img.Bounds().Dx(), img.Bounds().Dy(); w != chartW || h != marginTop+len(bars)*rowH+footerH {
		t.Fatalf("size %dx%d", w, h)
	}
	mid := func(i int) int { return marginTop + i*rowH + rowH/2 - 2 }
	one := axisX(1)
	// Each bar is coloured by its verdict and runs from 1× to its value.
	for i, want := range []any{green, red, infoBG} {
		if got := img.RGBAAt(one+3, mid(i)); got != want {
			t.Errorf("bar %d colour %v, want %v", i, got, want)
		}
	}
	if got := img.RGBAAt(axisX(1.66)+3, mid(0)); got == green {
		t.Error("the 1.66× bar runs past its value")
	}
	if got := img.RGBAAt(axisX(2), mid(0)); got != black {
		t.Errorf("no goal line at 2× (colour %v)", got)
	}
	// A ratio under 1 runs left of 1×.
	if got := img.RGBAAt(axisX(0.5), mid(4)); got != green {
		t.Errorf("the 0.3× bar does not reach 0.5× (colour %v)", got)
	}
	if got := img.RGBAAt(one+3, mid(4)); got == green {
		t.Error("the 0.3× bar runs right of 1×")
	}
	for _, i := range []int{3, 5} { // NaN, and zero
		for x := axisLeft; x < axisRight; x += 5 {
			if got := img.RGBAAt(x, mid(i)); got == green || got == red || got == infoBG {
				t.Fatalf("bar %d (no value) drew at x=%d", i, x)
			}
		}
	}
	data, err := encodePNG(img)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(data)); err != nil {
		t.Fatal(err)
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

func TestFont(t *testing.T) {
	for r, g := range glyphs {
		rows := 0
		for _, row := range bytes.Fields([]byte(g)) {
			rows++
			if len(row) != glyphW {
				t.Errorf("glyph %q has a row of %d pixels", r, len(row))
			}
		}
		if rows != glyphH {
			t.Errorf("glyph %q has %d rows", r, rows)
		}
	}
	if m := canDraw("Gotrue.wasm / floor (gzip) ≤ 2.0× 100%"); len(m) != 0 {
		t.Errorf("missing glyphs %q", m)
	}
	if m := canDraw("é"); len(m) != 1 {
		t.Error("canDraw does not report a missing glyph")
	}
	img := image.NewRGBA(image.Rect(0, 0, 20, 10))
	drawText(img, 0, 0, "i", 1, black)
	if img.RGBAAt(2, 0) != black || img.RGBAAt(0, 0) == black {
		t.Error("'I' is not drawn as its glyph")
	}
}
