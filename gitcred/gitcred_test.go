package gitcred

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestPasswordVectors(t *testing.T) {
	// The first two vectors are published by git-remote-codecommit; the
	// others were computed independently (see shared/reference).
	tests := []struct {
		secret, host, region, path, when, want string
	}{
		{"secret", "git-codecommit.us-west-2.amazonaws.com", "us-west-2", "/v1/repos/test_repo", "2017-12-24T11:53:20Z",
			"20171224T115320Zb6df2d758a8023b2f000a546417007b65494f3ce8ad0300fd45fcfa173f1959a"},
		{"secret", "land.called.honahlee", "us-west-2", "/v1/repos/test_repo", "2017-12-24T11:53:20Z",
			"20171224T115320Za14a37a53035bbceb6e1748247b143124fe7326cdffd3d418236a592ce6158a0"},
		{"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "git-codecommit.us-east-1.amazonaws.com", "us-east-1", "/v1/repos/MyDemoRepo", "2024-01-02T03:04:05Z",
			"20240102T030405Z0f588bef74e2ac4b70b72a0ebf8baa7cf6bcc51c76b85e8a76837044b6fb5ade"},
		{"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "git-codecommit.cn-north-1.amazonaws.com.cn", "cn-north-1", "/v1/repos/MyDemoRepo", "2024-01-02T03:04:05Z",
			"20240102T030405Z128eb7f4893015d76b79b5735a69ce9f2164ad6b34646dde0432830282d3e1fb"},
		{"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "vpce-0b47ea360adebf88a-jkl88hez.git-codecommit.us-east-1.vpce.amazonaws.com", "us-east-1", "/v1/repos/MyDemoRepo", "2024-01-02T03:04:05Z",
			"20240102T030405Z7a92678272b4ea030d987e384cf494b3899da53295582148132961fcbbafbcef"},
	}
	for _, tt := range tests {
		when, _ := time.Parse(time.RFC3339, tt.when)
		got := Password(tt.secret, Target{Host: tt.host, Region: tt.region, Path: tt.path}, when)
		if got != tt.want {
			t.Errorf("Password(%s) = %s, want %s", tt.host, got, tt.want)
		}
	}
}

func TestRegion(t *testing.T) {
	tests := []struct {
		host, region string
	}{
		{"git-codecommit.us-east-1.amazonaws.com", "us-east-1"},
		{"git-codecommit.us-east-1.amazonaws.com:443", "us-east-1"},
		{"GIT-CODECOMMIT.EU-WEST-1.AMAZONAWS.COM", "eu-west-1"},
		{"git-codecommit-fips.us-gov-west-1.amazonaws.com", "us-gov-west-1"},
		{"git-codecommit.cn-north-1.amazonaws.com.cn", "cn-north-1"},
		{"vpce-0b47ea360adebf88a-jkl88hez.git-codecommit.us-east-1.vpce.amazonaws.com", "us-east-1"},
		{"vpce-0b47ea360adebf88a-jkl88hez-us-east-1a.git-codecommit-fips.us-east-1.vpce.amazonaws.com", "us-east-1"},
		// Not CodeCommit: every one of these must be refused.
		{"git-codecommit.us-east-1.amazonaws.com.evil.example", ""},
		{"evil.example/git-codecommit.us-east-1.amazonaws.com", ""},
		{"xgit-codecommit.us-east-1.amazonaws.com", ""},
		{"a.git-codecommit.us-east-1.amazonaws.com", ""},
		{"git-codecommit.amazonaws.com", ""},
		{"git-codecommit.us-east.amazonaws.com", ""},
		{"git-codecommit.us-east-1.vpce.amazonaws.com", ""},
		{"evil.git-codecommit.us-east-1.vpce.amazonaws.com", ""},
		{"github.com", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := Region(tt.host)
		if got != tt.region || ok != (tt.region != "") {
			t.Errorf("Region(%q) = %q, %v; want %q", tt.host, got, ok, tt.region)
		}
	}
}

func TestParse(t *testing.T) {
	in := "capability[]=authtype\r\ncapability[]=state\r\nprotocol=https\r\nhost=h\r\npath=v1/repos/x\r\nunknown=1\r\nhost=h2\r\n\r\nignored=after-blank\n"
	req, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := req.Get("host"); v != "h2" {
		t.Errorf("host = %q, want the last value h2", v)
	}
	if v, ok := req.Get("capability[]"); ok {
		t.Errorf("capability[] = %q, want multi-valued keys dropped", v)
	}
	if _, ok := req.Get("ignored"); ok {
		t.Error("read past the blank line")
	}
	// EOF without a trailing newline or blank line ends the request too.
	req, err = Parse(strings.NewReader("protocol=https\nhost=h"))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := req.Get("host"); v != "h" {
		t.Errorf("host = %q", v)
	}
}

func TestParseRejects(t *testing.T) {
	tests := map[string]string{
		"NUL":           "protocol=https\nhost=a\x00b\n",
		"bare CR":       "protocol=https\nhost=a\rb\n",
		"no equals":     "protocol=https\nhost\n",
		"empty key":     "=x\n",
		"huge line":     "host=" + strings.Repeat("a", MaxLineBytes) + "\n",
		"too many keys": strings.Repeat("k=v\n", 10000),
	}
	for name, in := range tests {
		_, err := Parse(strings.NewReader(in))
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", name, err)
		}
	}
}

func request(t *testing.T, s string) *Request {
	t.Helper()
	r, err := Parse(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestTargetFor(t *testing.T) {
	var missing *MissingPathError
	tests := []struct {
		name, in string
		opt      Options
		want     Target
		wantErr  error
		anyErr   bool
	}{
		{name: "codecommit", in: "protocol=https\nhost=git-codecommit.eu-west-1.amazonaws.com\npath=v1/repos/r\n",
			want: Target{Host: "git-codecommit.eu-west-1.amazonaws.com", Region: "eu-west-1", Path: "/v1/repos/r"}},
		{name: "port stripped from signed host", in: "protocol=https\nhost=git-codecommit.eu-west-1.amazonaws.com:443\npath=v1/repos/r\n",
			want: Target{Host: "git-codecommit.eu-west-1.amazonaws.com", Region: "eu-west-1", Path: "/v1/repos/r"}},
		{name: "other host", in: "protocol=https\nhost=github.com\npath=a/b\n", wantErr: ErrNotCodeCommit},
		{name: "lookalike host", in: "protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com.evil.example\npath=v1/repos/r\n", wantErr: ErrNotCodeCommit},
		{name: "plain http", in: "protocol=http\nhost=git-codecommit.eu-west-1.amazonaws.com\npath=v1/repos/r\n", wantErr: ErrNotCodeCommit},
		{name: "no path", in: "protocol=https\nhost=git-codecommit.eu-west-1.amazonaws.com\n", wantErr: missing},
		{name: "dot dot", in: "protocol=https\nhost=git-codecommit.eu-west-1.amazonaws.com\npath=v1/repos/../x\n", anyErr: true},
		{name: "percent-encoded dots", in: "protocol=https\nhost=git-codecommit.eu-west-1.amazonaws.com\npath=v1/repos/%2e%2e\n", anyErr: true},
		{name: "space in name", in: "protocol=https\nhost=git-codecommit.eu-west-1.amazonaws.com\npath=v1/repos/a b\n", anyErr: true},
		{name: "name too long", in: "protocol=https\nhost=git-codecommit.eu-west-1.amazonaws.com\npath=v1/repos/" + strings.Repeat("a", 101) + "\n", anyErr: true},
		{name: "dots inside a name are fine", in: "protocol=https\nhost=git-codecommit.eu-west-1.amazonaws.com\npath=v1/repos/my.repo_1-x\n",
			want: Target{Host: "git-codecommit.eu-west-1.amazonaws.com", Region: "eu-west-1", Path: "/v1/repos/my.repo_1-x"}},
		{name: "not a repo path", in: "protocol=https\nhost=git-codecommit.eu-west-1.amazonaws.com\npath=v1/other/r\n", anyErr: true},
		{name: "sandbox", in: "protocol=http\nhost=127.0.0.1:8080\npath=v1/repos/demo\n", opt: Options{IgnoreHostCheck: true, Region: "us-east-1"},
			want: Target{Host: "127.0.0.1", Region: "us-east-1", Path: "/v1/repos/demo"}},
		{name: "ignore host check needs region", in: "protocol=http\nhost=127.0.0.1:8080\npath=v1/repos/demo\n", opt: Options{IgnoreHostCheck: true}, anyErr: true},
		{name: "ssh is never ours", in: "protocol=ssh\nhost=127.0.0.1\npath=x\n", opt: Options{IgnoreHostCheck: true, Region: "us-east-1"}, wantErr: ErrNotCodeCommit},
	}
	for _, tt := range tests {
		got, err := TargetFor(request(t, tt.in), tt.opt)
		switch {
		case tt.wantErr == missing:
			if !errors.As(err, &missing) {
				t.Errorf("%s: err = %v, want MissingPathError", tt.name, err)
			} else if !strings.Contains(err.Error(), "git config --global credential.https://git-codecommit.eu-west-1.amazonaws.com.useHttpPath true") {
				t.Errorf("%s: message lacks the fix: %v", tt.name, err)
			}
		case tt.wantErr != nil:
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("%s: err = %v, want %v", tt.name, err, tt.wantErr)
			}
		case tt.anyErr:
			if err == nil {
				t.Errorf("%s: no error", tt.name)
			}
		default:
			if err != nil || got != tt.want {
				t.Errorf("%s: got %+v, %v; want %+v", tt.name, got, err, tt.want)
			}
		}
	}
}

func TestAnswer(t *testing.T) {
	now := time.Date(2017, 12, 24, 11, 53, 20, 0, time.UTC)
	target := Target{Host: "git-codecommit.us-west-2.amazonaws.com", Region: "us-west-2", Path: "/v1/repos/test_repo"}

	a := NewAnswer(Credentials{AccessKeyID: "ASIAX", SecretAccessKey: "secret", SessionToken: "tok/en+=", Expires: now.Add(time.Hour)}, target, now)
	var out bytes.Buffer
	if _, err := a.WriteTo(&out); err != nil {
		t.Fatal(err)
	}
	want := "username=ASIAX%tok/en+=\npassword=20171224T115320Zb6df2d758a8023b2f000a546417007b65494f3ce8ad0300fd45fcfa173f1959a\npassword_expiry_utc=1514117300\n"
	if out.String() != want {
		t.Errorf("answer:\n%s\nwant:\n%s", out.String(), want)
	}

	// A session ending sooner than the password's lifetime caps the expiry.
	soon := now.Add(time.Minute)
	a = NewAnswer(Credentials{AccessKeyID: "ASIAX", SecretAccessKey: "secret", SessionToken: "t", Expires: soon}, target, now)
	if a.ExpiryUnix != soon.Unix() {
		t.Errorf("expiry = %d, want %d", a.ExpiryUnix, soon.Unix())
	}

	if _, err := (Answer{Username: "a\nb", Password: "p"}).WriteTo(&out); err == nil {
		t.Error("newline in a value was written")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/r\n\n"))
	f.Add([]byte("capability[]=authtype\ncapability[]=state\nwwwauth[]=Basic realm=\"x\"\nprotocol=https\r\n"))
	f.Add([]byte("host=a\x00\n"))
	f.Add([]byte("capability[]=\nk=v"))
	f.Fuzz(func(t *testing.T, in []byte) {
		req, err := Parse(bytes.NewReader(in))
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error does not wrap ErrMalformed: %v", err)
			}
			return
		}
		for k, v := range req.attrs {
			if strings.ContainsAny(k+v, "\x00\r\n") || strings.Contains(k, "=") {
				t.Fatalf("parsed an invalid attribute %q=%q", k, v)
			}
		}
		// Whatever parsed must be safe to sign and answer.
		if target, err := TargetFor(req, Options{IgnoreHostCheck: true, Region: "us-east-1"}); err == nil {
			if strings.Contains(target.Path, "..") && strings.Contains("/"+target.Path+"/", "/../") {
				t.Fatalf("accepted dot-dot path %q", target.Path)
			}
			var out bytes.Buffer
			if _, err := NewAnswer(Credentials{AccessKeyID: "A", SecretAccessKey: "s"}, target, time.Now()).WriteTo(&out); err != nil {
				t.Fatal(err)
			}
		}
	})
}
