//go:build !windows

package source

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials/processcreds"
)

// A credential_process answer is read as the AWS SDK for Go reads it: the
// SDK's own provider, running a program that prints the same bytes, is
// the oracle for which answers are answers and what they hold. (Expired
// credentials are left out: mfa-git refuses them on purpose.)
func TestParseProcessMatchesSDK(t *testing.T) {
	future := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	exp := future.Format(time.RFC3339)
	ok := `{"Version": 1, "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "` + exp + `"}`
	for _, out := range []string{
		ok,
		ok + "\n",
		ok + "\r\n\t ",
		ok + "\ntrailing text",
		ok + ok,
		ok + " {}",
		"\ufeff" + ok,
		"  \n" + ok,
		`{"Version": 1, "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "` + future.Add(250*time.Millisecond).In(time.FixedZone("", 3600)).Format("2006-01-02T15:04:05.999Z07:00") + `"}`,
		`{"Version": 1, "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "` + future.Format("2006-01-02 15:04:05Z") + `"}`,
		`{"Version": 1, "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "s", "Expiration": null}`,
		`{"Version": 1, "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "s", "Extra": [1, 2]}`,
		`{"Version": "1", "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "s"}`,
		`{"Version": 1.0, "AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "s"}`,
		`{"version": 1, "accesskeyid": "ASIAEXAMPLE", "secretaccesskey": "s"}`,
		`[]`,
		``,
	} {
		dir := t.TempDir()
		file := filepath.Join(dir, "answer")
		if err := os.WriteFile(file, []byte(out), 0o600); err != nil {
			t.Fatal(err)
		}
		sdk, sdkErr := processcreds.NewProvider("cat " + file).Retrieve(context.Background())
		ours, err := parseProcess([]byte(out), time.Now())
		switch {
		case (sdkErr == nil) != (err == nil):
			t.Errorf("%q: the SDK: %v; mfa-git: %v", out, sdkErr, err)
		case err == nil && (ours.AccessKeyID != sdk.AccessKeyID || ours.SessionToken != sdk.SessionToken ||
			ours.SessionToken != "" && !ours.Expiration.Equal(sdk.Expires)):
			t.Errorf("%q: mfa-git read %s %q %v; the SDK %s %q %v", out, ours.AccessKeyID, ours.SessionToken, ours.Expiration, sdk.AccessKeyID, sdk.SessionToken, sdk.Expires)
		}
	}
}
