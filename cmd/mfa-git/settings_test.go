package main

import "testing"

func TestProfileName(t *testing.T) {
	env := map[string]string{}
	get := func(k string) string { return env[k] }
	if got := readSettings(get).profileName(""); got != "default" {
		t.Errorf("profileName() = %q", got)
	}
	env["AWS_PROFILE"] = "a"
	if got := readSettings(get).profileName(""); got != "a" {
		t.Errorf("AWS_PROFILE not used: %q", got)
	}
	env["MFA_GIT_PROFILE"] = "b"
	if got := readSettings(get).profileName(""); got != "b" {
		t.Errorf("MFA_GIT_PROFILE not preferred: %q", got)
	}
	if got := readSettings(get).profileName("c"); got != "c" {
		t.Errorf("flag not preferred: %q", got)
	}
}
