package setup

import (
	"os"
	"path/filepath"
	"testing"
)

func TestChooseProfile(t *testing.T) {
	const url = "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/app"
	helperFor := func(region string) string {
		return "[credential \"https://git-codecommit." + region + ".amazonaws.com\"]\n\thelper =\n\thelper = mfa-git --profile team\n"
	}
	helper := helperFor("eu-west-1")
	tests := []struct {
		name      string
		asked     Asked
		gitconfig string
		record    string
		want      Choice
	}{
		{"--profile wins", Asked{Flag: "f", Env: "e", AWSProfile: "a"}, helper, "r", Choice{Name: "f", Why: "--profile"}},
		{"then MFA_GIT_PROFILE", Asked{Env: "e", AWSProfile: "a"}, helper, "r", Choice{Name: "e", Why: "MFA_GIT_PROFILE"}},
		{"git's own calls never ask git", Asked{AWSProfile: "a", ForGit: true}, helper, "r", Choice{Name: "a", Why: "AWS_PROFILE"}},
		{"git's own calls, nothing named", Asked{ForGit: true}, helper, "r", Choice{Name: "default", Why: "default"}},
		{"the helper git runs for the URL", Asked{AWSProfile: "a", URL: url}, helper, "r",
			Choice{Name: "team", Why: "git's credential helper for git-codecommit.eu-west-1.amazonaws.com names it", Tell: true}},
		{"the helper for any CodeCommit URL", Asked{}, helperFor("us-east-1"), "", Choice{Name: "team", Why: "git's credential helper for git-codecommit.us-east-1.amazonaws.com names it", Tell: true}},
		{"AWS_PROFILE before setup's record", Asked{AWSProfile: "a"}, "", "r", Choice{Name: "a", Why: "AWS_PROFILE"}},
		{"setup's record", Asked{}, "", "r", Choice{Name: "r", Why: "mfa-git setup configured it last", Tell: true}},
		{"nothing: default", Asked{}, "", "", Choice{Name: "default", Why: "no --profile, MFA_GIT_PROFILE, AWS_PROFILE, git helper or setup record names one"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t, "", "")
			if tt.gitconfig != "" {
				if err := os.WriteFile(w.gitconfig, []byte(tt.gitconfig), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			a := tt.asked
			a.StateDir = filepath.Join(t.TempDir(), "state")
			if tt.record != "" {
				if err := RecordProfile(a.StateDir, tt.record); err != nil {
					t.Fatal(err)
				}
			}
			if got := ChooseProfile(a); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
