package gotrue

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseObjectKeepsOrderLikeJSONParse(t *testing.T) {
	o, err := ParseObject([]byte(` {"b":1, "a":{"z":1,"y":[1,2]}, "b":"again", "c":null} `))
	require.NoError(t, err)
	assert.Equal(t, []string{"b", "a", "c"}, o.Keys(), "a repeated key keeps its first place")
	assert.Equal(t, "again", o.String("b"), "and its last value")
	assert.Equal(t, `{"b":"again","a":{"z":1,"y":[1,2]},"c":null}`, string(o.Bytes()))
}

func TestParseObjectRejectsWhatIsNotAnObject(t *testing.T) {
	for _, in := range []string{``, `null`, `[]`, `"x"`, `5`, `{`, `{"a":}`, `{"a":1}x`, `{"a" 1}`, `{a:1}`, `{"a":1,}`, "{\"a\":\"\x01\"}", `{"a":tru}`, `{"a":01}`, `{"a":1.}`, `{"a":"\u12"}`} {
		_, err := ParseObject([]byte(in))
		assert.Error(t, err, "input %q", in)
	}
}

func TestParseObjectBoundsNesting(t *testing.T) {
	deep := `{"a":` + strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth) + `}`
	_, err := ParseObject([]byte(deep))
	assert.ErrorIs(t, err, errTooDeep)
}

func TestObjectSetDeleteClone(t *testing.T) {
	var o Object
	o.SetString("a", "1")
	o.Set("b", RawJSON(`2`))
	o.SetString("a", "3")
	c := o.Clone()
	o.Delete("a")
	o.Delete("missing")
	assert.Equal(t, `{"b":2}`, string(o.Bytes()))
	assert.Equal(t, `{"a":"3","b":2}`, string(c.Bytes()))
	assert.Equal(t, 2, c.Len())
	var u Object
	require.NoError(t, json.Unmarshal([]byte(`{"x":[true,false,null]}`), &u))
	assert.Equal(t, `{"x":[true,false,null]}`, string(u.Bytes()))
	assert.Error(t, json.Unmarshal([]byte(`[1]`), &u))
}

// The saved session must match what JSON.stringify writes, byte for byte.
func TestWriteJSValueMatchesJSONStringify(t *testing.T) {
	cases := map[string]string{
		`"A\u0026B \u003cx\u003e"`:     `"A&B <x>"`,
		`"\u00e9t\u00e9 \ud83d\ude00"`: `"été 😀"`,
		`"tab\there\/"`:                `"tab\there/"`,
		`"\u0001"`:                     `"\u0001"`,
		`"\ud800"`:                     `"\ud800"`,
		`1.0`:                          `1`,
		`-0`:                           `0`,
		`1e21`:                         `1e+21`,
		`1.5e-7`:                       `1.5e-7`,
		`123456789012345678`:           `123456789012345680`,
		`1e400`:                        `null`,
		` [ 1 , { "a" : [ ] } ] `:      `[1,{"a":[]}]`,
		`{"k":{"a":1,"a":2}}`:          `{"k":{"a":2}}`,
	}
	for in, want := range cases {
		var o Object
		o.Set("v", RawJSON(in))
		assert.Equal(t, `{"v":`+want+`}`, string(o.Bytes()), "input %s", in)
	}
}

func TestJSNumber(t *testing.T) {
	assert.Equal(t, "null", jsNumber(math.NaN()))
	assert.Equal(t, "null", jsNumber(math.Inf(-1)))
	assert.Equal(t, "0.1", jsNumber(0.1))
	assert.Equal(t, "-2.5e-8", jsNumber(-2.5e-8))
	assert.Equal(t, "1.7976931348623157e+308", jsNumber(math.MaxFloat64))
	assert.Equal(t, "1700000000000", jsNumber(1.7e12))
}

func TestObjectNumberAcceptsNumericStrings(t *testing.T) {
	o, err := ParseObject([]byte(`{"a":"3600","b":3600,"c":"x","d":true}`))
	require.NoError(t, err)
	for key, want := range map[string]bool{"a": true, "b": true, "c": false, "d": false, "e": false} {
		f, ok := o.Number(key)
		assert.Equal(t, want, ok, key)
		if ok {
			assert.Equal(t, 3600.0, f)
		}
	}
}

func TestEncodeURIComponent(t *testing.T) {
	assert.Equal(t, "a%2Bb%40c.d%20%C3%A9%26%3D!~*'()-_.", encodeURIComponent("a+b@c.d é&=!~*'()-_."))
}

// FuzzParseObject: no input panics, and what parses re-encodes to JSON that
// encoding/json accepts and that parses back to the same bytes.
func FuzzParseObject(f *testing.F) {
	for _, s := range []string{
		`{"token":{"access_token":"a.b.c","token_type":"bearer","expires_in":3600,"refresh_token":"r","expires_at":1700000000000},"url":"/.netlify/identity","audience":"","id":"1","email":"a@b.c","app_metadata":{"provider":"email"},"user_metadata":{},"_fromStorage":true}`,
		`{"a":"\ud83d\ude00\u0026"}`, `{}`, `{"a":[1,2,{"b":null}]}`, `{"a":1e999}`, `[1]`, `{"a":"\`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := ParseObject(data)
		if err != nil {
			return
		}
		out := o.Bytes()
		if !json.Valid(out) {
			t.Fatalf("re-encoded object is not valid JSON")
		}
		again, err := ParseObject(out)
		if err != nil || string(again.Bytes()) != string(out) {
			t.Fatalf("re-encoding is not stable")
		}
	})
}
