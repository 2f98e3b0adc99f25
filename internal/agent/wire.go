package agent

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/mfa-git/mfa-git/internal/flatjson"
	"github.com/mfa-git/mfa-git/internal/session"
)

// decodeResponse reads an agent's answer exactly as json.Unmarshal would:
// the answers to a get (a status, a session, an error and its hint) are
// read by package flatjson, anything else by encoding/json.
func decodeResponse(line []byte) (*response, error) {
	var r response
	d := flatjson.New(line)
	err := d.Object(func(key string) error {
		var err error
		switch key {
		case "status":
			r.Status, err = d.String()
		case "error":
			r.Error, err = d.String()
		case "hint":
			r.Hint, err = d.String()
		case "unstored":
			r.Unstored, err = d.String()
		case "session":
			r.Session = new(session.Session)
			err = session.DecodeFrom(d, r.Session)
		default:
			err = flatjson.ErrUnsupported
		}
		return err
	})
	if err == nil && d.End() == nil {
		return &r, nil
	}
	r = response{}
	if err := json.Unmarshal(line, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// appendJSON appends r as encoding/json would marshal it, byte for byte
// (a test compares the two). Every git helper that asks the agent sends
// one request, and encoding/json's first use in a process costs about
// half a millisecond of reflection; this costs microseconds. A session,
// sent only by put and deliver, goes through encoding/json.
func (r *request) appendJSON(b []byte) ([]byte, error) {
	b = append(b, `{"v":`...)
	b = strconv.AppendInt(b, int64(r.V), 10)
	b = append(b, `,"op":`...)
	b = appendJSONString(b, r.Op)
	if r.Key != "" {
		b = append(b, `,"key":`...)
		b = appendJSONString(b, r.Key)
	}
	if r.Profile != "" {
		b = append(b, `,"profile":`...)
		b = appendJSONString(b, r.Profile)
	}
	if r.Margin != 0 {
		b = append(b, `,"margin":`...)
		b = strconv.AppendInt(b, int64(r.Margin), 10)
	}
	if r.Lifetime != 0 {
		b = append(b, `,"lifetime":`...)
		b = strconv.AppendInt(b, int64(r.Lifetime), 10)
	}
	if r.Session != nil {
		s, err := json.Marshal(r.Session)
		if err != nil {
			return nil, err
		}
		b = append(b, `,"session":`...)
		b = append(b, s...)
	}
	if r.Reason != "" {
		b = append(b, `,"reason":`...)
		b = appendJSONString(b, r.Reason)
	}
	if r.Stored {
		b = append(b, `,"stored":true`...)
	}
	if r.Notify {
		b = append(b, `,"notify":true`...)
	}
	return append(b, '}'), nil
}

// appendJSONString appends s as a JSON string the way encoding/json
// writes one: <, > and & escaped, invalid UTF-8 as U+FFFD, and U+2028 and
// U+2029 escaped.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\b':
				b = append(b, `\b`...)
			case c == '\f':
				b = append(b, `\f`...)
			case c == '\n':
				b = append(b, `\n`...)
			case c == '\r':
				b = append(b, `\r`...)
			case c == '\t':
				b = append(b, `\t`...)
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return append(b, '"')
}
