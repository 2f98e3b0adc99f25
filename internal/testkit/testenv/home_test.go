package testenv

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Every default location the code finds through the environment is under
// the test's own folder, and none is what it was before.
func TestPrivateHome(t *testing.T) {
	before := map[string]string{}
	lookups := map[string]func() (string, error){
		"home":    os.UserHomeDir,
		"config":  os.UserConfigDir,
		"cache":   os.UserCacheDir,
		"data":    func() (string, error) { return os.Getenv("XDG_DATA_HOME"), nil },
		"state":   func() (string, error) { return os.Getenv("XDG_STATE_HOME"), nil },
		"runtime": func() (string, error) { return os.Getenv("XDG_RUNTIME_DIR"), nil },
	}
	for name, f := range lookups {
		before[name], _ = f()
	}
	home := PrivateHome(t)
	root := filepath.Dir(home)
	if !strings.HasPrefix(root, os.TempDir()) {
		t.Fatalf("home %s is not under the test's temporary folder", home)
	}
	for name, f := range lookups {
		got, err := f()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !strings.HasPrefix(got, root+string(filepath.Separator)) || got == before[name] {
			t.Errorf("%s = %q, want a folder under %s (it was %q)", name, got, root, before[name])
		}
		if fi, err := os.Stat(got); err != nil || fi.Mode().Perm() != Perm(0o700, true) {
			t.Errorf("%s: %v, %v; want a 0700 folder", name, fi, err)
		}
	}
}

// Secret Service tests run only on a bus test.sh marked as its own, and
// never on Windows, which has no Secret Service.
func TestRequirePrivateBus(t *testing.T) {
	cases := []struct {
		name, marker, bus string
		run               bool
	}{
		{"developer's bus", "", "unix:path=/run/user/1000/bus", false},
		{"marker without a bus", "1", "", false},
		{"test.sh's bus", "1", "unix:abstract=/tmp/dbus-test", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(privateBusEnv, c.marker)
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", c.bus)
			t.Setenv("MFA_GIT_REQUIRE_SECRET_SERVICE", "")
			ran := false
			t.Run("inner", func(t *testing.T) {
				RequirePrivateBus(t)
				ran = true
			})
			if want := c.run && runtime.GOOS != "windows"; ran != want {
				t.Fatalf("test ran = %v, want %v", ran, want)
			}
		})
	}
}
