// Package flatjson reads the small JSON objects mfa-git writes itself (a
// stored session, the agent's answer) without encoding/json, whose first
// use in a process costs a cached git request about half a millisecond of
// reflection.
//
// It reads a subset of JSON: objects, strings of printable ASCII without
// escapes, integers, true and false, with any whitespace between them.
// Anything else (an escape, a byte outside printable ASCII in a string,
// null, an array, a fraction, a key the caller does not know, a key given
// twice in one object, text after the value) is ErrUnsupported, and the
// caller decodes the whole input again with encoding/json, which is the
// reference: what this package accepts, encoding/json reads to the same
// values (the callers' tests compare the two on every input they fuzz).
package flatjson

import (
	"errors"
	"strconv"
)

// ErrUnsupported says the input is not in the subset read here (it may
// still be valid JSON): decode it with encoding/json.
var ErrUnsupported = errors.New("flatjson: not in the subset read here")

// Decoder reads one value from its input. The zero Decoder is not usable:
// use New.
type Decoder struct {
	b []byte
	i int
}

// New returns a Decoder reading b.
func New(b []byte) *Decoder { return &Decoder{b: b} }

func (d *Decoder) space() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// next skips whitespace and returns the next byte, 0 at the end.
func (d *Decoder) next() byte {
	d.space()
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

// Object reads an object, calling field with each key; field must read
// the key's value with one of the Decoder's methods, or return an error
// (ErrUnsupported for a key it does not know). A key given twice is
// ErrUnsupported.
func (d *Decoder) Object(field func(key string) error) error {
	if d.next() != '{' {
		return ErrUnsupported
	}
	d.i++
	var seen []string
	if d.next() == '}' {
		d.i++
		return nil
	}
	for {
		key, err := d.String()
		if err != nil {
			return err
		}
		for _, k := range seen {
			if k == key {
				return ErrUnsupported
			}
		}
		seen = append(seen, key)
		if d.next() != ':' {
			return ErrUnsupported
		}
		d.i++
		if err := field(key); err != nil {
			return err
		}
		switch d.next() {
		case ',':
			d.i++
		case '}':
			d.i++
			return nil
		default:
			return ErrUnsupported
		}
	}
}

// String reads a string.
func (d *Decoder) String() (string, error) {
	q, err := d.Quoted()
	if err != nil {
		return "", err
	}
	return string(q[1 : len(q)-1]), nil
}

// Quoted reads a string and returns it with its quotes, as encoding/json
// hands it to an UnmarshalJSON method (time.Time's, for one).
func (d *Decoder) Quoted() ([]byte, error) {
	if d.next() != '"' {
		return nil, ErrUnsupported
	}
	start := d.i
	for d.i++; d.i < len(d.b); d.i++ {
		switch c := d.b[d.i]; {
		case c == '"':
			d.i++
			return d.b[start:d.i], nil
		case c < 0x20 || c > 0x7e || c == '\\':
			return nil, ErrUnsupported
		}
	}
	return nil, ErrUnsupported
}

// Int reads an integer: an optional minus and digits without leading
// zeros, in range.
func (d *Decoder) Int() (int64, error) {
	d.space()
	start := d.i
	if d.i < len(d.b) && d.b[d.i] == '-' {
		d.i++
	}
	digits := d.i
	for d.i < len(d.b) && '0' <= d.b[d.i] && d.b[d.i] <= '9' {
		d.i++
	}
	if d.i == digits || (d.b[digits] == '0' && d.i > digits+1) {
		return 0, ErrUnsupported
	}
	if d.i < len(d.b) {
		switch d.b[d.i] {
		case '.', 'e', 'E':
			return 0, ErrUnsupported
		}
	}
	v, err := strconv.ParseInt(string(d.b[start:d.i]), 10, 64)
	if err != nil {
		return 0, ErrUnsupported
	}
	return v, nil
}

// Bool reads true or false.
func (d *Decoder) Bool() (bool, error) {
	d.space()
	for _, w := range [...]string{"true", "false"} {
		if len(d.b)-d.i >= len(w) && string(d.b[d.i:d.i+len(w)]) == w {
			d.i += len(w)
			return w == "true", nil
		}
	}
	return false, ErrUnsupported
}

// End reports ErrUnsupported unless only whitespace is left.
func (d *Decoder) End() error {
	if d.space(); d.i != len(d.b) {
		return ErrUnsupported
	}
	return nil
}
