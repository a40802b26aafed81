package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// A transcript is the JSON a scenario run produces, decoded so that the
// order of object keys survives: a page sees that order in JSON.stringify
// and in the saved session, so the comparison checks it too.
//
// Values are *object, []any, string, json.Number, bool or nil.

// object is a JSON object with its keys in order.
type object struct {
	keys []string
	vals map[string]any
}

func (o *object) set(k string, v any) {
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
}

func newObject() *object { return &object{vals: map[string]any{}} }

// decodeOrdered parses JSON text into an ordered value.
func decodeOrdered(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data after the JSON value")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := newObject()
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				o.set(kt.(string), v)
			}
			_, err := dec.Token() // '}'
			return o, err
		case '[':
			a := []any{}
			for dec.More() {
				v, err := decodeValue(dec)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			_, err := dec.Token() // ']'
			return a, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	default:
		return t, nil // string, json.Number, bool, nil
	}
}

// encodeCompact writes an ordered value as compact JSON, for messages.
func encodeCompact(v any) string {
	var b strings.Builder
	writeValue(&b, v)
	return b.String()
}

func writeValue(b *strings.Builder, v any) {
	switch t := v.(type) {
	case *object:
		b.WriteByte('{')
		for i, k := range t.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Quote(k))
			b.WriteByte(':')
			writeValue(b, t.vals[k])
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			writeValue(b, e)
		}
		b.WriteByte(']')
	case string:
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false) // placeholders read <access_token#1>, not \u003c…
		_ = enc.Encode(t)
		b.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	case json.Number:
		b.WriteString(t.String())
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case nil:
		b.WriteString("null")
	default:
		fmt.Fprintf(b, "%v", t)
	}
}

// difference is one place where two transcripts disagree.
type difference struct {
	Step string // "#3 gotrue#1.login"
	Path string // within the step: "value.json.token", "requests[0].headers"
	Ref  string // compact JSON, or "(absent)"
	Ours string
}

func (d difference) String() string {
	return fmt.Sprintf("%s › %s\n    gotrue-js:   %s\n    gotrue-wasm: %s", d.Step, d.Path, d.Ref, d.Ours)
}

const absent = "(absent)"

// diffSteps compares two step lists position by position. Steps are
// named by the reference's label ("#3 gotrue#1.login").
func diffSteps(ref, ours []any) []difference {
	var out []difference
	for i := range max(len(ref), len(ours)) {
		var r, o any = absent, absent
		if i < len(ref) {
			r = ref[i]
		}
		if i < len(ours) {
			o = ours[i]
		}
		label := fmt.Sprintf("#%d %s", i+1, stepName(r, o))
		diffValue(label, "", r, o, &out)
	}
	return out
}

func stepName(vs ...any) string {
	for _, v := range vs {
		if o, ok := v.(*object); ok {
			if s, ok := o.vals["step"].(string); ok {
				return s
			}
		}
	}
	return "?"
}

// diffValue appends the differences between r and o at path. Objects are
// compared key by key, then for the order of their common keys; arrays
// element by element.
func diffValue(step, path string, r, o any, out *[]difference) {
	add := func(p string, r, o any) {
		*out = append(*out, difference{Step: step, Path: strings.TrimPrefix(p, "."), Ref: show(r), Ours: show(o)})
	}
	switch rt := r.(type) {
	case *object:
		ot, ok := o.(*object)
		if !ok {
			add(path, r, o)
			return
		}
		for _, k := range rt.keys {
			ov, ok := ot.vals[k]
			if !ok {
				ov = absent
			}
			diffValue(step, path+"."+k, rt.vals[k], ov, out)
		}
		for _, k := range ot.keys {
			if _, ok := rt.vals[k]; !ok {
				add(path+"."+k, absent, ot.vals[k])
			}
		}
		rk := slices.DeleteFunc(slices.Clone(rt.keys), func(k string) bool { _, ok := ot.vals[k]; return !ok })
		ok2 := slices.DeleteFunc(slices.Clone(ot.keys), func(k string) bool { _, ok := rt.vals[k]; return !ok })
		if !slices.Equal(rk, ok2) {
			*out = append(*out, difference{Step: step, Path: strings.TrimPrefix(path+".(key order)", "."),
				Ref: strings.Join(rk, ","), Ours: strings.Join(ok2, ",")})
		}
	case []any:
		ot, ok := o.([]any)
		if !ok {
			add(path, r, o)
			return
		}
		for i := range max(len(rt), len(ot)) {
			var re, oe any = absent, absent
			if i < len(rt) {
				re = rt[i]
			}
			if i < len(ot) {
				oe = ot[i]
			}
			diffValue(step, fmt.Sprintf("%s[%d]", path, i), re, oe, out)
		}
	default:
		if _, isObj := o.(*object); isObj || !scalarEqual(r, o) {
			add(path, r, o)
		}
	}
}

func scalarEqual(a, b any) bool {
	switch at := a.(type) {
	case []any, *object:
		return false
	case json.Number:
		bt, ok := b.(json.Number)
		return ok && at == bt
	default:
		if _, ok := b.([]any); ok {
			return false
		}
		return a == b
	}
}

func show(v any) string {
	if s, ok := v.(string); ok && s == absent {
		return absent
	}
	return encodeCompact(v)
}
