package session

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/flatjson"
)

func jsonSessions() []Session {
	exp := time.Date(2026, 12, 8, 9, 0, 34, 0, time.UTC)
	issued := time.Date(2026, 12, 7, 21, 0, 34, 123456789, time.FixedZone("", 3600))
	return []Session{
		{},
		{AccessKeyID: "ASIAM2PPQ5RYSGN7QVHM", SecretAccessKey: "ERmV/vcxEuDLF3qV1sYrVIN8SRQ3/cZ9ANtLbv8Q", SessionToken: strings.Repeat("IQoJb3JpZ2luX2Vj+/=", 60),
			Expiration: exp, MFASerial: "arn:aws:iam::123456789012:mfa/alice", Profile: "dev", SourceKeyID: "AKIAEXAMPLE", Issued: issued, CodeStep: 59395681, Key: "session/dev/mfa/0123"},
		{AccessKeyID: "ASIA", SecretAccessKey: "s", SessionToken: "t", Expiration: exp, Profile: "admin", CodeStep: -1,
			Role: &RoleInfo{Source: "dev", MFASession: "session/dev/mfa/0123", ID: "ab12", ARN: "arn:aws:sts::123456789012:assumed-role/Admin/mfa-git", Clamped: true}, Key: "session/admin/role/ab12"},
		{AccessKeyID: "ASIA", Profile: "sso", Role: &RoleInfo{}, Key: "session/sso/sso/ff"},
		{AccessKeyID: "ASIA<&>", SecretAccessKey: "é", SessionToken: "tab\t", Profile: "\u2028"},
	}
}

// TestDecodeTakesWhatMfaGitWrites: the sessions mfa-git stores are read
// without encoding/json, to the same values.
func TestDecodeTakesWhatMfaGitWrites(t *testing.T) {
	for i, s := range jsonSessions()[:4] {
		b, err := json.Marshal(&s)
		if err != nil {
			t.Fatal(err)
		}
		var got Session
		d := flatjson.New(b)
		if err := DecodeFrom(d, &got); err != nil || d.End() != nil {
			t.Fatalf("session %d: flatjson refused what json.Marshal wrote: %v\n%s", i, err, b)
		}
		var want Session
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("session %d:\n got %+v\nwant %+v", i, got, want)
		}
	}
}

// checkDecode fails unless Decode and json.Unmarshal agree on b: both
// fail, or both read the same session.
func checkDecode(t *testing.T, b []byte) {
	t.Helper()
	var got, want Session
	gerr := Decode(b, &got)
	werr := json.Unmarshal(b, &want)
	if (gerr == nil) != (werr == nil) {
		t.Fatalf("%q: Decode: %v, json.Unmarshal: %v", b, gerr, werr)
	}
	if werr == nil && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\n Decode        %+v\n json.Unmarshal %+v", b, got, want)
	}
}

func decodeSeeds(t testing.TB) [][]byte {
	var seeds [][]byte
	for _, s := range jsonSessions() {
		b, err := json.Marshal(&s)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	for _, s := range []string{
		`{"Access_Key_ID":"A","access_key_id":"B"}`,
		`{"access_key_id":"A","access_key_id":"B"}`,
		`{"role":{"source":"a"},"role":{"id":"b"}}`,
		`{"role":null,"expiration":null,"code_step":null}`,
		`{"expiration":"2026-13-01T00:00:00Z"}`,
		`{"expiration":"2026-12-08T09:00:34+01:00","issued":"2026-12-08T09:00:34.5Z"}`,
		`{"code_step":1.0}`, `{"code_step":"5"}`, `{"code_step":99999999999999999999}`,
		`{"access_key_id":"a\u0041"}`, `{"unknown":[1,2,{}],"key":"k"}`,
		` {"key" : "k" } `, `{"key":"k"} trailing`, `{"role":{"clamped":1}}`, `[]`, `null`, `"x"`, ``,
	} {
		seeds = append(seeds, []byte(s))
	}
	return seeds
}

func TestDecodeMatchesEncodingJSON(t *testing.T) {
	for _, b := range decodeSeeds(t) {
		checkDecode(t, b)
	}
}

// FuzzDecode: on any input, Decode and json.Unmarshal agree.
func FuzzDecode(f *testing.F) {
	for _, b := range decodeSeeds(f) {
		f.Add(b)
	}
	f.Fuzz(checkDecode)
}
