package agent

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/flatjson"
	"github.com/mfa-git/mfa-git/internal/session"
)

// TestRequestJSONMatchesEncodingJSON: what the client sends is what
// encoding/json would have sent, byte for byte.
func TestRequestJSONMatchesEncodingJSON(t *testing.T) {
	exp := time.Date(2026, 12, 8, 9, 0, 34, 0, time.UTC)
	for _, r := range []request{
		{},
		{V: 1, Op: "get", Key: "session/dev/mfa/0123abcd", Profile: "dev", Margin: 5 * time.Minute, Lifetime: 12 * time.Hour, Notify: true},
		{V: 1, Op: "status"},
		{V: -3, Op: "stop", Margin: -1, Lifetime: 1},
		{V: 1, Op: "forget", Key: "session/<dev>&\"x\"\\", Profile: "tab\there\nnew\rline\b\f\x00\x1f\x7f"},
		{V: 1, Op: "abort", Key: "k", Reason: "bad \xff\xfe utf-8 \u2028\u2029 é 日本 😀 \xe2\x82"},
		{V: 1, Op: "deliver", Key: "k", Profile: "p", Stored: true, Session: &session.Session{AccessKeyID: "ASIA", SecretAccessKey: "s<>", SessionToken: "t", Expiration: exp, Profile: "p", Key: "k", CodeStep: 7}},
		{V: 1, Op: "put", Session: &session.Session{}},
	} {
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.appendJSON(nil)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("appendJSON:\n got %s\nwant %s", got, want)
		}
	}
}

// FuzzRequestJSON compares appendJSON with encoding/json on any strings,
// numbers and flags, with and without a session.
func FuzzRequestJSON(f *testing.F) {
	f.Add(1, "get", "session/dev/mfa/ab", "dev", "", int64(300e9), int64(0), true, false, false)
	f.Add(-7, "abort", "k\u2028", "<p>&", "\xff\x00\"\\", int64(-1), int64(1<<62), false, true, true)
	f.Fuzz(func(t *testing.T, v int, op, key, profile, reason string, margin, lifetime int64, notify, stored, withSession bool) {
		r := request{V: v, Op: op, Key: key, Profile: profile, Reason: reason, Margin: time.Duration(margin), Lifetime: time.Duration(lifetime), Notify: notify, Stored: stored}
		if withSession {
			r.Session = &session.Session{AccessKeyID: key, SecretAccessKey: reason, SessionToken: op, Profile: profile,
				Expiration: time.Unix(margin%(1<<34), lifetime%1e9).UTC(), CodeStep: lifetime}
		}
		want, werr := json.Marshal(r)
		got, gerr := r.appendJSON(nil)
		if (werr == nil) != (gerr == nil) || string(got) != string(want) {
			t.Errorf("appendJSON: %q, %v\nencoding/json: %q, %v", got, gerr, want, werr)
		}
	})
}

// checkResponse fails unless decodeResponse and json.Unmarshal agree on
// line: both fail, or both read the same answer.
func checkResponse(t *testing.T, line []byte) {
	t.Helper()
	got, gerr := decodeResponse(line)
	var want response
	werr := json.Unmarshal(line, &want)
	if (gerr == nil) != (werr == nil) {
		t.Fatalf("%q: decodeResponse: %v, json.Unmarshal: %v", line, gerr, werr)
	}
	if werr == nil && !reflect.DeepEqual(*got, want) {
		t.Fatalf("%q:\n decodeResponse %+v\n json.Unmarshal %+v", line, *got, want)
	}
}

func responseSeeds(t testing.TB) [][]byte {
	exp := time.Date(2026, 12, 8, 9, 0, 34, 0, time.UTC)
	var seeds [][]byte
	for _, r := range []response{
		{Status: "ok", Session: &session.Session{AccessKeyID: "ASIA", SecretAccessKey: "s", SessionToken: "t", Expiration: exp, Profile: "dev", Key: "session/dev/mfa/01"}},
		{Status: "lease"},
		{Status: "waiting"},
		{Status: "error", Error: "the agent could not reach STS", Hint: "run: mfa-git doctor"},
		{Status: "ok", Unstored: "the keyring is locked"},
		{Status: "ok", Info: &Info{PID: 7, Socket: "/run/user/1000/mfa-git/agent.sock"}},
		{Status: "ok", Forgotten: []string{"session/dev/mfa/01"}},
	} {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, append(b, '\n'))
	}
	for _, s := range []string{
		`{"status":"ok","session":null}`, `{"status":"ok","Status":"error"}`, `{"session":{"key":"a"},"session":{"profile":"b"}}`,
		`{"status":"error","error":"caf\u00e9"}`, `{"status":1}`, `{"status":"ok"}{"status":"ok"}`, `{}`, `not json`,
	} {
		seeds = append(seeds, []byte(s))
	}
	return seeds
}

// TestResponseJSONMatchesEncodingJSON: the client reads the agent's
// answers as encoding/json would, and reads a get's answers without it.
func TestResponseJSONMatchesEncodingJSON(t *testing.T) {
	for i, line := range responseSeeds(t) {
		checkResponse(t, line)
		if i < 5 {
			d := flatjson.New(line)
			if err := d.Object(func(string) error { return skipValue(d) }); err != nil || d.End() != nil {
				t.Errorf("flatjson refused the agent's answer %s", line)
			}
		}
	}
}

// skipValue reads any value flatjson reads, for the test above.
func skipValue(d *flatjson.Decoder) error {
	if _, err := d.String(); err == nil {
		return nil
	}
	if err := d.Object(func(string) error { return skipValue(d) }); err == nil {
		return nil
	}
	if _, err := d.Int(); err == nil {
		return nil
	}
	_, err := d.Bool()
	return err
}

// FuzzResponseJSON: on any input, decodeResponse and json.Unmarshal agree.
func FuzzResponseJSON(f *testing.F) {
	for _, b := range responseSeeds(f) {
		f.Add(b)
	}
	f.Fuzz(checkResponse)
}
