package codecommit

import (
	"reflect"
	"strings"
	"testing"
)

func TestHelperAndCommand(t *testing.T) {
	tests := []struct {
		r       Remote
		exe     string
		helper  string
		command []string
	}{
		{
			Remote{"dev", "us-east-1", "demo", "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo"}, "/usr/local/bin/mfa-git",
			"!/usr/local/bin/mfa-git --profile dev",
			[]string{"git", "remote-https", "origin", "https://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo"},
		},
		{
			Remote{"a;b $(x)", "cn-north-1", "demo", "https://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/demo"}, "/home/o'neil/my bin/mfa-git",
			`!'/home/o'\''neil/my bin/mfa-git' --profile 'a;b $(x)'`,
			[]string{"git", "remote-https", "origin", "https://git-codecommit.cn-north-1.amazonaws.com.cn/v1/repos/demo"},
		},
		{
			// A VPC endpoint is a CodeCommit host: its region is in the name.
			Remote{"dev", "us-east-1", "demo", "https://vpce-1.git-codecommit.us-east-1.vpce.amazonaws.com/v1/repos/demo"}, "/bin/mfa-git",
			"!/bin/mfa-git --profile dev",
			[]string{"git", "remote-https", "origin", "https://vpce-1.git-codecommit.us-east-1.vpce.amazonaws.com/v1/repos/demo"},
		},
		{
			// FIPS, through CODE_COMMIT_ENDPOINT as with grc.
			Remote{"dev", "us-east-1", "My_Repo", "https://git-codecommit-fips.us-east-1.amazonaws.com/v1/repos/My_Repo"}, "/bin/mfa-git",
			"!/bin/mfa-git --profile dev",
			[]string{"git", "remote-https", "origin", "https://git-codecommit-fips.us-east-1.amazonaws.com/v1/repos/My_Repo"},
		},
		{
			// A proxy, and the sandbox over loopback http, need the region.
			Remote{"dev", "eu-west-1", "demo", "https://proxy.example.com/v1/repos/demo"}, "/bin/mfa-git",
			"!/bin/mfa-git --profile dev --ignore-host-check --region eu-west-1",
			[]string{"git", "remote-https", "origin", "https://proxy.example.com/v1/repos/demo"},
		},
		{
			Remote{"sandbox", "us-east-1", "demo", "http://127.0.0.1:8080/v1/repos/demo"}, "/bin/mfa-git",
			"!/bin/mfa-git --profile sandbox --ignore-host-check --region us-east-1",
			[]string{"git", "remote-http", "origin", "http://127.0.0.1:8080/v1/repos/demo"},
		},
	}
	for _, tt := range tests {
		if got := tt.r.Command("origin"); !reflect.DeepEqual(got, tt.command) {
			t.Errorf("Command = %q, want %q", got, tt.command)
		}
		cfg := tt.r.Config(tt.exe)
		want := [][2]string{
			{"credential." + tt.r.URL + ".helper", ""},
			{"credential." + tt.r.URL + ".helper", tt.helper},
			{"credential." + tt.r.URL + ".useHttpPath", "true"},
		}
		if !reflect.DeepEqual(cfg, want) {
			t.Errorf("Config = %q, want %q", cfg, want)
		}
		for _, s := range append(tt.command, tt.r.URL) {
			if strings.Contains(s, "@") {
				t.Errorf("%q holds userinfo", s)
			}
		}
	}
}

func TestAppendConfig(t *testing.T) {
	kv := [][2]string{{"a.b", ""}, {"a.c", "x=y"}}
	tests := []struct {
		env, want []string
		err       string
	}{
		{
			env:  []string{"HOME=/h"},
			want: []string{"HOME=/h", "GIT_CONFIG_KEY_0=a.b", "GIT_CONFIG_VALUE_0=", "GIT_CONFIG_KEY_1=a.c", "GIT_CONFIG_VALUE_1=x=y", "GIT_CONFIG_COUNT=2"},
		},
		{
			// Settings already there (from a wrapper, or git -c's
			// environment form) are kept; ours come after them.
			env:  []string{"GIT_CONFIG_COUNT=1", "GIT_CONFIG_KEY_0=user.name", "GIT_CONFIG_VALUE_0=A"},
			want: []string{"GIT_CONFIG_KEY_0=user.name", "GIT_CONFIG_VALUE_0=A", "GIT_CONFIG_KEY_1=a.b", "GIT_CONFIG_VALUE_1=", "GIT_CONFIG_KEY_2=a.c", "GIT_CONFIG_VALUE_2=x=y", "GIT_CONFIG_COUNT=3"},
		},
		{
			env:  []string{"GIT_CONFIG_COUNT="},
			want: []string{"GIT_CONFIG_KEY_0=a.b", "GIT_CONFIG_VALUE_0=", "GIT_CONFIG_KEY_1=a.c", "GIT_CONFIG_VALUE_1=x=y", "GIT_CONFIG_COUNT=2"},
		},
		{env: []string{"GIT_CONFIG_COUNT=two"}, err: "is not a count"},
		{env: []string{"GIT_CONFIG_COUNT=-1"}, err: "is not a count"},
	}
	for _, tt := range tests {
		got, err := AppendConfig(tt.env, kv)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("AppendConfig(%q) = %q, %v; want an error with %q", tt.env, got, err, tt.err)
		case tt.err == "" && err != nil:
			t.Errorf("AppendConfig(%q): %v", tt.env, err)
		case tt.err == "" && !reflect.DeepEqual(got, tt.want):
			t.Errorf("AppendConfig(%q) =\n%q, want\n%q", tt.env, got, tt.want)
		}
	}
}
