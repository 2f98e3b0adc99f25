package session

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/mfa-git/mfa-git/internal/testkit/keystoretest"
)

// TestLoadChecksTheKey: an entry is handed out only under the key it was
// filed under, whether it records that key or (stored by an older
// mfa-git) only the fields the key is derived from.
func TestLoadChecksTheKey(t *testing.T) {
	exp := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	mfa := Session{AccessKeyID: "ASIA1", SecretAccessKey: "s", SessionToken: "t", Expiration: exp, Profile: "dev", SourceKeyID: "AKIA1", MFASerial: "arn:aws:iam::1:mfa/d"}
	mfaKey := MFAKey("dev", "AKIA1\narn:aws:iam::1:mfa/d")
	role := mfa
	role.Profile = "ops"
	role.Role = &RoleInfo{Source: "dev", ID: "0123456789abcdef"}
	roleKey := RolePrefix("dev", "ops") + "0123456789abcdef"
	recorded := mfa
	recorded.Key = "session/dev/sso/feedface"
	tests := []struct {
		name    string
		stored  Session
		under   string
		wantErr bool
	}{
		{"legacy MFA entry under its derived key", mfa, mfaKey, false},
		{"legacy MFA entry under another profile's key", mfa, MFAKey("prod", "AKIA1\narn:aws:iam::1:mfa/d"), true},
		{"legacy role entry under its derived key", role, roleKey, false},
		{"legacy role entry under the MFA key", role, mfaKey, true},
		{"recorded key, fields say otherwise", recorded, "session/dev/sso/feedface", false},
		{"recorded key under another key", recorded, mfaKey, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := keystoretest.NewMemory()
			b, err := json.Marshal(tt.stored)
			if err != nil {
				t.Fatal(err)
			}
			if err := store.Set(tt.under, b); err != nil {
				t.Fatal(err)
			}
			s, err := Cache{Store: store}.Load(tt.under)
			if tt.wantErr {
				if !errors.Is(err, ErrNotSession) {
					t.Fatalf("Load = %v, %v; want ErrNotSession", s, err)
				}
				return
			}
			if err != nil || s.Key != tt.under || s.AccessKeyID != "ASIA1" {
				t.Fatalf("Load = %+v, %v; want the session with Key %s", s, err, tt.under)
			}
		})
	}
}

// TestPutRecordsTheKey: Put writes the key into the entry, so Load needs
// no derivation, and refuses a session filed under another key.
func TestPutRecordsTheKey(t *testing.T) {
	store := keystoretest.NewMemory()
	c := Cache{Store: store}
	s := &Session{AccessKeyID: "ASIA1", SecretAccessKey: "s", SessionToken: "t", Expiration: time.Now().Add(time.Hour), Profile: "dev"}
	if err := c.Put("session/dev/sso/abc", s); err != nil {
		t.Fatal(err)
	}
	b, err := store.Get("session/dev/sso/abc")
	if err != nil {
		t.Fatal(err)
	}
	var got Session
	if err := json.Unmarshal(b, &got); err != nil || got.Key != "session/dev/sso/abc" {
		t.Fatalf("stored entry %s: key %q, %v", b, got.Key, err)
	}
	if s.Key != "" {
		t.Errorf("Put changed the caller's session: Key %q", s.Key)
	}
	s.Key = "session/dev/other"
	if err := c.Put("session/dev/sso/abc", s); !errors.Is(err, ErrNotSession) {
		t.Errorf("Put of a session filed elsewhere = %v, want ErrNotSession", err)
	}
}
