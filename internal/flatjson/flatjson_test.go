package flatjson

import (
	"errors"
	"testing"
)

// decodeAll reads an object of strings, integers, booleans and nested
// objects (key "o"), as a caller would, into a flat map.
func decodeAll(b []byte) (map[string]any, error) {
	out := map[string]any{}
	d := New(b)
	var obj func(prefix string) error
	obj = func(prefix string) error {
		return d.Object(func(key string) error {
			var v any
			var err error
			switch key[0] {
			case 's':
				v, err = d.String()
			case 'q':
				var q []byte
				q, err = d.Quoted()
				v = string(q)
			case 'i':
				v, err = d.Int()
			case 'b':
				v, err = d.Bool()
			case 'o':
				return obj(prefix + key + ".")
			default:
				return ErrUnsupported
			}
			out[prefix+key] = v
			return err
		})
	}
	if err := obj(""); err != nil {
		return nil, err
	}
	return out, d.End()
}

func TestDecoder(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want map[string]any // nil: ErrUnsupported
	}{
		{`{}`, map[string]any{}},
		{" \t\r\n{ } \n", map[string]any{}},
		{`{"s":"a b/c+=~"}`, map[string]any{"s": "a b/c+=~"}},
		{`{"q":"2026-12-08T09:00:34Z"}`, map[string]any{"q": `"2026-12-08T09:00:34Z"`}},
		{`{"i":0,"i2":-12,"i3":9223372036854775807}`, map[string]any{"i": int64(0), "i2": int64(-12), "i3": int64(9223372036854775807)}},
		{`{"b":true , "b2" : false}`, map[string]any{"b": true, "b2": false}},
		{`{"o":{"s":"x","o":{}},"s":"y"}`, map[string]any{"o.s": "x", "s": "y"}},
		{`{"o":{"s":"x"},"o2":{"s":"x"}}`, map[string]any{"o.s": "x", "o2.s": "x"}},
		// Outside the subset, valid JSON or not.
		{``, nil},
		{`[]`, nil},
		{`{"s":"a\"b"}`, nil},
		{`{"s":"a\\b"}`, nil},
		{`{"s":"é"}`, nil},
		{"{\"s\":\"tab\there\"}", nil},
		{"{\"s\":\"del\x7f\"}", nil},
		{`{"s":null}`, nil},
		{`{"s":1}`, nil},
		{`{"i":"1"}`, nil},
		{`{"i":1.5}`, nil},
		{`{"i":1e3}`, nil},
		{`{"i":01}`, nil},
		{`{"i":-}`, nil},
		{`{"i":-0}`, map[string]any{"i": int64(0)}},
		{`{"i":9223372036854775808}`, nil},
		{`{"b":tru}`, nil},
		{`{"b":truex}`, nil},
		{`{"x":1}`, nil},
		{`{"s":"a","s":"b"}`, nil},
		{`{"s":"a",}`, nil},
		{`{"s":"a"`, nil},
		{`{"s" "a"}`, nil},
		{`{"s":"a"}x`, nil},
		{`{"s":"a"}{}`, nil},
		{`{"s":"unterminated}`, nil},
	} {
		got, err := decodeAll([]byte(tc.in))
		if tc.want == nil {
			if !errors.Is(err, ErrUnsupported) {
				t.Errorf("%q: got %v, %v; want ErrUnsupported", tc.in, got, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if len(got) != len(tc.want) {
			t.Errorf("%q: got %v, want %v", tc.in, got, tc.want)
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%q: %s = %#v, want %#v", tc.in, k, got[k], v)
			}
		}
	}
}
